import { describe, expect, it } from 'vitest';
import { isRemoteEndpoint, parseDockerHost } from '../../../../main/core/containers/docker-host.js';

describe('DOCKER_HOST parsing', () => {
  it('defaults to the platform socket', () => {
    expect(parseDockerHost({}, 'linux')).toEqual({ kind: 'socket', path: '/var/run/docker.sock', url: 'unix:///var/run/docker.sock' });
    expect(parseDockerHost({}, 'win32')).toMatchObject({ kind: 'pipe', path: '//./pipe/docker_engine' });
  });

  it('reads unix sockets, tcp with and without TLS, and ssh', () => {
    expect(parseDockerHost({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' })).toMatchObject({ kind: 'socket', path: '/run/user/1000/docker.sock' });
    expect(parseDockerHost({ DOCKER_HOST: 'tcp://10.0.0.5' })).toMatchObject({ kind: 'tcp', host: '10.0.0.5', port: 2375, tls: false });
    expect(parseDockerHost({ DOCKER_HOST: 'tcp://gpu-box:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' })).toMatchObject({ kind: 'tcp', host: 'gpu-box', port: 2376, tls: true, certPath: '/certs' });
    expect(parseDockerHost({ DOCKER_HOST: 'tcp://box', DOCKER_TLS_VERIFY: '1' })).toMatchObject({ port: 2376, tls: true });
    expect(parseDockerHost({ DOCKER_HOST: 'ssh://me@gpu-box:2222' })).toMatchObject({ kind: 'ssh', host: 'gpu-box', port: 2222, username: 'me' });
    expect(parseDockerHost({ DOCKER_HOST: 'ssh://gpu-box' })).toMatchObject({ kind: 'ssh', port: 22 });
  });

  it('knows which daemons are on another machine', () => {
    expect(isRemoteEndpoint(parseDockerHost({}, 'linux'))).toBe(false);
    expect(isRemoteEndpoint(parseDockerHost({ DOCKER_HOST: 'tcp://127.0.0.1:2375' }))).toBe(false);
    expect(isRemoteEndpoint(parseDockerHost({ DOCKER_HOST: 'tcp://gpu-box:2375' }))).toBe(true);
    expect(isRemoteEndpoint(parseDockerHost({ DOCKER_HOST: 'ssh://localhost' }))).toBe(true);
  });

  it('explains a malformed value instead of failing later', () => {
    expect(() => parseDockerHost({ DOCKER_HOST: 'gpu-box:2375' })).toThrow(/DOCKER_HOST="gpu-box:2375" is not a Docker address \(unknown scheme "gpu-box"\)/);
    expect(() => parseDockerHost({ DOCKER_HOST: 'http//x' })).toThrow(/not a URL/);
    expect(() => parseDockerHost({ DOCKER_HOST: 'unix://relative.sock' })).toThrow(/must be absolute/);
  });
});
