import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeededApp, loginReady, type TestContext, testBackends } from '../test/test-context.ts';
import type { App } from './app.ts';
import type { OpenApiDocument } from './openapi-document.ts';

/**
 * Every operation of the OpenAPI document, called by several roles with hostile input: NUL characters and
 * lone surrogates in each path parameter, query parameter and body field, empty bodies, and plausible path
 * values. Whatever the answer, it is never a 500.
 */

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
type Method = (typeof METHODS)[number];
type Parameter = { name: string; in: 'path' | 'query' | 'header' | 'cookie' };
type Operation = {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
};
type Schema = { $ref?: string; properties?: Record<string, Schema>; type?: string | string[] };

/** Calls that would end the fuzzing session or wipe the database rather than test its input handling. */
const SKIPPED = new Set(['post /api/auth/logout', 'post /api/system/restore']);

/** Path values that exist in the demo data, so handlers get past the lookup to the body. */
const plausible: Record<string, string> = {
  code: '140827-E01',
  etownCode: '140827-E01',
  cityCode: '140800',
  countyCode: '140827',
  month: '2026-01',
  year: '2025',
  no: '1',
  format: 'xlsx',
};

/** In a JSON body: NUL and lone surrogates. In a URL (already percent-encoded): NUL and broken UTF-8. */
const HOSTILE_TEXT = ['a\u0000', 'a\ud800b'];
const HOSTILE_URL = ['%00', 'a%ED%A0%80b'];

function resolve(document: OpenApiDocument, schema: Schema | undefined): Schema | undefined {
  if (!schema?.$ref) return schema;
  const name = schema.$ref.split('/').pop() as string;
  const components = (document as { components?: { schemas?: Record<string, Schema> } }).components;
  return resolve(document, components?.schemas?.[name]);
}

type Call = { method: Method; path: string; operation: Operation };

function operationsOf(document: OpenApiDocument): Call[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => method in item)
      .map((method) => ({
        method,
        path,
        operation: (item as Record<string, Operation>)[method] as Operation,
      }))
      .filter(({ method, path }) => !SKIPPED.has(`${method} ${path}`)),
  );
}

/** `value` gives each path parameter already percent-encoded. */
const fillPath = (path: string, value: (name: string) => string) =>
  path.replace(/\{([A-Za-z0-9_]+)\}/g, (_match, name: string) => value(name));

describe.each(testBackends)('hostile input to every route on %s', (backend) => {
  let app: App;
  let context: TestContext;
  let document: OpenApiDocument;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    // Real ids: the first item each list route of the province answers, keyed by the list's path.
    const { cookie } = await loginReady(app, 'province.admin');
    for (const { method, path } of operationsOf(document)) {
      if (method !== 'get' || path.includes('{')) continue;
      const response = await app.inject({ method: 'GET', url: path, headers: { cookie } });
      if (response.statusCode !== 200 || !String(response.headers['content-type'] ?? '').includes('json'))
        continue;
      const body = response.json();
      const first = Array.isArray(body) ? body[0] : body?.items?.[0];
      if (typeof first?.id === 'string') ids.set(path, first.id);
    }
  }, 180_000);
  afterAll(async () => {
    await app.close();
    await context.close();
  });

  /** A path value that exists where the route's list answered one; a fresh uuid otherwise. */
  const plausibleValue = (path: string) => (name: string) =>
    encodeURIComponent(
      plausible[name] ?? ids.get(path.slice(0, path.indexOf(`{${name}}`) - 1)) ?? randomUUID(),
    );

  async function fuzz(username: string) {
    const { cookie } = await loginReady(app, username);
    const failures: string[] = [];
    const send = async (method: Method, url: string, payload?: unknown) => {
      const response = await app.inject({
        method: method.toUpperCase() as 'GET',
        url,
        headers: { cookie, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
      });
      if (response.statusCode >= 500)
        failures.push(`${method.toUpperCase()} ${url} → ${response.statusCode}`);
    };
    for (const { method, path, operation } of operationsOf(document)) {
      const parameters = operation.parameters ?? [];
      const pathNames = parameters.filter((p) => p.in === 'path').map((p) => p.name);
      const queryNames = parameters.filter((p) => p.in === 'query').map((p) => p.name);
      const bodySchema = resolve(document, operation.requestBody?.content?.['application/json']?.schema);
      const fields = Object.keys(resolve(document, bodySchema)?.properties ?? {});
      const url = fillPath(path, plausibleValue(path));
      const body = bodySchema ? {} : undefined;
      for (const hostile of HOSTILE_URL) {
        for (const name of pathNames) {
          await send(
            method,
            fillPath(path, (n) => (n === name ? hostile : plausibleValue(path)(n))),
            body,
          );
        }
        for (const name of queryNames) await send(method, `${url}?${name}=${hostile}`, body);
      }
      for (const hostile of HOSTILE_TEXT) {
        for (const name of fields) await send(method, url, { [name]: hostile });
      }
      if (bodySchema) {
        await send(method, url, {});
        await send(method, url, null);
      } else if (method !== 'get') {
        await send(method, url);
      }
    }
    return failures;
  }

  it.each(['province.admin', 'county.yuanqu', 'etown.gaotao', 'enterprise.demo'])(
    'no answer of 500 to %s',
    async (username) => {
      expect(await fuzz(username)).toEqual([]);
    },
    300_000,
  );
});
