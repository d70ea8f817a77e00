import { asc } from 'drizzle-orm';
import { anyOfText } from '../../db/any-of.ts';
import type { Executor } from '../../db/client.ts';
import { type TalentRole, talentPeople } from '../../db/schema/talent.ts';

export type LedgerPerson = { role: TalentRole; name: string };

/**
 * The people of e-towns as the ledger (and so indicators 12 and 13) sees them: every person entered on the
 * platform, then every ledger-imported person that no platform person of the same e-town, role and name
 * stands for. An exported ledger imported again therefore counts each platform person once; a ledger
 * file's own people still count for those not entered on the platform (ADR 017).
 */
export async function peopleByEtown(
  executor: Executor,
  codes: readonly string[],
): Promise<Map<string, LedgerPerson[]>> {
  const rows = await executor
    .select({
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
  const lists = new Map<string, LedgerPerson[]>();
  const add = (row: (typeof rows)[number]) => {
    const list = lists.get(row.etownCode) ?? [];
    list.push({ role: row.role, name: row.name });
    lists.set(row.etownCode, list);
  };
  for (const row of rows) if (row.source === 'platform') add(row);
  for (const row of rows) {
    if (row.source === 'ledger' && !platformKeys.has(`${row.etownCode}|${row.role}|${row.name}`)) add(row);
  }
  return lists;
}
