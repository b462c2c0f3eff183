import type { ParseArgsConfig } from 'node:util';
import type { CliIo } from '../cli-io.js';

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

export interface CommandContext {
  /** Positional arguments after the command name. */
  positionals: string[];
  /** Parsed flags, as node:util parseArgs returns them (strings/booleans, arrays for `multiple`). */
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  io: CliIo;
  /** Aborted on Ctrl+C / SIGTERM: long work must stop and clean up. */
  signal: AbortSignal;
}

/** One CLI command: `adstudio <name> ...`. Throw UsageError for call mistakes, AppError for bad input. */
export interface CliCommand {
  name: string;
  /** One line for `adstudio --help`. */
  summary: string;
  /** Synopsis, e.g. "adstudio inpaint <image> --mask <mask.png> --out <out.png> [--method <name>]". */
  usage: string;
  /** Longer text for `adstudio help <name>`: flags, examples. */
  details?: string;
  /** Optional: what this machine has for the command (e.g. which methods are installed), shown after `details`. */
  helpStatus?(io: CliIo): string;
  /** parseArgs option specs (`--help`/`-h` is added for every command). */
  options: OptionSpecs;
  /** Returns the exit code (0 = success). */
  run(ctx: CommandContext): Promise<number>;
}
