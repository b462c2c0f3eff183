import type { ExportFormat } from '../../../../preload/contract/limits';
import type { Editor } from '../editor';
import { UiError, unwrap } from '../errors';
import { deliver, EXTENSIONS, fileNameOf, type ExportChoice } from '../export-io';
import { cleanProjectName } from '../project-io';

const MIME: Record<ExportFormat, string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };

export type AdExportPhase = 'rendering' | 'encoding' | 'writing';

/** canvas.toBlob as a promise; a browser that cannot encode the format says so instead of hanging. */
export function encodeCanvas(canvas: HTMLCanvasElement, format: ExportFormat, quality: number): Promise<Uint8Array<ArrayBuffer>> {
  return new Promise((resolve, reject) => {
    canvas.toBlob(
      (blob) => {
        if (!blob) return reject(new UiError('internal', `The browser could not encode the ad as ${format.toUpperCase()} (${canvas.width}×${canvas.height}).`));
        if (blob.type !== MIME[format]) return reject(new UiError('unsupported', `This browser writes ${blob.type || 'nothing'} instead of ${MIME[format]}.`));
        blob.arrayBuffer().then((b) => resolve(new Uint8Array(b)), reject);
      },
      MIME[format],
      format === 'png' ? undefined : Math.min(1, Math.max(0.01, quality / 100)),
    );
  });
}

/**
 * Export an ad: the ad canvas draws it at full resolution (ed.ui.renderAd, fonts and images
 * loaded), the browser encodes it, main checks and writes it (exportRendered); browser mode then
 * downloads it like any export. `onPhase` drives the dialog's progress.
 */
export async function exportAd(ed: Editor, choice: ExportChoice, onPhase: (p: AdExportPhase) => void = () => {}): Promise<boolean> {
  let ok = false;
  await ed.attempt('error.exportFailed', async () => {
    const doc = ed.document();
    if (!doc) return;
    const render = ed.ui.renderAd;
    if (!render) throw new UiError('unsupported', 'The ad canvas is not on screen, so the ad cannot be drawn for export.');
    onPhase('rendering');
    const canvas = await render();
    if (canvas.width !== doc.width || canvas.height !== doc.height) {
      throw new UiError('internal', `The ad was drawn at ${canvas.width}×${canvas.height} instead of ${doc.width}×${doc.height}.`);
    }
    onPhase('encoding');
    const bytes = await encodeCanvas(canvas, choice.format, choice.quality);
    onPhase('writing');
    const name = cleanProjectName(choice.name) || doc.title || 'adstudio';
    const written = unwrap(await ed.api.exportRendered({ bytes, format: choice.format, width: doc.width, height: doc.height, name }));
    if (!written) return; // dialog cancelled
    deliver(ed, written, `${name}.${EXTENSIONS[choice.format]}`);
    ed.notify('success', 'export.done', { path: fileNameOf(written.path, name) });
    ok = true;
  });
  return ok;
}
