import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { policies } from '../access/policies.ts';

const webDistFolder = fileURLToPath(new URL('../../web/dist', import.meta.url));
const webIndexFile = `${webDistFolder}/index.html`;

export const webAppIsBuilt = () => existsSync(webIndexFile);

/** The single-page app's shell; read per request so a rebuild needs no restart, and never cached. */
export async function sendWebIndex(reply: FastifyReply) {
  return reply
    .type('text/html; charset=utf-8')
    .header('Cache-Control', 'no-cache')
    .send(await readFile(webIndexFile));
}

/** Serves web/dist: hashed assets for a year, index.html at / (client routes come via the not-found handler). */
export async function registerWebApp(app: FastifyInstance) {
  if (!webAppIsBuilt()) return;
  await app.register(async (web) => {
    web.addHook('onRoute', (route) => {
      route.config = { ...route.config, policy: policies.public };
    });
    // wildcard: files are looked up per request, so a rebuilt web app is served without a restart.
    await web.register(fastifyStatic, {
      root: webDistFolder,
      wildcard: true,
      index: false,
      // Vite puts a content hash in every asset name, so a browser may keep them for good.
      maxAge: '365d',
      immutable: true,
    });
    web.get('/', { schema: { hide: true } }, (_request, reply) => sendWebIndex(reply));
  });
}
