import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PGlite, Transaction as PgliteTransaction } from '@electric-sql/pglite';
import type pg from 'pg';
import type { Database, DatabaseHandle, Executor } from '../../db/client.ts';
import * as schema from '../../db/schema/index.ts';
import { loadCopyFrom } from '../../lib/lazy-packages.ts';

/** A transaction that can also take COPY data, on the one connection drizzle's queries use too. */
export type CopyTransaction = {
  /** Drizzle on the transaction's connection (for repositories and `recordAudit`). */
  executor: Executor;
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /** `COPY <target> FROM STDIN` (text format) with the contents of a file, streamed. */
  copyFromFile(target: string, path: string): Promise<void>;
  /** `COPY <target> FROM STDIN` (text format) with rows made as it goes, each piece whole lines. */
  copyFromPieces(target: string, pieces: AsyncIterable<string>): Promise<void>;
};

/** PGlite reads COPY data from one in-memory blob; pieces of this size keep its memory flat. */
const PGLITE_COPY_CHUNK_BYTES = 16 * 1024 * 1024;

/**
 * Runs `work` in one transaction on a raw connection (a pooled pg client, or PGlite's transaction), so
 * that COPY can stream into it; commits when `work` resolves, rolls back when it throws.
 */
export async function withCopyTransaction<T>(
  handle: DatabaseHandle,
  work: (transaction: CopyTransaction) => Promise<T>,
): Promise<T> {
  const client = (handle.db as unknown as { $client: pg.Pool | PGlite }).$client;
  if (handle.kind === 'pglite') {
    // The driver the handle was opened with, so already loaded.
    const { drizzle } = await import('drizzle-orm/pglite');
    const executorOn = (transaction: PgliteTransaction) =>
      drizzle({ client: transaction as unknown as PGlite, schema }) as unknown as Database;
    return (client as PGlite).transaction((transaction) =>
      work(pgliteCopyTransaction(transaction, executorOn(transaction))),
    );
  }
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const connection = await (client as pg.Pool).connect();
  let broken: Error | undefined;
  try {
    await connection.query('begin');
    const executor = drizzle({ client: connection, schema }) as unknown as Database;
    const result = await work(postgresCopyTransaction(connection, executor));
    await connection.query('commit');
    return result;
  } catch (error) {
    await connection.query('rollback').catch((rollbackError: Error) => {
      // A connection that cannot even roll back is not given back to the pool.
      broken = rollbackError;
    });
    throw error;
  } finally {
    connection.release(broken);
  }
}

function postgresCopyTransaction(connection: pg.PoolClient, executor: Executor): CopyTransaction {
  return {
    executor,
    query: async <Row>(text: string, params: unknown[] = []) =>
      (await connection.query(text, params)).rows as Row[],
    copyFromFile: async (target, path) => {
      const copyFrom = await loadCopyFrom();
      await pipeline(
        createReadStream(path, { highWaterMark: 1024 * 1024 }),
        connection.query(copyFrom(`copy ${target} from stdin`)),
      );
    },
    copyFromPieces: async (target, pieces) => {
      const copyFrom = await loadCopyFrom();
      await pipeline(Readable.from(pieces), connection.query(copyFrom(`copy ${target} from stdin`)));
    },
  };
}

function pgliteCopyTransaction(transaction: PgliteTransaction, executor: Executor): CopyTransaction {
  return {
    executor,
    query: async <Row>(text: string, params: unknown[] = []) =>
      (await transaction.query<Row>(text, params)).rows,
    copyFromFile: async (target, path) => {
      for await (const chunk of lineAlignedChunks(path, PGLITE_COPY_CHUNK_BYTES)) {
        await transaction.query(`copy ${target} from '/dev/blob'`, [], { blob: new Blob([chunk]) });
      }
    },
    copyFromPieces: async (target, pieces) => {
      for await (const piece of pieces) {
        await transaction.query(`copy ${target} from '/dev/blob'`, [], { blob: new Blob([piece]) });
      }
    },
  };
}

/** A file in pieces of about `size` bytes, each ending at a line break (COPY rows are lines). */
async function* lineAlignedChunks(path: string, size: number): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  const file = await open(path, 'r');
  try {
    let carry = new Uint8Array(0);
    for (;;) {
      const buffer = new Uint8Array(size);
      buffer.set(carry, 0);
      const { bytesRead } = await file.read(buffer, carry.length, size - carry.length, null);
      const filled = carry.length + bytesRead;
      if (filled === 0) return;
      if (bytesRead === 0) {
        yield buffer.subarray(0, filled);
        return;
      }
      const lastNewline = buffer.lastIndexOf(10, filled - 1);
      if (lastNewline < 0) throw new Error(`COPY data line longer than ${size} bytes`);
      yield buffer.subarray(0, lastNewline + 1);
      carry = buffer.slice(lastNewline + 1, filled);
    }
  } finally {
    await file.close();
  }
}
