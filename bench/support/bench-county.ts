// What the trace benches set up before they measure: the Shanxi regions, one e-town and the county operator
// who generates codes, as plain rows (no login: the benches call services and public pages).
import type { Actor } from '../../src/access/scope.ts';
import type { DatabaseHandle } from '../../src/db/client.ts';
import { regions } from '../../src/db/schema/regions.ts';
import { ensureReferenceRegions } from '../../src/db/seed/seed.ts';
import type { AppContext } from '../../src/http/context.ts';

export const BENCH_ETOWN = '140827-E01';

export const benchActor: Actor = {
  userId: '00000000-0000-4000-8000-000000000001',
  username: 'bench.county',
  displayName: '基准县操作员',
  role: 'county_operator',
  scope: { kind: 'all' },
  ip: '127.0.0.1',
  mustChangePassword: false,
  totpEnrollmentRequired: false,
};

export async function prepareBenchCounty(context: AppContext & { database: DatabaseHandle }): Promise<void> {
  await ensureReferenceRegions(context);
  await context.database.db
    .insert(regions)
    .values({ code: BENCH_ETOWN, name: '皋陶乡村e镇', level: 'etown', parentCode: '140827' });
  await context.database.query(
    `insert into users (id, username, display_name, role, scope_region_code, password_hash)
     values ($1, 'bench.county', '基准县操作员', 'county_operator', '14', 'not-a-login')`,
    [benchActor.userId],
  );
}
