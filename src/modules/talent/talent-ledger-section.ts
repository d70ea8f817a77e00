import { eq } from 'drizzle-orm';
import type { Transaction } from '../../db/client.ts';
import { insertInChunks, withLedgerOrder } from '../../db/ledger-rows.ts';
import { talentPeople, trainings } from '../../db/schema/talent.ts';
import type { Ledger } from '../../indicators/ledger-schema.ts';

/**
 * Replaces the e-town's trainings and people with the ledger's, inside the caller's transaction.
 * Only ledger files feed them until the talent module's own screens exist (#16), so nothing else is kept.
 */
export async function replaceTalentLedgerSection(
  tx: Transaction,
  etownCode: string,
  ledger: Pick<Ledger, 'trainings' | 'people'>,
) {
  await tx.delete(trainings).where(eq(trainings.etownCode, etownCode));
  await tx.delete(talentPeople).where(eq(talentPeople.etownCode, etownCode));
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
