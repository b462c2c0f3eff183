/** One event as the server sent it: `id`, the SSE event name, and the raw `data` text. */
export interface SseEvent {
  id: string | null;
  event: string;
  data: string;
}

/**
 * Parses a text/event-stream body (the WHATWG rules: `field: value` lines, `:` comments, a blank line
 * ends an event, multi-line data joined with "\n"). Calls `onBytes` for every chunk, comments and
 * heartbeats included, so a caller can tell a quiet stream from a dead one.
 */
export async function readSse(body: ReadableStream<Uint8Array>, onEvent: (e: SseEvent) => void, onBytes: () => void): Promise<void> {
  const decoder = new TextDecoder();
  let buffer = '';
  let id: string | null = null;
  let event = '';
  let data: string[] = [];
  const line = (text: string) => {
    if (text === '') {
      if (data.length) onEvent({ id, event: event || 'message', data: data.join('\n') });
      event = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id' && !value.includes('\0')) id = value;
  };
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      onBytes();
      buffer += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buffer.search(/\r\n|\r|\n/)) >= 0) {
        // A lone "\r" at the end may be half of a "\r\n" split across chunks: wait for the rest.
        if (buffer[nl] === '\r' && nl === buffer.length - 1) break;
        const eol = buffer[nl] === '\r' && buffer[nl + 1] === '\n' ? 2 : 1;
        line(buffer.slice(0, nl));
        buffer = buffer.slice(nl + eol);
      }
    }
  } finally {
    reader.releaseLock();
  }
}
