/**
 * What the user reads for an erase method. Method names are proper names (the algorithm or the
 * network), the same in Korean and English; what each does is a translated description next to it
 * (methods.desc.<id>). Unknown ids show the host's label, else the id.
 */
const METHOD_NAMES: Record<string, string> = {
  patchmatch: 'PatchMatch',
  telea: 'Telea',
  smooth: 'Smooth',
  lama: 'LaMa',
};

export function methodName(id: string, hostLabel?: string): string {
  return METHOD_NAMES[id] ?? hostLabel ?? id;
}

/** "inpaint:lama" → "lama"; null for anything that is not an erase result ("original", "inpaint"). */
export function methodOfMadeBy(madeBy: string | undefined | null): string | null {
  const m = /^inpaint:([a-z0-9._-]+)$/i.exec(madeBy ?? '');
  return m ? m[1]! : null;
}

/** The name of what made an image ("inpaint:lama" → "LaMa"), or null when no erase method did. */
export function madeByName(madeBy: string | undefined | null, labels?: ReadonlyArray<{ id: string; label: string }> | null): string | null {
  const id = methodOfMadeBy(madeBy);
  if (!id) return null;
  return methodName(id, labels?.find((m) => m.id === id)?.label);
}
