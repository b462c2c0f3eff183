// Run by stdio-guard.test.ts: an MCP server on stdio whose tool writes noise to stdout the way a
// careless library would (console.log, process.stdout.write) — serveStdio must keep it off stdout.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { serveStdio } from '../../../../main/mcp/mcp-stdio.js';

const server = new McpServer({ name: 'guard-test', version: '1' });
server.registerTool('noisy', { description: 'writes to stdout' }, async () => {
  console.log('NOISE from console.log');
  process.stdout.write('NOISE from process.stdout.write\n');
  return { content: [{ type: 'text', text: 'quiet answer' }] };
});
await serveStdio(server, new AbortController().signal);
process.stderr.write('child: stdio closed\n');
