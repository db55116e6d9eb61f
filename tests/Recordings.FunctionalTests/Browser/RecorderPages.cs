namespace Recordings.FunctionalTests.Browser;

/// <summary>The test page of an app on another origin: records with MediaRecorder, uploads with tus-js-client, plays it back.</summary>
public static class RecorderPages
{
    public const string OtherOrigin = """
        <!DOCTYPE html>
        <html>
        <head><meta charset="utf-8"><title>An interview app on another origin</title></head>
        <body>
        <video id="playback" muted playsinline></video>
        <script src="/tus.min.js"></script>
        <script>
        window.recordAndUpload = async (api, session, seconds) => {
          const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
          const recorder = new MediaRecorder(stream, { mimeType: 'video/webm' });
          const parts = [];
          recorder.ondataavailable = (event) => parts.push(event.data);
          const stopped = new Promise((resolve) => { recorder.onstop = resolve; });
          const started = new Promise((resolve) => { recorder.onstart = resolve; });
          recorder.start(1000);
          await started;
          // The recording's length: the test asks for a 5-second interview.
          await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
          recorder.stop();
          await stopped;
          stream.getTracks().forEach((track) => track.stop());
          const recording = new Blob(parts, { type: 'video/webm' });

          const uploaded = await new Promise((resolve, reject) => {
            let filePath = null;
            const upload = new tus.Upload(recording, {
              endpoint: `${api}/recordings/resumable/${session}`,
              chunkSize: 256 * 1024,
              metadata: { filename: 'take.webm', filetype: 'video/webm', recording_type: 'interview' },
              onAfterResponse: (req, res) => { filePath = res.getHeader('Recording-File-Path') || filePath; },
              onSuccess: () => resolve({ url: upload.url, filePath }),
              onError: reject,
            });
            upload.start();
          });

          const answer = await (await fetch(uploaded.url)).json();
          const video = document.getElementById('playback');
          const duration = await new Promise((resolve, reject) => {
            video.onloadedmetadata = () => resolve(video.duration);
            video.onerror = () => reject(new Error(`video error ${video.error && video.error.code}`));
            video.src = `${api}/recordings/${session}/download`;
          });
          return { size: recording.size, filePath: uploaded.filePath, answer: JSON.stringify(answer), duration: String(duration) };
        };
        </script>
        </body>
        </html>
        """;
}
