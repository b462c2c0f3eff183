import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/paths/atomic-write.js';
import type { StageRunRecord } from './protocol-types.js';
import { RUN_ID } from './protocol-schemas.js';

/**
 * Stage run records on disk (`<workspace>/.adstudio/runs/<id>.json`), so a restarted server still
 * answers GET /v1/stages/{id} for runs that finished before it stopped. Written atomically when a
 * run starts and when it ends (not per step: progress lives in events).
 */
export class RunStore {
  constructor(private readonly dir: string) {}

  async write(run: StageRunRecord): Promise<void> {
    await writeFileAtomic(this.file(run.id), `${JSON.stringify(run, null, 2)}\n`, { mkdir: true });
  }

  async read(id: string): Promise<StageRunRecord | null> {
    if (!RUN_ID.test(id)) return null;
    let text: string;
    try {
      text = await readFile(this.file(id), 'utf8');
    } catch {
      return null;
    }
    try {
      const run = JSON.parse(text) as StageRunRecord;
      return run.id === id ? run : null;
    } catch {
      // A record is written atomically, so this is damage from outside: treat it as unknown.
      return null;
    }
  }

  private file(id: string): string {
    return join(this.dir, `${id}.json`);
  }
}
