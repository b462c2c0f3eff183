/**
 * Turns chunks of text into whole lines: a line split across two chunks is joined, "\r\n" and lone
 * "\r" (progress bars) end lines too, and overly long lines are cut so one runaway write cannot grow
 * memory without bound.
 */
export class LineSplitter {
  private partial = '';
  private readonly decoder = new TextDecoder('utf-8');

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLineChars = 8_192,
  ) {}

  push(chunk: Uint8Array | string): void {
    const text = this.partial + (typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true }));
    const parts = text.split(/\r\n|\n|\r/);
    this.partial = parts.pop() ?? '';
    for (const p of parts) this.emit(p);
    while (this.partial.length > this.maxLineChars) {
      this.emit(this.partial.slice(0, this.maxLineChars));
      this.partial = this.partial.slice(this.maxLineChars);
    }
  }

  /** Emits what is left (a last line without a newline). */
  end(): void {
    const rest = this.partial + this.decoder.decode();
    this.partial = '';
    if (rest !== '') this.emit(rest);
  }

  private emit(line: string): void {
    this.onLine(line.length > this.maxLineChars ? line.slice(0, this.maxLineChars) : line);
  }
}
