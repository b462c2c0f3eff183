import type { TextRegionPayload } from '../../../../preload/contract/detect';
import type { TextRegionsState } from '../session-state';

/** Pure updates of the proposed regions (session state); each returns a new state. */

export function proposeRegions(base: { docSerial: number; image: string; width: number; height: number }, regions: readonly TextRegionPayload[]): TextRegionsState {
  return { ...base, regions, enabled: regions.map(() => true), cropsReady: regions.every((r) => !r.mask) };
}

export function toggleRegion(state: TextRegionsState, id: number): TextRegionsState {
  const i = state.regions.findIndex((r) => r.id === id);
  if (i < 0) return state;
  return setRegion(state, id, !state.enabled[i]);
}

export function setRegion(state: TextRegionsState, id: number, on: boolean): TextRegionsState {
  const i = state.regions.findIndex((r) => r.id === id);
  if (i < 0 || state.enabled[i] === on) return state;
  const enabled = [...state.enabled];
  enabled[i] = on;
  return { ...state, enabled };
}

export function setAllRegions(state: TextRegionsState, on: boolean): TextRegionsState {
  if (state.enabled.every((e) => e === on)) return state;
  return { ...state, enabled: state.regions.map(() => on) };
}

export function enabledRegions(state: TextRegionsState): TextRegionPayload[] {
  return state.regions.filter((_, i) => state.enabled[i]);
}
