import type { StageEngine } from '../stage-engine.js';
import { createSimulatedEngine, type SimulatedEngine } from './simulated-engine.js';

/** Share of a card the seed team found usable (22 of 24 GB on an L4): the simulated card is that much bigger than the budget. */
const USABLE_SHARE = 22 / 24;

/**
 * The simulated-VRAM engine as `adstudio serve --simulate-vram`, `adstudio mcp --simulate-vram` and the
 * editor's ADSTUDIO_SIMULATE_VRAM_GB run it: a `vramGb` budget on a card 24/22 of that, catalog times
 * scaled by `timeScale`, and what the embedded engine really does (text detection, erasing; cut-out and backgrounds that name no
 * GPU model) done for real.
 */
export function createSimulatedGpu(o: { vramGb: number; timeScale: number; embedded: StageEngine }): SimulatedEngine {
  const budgetMb = Math.round(o.vramGb * 1024);
  return createSimulatedEngine({
    budgetMb,
    totalMb: Math.round(budgetMb / USABLE_SHARE),
    timeScale: o.timeScale,
    delegates: { detect_text: (r, c) => o.embedded.runStage(r, c), inpaint: (r, c) => o.embedded.runStage(r, c) },
    // The editor's cut-out and preset backgrounds name no GPU model: real pixels, as on the embedded engine.
    cpuDelegates: { cutout: (r, c) => o.embedded.runStage(r, c), background: (r, c) => o.embedded.runStage(r, c) },
  });
}
