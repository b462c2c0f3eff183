/**
 * A candidate's or record's `madeBy` as a short label under its thumbnail. The engine writes
 * "embedded · sweep · seed 7"; a GPU engine its model and prompt. Shown as written, only trimmed.
 */
export function madeByLabel(madeBy: string, max = 60): string {
  const s = madeBy.replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s || '—';
}
