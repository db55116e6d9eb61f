// The recorder page: MediaRecorder slices feed a deferred-length tus upload while recording, so an interview is
// on the server as it happens. Also the reference for integrators: see docs/tus.md.
(() => {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  // The API this page talks to: its own origin, or ?api=https://... for a page served elsewhere.
  const api = (params.get('api') || location.origin).replace(/\/$/, '');
  const chunkSize = Number(params.get('chunk')) || 256 * 1024;

  // State the page exposes for automation (the Chromium tests read it). Never the token.
  const state = (window.recorderState = { uploadUrl: null, offset: 0, result: null, error: null, refused: null, playable: false });

  // With access control on, the interview app's backend mints a token for the session (POST
  // /recordings/{session_id}/tokens) and opens this page with it: #token=... (a fragment never reaches a server) or
  // ?token=.... It is taken out of the address bar at once, so it stays out of history, bookmarks and shared links.
  function takeToken() {
    const fragment = new URLSearchParams(location.hash.slice(1));
    const token = fragment.get('token') || params.get('token') || '';
    if (fragment.has('token') || params.has('token')) {
      fragment.delete('token');
      params.delete('token');
      const query = params.toString();
      const hash = fragment.toString();
      history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}${hash ? `#${hash}` : ''}`);
    }
    return token;
  }

  // The session a minted token covers (its session_id claim), to fill in the form; the server does the verifying.
  function sessionOf(token) {
    try {
      return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).session_id || '';
    } catch {
      return '';
    }
  }

  $('token').value = takeToken();
  $('session').value = params.get('session') || sessionOf($('token').value) || `demo_${Math.random().toString(36).slice(2, 10)}`;

  const token = () => $('token').value.trim();
  // Sent as Authorization on every call but the <video> download, which cannot send headers (?token= there).
  const authorization = () => (token() ? { Authorization: `Bearer ${token()}` } : {});

  let recorder = null;
  let stream = null;
  let timer = null;

  const status = (text) => { $('status').textContent = text; };

  // 401 or 403: say what is missing instead of failing silently. The detail is the server's; the token is never shown.
  function showRefusal(code, detail) {
    state.refused = code;
    state.error = `refused: ${code}`;
    const hint = code !== 401
      ? 'The access token does not allow this (another session, or a scope it lacks).'
      : token()
        ? 'The access token was not accepted (expired?): paste a fresh one.'
        : 'This service requires an access token: open this page with #token=<token>, or paste one above. The interview ' +
          "app's backend mints it with POST /recordings/{session_id}/tokens.";
    status(`Access refused (${code}${detail ? `: ${detail}` : ''}). ${hint}`);
  }

  function detailOf(body) {
    try {
      return JSON.parse(body).detail || '';
    } catch {
      return '';
    }
  }

  // True when the answer was a refusal (and the page now says so).
  async function refused(answer) {
    if (answer.status !== 401 && answer.status !== 403) return false;
    showRefusal(answer.status, detailOf(await answer.text()));
    return true;
  }

  function mimeType() {
    const wanted = ['video/webm;codecs=vp8,opus', 'video/webm', 'video/mp4'];
    return wanted.find((type) => MediaRecorder.isTypeSupported(type)) || '';
  }

  // A reader over the recorder's slices: tus-js-client reads from it as they arrive, until the recording stops.
  function sliceStream(mediaRecorder) {
    let controller;
    const slices = new ReadableStream({ start(c) { controller = c; } });
    mediaRecorder.ondataavailable = (event) => { if (event.data.size > 0) controller.enqueue(event.data); };
    mediaRecorder.onstop = () => controller.close();
    return slices.getReader();
  }

  async function record() {
    if (!$('settings').reportValidity()) return;
    if (state.refused === 401 && !token()) {
      showRefusal(401, '');
      return;
    }
    state.refused = null;
    state.error = null;
    const session = $('session').value;
    stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    $('preview').srcObject = stream;
    const type = mimeType();
    recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
    const extension = (recorder.mimeType || type).includes('mp4') ? 'mp4' : 'webm';

    const upload = new tus.Upload(sliceStream(recorder), {
      endpoint: `${api}/recordings/resumable/${encodeURIComponent(session)}`,
      headers: authorization(),
      uploadLengthDeferred: true,
      chunkSize,
      retryDelays: [0, 1000, 3000, 5000, 10000],
      removeFingerprintOnSuccess: true,
      metadata: { filename: `recording.${extension}`, filetype: recorder.mimeType || type, recording_type: $('type').value },
      onProgress: (sent) => {
        state.offset = sent;
        $('progress').removeAttribute('value');
        status(`Recording: ${(sent / 1048576).toFixed(1)} MB on the server`);
      },
      onError: (error) => {
        const answer = error.originalResponse;
        const code = answer ? answer.getStatus() : 0;
        if (code === 401 || code === 403) {
          showRefusal(code, detailOf(answer.getBody()));
        } else {
          state.error = String(error);
          status(`Upload failed: ${error}`);
        }
        if (recorder && recorder.state !== 'inactive') stop(false);
        $('record').disabled = false;
      },
      onSuccess: () => finished(upload.url),
    });
    upload.start();
    // A slice a second: the server has the recording up to the last second or so.
    recorder.start(1000);

    const started = Date.now();
    timer = setInterval(() => {
      const seconds = Math.floor((Date.now() - started) / 1000);
      $('elapsed').textContent = `${seconds} s`;
      state.seconds = seconds;
      state.uploadUrl = upload.url;
    }, 250);
    $('record').disabled = true;
    $('stop').disabled = false;
    status('Recording...');
  }

  function stop(finishing = true) {
    clearInterval(timer);
    recorder.stop();
    stream.getTracks().forEach((track) => track.stop());
    $('stop').disabled = true;
    if (finishing) status('Finishing the upload...');
  }

  async function finished(uploadUrl) {
    state.uploadUrl = uploadUrl;
    // The upload URL answers, once finished, what POST /recordings/upload answers.
    const answer = await fetch(uploadUrl, { headers: authorization() });
    if (await refused(answer)) return;
    state.result = await answer.json();
    $('progress').value = 1;
    status(`Stored: ${state.result.file_path} (${state.result.storage_type}, ${state.result.file_size} bytes)`);
    $('record').disabled = false;
    await showRecordings();
  }

  async function showRecordings() {
    const session = encodeURIComponent($('session').value);
    const answer = await fetch(`${api}/recordings/${session}/list`, { headers: authorization() });
    if (await refused(answer)) return;
    const list = await answer.json();
    $('recordings').replaceChildren(...list.recordings.map((item) => {
      const li = document.createElement('li');
      li.textContent = `${item.filename} - ${(item.file_size / 1048576).toFixed(2)} MB, ${item.storage_type}, ${item.upload_time}`;
      if (item.complete === false) {
        li.textContent += ' (incomplete: the recorder stopped sending)';
        li.className = 'incomplete';
      }
      return li;
    }));
    if (list.total_count > 0) await play(session);
  }

  // The newest recording: local recordings stream from the download endpoint (Range: seeking works); Supabase ones
  // answer a link.
  async function play(session) {
    const download = `${api}/recordings/${session}/download`;
    const head = await fetch(download, { headers: { Range: 'bytes=0-0', ...authorization() } });
    if (await refused(head)) return;
    const isLink = (head.headers.get('content-type') || '').includes('application/json');
    const video = $('playback');
    video.onloadedmetadata = () => { state.playable = true; state.duration = video.duration; };
    if (isLink) {
      const link = await head.json();
      video.src = link.public_url || link.signed_url;
    } else {
      video.src = token() ? `${download}?token=${encodeURIComponent(token())}` : download;
    }
  }

  $('record').addEventListener('click', () => record().catch((error) => { state.error = String(error); status(`Cannot record: ${error}`); }));
  $('stop').addEventListener('click', stop);
  $('session').addEventListener('change', () => showRecordings().catch(() => {}));
  $('token').addEventListener('change', () => {
    state.refused = null;
    state.error = null;
    status('Ready.');
    showRecordings().catch(() => {});
  });
  window.recorderPage = { record, stop, showRecordings };
  showRecordings().catch(() => {});
})();
