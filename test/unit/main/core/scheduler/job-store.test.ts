import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileJobStore } from '../../../../../main/core/scheduler/job-store.js';
import type { JobRecord } from '../../../../../main/core/scheduler/scheduler-types.js';
import { useTempDirs } from '../support/temp-dir.js';

function record(id: string, progress: number): JobRecord {
  return {
    id,
    spec: { title: 't', priority: 'batch', stages: [{ id: 's', kind: 'compose', model: null, inputs: {}, outputs: { image: '/o.png' } }] },
    status: 'running',
    progress,
    etaSeconds: null,
    stages: [{ id: 's', status: 'running', step: 0, totalSteps: 0, attempts: 1, startedAt: 1, finishedAt: null, outputs: {}, madeBy: null, error: null }],
    createdAt: 1,
    startedAt: 1,
    finishedAt: null,
    error: null,
    simulated: false,
  };
}

describe('file job store', () => {
  const tempDir = useTempDirs();

  it('writes a burst of saves in order, ending with the newest, and reads it back', async () => {
    const dir = join(await tempDir(), 'jobs');
    const store = createFileJobStore(dir);
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.save(record('job-a', i / 20))));
    await store.flush();
    const onDisk = JSON.parse(await readFile(join(dir, 'job-a.json'), 'utf8')) as { format: string; record: JobRecord };
    expect(onDisk.format).toBe('adstudio-job/1');
    expect(onDisk.record.progress).toBe(19 / 20);
    expect((await createFileJobStore(dir).load()).records.map((r) => r.progress)).toEqual([19 / 20]);
    // No temp files left behind.
    expect(await readdir(dir)).toEqual(['job-a.json']);
  });

  it('removes a record, refuses ids that are not file names, and skips temp files of a write that died', async () => {
    const dir = join(await tempDir(), 'jobs');
    const store = createFileJobStore(dir);
    await store.save(record('job-b', 0.5));
    await store.remove('job-b');
    await store.remove('job-b');
    expect(await readdir(dir)).toEqual([]);
    await expect(store.save(record('../escape', 0))).rejects.toThrow(/cannot be a file name/);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, '.job-c.json.123.abc.tmp'), '{"half');
    expect((await store.load()).records).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });
});
