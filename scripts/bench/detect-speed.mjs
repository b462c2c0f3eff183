// Text detection speed as the issue states its target ("≤ 1 s per 1024² image"): wall clock of
// createTextDetector().detect() (the worker the editor and the CLI use, image copied in and the mask
// back included), warm (the network is loaded by a first call that is not counted), median of `runs`.
import { median } from './table.mjs';

/**
 * cases: [{ name, text (RawImage), target? (ms) }]. Returns one row per case:
 * { case, width, height, wallMs (median), cpuMs (median process CPU time: every thread, ONNX Runtime's
 * included), regions (of the last run), target }.
 */
export async function detectionSpeed(createDetector, cases, runs) {
  const det = createDetector();
  const rows = [];
  try {
    for (const c of cases) {
      await det.detect({ image: c.text }); // warm-up: model load and first-run allocations are not per-image time
      const wall = [];
      const cpu = [];
      let regions = 0;
      for (let r = 0; r < runs; r++) {
        const u = process.cpuUsage();
        const t = performance.now();
        const res = await det.detect({ image: c.text });
        wall.push(performance.now() - t);
        const d = process.cpuUsage(u);
        cpu.push((d.user + d.system) / 1000);
        regions = res.regions.length;
      }
      rows.push({ case: c.name, width: c.text.width, height: c.text.height, wallMs: median(wall), cpuMs: median(cpu), regions, target: c.target ?? null });
    }
  } finally {
    await det.close?.();
  }
  return rows;
}
