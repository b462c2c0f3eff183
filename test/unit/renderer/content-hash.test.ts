import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex as mainSha256Hex } from '../../../main/core/assets/content-hash';
import { sha256Hex, sha256HexSync } from '../../../renderer/src/assets/content-hash';

const node = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('renderer content hash', () => {
  it('is the hash main names assets by (WebCrypto path), also for a view into a larger buffer', async () => {
    const bytes = new Uint8Array(randomBytes(100_003));
    expect(await sha256Hex(bytes)).toBe(mainSha256Hex(bytes));
    const view = bytes.subarray(17, 5_017);
    expect(await sha256Hex(view)).toBe(mainSha256Hex(view));
  });

  it('the JavaScript fallback (plain-http pages have no WebCrypto) matches at every padding boundary', () => {
    expect(sha256HexSync(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256HexSync(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    for (const n of [1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 65_537]) {
      const bytes = new Uint8Array(randomBytes(n));
      expect(sha256HexSync(bytes), `${n} bytes`).toBe(node(bytes));
    }
    const big = new Uint8Array(randomBytes(300_000));
    expect(sha256HexSync(big.subarray(3))).toBe(node(big.subarray(3)));
  });

  it('falls back to JavaScript where crypto.subtle is missing', async () => {
    const original = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
    Object.defineProperty(globalThis, 'crypto', { value: {}, configurable: true });
    try {
      const bytes = new Uint8Array(randomBytes(777));
      expect(await sha256Hex(bytes)).toBe(node(bytes));
    } finally {
      if (original) Object.defineProperty(globalThis, 'crypto', original);
    }
  });
});
