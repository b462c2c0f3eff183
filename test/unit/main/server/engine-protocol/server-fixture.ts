import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobScheduler } from '../../../../../main/core/scheduler/scheduler-types.js';
import type { StageEngine } from '../../../../../main/engine/stage-engine.js';
import { startEngineProtocolServer, type EngineProtocolServer, type EngineProtocolServerOptions } from '../../../../../main/server/engine-protocol/engine-server.js';
import { createCopyEngineDouble, createSerialSchedulerDouble } from './copy-engine-double.js';

export const TOKEN = 'test-token-0123456789abcdef';

export interface Fixture {
  server: EngineProtocolServer;
  engine: StageEngine & { loads: string[] };
  scheduler: JobScheduler;
  workspace: string;
  logs: string[];
  /** fetch against the server with the token. */
  api(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** An in-process engine protocol server over the copy-engine and serial-scheduler test doubles. */
export async function startFixture(o: Partial<EngineProtocolServerOptions> & { simulated?: boolean; workspace?: string } = {}): Promise<Fixture> {
  const workspace = o.workspace ?? (await mkdtemp(join(tmpdir(), 'adstudio-protocol-')));
  const engine = createCopyEngineDouble({ simulated: o.simulated ?? false });
  const scheduler = createSerialSchedulerDouble(engine);
  const logs: string[] = [];
  const server = await startEngineProtocolServer({
    host: '127.0.0.1',
    port: 0,
    token: TOKEN,
    version: '9.9.9',
    engine,
    scheduler,
    workspace,
    log: (l) => logs.push(l),
    ...o,
  });
  return {
    server,
    engine,
    scheduler,
    workspace,
    logs,
    api: (path, init = {}) => fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...(init.headers as Record<string, string>) } }),
    async close() {
      await server.close();
      await scheduler.close();
    },
  };
}

/** Reads SSE frames from a fetch response until `until` says stop; returns the parsed events. */
export async function readEvents(res: Response, until: (events: ParsedEvent[]) => boolean, timeoutMs = 10_000): Promise<ParsedEvent[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: ParsedEvent[] = [];
  let buffer = '';
  const deadline = setTimeout(() => void reader.cancel(), timeoutMs);
  try {
    while (!until(events)) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(
          frame
            .split('\n')
            .filter((l) => l && !l.startsWith(':'))
            .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]),
        ) as Record<string, string>;
        if (fields.data) events.push({ id: fields.id ?? null, event: fields.event ?? 'message', data: JSON.parse(fields.data) as Record<string, unknown> });
      }
    }
  } finally {
    clearTimeout(deadline);
    await reader.cancel().catch(() => undefined);
  }
  return events;
}

export interface ParsedEvent {
  id: string | null;
  event: string;
  data: Record<string, unknown>;
}
