// The headless CLI: `adstudio <command> ...`. Bundled to dist/main/cli.mjs; main/cli/bin.cjs runs it.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
// errors.js, not the contract index: the CLI starts without loading every zod schema.
import { AppError } from '../../preload/contract/errors.js';
import { processIo, UsageError, type CliIo } from './cli-io.js';
import type { CliCommand } from './commands/command.js';
import { COMMANDS, loadCommand } from './commands/index.js';
import { packageVersion } from './version.js';

/** Exit codes scripts can rely on. */
export const EXIT = { ok: 0, error: 1, usage: 2, interrupted: 130, terminated: 143 } as const;

function topUsage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), 4);
  return [
    'Usage: adstudio <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    `  ${'help'.padEnd(width)}  show help for a command: adstudio help <command>`,
    '',
    'Options:',
    '  -h, --help     show this help',
    '  -v, --version  print the version',
  ].join('\n');
}

function commandUsage(cmd: CliCommand, io: CliIo): string {
  const status = cmd.helpStatus?.(io);
  return [`Usage: ${cmd.usage}`, '', cmd.summary, ...(cmd.details ? ['', cmd.details] : []), ...(status ? ['', status] : [])].join('\n');
}

/** node:util parseArgs messages are long and mention internals; users get a short one. */
function usageFromParseError(e: unknown, command: string): UsageError | null {
  const err = e as { code?: string; message?: string };
  if (typeof err?.code !== 'string' || !err.code.startsWith('ERR_PARSE_ARGS_')) return null;
  const option = /'(-[^' ]+)/.exec(err.message ?? '')?.[1];
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new UsageError(`unknown option ${option ?? ''}`.trim(), command);
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return new UsageError(option ? `option ${option} needs a value` : (err.message ?? 'invalid option value'), command);
  }
  return new UsageError(err.message ?? 'invalid arguments', command);
}

/** Runs one CLI invocation and returns its exit code. Never throws; never calls process.exit. */
export async function main(argv: readonly string[], io: CliIo = processIo(), signal: AbortSignal = new AbortController().signal): Promise<number> {
  let command: CliCommand | undefined;
  try {
    const [first, ...rest] = argv;
    if (first === undefined) throw new UsageError('no command given');
    if (first === '--version' || first === '-v' || first === '-V') {
      io.stdout.write(`${packageVersion()}\n`);
      return EXIT.ok;
    }
    if (first === '--help' || first === '-h' || first === 'help') {
      const topic = first === 'help' ? rest[0] : undefined;
      if (topic === undefined) {
        io.stdout.write(`${topUsage()}\n`);
        return EXIT.ok;
      }
      const cmd = await loadCommand(topic);
      if (!cmd) throw new UsageError(`unknown command "${topic}"`);
      io.stdout.write(`${commandUsage(cmd, io)}\n`);
      return EXIT.ok;
    }
    if (first.startsWith('-')) throw new UsageError(`unknown option ${first}`);
    command = await loadCommand(first);
    if (!command) throw new UsageError(`unknown command "${first}"`);

    let parsed;
    try {
      parsed = parseArgs({
        args: rest,
        options: { ...command.options, help: { type: 'boolean', short: 'h' } },
        allowPositionals: true,
        strict: true,
      });
    } catch (e) {
      throw usageFromParseError(e, command.name) ?? e;
    }
    if (parsed.values.help) {
      io.stdout.write(`${commandUsage(command, io)}\n`);
      return EXIT.ok;
    }
    return await command.run({ positionals: parsed.positionals, values: parsed.values, io, signal });
  } catch (e) {
    return report(e, io, signal);
  }
}

async function report(e: unknown, io: CliIo, signal: AbortSignal): Promise<number> {
  if (e instanceof UsageError) {
    const cmd = e.command ? await loadCommand(e.command).catch(() => undefined) : undefined;
    io.stderr.write(`adstudio: error: ${e.message}\n`);
    io.stderr.write(cmd ? `Usage: ${cmd.usage}\nRun "adstudio help ${cmd.name}" for details.\n` : `Run "adstudio --help" for the list of commands.\n`);
    return EXIT.usage;
  }
  if ((e instanceof AppError && e.code === 'cancelled') || signal.aborted) {
    io.stderr.write('adstudio: cancelled\n');
    return signal.reason === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
  }
  const message = e instanceof Error ? e.message : String(e);
  io.stderr.write(`adstudio: error: ${message.split('\n')[0]}\n`);
  if (io.env.ADSTUDIO_DEBUG && e instanceof Error && e.stack) io.stderr.write(`${e.stack}\n`);
  return EXIT.error;
}

/**
 * The process entry: wires Ctrl+C / SIGTERM to cancellation (a second signal exits at once) and sets
 * process.exitCode.
 */
export async function runCli(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(sig === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted);
    controller.abort(sig);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const code = await main(argv, processIo(), controller.signal);
    process.exitCode = code;
    return code;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

// Run when executed directly (node dist/main/cli.mjs, tsx main/cli/index.ts); bin.cjs calls runCli().
function isEntry(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return new URL(import.meta.url).pathname === pathToFileURL(realpathSync(entry)).pathname;
  } catch {
    return false;
  }
}
if (isEntry()) void runCli();
