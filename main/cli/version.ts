import { readFileSync } from 'node:fs';

/**
 * The version in package.json, read at run time. From main/cli/version.ts and from the bundle
 * dist/main/cli.mjs alike, the package root is two folders up.
 */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}
