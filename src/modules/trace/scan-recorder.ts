import type { AppContext } from '../../http/context.ts';
import { makeRoom } from '../../lib/bounded-map.ts';
import { logger } from '../../lib/logger.ts';
import { chinaToday } from './scan-page-html.ts';
import type { TraceCodeParts } from './trace-code.ts';

export type ScanClient = 'wechat' | 'alipay' | 'browser';

/** Which app opened the page; the user agent is read for this and not kept. */
export function scanClient(userAgent: string | undefined): ScanClient {
  if (!userAgent) return 'browser';
  if (userAgent.includes('MicroMessenger')) return 'wechat';
  if (userAgent.includes('AlipayClient')) return 'alipay';
  return 'browser';
}

export type CodeScanState = { firstScannedAt: Date | null; scanCount: number };

type ScanEvent = {
  code: string;
  runId: string;
  scannedAt: Date;
  client: ScanClient;
  recalled: boolean;
  brandRevoked: boolean;
  /** The excessive-scan threshold in force when the page was shown. */
  threshold: number;
};

/** A code's scans since the last flush. */
type PendingCode = {
  /** A first scan, a crossed threshold or a flag: written within a second; other repeat scans lazily. */
  urgent: boolean;
  runId: string;
  firstMs: number;
  lastMs: number;
  scans: number;
  recalled: boolean;
  brandRevoked: boolean;
  threshold: number;
};

/** Scans since the last flush per run, China day and client. */
type PendingCell = { runId: string; day: string; client: ScanClient; scans: number };

type Waiting = { resolve: (state: CodeScanState) => void; reject: (error: unknown) => void };
type StateRead = { checked: CheckedCode; waiting: Waiting[] };

/**
 * Codes per statement. Fewer, larger statements cost the database less per scan than many small ones
 * (measured: 0.59× → 0.64× of the bare server on PostgreSQL); a code scanned twice within a flush is one
 * row. PGlite runs a statement in this thread, holding every request meanwhile: 2,000 first scans held it
 * 50–70 ms (the scan pages' p99), 200 some 8–10 ms (measured on a busy 2-core machine), so its statements
 * are small and requests are answered between them.
 */
const FLUSH_BATCH = { postgres: 2000, pglite: 250 } as const;
const FLUSH_EVERY_MS = 1000;
/** Under a burst, a flush starts before the second is up once this many urgent codes wait. */
const FLUSH_EARLY_AT = 10_000;
/**
 * Repeat scans that change nothing but a count (no first scan, no threshold crossed, no flag) are merged
 * for this long before their codes' rows are updated: a code scanned every few seconds is one update, not
 * one per scan. The tallies still get every scan within the second.
 */
const LAZY_EVERY_MS = 10_000;
/** Beyond this many codes waiting (database down), new scans are dropped rather than eating memory. */
const MAX_PENDING_CODES = 200_000;
/**
 * Codes whose state this process knows (read, then counted locally as it records scans), so a code scanned
 * again — the case that matters for counterfeits — costs no read. Re-read after a while to see the scans
 * other server instances recorded.
 */
const KNOWN_CODES = 100_000;
const KNOWN_FOR_MS = 30_000;

/** A code the pages checked (its MAC and run): what it names, so a repeat scan need not check it again. */
export type CheckedCode = TraceCodeParts & { code: string };

type KnownState = { firstScannedAt: Date | null; scanCount: number; readAt: number; checked: CheckedCode };

/** A known code's state, and what it names. */
export type KnownCode = CodeScanState & { checked: CheckedCode };

/**
 * One statement per batch of codes, each with its scans since the last flush (merged in memory, so a code
 * scanned twice is one row). A code's row in code_scans is created on its first scan and updated in place
 * after; the tallies (run, China day, client) get the scans; anomalies are recorded — a code over the
 * threshold (excessive_scans), a scan of a recalled batch (recalled_batch), a scan while the brand
 * authorization is revoked (revoked_brand). An anomaly already in the queue keeps its review; an open one
 * gets the latest count. Parameters are compact (codes as one string, times as epoch milliseconds, runs as
 * indexes): parsing them is a good part of a flush's cost in PGlite.
 */
const FLUSH_SQL = `
with code_in as (
  select * from unnest(string_to_array($1, ','), $2::int[], $3::float8[], $4::float8[], $5::int[])
    as e(code, run_index, first_ms, last_ms, scans)
), counted as (
  insert into code_scans as s (code, run_id, first_scanned_at, last_scanned_at, scan_count)
  select code, ($6::uuid[])[run_index], to_timestamp(first_ms / 1000), to_timestamp(last_ms / 1000), scans
  from code_in
  on conflict (code) do update set
    scan_count = s.scan_count + excluded.scan_count,
    last_scanned_at = greatest(s.last_scanned_at, excluded.last_scanned_at)
  returning s.code, s.run_id, s.scan_count, s.xmax = 0 as inserted
), tallied as (
  insert into scan_tallies as t (run_id, day, client, region_code, scans)
  select run_id, day, client, null, scans
  from unnest($7::uuid[], $8::date[], $9::text[], $10::int[]) as c(run_id, day, client, scans)
  on conflict (run_id, day, client, region_code) do update set scans = t.scans + excluded.scans
), flagged as (
  insert into scan_anomalies (code, run_id, kind, scan_count)
  select c.code, c.run_id, k.kind, c.scan_count
  from counted as c
  cross join lateral (values
    ('excessive_scans', c.scan_count > $13::int),
    ('recalled_batch', c.code = any($11::text[])),
    ('revoked_brand', c.code = any($12::text[]))) as k(kind, hit)
  where k.hit
  on conflict (code, kind) do update set scan_count = excluded.scan_count
    where scan_anomalies.status = 'open'
)
select code, scan_count from counted where not inserted`;

/**
 * A code's row as a flush leaves it: the count of every instance's scans written so far. Rows the flush
 * created are not sent back: no other instance had written the code, so this process's count is exact.
 */
type WrittenRow = { code: string; scan_count: number };

/**
 * Per server: reads codes' scan state in batches (all requests waiting in one turn of the event loop share
 * one query) and buffers scans, merged per code and per tally cell, writing them every second.
 */
export class ScanRecorder {
  private codes = new Map<string, PendingCode>();
  private cells = new Map<string, PendingCell>();
  private flushing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private lazyTimer: NodeJS.Timeout | null = null;
  private urgentCodes = 0;
  private pendingStates = new Map<string, StateRead>();
  private known = new Map<string, KnownState>();
  private statesScheduled = false;
  private dropped = 0;

  constructor(private readonly context: AppContext) {}

  /**
   * The code's first-scan time and count as stored (plus what this process has counted since). The code's
   * MAC and run range were checked before, so a code without a code_scans row is one never scanned.
   */
  state(checked: CheckedCode): Promise<CodeScanState> {
    const known = this.knownState(checked.code);
    if (known) return Promise.resolve(known);
    return new Promise((resolve, reject) => {
      const read = this.pendingStates.get(checked.code);
      if (read) read.waiting.push({ resolve, reject });
      else this.pendingStates.set(checked.code, { checked, waiting: [{ resolve, reject }] });
      if (!this.statesScheduled) {
        this.statesScheduled = true;
        setImmediate(() => void this.readStates());
      }
    });
  }

  /**
   * The code's state when this process knows it (read lately, counted since), without waiting. Only codes
   * the pages checked are ever known, so a code found here is genuine.
   */
  knownState(code: string): KnownCode | undefined {
    const known = this.known.get(code);
    if (known === undefined || Date.now() - known.readAt >= KNOWN_FOR_MS) return undefined;
    return { firstScannedAt: known.firstScannedAt, scanCount: known.scanCount, checked: known.checked };
  }

  /**
   * The state of a code known never scanned (its run's scanned serials say so): remembered as read, so
   * its next scans here are counted without a read. Undefined when this process holds scans of it.
   */
  firstScanState(checked: CheckedCode): CodeScanState | undefined {
    if (this.codes.has(checked.code)) return undefined;
    this.remember(checked.code, { firstScannedAt: null, scanCount: 0, readAt: Date.now(), checked });
    return { firstScannedAt: null, scanCount: 0 };
  }

  private async readStates(): Promise<void> {
    const pending = this.pendingStates;
    this.pendingStates = new Map();
    this.statesScheduled = false;
    try {
      const rows = await this.context.database.query<{
        code: string;
        first_scanned_at: Date | string | null;
        scan_count: number;
      }>('select code, first_scanned_at, scan_count from code_scans where code = any($1::text[])', [
        [...pending.keys()],
      ]);
      const found = new Map(rows.map((row) => [row.code, row]));
      const readAt = Date.now();
      for (const [code, { checked, waiting }] of pending) {
        const row = found.get(code);
        // Scans this process holds but has not written yet count too, so a re-read never goes backwards.
        const unwritten = this.codes.get(code);
        const state = {
          firstScannedAt: row?.first_scanned_at
            ? new Date(row.first_scanned_at)
            : unwritten
              ? new Date(unwritten.firstMs)
              : null,
          scanCount: (row?.scan_count ?? 0) + (unwritten?.scans ?? 0),
        };
        this.remember(code, { ...state, readAt, checked });
        for (const { resolve } of waiting) resolve(state);
      }
    } catch (error) {
      // Every waiting page fails alike; the route answers 503.
      for (const { waiting } of pending.values()) for (const { reject } of waiting) reject(error);
    }
  }

  private remember(code: string, state: KnownState): void {
    this.known.delete(code);
    makeRoom(this.known, KNOWN_CODES);
    this.known.set(code, state);
  }

  record(event: ScanEvent): void {
    const known = this.known.get(event.code);
    const before = known?.scanCount ?? 0;
    if (known) {
      known.scanCount += 1;
      known.firstScannedAt ??= event.scannedAt;
    }
    const urgent =
      !known ||
      before === 0 ||
      (before <= event.threshold && before + 1 > event.threshold) ||
      event.recalled ||
      event.brandRevoked;
    const at = event.scannedAt.getTime();
    const pending = this.codes.get(event.code);
    if (pending) {
      if (urgent && !pending.urgent) this.urgentCodes += 1;
      pending.urgent ||= urgent;
      pending.firstMs = Math.min(pending.firstMs, at);
      pending.lastMs = Math.max(pending.lastMs, at);
      pending.scans += 1;
      pending.recalled ||= event.recalled;
      pending.brandRevoked ||= event.brandRevoked;
      pending.threshold = Math.min(pending.threshold, event.threshold);
    } else if (this.codes.size >= MAX_PENDING_CODES) {
      this.dropped += 1;
      return;
    } else {
      if (urgent) this.urgentCodes += 1;
      this.codes.set(event.code, {
        urgent,
        runId: event.runId,
        firstMs: at,
        lastMs: at,
        scans: 1,
        recalled: event.recalled,
        brandRevoked: event.brandRevoked,
        threshold: event.threshold,
      });
    }
    const day = chinaToday(event.scannedAt);
    const key = `${event.runId}|${day}|${event.client}`;
    const cell = this.cells.get(key);
    if (cell) cell.scans += 1;
    else this.cells.set(key, { runId: event.runId, day, client: event.client, scans: 1 });
    if (this.urgentCodes >= FLUSH_EARLY_AT) void this.write('urgent');
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.write('urgent'), FLUSH_EVERY_MS);
      this.timer.unref();
    }
    if (!this.lazyTimer) {
      this.lazyTimer = setTimeout(() => void this.write('all'), LAZY_EVERY_MS);
      this.lazyTimer.unref();
    }
  }

  /** Writes every buffered scan; resolves when they are in the database (tests, shutdown). */
  flush(): Promise<void> {
    return this.write('all');
  }

  /** What the one-second timer writes: the tallies and the urgent codes (tests). */
  flushUrgent(): Promise<void> {
    return this.write('urgent');
  }

  /**
   * Writes the tallies and the urgent codes ('urgent', every second) or every buffered code ('all', every
   * ten seconds, on shutdown and when asked).
   */
  private write(mode: 'urgent' | 'all'): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (mode === 'all' && this.lazyTimer) {
      clearTimeout(this.lazyTimer);
      this.lazyTimer = null;
    }
    this.flushing = this.flushing.then(async () => {
      // What is buffered now; scans arriving while this writes wait for the next flush, so a flush under
      // steady load ends instead of chasing new scans.
      const cells = [...this.cells.values()];
      this.cells.clear();
      const taken: [string, PendingCode][] = [];
      for (const entry of this.codes) if (mode === 'all' || entry[1].urgent) taken.push(entry);
      for (const [code, pending] of taken) {
        this.codes.delete(code);
        if (pending.urgent) this.urgentCodes -= 1;
      }
      if (taken.length === 0 && cells.length === 0) return;
      if (!(await this.writeTaken(taken, cells))) return;
      if (this.dropped > 0) {
        logger.error({ dropped: this.dropped }, `扫码记录缓冲已满，丢弃了 ${this.dropped} 次扫码`);
        this.dropped = 0;
      }
    });
    return this.flushing;
  }

  /**
   * The statements of one flush; the tallies travel with the first, so the codes' rows and the tallies
   * commit together. False when one failed: what it and the later ones held is back in the buffer and a
   * retry is scheduled.
   */
  private async writeTaken(taken: [string, PendingCode][], cells: PendingCell[]): Promise<boolean> {
    const batch = FLUSH_BATCH[this.context.database.kind];
    for (let index = 0; index === 0 || index < taken.length; index += batch) {
      const statementCells = index === 0 ? cells : [];
      // Requests waiting meanwhile are answered before the next statement.
      if (index > 0) await new Promise((resolve) => setImmediate(resolve));
      try {
        const startedAt = Date.now();
        this.written(await this.store(taken.slice(index, index + batch), statementCells), startedAt);
      } catch (error) {
        // Kept for the next flush: a database hiccup must not lose scans.
        this.restore(taken.slice(index), statementCells);
        logger.error({ err: error }, '扫码记录写入失败，稍后重试');
        if (!this.timer) {
          this.timer = setTimeout(() => void this.write('urgent'), 5_000);
          this.timer.unref();
        }
        if (!this.lazyTimer) {
          this.lazyTimer = setTimeout(() => void this.write('all'), LAZY_EVERY_MS);
          this.lazyTimer.unref();
        }
        return false;
      }
    }
    return true;
  }

  /**
   * The counts a flush read back refresh the codes this process knows (every instance's scans written so
   * far, plus the scans buffered here since): a code scanned all the time is never read again. A code
   * scanned once is left to be read if it is scanned again, as before, so first scans cost no more.
   */
  private written(rows: WrittenRow[], readAt: number): void {
    for (const row of rows) {
      const known = this.known.get(row.code);
      if (!known) continue;
      known.scanCount = Number(row.scan_count) + (this.codes.get(row.code)?.scans ?? 0);
      known.readAt = readAt;
    }
  }

  /** Puts back what a failed write held, merged with what arrived meanwhile. */
  private restore(codes: [string, PendingCode][], cells: PendingCell[]): void {
    for (const [code, failed] of codes) {
      const newer = this.codes.get(code);
      const merged = newer
        ? {
            ...failed,
            urgent: failed.urgent || newer.urgent,
            firstMs: Math.min(failed.firstMs, newer.firstMs),
            lastMs: Math.max(failed.lastMs, newer.lastMs),
            scans: failed.scans + newer.scans,
            recalled: failed.recalled || newer.recalled,
            brandRevoked: failed.brandRevoked || newer.brandRevoked,
            threshold: Math.min(failed.threshold, newer.threshold),
          }
        : failed;
      this.urgentCodes += (merged.urgent ? 1 : 0) - (newer?.urgent ? 1 : 0);
      this.codes.set(code, merged);
    }
    for (const cell of cells) {
      const key = `${cell.runId}|${cell.day}|${cell.client}`;
      const newer = this.cells.get(key);
      this.cells.set(key, newer ? { ...cell, scans: cell.scans + newer.scans } : cell);
    }
  }

  private async store(codes: [string, PendingCode][], cells: PendingCell[]): Promise<WrittenRow[]> {
    const runs: string[] = [];
    const runIndex = new Map<string, number>();
    const indexOf = (runId: string) => {
      let index = runIndex.get(runId);
      if (index === undefined) {
        runs.push(runId);
        index = runs.length;
        runIndex.set(runId, index);
      }
      return index;
    };
    return this.context.database.query<WrittenRow>(FLUSH_SQL, [
      // Codes are Crockford base32: no commas.
      codes.map(([code]) => code).join(','),
      codes.map(([, pending]) => indexOf(pending.runId)),
      codes.map(([, pending]) => pending.firstMs),
      codes.map(([, pending]) => pending.lastMs),
      codes.map(([, pending]) => pending.scans),
      runs,
      cells.map((cell) => cell.runId),
      cells.map((cell) => cell.day),
      cells.map((cell) => cell.client),
      cells.map((cell) => cell.scans),
      // Flags are rare: only the codes that carry one are sent.
      codes.filter(([, pending]) => pending.recalled).map(([code]) => code),
      codes.filter(([, pending]) => pending.brandRevoked).map(([code]) => code),
      codes.length === 0 ? 0 : Math.min(...codes.map(([, pending]) => pending.threshold)),
    ]);
  }

  /** Stops the timer after writing what is buffered (server shutdown). */
  async close(): Promise<void> {
    await this.flush();
    if (this.timer) clearTimeout(this.timer);
    if (this.lazyTimer) clearTimeout(this.lazyTimer);
    this.timer = null;
    this.lazyTimer = null;
  }
}

const recorders = new WeakMap<AppContext, ScanRecorder>();

export function scanRecorderFor(context: AppContext): ScanRecorder {
  let recorder = recorders.get(context);
  if (!recorder) {
    recorder = new ScanRecorder(context);
    recorders.set(context, recorder);
  }
  return recorder;
}

/** Writes the scans buffered so far (tests; shutdown goes through the app's close hook). */
export async function flushScans(context: AppContext): Promise<void> {
  await recorders.get(context)?.flush();
}
