import { readFile } from 'node:fs/promises';
import {
  AppError,
  customEngineProfileSchema,
  type CustomEngineProfile,
  type CustomEngineProfileInput,
  type EngineOnQuit,
  type EngineSettingsViewPayload,
} from '../../../preload/contract/index.js';
import type { EngineProfileSettingsPort, ProfileChange } from '../engines/engines-port.js';
import { writeFileAtomic } from '../paths/atomic-write.js';
import type { ReloadReport } from './container-manager.js';
import { type EngineSettings, parseEngineSettings } from './engine-settings.js';
import { builtinProfiles, type EngineProfile, type ProfileContext, resolveProfiles } from './profiles.js';

export interface EngineProfileStoreOptions {
  /** <data dir>/engines.json */
  file: string;
  /** The same context the manager's profiles were resolved with. */
  context: ProfileContext;
  /** Gets the profiles after every write, and onQuit when it changes (the ContainerManager). */
  target: { reloadProfiles(profiles: readonly EngineProfile[]): ReloadReport; setOnQuit(onQuit: EngineOnQuit): void };
  log?: (message: string) => void;
}

type RawSettings = Record<string, unknown>;

/** Fields written even when they hold the default: a person reading the file wants to see them. */
const ALWAYS_WRITTEN = new Set(['name', 'title', 'image', 'protocol', 'port', 'healthPath']);
const DEFAULTS: Record<string, unknown> = customEngineProfileSchema.parse({ name: 'x', image: 'x', port: 1 });

/**
 * The custom profiles of engines.json, changed from the Engines panel: each change re-reads the file
 * (a person may have edited it by hand meanwhile), replaces only the `customProfiles` list (every other
 * key stays as written), checks the whole result, writes it atomically and hands the new profiles to
 * the manager. Changes run one at a time. Environment values never reach the log, only their names.
 */
export class EngineProfileStore implements EngineProfileSettingsPort {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: EngineProfileStoreOptions) {}

  async read(): Promise<EngineSettingsViewPayload> {
    return this.view((await this.load()).settings);
  }

  save(input: CustomEngineProfileInput, mode: 'add' | 'edit'): Promise<ProfileChange> {
    return this.serial(async () => {
      const profile = parseProfile(input);
      const { raw, settings } = await this.load();
      const builtin = builtinProfiles(settings, this.o.context).find((b) => b.name === profile.name);
      if (builtin) throw new AppError('bad-request', `"${profile.name}" is the name of a built-in engine (${builtin.title}); choose another name for yours.`);
      const list = customList(raw);
      const at = list.findIndex((c) => c.name === profile.name);
      if (mode === 'add' && at >= 0) throw new AppError('bad-request', `An engine named "${profile.name}" already exists; choose another name, or edit that one.`);
      if (mode === 'edit' && at < 0) throw new AppError('not-found', `There is no custom engine "${profile.name}" to change; it may have been deleted meanwhile (${this.o.file}).`);
      const stored = withoutDefaults(profile);
      const next = mode === 'add' ? [...list, stored] : list.map((c, i) => (i === at ? stored : c));
      const { settings: saved, report } = await this.write(raw, next, profile.name);
      const envNames = Object.keys(profile.env);
      this.o.log?.(
        `engines: ${mode === 'add' ? 'added' : 'changed'} the custom engine "${profile.name}" (image ${profile.image}, port ${profile.hostPort ?? profile.port}` +
          `${envNames.length ? `, env ${envNames.join(', ')}` : ''}) in ${this.o.file}`,
      );
      return { settings: this.view(saved), profile: profile.name, keptRunning: null, restartToApply: report.restartToApply.includes(profile.name) };
    });
  }

  remove(name: string): Promise<ProfileChange> {
    return this.serial(async () => {
      const { raw, settings } = await this.load();
      if (builtinProfiles(settings, this.o.context).some((b) => b.name === name)) {
        throw new AppError('bad-request', `"${name}" is a built-in engine and cannot be deleted. Its image, port and folders can be changed under "profiles" in ${this.o.file}.`);
      }
      const list = customList(raw);
      if (!list.some((c) => c.name === name)) throw new AppError('not-found', `There is no custom engine "${name}" to delete (${this.o.file}).`);
      const { settings: saved, report } = await this.write(raw, list.filter((c) => c.name !== name), null);
      const kept = report.keptRunning.find((k) => k.profile === name)?.container ?? null;
      this.o.log?.(`engines: deleted the custom engine "${name}" from ${this.o.file}${kept ? `; its container ${kept} keeps running` : ''}`);
      return { settings: this.view(saved), profile: name, keptRunning: kept, restartToApply: false };
    });
  }

  /**
   * What happens to the engines adstudio started when it quits. Same rules as a profile change: the
   * file is re-read, only `onQuit` changes, a damaged file is refused; the manager uses it at once.
   */
  setOnQuit(onQuit: EngineOnQuit): Promise<EngineSettingsViewPayload> {
    return this.serial(async () => {
      const { raw } = await this.load();
      const next: RawSettings = { ...raw, onQuit };
      const settings = parseEngineSettings(next, this.o.file);
      await writeFileAtomic(this.o.file, `${JSON.stringify(next, null, 2)}\n`, { mkdir: true });
      this.o.target.setOnQuit(settings.onQuit);
      this.o.log?.(`engines: when adstudio quits, engines it started are ${onQuit === 'stop' ? 'stopped' : 'left running'} (onQuit "${onQuit}" in ${this.o.file})`);
      return this.view(settings);
    });
  }

  /** The file as written (to change) and as understood (to check). A damaged file is never overwritten. */
  private async load(): Promise<{ raw: RawSettings; settings: EngineSettings }> {
    let text: string;
    try {
      text = await readFile(this.o.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { raw: {}, settings: parseEngineSettings({}) };
      throw new AppError('io', `Cannot read ${this.o.file}: ${(e as Error).message}`);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new AppError('bad-request', `${this.o.file} is not valid JSON (${(e as Error).message}); fix it or move it aside, then try again. Nothing was changed.`);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new AppError('bad-request', `${this.o.file} does not hold a settings object; fix it or move it aside, then try again. Nothing was changed.`);
    }
    let settings: EngineSettings;
    try {
      settings = parseEngineSettings(raw, this.o.file);
    } catch (e) {
      throw new AppError('bad-request', `${(e as Error).message}. Fix the file or move it aside, then try again; nothing was changed.`);
    }
    return { raw: raw as RawSettings, settings };
  }

  /** Checks the whole new file (schema, names, container names), writes it, reloads the manager. */
  private async write(raw: RawSettings, customProfiles: RawSettings[], changed: string | null): Promise<{ settings: EngineSettings; report: ReloadReport }> {
    const next: RawSettings = { ...raw, customProfiles };
    const settings = parseEngineSettings(next, this.o.file);
    const profiles = resolveProfiles(settings, this.o.context);
    if (changed) assertOwnContainerName(profiles, changed);
    await writeFileAtomic(this.o.file, `${JSON.stringify(next, null, 2)}\n`, { mkdir: true });
    const report = this.o.target.reloadProfiles(profiles);
    // The file was read afresh: a hand edit of onQuit counts from now on too.
    this.o.target.setOnQuit(settings.onQuit);
    return { settings, report };
  }

  private view(settings: EngineSettings): EngineSettingsViewPayload {
    return {
      file: this.o.file,
      builtins: builtinProfiles(settings, this.o.context).map((b) => ({ name: b.name, title: b.title, containerName: b.containerName })),
      customProfiles: settings.customProfiles,
      onQuit: settings.onQuit,
    };
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function parseProfile(input: CustomEngineProfileInput): CustomEngineProfile {
  const parsed = customEngineProfileSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  // Field and rule only: an env value may be a secret, and it never appears in a zod message anyway.
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'profile'}: ${i.message}`).join('; ');
  throw new AppError('bad-request', `The engine profile is not valid: ${issues}`);
}

function customList(raw: RawSettings): RawSettings[] {
  const list = raw.customProfiles;
  return Array.isArray(list) ? (list as RawSettings[]) : [];
}

/** Two profiles on one container name would adopt each other's container. */
function assertOwnContainerName(profiles: readonly EngineProfile[], name: string): void {
  const mine = profiles.find((p) => p.name === name);
  if (!mine) return;
  const other = profiles.find((p) => p.name !== name && (p.containerName === mine.containerName || p.knownNames.includes(mine.containerName)));
  if (other) {
    throw new AppError(
      'bad-request',
      `The engine "${name}" would run as the container "${mine.containerName}", which the "${other.name}" engine uses; choose another name (or set containerName in the file).`,
    );
  }
}

/** The profile as a person would write it: defaults left out, except the fields that say what it is. */
function withoutDefaults(profile: CustomEngineProfile): RawSettings {
  const out: RawSettings = {};
  for (const [key, value] of Object.entries(profile)) {
    if (value === undefined) continue;
    if (!ALWAYS_WRITTEN.has(key) && key in DEFAULTS && JSON.stringify(DEFAULTS[key]) === JSON.stringify(value)) continue;
    out[key] = value;
  }
  return out;
}
