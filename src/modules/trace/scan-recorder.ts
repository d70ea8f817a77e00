import type { AppContext } from '../../http/context.ts';

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

type Waiting = { resolve: (state: CodeScanState | null) => void; reject: (error: unknown) => void };

/** Events per statement: a flush holds PGlite (which runs in this thread) for a few milliseconds only. */
const FLUSH_BATCH = 200;
const FLUSH_EVERY_MS = 500;
/** Beyond this many unflushed events (database down), new ones are dropped rather than eating memory. */
const MAX_BUFFERED = 200_000;
/**
 * Codes whose state this process knows (read, then counted locally as it records scans), so a code scanned
 * again — the case that matters for counterfeits — costs no read. Re-read after a while to see the scans
 * other server instances recorded.
 */
const KNOWN_CODES = 100_000;
const KNOWN_FOR_MS = 30_000;

type KnownState = { firstScannedAt: Date | null; scanCount: number; readAt: number };

/**
 * One statement per batch of events: the events are appended, each code's first/last scan time and count
 * updated, and anomalies recorded — a code over the threshold (excessive_scans), a scan of a recalled batch
 * (recalled_batch), a scan while the brand authorization is revoked (revoked_brand). An anomaly already
 * in the queue keeps its review; an open one gets the latest count.
 */
const FLUSH_SQL = `
with event as (
  select * from unnest($1::text[], $2::uuid[], $3::timestamptz[], $4::text[]) as e(code, run_id, scanned_at, client)
), appended as (
  insert into scan_events (code, run_id, scanned_at, region_code, client)
  select code, run_id, scanned_at, null, client from event
), per_code as (
  select code, count(*)::int as scans, min(scanned_at) as first_at, max(scanned_at) as last_at
  from event group by code
), counted as (
  update trace_codes as t set
    scan_count = t.scan_count + p.scans,
    first_scanned_at = coalesce(t.first_scanned_at, p.first_at),
    last_scanned_at = greatest(t.last_scanned_at, p.last_at)
  -- The array condition makes this an index lookup; a join alone is planned as a scan of every code.
  from per_code as p where t.code = p.code and t.code = any($1::text[])
  returning t.code, t.run_id, t.scan_count
)
insert into scan_anomalies (code, run_id, kind, scan_count)
select c.code, c.run_id, k.kind, c.scan_count
from counted as c
cross join lateral (values
  ('excessive_scans', c.scan_count > $7::int),
  ('recalled_batch', c.code = any($5::text[])),
  ('revoked_brand', c.code = any($6::text[]))) as k(kind, hit)
where k.hit
on conflict (code, kind) do update set scan_count = excluded.scan_count
  where scan_anomalies.status = 'open'`;

/**
 * Per server: reads codes' scan state in batches (all requests waiting in one turn of the event loop share
 * one query) and buffers scan events, writing them in batches every half second.
 */
export class ScanRecorder {
  private buffer: ScanEvent[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private pendingStates = new Map<string, Waiting[]>();
  private known = new Map<string, KnownState>();
  private statesScheduled = false;
  private dropped = 0;

  constructor(private readonly context: AppContext) {}

  /** The code's stored first-scan time and count; null when no such row exists. */
  state(code: string): Promise<CodeScanState | null> {
    const known = this.known.get(code);
    if (known && Date.now() - known.readAt < KNOWN_FOR_MS) {
      return Promise.resolve({ firstScannedAt: known.firstScannedAt, scanCount: known.scanCount });
    }
    return new Promise((resolve, reject) => {
      const waiting = this.pendingStates.get(code);
      if (waiting) waiting.push({ resolve, reject });
      else this.pendingStates.set(code, [{ resolve, reject }]);
      if (!this.statesScheduled) {
        this.statesScheduled = true;
        setImmediate(() => void this.readStates());
      }
    });
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
      }>('select code, first_scanned_at, scan_count from trace_codes where code = any($1::text[])', [
        [...pending.keys()],
      ]);
      const found = new Map(rows.map((row) => [row.code, row]));
      const readAt = Date.now();
      for (const [code, waiting] of pending) {
        const row = found.get(code);
        const state = row
          ? {
              firstScannedAt: row.first_scanned_at ? new Date(row.first_scanned_at) : null,
              scanCount: row.scan_count,
            }
          : null;
        if (state) this.remember(code, { ...state, readAt });
        for (const { resolve } of waiting) resolve(state);
      }
    } catch (error) {
      // Every waiting page fails alike; the route answers 503.
      for (const waiting of pending.values()) for (const { reject } of waiting) reject(error);
    }
  }

  private remember(code: string, state: KnownState): void {
    this.known.delete(code);
    if (this.known.size >= KNOWN_CODES) this.known.delete(this.known.keys().next().value as string);
    this.known.set(code, state);
  }

  record(event: ScanEvent): void {
    const known = this.known.get(event.code);
    if (known) {
      known.scanCount += 1;
      known.firstScannedAt ??= event.scannedAt;
    }
    if (this.buffer.length >= MAX_BUFFERED) {
      this.dropped += 1;
      return;
    }
    this.buffer.push(event);
    if (this.buffer.length >= FLUSH_BATCH) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_EVERY_MS);
      this.timer.unref();
    }
  }

  /** Writes every buffered event; resolves when they are in the database (tests, shutdown). */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.flushing = this.flushing.then(async () => {
      while (this.buffer.length > 0) {
        const events = this.buffer.splice(0, FLUSH_BATCH);
        try {
          await this.write(events);
        } catch (error) {
          // Kept for the next flush: a database hiccup must not lose scans.
          this.buffer.unshift(...events);
          console.error(`扫码记录写入失败，稍后重试：${(error as Error).message}`);
          if (!this.timer) {
            this.timer = setTimeout(() => void this.flush(), 5_000);
            this.timer.unref();
          }
          return;
        }
      }
      if (this.dropped > 0) {
        console.error(`扫码记录缓冲已满，丢弃了 ${this.dropped} 条扫码记录`);
        this.dropped = 0;
      }
    });
    return this.flushing;
  }

  private async write(events: ScanEvent[]): Promise<void> {
    await this.context.database.query(FLUSH_SQL, [
      events.map((event) => event.code),
      events.map((event) => event.runId),
      events.map((event) => event.scannedAt.toISOString()),
      events.map((event) => event.client),
      // Flags are rare: only the codes that carry one are sent.
      [...new Set(events.filter((event) => event.recalled).map((event) => event.code))],
      [...new Set(events.filter((event) => event.brandRevoked).map((event) => event.code))],
      Math.min(...events.map((event) => event.threshold)),
    ]);
  }

  /** Stops the timer after writing what is buffered (server shutdown). */
  async close(): Promise<void> {
    await this.flush();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
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
