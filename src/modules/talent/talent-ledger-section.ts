import { and, eq } from 'drizzle-orm';
import type { Transaction } from '../../db/client.ts';
import { insertInChunks, withLedgerOrder } from '../../db/ledger-rows.ts';
import { talentPeople, trainings } from '../../db/schema/talent.ts';
import type { Ledger } from '../../indicators/ledger-schema.ts';

/**
 * Replaces the e-town's ledger trainings and people with the ledger's, inside the caller's transaction.
 * Training sessions and their attendance are never touched: where a session and a ledger training share
 * e-town, date and title, the session's counted attendance stands for both (training-list.ts, ADR 017).
 * Likewise only the ledger's people are replaced: people entered on the platform stay, and a ledger person
 * with the same role and name as one of them is that person (people-list.ts).
 */
export async function replaceTalentLedgerSection(
  tx: Transaction,
  etownCode: string,
  ledger: Pick<Ledger, 'trainings' | 'people'>,
) {
  await tx.delete(trainings).where(eq(trainings.etownCode, etownCode));
  await tx
    .delete(talentPeople)
    .where(and(eq(talentPeople.etownCode, etownCode), eq(talentPeople.source, 'ledger')));
  await insertInChunks(
    withLedgerOrder(
      ledger.trainings.map((row) => ({
        heldOn: row.date,
        title: row.title,
        crossBorder: row.crossBorder,
        attendance: row.attendance,
      })),
      etownCode,
    ),
    (chunk) => tx.insert(trainings).values(chunk),
  );
  await insertInChunks(withLedgerOrder(ledger.people, etownCode), (chunk) =>
    tx.insert(talentPeople).values(chunk),
  );
}
