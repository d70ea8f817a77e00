import { eq, isNotNull } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { users } from '../../db/schema/accounts.ts';

/** For a rotation of the SM4 key: every TOTP secret re-encrypted with `rewrap`; returns how many. */
export async function rewrapTotpSecrets(
  executor: Executor,
  rewrap: (cipher: string) => string,
): Promise<number> {
  const rows = await executor
    .select({ id: users.id, cipher: users.totpSecretEncrypted })
    .from(users)
    .where(isNotNull(users.totpSecretEncrypted));
  for (const row of rows) {
    await executor
      .update(users)
      .set({ totpSecretEncrypted: rewrap(row.cipher as string) })
      .where(eq(users.id, row.id));
  }
  return rows.length;
}
