import fastifySwagger, { type SwaggerTransform } from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import type { Policy } from '../access/policies.ts';
import { SESSION_COOKIE } from '../modules/accounts/session.service.ts';

/** The name of the session cookie's security scheme in the OpenAPI document. */
export const SESSION_SECURITY_SCHEME = 'cookieAuth';

/**
 * The zod transform, plus the session-cookie security requirement on every operation whose declared
 * policy is not public (a route without a policy is refused at start-up, so it is marked protected here).
 */
export const documentRoute: SwaggerTransform = (document) => {
  const transformed = jsonSchemaTransform(document as Parameters<typeof jsonSchemaTransform>[0]);
  const policy = (document.route.config as { policy?: Policy } | undefined)?.policy;
  if (transformed.schema.hide || policy?.access === 'public') return transformed;
  return { ...transformed, schema: { ...transformed.schema, security: [{ [SESSION_SECURITY_SCHEME]: [] }] } };
};

/**
 * The OpenAPI 3.1 document, generated from the routes' zod schemas. Schemas given an id with
 * `.meta({ id })` (recursive ones must be: the transform cannot inline a cycle) become components.
 */
export async function registerOpenApi(app: FastifyInstance, version: string) {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'EZhen e镇通 API',
        description: '山西省乡村e镇规划、运营、监测与评价平台接口',
        version,
      },
      components: {
        securitySchemes: {
          [SESSION_SECURITY_SCHEME]: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
    },
    transform: documentRoute,
    transformObject: jsonSchemaTransformObject,
  });
}
