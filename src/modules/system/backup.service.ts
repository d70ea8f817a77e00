import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { pipeline as pipelineCallback, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import type { AppContext } from '../../http/context.ts';
import { sm3Hex } from '../../lib/national-crypto.ts';
import { recordAudit } from '../audit/audit.service.ts';

export const BACKUP_FORMAT = 'ezhen-backup/1';
const CHUNK_ROWS = 2000;

/** Rows of self-referencing tables must come back parents first. */
const rowOrder: Record<string, string> = {
  regions: 'length(code), code',
  leading_group_members: 'created_at, id',
  audit_log: 'id',
};

type Header = {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  version: string;
  database: string;
  migrations: string[];
  tables: string[];
  /** Which SM4 key the encrypted columns need; absent in backups made before it was recorded. */
  secretKeyFingerprint?: string;
};

const secretKeyFingerprint = (keyHex: string) => sm3Hex(`ezhen-secret-key:${keyHex.toLowerCase()}`);

const rowsOf = async <Row>(executor: Executor, query: SQL) =>
  ((await executor.execute(query)) as unknown as { rows: Row[] }).rows;

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Tables the database derives from others by triggers: not backed up, since restoring their source rows
 * rebuilds them (restoring them too would count every figure twice).
 */
const DERIVED_TABLES = new Set(['monthly_etown_totals', 'region_data_versions']);

/** The public tables, parents before children (foreign keys), so a restore can insert them in order. */
async function tablesInDependencyOrder(executor: Executor): Promise<string[]> {
  const tables = (
    await rowsOf<{ name: string }>(
      executor,
      sql.raw(`select tablename as name from pg_tables where schemaname = 'public' order by tablename`),
    )
  )
    .map((row) => row.name)
    .filter((name) => !DERIVED_TABLES.has(name));
  const edges = await rowsOf<{ child: string; parent: string }>(
    executor,
    sql.raw(`select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent
      from pg_constraint c join pg_namespace n on n.oid = c.connamespace
      where c.contype = 'f' and n.nspname = 'public'`),
  );
  const unquote = (name: string) => name.replace(/^"|"$/g, '');
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (table: string) => {
    if (ordered.includes(table) || visiting.has(table)) return;
    visiting.add(table);
    for (const edge of edges) {
      if (unquote(edge.child) === table && unquote(edge.parent) !== table) visit(unquote(edge.parent));
    }
    visiting.delete(table);
    ordered.push(table);
  };
  for (const table of tables) visit(table);
  return ordered;
}

async function appliedMigrations(executor: Executor): Promise<string[]> {
  return (
    await rowsOf<{ hash: string }>(
      executor,
      sql.raw('select hash from drizzle.__drizzle_migrations order by id'),
    )
  ).map((row) => row.hash);
}

export type BackupSummary = { file: string; tables: Record<string, number> };

/** The backup file could not be written (missing folder, disk full, no permission). */
export class BackupError extends Error {}

/**
 * Writes a consistent snapshot (one repeatable-read, read-only transaction) as gzip'd JSON lines: a header,
 * then `{ table, rows }` chunks. Values travel as PostgreSQL renders them to JSON, never through JS numbers.
 * A failed backup leaves no half-written file behind.
 */
export async function backupDatabase(context: AppContext, file: string): Promise<BackupSummary> {
  const gzip = createGzip();
  const output = createWriteStream(file, { mode: 0o600 });
  let opened = false;
  output.once('open', () => {
    opened = true;
  });
  let writeError: Error | undefined;
  const done = pipeline(gzip, output);
  // A write failure is reported below; it must not also surface as an unhandled rejection.
  done.catch((error: Error) => {
    writeError ??= error;
  });
  const write = async (line: string) => {
    if (writeError || gzip.destroyed) await done;
    // Racing `done` keeps a failed file write (disk full) from waiting forever for 'drain'.
    if (!gzip.write(`${line}\n`)) await Promise.race([once(gzip, 'drain'), done]);
  };
  const counts: Record<string, number> = {};
  try {
    await context.database.db.transaction(
      async (tx) => {
        const tables = await tablesInDependencyOrder(tx);
        const header: Header = {
          format: BACKUP_FORMAT,
          createdAt: new Date().toISOString(),
          version: context.config.version,
          database: context.database.kind,
          migrations: await appliedMigrations(tx),
          tables,
          secretKeyFingerprint: secretKeyFingerprint(context.secretKeyHex),
        };
        await write(JSON.stringify(header));
        for (const table of tables) {
          counts[table] = 0;
          const order = rowOrder[table] ?? '1';
          await tx.execute(
            sql.raw(
              `declare backup_cursor no scroll cursor for select row_to_json(t)::text as row from (select * from ${quoteIdent(table)} order by ${order}) t`,
            ),
          );
          for (;;) {
            const rows = await rowsOf<{ row: string }>(tx, sql.raw(`fetch ${CHUNK_ROWS} from backup_cursor`));
            if (rows.length === 0) break;
            counts[table] += rows.length;
            await write(`{"table":${JSON.stringify(table)},"rows":[${rows.map((r) => r.row).join(',')}]}`);
          }
          await tx.execute(sql.raw('close backup_cursor'));
        }
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
    gzip.end();
    await done;
  } catch (error) {
    gzip.destroy();
    await done.catch(() => {});
    if (opened && (await stat(file).catch(() => null))?.isFile()) await unlink(file).catch(() => {});
    if (writeError) throw new BackupError(`无法写入备份文件 ${file}：${writeError.message}`);
    throw error;
  }
  return { file, tables: counts };
}

export class RestoreError extends Error {}

/**
 * Loads a backup into an empty, migrated database inside one transaction: all of it or nothing.
 * Sequences are moved past the restored ids.
 */
export async function restoreDatabase(context: AppContext, file: string): Promise<BackupSummary> {
  await checkFileIntact(file);
  // pipeline() hands a read error (missing file, a folder) to the reader instead of crashing the process.
  const input = pipelineCallback(createReadStream(file), createGunzip(), () => {});
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    return await restoreLines(context, file, lines[Symbol.asyncIterator]());
  } finally {
    lines.close();
    input.destroy();
  }
}

/** gzip checks its CRC only at the end: read the file through once, so damage is named as such up front. */
async function checkFileIntact(file: string): Promise<void> {
  const discard = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  try {
    await pipeline(createReadStream(file), createGunzip(), discard);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).syscall)
      throw new RestoreError(`无法读取备份文件 ${file}：${(error as Error).message}`);
    throw new RestoreError(
      `不是有效的 EZhen 备份文件，或文件不完整、已损坏，未恢复任何数据（${(error as Error).message}）`,
    );
  }
}

async function restoreLines(
  context: AppContext,
  file: string,
  lines: AsyncIterator<string>,
): Promise<BackupSummary> {
  let header: Header;
  try {
    const first = await lines.next();
    header = JSON.parse(first.value ?? '') as Header;
  } catch {
    throw new RestoreError('不是有效的 EZhen 备份文件（无法读取文件头）');
  }
  if (header?.format !== BACKUP_FORMAT) throw new RestoreError(`不支持的备份格式：${String(header?.format)}`);
  if (!Array.isArray(header.migrations)) throw new RestoreError('备份文件头不完整（缺少迁移版本）');
  // Phones and TOTP secrets are encrypted under the key the backup was made with, and the database keeps
  // that key's check value: under another key the restored platform would refuse to start.
  if (
    header.secretKeyFingerprint &&
    header.secretKeyFingerprint !== secretKeyFingerprint(context.secretKeyHex)
  ) {
    throw new RestoreError(
      '备份中的数据由另一把 SM4 密钥加密，未恢复任何数据：请把原数据目录的 secret.key 复制到本数据目录（或设置与原系统相同的 EZHEN_SECRET_KEY）后再恢复',
    );
  }
  // A cut-off or damaged file is found when gunzip or a line fails; the transaction then writes nothing.
  const nextLine = async () => {
    try {
      return await lines.next();
    } catch (error) {
      throw new RestoreError(`备份文件不完整或已损坏，未恢复任何数据（${(error as Error).message}）`);
    }
  };
  const counts: Record<string, number> = {};
  await context.database.db.transaction(async (tx) => {
    const migrations = await appliedMigrations(tx);
    if (migrations.join() !== header.migrations.join()) {
      throw new RestoreError('备份与本数据库的迁移版本不一致，请使用相同版本的 EZhen 恢复');
    }
    const tables = await tablesInDependencyOrder(tx);
    for (const table of tables) {
      const [row] = await rowsOf<{ any: boolean }>(
        tx,
        sql.raw(`select exists(select 1 from ${quoteIdent(table)}) as any`),
      );
      if (row?.any)
        throw new RestoreError(
          `目标数据库不是空库（表 ${table} 已有数据），只能恢复到新的数据目录或空数据库`,
        );
    }
    for (;;) {
      const next = await nextLine();
      if (next.done) break;
      if (!next.value.trim()) continue;
      // The rows stay text end to end, so numbers and timestamps come back exactly as they were dumped.
      const chunk = /^\{"table":("(?:[^"\\]|\\.)*"),"rows":(\[.*\])\}$/s.exec(next.value);
      if (!chunk) throw new RestoreError('备份文件内容损坏（数据块格式不正确）');
      const table = JSON.parse(chunk[1] as string) as string;
      if (!tables.includes(table)) throw new RestoreError(`备份中的表 ${table} 在本数据库中不存在`);
      const [inserted] = await rowsOf<{ count: number }>(
        tx,
        sql`with inserted as (insert into ${sql.identifier(table)} select * from json_populate_recordset(null::${sql.identifier(table)}, ${chunk[2]}::json) returning 1) select count(*)::int as count from inserted`,
      ).catch((error: Error) => {
        // The driver's error repeats the whole chunk; the database's own reason is what a person needs.
        const reason = (error.cause as Error | undefined)?.message ?? error.message;
        throw new RestoreError(`表 ${table} 的备份数据无法写入，未恢复任何数据：${reason}`);
      });
      counts[table] = (counts[table] ?? 0) + (inserted?.count ?? 0);
    }
    const serials = await rowsOf<{ table_name: string; column_name: string }>(
      tx,
      sql.raw(`select table_name, column_name from information_schema.columns
        where table_schema = 'public' and column_default like 'nextval(%'`),
    );
    for (const serial of serials) {
      await tx.execute(
        sql.raw(
          `select setval(pg_get_serial_sequence('${quoteIdent(serial.table_name)}', '${serial.column_name}'),
            coalesce((select max(${quoteIdent(serial.column_name)}) from ${quoteIdent(serial.table_name)}), 0) + 1, false)`,
        ),
      );
    }
    await recordAudit(
      tx,
      { username: 'system.restore', ip: 'local' },
      {
        action: 'system.restore',
        targetType: 'database',
        diff: { backupCreatedAt: header.createdAt, fromDatabase: header.database, rows: counts },
      },
    );
  });
  return { file, tables: counts };
}
