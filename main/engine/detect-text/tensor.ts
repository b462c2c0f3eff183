/**
 * The PP-OCR detector's input: NCHW float32, channels in OpenCV's B, G, R order (PaddleOCR trains on
 * cv2-decoded images), each (v / 255 − mean) / std with ImageNet's mean/std listed in that order.
 */
const MEAN = [0.485, 0.456, 0.406] as const;
const STD = [0.229, 0.224, 0.225] as const;

/**
 * Cuts a `width`×`height` window at (x, y) from an RGB canvas into a network input. Parts of the
 * window outside the canvas are 0 after normalisation (the mean colour): neutral for the detector.
 */
export function canvasToTensor(
  canvas: Uint8Array,
  canvasWidth: number,
  canvasHeight: number,
  window: { x: number; y: number; width: number; height: number },
  checkCancelled: () => void = () => {},
): Float32Array {
  const { x: wx, y: wy, width, height } = window;
  const plane = width * height;
  const out = new Float32Array(3 * plane);
  // Per byte value lookup tables: 3 × 256 multiplications instead of 3 per pixel.
  const lut = [0, 1, 2].map((c) => Float32Array.from({ length: 256 }, (_, v) => (v / 255 - MEAN[c]!) / STD[c]!));
  const [lb, lg, lr] = lut as [Float32Array, Float32Array, Float32Array];
  const yEnd = Math.min(height, canvasHeight - wy);
  const xEnd = Math.min(width, canvasWidth - wx);
  for (let y = 0; y < yEnd; y++) {
    if ((y & 63) === 0) checkCancelled();
    let src = ((wy + y) * canvasWidth + wx) * 3;
    let o = y * width;
    for (let x = 0; x < xEnd; x++, src += 3, o++) {
      out[o] = lb[canvas[src + 2]!]!;
      out[plane + o] = lg[canvas[src + 1]!]!;
      out[2 * plane + o] = lr[canvas[src]!]!;
    }
  }
  return out;
}
