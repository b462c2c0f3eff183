/**
 * Docker multiplexes a container's stdout and stderr into one stream when it has no TTY: frames of an
 * 8-byte header [stream, 0, 0, 0, size (uint32 big-endian)] followed by `size` bytes. Frames arrive
 * split across and merged within network chunks; this reassembles them. (A TTY container's stream is
 * raw text: do not demux it.)
 */
export type DockerStreamKind = 'stdin' | 'stdout' | 'stderr';

export class DockerLogDemuxer {
  private buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly onFrame: (stream: DockerStreamKind, payload: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    while (this.buffer.length >= 8) {
      const size = this.buffer.readUInt32BE(4);
      if (this.buffer.length < 8 + size) break;
      const kind = this.buffer[0] === 2 ? 'stderr' : this.buffer[0] === 0 ? 'stdin' : 'stdout';
      this.onFrame(kind, this.buffer.subarray(8, 8 + size));
      this.buffer = this.buffer.subarray(8 + size);
    }
  }

  /** Bytes of an unfinished frame still waiting for the rest. */
  get pending(): number {
    return this.buffer.length;
  }
}
