import { useEffect, useState } from 'react';
import type { Editor } from '../editor/editor';

/**
 * The decoded image for an asset hash. While a new hash loads, the previous bitmap stays on
 * screen (undo of an erase swaps images without a blank frame); a just-opened photo shows its quick
 * screen-resolution preview until the full decode lands (draw it at the record's size either way).
 */
export function useImageBitmap(ed: Editor, hash: string | null | undefined, reportErrors = true): ImageBitmap | null {
  const [state, setState] = useState<{ hash: string; bitmap: ImageBitmap; full: boolean } | null>(() => {
    const hit = hash ? ed.assets.peekImage(hash) : undefined;
    return hash && hit ? { hash, bitmap: hit, full: true } : null;
  });
  useEffect(() => {
    if (!hash) return;
    const hit = ed.assets.peekImage(hash);
    if (hit) {
      setState({ hash, bitmap: hit, full: true });
      return;
    }
    let live = true;
    void ed.assets.getPreview(hash).then((preview) => {
      if (live && preview) setState((s) => (s?.hash === hash && s.full ? s : { hash, bitmap: preview, full: false }));
    });
    ed.assets.getImage(hash).then(
      (bitmap) => live && setState({ hash, bitmap, full: true }),
      (err: unknown) => {
        if (!live || !reportErrors) return;
        // A file this browser cannot decode is usually one the host refuses too: then that refusal
        // closes the document with the host's reason, and this error would only repeat it.
        ed.assets.whenUploaded([hash]).then(
          () => live && ed.fail('error.openFailed', err),
          () => {},
        );
      },
    );
    return () => {
      live = false;
    };
  }, [ed, hash, reportErrors]);
  return hash ? (state?.bitmap ?? null) : null;
}
