import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Replies with an answer kept per data version (src/db/data-versions.ts) as bytes made once. Every reader of the
 * same key and version gets the same object, so its JSON — checked against the route's response schema by the
 * route's own serializer — and its gzip are made the first time it is sent and reused until the version moves
 * and the cache hands out a new object. A province's overview is close to half a megabyte: validating and
 * stringifying it for every request cost more than reading the versions it depends on.
 */
type Kept = { json: Buffer; gzip?: Buffer };

const kept = new WeakMap<object, Kept>();

/** Bodies below this are sent as they are (the compression plugin's threshold). */
const COMPRESS_FROM_BYTES = 1024;

/** Whether the client accepts gzip (`Accept-Encoding: gzip`, `gzip;q=0.5`, not `gzip;q=0`). */
function acceptsGzip(request: FastifyRequest): boolean {
  const header = request.headers['accept-encoding'];
  if (typeof header !== 'string') return false;
  return header.split(',').some((part) => {
    const [coding, ...parameters] = part.trim().toLowerCase().split(';');
    if (coding?.trim() !== 'gzip' && coding?.trim() !== '*') return false;
    const quality = parameters
      .map((parameter) => parameter.trim())
      .find((parameter) => parameter.startsWith('q='));
    return quality === undefined || Number(quality.slice(2)) > 0;
  });
}

export function sendKept(request: FastifyRequest, reply: FastifyReply, value: object): FastifyReply {
  let bytes = kept.get(value);
  if (!bytes) {
    bytes = { json: Buffer.from(reply.serialize(value) as string) };
    kept.set(value, bytes);
  }
  reply.type('application/json; charset=utf-8').header('vary', 'accept-encoding');
  if (bytes.json.length < COMPRESS_FROM_BYTES || !acceptsGzip(request)) return reply.send(bytes.json);
  bytes.gzip ??= gzipSync(bytes.json);
  return reply.header('content-encoding', 'gzip').send(bytes.gzip);
}
