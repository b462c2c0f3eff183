import type { CliCommand } from './command.js';
import { detectTextCommand } from './detect-text.js';
import { editorCommand } from './editor.js';
import { engineCommand } from './engine.js';
import { inpaintCommand } from './inpaint.js';
import { modelsCommand } from './models.js';
import { serveCommand } from './serve.js';

/**
 * Every `adstudio <command>`, in the order `adstudio --help` lists them.
 * To add a command: create main/cli/commands/<name>.ts exporting a CliCommand, import it above and add
 * one line below. (`--version` and `help` are built into main/cli/index.ts.)
 */
export const COMMANDS: readonly CliCommand[] = [
  detectTextCommand, // adstudio detect-text <image> --out <mask.png> [--boxes <boxes.json>]
  inpaintCommand, // adstudio inpaint <image> --mask <mask.png> --out <out.png> [--method <name>]
  editorCommand, // adstudio editor [--port N] [--host H] [--token T] [--data-dir D] [--projects-dir P]
  serveCommand, // adstudio serve [--port N] [--host H] [--token T]
  engineCommand, // adstudio engine status [--json] | start --profile <name> [--json] | stop --profile <name>
  modelsCommand, // adstudio models list [--json] | download <id> | import <id> <file> | verify [<id>]
];

export function findCommand(name: string): CliCommand | undefined {
  return COMMANDS.find((c) => c.name === name);
}
