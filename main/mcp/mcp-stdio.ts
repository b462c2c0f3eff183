import { Writable } from 'node:stream';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

/**
 * Serves MCP on stdin/stdout until the client closes stdin or `signal` aborts. stdout then carries
 * protocol messages only: anything else that would write there — a console.log in some library, a
 * worker thread's output — is sent to stderr instead, where clients show it as the server's log.
 */
export async function serveStdio(server: McpServer, signal: AbortSignal): Promise<void> {
  const stdout = process.stdout;
  const protocolWrite = stdout.write.bind(stdout);
  const protocolOut = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      protocolWrite(chunk, (e?: Error | null) => callback(e ?? null));
    },
  });
  stdout.write = ((chunk: Uint8Array | string, encodingOrCallback?: BufferEncoding | ((e?: Error | null) => void), callback?: (e?: Error | null) => void) =>
    typeof encodingOrCallback === 'function'
      ? process.stderr.write(chunk, encodingOrCallback)
      : process.stderr.write(chunk, encodingOrCallback as BufferEncoding, callback)) as typeof stdout.write;

  const transport = new StdioServerTransport(process.stdin, protocolOut);
  try {
    await new Promise<void>((resolve) => {
      const done = () => resolve();
      if (signal.aborted) return done();
      signal.addEventListener('abort', done, { once: true });
      process.stdin.once('end', done);
      process.stdin.once('close', done);
      transport.onclose = done;
      server.connect(transport).catch(done);
    });
  } finally {
    await server.close().catch(() => undefined);
    // Let the last answers drain before the process may exit.
    await new Promise<void>((resolve) => protocolOut.end(() => resolve()));
    stdout.write = protocolWrite as typeof stdout.write;
  }
}
