// A keep-alive HTTP load generator in its own process (the benchmarks' servers get the rest of the
// machine): `node --import tsx bench/support/load-generator.ts options.json` prints one JSON result line.
// Paths are taken in turn from the list, so every request can ask for a different trace code.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

type Options = {
  url: string;
  paths: string[];
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
};

const options = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as Options;
let next = 0;
const result = await autocannon({
  url: options.url,
  connections: options.connections,
  duration: options.seconds,
  headers: options.headers ?? {},
  requests: [
    {
      method: 'GET',
      setupRequest: (request) => {
        const path = options.paths[next % options.paths.length] as string;
        next += 1;
        return { ...request, path };
      },
    },
  ],
});
console.log(
  JSON.stringify({
    requests: result.requests.total,
    requestsPerSecond: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    bytesPerRequest: result.requests.total > 0 ? result.throughput.total / result.requests.total : 0,
  }),
);
