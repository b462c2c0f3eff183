import { describe, expect, it } from 'vitest';
import { WireError, decodeWire, encodeWire } from '../../../../preload/contract/wire.js';

function frame(header: string, ...attachments: Uint8Array[]): Uint8Array {
  const h = new TextEncoder().encode(header);
  const total = 4 + h.length + attachments.reduce((a, b) => a + b.length, 0);
  const out = new Uint8Array(total);
  new DataView(out.buffer).setUint32(0, h.length);
  out.set(h, 4);
  let o = 4 + h.length;
  for (const a of attachments) { out.set(a, o); o += a.length; }
  return out;
}

describe('bridge wire format', () => {
  it('sends messages without bytes as plain JSON text', () => {
    const msg = { id: 1, channel: 'getAppInfo' };
    const encoded = encodeWire(msg);
    expect(typeof encoded).toBe('string');
    expect(decodeWire(encoded)).toEqual(msg);
  });

  it('carries several byte arrays raw in one binary frame and restores them in place', () => {
    const a = new Uint8Array([0, 1, 2, 255]);
    const b = Buffer.from('한글 bytes');
    const msg = { id: 'x', channel: 'putAsset', payload: { kind: 'image', bytes: a, nested: [{ more: b }], empty: new Uint8Array(0) } };
    const encoded = encodeWire(msg);
    expect(encoded).toBeInstanceOf(Uint8Array);
    // Raw, not base64: the frame is barely larger than the bytes plus the JSON.
    expect((encoded as Uint8Array).byteLength).toBeLessThan(a.length + b.length + 200);
    const decoded = decodeWire(encoded) as typeof msg;
    expect(decoded.payload.bytes).toBeInstanceOf(Uint8Array);
    expect([...decoded.payload.bytes]).toEqual([0, 1, 2, 255]);
    expect(Buffer.from(decoded.payload.nested[0]!.more).toString()).toBe('한글 bytes');
    expect(decoded.payload.empty.byteLength).toBe(0);
  });

  it('does not turn {"$bytes":0} in a text frame into bytes', () => {
    expect(decodeWire('{"payload":{"bytes":{"$bytes":0}}}')).toEqual({ payload: { bytes: { $bytes: 0 } } });
  });

  it('keeps a "__proto__" key as data instead of changing the prototype', () => {
    const decoded = decodeWire(frame('{"sizes":[1],"body":{"__proto__":{"polluted":true},"b":{"$bytes":0}}}', new Uint8Array([7]))) as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect((decoded as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it.each([
    ['empty binary', new Uint8Array(0)],
    ['short binary', new Uint8Array([0, 0])],
    ['header longer than frame', frame('{}').map((v, i) => (i === 3 ? 200 : v))],
    ['header not JSON', frame('{nope')],
    ['header not an object', frame('[1,2]')],
    ['sizes not numbers', frame('{"sizes":["a"],"body":{}}', new Uint8Array(1))],
    ['negative size', frame('{"sizes":[-1],"body":{}}')],
    ['sizes do not add up', frame('{"sizes":[5],"body":{}}', new Uint8Array(2))],
    ['extra trailing bytes', frame('{"sizes":[],"body":{}}', new Uint8Array(3))],
    ['missing attachment', frame('{"sizes":[1],"body":{"b":{"$bytes":3}}}', new Uint8Array(1))],
    ['bad UTF-8 header', (() => { const f = frame('{"sizes":[],"body":"xx"}'); f[f.length - 2] = 0xff; return f; })()],
    ['text not JSON', '{"id":'],
  ])('rejects a malformed frame (%s) with WireError', (_name, data) => {
    expect(() => decodeWire(data)).toThrow(WireError);
  });
});
