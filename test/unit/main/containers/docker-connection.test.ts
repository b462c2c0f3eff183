import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectionOptions } from '../../../../main/adapters/docker-connection.js';
import { parseDockerHost } from '../../../../main/core/containers/docker-host.js';

const homes: string[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});
function home(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'adstudio-home-'));
  homes.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('Docker connection options, with the docker CLI defaults', () => {
  it('TLS reads DOCKER_CERT_PATH, else ~/.docker; a missing certificate is named', () => {
    const h = home({ '.docker/ca.pem': 'CA', '.docker/cert.pem': 'CERT', '.docker/key.pem': 'KEY' });
    const viaHome = connectionOptions(parseDockerHost({ DOCKER_HOST: 'tcp://gpu-box:2376', DOCKER_TLS_VERIFY: '1' }), {}, { home: h });
    expect(viaHome).toMatchObject({ host: 'gpu-box', port: 2376, protocol: 'https' });
    expect([viaHome.ca, viaHome.cert, viaHome.key].map((b) => String(b))).toEqual(['CA', 'CERT', 'KEY']);
    const empty = home();
    expect(() => connectionOptions(parseDockerHost({ DOCKER_HOST: 'tcp://gpu-box:2376', DOCKER_TLS_VERIFY: '1' }), {}, { home: empty })).toThrow(
      `TLS to tcp://gpu-box:2376 needs ${join(empty, '.docker', 'ca.pem')} (set DOCKER_CERT_PATH`,
    );
    expect(connectionOptions(parseDockerHost({ DOCKER_HOST: 'tcp://gpu-box:2375' }), {}, { home: empty })).toEqual({ host: 'gpu-box', port: 2375, protocol: 'http' });
  });

  it('ssh logs in as the current user unless the address names one; the agent first, else a key from ~/.ssh', () => {
    const h = home({ '.ssh/id_rsa': 'RSA KEY', '.ssh/id_ed25519': 'ED KEY' });
    const agent = connectionOptions(parseDockerHost({ DOCKER_HOST: 'ssh://gpu-box' }), { SSH_AUTH_SOCK: '/tmp/agent.sock' }, { home: h, user: 'kim' });
    expect(agent).toMatchObject({ host: 'gpu-box', port: 22, protocol: 'ssh', username: 'kim', sshOptions: { agent: '/tmp/agent.sock' } });
    const named = connectionOptions(parseDockerHost({ DOCKER_HOST: 'ssh://park@gpu-box:2222' }), {}, { home: h, user: 'kim' });
    expect(named).toMatchObject({ port: 2222, username: 'park' });
    // No agent: the first key the ssh client would try.
    expect(String((named as { sshOptions: { privateKey: Buffer } }).sshOptions.privateKey)).toBe('ED KEY');
    const bare = home();
    expect(() => connectionOptions(parseDockerHost({ DOCKER_HOST: 'ssh://gpu-box' }), {}, { home: bare, user: 'kim' })).toThrow(/needs an ssh agent \(SSH_AUTH_SOCK\) or a key in/);
  });
});
