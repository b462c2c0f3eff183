import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * Real folders that refuse writes, even for root (these tests run as root, where chmod 0555 does
 * not stop anything). Each is a real mount when the process may mount (root on Linux with
 * CAP_SYS_ADMIN, as in CI here); otherwise null and the test using it is skipped.
 * - readOnly: a tmpfs mounted `ro` → EROFS, exactly what a read-only USB stick or share gives.
 * - tiny: a 64 KiB tmpfs → ENOSPC once a write exceeds it, a genuinely full disk.
 */
export const canMount = process.platform === 'linux' && process.getuid?.() === 0 && probeMount();
/** sysfs refuses to create files for everyone, root included (EACCES): no mount needed. */
export const sysfsDir = process.platform === 'linux' ? '/sys' : null;

function probeMount(): boolean {
  try {
    execFileSync('mount', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function useMountedFolders() {
  const mounted: string[] = [];
  afterAll(async () => {
    for (const dir of mounted.splice(0)) {
      try {
        execFileSync('umount', [dir], { stdio: 'ignore' });
      } catch {
        execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      }
      await rm(dir, { recursive: true, force: true });
    }
  });
  async function mountTmpfs(options: string): Promise<string | null> {
    if (!canMount) return null;
    const dir = await mkdtemp(join(tmpdir(), 'adstudio-mnt-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
    } catch {
      await rm(dir, { recursive: true, force: true });
      return null;
    }
    mounted.push(dir);
    return dir;
  }
  return {
    readOnly: () => mountTmpfs('ro,size=1m'),
    /** A 64 KiB disk. */
    tiny: () => mountTmpfs('size=64k'),
  };
}
