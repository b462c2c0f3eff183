import type { IncomingMessage, ServerResponse } from 'node:http';

export type Method = 'GET' | 'POST';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Path parameters by name, already URL-decoded. */
  params: Record<string, string>;
}

/** A JSON answer; the server adds `simulated`. Handlers that stream (SSE, files) answer themselves and return undefined. */
export interface Reply {
  status: number;
  body: Record<string, unknown>;
}

export interface Route {
  method: Method;
  /** OpenAPI path template, e.g. "/v1/models/{id}/load": the same string the OpenAPI document uses. */
  path: string;
  /** False only for /health, which watchers (Docker, the container manager) poll without a token. */
  auth: boolean;
  handle(ctx: RouteContext): Promise<Reply | undefined>;
}

interface Compiled {
  route: Route;
  pattern: RegExp;
  names: string[];
}

/** Matches request paths against OpenAPI-style templates (`{name}` = one path segment). */
export class RouteTable {
  private readonly compiled: Compiled[];

  constructor(readonly routes: readonly Route[]) {
    this.compiled = routes.map((route) => {
      const names: string[] = [];
      const source = route.path
        .split('/')
        .map((seg) => {
          const m = /^\{(\w+)\}$/.exec(seg);
          if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(m[1] as string);
          return '([^/]+)';
        })
        .join('/');
      return { route, pattern: new RegExp(`^${source}$`), names };
    });
  }

  /** The route for this method and path; `allowed` lists methods the path has when the method is wrong. */
  match(method: string, pathname: string): { route: Route; params: Record<string, string> } | { route: null; allowed: Method[] } {
    const allowed: Method[] = [];
    for (const c of this.compiled) {
      const m = c.pattern.exec(pathname);
      if (!m) continue;
      const wanted = method === 'HEAD' ? 'GET' : method;
      if (c.route.method !== wanted) {
        allowed.push(c.route.method);
        continue;
      }
      const params: Record<string, string> = {};
      c.names.forEach((name, i) => {
        params[name] = safeDecode(m[i + 1] as string);
      });
      return { route: c.route, params };
    }
    return { route: null, allowed };
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
