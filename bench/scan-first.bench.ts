// First scans: every request a code never scanned before, as when a printed label is scanned for the first
// time (its code's row is created, the first-scan time set). 1,200,000 codes of 4 runs; each load gets codes
// of its own (see support/scan-bench.ts for what is measured and against what).
import { runScanBench } from './support/scan-bench.ts';

await runScanBench({
  name: 'scan-first',
  runs: 4,
  codesPerRun: Number(process.env.BENCH_CODES_PER_RUN ?? 300_000),
  mode: { kind: 'first' },
  targetRatio: 0.6,
  targetP99Ms: 10,
});
