import { asc } from 'drizzle-orm';
import { anyOfText } from '../../db/any-of.ts';
import type { Executor } from '../../db/client.ts';
import { type TalentRole, talentPeople } from '../../db/schema/talent.ts';

export type LedgerPerson = { role: TalentRole; name: string };
/** Where a ledger person comes from: entered on the platform (with their id) or a ledger import. */
export type PersonOrigin = { kind: 'platform'; personId: string } | { kind: 'ledger' };
export type SourcedPerson = LedgerPerson & { origin: PersonOrigin };

/** The people of e-towns as the ledger sees them (see peopleSourcesByEtown), without their origin. */
export async function peopleByEtown(
  executor: Executor,
  codes: readonly string[],
): Promise<Map<string, LedgerPerson[]>> {
  const sourced = await peopleSourcesByEtown(executor, codes);
  return new Map([...sourced].map(([code, list]) => [code, list.map(({ role, name }) => ({ role, name }))]));
}

/**
 * The people of e-towns as the ledger (and so indicators 12 and 13) sees them: every person entered on the
 * platform, then every ledger-imported person that no platform person of the same e-town, role and name
 * stands for. An exported ledger imported again therefore counts each platform person once; a ledger
 * file's own people still count for those not entered on the platform (ADR 017). Each carries its origin, which the scorecard's drill-down shows (the ledger file does not).
 */
export async function peopleSourcesByEtown(
  executor: Executor,
  codes: readonly string[],
): Promise<Map<string, SourcedPerson[]>> {
  const rows = await executor
    .select({
      id: talentPeople.id,
      etownCode: talentPeople.etownCode,
      role: talentPeople.role,
      name: talentPeople.name,
      source: talentPeople.source,
    })
    .from(talentPeople)
    .where(anyOfText(talentPeople.etownCode, codes))
    .orderBy(
      asc(talentPeople.etownCode),
      asc(talentPeople.sortOrder),
      asc(talentPeople.createdAt),
      asc(talentPeople.id),
    );
  const platformKeys = new Set(
    rows.filter((row) => row.source === 'platform').map((row) => `${row.etownCode}|${row.role}|${row.name}`),
  );
  const lists = new Map<string, SourcedPerson[]>();
  const add = (row: (typeof rows)[number]) => {
    const list = lists.get(row.etownCode) ?? [];
    const origin: PersonOrigin =
      row.source === 'platform' ? { kind: 'platform', personId: row.id } : { kind: 'ledger' };
    list.push({ role: row.role, name: row.name, origin });
    lists.set(row.etownCode, list);
  };
  for (const row of rows) if (row.source === 'platform') add(row);
  for (const row of rows) {
    if (row.source === 'ledger' && !platformKeys.has(`${row.etownCode}|${row.role}|${row.name}`)) add(row);
  }
  return lists;
}
