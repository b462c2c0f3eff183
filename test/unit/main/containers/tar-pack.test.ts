import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packTar } from '../../../../main/core/containers/tar-pack.js';

describe('tar packing of a build context', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('makes an archive GNU tar reads back byte for byte, long paths and modes included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'adstudio-tar-'));
    dirs.push(dir);
    const bin = join(dir, 'run.sh');
    writeFileSync(bin, '#!/bin/sh\necho hi\n', { mode: 0o755 });
    const longDir = `node_modules/${'a'.repeat(60)}/${'b'.repeat(60)}/${'c'.repeat(60)}`;
    const veryLong = `${'d'.repeat(120)}/${'e'.repeat(120)}.txt`; // no prefix/name split fits: needs pax
    const entries = [
      { archivePath: 'run.sh', source: bin },
      { archivePath: `${longDir}/index.js`, source: Buffer.from('module.exports = 1;\n') },
      { archivePath: veryLong, source: Buffer.from('pax') },
      { archivePath: 'empty', source: Buffer.alloc(0) },
    ];
    const chunks: Buffer[] = [];
    for await (const c of packTar(entries)) chunks.push(c as Buffer);
    const tarFile = join(dir, 'ctx.tar');
    writeFileSync(tarFile, Buffer.concat(chunks));
    const listing = execFileSync('tar', ['-tvf', tarFile], { encoding: 'utf8' });
    expect(listing).toMatch(/-rwxr-xr-x .* run\.sh/);
    const out = join(dir, 'out');
    execFileSync('mkdir', [out]);
    execFileSync('tar', ['-xf', tarFile, '-C', out]);
    expect(readFileSync(join(out, longDir, 'index.js'), 'utf8')).toBe('module.exports = 1;\n');
    expect(readFileSync(join(out, veryLong), 'utf8')).toBe('pax');
    expect(readFileSync(join(out, 'run.sh'), 'utf8')).toContain('echo hi');
    expect(readFileSync(join(out, 'empty')).length).toBe(0);
  });
});
