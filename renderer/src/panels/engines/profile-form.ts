import type { CustomEngineProfile, CustomEngineProfileInput } from '../../../../preload/contract/engines';
import type { MessageKey, Vars } from '../../i18n/translate';

/**
 * The "Add engine" / "Edit" form of the Engines panel, without React: what the fields hold (text, as
 * typed), turning a stored profile into fields and back, and the checks with messages a person can
 * act on in their language. The main process checks again with the contract's schema; these checks
 * exist so mistakes show next to the field at once.
 */

export const PROTOCOLS = ['adstudio-v1', 'nanococoa', 'generic'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export interface ProfileFormValues {
  name: string;
  title: string;
  image: string;
  protocol: Protocol;
  port: string;
  hostPort: string;
  healthPath: string;
  volumeHost: string;
  volumeContainer: string;
  /** One per line: KEY=VALUE, or KEY alone (passed from the host's environment). */
  env: string;
  gpu: boolean;
  minFreeDiskGb: string;
  healthTimeoutSec: string;
}

export type FieldName = keyof ProfileFormValues;
export interface FieldError {
  key: MessageKey;
  vars?: Vars;
}
export type FieldErrors = Partial<Record<FieldName, FieldError>>;

/** Field order on screen: the first field with an error gets the focus. */
export const FIELD_ORDER: readonly FieldName[] = [
  'name',
  'title',
  'image',
  'protocol',
  'port',
  'hostPort',
  'healthPath',
  'volumeHost',
  'volumeContainer',
  'env',
  'gpu',
  'minFreeDiskGb',
  'healthTimeoutSec',
];

export interface FormContext {
  mode: 'add' | 'edit';
  /** Built-in engines: their names may not be taken, nor their container names. */
  builtins: readonly { name: string; containerName: string }[];
  /** The custom profiles as stored now (the one being edited included). */
  custom: readonly CustomEngineProfile[];
}

export function emptyForm(): ProfileFormValues {
  return {
    name: '',
    title: '',
    image: '',
    protocol: 'adstudio-v1',
    port: '',
    hostPort: '',
    healthPath: '/health',
    volumeHost: '',
    volumeContainer: '',
    env: '',
    gpu: false,
    minFreeDiskGb: '0',
    healthTimeoutSec: '',
  };
}

export function formFromProfile(p: CustomEngineProfile): ProfileFormValues {
  return {
    name: p.name,
    title: p.title ?? '',
    image: p.image,
    protocol: p.protocol,
    port: String(p.port),
    hostPort: p.hostPort !== undefined ? String(p.hostPort) : '',
    healthPath: p.healthPath,
    volumeHost: p.volume?.hostPath ?? '',
    volumeContainer: p.volume?.containerPath ?? '',
    env: [...Object.entries(p.env).map(([k, v]) => `${k}=${v}`), ...p.passEnv].join('\n'),
    gpu: p.gpu,
    minFreeDiskGb: String(p.minFreeDiskGb),
    healthTimeoutSec: p.healthTimeoutSec !== undefined ? String(p.healthTimeoutSec) : '',
  };
}

const NAME = /^[a-z0-9][a-z0-9_.-]{0,62}$/;
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** POSIX "/srv/models", Windows "C:\models" or "\\server\share". */
const ABSOLUTE = /^(\/|[A-Za-z]:[\\/]|\\\\)/;

const err = (key: MessageKey, vars?: Vars): FieldError => (vars ? { key, vars } : { key });

function wholeNumber(text: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(text.trim())) return null;
  const n = Number(text.trim());
  return n >= min && n <= max ? n : null;
}

/** "A=1\nB\n# note" → env {A: "1"}, passEnv [B]; the first bad line is the error. */
export function parseEnvLines(text: string): { env: Record<string, string>; passEnv: string[]; error: FieldError | null } {
  const env: Record<string, string> = {};
  const passEnv: string[] = [];
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const eq = line.indexOf('=');
    // Spaces around the key are a typing slip; spaces in the value are the value.
    const key = (eq < 0 ? line : line.slice(0, eq)).trim();
    if (!ENV_KEY.test(key)) return { env, passEnv, error: err('engines.form.err.env', { line: i + 1 }) };
    if (seen.has(key)) return { env, passEnv, error: err('engines.form.err.envDuplicate', { line: i + 1, key }) };
    seen.add(key);
    if (eq < 0) passEnv.push(key);
    else env[key] = line.slice(eq + 1);
  }
  return { env, passEnv, error: null };
}

/**
 * Checks the fields; with none wrong, the profile to send. On edit, what the form does not show
 * (command, knownNames, network, …) is kept from the stored profile.
 */
export function checkForm(v: ProfileFormValues, ctx: FormContext): { profile: CustomEngineProfileInput | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const name = v.name.trim();
  const original = ctx.mode === 'edit' ? ctx.custom.find((c) => c.name === name) : undefined;

  if (!name) errors.name = err('engines.form.err.required');
  else if (!NAME.test(name)) errors.name = err('engines.form.err.name');
  else if (ctx.builtins.some((b) => b.name === name)) errors.name = err('engines.form.err.nameBuiltin', { name });
  else if (ctx.mode === 'add' && ctx.custom.some((c) => c.name === name)) errors.name = err('engines.form.err.nameTaken', { name });
  else {
    const container = original?.containerName ?? `adstudio-${name}`;
    const other =
      ctx.builtins.find((b) => b.containerName === container) ??
      ctx.custom.find((c) => c.name !== name && ((c.containerName ?? `adstudio-${c.name}`) === container || c.knownNames.includes(container)));
    if (other) errors.name = err('engines.form.err.containerTaken', { container, other: other.name });
  }

  if (v.title.trim().length > 120) errors.title = err('engines.form.err.tooLong');
  const image = v.image.trim();
  if (!image) errors.image = err('engines.form.err.required');
  else if (/\s/.test(image)) errors.image = err('engines.form.err.image');

  const port = wholeNumber(v.port, 1, 65_535);
  if (!v.port.trim()) errors.port = err('engines.form.err.required');
  else if (port === null) errors.port = err('engines.form.err.port');
  const hostPort = v.hostPort.trim() ? wholeNumber(v.hostPort, 1, 65_535) : undefined;
  if (hostPort === null) errors.hostPort = err('engines.form.err.port');

  const healthPath = v.healthPath.trim() || '/health';
  if (!healthPath.startsWith('/')) errors.healthPath = err('engines.form.err.path');

  const volumeHost = v.volumeHost.trim();
  const volumeContainer = v.volumeContainer.trim();
  if (volumeHost && !ABSOLUTE.test(volumeHost)) errors.volumeHost = err('engines.form.err.hostPath');
  if (volumeContainer && !volumeContainer.startsWith('/')) errors.volumeContainer = err('engines.form.err.path');
  else if (volumeHost && !volumeContainer) errors.volumeContainer = err('engines.form.err.volumeBoth');

  const envs = parseEnvLines(v.env);
  if (envs.error) errors.env = envs.error;

  const disk = v.minFreeDiskGb.trim() === '' ? 0 : Number(v.minFreeDiskGb.trim());
  if (!Number.isFinite(disk) || disk < 0) errors.minFreeDiskGb = err('engines.form.err.number');
  const timeout = v.healthTimeoutSec.trim() ? wholeNumber(v.healthTimeoutSec, 5, 86_400) : undefined;
  if (timeout === null) errors.healthTimeoutSec = err('engines.form.err.timeout');

  if (Object.keys(errors).length > 0) return { profile: null, errors };

  // Start from the stored profile so fields the form does not show survive an edit.
  const { title: _t, hostPort: _h, volume: _v, healthTimeoutSec: _x, ...kept } = original ?? ({} as Partial<CustomEngineProfile>);
  const profile: CustomEngineProfileInput = {
    ...kept,
    name,
    image,
    protocol: v.protocol,
    port: port!,
    healthPath,
    env: envs.env,
    passEnv: envs.passEnv,
    gpu: v.gpu,
    minFreeDiskGb: disk,
    ...(v.title.trim() ? { title: v.title.trim() } : {}),
    ...(hostPort !== undefined ? { hostPort: hostPort! } : {}),
    ...(volumeContainer ? { volume: volumeHost ? { hostPath: volumeHost, containerPath: volumeContainer } : { containerPath: volumeContainer } } : {}),
    ...(timeout !== undefined ? { healthTimeoutSec: timeout! } : {}),
  };
  return { profile, errors };
}
