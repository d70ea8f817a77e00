import { asc, eq, sql } from 'drizzle-orm';
import { anyOfText } from '../../db/any-of.ts';
import type { Executor } from '../../db/client.ts';
import { entities } from '../../db/schema/entities.ts';
import { trainingAttendance, trainingSessions, trainings } from '../../db/schema/talent.ts';

export type LedgerTraining = { date: string; title: string; crossBorder: boolean; attendance: number };
/** Where a ledger training comes from: a platform session (with its institution) or a ledger import. */
export type TrainingOrigin = { kind: 'session'; sessionId: string; institution: string } | { kind: 'ledger' };
export type SourcedTraining = LedgerTraining & { origin: TrainingOrigin };

/** The trainings of e-towns as the ledger sees them (see trainingSourcesByEtown), without their origin. */
export async function trainingsByEtown(
  executor: Executor,
  codes: readonly string[],
): Promise<Map<string, LedgerTraining[]>> {
  const sourced = await trainingSourcesByEtown(executor, codes);
  return new Map(
    [...sourced].map(([code, list]) => [code, list.map(({ origin: _origin, ...training }) => training)]),
  );
}

/**
 * The trainings of e-towns as the ledger (and so indicator 11 and the cross-border count) sees them: every
 * session with its attendance COUNTED from its rows, then every ledger-imported training that no session
 * of the same e-town, date and title stands for. An exported ledger imported again therefore counts each
 * session once, by its rows; a ledger file's own totals stand only for trainings held outside the platform
 * (ADR 017). Each carries its origin, which the scorecard's drill-down shows (the ledger file does not).
 */
export async function trainingSourcesByEtown(
  executor: Executor,
  codes: readonly string[],
): Promise<Map<string, SourcedTraining[]>> {
  const [sessions, ledgerRows] = await Promise.all([
    executor
      .select({
        etownCode: trainingSessions.etownCode,
        sessionId: trainingSessions.id,
        institution: entities.name,
        date: trainingSessions.heldOn,
        title: trainingSessions.topic,
        crossBorder: trainingSessions.crossBorder,
        attendance: sql<number>`(select count(*)::int from ${trainingAttendance} where ${trainingAttendance.sessionId} = ${trainingSessions.id})`,
      })
      .from(trainingSessions)
      .innerJoin(entities, eq(entities.id, trainingSessions.institutionEntityId))
      .where(anyOfText(trainingSessions.etownCode, codes))
      .orderBy(
        asc(trainingSessions.etownCode),
        asc(trainingSessions.heldOn),
        asc(trainingSessions.createdAt),
        asc(trainingSessions.id),
      ),
    executor
      .select()
      .from(trainings)
      .where(anyOfText(trainings.etownCode, codes))
      .orderBy(
        asc(trainings.etownCode),
        asc(trainings.sortOrder),
        asc(trainings.createdAt),
        asc(trainings.id),
      ),
  ]);
  const lists = new Map<string, SourcedTraining[]>();
  const sessionKeys = new Set<string>();
  for (const { etownCode, sessionId, institution, ...session } of sessions) {
    sessionKeys.add(`${etownCode}|${session.date}|${session.title}`);
    const item = { ...session, origin: { kind: 'session' as const, sessionId, institution } };
    lists.set(etownCode, [...(lists.get(etownCode) ?? []), item]);
  }
  for (const row of ledgerRows) {
    if (sessionKeys.has(`${row.etownCode}|${row.heldOn}|${row.title}`)) continue;
    const item = {
      date: row.heldOn,
      title: row.title,
      crossBorder: row.crossBorder,
      attendance: row.attendance,
      origin: { kind: 'ledger' as const },
    };
    lists.set(row.etownCode, [...(lists.get(row.etownCode) ?? []), item]);
  }
  return lists;
}
