import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DockerLogDemuxer } from '../../../../main/adapters/docker-log-demux.js';
import { LineSplitter } from '../../../../main/core/containers/line-splitter.js';
import { RotatingLog } from '../../../../main/core/containers/rotating-log.js';

function frame(kind: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const h = Buffer.alloc(8);
  h[0] = kind;
  h.writeUInt32BE(payload.length, 4);
  return Buffer.concat([h, payload]);
}

describe('docker log demultiplexing', () => {
  it('separates stdout and stderr even when frames are split and merged across chunks', () => {
    const got: string[] = [];
    const d = new DockerLogDemuxer((k, p) => got.push(`${k}:${p.toString()}`));
    const all = Buffer.concat([frame(1, 'hello\n'), frame(2, 'oops\n'), frame(1, '한글 로그\n')]);
    // Worst case: one byte at a time.
    for (let i = 0; i < all.length; i++) d.push(all.subarray(i, i + 1));
    expect(got).toEqual(['stdout:hello\n', 'stderr:oops\n', 'stdout:한글 로그\n']);
    expect(d.pending).toBe(0);
  });
});

describe('line splitting', () => {
  it('joins lines split across chunks, splits \\r progress, keeps multibyte characters whole', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l));
    const bytes = Buffer.from('모델 다운로드 10%\r모델 다운로드 20%\nready');
    s.push(bytes.subarray(0, 4)); // cuts "다" in the middle of its UTF-8 bytes
    s.push(bytes.subarray(4));
    expect(lines).toEqual(['모델 다운로드 10%', '모델 다운로드 20%']);
    s.end();
    expect(lines.at(-1)).toBe('ready');
  });

  it('cuts runaway lines so memory stays bounded', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l), 10);
    s.push('x'.repeat(25));
    expect(lines).toEqual(['x'.repeat(10), 'x'.repeat(10)]);
  });
});

describe('rotating log file', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('rotates by size and keeps only the newest files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'adstudio-log-'));
    dirs.push(dir);
    const log = new RotatingLog(join(dir, 'logs', 'engine.log'), { maxBytes: 100, keep: 2 });
    for (let i = 0; i < 20; i++) log.write(`line ${String(i).padStart(2, '0')} ${'.'.repeat(20)}`);
    await log.flush();
    expect(readdirSync(join(dir, 'logs')).sort()).toEqual(['engine.log', 'engine.log.1', 'engine.log.2']);
    const current = readFileSync(join(dir, 'logs', 'engine.log'), 'utf8');
    expect(current).toContain('line 19');
    expect(current.length).toBeLessThanOrEqual(100);
    expect(readFileSync(join(dir, 'logs', 'engine.log.2'), 'utf8')).not.toContain('line 00');
  });
});
