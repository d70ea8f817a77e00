#!/usr/bin/env node
// Runs the server's code as `npm start` compiled it (.cache/server, see scripts/build.js) while that is
// newer than every source, and otherwise the TypeScript directly through tsx, so `npx ezhen` needs no build
// step and never runs code older than the sources.
import module from 'node:module';
import { fileURLToPath } from 'node:url';
import { serverBuildFile, serverBuildIsCurrent } from '../scripts/build.js';

// Node 22.1 and later keep V8's compiled code of the modules loaded from here on (the server and its
// packages) in .cache/compile, so that a later start compiles less; Node 20 has no such cache and skips it.
module.enableCompileCache?.(fileURLToPath(new URL('../.cache/compile', import.meta.url)));

if (serverBuildIsCurrent()) {
  // Stack traces name the TypeScript files and lines.
  process.setSourceMapsEnabled(true);
  await import(serverBuildFile());
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
