import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { AppError } from '../../../preload/contract/index.js';
import type { LamaContract, LamaDevice } from './lama-options.js';
import type { LamaInfer } from './run-lama.js';

export interface LamaSession {
  infer: LamaInfer;
  /** The execution provider actually used: 'cpu' or 'cuda'. */
  provider: 'cpu' | 'cuda';
  release(): Promise<void>;
}

/**
 * onnxruntime-node finds its CUDA provider library next to its binding. The npm package does not ship
 * it: its install script fetches it (Linux x64, from NuGet), and this project installs with
 * ignore-scripts, so it is only there in an engine image built with `--build-arg ORT_CUDA=1` (see the
 * Dockerfile) or after running that script by hand. Without it, asking for CUDA fails at load.
 */
export function cudaProviderAvailable(): boolean {
  if (process.platform !== 'linux' && process.platform !== 'win32') return false;
  try {
    const root = dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
    const dir = join(root, 'bin', 'napi-v6', process.platform, process.arch);
    return existsSync(join(dir, process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so'));
  } catch {
    return false;
  }
}

export interface LamaSessionOptions {
  /** Where a CPU fallback is said (default: one line on stderr, which a container's log shows). */
  log?: (line: string) => void;
  /** Whether onnxruntime-node's CUDA provider library is there (default cudaProviderAvailable; tests inject it). */
  cudaAvailable?: () => boolean;
}

const stderrLine = (line: string) => {
  process.stderr.write(`${line}\n`);
};

/**
 * Loads a LaMa-style network and checks it has the contract's inputs and output before any run.
 * 'auto' runs on CUDA when it can and says so in one log line when it falls back to the CPU (no CUDA
 * provider library, or CUDA would not start); 'cuda' fails instead.
 */
export async function loadLamaSession(
  modelPath: string,
  contract: LamaContract,
  device: LamaDevice = 'cpu',
  threads = defaultThreads(),
  options: LamaSessionOptions = {},
): Promise<LamaSession> {
  if (!existsSync(modelPath)) throw new AppError('not-found', `the LaMa model file is missing: ${modelPath}`);
  const log = options.log ?? stderrLine;
  const cuda = device !== 'cpu' && (options.cudaAvailable ?? cudaProviderAvailable)();
  if (device === 'cuda' && !cuda) {
    throw new AppError('unsupported', 'the CUDA execution provider is not available here (onnxruntime-node without its CUDA library, or no NVIDIA GPU); run LaMa on the CPU (ADSTUDIO_LAMA_DEVICE=cpu)');
  }
  if (device === 'auto' && !cuda) {
    log(
      'adstudio: LaMa: CUDA was requested (ADSTUDIO_LAMA_DEVICE=auto) but onnxruntime-node has no CUDA provider library here ' +
        '(libonnxruntime_providers_cuda.so; the GPU engine image is built with --build-arg ORT_CUDA=1): running on the CPU',
    );
  }
  const wantCuda = device === 'cuda' || (device === 'auto' && cuda);
  let session: ort.InferenceSession;
  let provider: LamaSession['provider'] = wantCuda ? 'cuda' : 'cpu';
  try {
    session = await create(modelPath, wantCuda, threads);
  } catch (e) {
    if (!(wantCuda && device === 'auto')) throw new AppError('engine', `the LaMa model could not be loaded on ${provider.toUpperCase()} (${modelPath}): ${(e as Error).message}`);
    // 'auto': CUDA was there but would not start (driver, CUDA/cuDNN libraries, memory): the CPU still works.
    log(`adstudio: LaMa: CUDA was requested (ADSTUDIO_LAMA_DEVICE=auto) but did not start (${firstLine((e as Error).message)}): running on the CPU`);
    provider = 'cpu';
    try {
      session = await create(modelPath, false, threads);
    } catch (e2) {
      throw new AppError('engine', `the LaMa model could not be loaded (${modelPath}): ${(e2 as Error).message}`);
    }
  }
  checkContract(session, contract, modelPath);
  const S = contract.size;
  return {
    provider,
    async infer(image, mask) {
      const feeds = {
        [contract.imageInput]: new ort.Tensor('float32', image, [1, 3, S, S]),
        [contract.maskInput]: new ort.Tensor('float32', mask, [1, 1, S, S]),
      };
      const result = await session.run(feeds);
      const out = result[contract.output];
      if (!out || out.type !== 'float32' || out.data.length !== 3 * S * S) {
        throw new AppError('engine', `the LaMa model returned an unexpected output (${out ? `${out.type} ${out.dims.join('×')}` : 'none'})`);
      }
      return out.data as Float32Array;
    },
    release: () => session.release(),
  };
}

function create(modelPath: string, cuda: boolean, threads: number): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(modelPath, {
    executionProviders: cuda ? [{ name: 'cuda' }, 'cpu'] : ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
}

/** Names must match; fixed dimensions, where the file states them, must be LaMa's. */
function checkContract(session: ort.InferenceSession, contract: LamaContract, modelPath: string): void {
  const S = contract.size;
  const want: [string, number[]][] = [
    [contract.imageInput, [1, 3, S, S]],
    [contract.maskInput, [1, 1, S, S]],
  ];
  const problems: string[] = [];
  for (const [name, shape] of want) {
    const meta = session.inputMetadata.find((m) => m.name === name);
    if (!meta) {
      problems.push(`no input "${name}"`);
      continue;
    }
    if (!meta.isTensor || meta.type !== 'float32') problems.push(`input "${name}" is not a float32 tensor`);
    else if (meta.shape.length > 0 && (meta.shape.length !== 4 || meta.shape.some((d, i) => typeof d === 'number' && d > 0 && d !== shape[i]))) {
      problems.push(`input "${name}" is [${meta.shape.join(',')}], expected [${shape.join(',')}]`);
    }
  }
  if (!session.outputNames.includes(contract.output)) problems.push(`no output "${contract.output}"`);
  if (problems.length > 0) {
    throw new AppError('engine', `${modelPath} is not a LaMa model adstudio can run: ${problems.join('; ')} (inputs ${session.inputNames.join(', ')}; outputs ${session.outputNames.join(', ')})`);
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim().slice(0, 300);
}

/** ONNX Runtime's own thread pool does the parallel work. */
function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}
