import { existsSync } from 'node:fs';

/**
 * In a packaged Electron app, a package inside app.asar resolves to a path in the archive; files that
 * native code reads (fonts for FreeType) or that are listed in electron-builder's asarUnpack live in
 * app.asar.unpacked beside it. Returns that real path when it exists, else the path unchanged.
 */
export function unpackedPath(path: string): string {
  const real = path.replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
  return real !== path && existsSync(real) ? real : path;
}
