import { readFile, rename } from 'node:fs/promises';
import { AppError, settingsSchema, type Settings } from '../../../preload/contract/index.js';
import { writeFileAtomic } from '../paths/atomic-write.js';

export function defaultSettings(inpaintMethod: string): Settings {
  return { language: 'system', maskColor: '#ff2d55', maskOpacity: 0.5, autosaveSeconds: 10, inpaintMethod };
}

export type SettingsLog = (message: string) => void;

/**
 * settings.json with defaults. A damaged file never stops the app: it is moved aside to
 * settings.json.bad (so nothing the user had is destroyed) and defaults apply.
 */
export class SettingsStore {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly file: string,
    private current: Settings,
  ) {}

  static async open(file: string, defaults: Settings, log: SettingsLog = console.warn): Promise<SettingsStore> {
    return new SettingsStore(file, await load(file, defaults, log));
  }

  get(): Settings {
    return { ...this.current };
  }

  /** Validate a partial change against the contract schema, merge, write atomically. */
  update(patch: Partial<Settings>): Promise<Settings> {
    // Serialised so two quick updates cannot overwrite each other's write.
    const next = this.queue.then(async () => {
      const checked = settingsSchema.partial().strict().safeParse(patch);
      if (!checked.success) throw new AppError('bad-request', `Invalid settings: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const merged = settingsSchema.parse({ ...this.current, ...stripUndefined(checked.data) });
      await writeFileAtomic(this.file, `${JSON.stringify(merged, null, 2)}\n`, { mkdir: true });
      this.current = merged;
      return this.get();
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}

async function load(file: string, defaults: Settings, log: SettingsLog): Promise<Settings> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') log(`settings: cannot read ${file} (${(e as Error).message}); using defaults`);
    return { ...defaults };
  }
  try {
    const stored: unknown = JSON.parse(text);
    if (!stored || typeof stored !== 'object' || Array.isArray(stored)) throw new Error('not a JSON object');
    // Keys added in later versions fall back to defaults; unknown keys are dropped.
    return settingsSchema.parse({ ...defaults, ...stripUndefined(stored as Record<string, unknown>) });
  } catch (e) {
    const bad = `${file}.bad`;
    await rename(file, bad).catch(() => undefined);
    log(`settings: ${file} is damaged (${(e as Error).message.slice(0, 200)}); kept it as ${bad} and using defaults`);
    return { ...defaults };
  }
}

function stripUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
