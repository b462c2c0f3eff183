import { useEffect, useMemo, useReducer, useRef } from 'react';
import type { AdParts, ProductRecord } from '../../document/ad-records';
import type { Editor } from '../../editor/editor';
import { fxKey, type FxScene, type ProductFxResult } from '../../editor/ad/product-fx';
import { loadFont, textFonts } from './ad-font';
import type { ProductFxView, SceneData } from './scene-data';

/** After a change, effects wait this long for the next one (a slider drag, a burst of nudges). */
const FX_DEBOUNCE_MS = 150;

/**
 * The screen's SceneData: images decoded through the asset cache, fonts loaded, and per product the
 * effects for its current look — requested when no gesture runs, debounced, cancelled when the look
 * changes again (stale answers never show: a view is fresh only for the current key). Until they
 * arrive, the last effects of that product are shown as stale.
 */
export function useSceneData(ed: Editor, parts: AdParts, scene: FxScene, gesture: boolean): SceneData {
  const [tick, bump] = useReducer((n: number) => n + 1, 0);
  const images = useRef(new Map<string, ImageBitmap>());
  const fonts = useRef(new Set<string>());
  const last = useRef(new Map<string, ProductFxResult>());

  // Images.
  const hashes = useMemo(() => {
    const out = parts.layers.flatMap((l) => (l.type === 'product' ? [l.props.asset] : []));
    if (parts.background) out.push(parts.background.props.asset);
    return out;
  }, [parts]);
  useEffect(() => {
    let live = true;
    for (const h of hashes) {
      if (images.current.has(h)) continue;
      const hit = ed.assets.peekImage(h);
      if (hit) {
        images.current.set(h, hit);
        bump();
        continue;
      }
      ed.assets.getImage(h).then(
        (bmp) => {
          if (!live) return;
          images.current.set(h, bmp);
          bump();
        },
        (err: unknown) => live && ed.fail('error.openFailed', err),
      );
    }
    return () => {
      live = false;
    };
  }, [ed, hashes]);

  // Fonts.
  const fontList = useMemo(() => textFonts(parts.layers), [parts]);
  useEffect(() => {
    let live = true;
    for (const f of fontList) {
      if (fonts.current.has(f.key)) continue;
      loadFont(f.family, f.weight).then(
        () => {
          if (!live) return;
          fonts.current.add(f.key);
          bump();
        },
        (err: unknown) => live && ed.fail('adCanvas.error.font', err),
      );
    }
    return () => {
      live = false;
    };
  }, [ed, fontList]);

  // Effects.
  const products = parts.layers.filter((l): l is ProductRecord => l.type === 'product' && l.visible);
  const wanted = products.map((p) => ({ p, key: fxKey(p, scene) }));
  const wantedSig = wanted.map((w) => w.key).join('\n');
  useEffect(() => {
    if (gesture) return;
    const releases: (() => void)[] = [];
    let live = true;
    const timer = setTimeout(() => {
      for (const { p, key } of wanted) {
        if (ed.ad.fx.peek(key)) continue;
        const req = ed.ad.fx.request(p, scene);
        releases.push(req.release);
        req.promise.then(
          () => live && bump(),
          (err: unknown) => {
            if (live && !isCancel(err)) ed.fail('adCanvas.error.effects', err);
          },
        );
      }
    }, FX_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
      for (const r of releases) r();
    };
    // wantedSig carries every input of `wanted`.
  }, [ed, wantedSig, gesture]);

  return useMemo(() => {
    const fx = new Map<string, ProductFxView>();
    for (const { p, key } of wanted) {
      const done = ed.ad.fx.peek(key);
      if (done) last.current.set(p.id, done);
      const shown = done ?? last.current.get(p.id);
      if (shown) fx.set(p.id, { fx: shown, fresh: !!done });
    }
    return { images: new Map(images.current), fx, fonts: new Set(fonts.current) };
    // tick: a new image, font or effect arrived.
  }, [tick, wantedSig, ed]);
}

function isCancel(err: unknown): boolean {
  return !!err && typeof err === 'object' && ((err as { code?: string }).code === 'cancelled' || (err as Error).message === 'cancelled');
}
