/**
 * Scan pages are cached per run; any write that can change what a scan page shows (brand, authorization,
 * product, certification, batch, inspection, recall) bumps the generation, so the next scan re-reads.
 */
let generation = 0;

export function invalidateScanPages(): void {
  generation += 1;
}

export function scanPagesGeneration(): number {
  return generation;
}
