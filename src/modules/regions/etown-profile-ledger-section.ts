import { eq } from 'drizzle-orm';
import type { Transaction } from '../../db/client.ts';
import { etownProfiles } from '../../db/schema/regions.ts';
import { formatExact, type Rational } from '../../indicators/exact.ts';
import type { Ledger } from '../../indicators/ledger-schema.ts';
import { boundaryAreaKm2 } from './regions.service.ts';

const decimal = (value: Rational | null) => (value === null ? null : formatExact(value));

export type PreviousEtownProfile = {
  landAreaKm2: string | null;
  buildingAreaM2: string | null;
  boundaryAreaKm2: string | null;
  leadingIndustries: string[];
};

/**
 * The regions module's section of an e-town's ledger: the profile's areas, boundary and leading industries,
 * written inside the caller's transaction. The county tier and the e-town's name stay the platform's own.
 * Returns what the profile held before, for the audit record.
 */
export async function replaceEtownProfileFromLedger(
  tx: Transaction,
  etownCode: string,
  ledger: Pick<Ledger, 'etown'>,
): Promise<PreviousEtownProfile> {
  const { etown } = ledger;
  const boundary = etown.boundary as Parameters<typeof boundaryAreaKm2>[0] | null;
  const profile = {
    landAreaKm2: decimal(etown.landAreaKm2),
    buildingAreaM2: decimal(etown.buildingAreaM2),
    boundary: boundary as Record<string, unknown> | null,
    boundaryAreaKm2: boundary ? boundaryAreaKm2(boundary) : null,
    leadingIndustries: etown.leadingIndustries,
    updatedAt: new Date(),
  };
  const [existing] = await tx.select().from(etownProfiles).where(eq(etownProfiles.code, etownCode));
  if (existing) {
    await tx
      .update(etownProfiles)
      .set({ ...profile, version: existing.version + 1 })
      .where(eq(etownProfiles.code, etownCode));
  } else {
    await tx.insert(etownProfiles).values({ code: etownCode, ...profile });
  }
  return {
    landAreaKm2: existing?.landAreaKm2 ?? null,
    buildingAreaM2: existing?.buildingAreaM2 ?? null,
    boundaryAreaKm2: existing?.boundaryAreaKm2 ?? null,
    leadingIndustries: existing?.leadingIndustries ?? [],
  };
}
