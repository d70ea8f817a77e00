import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Actor } from '../../access/scope.ts';
import type { Executor } from '../../db/client.ts';
import { jobs } from '../../db/schema/jobs.ts';
import type { AppContext } from '../../http/context.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { fileStorageFor } from '../../lib/file-storage.ts';
import { logger } from '../../lib/logger.ts';
import type { JobKind, JobView } from './jobs.schemas.ts';

export type { JobView };

/** A running job beats this often; one silent for `STALE_AFTER_MS` was cut off (server killed). */
const HEARTBEAT_MS = 5_000;
const STALE_AFTER_MS = 60_000;
/** Progress is written at most this often, so a tight loop reporting every row costs nothing. */
const PROGRESS_EVERY_MS = 250;

export type JobFile = { bytes: Buffer; fileName: string; mediaType: string };

/** What a job's work returns: a summary for the list, and optionally a file to download. */
export type JobOutcome = { summary?: unknown; file?: JobFile };

/** A job that ended on purpose without success (a rejected file), with its error receipt. */
export class JobFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly outcome: JobOutcome = {},
  ) {
    super(message);
  }
}

export type JobReporter = {
  /** Where the work stands; written to the database throttled, and always on a stage change. */
  progress(done: number, total: number, stage?: string): void;
  /**
   * Records the job as succeeded with `outcome` inside the work's own transaction, just before it
   * commits: the data and the job's word on it land together, so a crash right after the commit cannot
   * leave a job that says nothing was written while everything was.
   */
  succeedIn(executor: Executor, outcome: JobOutcome): Promise<void>;
};

const running = new WeakMap<AppContext, Set<Promise<void>>>();
/**
 * Jobs this process is running. Their heartbeat can lag while a long write holds PGlite (one
 * connection, queries queue), so they are never read as interrupted here; other processes still are.
 */
const runningHere = new Set<string>();

/** Resolves once every job this process started for the context has ended (server shutdown, tests). */
export async function waitForJobs(context: AppContext): Promise<void> {
  const set = running.get(context);
  while (set && set.size > 0) await Promise.allSettled([...set]);
}

/** PostgreSQL text and jsonb refuse NUL characters; a file that holds one must still end its job. */
function withoutNul<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll('\u0000', '\uFFFD') as T;
  if (value === null || typeof value !== 'object') return value;
  return JSON.parse(JSON.stringify(value).replaceAll('\\u0000', '\\uFFFD')) as T;
}

const INTERRUPTED = {
  code: 'job_interrupted',
  message: '服务在任务进行中停止，任务未完成且未写入任何数据，请重新提交',
};

function present(row: typeof jobs.$inferSelect, now = Date.now()): JobView {
  const stale =
    row.status === 'running' && !runningHere.has(row.id) && now - row.heartbeatAt.getTime() > STALE_AFTER_MS;
  // The kind and its summary were written together by that kind's work; the response schema checks both.
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    regionCode: row.regionCode,
    status: stale ? 'failed' : row.status,
    stage: row.stage,
    progress: { done: row.progressDone, total: row.progressTotal },
    summary: row.summary ?? null,
    error: stale
      ? INTERRUPTED
      : row.errorCode
        ? { code: row.errorCode, message: row.errorMessage ?? '' }
        : null,
    file:
      row.fileSha256 && row.fileName && row.fileMediaType
        ? { name: row.fileName, mediaType: row.fileMediaType, sizeBytes: row.fileSizeBytes ?? 0 }
        : null,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? (stale ? row.heartbeatAt.toISOString() : null),
  } as JobView;
}

/** Jobs left running by a process that died: recorded as interrupted (run at start-up). */
export async function sweepInterruptedJobs(context: AppContext): Promise<number> {
  const swept = await context.database.db
    .update(jobs)
    .set({
      status: 'failed',
      errorCode: INTERRUPTED.code,
      errorMessage: INTERRUPTED.message,
      finishedAt: sql`${jobs.heartbeatAt}`,
    })
    .where(and(eq(jobs.status, 'running'), lt(jobs.heartbeatAt, new Date(Date.now() - STALE_AFTER_MS))))
    .returning({ id: jobs.id });
  return swept.length;
}

/**
 * Records a job for the actor and runs `work` in the background of this process; the caller answers
 * at once with the job (HTTP 202) and the user follows its progress. `work` must do its writes in one
 * transaction, so that a job cut off half-way leaves the data as it was.
 */
export async function startJob(
  context: AppContext,
  actor: Actor,
  job: { kind: JobKind; title: string; regionCode?: string | null; stage?: string },
  work: (reporter: JobReporter) => Promise<JobOutcome>,
): Promise<JobView> {
  const { db } = context.database;
  const [row] = await db
    .insert(jobs)
    .values({
      kind: job.kind,
      title: job.title,
      ownerId: actor.userId,
      regionCode: job.regionCode ?? null,
      stage: job.stage ?? '排队中',
    })
    .returning();
  if (!row) throw new Error('job insert returned nothing');
  const id = row.id;

  let pending: Partial<typeof jobs.$inferInsert> | null = null;
  /** The last progress reported; a queued write of it may land after the outcome, so the outcome has it. */
  let latest: Partial<typeof jobs.$inferInsert> = {};
  let lastWrite = 0;
  let writing: Promise<unknown> = Promise.resolve();
  const write = (values: Partial<typeof jobs.$inferInsert>) => {
    writing = writing
      .then(() =>
        db
          .update(jobs)
          .set({ ...values, heartbeatAt: new Date() })
          // A job whose outcome is written is never touched again (a late heartbeat, a crash after commit).
          .where(and(eq(jobs.id, id), eq(jobs.status, 'running'))),
      )
      .catch((error) => logger.error({ err: error, jobId: id }, '任务进度写入失败'));
    return writing;
  };
  const reporter: JobReporter = {
    succeedIn: async () => {
      throw new Error('replaced below, once the job can write its outcome');
    },
    progress(done, total, stage) {
      latest = { progressDone: done, progressTotal: total };
      pending = { progressDone: done, progressTotal: total, ...(stage ? { stage } : {}) };
      const now = Date.now();
      if (stage || now - lastWrite >= PROGRESS_EVERY_MS) {
        lastWrite = now;
        const values = pending;
        pending = null;
        void write(values);
      }
    },
  };
  const heartbeat = setInterval(() => void write(pending ?? {}), HEARTBEAT_MS);
  heartbeat.unref();

  const finalValues = (values: Partial<typeof jobs.$inferInsert>, outcome: JobOutcome) =>
    finalJobValues(context, values, outcome);
  let succeededInTransaction = false;
  reporter.succeedIn = async (executor, outcome) => {
    const values = await finalValues({ ...latest, status: 'succeeded', stage: '已完成' }, outcome);
    await executor.update(jobs).set(values).where(eq(jobs.id, id));
    succeededInTransaction = true;
  };
  const fail = async (failure: JobFailure) => {
    await writing;
    await recordJobFailure(context, id, failure);
  };

  runningHere.add(id);
  const run = (async () => {
    // Let the request that started the job answer first.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      const outcome = await work(reporter);
      if (!succeededInTransaction) {
        const values = await finalValues(
          { status: 'succeeded', stage: '已完成', ...(pending ?? {}) },
          outcome,
        );
        await writing;
        await db.update(jobs).set(values).where(eq(jobs.id, id));
      }
    } catch (error) {
      await fail(jobFailureOf(error, id)).catch((writeError) =>
        logger.error({ err: writeError, jobId: id }, '后台任务结果写入失败'),
      );
    } finally {
      clearInterval(heartbeat);
      runningHere.delete(id);
    }
  })();
  const set = running.get(context) ?? new Set();
  running.set(context, set);
  set.add(run);
  void run.finally(() => set.delete(run));
  return present(row);
}

/** The final columns of a job: status, summary, the stored result file. */
async function finalJobValues(
  context: AppContext,
  values: Partial<typeof jobs.$inferInsert>,
  outcome: JobOutcome,
) {
  const file = outcome.file;
  const stored = file ? await fileStorageFor(context.config.dataDir, 'jobs').put(file.bytes) : null;
  return {
    ...values,
    summary: withoutNul(outcome.summary ?? null),
    finishedAt: new Date(),
    heartbeatAt: new Date(),
    ...(file && stored
      ? {
          fileSha256: stored.sha256,
          fileName: file.fileName,
          fileMediaType: file.mediaType,
          fileSizeBytes: file.bytes.length,
        }
      : {}),
  };
}

/** Ends a job that failed; if even that write fails (a value the database refuses), ends it bare. */
async function recordJobFailure(context: AppContext, id: string, failure: JobFailure) {
  const { db } = context.database;
  const running = and(eq(jobs.id, id), eq(jobs.status, 'running'));
  const message = withoutNul(failure.message);
  const failed = {
    status: 'failed' as const,
    stage: '未完成',
    errorCode: failure.code,
    errorMessage: message,
  };
  try {
    await db
      .update(jobs)
      .set(await finalJobValues(context, failed, failure.outcome))
      .where(running);
  } catch (error) {
    logger.error({ err: error, jobId: id }, '后台任务结果写入失败，改为只记录失败原因');
    await db
      .update(jobs)
      .set({ ...failed, summary: null, finishedAt: new Date(), heartbeatAt: new Date() })
      .where(running);
  }
}

/** The failure a job ends with for what its work threw; an unexpected error is logged too. */
function jobFailureOf(error: unknown, jobId: string): JobFailure {
  if (error instanceof JobFailure) return error;
  if (error instanceof AppError) return new JobFailure(error.code, error.message);
  logger.error({ err: error, jobId }, '后台任务意外失败');
  return new JobFailure('job_failed', `任务失败：${(error as Error).message}`);
}

/** The actor's own jobs, newest first (the download centre). */
export async function listJobs(context: AppContext, actor: Actor, limit = 50): Promise<JobView[]> {
  const rows = await context.database.db
    .select()
    .from(jobs)
    .where(eq(jobs.ownerId, actor.userId))
    .orderBy(desc(jobs.createdAt))
    .limit(limit);
  const now = Date.now();
  return rows.map((row) => present(row, now));
}

async function ownJob(context: AppContext, actor: Actor, id: string) {
  const [row] = await context.database.db
    .select()
    .from(jobs)
    .where(and(eq(jobs.id, id), eq(jobs.ownerId, actor.userId)));
  if (!row) throw notFound('任务');
  return row;
}

/** One of the actor's jobs; anyone else's is not found. */
export async function getJob(context: AppContext, actor: Actor, id: string): Promise<JobView> {
  return present(await ownJob(context, actor, id));
}

/** The result or error-receipt file of one of the actor's jobs. */
export async function readJobFile(context: AppContext, actor: Actor, id: string): Promise<JobFile> {
  const row = await ownJob(context, actor, id);
  if (!row.fileSha256 || !row.fileName || !row.fileMediaType) throw notFound('任务结果文件');
  const bytes = await fileStorageFor(context.config.dataDir, 'jobs').get(row.fileSha256);
  return { bytes, fileName: row.fileName, mediaType: row.fileMediaType };
}
