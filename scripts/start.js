// @ts-check
// `npm start`: builds what is stale (scripts/build.js), then runs `ezhen serve` (bin/ezhen.js) in this same
// process: one Node process and one look at the sources' dates less than building and serving apart.
import { buildStale } from './build.js';

await buildStale();
// `npm start -- …` passes its arguments on to serve, as before.
process.argv.splice(2, 0, 'serve');
await import('../bin/ezhen.js');
