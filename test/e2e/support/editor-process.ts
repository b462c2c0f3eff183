import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

export interface EditorProcess {
  url: string;
  origin: string;
  token: string;
  proc: ChildProcess;
  stderr: () => string;
  /** Stop it; 'SIGKILL' simulates a crash (no cleanup at all). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts the real browser-mode editor (`adstudio editor`) from the built bundle and waits for its URL line. */
export async function startEditor(opts: { dataDir: string; projectsDir: string; port?: number }): Promise<EditorProcess> {
  const args = ['dist/main/cli.mjs', 'editor', '--port', String(opts.port ?? 0), '--data-dir', opts.dataDir, '--projects-dir', opts.projectsDir];
  const proc = spawn(process.execPath, args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LANG: 'ko_KR.UTF-8' } });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: proc.stdout! });
    const timer = setTimeout(() => reject(new Error(`editor did not print its URL in 20 s; stderr:\n${err}`)), 20_000);
    const lines: string[] = [];
    rl.on('line', (l) => {
      lines.push(l);
      clearTimeout(timer);
      resolve(l);
    });
    // 'close', not 'exit': only then has everything the process wrote to stderr arrived.
    proc.once('close', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`editor exited early with ${code ?? signal}; stdout: ${JSON.stringify(lines)}; stderr:\n${err}`));
    });
  });
  const m = /^adstudio editor: (http:\/\/127\.0\.0\.1:\d+\/\?token=([A-Za-z0-9_-]+))$/.exec(line);
  if (!m) throw new Error(`unexpected first line from the editor: ${JSON.stringify(line)}`);
  const url = m[1]!;
  return {
    url,
    origin: new URL(url).origin,
    token: m[2]!,
    proc,
    stderr: () => err,
    stop(signal: NodeJS.Signals = 'SIGTERM') {
      // Already gone (exitCode, or signalCode after a kill): 'exit' will not fire again.
      if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(proc.exitCode);
      return new Promise((resolve) => {
        // A shutdown that hangs must not hang the test run: kill it after a grace period.
        const force = signal === 'SIGKILL' ? null : setTimeout(() => proc.kill('SIGKILL'), 8000);
        proc.once('exit', (code) => {
          if (force) clearTimeout(force);
          resolve(code);
        });
        proc.kill(signal);
      });
    },
  };
}
