import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAGE_KINDS } from '../../../../../main/engine/stage-engine.js';
import { jobSpecSchema, stageRequestSchema } from '../../../../../main/server/engine-protocol/protocol-schemas.js';
import { ERROR_CODES } from '../../../../../preload/contract/index.js';
import { startFixture, type Fixture } from './server-fixture.js';

// js-yaml ships with the dev tools (eslint, electron-builder) but has no type declarations.
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
const docPath = fileURLToPath(new URL('../../../../../docs/engine-protocol.openapi.yaml', import.meta.url));

interface Operation {
  security?: unknown[];
  responses: Record<string, unknown>;
}
interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { enum?: string[]; properties?: Record<string, unknown>; required?: string[] }> };
}

const doc = yaml.load(readFileSync(docPath, 'utf8')) as OpenApi;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

describe('docs/engine-protocol.openapi.yaml', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startFixture();
  });
  afterAll(() => f.close());

  it('documents exactly the routes the server registers, and vice versa', () => {
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).filter((m) => METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    const served = f.server.routes.map((r) => `${r.method} ${r.path}`).sort();
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(documented).toEqual(served);
  });

  it('marks exactly the token-free routes as needing no security, and documents 401 on every other', () => {
    for (const r of f.server.routes) {
      const op = doc.paths[r.path]![r.method.toLowerCase()]!;
      if (r.auth) {
        expect(op.security, `${r.method} ${r.path}`).toBeUndefined();
        expect(Object.keys(op.responses), `${r.method} ${r.path}`).toContain('401');
      } else {
        expect(op.security, `${r.method} ${r.path}`).toEqual([]);
      }
    }
  });

  it('has every $ref resolving, and its enums match the code (error codes, stage kinds)', () => {
    const text = readFileSync(docPath, 'utf8');
    const refs = [...text.matchAll(/\$ref: '#\/([^']+)'/g)].map((m) => m[1] as string);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of new Set(refs)) {
      const target = ref.split('/').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
      expect(target, ref).toBeDefined();
    }
    expect(doc.components.schemas.ErrorCode!.enum).toEqual([...ERROR_CODES]);
    expect(doc.components.schemas.StageKind!.enum).toEqual([...STAGE_KINDS]);
  });

  it('documents exactly the fields the server accepts in request bodies (a strict schema refuses any other)', () => {
    for (const [name, schema] of [
      ['StageRequest', stageRequestSchema],
      ['JobSpec', jobSpecSchema],
    ] as const) {
      const documented = doc.components.schemas[name]!;
      expect(Object.keys(documented.properties ?? {}).sort(), name).toEqual(Object.keys(schema.shape).sort());
      const required = Object.entries(schema.shape).filter(([, field]) => !field.safeParse(undefined).success).map(([key]) => key);
      expect([...(documented.required ?? [])].sort(), name).toEqual(required.sort());
    }
  });
});
