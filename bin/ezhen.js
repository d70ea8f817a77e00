#!/usr/bin/env node
// Runs the server's code as `npm start` compiled it (.cache/server, see scripts/build.js) while that is
// newer than every source, and otherwise the TypeScript directly through tsx, so `npx ezhen` needs no build
// step and never runs code older than the sources.
import { serverBuildFile, serverBuildIsCurrent } from '../scripts/build.js';

if (serverBuildIsCurrent()) {
  // Stack traces name the TypeScript files and lines.
  process.setSourceMapsEnabled(true);
  await import(serverBuildFile());
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
