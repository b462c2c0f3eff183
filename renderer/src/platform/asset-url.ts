/**
 * Both hosts serve stored assets at the same relative path (app://adstudio/assets/<hash> in Electron,
 * http://127.0.0.1:PORT/assets/<hash> in browser mode), so one relative URL fits both.
 */
export function assetUrl(hash: string): string {
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`adstudio: not an asset hash: ${hash.slice(0, 80)}`);
  return `/assets/${hash}`;
}
