// Appending to the SM3-chained audit log (advisory lock, read the last hash, hash, insert) against
// inserting the same rows into an unchained copy of the table, one transaction per record either way.
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { migrateDatabase, openDatabase } from '../src/db/client.ts';
import { createScratchDatabase } from '../src/db/scratch-database.ts';
import { recordAudit } from '../src/modules/audit/audit.service.ts';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 3000);
const TARGET_RATIO = 3;

// BENCH_DATABASE_URL names a PostgreSQL server to run on (in a scratch database); PGlite otherwise.
const scratch = process.env.BENCH_DATABASE_URL
  ? await createScratchDatabase(process.env.BENCH_DATABASE_URL)
  : null;
const database = await openDatabase({ databaseUrl: scratch?.url, dataDir: 'memory://' });
await migrateDatabase(database);
const { db } = database;
// A regular (logged) table, so its commits pay for the WAL like the audit log's do.
await database.query('create table audit_log_baseline (like audit_log including all)');
const actor = {
  userId: '00000000-0000-4000-8000-000000000001',
  username: 'bench.user',
  role: 'county_operator' as const,
  ip: '127.0.0.1',
};
const entry = (i: number) => ({
  action: 'etown.update',
  targetType: 'etown',
  targetId: '140827-E01',
  diff: { operatingEntity: { before: `运营主体 ${i}`, after: `运营主体 ${i + 1}` } },
});

// Warm up both paths so neither pays for first-use costs.
for (let i = 0; i < 50; i += 1) await db.transaction((tx) => recordAudit(tx, actor, entry(i)));

let start = performance.now();
for (let i = 0; i < RECORDS; i += 1) {
  await db.transaction((tx) => recordAudit(tx, actor, entry(i)));
}
const ours = performance.now() - start;

start = performance.now();
for (let i = 0; i < RECORDS; i += 1) {
  const e = entry(i);
  await db.transaction(async (tx) => {
    await tx.execute(sql`insert into audit_log_baseline (at, user_id, username, role, ip, action, target_type, target_id, diff, result, previous_hash, hash)
      values (now(), ${actor.userId}, ${actor.username}, ${actor.role}, ${actor.ip}, ${e.action}, ${e.targetType}, ${e.targetId}, ${JSON.stringify(e.diff)}::jsonb, 'success', ${'0'.repeat(64)}, ${`h${i}`})`);
  });
}
const baseline = performance.now() - start;
await database.close();
await scratch?.drop();

const ratio = ours / baseline;
console.log(
  `audit-append: ${RECORDS} records on ${database.kind}: chained ${ours.toFixed(0)} ms, bare insert ${baseline.toFixed(0)} ms`,
);
console.log(
  JSON.stringify({
    name: 'audit-append',
    unit: 'ms',
    ours: Math.round(ours),
    baseline: Math.round(baseline),
    ratio: Number(ratio.toFixed(2)),
    target: TARGET_RATIO,
    ok: ratio <= TARGET_RATIO,
  }),
);
