import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { AppError } from '../../preload/contract/index.js';

/**
 * Tool results are JSON as text, nothing else: paths, numbers, messages. Never image bytes, never
 * base64 — a path costs a few tokens, an encoded image hundreds of thousands. As a last guard a
 * result that looks like it carries encoded image data is refused (a bug, never a normal answer).
 */

const IMAGE_DATA = /data:image\/|iVBORw0KGgo|\/9j\/4|UklGR[A-Za-z0-9+/]{20}|[A-Za-z0-9+]{400,}/;

export function jsonResult(value: unknown, options: { isError?: boolean } = {}): CallToolResult {
  const text = JSON.stringify(value, null, 2);
  if (IMAGE_DATA.test(text)) return errorResult('internal error: a tool result looked like encoded image data and was withheld; tools answer with file paths only');
  return { content: [{ type: 'text', text }], ...(options.isError ? { isError: true } : {}) };
}

export function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/** Any thrown error as an MCP tool error with the message a person (or an agent) can act on. */
export function errorFrom(tool: string, e: unknown): CallToolResult {
  if (e instanceof AppError) return errorResult(`${tool}: ${e.message}`);
  const message = e instanceof Error ? e.message : String(e);
  return errorResult(`${tool} failed: ${message || 'unknown error'}`);
}
