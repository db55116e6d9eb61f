// tus-js-client in Node, driven by the xunit tests (TusJsClientTests). One command per run; every event is one
// JSON line on stdout: {"event":"url"|"head"|"chunk"|"aborted"|"success"|"error"|"terminated", ...}.
//
//   node tus-node-client.cjs upload '{"endpoint":..., "file":..., "chunkSize":..., "abortAfterChunks":3,
//                                      "uploadUrl":..., "throttleBytesPerSecond":..., "deferred":true, "retryDelays":[...]}'
//   node tus-node-client.cjs terminate '{"url":...}'
'use strict';

const fs = require('fs');
const { Readable } = require('stream');
const tus = require('tus-js-client');

const emit = (event, fields = {}) => process.stdout.write(JSON.stringify({ event, ...fields }) + '\n');

// A file read as a stream at a bounded rate, in odd-sized pieces: what a recorder produces over time.
function throttled(file, bytesPerSecond) {
  const handle = fs.openSync(file, 'r');
  const piece = 64 * 1024 + 123;
  const delayMs = Math.max(1, Math.round((piece / bytesPerSecond) * 1000));
  let position = 0;
  return new Readable({
    read() {
      setTimeout(() => {
        const buffer = Buffer.alloc(piece);
        const read = fs.readSync(handle, buffer, 0, piece, position);
        position += read;
        if (read === 0) {
          fs.closeSync(handle);
          this.push(null);
        } else {
          this.push(buffer.subarray(0, read));
        }
      }, delayMs);
    },
  });
}

function upload(options) {
  return new Promise((resolve) => {
    const size = fs.statSync(options.file).size;
    const streamed = options.deferred || options.throttleBytesPerSecond;
    const input = streamed ? throttled(options.file, options.throttleBytesPerSecond || 1e12) : fs.createReadStream(options.file);
    let chunks = 0;
    let filePath = null;
    const client = new tus.Upload(input, {
      endpoint: options.endpoint,
      uploadUrl: options.uploadUrl || null,
      chunkSize: options.chunkSize,
      uploadLengthDeferred: Boolean(options.deferred),
      uploadSize: streamed && !options.deferred ? size : undefined,
      retryDelays: options.retryDelays || [0, 500, 1000],
      storeFingerprintForResuming: false,
      metadata: { filename: 'interview.webm', filetype: 'video/webm', recording_type: options.recordingType || 'session' },
      onUploadUrlAvailable: () => emit('url', { url: client.url }),
      onAfterResponse: (req, res) => {
        if (req.getMethod() === 'HEAD') emit('head', { offset: Number(res.getHeader('Upload-Offset')) });
        const path = res.getHeader('Recording-File-Path');
        if (path) filePath = path;
      },
      onChunkComplete: (chunkSize, accepted) => {
        chunks += 1;
        emit('chunk', { accepted });
        if (options.abortAfterChunks && chunks >= options.abortAfterChunks) {
          client.abort(false).then(() => {
            emit('aborted', { offset: accepted });
            resolve();
          });
        }
      },
      onSuccess: () => {
        emit('success', { url: client.url, filePath });
        resolve();
      },
      onError: (error) => {
        emit('error', { message: String(error) });
        resolve();
      },
    });
    client.start();
  });
}

function terminate(options) {
  return tus.Upload.terminate(options.url, { retryDelays: [0] })
    .then(() => emit('terminated'))
    .catch((error) => emit('error', { message: String(error) }));
}

const [command, json] = process.argv.slice(2);
const commands = { upload, terminate };
if (!commands[command]) {
  emit('error', { message: `unknown command ${command}` });
  process.exit(2);
}
commands[command](JSON.parse(json || '{}')).then(() => process.exit(0));
