import { ENGINE_LOG_MAX_LINES } from '../../../../preload/contract/engines';
import type { EngineLogLine } from './use-engines';

/** Lines the full log viewer asks for first; each "Load earlier lines" doubles it, up to the contract's cap. */
export const FIRST_PAGE = 2000;

export function nextLimit(limit: number): number {
  return Math.min(ENGINE_LOG_MAX_LINES, limit * 2);
}

/** Earlier lines can be loaded: the engine said older ones exist and the cap is not reached. */
export function canLoadMore(limit: number, more: boolean): boolean {
  return more && limit < ENGINE_LOG_MAX_LINES;
}

/** A line arriving live joins the end; the view keeps at most `limit` lines. */
export function appendLive(lines: readonly EngineLogLine[] | null, line: EngineLogLine, limit: number): EngineLogLine[] | null {
  if (!lines) return lines;
  const next = [...lines, line];
  return next.length > limit ? next.slice(-limit) : next;
}

export function formatLogLine(l: EngineLogLine): string {
  return `${new Date(l.at).toLocaleTimeString()} ${l.stream === 'stderr' ? '!' : ' '} ${l.text}`;
}
