import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entities } from '../../db/schema/entities.ts';
import type { App } from '../../http/app.ts';
import type { IndicatorEvaluation, LedgerEvaluation } from '../../indicators/engine.ts';
import { buildLedger } from '../../indicators/ledger-factory.ts';
import { createSeededApp, loginReady, type TestContext, testBackends } from '../../test/test-context.ts';
import { evaluateEtown } from './ledger-builder.ts';
import { exportLedger } from './ledger-export.ts';
import { seedEtownLedger } from './ledger-import.ts';
import { evaluateEtownsForOverview } from './scorecard.service.ts';

const ETOWN = '140827-E01';
const LEADING = '93140827MA09EKCY05';
const NEW_IN_2024 = '91140827MA0NK09JXN';
const FINANCE_OUTLET = '91140827MA0M72LE92';

const indicator = (evaluation: LedgerEvaluation, no: number) =>
  evaluation.indicators.find((candidate) => candidate.no === no) as IndicatorEvaluation;
const trainingTarget = (evaluation: LedgerEvaluation) => evaluation.addOns[0]?.indicators[2];

describe.each(testBackends)(
  'the platform’s ledger: exits, the leading-group register, 培训机构 (%s)',
  (backend) => {
    let app: App;
    let context: TestContext;
    let county = '';
    const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
      app.inject({ method, url, headers: { cookie: county }, ...(payload ? { payload } : {}) });

    /** The single-e-town evaluation, checked against the batched overview path. */
    const evaluate = async (year: number) => {
      const single = await evaluateEtown(context.database.db, ETOWN, year);
      const [batched] = await evaluateEtownsForOverview(context.database.db, [ETOWN], year);
      expect(batched?.evaluation).toEqual(single);
      return single;
    };
    const entityOf = async (creditCode: string) => {
      const [row] = await context.database.db
        .select()
        .from(entities)
        .where(eq(entities.creditCode, creditCode));
      return row as typeof entities.$inferSelect;
    };
    const exit = async (creditCode: string, exitedOn: string) => {
      const entity = await entityOf(creditCode);
      const response = await call('POST', `/api/entities/${entity.id}/exit`, {
        version: entity.version,
        exitedOn,
        reason: '迁出本县经营',
      });
      expect(response.statusCode).toBe(200);
    };

    beforeAll(async () => {
      ({ app, context } = await createSeededApp(backend));
      await seedEtownLedger(context, { username: 'test', ip: 'local' }, buildLedger(), ETOWN);
      county = (await loginReady(app, 'county.yuanqu')).cookie;
    }, 120_000);

    afterAll(async () => {
      await app.close();
      await context.close();
    });

    it('an entity that exited by the year’s end counts for no tag or registration condition; its figures up to the exit do', async () => {
      const before = await evaluate(2024);
      expect(indicator(before, 4).facts.count).toBe(5);
      expect(indicator(before, 27).facts.count).toBe(8);
      const ledgerBefore = await exportLedger(context.database.db, ETOWN, 2024);
      const leadingRows = ledgerBefore.monthlyStats.filter((row) => row.creditCode === LEADING);
      expect(leadingRows.some((row) => row.month > '2024-06')).toBe(true);

      await exit(LEADING, '2024-06-30');
      await exit(NEW_IN_2024, '2024-09-30');
      await exit(FINANCE_OUTLET, '2025-02-01');

      const after = await evaluate(2024);
      expect(indicator(after, 4)).toMatchObject({ status: 'unmet', facts: { count: 4 } });
      expect(indicator(after, 27).facts.count).toBe(7);
      // Exited only in 2025: still the e-town's at the end of 2024.
      expect(indicator(after, 7)).toMatchObject({ status: 'met', facts: { count: 1 } });
      const ledger = await exportLedger(context.database.db, ETOWN, 2024);
      const listed = ledger.entities.find((entity) => entity.creditCode === LEADING);
      expect(listed).toMatchObject({ tags: [], legalEntity: false });
      expect(listed?.name).toContain('2024-06-30 已退出');
      expect(ledger.monthlyStats.filter((row) => row.creditCode === LEADING).map((row) => row.month)).toEqual(
        leadingRows.filter((row) => row.month <= '2024-06').map((row) => row.month),
      );
      // The year before, it was still there: counted.
      expect(indicator(await evaluate(2023), 4).facts.count).toBe(5);
    });

    it('#21 reads the leading-group register; a policy document cannot be a second source', async () => {
      const ledger = await exportLedger(context.database.db, ETOWN, 2024);
      expect(ledger.documents.filter((document) => document.kind === 'leading_group')).toEqual([
        {
          kind: 'leading_group',
          title: '垣曲县培育皋陶乡村e镇工作领导小组',
          docNo: '垣政办发〔2023〕8号',
          issuedOn: '2023-03-18',
        },
      ]);
      const [group] = (await call('GET', `/api/leading-groups?regionCode=${ETOWN}`)).json() as {
        id: string;
        version: number;
      }[];
      const renumbered = await call('PATCH', `/api/leading-groups/${group?.id}`, {
        docNo: '垣政办发〔2023〕9号',
        version: group?.version,
      });
      expect(renumbered.statusCode).toBe(200);
      expect(indicator(await evaluate(2024), 21)).toMatchObject({ status: 'met' });
      const reasons = await evaluateEtown(context.database.db, ETOWN, 2024);
      expect(indicator(reasons, 21).facts.documents).toEqual(['垣曲县培育皋陶乡村e镇工作领导小组']);
      expect(
        (await exportLedger(context.database.db, ETOWN, 2024)).documents.find(
          (row) => row.kind === 'leading_group',
        )?.docNo,
      ).toBe('垣政办发〔2023〕9号');
      const moved = await call('PATCH', `/api/leading-groups/${group?.id}`, {
        establishedOn: '2025-01-05',
        version: renumbered.json().version,
      });
      expect(indicator(await evaluate(2024), 21).status).toBe('unmet');
      const restored = await call('PATCH', `/api/leading-groups/${group?.id}`, {
        establishedOn: '2023-03-18',
        version: moved.json().version,
      });
      expect(restored.statusCode).toBe(200);

      const second = await call('POST', '/api/policy-documents', {
        etownCode: ETOWN,
        kind: 'leading_group',
        title: '关于成立工作领导小组的通知',
        issuedOn: '2023-03-18',
      });
      expect(second.statusCode).toBe(400);
      expect(second.json().error.message).toContain('领导小组文件以“领导小组”登记为准');
    });

    it('Yuanqu’s 电商培训机构 counts the registry’s active entities tagged 培训机构', async () => {
      expect(trainingTarget(await evaluate(2024))).toMatchObject({
        status: 'unmet',
        facts: { trainingInstitutions: 0 },
      });
      const school = await entityOf('91140827MA0PKGWQ91');
      const tagged = await call('POST', `/api/entities/${school.id}/tags`, {
        tag: 'training',
        reason: '县人社局认定的电商培训机构',
        effectiveOn: '2024-05-01',
      });
      expect(tagged.statusCode).toBe(200);
      const met = trainingTarget(await evaluate(2024));
      expect(met).toMatchObject({ status: 'met', facts: { trainingInstitutions: 1 } });
      expect(met?.facts.trainingInstitutionNames).toEqual([school.name]);
      const scorecard = (await call('GET', `/api/etowns/${ETOWN}/scorecard?year=2024`)).json();
      expect(scorecard.addOns[0].indicators[2]).toMatchObject({ status: 'met' });

      await exit('91140827MA0PKGWQ91', '2024-11-30');
      expect(trainingTarget(await evaluate(2024))?.status).toBe('unmet');
    });
  },
);
