import { createHash } from 'node:crypto';
import { LAMA_MODEL, type ModelSpec } from '../../../../../main/core/models/model-registry.js';

/**
 * Builds, in the test, a tiny ONNX model with LaMa's exact contract (inputs `image` float32[1,3,S,S]
 * 0..1 and `mask` float32[1,1,S,S] 1 = erase, output `output` float32[1,3,S,S] in 0..255), so the
 * model manager and the erase stage run for real on onnxruntime-node without the 208 MB weights.
 * No protobuf package is a declared dependency, so this encodes the few ONNX messages it needs itself.
 *
 * Kinds:
 *  - 'fill': output = image·255·(1−mask) + FILL·mask with FILL = (200, 100, 50) per channel: every
 *    hole becomes one known colour (channel order and placement are checked exactly).
 *  - 'echo': output = image·255 (the mask is ignored): the pipeline must give back what it cut out
 *    (checks the crop/scale/paste geometry).
 */
export const FILL_RGB = [200, 100, 50] as const;

export interface TinyModelOptions {
  kind?: 'fill' | 'echo';
  /** Input names (LaMa's: image, mask); others make a model the runtime must refuse. */
  names?: { image: string; mask: string };
  /** Spatial size; LaMa's is 512. */
  size?: number;
  /** Extra bytes of doc string, to make a file big enough for download tests. */
  padBytes?: number;
}

export function tinyLamaModel({ kind = 'fill', size = 512, padBytes = 0, names = { image: 'image', mask: 'mask' } }: TinyModelOptions = {}): Buffer {
  const shape = (c: number) => [1, c, size, size];
  const { image, mask } = names;
  const nodes =
    kind === 'echo'
      ? [node('Mul', [image, 'c255'], ['output'])]
      : [
          node('Sub', ['one', mask], ['keep']),
          node('Mul', [image, 'c255'], ['scaled']),
          node('Mul', ['scaled', 'keep'], ['kept']),
          node('Mul', [mask, 'fill'], ['filled']),
          node('Add', ['kept', 'filled'], ['output']),
        ];
  const initializers =
    kind === 'echo'
      ? [floatTensor('c255', [], [255])]
      : [floatTensor('c255', [], [255]), floatTensor('one', [], [1]), floatTensor('fill', [1, 3, 1, 1], [...FILL_RGB])];
  const graph = concat(
    ...nodes.map((n) => bytesField(1, n)),
    stringField(2, `tiny-lama-${kind}`),
    ...initializers.map((t) => bytesField(5, t)),
    bytesField(11, valueInfo(image, shape(3))),
    bytesField(11, valueInfo(mask, shape(1))),
    bytesField(12, valueInfo('output', shape(3))),
  );
  const opset = concat(stringField(1, ''), varintField(2, 13));
  return Buffer.from(
    concat(
      varintField(1, 8), // ir_version
      stringField(2, 'adstudio-test'), // producer_name
      ...(padBytes > 0 ? [stringField(6, 'x'.repeat(padBytes))] : []), // doc_string
      bytesField(7, graph),
      bytesField(8, opset),
    ),
  );
}

/**
 * A registry entry for a tiny model standing in for LaMa: id 'lama' and LaMa's io contract, so the
 * model store, the engine's "lama" method and the CLI treat it exactly like the real one.
 */
export function tinyLamaSpec(bytes: Buffer, revision = 'feedfacefeedfacefeedfacefeedfacefeedface'): ModelSpec {
  return {
    ...LAMA_MODEL,
    repo: { org: 'Test', name: 'Tiny-LaMa', revision },
    files: [{ path: 'lama_fp32.onnx', sha256: createHash('sha256').update(bytes).digest('hex'), sizeBytes: bytes.length }],
    source: 'built by the test (tiny-lama-model.ts)',
  };
}

// ---- ONNX messages (onnx.proto3 field numbers) ----------------------------------------------------

function node(op: string, inputs: string[], outputs: string[]): Uint8Array {
  return concat(...inputs.map((i) => stringField(1, i)), ...outputs.map((o) => stringField(2, o)), stringField(3, `${op}_${outputs[0]}`), stringField(4, op));
}

/** TensorProto: dims (1), data_type (2, FLOAT = 1), name (8), raw_data (9, little-endian). */
function floatTensor(name: string, dims: number[], values: number[]): Uint8Array {
  const raw = new Uint8Array(new Float32Array(values).buffer);
  return concat(...dims.map((d) => varintField(1, d)), varintField(2, 1), stringField(8, name), bytesField(9, raw));
}

/** ValueInfoProto { name, type: TypeProto { tensor_type: { elem_type FLOAT, shape } } }. */
function valueInfo(name: string, dims: number[]): Uint8Array {
  const shape = concat(...dims.map((d) => bytesField(1, varintField(1, d))));
  const tensorType = concat(varintField(1, 1), bytesField(2, shape));
  return concat(stringField(1, name), bytesField(2, bytesField(1, tensorType)));
}

// ---- protobuf wire format --------------------------------------------------------------------------

function varint(value: number): Uint8Array {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Uint8Array.from(out);
}

function varintField(field: number, value: number): Uint8Array {
  return concat(varint(field * 8), varint(value));
}

function bytesField(field: number, bytes: Uint8Array): Uint8Array {
  return concat(varint(field * 8 + 2), varint(bytes.length), bytes);
}

function stringField(field: number, text: string): Uint8Array {
  return bytesField(field, new TextEncoder().encode(text));
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
