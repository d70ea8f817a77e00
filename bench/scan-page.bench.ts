// Repeat scans: 20,000 different codes of 4 runs asked in turn, so nearly every measured request is a code
// already scanned (see support/scan-bench.ts for what is measured and against what).
import { runScanBench } from './support/scan-bench.ts';

await runScanBench({
  name: 'scan-page',
  runs: 4,
  codesPerRun: 25_000,
  mode: { kind: 'repeat', paths: 20_000 },
  targetRatio: 0.7,
  targetP99Ms: 10,
});
