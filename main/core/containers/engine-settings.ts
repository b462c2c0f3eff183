import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../preload/contract/index.js';
import { writeFileAtomic } from '../paths/atomic-write.js';

/**
 * Engine container settings live in their own file, <data dir>/engines.json, next to settings.json:
 * the editor's settings schema (the IPC contract) stays small, and a person can edit this one by hand
 * (custom profiles, ports, the model folder). Secrets do not belong here: profiles name host
 * environment variables to pass instead (passEnv).
 */

const name = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, 'lowercase letters, digits, "-", "_" or "." (max 63)');
const port = z.number().int().min(1).max(65_535);
const network = z.enum(['auto', 'publish', 'host']);
const envRecord = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string());
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/);

const profileOverrideSchema = z
  .object({
    image: z.string().min(1).optional(),
    hostPort: port.optional(),
    containerPort: port.optional(),
    containerName: name.optional(),
    network: network.optional(),
    env: envRecord.optional(),
    passEnv: z.array(envName).optional(),
    healthTimeoutSec: z.number().int().min(5).max(86_400).optional(),
    volumeHostPath: z.string().min(1).optional(),
    minFreeDiskGb: z.number().min(0).optional(),
    gpu: z.boolean().optional(),
  })
  .strict();

const customProfileSchema = z
  .object({
    name,
    title: z.string().max(120).optional(),
    image: z.string().min(1),
    protocol: z.enum(['adstudio-v1', 'nanococoa', 'generic']).default('adstudio-v1'),
    port,
    hostPort: port.optional(),
    healthPath: z.string().startsWith('/').default('/health'),
    network: network.optional(),
    containerName: name.optional(),
    knownNames: z.array(name).default([]),
    volume: z.object({ hostPath: z.string().min(1).optional(), containerPath: z.string().startsWith('/') }).strict().optional(),
    env: envRecord.default({}),
    passEnv: z.array(envName).default([]),
    gpu: z.boolean().default(false),
    minFreeDiskGb: z.number().min(0).default(0),
    minVramGb: z.number().min(0).default(0),
    healthTimeoutSec: z.number().int().min(5).max(86_400).optional(),
    stopTimeoutSec: z.number().int().min(1).max(600).default(30),
    command: z.array(z.string()).optional(),
  })
  .strict();

export const engineSettingsSchema = z
  .object({
    /** Host folder of the model cache; default /opt/huggingface on Linux, ~/.cache/huggingface elsewhere. */
    modelVolumeHostPath: z.string().min(1).optional(),
    /** When the app quits: leave engines running (the default: long downloads survive) or stop them. */
    onQuit: z.enum(['leave-running', 'stop']).default('leave-running'),
    network: network.default('auto'),
    /** Overrides every profile's health timeout. */
    healthTimeoutSec: z.number().int().min(5).max(86_400).optional(),
    /** Base image for building adstudio-engine (Dockerfile ARG BASE_IMAGE). */
    baseImage: z.string().min(1).optional(),
    profiles: z.record(z.string(), profileOverrideSchema).default({}),
    customProfiles: z.array(customProfileSchema).default([]),
  })
  .strict();

export type EngineSettings = z.infer<typeof engineSettingsSchema>;
export type ProfileOverride = z.infer<typeof profileOverrideSchema>;
export type CustomProfile = z.infer<typeof customProfileSchema>;
export type EngineSettingsInput = z.input<typeof engineSettingsSchema>;

export function defaultEngineSettings(): EngineSettings {
  return engineSettingsSchema.parse({});
}

export function engineSettingsFile(dataDir: string): string {
  return join(dataDir, 'engines.json');
}

export function parseEngineSettings(input: unknown, where = 'engine settings'): EngineSettings {
  const parsed = engineSettingsSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
    throw new AppError('bad-request', `Invalid ${where}: ${issues}`);
  }
  return parsed.data;
}

/**
 * Reads engines.json. Missing = defaults. A damaged file is moved aside to engines.json.bad (nothing
 * the person wrote is destroyed) and defaults apply, with a note through `log`.
 */
export async function loadEngineSettings(file: string, log: (message: string) => void = () => {}): Promise<EngineSettings> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') log(`engines: cannot read ${file} (${(e as Error).message}); using defaults`);
    return defaultEngineSettings();
  }
  try {
    return parseEngineSettings(JSON.parse(text), file);
  } catch (e) {
    const bad = `${file}.bad`;
    await rename(file, bad).catch(() => undefined);
    log(`engines: ${file} is damaged (${(e as Error).message.slice(0, 300)}); kept it as ${bad} and using defaults`);
    return defaultEngineSettings();
  }
}

export async function saveEngineSettings(file: string, settings: EngineSettingsInput): Promise<EngineSettings> {
  const checked = parseEngineSettings(settings);
  await writeFileAtomic(file, `${JSON.stringify(checked, null, 2)}\n`, { mkdir: true });
  return checked;
}
