import { describe, expect, it } from 'vitest';
import { generateOpenApiDocument } from './openapi-document.ts';

type Schema = { $ref?: string; properties?: Record<string, unknown> };
type Operation = { requestBody?: { content?: Record<string, { schema?: Schema }> }; responses: object };

/**
 * Lost updates (ADR 014): every PUT and PATCH edits a record someone else may have changed since it was
 * loaded, so its body carries the version it was loaded at and a stale one answers 409. A new editing
 * route without a version fails here.
 */
describe('every edit carries a record version', () => {
  it('declares `version` in the body of every PUT and PATCH, and a 409 answer', async () => {
    const document = (await generateOpenApiDocument()) as unknown as {
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, Schema> };
    };
    const resolve = (schema: Schema | undefined) =>
      schema?.$ref ? document.components.schemas[schema.$ref.split('/').at(-1) as string] : schema;
    const edits: string[] = [];
    const unversioned: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (method !== 'put' && method !== 'patch') continue;
        const name = `${method.toUpperCase()} ${path}`;
        edits.push(name);
        const body = resolve(operation.requestBody?.content?.['application/json']?.schema);
        if (!body?.properties || !('version' in body.properties) || !('409' in operation.responses))
          unversioned.push(name);
      }
    }
    expect(edits.length).toBeGreaterThanOrEqual(29);
    expect(unversioned).toEqual([]);
  });
});
