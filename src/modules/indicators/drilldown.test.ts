import { describe, expect, it } from 'vitest';
import { type IndicatorCatalog, provinceCatalogV1, yuanquAddOnCatalogV2 } from '../../indicators/catalog.ts';
import { type EvaluationOptions, evaluateLedger, traceLedger } from '../../indicators/engine.ts';
import { parseMoneyText } from '../../indicators/exact.ts';
import { buildLedger } from '../../indicators/ledger-factory.ts';
import type { DrillSection } from './drilldown.schemas.ts';
import { describeFacts, drilldownSections } from './drilldown.ts';

const ledger = buildLedger();
const fen = (money: string) => parseMoneyText(money.replaceAll(',', '')) as bigint;
const options: EvaluationOptions = {
  addOns: [yuanquAddOnCatalogV2],
  platformCounts: { training_institutions: ['垣曲县电商培训学校'] },
};

/** The sections of every indicator of a catalog, with the engine's facts for it. */
function drilldowns(catalog: IndicatorCatalog, evaluationOptions: EvaluationOptions) {
  const traced = traceLedger(ledger, provinceCatalogV1, evaluationOptions);
  const { evaluation } = traced;
  const results =
    catalog === provinceCatalogV1
      ? evaluation.indicators
      : (evaluation.addOns.find((addOn) => addOn.catalog.id === catalog.id)?.indicators ?? []);
  return catalog.indicators.map((definition) => {
    const facts = results.find((result) => result.no === definition.no)?.facts ?? {};
    const input = { ledger, running: evaluation.running, facts };
    return {
      definition,
      facts,
      sections: drilldownSections(input, definition, traced.rows.get(`${catalog.id}#${definition.no}`) ?? []),
      described: describeFacts(input, definition),
    };
  });
}

describe('scorecard drill-down, from the rows the engine counted', () => {
  it('traces without changing the evaluation, closed or running', () => {
    for (const asOf of [undefined, '2024-06-15']) {
      const withDay = { ...options, asOf };
      expect(traceLedger(ledger, provinceCatalogV1, withDay).evaluation).toEqual(
        evaluateLedger(ledger, provinceCatalogV1, withDay),
      );
    }
  });

  it('lists, for every count condition, exactly the rows the engine counted', () => {
    let checked = 0;
    for (const catalog of [provinceCatalogV1, yuanquAddOnCatalogV2]) {
      for (const { definition, facts, sections } of drilldowns(catalog, options)) {
        definition.conditions.forEach((condition, index) => {
          if (condition.type !== 'count') return;
          const section = sections.find((candidate) => candidate.key === `c${index}`) as DrillSection;
          const what = `${catalog.id} #${definition.no} ${condition.label}`;
          if (section.kind !== 'table') throw new Error(`${what}: not a table`);
          if (condition.sumOf) {
            expect(section.total?.cells[condition.sumOf], what).toBe(String(facts[condition.fact]));
            const summed = section.rows.reduce(
              (sum, row) => sum + Number(row.cells[condition.sumOf ?? '']),
              0,
            );
            expect(summed, what).toBe(facts[condition.fact]);
          } else {
            expect(section.rows.length, what).toBe(facts[condition.fact]);
          }
          checked += 1;
        });
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('says which dated rows it left out and why', () => {
    const newLegal = drilldowns(provinceCatalogV1, options).find((entry) => entry.definition.no === 27);
    const section = newLegal?.sections[0];
    if (section?.kind !== 'table') throw new Error('#27 has no table');
    expect(section.rows).toHaveLength(8);
    const legalEntities = ledger.entities.filter((entity) => entity.legalEntity).length;
    expect(section.rows.length + section.excluded.length).toBe(legalEntities);
    for (const row of section.excluded) expect(row.reason).toMatch(/^\d{4}-\d{2}-\d{2}早于2024年，不计入$/);
    expect(section.summary).toBe('共 8 个（要求不少于 10 个）');
    expect(section.verdict).toBe('unmet');
  });

  it('sums the monthly figures of #23 and #26 to the totals the engine compared, to the fen', () => {
    const byNo = new Map(drilldowns(provinceCatalogV1, options).map((entry) => [entry.definition.no, entry]));
    for (const [no, fact, previousFact] of [
      [23, 'outputYuan', 'previousOutputYuan'],
      [26, 'onlineRetailYuan', 'previousOnlineRetailYuan'],
    ] as const) {
      const entry = byNo.get(no);
      const monthly = entry?.sections.find((section) => section.kind === 'monthly');
      if (monthly?.kind !== 'monthly') throw new Error(`#${no} has no monthly section`);
      expect(monthly.months).toHaveLength(12);
      expect(fen(monthly.currentTotal)).toBe(fen(entry?.facts[fact] as string));
      expect(fen(monthly.previousTotal)).toBe(fen(entry?.facts[previousFact] as string));
      const current = monthly.months.reduce((sum, month) => sum + fen(month.current ?? '0'), 0n);
      expect(current).toBe(fen(monthly.currentTotal));
      const contributors = monthly.contributors.reduce((sum, row) => sum + fen(row.current), 0n);
      expect(contributors).toBe(fen(monthly.currentTotal));
      expect(monthly.growth).toBe(entry?.facts.growthPct);
    }
  });

  it('in a running year compares only January through the latest month, like the engine', () => {
    const running = drilldowns(provinceCatalogV1, { ...options, asOf: '2024-06-15' });
    for (const [no, fact, previousFact] of [
      [23, 'outputYuan', 'previousOutputYuan'],
      [26, 'onlineRetailYuan', 'previousOnlineRetailYuan'],
    ] as const) {
      const entry = running.find((candidate) => candidate.definition.no === no);
      const monthly = entry?.sections.find((section) => section.kind === 'monthly');
      if (monthly?.kind !== 'monthly') throw new Error(`#${no} has no monthly section`);
      expect(monthly.comparedMonths).toBe('1—6月');
      expect(monthly.months.map((month) => month.compared)).toEqual(
        Array.from({ length: 12 }, (_, index) => index < 6),
      );
      const compared = monthly.months.filter((month) => month.compared);
      const sum = (pick: (month: (typeof compared)[number]) => string | null) =>
        compared.reduce((total, month) => total + fen(pick(month) ?? '0'), 0n);
      expect(sum((month) => month.current)).toBe(fen(monthly.currentTotal));
      expect(sum((month) => month.previous)).toBe(fen(monthly.previousTotal));
      expect(fen(monthly.currentTotal)).toBe(fen(entry?.facts[fact] as string));
      expect(fen(monthly.previousTotal)).toBe(fen(entry?.facts[previousFact] as string));
      // The months after June are shown for context but are not in the totals.
      expect(sum((month) => month.current)).toBeLessThan(
        monthly.months.reduce((total, month) => total + fen(month.current ?? '0'), 0n),
      );
    }
  });

  it('checks each facility against the standard and labels the facts in Chinese', () => {
    const entries = drilldowns(provinceCatalogV1, options);
    const showroom = entries.find((entry) => entry.definition.no === 16);
    const section = showroom?.sections[0];
    if (section?.kind !== 'table') throw new Error('#16 has no table');
    expect(section.title).toBe('电商产品展示体验中心');
    expect(section.rows.length).toBeGreaterThan(0);
    for (const row of section.rows) expect(typeof row.cells.check).toBe('string');
    const output = entries.find((entry) => entry.definition.no === 23);
    const target = output?.described.find((fact) => fact.label.endsWith('标准（元）'));
    expect(target?.value).toMatch(/^[\d,]+\.\d{2}$/);
    const platform = drilldowns(yuanquAddOnCatalogV2, options).find((entry) => entry.definition.no === 3);
    expect(platform?.sections).toEqual([
      {
        kind: 'note',
        key: 'c0',
        text: '主体库中标注为培训机构的在册市场主体（平台市场主体库）：垣曲县电商培训学校',
      },
    ]);
  });
});
