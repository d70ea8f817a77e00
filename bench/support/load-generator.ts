// A keep-alive HTTP load generator in its own process (the benchmarks' servers get the rest of the
// machine): `node --import tsx bench/support/load-generator.ts options.json` prints one JSON result line.
// Paths are taken in turn from the list, so every request can ask for a different trace code. Instead of
// paths, `requests` may give each request its own headers (a session's cookie) and a label; the result then
// also has each label's count and latencies, so a mix of routes shows which of them is slow.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

type LoadRequest = { path: string; headers?: Record<string, string>; label?: string };

type Options = {
  url: string;
  paths?: string[];
  requests?: LoadRequest[];
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
  /** Seconds before a request counts as timed out (autocannon's default is 10). */
  timeoutSeconds?: number;
};

const options = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as Options;
const requests: LoadRequest[] = options.requests ?? (options.paths ?? []).map((path) => ({ path }));
if (requests.length === 0) throw new Error('load generator: no paths or requests');
type Label = { latencies: number[]; non2xx: number };
const labels = new Map<string, Label>();
let next = 0;
const instance = autocannon({
  url: options.url,
  connections: options.connections,
  duration: options.seconds,
  timeout: options.timeoutSeconds ?? 10,
  headers: options.headers ?? {},
  requests: [
    {
      method: 'GET',
      setupRequest: (request, context) => {
        const chosen = requests[next % requests.length] as LoadRequest;
        next += 1;
        // The context lives until this request's answer is recorded, so the answer can be labelled.
        (context as { label?: string }).label = chosen.label;
        return { ...request, path: chosen.path, headers: { ...request.headers, ...chosen.headers } };
      },
    },
  ],
  // Without a callback autocannon returns its tracker, an event emitter that is also a promise of the result.
}) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
instance.on('response', (client, statusCode, _bytes, responseTime) => {
  const label = (client as unknown as { requestIterator: { context: { label?: string } } }).requestIterator
    .context.label;
  if (label === undefined) return;
  let entry = labels.get(label);
  if (!entry) {
    entry = { latencies: [], non2xx: 0 };
    labels.set(label, entry);
  }
  entry.latencies.push(responseTime);
  if (statusCode < 200 || statusCode >= 300) entry.non2xx += 1;
});
const result = await instance;
const percentile = (sorted: number[], fraction: number) =>
  sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] as number);
const routes = Object.fromEntries(
  [...labels].map(([label, { latencies, non2xx }]) => {
    const sorted = latencies.sort((a, b) => a - b);
    return [
      label,
      {
        requests: sorted.length,
        p50: Math.round(percentile(sorted, 0.5)),
        p99: Math.round(percentile(sorted, 0.99)),
        max: Math.round(sorted.at(-1) ?? 0),
        non2xx,
      },
    ];
  }),
);
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
    ...(labels.size > 0 ? { routes } : {}),
  }),
);
