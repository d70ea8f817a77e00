import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTypesFile, apiTypesSource } from '../../scripts/generate-api-types.ts';
import { createTestContext, type TestContext, testBackends } from '../test/test-context.ts';
import { type App, buildApp } from './app.ts';
import { SESSION_SECURITY_SCHEME } from './openapi.ts';
import { type OpenApiDocument, stableDocument } from './openapi-document.ts';

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Fastify's `/a/:id` as OpenAPI writes it, `/a/{id}`. */
const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

describe.each(testBackends)('the OpenAPI document on %s', (backend) => {
  let app: App;
  let context: TestContext;
  let document: OpenApiDocument;
  beforeAll(async () => {
    context = await createTestContext(backend);
    app = await buildApp(context);
    await app.ready();
    const response = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    document = response.json();
  });
  afterAll(async () => {
    await app.close();
    await context.close();
  });

  it('is valid OpenAPI 3.1 for an independent validator, every $ref resolving', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(() => validator.resolveRefs()).not.toThrow();
  });

  it('declares the session cookie and requires it on every operation whose policy is not public', () => {
    expect(document.components?.securitySchemes?.[SESSION_SECURITY_SCHEME]).toEqual({
      type: 'apiKey',
      in: 'cookie',
      name: 'ezhen_session',
    });
    const policyOf = new Map(
      app.registeredRoutes.map((route) => [
        `${route.method.toLowerCase()} ${openApiPath(route.url)}`,
        route.policy,
      ]),
    );
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      methods
        .filter((method) => method in item)
        .map((method) => ({ key: `${method} ${path}`, item, method })),
    );
    const secured = operations.filter(({ item, method }) => {
      const operation = item[method] as { security?: unknown };
      return JSON.stringify(operation.security) === JSON.stringify([{ [SESSION_SECURITY_SCHEME]: [] }]);
    });
    const expected = operations.filter(({ key }) => {
      expect(policyOf.has(key), key).toBe(true);
      return policyOf.get(key)?.access !== 'public';
    });
    expect(secured.map(({ key }) => key)).toEqual(expected.map(({ key }) => key));
    expect(expected.length).toBeGreaterThan(200);
    expect(operations.length - expected.length).toBeGreaterThan(0);
  });

  it('is what web/src/api/schema.d.ts was generated from (`npm run api:types` regenerates it)', async () => {
    const committed = readFileSync(apiTypesFile, 'utf8');
    expect(await apiTypesSource(stableDocument(document))).toBe(committed);
  });
});
