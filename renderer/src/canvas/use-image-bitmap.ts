import { useEffect, useState } from 'react';
import type { Editor } from '../editor/editor';

/**
 * The decoded image for an asset hash. While a new hash loads, the previous bitmap stays on
 * screen (undo of an erase swaps images without a blank frame).
 */
export function useImageBitmap(ed: Editor, hash: string | null | undefined, reportErrors = true): ImageBitmap | null {
  const [state, setState] = useState<{ hash: string; bitmap: ImageBitmap } | null>(() => {
    const hit = hash ? ed.assets.peekImage(hash) : undefined;
    return hash && hit ? { hash, bitmap: hit } : null;
  });
  useEffect(() => {
    if (!hash) return;
    const hit = ed.assets.peekImage(hash);
    if (hit) {
      setState({ hash, bitmap: hit });
      return;
    }
    let live = true;
    ed.assets.getImage(hash).then(
      (bitmap) => live && setState({ hash, bitmap }),
      (err: unknown) => live && reportErrors && ed.fail('error.openFailed', err),
    );
    return () => {
      live = false;
    };
  }, [ed, hash, reportErrors]);
  return hash ? (state?.bitmap ?? null) : null;
}
