// A worker thread does not inherit the parent's tsx loader on Node 20: register it here (as bin/ezhen.js
// does for the main thread), then run the TypeScript worker. Works the same under tsx, vitest and `npm start`.
import { register } from 'tsx/esm/api';

register();
await import('./xlsx-rows-worker.ts');
