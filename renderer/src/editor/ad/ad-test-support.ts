import { DOCUMENT_VERSION, type Transform } from '../../../../preload/contract/document';
import type { TextStyle } from '../../../../preload/contract/ad-style';
import { adParts, newBackgroundRecord, newProductRecord, newTextRecord, type ProductRecord } from '../../document/ad-records';
import { keysBetween } from '../../document/fractional-index';
import { createId } from '../../document/records';
import type { DocRecord, DocumentJson } from '../../document/types';
import type { Editor } from '../editor';
import { fxKey } from './product-fx';

/**
 * What end-to-end tests use to build and inspect an ad (window.__adstudioTest.ad, only with
 * ?test=1): open an ad from encoded images, map canvas px to page px, wait for effects, render.
 */
export interface AdTestApi {
  open(spec: AdSpec): Promise<{ background: string; products: string[]; texts: string[] }>;
  /** Canvas px → page (client) px under the current viewport. */
  toPage(x: number, y: number): { x: number; y: number };
  /** Resolves when every visible product shows effects for its current look. */
  effectsReady(timeoutMs?: number): Promise<void>;
  /** ed.ui.renderAd() as a PNG data URL. */
  render(): Promise<{ width: number; height: number; png: string }>;
}

export interface AdSpec {
  width: number;
  height: number;
  /** Base64 PNG/JPEG/WebP. */
  background: string;
  products: { image: string; name?: string; transform?: Transform }[];
  texts?: { text: string; transform?: Transform; style?: Partial<TextStyle> }[];
}

export function createAdTestApi(ed: Editor): AdTestApi {
  return {
    async open(spec) {
      const upload = (b64: string, name: string) => ed.assets.uploadBytes('image', Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)), name);
      const n = spec.products.length + (spec.texts?.length ?? 0);
      const [bgKey, ...keys] = keysBetween(null, null, n + 1);
      const bgInfo = await upload(spec.background, 'background.png');
      const records: DocRecord[] = [newBackgroundRecord({ asset: bgInfo, madeBy: 'test', name: 'Background', z: bgKey! })];
      for (const [i, p] of spec.products.entries()) {
        const info = await upload(p.image, `product-${i}.png`);
        records.push(newProductRecord({ asset: info, madeBy: 'test', name: p.name ?? `Product ${i + 1}`, z: keys[i]!, ...(p.transform ? { transform: p.transform } : {}) }));
      }
      for (const [i, t] of (spec.texts ?? []).entries()) {
        records.push(newTextRecord({ text: t.text, z: keys[spec.products.length + i]!, ...(t.transform ? { transform: t.transform } : {}), ...(t.style ? { style: t.style } : {}) }));
      }
      const now = new Date().toISOString();
      const doc: DocumentJson = {
        format: 'adstudio',
        version: DOCUMENT_VERSION,
        id: createId(),
        title: 'Test ad',
        kind: 'ad',
        width: spec.width,
        height: spec.height,
        records: Object.fromEntries(records.map((r) => [r.id, r])),
        createdAt: now,
        modifiedAt: now,
      };
      ed.openDocument(doc);
      return {
        background: records[0]!.id,
        products: records.filter((r) => r.type === 'product').map((r) => r.id),
        texts: records.filter((r) => r.type === 'text').map((r) => r.id),
      };
    },
    toPage(x, y) {
      const host = document.querySelector('[data-testid="ad-canvas"]');
      const r = host?.getBoundingClientRect() ?? { left: 0, top: 0 };
      const vp = ed.session.get().viewport;
      return { x: r.left + vp.x + x * vp.zoom, y: r.top + vp.y + y * vp.zoom };
    },
    async effectsReady(timeoutMs = 20_000) {
      const end = performance.now() + timeoutMs;
      for (;;) {
        const doc = ed.document();
        if (doc) {
          const parts = adParts(doc);
          const scene = { width: doc.width, height: doc.height, background: parts.background };
          const products = parts.layers.filter((l): l is ProductRecord => l.type === 'product' && l.visible);
          if (products.every((p) => ed.ad.fx.peek(fxKey(p, scene)))) return;
        }
        if (performance.now() > end) throw new Error('product effects did not arrive in time');
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async render() {
      const render = ed.ui.renderAd;
      if (!render) throw new Error('no ad canvas is mounted');
      const canvas = await render();
      return { width: canvas.width, height: canvas.height, png: canvas.toDataURL('image/png') };
    },
  };
}
