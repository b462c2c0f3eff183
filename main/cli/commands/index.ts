import type { CliCommand } from './command.js';

/** A command as `adstudio --help` lists it; its module (and its heavy packages) loads only when it runs. */
export interface CommandEntry {
  name: string;
  /** The same line as the command's own summary (a test keeps them equal). */
  summary: string;
  load(): Promise<CliCommand>;
}

/**
 * Every `adstudio <command>`, in the order `adstudio --help` lists them. Commands load on demand
 * (sharp, onnxruntime, tesseract, dockerode and the MCP SDK cost about a second to import): `--version`,
 * `--help` and each command start with only what they use.
 * To add a command: create main/cli/commands/<name>.ts exporting a CliCommand and add one entry below.
 * (`--version` and `help` are built into main/cli/index.ts.)
 */
export const COMMANDS: readonly CommandEntry[] = [
  // adstudio detect-text <image> --out <mask.png> [--boxes <boxes.json>] [--no-read]
  { name: 'detect-text', summary: 'find the text in an image and write an erase mask (and optionally the text boxes)', load: async () => (await import('./detect-text.js')).detectTextCommand },
  // adstudio inpaint <image> --mask <mask.png> --out <out.png> [--method <name>]
  { name: 'inpaint', summary: 'fill the masked area of an image (erase text, objects) and write the result', load: async () => (await import('./inpaint.js')).inpaintCommand },
  // adstudio cutout <image> --out <cutout.png> [--mask <mask.png>] [--method <name>]
  { name: 'cutout', summary: 'cut the product out of a photo (remove the background) into a transparent PNG', load: async () => (await import('./cutout.js')).cutoutCommand },
  // adstudio background --size <W>x<H> [--preset <name>] [--palette-from <image>] [--seed <n>] --out <bg.png>
  { name: 'background', summary: "render a studio backdrop (sweep, table top, window light, bokeh, textures) in a product's colours", load: async () => (await import('./background.js')).backgroundCommand },
  // adstudio compose --background <bg.png> --product <cutout.png> [...] [--text "<copy>"] --out <ad.png>
  { name: 'compose', summary: 'put product cut-outs on a background with shadows, tone match and Korean/Latin ad copy', load: async () => (await import('./compose.js')).composeCommand },
  // adstudio editor [--port N] [--host H] [--token T] [--data-dir D] [--projects-dir P]
  { name: 'editor', summary: 'serve the editor in your browser (127.0.0.1, access token required)', load: async () => (await import('./editor.js')).editorCommand },
  // adstudio serve [--port N] [--host H] [--token T] [--workspace DIR] [--simulate-vram GB]
  { name: 'serve', summary: 'run the engine server: engine protocol v1 over HTTP (token required except for /health)', load: async () => (await import('./serve.js')).serveCommand },
  // adstudio mcp --allow <dir> [...] [--http [--port N] [--host H] [--token T]] [--engine E] [--jobs-dir D]
  { name: 'mcp', summary: "run the MCP server: adstudio's tools for AI agents, over file paths (stdio; or HTTP with a token)", load: async () => (await import('./mcp.js')).mcpCommand },
  // adstudio engine status [--json] | start --profile <name> [--json] | stop --profile <name> | reset --profile <name>
  { name: 'engine', summary: 'engine containers: status, start (adopts a running one), stop, reset (nanoCocoa), remove', load: async () => (await import('./engine.js')).engineCommand },
  // adstudio models list [--json] | download <id> | import <id> <file> | verify [<id>]
  { name: 'models', summary: 'AI models (LaMa…): list, download, import a file fetched elsewhere, verify', load: async () => (await import('./models.js')).modelsCommand },
];

/** The command's module, loaded; undefined for a name that is not a command. */
export async function loadCommand(name: string): Promise<CliCommand | undefined> {
  return COMMANDS.find((c) => c.name === name)?.load();
}
