import { and, asc, eq, inArray, ne, type SQL } from 'drizzle-orm';
import type { Transaction } from '../../db/client.ts';
import { insertInChunks } from '../../db/ledger-rows.ts';
import { policyDocuments } from '../../db/schema/documents.ts';
import { complianceIncidents, facilities, investments } from '../../db/schema/projects.ts';
import { formatExact, formatFen, type Rational } from '../../indicators/exact.ts';
import type { Ledger } from '../../indicators/ledger-schema.ts';

const decimal = (value: Rational | null) => (value === null ? null : formatExact(value));

type MergeableTable =
  | typeof policyDocuments
  | typeof investments
  | typeof facilities
  | typeof complianceIncidents;

/**
 * Merges one ledger list into the e-town's rows by a natural key: a matched row takes the ledger's fields
 * and order and keeps its id and platform fields (files, photos, project links, handling); the ledger's
 * other rows are inserted; unmatched rows go unless `keep` holds for them, and the kept ones are placed
 * after the ledger's rows and returned.
 */
async function mergeByKey<Row extends { id: string; sortOrder: number; createdAt: Date }>(
  tx: Transaction,
  table: MergeableTable,
  etownCode: string,
  incoming: Record<string, unknown>[],
  keyOf: (row: Record<string, unknown>) => string,
  keep: (row: Row) => boolean = () => false,
  /** Only these of the e-town's rows take part (the others are neither matched nor removed). */
  only?: SQL,
): Promise<Row[]> {
  const previous = (await tx
    .select()
    .from(table)
    .where(and(eq(table.etownCode, etownCode), only))
    .orderBy(asc(table.sortOrder), asc(table.createdAt))) as unknown as Row[];
  const unmatched = new Map<string, Row[]>();
  for (const row of previous) {
    const key = keyOf(row as unknown as Record<string, unknown>);
    unmatched.set(key, [...(unmatched.get(key) ?? []), row]);
  }
  const inserts: Record<string, unknown>[] = [];
  for (const [sortOrder, values] of incoming.entries()) {
    const matched = unmatched.get(keyOf(values))?.shift();
    if (matched) {
      const versioned =
        'version' in matched ? { version: (matched.version as number) + 1, updatedAt: new Date() } : {};
      await tx
        .update(table)
        .set({ ...values, ...versioned, sortOrder } as never)
        .where(eq(table.id, matched.id));
    } else {
      inserts.push({ ...values, etownCode, sortOrder });
    }
  }
  await insertInChunks(inserts, (chunk) => tx.insert(table).values(chunk as never));
  const rest = [...unmatched.values()].flat().sort((a, b) => a.sortOrder - b.sortOrder);
  const kept = rest.filter(keep);
  const removable = rest.filter((row) => !keep(row)).map((row) => row.id);
  for (let start = 0; start < removable.length; start += 1000) {
    await tx.delete(table).where(inArray(table.id, removable.slice(start, start + 1000)));
  }
  for (const [index, row] of kept.entries()) {
    await tx
      .update(table)
      .set({ sortOrder: incoming.length + index })
      .where(eq(table.id, row.id));
  }
  return kept;
}

/**
 * The projects module's section of an e-town's ledger, written inside the caller's transaction.
 * Documents, investments, facilities and compliance incidents carry platform data the ledger does not
 * (files, issuers, photos, project links, handling), so they are merged by natural key, not replaced.
 * Investments and facilities that a platform project records stay even when the ledger omits them.
 * The leading-group document is the register's (never written here), and incidents are the county's:
 * only seeding writes them.
 */
export async function importProjectsLedgerSection(
  tx: Transaction,
  etownCode: string,
  ledger: Pick<Ledger, 'documents' | 'investments' | 'facilities' | 'complianceIncidents'>,
  /** Incidents are the county's: only seeding writes them. */
  options: { withComplianceIncidents: boolean },
): Promise<{ keptInvestments: string[]; keptFacilities: string[] }> {
  const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));
  await mergeByKey(
    tx,
    policyDocuments,
    etownCode,
    ledger.documents.filter((row) => row.kind !== 'leading_group').map((row) => ({ ...row })),
    (row) => JSON.stringify([row.kind, row.title, text(row.docNo)]),
    () => false,
    ne(policyDocuments.kind, 'leading_group'),
  );
  const keptInvestments = await mergeByKey<typeof investments.$inferSelect>(
    tx,
    investments,
    etownCode,
    ledger.investments.map((row) => ({
      project: row.project,
      amountFen: row.amountFen,
      investedOn: row.date,
    })),
    (row) => JSON.stringify([row.project, text(row.amountFen), row.investedOn]),
    (row) => row.projectId !== null,
  );
  const keptFacilities = await mergeByKey<typeof facilities.$inferSelect>(
    tx,
    facilities,
    etownCode,
    ledger.facilities.map((row) => ({
      kind: row.kind,
      name: row.name,
      buildingAreaM2: decimal(row.buildingAreaM2),
      features: row.features,
    })),
    (row) => JSON.stringify([row.kind, row.name]),
    (row) => row.projectId !== null,
  );
  if (options.withComplianceIncidents) {
    await mergeByKey(
      tx,
      complianceIncidents,
      etownCode,
      ledger.complianceIncidents.map((row) => ({
        occurredOn: row.date,
        category: row.category,
        description: row.description,
      })),
      (row) => JSON.stringify([row.occurredOn, row.category, text(row.description)]),
    );
  }
  return {
    keptInvestments: keptInvestments.map(
      (row) => `${row.project}（${formatFen(row.amountFen)} 元，${row.investedOn}）`,
    ),
    keptFacilities: keptFacilities.map((row) => row.name),
  };
}
