import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../../../preload/contract/index.js';
import { BUILTIN_MODELS, type ModelSpec } from './model-registry.js';

// Names that become folder names in the cache: no separators, no "..".
const token = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" or "-"');
const repoPath = z
  .string()
  .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, 'a relative path inside the repository')
  .refine((p) => !p.split('/').some((s) => s === '.' || s === '..'), 'no "." or ".." segments');
const tensor = z.object({
  name: z.string().min(1),
  dtype: z.literal('float32'),
  shape: z.array(z.number().int().positive()).min(1),
  meaning: z.string(),
  range: z.tuple([z.number(), z.number()]),
});

const modelSpecSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" or "-"'),
  label: z.string().min(1),
  task: z.literal('inpaint'),
  repo: z.object({ org: token, name: token, revision: token }),
  files: z
    .array(z.object({ path: repoPath, sha256: z.string().regex(/^[0-9a-f]{64}$/, '64 lower-case hex digits'), sizeBytes: z.number().int().positive() }))
    .min(1),
  license: z.string().min(1),
  homepage: z.string(),
  footprint: z.object({ ramBytes: z.number().nonnegative(), vramBytes: z.number().nonnegative() }),
  io: z.object({ inputs: z.array(tensor).min(1), outputs: z.array(tensor).min(1) }),
  source: z.string(),
});

const registryFileSchema = z.object({ models: z.array(modelSpecSchema) });

/**
 * The registry in effect: the built-in models, plus the entries of the JSON file named by
 * $ADSTUDIO_MODELS_REGISTRY ({"models": [ModelSpec…]}), which replace a built-in entry of the same id
 * or add new ones — for a mirror with another revision, another export of a model, or tests with a
 * tiny stand-in. Read synchronously: it is a small file, read once per store.
 */
export function loadModelRegistry(env: Record<string, string | undefined> = process.env): readonly ModelSpec[] {
  const file = env.ADSTUDIO_MODELS_REGISTRY;
  if (!file) return BUILTIN_MODELS;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new AppError('bad-request', `ADSTUDIO_MODELS_REGISTRY: cannot read ${file}: ${(e as Error).message}`);
  }
  const parsed = registryFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('bad-request', `ADSTUDIO_MODELS_REGISTRY: ${file} is not a valid model list: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
  }
  const merged = new Map(BUILTIN_MODELS.map((m) => [m.id, m]));
  for (const m of parsed.data.models) merged.set(m.id, m as ModelSpec);
  return [...merged.values()];
}
