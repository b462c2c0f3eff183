import type { CliStream } from './cli-io.js';

export interface ProgressReporter {
  update(progress: number): void;
  /** Ends the bar line (TTY) so the next message starts on its own line. */
  done(): void;
}

/**
 * Progress on stderr: a redrawn bar when a person watches (TTY), otherwise a line per 25% so logs
 * stay short. stdout is left alone for scripts.
 */
export function createProgress(stream: CliStream, label: string): ProgressReporter {
  let shown = -1;
  let drawnAt = 0;
  let open = false;
  if (stream.isTTY) {
    const draw = (p: number) => {
      const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - label.length - 20));
      const filled = Math.round(p * width);
      stream.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(p * 100)).padStart(3)}%`);
      open = true;
    };
    return {
      update(p) {
        const pct = Math.floor(p * 100);
        const now = Date.now();
        if (pct === shown || (now - drawnAt < 80 && pct < 100)) return;
        shown = pct;
        drawnAt = now;
        draw(p);
      },
      done() {
        if (open) stream.write('\n');
        open = false;
      },
    };
  }
  return {
    update(p) {
      const step = Math.floor(p * 4) * 25;
      if (step <= shown) return;
      shown = step;
      stream.write(`adstudio: ${label} ${step}%\n`);
    },
    done() {},
  };
}
