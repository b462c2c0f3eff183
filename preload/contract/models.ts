import { z } from 'zod';

/**
 * Downloadable models as the editor sees them (listModels, startModelDownload): what the model
 * manager (main/core/models) knows, without file paths or checksums the renderer has no use for.
 */
export const modelIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'a model id: lower-case letters, digits, ".", "_" or "-"');

export const modelInfoSchema = z.object({
  id: modelIdSchema,
  title: z.string().max(200),
  licence: z.string().max(200),
  /** Download size of all its files. */
  bytes: z.number().int().nonnegative(),
  installed: z.boolean(),
  /** installed · missing · partial (a download stopped; starting again resumes it) · corrupt (there but wrong: download again). */
  state: z.enum(['installed', 'missing', 'partial', 'corrupt']),
  /** Bytes of a stopped download kept for a resume (state 'partial'). */
  partialBytes: z.number().int().nonnegative().optional(),
  /** Declared resident footprint, when known. */
  ramMb: z.number().nonnegative().optional(),
  vramMb: z.number().nonnegative().optional(),
  /** The running download's job (a page that reloads mid-download follows it by this id). */
  downloadJobId: z.string().max(64).optional(),
});
export type ModelInfoPayload = z.infer<typeof modelInfoSchema>;

export const modelDownloadRequestSchema = z.object({ id: modelIdSchema });
