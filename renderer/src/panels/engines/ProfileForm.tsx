import { useId, useRef, useState, type InputHTMLAttributes, type ReactNode } from 'react';
import type { AdstudioApi } from '../../../../preload/contract/api';
import type { ResponseOf } from '../../../../preload/contract/channels';
import { Modal } from '../../components/Modal';
import { useT } from '../../i18n/i18n-context';
import { checkForm, emptyForm, FIELD_ORDER, formFromProfile, PROTOCOLS, type FieldErrors, type FieldName, type ProfileFormValues } from './profile-form';

export type EngineSettingsView = ResponseOf<'getEngineSettings'>;
export type ProfileChange = ResponseOf<'saveEngineProfile'>;

interface Props {
  api: AdstudioApi;
  settings: EngineSettingsView;
  /** The custom profile to edit; absent = add a new one. */
  editing?: string;
  onSaved(change: ProfileChange): void;
  onCancel(): void;
}

/**
 * Adding or editing a custom engine profile: each field says what is wrong next to it (and is marked
 * invalid for screen readers); Enter in any field saves; the first wrong field gets the focus.
 */
export function ProfileForm({ api, settings, editing, onSaved, onCancel }: Props) {
  const t = useT();
  const uid = useId();
  const mode = editing ? 'edit' : 'add';
  const original = editing ? settings.customProfiles.find((p) => p.name === editing) : undefined;
  const [values, setValues] = useState<ProfileFormValues>(() => (original ? formFromProfile(original) : emptyForm()));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const formId = `${uid}-form`;

  const set = <K extends FieldName>(field: K, value: ProfileFormValues[K]) => {
    setValues((v) => ({ ...v, [field]: value }));
    setErrors(({ [field]: _fixed, ...rest }) => rest);
  };

  const submit = async () => {
    const checked = checkForm(values, { mode, builtins: settings.builtins, custom: settings.customProfiles });
    setErrors(checked.errors);
    setFailure(null);
    if (!checked.profile) {
      const first = FIELD_ORDER.find((f) => checked.errors[f]);
      if (first) formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
      return;
    }
    setBusy(true);
    const r = await api.saveEngineProfile({ profile: checked.profile, mode });
    setBusy(false);
    if (r.ok) onSaved(r.value);
    else setFailure(r.error.message);
  };

  const field = (name: FieldName, label: string, input: (a: InputA11y) => ReactNode, hint?: string) => {
    const e = errors[name];
    const errId = `${uid}-${name}-err`;
    const hintId = `${uid}-${name}-hint`;
    const describedBy = [e ? errId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
    return (
      <div className="field" data-testid={`engine-form-field-${name}`}>
        <label className="field-label" htmlFor={`${uid}-${name}`}>
          {label}
        </label>
        {input({ id: `${uid}-${name}`, name, 'aria-invalid': e ? true : undefined, 'aria-describedby': describedBy, 'data-testid': `engine-form-${name}` })}
        {hint ? (
          <span className="field-hint" id={hintId}>
            {hint}
          </span>
        ) : null}
        {e ? (
          <span className="engine-field-error" id={errId} data-testid={`engine-form-error-${name}`}>
            {t(e.key, e.vars)}
          </span>
        ) : null}
      </div>
    );
  };
  const text =
    (name: Exclude<FieldName, 'gpu' | 'protocol'>, extra: InputHTMLAttributes<HTMLInputElement> & { 'data-autofocus'?: boolean } = {}) =>
    (a: InputA11y) => <input className="text-input" value={values[name]} onChange={(ev) => set(name, ev.target.value)} autoComplete="off" spellCheck={false} {...extra} {...a} />;
  // The Modal focuses [data-autofocus]: the name when adding, the display name when editing (the name is fixed).
  const focusIf = (yes: boolean) => (yes ? { 'data-autofocus': true } : {});

  return (
    <Modal
      title={original ? t('engines.form.titleEdit', { name: original.title ?? original.name }) : t('engines.form.titleAdd')}
      onClose={onCancel}
      wide
      testId="engine-profile-form"
      footer={
        <>
          <button type="button" className="btn" onClick={onCancel} data-testid="engine-form-cancel">
            {t('engines.form.cancel')}
          </button>
          <button type="submit" form={formId} className="btn primary" disabled={busy} data-testid="engine-form-submit">
            {busy ? t('engines.form.saving') : original ? t('engines.form.save') : t('engines.form.add')}
          </button>
        </>
      }
    >
      {/* Enter in a text field submits through the footer's submit button (its form attribute names this form). */}
      <form
        id={formId}
        ref={formRef}
        className="engine-form"
        noValidate
        onSubmit={(ev) => {
          ev.preventDefault();
          void submit();
        }}
      >
        <p className="engine-dim">{t('engines.form.intro', { file: settings.file })}</p>
        <div className="engine-form-grid">
          {field('name', t('engines.form.name'), text('name', { disabled: mode === 'edit', maxLength: 63, ...focusIf(mode === 'add') }), t('engines.form.nameHint'))}
          {field('title', t('engines.form.displayTitle'), text('title', { maxLength: 200, ...focusIf(mode === 'edit') }))}
          {field('image', t('engines.form.image'), text('image'), t('engines.form.imageHint'))}
          {field('protocol', t('engines.form.protocol'), (a) => (
            <select className="select" value={values.protocol} onChange={(ev) => set('protocol', ev.target.value as ProfileFormValues['protocol'])} {...a}>
              {PROTOCOLS.map((p) => (
                <option key={p} value={p}>
                  {t(`engines.form.protocol.${p}`)}
                </option>
              ))}
            </select>
          ))}
          {field('port', t('engines.form.port'), text('port', { inputMode: 'numeric' }))}
          {field('hostPort', t('engines.form.hostPort'), text('hostPort', { inputMode: 'numeric' }), t('engines.form.hostPortHint'))}
          {field('healthPath', t('engines.form.healthPath'), text('healthPath'))}
          {field('healthTimeoutSec', t('engines.form.healthTimeout'), text('healthTimeoutSec', { inputMode: 'numeric' }), t('engines.form.healthTimeoutHint'))}
          {field('volumeHost', t('engines.form.volumeHost'), text('volumeHost'), t('engines.form.volumeHostHint'))}
          {field('volumeContainer', t('engines.form.volumeContainer'), text('volumeContainer'))}
          {field('minFreeDiskGb', t('engines.form.minFreeDisk'), text('minFreeDiskGb', { inputMode: 'decimal' }))}
          {field('gpu', t('engines.form.gpu'), (a) => (
            <input type="checkbox" className="engine-form-check" checked={values.gpu} onChange={(ev) => set('gpu', ev.target.checked)} {...a} />
          ))}
        </div>
        {field(
          'env',
          t('engines.form.env'),
          (a) => (
            <textarea
              className="text-input engine-form-env"
              rows={4}
              value={values.env}
              onChange={(ev) => set('env', ev.target.value)}
              spellCheck={false}
              autoComplete="off"
              placeholder={'HF_HOME=/models\nHF_TOKEN'}
              {...a}
            />
          ),
          t('engines.form.envHint'),
        )}
        {Object.keys(errors).length > 0 ? (
          <p className="engine-field-error" role="alert">
            {t('engines.form.fixErrors')}
          </p>
        ) : null}
        {failure ? (
          <p className="engine-error" role="alert" data-testid="engine-form-failure">
            {t('engines.form.failed', { message: failure })}
          </p>
        ) : null}
      </form>
    </Modal>
  );
}

interface InputA11y {
  id: string;
  name: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
  'data-testid': string;
}
