import { appendFileSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineLogs } from '../../../../main/core/containers/engine-logs.js';
import { readLastLines } from '../../../../main/core/containers/log-tail.js';
import { RotatingLog } from '../../../../main/core/containers/rotating-log.js';
import { FakeContainerRuntime } from './fake-runtime.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'adstudio-logtail-'));
  dirs.push(d);
  return d;
}
const numbered = (from: number, to: number, prefix = 'line') => Array.from({ length: to - from }, (_, i) => `${prefix} ${from + i}`);
/** A line as EngineLogs writes it. */
const written = (at: number, stream: 'stdout' | 'stderr', text: string) => `${new Date(at).toISOString()} ${stream} ${text}\n`;

describe('reading the last lines of rotated log files from the end', () => {
  it('takes the newest lines of the current file, then continues into engine.log.1, .2 in order', async () => {
    const d = tmp();
    const f = join(d, 'engine.log');
    writeFileSync(`${f}.2`, `${numbered(0, 100).join('\n')}\n`);
    writeFileSync(`${f}.1`, `${numbered(100, 200).join('\n')}\n`);
    writeFileSync(f, `${numbered(200, 250).join('\n')}\n`);
    const files = [f, `${f}.1`, `${f}.2`, `${f}.3`];

    expect(await readLastLines(files, 10)).toEqual({ lines: numbered(240, 250), more: true });
    // Across the rotation: 50 from the current file, 70 from .1 — oldest first.
    expect(await readLastLines(files, 120)).toEqual({ lines: numbered(130, 250), more: true });
    // Exactly everything: nothing older; more than everything: the same, still nothing older.
    expect(await readLastLines(files, 250)).toEqual({ lines: numbered(0, 250), more: false });
    expect(await readLastLines(files, 5000)).toEqual({ lines: numbered(0, 250), more: false });
    // All of the current file and nothing else asked: the rotated files are "more".
    expect(await readLastLines(files, 50)).toEqual({ lines: numbered(200, 250), more: true });
  });

  it('reads only the end: the last lines of a 2 GB file (sparse) come back at once, none of its zeros', async () => {
    const d = tmp();
    const f = join(d, 'engine.log');
    writeFileSync(f, '');
    truncateSync(f, 2 * 1024 ** 3);
    appendFileSync(f, `\n${numbered(0, 30).join('\n')}\n`);
    const started = performance.now();
    const r = await readLastLines([f], 20);
    expect(performance.now() - started).toBeLessThan(500);
    expect(r).toEqual({ lines: numbered(10, 30), more: true });
  });

  it('keeps multi-byte text whole when chunks cut through it, drops CR of CRLF, keeps a last line without newline', async () => {
    const d = tmp();
    const f = join(d, 'engine.log');
    writeFileSync(f, '모델 다운로드 10%\r\n모델 다운로드 20%\n\n준비 완료');
    // 5-byte chunks split every Korean character's 3 bytes somewhere.
    expect(await readLastLines([f], 10, { chunkBytes: 5 })).toEqual({ lines: ['모델 다운로드 10%', '모델 다운로드 20%', '', '준비 완료'], more: false });
  });

  it('bounds a runaway line with no newline to its last bytes', async () => {
    const d = tmp();
    const f = join(d, 'engine.log');
    writeFileSync(f, `${'x'.repeat(300_000)}END\nafter\n`);
    const r = await readLastLines([f], 5, { chunkBytes: 4096, maxLineBytes: 1000 });
    expect(r.lines[1]).toBe('after');
    expect(r.lines[0]!.length).toBeLessThanOrEqual(1000);
    expect(r.lines[0]!.endsWith('END')).toBe(true);
  });

  it('missing files are nothing to read', async () => {
    const d = tmp();
    expect(await readLastLines([join(d, 'nope.log'), join(d, 'nope.log.1')], 10)).toEqual({ lines: [], more: false });
  });

  it("RotatingLog.tail sees every line written before it, even while the file rotates under the writes", async () => {
    const d = tmp();
    const log = new RotatingLog(join(d, 'logs', 'engine.log'), { maxBytes: 400, keep: 3 });
    const all = numbered(0, 60, 'entry');
    for (const l of all) log.write(l);
    const tail = log.tail(40); // queued behind the writes: no await between
    expect(await tail).toEqual({ lines: all.slice(-40), more: true });
  });
});

describe('EngineLogs.tail: the full log viewer reads the files, not the 500 lines in memory', () => {
  const rt = new FakeContainerRuntime();

  it('returns 2000 lines when memory keeps only 500, spanning the rotated file', async () => {
    const d = tmp();
    const logs = new EngineLogs(rt, join(d, 'logs'), 500);
    // A previous session's rotated file, then this session's lines.
    mkdirSync(join(d, 'logs'));
    const t0 = Date.parse('2025-01-02T03:04:05.000Z');
    writeFileSync(join(d, 'logs', 'engine-demo.log.1'), numbered(0, 1000, 'old').map((l, i) => written(t0 + i, 'stdout', l)).join(''));
    for (const l of numbered(0, 1500, 'new')) logs.add('demo', 'stdout', l);
    expect(logs.lines('demo', 5000)).toHaveLength(500);

    const r = await logs.tail('demo', 2000);
    expect(r.lines).toHaveLength(2000);
    expect(r.more).toBe(true);
    expect(r.lines[0]).toMatchObject({ profile: 'demo', stream: 'stdout', text: 'old 500', at: t0 + 500 });
    expect(r.lines.at(-1)).toMatchObject({ text: 'new 1499' });
    expect((await logs.tail('demo', 3000)).more).toBe(false);
    await logs.close();
  });

  it("keeps each line's stream and time as written, and a note's second line with its first", async () => {
    const d = tmp();
    mkdirSync(join(d, 'logs'));
    const t = Date.parse('2025-05-06T07:08:09.123Z');
    writeFileSync(join(d, 'logs', 'engine-demo.log'), written(t, 'stderr', '[adstudio] cannot start:') + 'second line of the note\n' + written(t + 5, 'stdout', 'ready'));
    const logs = new EngineLogs(rt, join(d, 'logs'));
    expect((await logs.tail('demo', 10)).lines).toEqual([
      { profile: 'demo', stream: 'stderr', text: '[adstudio] cannot start:', at: t },
      { profile: 'demo', stream: 'stderr', text: 'second line of the note', at: t },
      { profile: 'demo', stream: 'stdout', text: 'ready', at: t + 5 },
    ]);
  });

  it('replayed history the file lacks (an adopted container, a fresh data folder) is shown; history the file has is not doubled', async () => {
    const d = tmp();
    const logs = new EngineLogs(rt, join(d, 'logs'));
    logs.add('demo', 'stdout', 'served request 1'); // written
    logs.add('demo', 'stdout', 'served request 1', true); // replayed again by a new follow: already on disk
    logs.add('demo', 'stdout', 'model loaded', true); // replayed from before this data folder existed
    const r = await logs.tail('demo', 10);
    expect(r.lines.map((l) => l.text)).toEqual(['served request 1', 'model loaded']);
    await logs.close();
  });

  it('without a file yet, the lines in memory', async () => {
    const d = tmp();
    const logs = new EngineLogs(rt, join(d, 'logs'));
    logs.add('demo', 'stdout', 'only replayed', true);
    expect((await logs.tail('demo', 10)).lines.map((l) => l.text)).toEqual(['only replayed']);
  });
});
