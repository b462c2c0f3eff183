import { resolve } from 'node:path';
import { formatBytes, openModelStore, type ModelProgress, type ModelStatus, type ModelStore } from '../../core/models/index.js';
import type { CliIo } from '../cli-io.js';
import { UsageError } from '../cli-io.js';
import { createProgress, type ProgressReporter } from '../progress.js';
import type { CliCommand } from './command.js';

const SUBCOMMANDS = ['list', 'download', 'import', 'verify'] as const;
type Sub = (typeof SUBCOMMANDS)[number];

/** Positional arguments each subcommand takes after its name. */
const ARITY: Record<Sub, { min: number; max: number; usage: string }> = {
  list: { min: 0, max: 0, usage: 'models list [--json]' },
  download: { min: 1, max: 1, usage: 'models download <id>' },
  import: { min: 2, max: 2, usage: 'models import <id> <file>' },
  verify: { min: 0, max: 1, usage: 'models verify [<id>] [--json]' },
};

export const modelsCommand: CliCommand = {
  name: 'models',
  summary: 'AI models (LaMa…): list, download, import a file fetched elsewhere, verify',
  usage: 'adstudio models list [--json] | models download <id> | models import <id> <file> | models verify [<id>]',
  details: [
    'Subcommands:',
    '  list               every known model: state (installed, missing, partial, corrupt), size, RAM and',
    '                     VRAM while loaded (declared estimates), licence',
    '  download <id>      fetch from the model hub with progress; resumes an interrupted download,',
    '                     checks the SHA-256 before anything is installed',
    '  import <id> <file> install a copy fetched on another machine (checked the same way)',
    '  verify [<id>]      re-hash what is installed; exit code 1 when a file is damaged',
    '',
    'Options:',
    '  --json             list/verify: print JSON on stdout',
    '',
    'Models live in a Hugging Face cache (models--ORG--NAME/blobs, snapshots, refs), shared with other',
    'tools and engine containers: $ADSTUDIO_MODELS_DIR, else $HF_HOME, else /opt/huggingface (Linux, when',
    'it exists), else ~/.cache/huggingface. The hub is https://huggingface.co unless ADSTUDIO_MODEL_HUB (or',
    'HF_ENDPOINT) names a mirror. Progress goes to stderr; Ctrl+C stops a download and keeps what arrived.',
    '',
    'Examples:',
    '  adstudio models download lama',
    '  adstudio models import lama ~/Downloads/lama_fp32.onnx',
  ].join('\n'),
  options: {
    json: { type: 'boolean' },
  },

  async run({ positionals, values, io, signal }) {
    const [sub, ...args] = positionals;
    if (sub === undefined) throw new UsageError('missing subcommand: list, download, import or verify', 'models');
    if (!(SUBCOMMANDS as readonly string[]).includes(sub)) throw new UsageError(`unknown subcommand "${sub}" (list, download, import, verify)`, 'models');
    const arity = ARITY[sub as Sub];
    if (args.length < arity.min || args.length > arity.max) throw new UsageError(`expected: adstudio ${arity.usage}`, 'models');
    const json = values.json === true;
    if (json && (sub === 'download' || sub === 'import')) throw new UsageError(`models ${sub} has no --json`, 'models');

    const store = openModelStore({ env: io.env });
    switch (sub as Sub) {
      case 'list':
        return list(store, io, json);
      case 'download':
        return install(store, io, args[0]!, (onProgress) => store.download(args[0]!, { signal, onProgress }));
      case 'import':
        return install(store, io, args[0]!, (onProgress) => store.importFile(args[0]!, resolve(io.cwd, args[1]!), { signal, onProgress }));
      case 'verify':
        return verify(store, io, json, args[0], signal);
    }
  },
};

function list(store: ModelStore, io: CliIo, json: boolean): number {
  const models = store.list();
  if (json) {
    io.stdout.write(`${JSON.stringify(models.map((m) => ({ ...m, url: m.files[0]?.url ?? null, cacheDir: store.hubDir })), null, 2)}\n`);
    return 0;
  }
  // RAM/VRAM: the registry's declared footprint while loaded (RAM when LaMa runs on the CPU, VRAM on CUDA).
  const rows = models.map((m) => [m.id, describeState(m), formatBytes(m.sizeBytes), formatBytes(m.ramBytes), formatBytes(m.vramBytes), m.license, `${m.repo}@${m.revision.slice(0, 7)}`]);
  const header = ['id', 'state', 'size', 'RAM', 'VRAM', 'licence', 'source'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  io.stdout.write(`${[line(header), ...rows.map(line)].join('\n')}\n`);
  io.stdout.write(`models folder: ${store.hubDir}\n`);
  for (const m of models) if (m.path) io.stdout.write(`${m.id}: ${m.path}\n`);
  return 0;
}

function describeState(m: ModelStatus): string {
  if (m.state === 'partial') return `partial (${formatBytes(m.partialBytes)})`;
  return m.state;
}

async function install(store: ModelStore, io: CliIo, id: string, work: (onProgress: (p: ModelProgress) => void) => Promise<ModelStatus>): Promise<number> {
  const spec = store.spec(id); // an unknown id fails before any output
  const bars = new Map<string, ProgressReporter>();
  let current: ProgressReporter | null = null;
  const onProgress = (p: ModelProgress) => {
    const label = `${p.phase === 'verify' ? 'checking' : p.phase === 'import' ? 'importing' : 'downloading'} ${spec.id} (${formatBytes(p.totalBytes)})`;
    let bar = bars.get(label);
    if (!bar) {
      current?.done();
      bar = createProgress(io.stderr, label);
      bars.set(label, bar);
    }
    current = bar;
    bar.update(p.totalBytes > 0 ? p.bytes / p.totalBytes : 1);
  };
  let status: ModelStatus;
  try {
    status = await work(onProgress);
  } finally {
    (current as ProgressReporter | null)?.done();
  }
  io.stderr.write(`adstudio: ${spec.id} installed (${formatBytes(status.sizeBytes)}, SHA-256 checked, ${spec.license})\n`);
  io.stdout.write(`${status.path}\n`);
  return 0;
}

async function verify(store: ModelStore, io: CliIo, json: boolean, id: string | undefined, signal: AbortSignal): Promise<number> {
  const results = await store.verify(id ? [id] : undefined, { signal });
  if (json) io.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else {
    for (const r of results) {
      const text = r.state === 'ok' ? `ok  ${r.path}` : r.state === 'missing' ? `not installed${r.detail ? ` (${r.detail})` : ''}` : `DAMAGED: ${r.detail ?? ''} — run "adstudio models download ${r.id}" to replace it`;
      io.stdout.write(`${r.id}  ${text}\n`);
    }
  }
  return results.some((r) => r.state === 'corrupt') ? 1 : 0;
}
