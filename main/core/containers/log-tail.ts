import { open } from 'node:fs/promises';

export interface TailOptions {
  /** Bytes read per step from the end (default 64 KiB). */
  chunkBytes?: number;
  /** A "line" longer than this is cut (keeps its end): a file without newlines cannot fill memory (default 64 KiB). */
  maxLineBytes?: number;
}

export interface TailResult {
  /** Oldest first. */
  lines: string[];
  /** Older lines exist before the first one returned. */
  more: boolean;
}

/**
 * The last `limit` lines of a set of files that continue each other — newest first, as a rotated log
 * is named (engine.log, engine.log.1, …) — read backwards from the end in chunks: only about as many
 * bytes as the lines asked for are read, never whole files. Missing files are skipped.
 */
export async function readLastLines(files: readonly string[], limit: number, options: TailOptions = {}): Promise<TailResult> {
  const newestFirst: string[] = [];
  let more = false;
  for (let i = 0; i < files.length; i++) {
    const want = limit - newestFirst.length;
    if (want <= 0) {
      // Asked for exactly what we have: older lines exist if any older file has a byte.
      for (const f of files.slice(i)) if ((await fileSize(f)) > 0) more = true;
      break;
    }
    const r = await readFileTail(files[i]!, want, options);
    newestFirst.push(...r.newestFirst);
    if (r.more) {
      more = true;
      break;
    }
  }
  return { lines: newestFirst.reverse(), more };
}

async function readFileTail(file: string, limit: number, options: TailOptions): Promise<{ newestFirst: string[]; more: boolean }> {
  const chunkBytes = options.chunkBytes ?? 64 * 1024;
  const maxLineBytes = options.maxLineBytes ?? 64 * 1024;
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { newestFirst: [], more: false };
    throw e;
  }
  try {
    const size = (await handle.stat()).size;
    const out: string[] = [];
    let pos = size;
    /** Bytes of the line that started before the chunk just read (its head is further back). */
    let carry = Buffer.alloc(0);
    let first = true;
    while (pos > 0 && out.length < limit) {
      const start = Math.max(0, pos - chunkBytes);
      const chunk = Buffer.alloc(pos - start);
      await handle.read(chunk, 0, chunk.length, start);
      pos = start;
      let buf = carry.length ? Buffer.concat([chunk, carry]) : chunk;
      // The file's last byte is normally "\n": nothing follows it.
      if (first && buf.length && buf[buf.length - 1] === 0x0a) buf = buf.subarray(0, buf.length - 1);
      first = false;
      let end = buf.length;
      for (let i = buf.length - 1; i >= 0 && out.length < limit; i--) {
        if (buf[i] !== 0x0a) continue;
        out.push(text(buf.subarray(i + 1, end), maxLineBytes));
        end = i;
      }
      carry = buf.subarray(0, end);
      if (out.length >= limit) return { newestFirst: out, more: carry.length > 0 || pos > 0 };
      if (carry.length > maxLineBytes) carry = carry.subarray(carry.length - maxLineBytes);
    }
    // At the start of the file: what is left is its first line.
    if (carry.length > 0 && out.length < limit) out.push(text(carry, maxLineBytes));
    return { newestFirst: out, more: false };
  } finally {
    await handle.close();
  }
}

/** UTF-8 text of one line ("\r" from a CRLF file dropped); cut to its last maxBytes. */
function text(bytes: Buffer, maxBytes: number): string {
  const b = bytes.length > maxBytes ? bytes.subarray(bytes.length - maxBytes) : bytes;
  const s = b.toString('utf8');
  return s.endsWith('\r') ? s.slice(0, -1) : s;
}

async function fileSize(file: string): Promise<number> {
  try {
    const h = await open(file, 'r');
    try {
      return (await h.stat()).size;
    } finally {
      await h.close();
    }
  } catch {
    return 0;
  }
}
