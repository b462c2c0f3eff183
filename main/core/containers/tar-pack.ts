import { readFile, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';

export interface TarEntry {
  /** Path inside the archive, "/"-separated, relative. */
  archivePath: string;
  /** File on disk to read, or the bytes themselves. */
  source: string | Uint8Array;
  /** Default: the file's mode (0o644 for bytes). */
  mode?: number;
}

const BLOCK = 512;
/** A fixed mtime keeps the archive (and Docker's layer cache) independent of when files were touched. */
const MTIME = 1;

/**
 * A POSIX (ustar + pax for long names) tar of regular files, streamed one file at a time. Enough for a
 * Docker build context: we choose exactly which files go in and under which names, instead of
 * sending the whole working tree.
 */
export function packTar(entries: readonly TarEntry[]): Readable {
  return Readable.from(generate(entries), { objectMode: false });
}

async function* generate(entries: readonly TarEntry[]): AsyncGenerator<Buffer> {
  for (const e of entries) {
    const data = typeof e.source === 'string' ? await readFile(e.source) : Buffer.from(e.source);
    const mode = e.mode ?? (typeof e.source === 'string' ? (await stat(e.source)).mode & 0o777 : 0o644);
    yield* header(e.archivePath, data.length, mode);
    yield data;
    const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
    if (pad) yield Buffer.alloc(pad);
  }
  yield Buffer.alloc(BLOCK * 2);
}

function* header(path: string, size: number, mode: number): Generator<Buffer> {
  const split = splitName(path);
  if (!split) {
    // A pax extended header carries the full path; the ustar name field gets a truncated stand-in.
    const record = paxRecord('path', path);
    yield ustar(`PaxHeaders/${path.slice(-80)}`, '', record.length, 0o644, 'x');
    yield record;
    const pad = (BLOCK - (record.length % BLOCK)) % BLOCK;
    if (pad) yield Buffer.alloc(pad);
    yield ustar(path.slice(-100), '', size, mode, '0');
    return;
  }
  yield ustar(split.name, split.prefix, size, mode, '0');
}

/** ustar stores long paths as prefix (≤155 bytes) + "/" + name (≤100 bytes). */
function splitName(path: string): { name: string; prefix: string } | null {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name.length > 0) return { name, prefix };
  }
  return null;
}

function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  // The length field counts its own digits.
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return Buffer.from(`${len}${body}`);
}

function ustar(name: string, prefix: string, size: number, mode: number, type: string): Buffer {
  const b = Buffer.alloc(BLOCK);
  b.write(name, 0, 100, 'utf8');
  octal(b, 100, 8, mode);
  octal(b, 108, 8, 0); // uid
  octal(b, 116, 8, 0); // gid
  octal(b, 124, 12, size);
  octal(b, 136, 12, MTIME);
  b.fill(' ', 148, 156); // checksum is computed with this field as spaces
  b.write(type, 156, 1, 'ascii');
  b.write('ustar\0', 257, 6, 'ascii');
  b.write('00', 263, 2, 'ascii');
  b.write('root', 265, 32, 'ascii');
  b.write('root', 297, 32, 'ascii');
  b.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of b) sum += byte;
  b.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return b;
}

function octal(b: Buffer, offset: number, width: number, value: number): void {
  b.write(`${value.toString(8).padStart(width - 1, '0')}\0`, offset, width, 'ascii');
}
