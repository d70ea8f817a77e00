import { asc, sql } from 'drizzle-orm';
import { anyOfText } from '../../db/any-of.ts';
import type { Executor } from '../../db/client.ts';
import { trainingAttendance, trainingSessions, trainings } from '../../db/schema/talent.ts';

export type LedgerTraining = { date: string; title: string; crossBorder: boolean; attendance: number };

/**
 * The trainings of e-towns as the ledger (and so indicator 11 and the cross-border count) sees them: every
 * session with its attendance COUNTED from its rows, then every ledger-imported training that no session
 * of the same e-town, date and title stands for. An exported ledger imported again therefore counts each
 * session once, by its rows; a ledger file's own totals stand only for trainings held outside the platform
 * (ADR 017).
 */
export async function trainingsByEtown(
  executor: Executor,
  codes: readonly string[],
): Promise<Map<string, LedgerTraining[]>> {
  const [sessions, ledgerRows] = await Promise.all([
    executor
      .select({
        etownCode: trainingSessions.etownCode,
        date: trainingSessions.heldOn,
        title: trainingSessions.topic,
        crossBorder: trainingSessions.crossBorder,
        attendance: sql<number>`(select count(*)::int from ${trainingAttendance} where ${trainingAttendance.sessionId} = ${trainingSessions.id})`,
      })
      .from(trainingSessions)
      .where(anyOfText(trainingSessions.etownCode, codes))
      .orderBy(
        asc(trainingSessions.etownCode),
        asc(trainingSessions.heldOn),
        asc(trainingSessions.createdAt),
      ),
    executor
      .select()
      .from(trainings)
      .where(anyOfText(trainings.etownCode, codes))
      .orderBy(asc(trainings.etownCode), asc(trainings.sortOrder), asc(trainings.createdAt)),
  ]);
  const lists = new Map<string, LedgerTraining[]>();
  const sessionKeys = new Set<string>();
  for (const { etownCode, ...session } of sessions) {
    sessionKeys.add(`${etownCode}|${session.date}|${session.title}`);
    lists.set(etownCode, [...(lists.get(etownCode) ?? []), session]);
  }
  for (const row of ledgerRows) {
    if (sessionKeys.has(`${row.etownCode}|${row.heldOn}|${row.title}`)) continue;
    const item = {
      date: row.heldOn,
      title: row.title,
      crossBorder: row.crossBorder,
      attendance: row.attendance,
    };
    lists.set(row.etownCode, [...(lists.get(row.etownCode) ?? []), item]);
  }
  return lists;
}
