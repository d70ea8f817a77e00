import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import type { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything a repository can run queries on: the database or an open transaction. */
export type Executor = Database | Transaction;
export type DatabaseKind = 'pglite' | 'postgres';

export type DatabaseHandle = {
  db: Database;
  kind: DatabaseKind;
  /** Plain SQL with positional parameters, for the few places (backup, benchmarks) that need it. */
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
};

export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

export type OpenDatabaseOptions = {
  /** PostgreSQL connection string; when absent PGlite is used. */
  databaseUrl?: string | undefined;
  /** PGlite data folder; `memory://` (or undefined) for an in-memory database. */
  dataDir?: string | undefined;
  /** Called when an idle PostgreSQL connection fails; the pool replaces it on the next query. */
  onConnectionError?: (error: Error) => void;
  /** Called with the SQL of every statement sent (tests count the statements a request costs). */
  onQuery?: (text: string) => void;
};

/**
 * Opens PostgreSQL (a pool) or PGlite. Each driver is loaded only when used: a server on PGlite never loads
 * pg, one on PostgreSQL never loads PGlite.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const { onQuery } = options;
  const logger = onQuery ? { logQuery: (text: string) => onQuery(text) } : undefined;
  if (options.databaseUrl) {
    const [{ default: pg }, { drizzle: drizzleNodePostgres }] = await Promise.all([
      import('pg'),
      import('drizzle-orm/node-postgres'),
    ]);
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    // An idle connection dropped by the server (restart, failover) must not crash the process;
    // the pool replaces it on the next query.
    pool.on('error', (error) => options.onConnectionError?.(error));
    // Fail fast with the server's own message when the URL is wrong.
    await pool.query('select 1');
    const db = drizzleNodePostgres(pool, { schema, logger }) as unknown as Database;
    return {
      db,
      kind: 'postgres',
      query: async <Row>(text: string, params: unknown[] = []) => {
        onQuery?.(text);
        return (await pool.query(text, params)).rows as Row[];
      },
      close: () => pool.end(),
    };
  }
  deferWasmTierUp();
  const [{ PGlite }, { pg_trgm }, { drizzle: drizzlePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('drizzle-orm/pglite'),
  ]);
  // pg_trgm backs the entities' keyword search (migration 0021); PGlite loads an extension only when asked.
  const extensions = { pg_trgm };
  let client: PGlite;
  if (!options.dataDir || options.dataDir === 'memory://') {
    client = new PGlite({ extensions });
  } else {
    const pgdata = path.resolve(options.dataDir, 'pgdata');
    mkdirSync(pgdata, { recursive: true });
    client = new PGlite(pgdata, { extensions });
  }
  await client.waitReady;
  const db = drizzlePglite(client, { schema, logger }) as unknown as Database;
  return {
    db,
    kind: 'pglite',
    query: async <Row>(text: string, params: unknown[] = []) => {
      onQuery?.(text);
      return (await client.query<Row>(text, params)).rows;
    },
    close: () => client.close(),
  };
}

/**
 * V8 runs WebAssembly first as its baseline compiler (Liftoff) made it and recompiles a function with its
 * optimising compiler (TurboFan) once the function has run through a budget (1.8 million, roughly bytes of
 * code executed). Opening PGlite and a start's first queries (catalogue loading, the migrations check) ran
 * enough of PostgreSQL to send hundreds of functions to TurboFan: about 0.5 s of CPU on compiler threads,
 * competing with the start itself on a 2-core machine, for code that a start runs only once. With a budget
 * 100 times larger, what requests keep running is still optimised, after its first few hundred queries.
 * Set before PGlite compiles its module: V8 reads the budget when it instantiates one.
 */
export const WASM_TIERING_BUDGET = 180_000_000;

function deferWasmTierUp() {
  setFlagsFromString(`--wasm-tiering-budget=${WASM_TIERING_BUDGET}`);
}

/**
 * Runs `work` while this process holds a PostgreSQL advisory lock, taken on a connection of its own so the
 * work's queries (on the pool's other connections) run while it is held and the unlock reaches the session
 * that locked. On PGlite, one process owns the database: the work just runs.
 */
export async function withAdvisoryLock<T>(
  handle: DatabaseHandle,
  lockId: number,
  work: () => Promise<T>,
): Promise<T> {
  if (handle.kind !== 'postgres') return work();
  const pool = (handle.db as unknown as { $client: pg.Pool }).$client;
  const holder = await pool.connect();
  try {
    await holder.query('select pg_advisory_lock($1)', [lockId]);
    try {
      return await work();
    } finally {
      await holder.query('select pg_advisory_unlock($1)', [lockId]);
    }
  } finally {
    holder.release();
  }
}

/** Advisory lock ids: one for migrations, one for a server's whole start-up (migrate, check keys, seed). */
export const MIGRATION_LOCK = 727001;
export const STARTUP_LOCK = 727002;

/** Applies drizzle/ migrations; on PostgreSQL an advisory lock keeps two starting servers from racing. */
export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  if (handle.kind === 'postgres') {
    const { migrate } = await import('drizzle-orm/node-postgres/migrator');
    await withAdvisoryLock(handle, MIGRATION_LOCK, () => migrate(handle.db as never, { migrationsFolder }));
    return;
  }
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  await migrate(handle.db as never, { migrationsFolder });
}
