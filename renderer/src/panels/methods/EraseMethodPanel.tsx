import { Check, Download, X } from 'lucide-react';
import { useT } from '../../i18n/i18n-context';
import { isMessageKey, type MessageKey } from '../../i18n/translate';
import { downloadedBytes, formatSize, isChecking, type MethodRow } from './methods-model';
import { useEraseMethods } from './use-erase-methods';
import './methods.css';

/**
 * How Erase fills the masked area: the built-in methods, and LaMa — selectable once its model is
 * installed, with a one-click download (progress, Cancel) when it is not. The choice is the
 * inpaintMethod setting, which Erase and Erase all text use.
 */
export function EraseMethodPanel() {
  const t = useT();
  const { rows, failure, select, download, cancel } = useEraseMethods();
  const selected = rows?.find((r) => r.selected);

  return (
    <section className="panel erase-methods" aria-labelledby="erase-methods-title" data-testid="erase-methods">
      <h3 className="panel-title" id="erase-methods-title">
        {t('methods.title')}
      </h3>
      {!rows ? <p className="panel-note">{t('methods.loading')}</p> : null}
      {rows ? (
        <ul className="method-list" role="radiogroup" aria-labelledby="erase-methods-title">
          {rows.map((row) => (
            <MethodItem key={row.id} row={row} onSelect={select} onDownload={download} onCancel={cancel} />
          ))}
        </ul>
      ) : null}
      {selected && selected.availability !== 'ready' ? (
        <p className="method-warning" data-testid="method-selected-missing">
          {t('methods.selectedMissing', { name: selected.name })}
        </p>
      ) : null}
      {failure ? <p className="method-warning">{t('methods.loadFailed', { message: failure })}</p> : null}
    </section>
  );
}

function MethodItem({ row, onSelect, onDownload, onCancel }: { row: MethodRow; onSelect: (id: string) => void; onDownload: (model: string) => void; onCancel: (model: string) => void }) {
  const t = useT();
  const ready = row.availability === 'ready';
  const descKey = `methods.desc.${row.id}`;
  return (
    <li className={`method-row${row.selected ? ' selected' : ''}${ready ? '' : ' unready'}`} data-testid={`method-${row.id}`} data-availability={row.availability}>
      <label className="method-choice">
        <input
          type="radio"
          name="erase-method"
          value={row.id}
          checked={row.selected}
          disabled={!ready}
          onChange={() => onSelect(row.id)}
          data-testid={`method-radio-${row.id}`}
        />
        <span className="method-text">
          <span className="method-name">
            {row.name}
            {row.isDefault ? <span className="method-tag">{t('methods.default')}</span> : null}
            {row.model && ready ? (
              <span className="method-tag installed" data-testid={`method-installed-${row.id}`}>
                <Check size={11} strokeWidth={3} />
                {t('methods.installed')}
              </span>
            ) : null}
          </span>
          {isMessageKey(descKey) ? <span className="method-desc">{t(descKey as MessageKey)}</span> : null}
        </span>
      </label>
      {row.model && !ready ? <ModelAction row={row} onDownload={onDownload} onCancel={onCancel} /> : null}
      {row.availability === 'unavailable' ? <span className="method-meta">{t('methods.unavailable')}</span> : null}
    </li>
  );
}

/** A method whose model is not installed: download (or resume) it, follow it, cancel it. */
function ModelAction({ row, onDownload, onCancel }: { row: MethodRow; onDownload: (model: string) => void; onCancel: (model: string) => void }) {
  const t = useT();
  const model = row.model!;
  const d = row.download;
  if (d) {
    const pct = Math.round(d.progress * 100);
    const total = formatSize(model.bytes);
    const status =
      d.phase === 'cancelling'
        ? t('methods.cancelling')
        : d.phase === 'starting' || (d.progress === 0 && !d.message)
          ? t('methods.starting')
          : isChecking(d)
            ? t('methods.checking', { pct })
            : t('methods.downloading', { done: formatSize(downloadedBytes(d, model)), total });
    return (
      <div className="method-download" data-testid={`method-download-progress-${row.id}`}>
        <div className="method-download-row">
          <span className="method-download-status" data-testid={`method-download-status-${row.id}`}>
            {status}
          </span>
          <button type="button" className="btn small" disabled={d.phase === 'cancelling'} onClick={() => onCancel(model.id)} data-testid={`method-download-cancel-${row.id}`}>
            <X size={13} />
            {t('methods.cancel')}
          </button>
        </div>
        <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-label={status} data-testid={`method-download-bar-${row.id}`}>
          <div style={{ width: `${pct}%` }} />
        </div>
      </div>
    );
  }
  const left = model.state === 'partial' && model.partialBytes ? model.bytes - model.partialBytes : null;
  const label =
    model.state === 'corrupt'
      ? t('methods.redownload', { size: formatSize(model.bytes) })
      : left !== null
        ? t('methods.resume', { size: formatSize(left) })
        : t('methods.download', { size: formatSize(model.bytes) });
  return (
    <div className="method-download">
      {model.state === 'corrupt' ? <p className="method-warning">{t('methods.corrupt')}</p> : null}
      <button type="button" className="btn small primary" onClick={() => onDownload(model.id)} data-testid={`method-download-${row.id}`}>
        <Download size={13} />
        {label}
      </button>
      <span className="method-meta">
        {t('methods.downloadHint', { licence: model.licence })}
        {model.ramMb ? ` · ${t('methods.footprint', { ram: formatSize(model.ramMb * 1024 * 1024) })}` : ''}
      </span>
    </div>
  );
}
