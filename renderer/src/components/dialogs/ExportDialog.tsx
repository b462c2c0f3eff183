import { Download } from 'lucide-react';
import { useState } from 'react';
import { EXPORT_FORMATS, type ExportFormat } from '../../../../preload/contract/limits';
import { useEditor } from '../../app/editor-context';
import { exportAd, type AdExportPhase } from '../../editor/ad/ad-flow-export';
import { exportImage } from '../../editor/export-io';
import { isAdDocument } from '../../document/ad-records';
import { useT } from '../../i18n/i18n-context';
import type { MessageKey } from '../../i18n/translate';
import { Modal } from '../Modal';
import { Slider } from '../Slider';

const FORMAT_LABEL: Record<ExportFormat, MessageKey> = { png: 'export.formatPng', jpeg: 'export.formatJpeg', webp: 'export.formatWebp' };
const AD_PHASE: Record<AdExportPhase, MessageKey> = { rendering: 'ad.export.rendering', encoding: 'ad.export.encoding', writing: 'ad.export.writing' };

/** Format, quality (JPEG/WebP) and name; written at full resolution by the host. */
export function ExportDialog({ onClose }: { onClose: () => void }) {
  const ed = useEditor();
  const t = useT();
  const doc = ed.document();
  const [format, setFormat] = useState<ExportFormat>('png');
  const [quality, setQuality] = useState(90);
  const [name, setName] = useState(ed.displayName() || doc?.title || 'adstudio');
  const [busy, setBusy] = useState(false);
  const [phase, setPhase] = useState<AdExportPhase | null>(null);
  // An ad is drawn by the ad canvas in the page (fonts, effects) and written by the host; a photo is flattened by the host.
  const isAd = isAdDocument(doc);

  const submit = async () => {
    setBusy(true);
    const choice = { format, quality, name };
    const ok = isAd ? await exportAd(ed, choice, setPhase) : await exportImage(ed, choice);
    setBusy(false);
    setPhase(null);
    if (ok) onClose();
  };

  return (
    <Modal
      title={t('export.title')}
      onClose={onClose}
      testId="export-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {t('dialog.cancel')}
          </button>
          <button type="button" className="btn primary" disabled={busy} onClick={() => void submit()} data-testid="export-confirm">
            {busy ? <span className="spinner" /> : <Download size={15} />}
            {t('export.confirm')}
          </button>
        </>
      }
    >
      <label className="field">
        <span className="field-label">{t('export.format')}</span>
        <select className="select" value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)} data-testid="export-format">
          {EXPORT_FORMATS.map((f) => (
            <option key={f} value={f}>
              {t(FORMAT_LABEL[f])}
            </option>
          ))}
        </select>
      </label>
      {format === 'png' ? (
        <p className="field-hint">{t('export.qualityHint')}</p>
      ) : (
        <Slider label={t('export.quality')} value={quality} min={1} max={100} onChange={setQuality} testId="export-quality" />
      )}
      {ed.platform.mode === 'browser' ? (
        <label className="field">
          <span className="field-label">{t('export.name')}</span>
          <input
            className="text-input"
            value={name}
            maxLength={120}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && void submit()}
            data-testid="export-name"
          />
        </label>
      ) : null}
      {doc ? <p data-testid="export-size">{t('export.size', { w: doc.width, h: doc.height })}</p> : null}
      {phase ? (
        <p className="field-hint" role="status" data-testid="export-phase">
          <span className="spinner" /> {t(AD_PHASE[phase])}
        </p>
      ) : null}
    </Modal>
  );
}
