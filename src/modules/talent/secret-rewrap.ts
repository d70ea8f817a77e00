import { eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { trainees } from '../../db/schema/talent.ts';

/**
 * For a rotation of the SM4 key: every trainee's ID number and phone re-encrypted with `rewrap`, and the
 * ID number's blind index recomputed under the new key by `reindex` (it is keyed by the SM4 key too).
 */
export async function rewrapTraineeSecrets(
  executor: Executor,
  rewrap: (cipher: string) => string,
  reindex: (idNumberCipher: string) => string,
): Promise<{ traineeIdentities: number }> {
  const rows = await executor
    .select({ id: trainees.id, idNumberCipher: trainees.idNumberCipher, phoneCipher: trainees.phoneCipher })
    .from(trainees);
  for (const row of rows) {
    await executor
      .update(trainees)
      .set({
        idNumberCipher: rewrap(row.idNumberCipher),
        idNumberIndex: reindex(row.idNumberCipher),
        phoneCipher: row.phoneCipher ? rewrap(row.phoneCipher) : null,
      })
      .where(eq(trainees.id, row.id));
  }
  return { traineeIdentities: rows.length };
}
