import { eq } from 'drizzle-orm';
import type { Transaction } from '../../db/client.ts';
import { insertInChunks, withLedgerOrder } from '../../db/ledger-rows.ts';
import { pavilions, supplyChains } from '../../db/schema/portal.ts';
import type { Ledger } from '../../indicators/ledger-schema.ts';

/**
 * Replaces the e-town's supply chains and pavilions with the ledger's, inside the caller's transaction.
 * Only ledger files feed them until the portal's own screens exist (#17), so nothing else is kept.
 */
export async function replacePortalLedgerSection(
  tx: Transaction,
  etownCode: string,
  ledger: Pick<Ledger, 'supplyChains' | 'pavilions'>,
) {
  await tx.delete(supplyChains).where(eq(supplyChains.etownCode, etownCode));
  await tx.delete(pavilions).where(eq(pavilions.etownCode, etownCode));
  await insertInChunks(withLedgerOrder(ledger.supplyChains, etownCode), (chunk) =>
    tx.insert(supplyChains).values(chunk),
  );
  await insertInChunks(withLedgerOrder(ledger.pavilions, etownCode), (chunk) =>
    tx.insert(pavilions).values(chunk),
  );
}
