import { gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sendKept } from './kept-reply.ts';

const answerSchema = z.object({ name: z.string(), values: z.array(z.number()) });
const big = { name: '皋陶e镇', values: Array.from({ length: 2000 }, (_, index) => index) };
const small = { name: '小', values: [1] };
const wrong = { name: 42, values: [] };
let serialized = 0;

const app = Fastify().withTypeProvider<ZodTypeProvider>();
app.setValidatorCompiler(validatorCompiler);
app.setSerializerCompiler((route) => {
  const serialize = serializerCompiler(route as Parameters<typeof serializerCompiler>[0]);
  return (data) => {
    serialized += 1;
    return serialize(data);
  };
});
app.get(
  '/kept/:which',
  {
    schema: {
      params: z.object({ which: z.enum(['big', 'small', 'wrong']) }),
      response: { 200: answerSchema },
    },
  },
  async (request, reply) =>
    sendKept(request, reply, { big, small, wrong }[request.params.which] as z.infer<typeof answerSchema>),
);

beforeAll(() => app.ready());
afterAll(() => app.close());

describe('a kept answer', () => {
  it('is serialized by the route once and sent as the same JSON to every reader', async () => {
    const before = serialized;
    const first = await app.inject({ url: '/kept/big' });
    const second = await app.inject({ url: '/kept/big' });
    expect(serialized - before).toBe(1);
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(first.headers['content-encoding']).toBeUndefined();
    expect(first.json()).toEqual(big);
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
  });

  it('goes gzipped to a client that accepts gzip, and as it is to one that refuses it', async () => {
    for (const accept of ['gzip', 'br, gzip;q=0.8', 'deflate, *']) {
      const response = await app.inject({ url: '/kept/big', headers: { 'accept-encoding': accept } });
      expect(response.headers['content-encoding'], accept).toBe('gzip');
      expect(response.headers.vary).toContain('accept-encoding');
      expect(JSON.parse(gunzipSync(response.rawPayload).toString('utf8'))).toEqual(big);
    }
    for (const accept of ['gzip;q=0', 'br', 'identity']) {
      const response = await app.inject({ url: '/kept/big', headers: { 'accept-encoding': accept } });
      expect(response.headers['content-encoding'], accept).toBeUndefined();
      expect(response.json()).toEqual(big);
    }
  });

  it('leaves a small answer uncompressed', async () => {
    const response = await app.inject({ url: '/kept/small', headers: { 'accept-encoding': 'gzip' } });
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.json()).toEqual(small);
  });

  it('is still checked against the response schema', async () => {
    const response = await app.inject({ url: '/kept/wrong' });
    expect(response.statusCode).toBe(500);
  });
});
