import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import {
  AppError,
  customEngineProfileSchema,
  engineEnvNameSchema,
  engineEnvSchema,
  engineNetworkSchema,
  enginePortSchema,
  engineProfileNameSchema,
} from '../../../preload/contract/index.js';
import { writeFileAtomic } from '../paths/atomic-write.js';

/**
 * Engine container settings live in their own file, <data dir>/engines.json, next to settings.json:
 * the editor's settings schema (the IPC contract) stays small, and a person can edit this one by hand
 * (custom profiles, ports, the model folder). Secrets do not belong here: profiles name host
 * environment variables to pass instead (passEnv).
 */

const name = engineProfileNameSchema;
const port = enginePortSchema;
const network = engineNetworkSchema;
const envRecord = engineEnvSchema;
const envName = engineEnvNameSchema;

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

/** Custom profiles: the contract's schema, so the Engines panel's form is checked exactly like the file. */
const customProfileSchema = customEngineProfileSchema;

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
