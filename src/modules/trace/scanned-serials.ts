import type { AppContext } from '../../http/context.ts';
import { makeRoom } from '../../lib/bounded-map.ts';
import { logger } from '../../lib/logger.ts';
import { traceCodeSerial } from './trace-code.ts';

/** A run as the scanned-serials sets need it: its id and its range of serials. */
export type SerialRange = { runId: string; firstSerial: number; count: number };

type RunSerials = {
  firstSerial: number;
  count: number;
  /** Bit n: serial firstSerial + n has a code_scans row (read from the database or scanned here). */
  bits: Uint8Array;
  /** Local time when the last read that succeeded started; 0 until the first one. */
  syncedAt: number;
  /** Local time of the last read started, failed or not: reads are at most this often. */
  attemptedAt: number;
  reading: boolean;
};

function setBit(entry: RunSerials, serial: number): void {
  const offset = serial - entry.firstSerial;
  if (offset < 0 || offset >= entry.count) return;
  entry.bits[offset >> 3] = (entry.bits[offset >> 3] as number) | (1 << (offset & 7));
}

/** How often a run's set is brought up to date with the scans every instance has written. */
const REFRESH_EVERY_MS = 5_000;
/**
 * A refresh re-reads the first scans from this long before the previous one started: a first scan is
 * written within a second of its time (the recorder's urgent flush), and instances' clocks differ a little.
 */
const OVERLAP_MS = 5_000;
/** A set older than this (the database unreachable) is not trusted: scans read their code's row again. */
const TRUST_FOR_MS = 30_000;
/** Runs kept (a bit per code: a run of a million codes is 125 KB). */
const MAX_RUNS = 256;

/**
 * Per server: for each run being scanned, which of its serials have been scanned (a bit per code), so a
 * code never scanned before — most scans of a printed label — is answered without reading its row. A
 * code whose bit is set is read as before; a bit missing for a code another instance scanned within the
 * last few seconds only shows that scan as the first one (counts are the database's, added up on write).
 */
export class ScannedSerials {
  private runs = new Map<string, RunSerials>();
  /**
   * Whether other instances write scans too: on PostgreSQL. PGlite's database lives in this process, so
   * what it read once and what this process marks since is the whole truth.
   */
  private readonly shared: boolean;

  constructor(private readonly context: AppContext) {
    this.shared = context.database.kind === 'postgres';
  }

  /**
   * True when no instance had scanned the serial as of a few seconds ago and this process has not since;
   * false when it was scanned; undefined while the run's set is not read yet (the caller reads the row).
   */
  unscanned(run: SerialRange, serial: number): boolean | undefined {
    const entry = this.runs.get(run.runId) ?? this.add(run);
    if (entry.syncedAt === 0 || this.shared) {
      const now = Date.now();
      if (!entry.reading && now - entry.attemptedAt >= REFRESH_EVERY_MS)
        void this.read(run.runId, entry, now);
      if (entry.syncedAt === 0 || now - entry.syncedAt >= TRUST_FOR_MS) return undefined;
    }
    const offset = serial - entry.firstSerial;
    if (offset < 0 || offset >= entry.count) return undefined;
    return ((entry.bits[offset >> 3] as number) & (1 << (offset & 7))) === 0;
  }

  /** A serial this process is recording a scan of. */
  mark(run: SerialRange, serial: number): void {
    const entry = this.runs.get(run.runId);
    if (entry) setBit(entry, serial);
  }

  private add(run: SerialRange): RunSerials {
    makeRoom(this.runs, MAX_RUNS);
    const entry: RunSerials = {
      firstSerial: run.firstSerial,
      count: run.count,
      bits: new Uint8Array(Math.ceil(run.count / 8)),
      syncedAt: 0,
      attemptedAt: 0,
      reading: false,
    };
    this.runs.set(run.runId, entry);
    return entry;
  }

  /**
   * Every scanned code of the run the first time, then those first scanned since shortly before the last
   * read. One row of comma-joined codes: thousands of rows cost PGlite far more to hand over than one.
   */
  private async read(runId: string, entry: RunSerials, startedAt: number): Promise<void> {
    entry.reading = true;
    entry.attemptedAt = startedAt;
    try {
      const [row] = await this.context.database.query<{ codes: string | null }>(
        `select string_agg(code, ',') as codes from code_scans
         where run_id = $1 and first_scanned_at >= to_timestamp($2::float8 / 1000)`,
        [runId, entry.syncedAt === 0 ? 0 : entry.syncedAt - OVERLAP_MS],
      );
      for (const code of row?.codes ? row.codes.split(',') : []) {
        const serial = traceCodeSerial(code);
        if (serial !== null) setBit(entry, serial);
      }
      entry.syncedAt = startedAt;
    } catch (error) {
      logger.warn({ err: error }, '读取批次已扫码序号失败，稍后重试');
    } finally {
      entry.reading = false;
    }
  }
}
