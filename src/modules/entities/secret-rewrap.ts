import { eq, isNotNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { entities } from '../../db/schema/entities.ts';
import { entryApplications } from '../../db/schema/entity-registry.ts';

/**
 * For a rotation of the SM4 key: every contact phone re-encrypted with `rewrap`, on entities and inside
 * entry applications' proposals; returns how many of each.
 */
export async function rewrapContactPhones(
  executor: Executor,
  rewrap: (cipher: string) => string,
): Promise<{ entityPhones: number; applicationPhones: number }> {
  const phones = await executor
    .select({ id: entities.id, cipher: entities.contactPhoneCipher })
    .from(entities)
    .where(isNotNull(entities.contactPhoneCipher));
  for (const row of phones) {
    await executor
      .update(entities)
      .set({ contactPhoneCipher: rewrap(row.cipher as string) })
      .where(eq(entities.id, row.id));
  }
  const applications = await executor
    .select({ id: entryApplications.id, proposal: entryApplications.proposal })
    .from(entryApplications)
    .where(sql`${entryApplications.proposal}->>'contactPhoneCipher' is not null`);
  for (const row of applications) {
    const proposal = row.proposal as { contactPhoneCipher: string };
    await executor
      .update(entryApplications)
      .set({ proposal: { ...proposal, contactPhoneCipher: rewrap(proposal.contactPhoneCipher) } })
      .where(eq(entryApplications.id, row.id));
  }
  return { entityPhones: phones.length, applicationPhones: applications.length };
}
