import { FILL, KNOWN, SKIP, type FillContext, type FillCrop } from '../fill-types.js';
import { smoothFill } from '../smooth.js';
import { featherSeam, matchBorderColour } from './border-match.js';
import { holeDepth } from './hole-depth.js';
import { improveNnf, randomNnf, refreshCosts, upsampleNnf, type Nnf, type Tick } from './nnf.js';
import { downsample, K, levelFromCrop, setTargetWeight, T, type PmLevel } from './pm-level.js';
import { xorshift32 } from './rng.js';
import { findSources, type Sources } from './sources.js';
import { costNormalisers, vote, voteBuffers } from './vote.js';

export interface PatchMatchOptions {
  /** Seed of the random initialisation and search (same seed, same pixels). */
  seed: number;
  /** Patch radius: patches are (2r+1)². */
  patchRadius: number;
  /** Patch radius on the coarser levels (at most patchRadius); they hold less detail. */
  coarsePatchRadius: number;
  /** Sources keep this many pixels away from the mask (a slightly dilated mask). */
  guard: number;
  /** Stop halving once the hole is at most this deep (pixels from the nearest known pixel). */
  coarseDepth: number;
  maxLevels: number;
  /** A coarser level is used only if it has at least this many source patches per target. */
  minSourcesPerTarget: number;
  /** EM iterations (search + vote) and PatchMatch iterations per EM step: coarsest, middle, finest level. */
  em: readonly [number, number, number];
  pm: readonly [number, number, number];
  /** First random-search radius on levels after the coarsest (the coarsest searches the whole crop). */
  fineSearchRadius: number;
  /** Cap of the first random-search radius on the coarsest level (0 = the whole level). */
  coarseSearchRadius: number;
  /** Patch-distance weight of hole pixels (known pixels weigh 1): below 1 trusts the known context more. */
  targetWeight: number;
  /** The same during the first EM step of the coarsest level, whose hole holds only the smooth start. */
  firstTargetWeight: number;
  /** Vote weights exp(−err/2σ²) with σ² this percentile of the match errors; 0 = plain average. */
  votePercentile: number;
  borderMatch: boolean;
  /** 0..1 pull of the outermost hole pixels toward their known neighbours. */
  feather: number;
}

export const DEFAULT_PATCHMATCH_OPTIONS: PatchMatchOptions = {
  seed: 0x5eed,
  patchRadius: 4,
  coarsePatchRadius: 4,
  guard: 1,
  coarseDepth: 2.5,
  maxLevels: 6,
  minSourcesPerTarget: 1,
  em: [2, 2, 1],
  pm: [2, 1, 1],
  fineSearchRadius: 4,
  coarseSearchRadius: 0,
  targetWeight: 1,
  firstTargetWeight: 0.05,
  votePercentile: 0.75,
  borderMatch: true,
  feather: 0.5,
};

interface Plan {
  level: PmLevel;
  R: number;
  sources: Sources;
  em: number;
  pm: number;
  search: number;
}

/**
 * Multi-scale patch-based synthesis of one crop (Wexler et al. 2007 with Barnes et al.'s PatchMatch for
 * the nearest-neighbour search): a pyramid down to where the hole is only a few pixels deep, a smooth
 * (harmonic) fill as the coarsest starting point, then per level EM steps of PatchMatch + voting, each
 * level started from the coarser level's field. Finally border colour matching and optional feathering.
 * Writes FILL pixels of `crop.pixels` only.
 */
export function patchMatchFill(crop: FillCrop, ctx: FillContext, options: PatchMatchOptions = DEFAULT_PATCHMATCH_OPTIONS): void {
  const { width: cw, height: ch, channels: CC, pixels, state, fillCount } = crop;
  if (fillCount === 0) return;
  ctx.checkpoint(0);
  const R = options.patchRadius;

  // Channels constant over the known pixels (an opaque alpha) are set, not synthesised.
  const N = cw * ch;
  const lo = new Float32Array(CC).fill(Infinity);
  const hi = new Float32Array(CC).fill(-Infinity);
  for (let i = 0; i < N; i++) {
    if (state[i] !== KNOWN) continue;
    for (let c = 0; c < CC; c++) {
      const v = pixels[i * CC + c]!;
      if (v < lo[c]!) lo[c] = v;
      if (v > hi[c]!) hi[c] = v;
    }
  }
  if (!(hi[0]! >= lo[0]!)) return; // no known pixel at all: nothing to copy or extend
  const active: number[] = [];
  for (let c = 0; c < CC; c++) {
    if (lo[c] !== hi[c]) {
      active.push(c);
      continue;
    }
    for (let i = 0; i < N; i++) if (state[i] === FILL) pixels[i * CC + c] = lo[c]!;
  }
  if (active.length === 0) return;

  // Checkpoints between the whole-crop passes keep cancel prompt on large crops too.
  const level0 = levelFromCrop(crop, active, R);
  ctx.checkpoint(0);
  const depth0 = holeDepth(level0);
  ctx.checkpoint(0);
  let sources0 = findSources(level0, R, options.guard);
  if (sources0.list.length === 0) sources0 = findSources(level0, R, 0);
  ctx.checkpoint(0);
  if (sources0.list.length === 0) {
    // Nothing to copy from (tiny crop): a smooth fill is the honest answer.
    smoothFill(crop, ctx);
    return;
  }

  // The pyramid: halve while the hole is deep and the coarser level still has sources.
  const plans: Plan[] = [{ level: level0, R, sources: sources0, em: 0, pm: 0, search: 0 }];
  const Rc = Math.min(R, options.coarsePatchRadius);
  for (let depth = depth0; depth > options.coarseDepth && plans.length < options.maxLevels; depth /= 2) {
    const next = downsample(plans[plans.length - 1]!.level);
    ctx.checkpoint(0);
    if (next.targets.length === 0) break;
    // No guard on coarse levels: a coarse pixel with any masked child is already a target.
    const sources = findSources(next, Rc, 0);
    if (sources.list.length < Math.max(16, options.minSourcesPerTarget * next.targets.length)) break;
    plans.push({ level: next, R: Rc, sources, em: 0, pm: 0, search: 0 });
    ctx.checkpoint(0);
  }
  const L = plans.length;
  plans.forEach((plan, l) => {
    // A lone level is both coarsest (random start: more PatchMatch passes) and finest (EM steps of the finest).
    const tier = l === L - 1 ? 0 : l === 0 ? 2 : 1;
    plan.em = L === 1 ? options.em[2] : options.em[tier];
    plan.pm = options.pm[tier];
    const whole = Math.max(plan.level.w, plan.level.h);
    plan.search = l === L - 1 ? (options.coarseSearchRadius > 0 ? Math.min(whole, options.coarseSearchRadius) : whole) : options.fineSearchRadius;
  });

  // Progress: work units ~ target-patch evaluations; the border step is the last 5%.
  let total = 0;
  for (const p of plans) total += p.level.targets.length * (p.em * (p.pm + 2) + 2);
  let base = 0;
  const phase = (units: number): Tick => {
    const start = base;
    base += units;
    return (done) => ctx.checkpoint((0.95 * (start + Math.min(done, units))) / total);
  };
  const here = () => ctx.checkpoint((0.95 * base) / total);

  const rand = xorshift32(options.seed ^ Math.imul(cw, 0x9e3779b1) ^ Math.imul(ch, 0x85ebca77) ^ fillCount);
  let nnf: Nnf | null = null;
  let prev: PmLevel | null = null;
  const buf0 = voteBuffers(level0);
  let buf = buf0;
  for (let l = L - 1; l >= 0; l--) {
    const { level, R: r, sources, em, pm, search } = plans[l]!;
    const nT = level.targets.length;
    const first = !nnf || !prev;
    setTargetWeight(level, first ? options.firstTargetWeight : options.targetWeight);
    let norm = costNormalisers(level, r);
    buf = voteBuffers(level, buf0);
    here();
    if (!nnf || !prev) {
      smoothStart(level, here);
      nnf = randomNnf(level, sources, rand);
      base += nT; // no upsampling vote on the coarsest level
    } else {
      nnf = upsampleNnf(prev, nnf, level, sources, rand);
      vote(level, nnf, norm, r, 0, buf, phase(nT));
    }
    refreshCosts(level, nnf, r, phase(nT));
    for (let e = 0; e < em; e++) {
      improveNnf(level, sources, nnf, r, pm, search, rand, phase(nT * pm));
      vote(level, nnf, norm, r, options.votePercentile, buf, phase(nT));
      if (e === 0 && first && options.firstTargetWeight !== options.targetWeight) {
        setTargetWeight(level, options.targetWeight);
        norm = costNormalisers(level, r);
      }
      if (e < em - 1) refreshCosts(level, nnf, r, phase(nT));
      else base += nT;
    }
    prev = level;
  }

  if (options.borderMatch) matchBorderColour(level0, buf, depth0, () => ctx.checkpoint(0.95));
  featherSeam(level0, options.feather);

  // Write back the FILL pixels' synthesised channels.
  const { w, img, C } = level0;
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      const s = y * cw + x;
      if (state[s] !== FILL) continue;
      const d = (y + R) * w + x + R;
      for (let a = 0; a < C; a++) pixels[s * CC + active[a]!] = img[d * C + a]!;
    }
  }
  ctx.checkpoint(1);
}

/** Coarsest-level start: the smooth (harmonic) fill of the targets from the known pixels around them. */
function smoothStart(level: PmLevel, checkpoint: () => void): void {
  const { w, h, C, img, st } = level;
  const state = new Uint8Array(w * h);
  for (let i = 0; i < st.length; i++) state[i] = st[i] === K ? KNOWN : st[i] === T ? FILL : SKIP;
  smoothFill({ width: w, height: h, channels: C, pixels: img, state, fillCount: level.targets.length }, { checkpoint });
}
