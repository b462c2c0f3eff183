// OpenCV's inpainting (Telea, Navier–Stokes) through @techstark/opencv-js, which gives the same pixels as
// Debian's python3-opencv. The module object is a thenable that resolves to itself: never await it or
// return it from an async function; wait for onRuntimeInitialized (or cv.Mat) instead.
import { createRequire } from 'node:module';

let cvModule = null;

/** Resolves (with nothing) once the wasm runtime is ready; use getCv() afterwards. */
export function loadOpenCv() {
  const require = createRequire(import.meta.url);
  // Emscripten installs process-wide handlers that rethrow any error with the whole 10 MB module source
  // attached; take back exactly the handlers it added so errors stay readable.
  const before = { uncaughtException: process.listeners('uncaughtException'), unhandledRejection: process.listeners('unhandledRejection') };
  const cv = require('@techstark/opencv-js');
  for (const [event, kept] of Object.entries(before)) {
    for (const l of process.listeners(event)) if (!kept.includes(l)) process.removeListener(event, l);
  }
  cvModule = cv;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('opencv-js did not initialise within 60 s')), 60_000);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    if (cv.Mat) done();
    else cv.onRuntimeInitialized = done;
  });
}

function getCv() {
  if (!cvModule?.Mat) throw new Error('loadOpenCv() first');
  return cvModule;
}

/** cv.inpaint on an RGB(A) image and 1-channel mask (>= 128 = fill). Returns a new RGB(A) image. */
export function opencvInpaint(image, mask, method, radius) {
  const cv = getCv();
  const { width, height, channels: C } = image;
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) for (let c = 0; c < 3; c++) rgb[i * 3 + c] = image.data[i * C + c];
  const bin = new Uint8Array(width * height);
  for (let i = 0; i < bin.length; i++) bin[i] = mask.data[i] >= 128 ? 255 : 0;
  const src = cv.matFromArray(height, width, cv.CV_8UC3, rgb);
  const m = cv.matFromArray(height, width, cv.CV_8UC1, bin);
  const dst = new cv.Mat();
  try {
    cv.inpaint(src, m, dst, radius, method === 'ns' ? cv.INPAINT_NS : cv.INPAINT_TELEA);
    const out = new Uint8Array(image.data);
    const d = dst.data;
    for (let i = 0; i < width * height; i++) for (let c = 0; c < 3; c++) out[i * C + c] = d[i * 3 + c];
    return { ...image, data: out };
  } finally {
    src.delete();
    m.delete();
    dst.delete();
  }
}
