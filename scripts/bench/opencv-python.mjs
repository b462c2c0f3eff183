// OpenCV's inpainting through Debian's python3-opencv (the baseline the issue names), in one long-lived
// Python process (scripts/bench/opencv-inpaint.py) so cv2 is imported once. Null when no Python with
// cv2 is found; the caller then falls back to opencv-js (scripts/bench/opencv.mjs).
import { execFileSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'opencv-inpaint.py');
// Debian's own interpreter first: python3 on PATH may be another one (pyenv, venv) without the
// Debian package's cv2 module.
const CANDIDATES = [process.env.ADSTUDIO_BENCH_PYTHON, '/usr/bin/python3', 'python3'].filter(Boolean);

/** { python, version } of the first interpreter that imports cv2, else null. */
export function findPythonOpenCv() {
  for (const python of CANDIDATES) {
    try {
      const version = execFileSync(python, [SCRIPT, '--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 }).trim();
      if (version) return { python, version };
    } catch {
      // not this one
    }
  }
  return null;
}

/**
 * Starts the Python worker. Returns { version, python, inpaint(image, mask, method, radius), close() }
 * or null when python3-opencv is not available. inpaint resolves to a new RGB(A) image (alpha copied)
 * with `elapsedMs`: the time of the cv2.inpaint call itself, without the pipe.
 */
export function startPythonOpenCv() {
  const found = findPythonOpenCv();
  if (!found) return null;
  const child = spawn(found.python, [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  let buffered = Buffer.alloc(0);
  let waiting = null; // { bytes, resolve, reject }
  let header = null;
  const fail = (e) => {
    const w = waiting;
    waiting = null;
    w?.reject(e);
  };
  child.on('exit', (code) => fail(new Error(`python3-opencv worker exited (${code}): ${stderr.trim().slice(-500)}`)));
  child.on('error', fail);
  child.stdin.on('error', fail); // EPIPE when the worker died: reported through the pending request
  child.stdout.on('data', (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    if (!waiting) return;
    if (!header) {
      const nl = buffered.indexOf(10);
      if (nl < 0) return;
      header = JSON.parse(buffered.subarray(0, nl).toString('utf8'));
      buffered = buffered.subarray(nl + 1);
    }
    if (buffered.length < waiting.bytes) return;
    const body = buffered.subarray(0, waiting.bytes);
    buffered = buffered.subarray(waiting.bytes);
    const w = waiting;
    const h = header;
    waiting = null;
    header = null;
    w.resolve({ body, ms: h.ms });
  });

  let queue = Promise.resolve();
  const request = (image, mask, method, radius) => {
    const { width, height, channels: C } = image;
    const rgb = Buffer.alloc(width * height * 3);
    for (let i = 0; i < width * height; i++) for (let c = 0; c < 3; c++) rgb[i * 3 + c] = image.data[i * C + c];
    const answer = new Promise((resolve, reject) => (waiting = { bytes: width * height * 3, resolve, reject }));
    child.stdin.write(`${JSON.stringify({ width, height, method, radius })}\n`);
    child.stdin.write(rgb);
    child.stdin.write(Buffer.from(mask.data.buffer, mask.data.byteOffset, mask.data.length));
    return answer.then(({ body, ms }) => {
      const out = new Uint8Array(image.data);
      for (let i = 0; i < width * height; i++) for (let c = 0; c < 3; c++) out[i * C + c] = body[i * 3 + c];
      return { ...image, data: out, elapsedMs: ms };
    });
  };

  return {
    ...found,
    /** One request at a time (the protocol is strictly sequential). */
    inpaint(image, mask, method, radius) {
      const next = queue.then(() => request(image, mask, method, radius));
      queue = next.catch(() => {});
      return next;
    },
    close() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin.end('\n');
      });
    },
  };
}
