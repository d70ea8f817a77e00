import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { currentProvinceCatalog } from '../../../../src/indicators/catalog.ts';
import { evaluateLedger } from '../../../../src/indicators/engine.ts';
import { parseLedger } from '../../../../src/indicators/ledger-schema.ts';
import { type DrillSection, drilldownSections, type LedgerJson } from './drilldown-rows.ts';

const json = JSON.parse(
  readFileSync(
    new URL('../../../../src/indicators/fixtures/gaotao-2024.ledger.json', import.meta.url),
    'utf8',
  ),
) as LedgerJson;
const parsed = parseLedger(json);
if (!parsed.ok) throw new Error('fixture does not parse');
const catalog = currentProvinceCatalog();
const evaluation = evaluateLedger(parsed.ledger, catalog);
const plain = (money: string) => money.replaceAll(',', '');

describe('scorecard drill-down rows', () => {
  it('lists, for every count condition, exactly the rows the engine counted', () => {
    let checked = 0;
    for (const indicator of catalog.indicators) {
      const facts = evaluation.indicators.find((result) => result.no === indicator.no)?.facts ?? {};
      const sections = drilldownSections(json, catalog, indicator.no, facts);
      indicator.conditions.forEach((condition, index) => {
        if (condition.type !== 'count' || condition.sumOf || condition.distinct) return;
        const section = sections.find((candidate) => candidate.key === `c${index}`) as DrillSection;
        expect(section.kind, `#${indicator.no} c${index}`).toBe('table');
        if (section.kind !== 'table') return;
        const counted = section.rows.filter((row) => !row.excluded).length;
        expect(counted, `#${indicator.no} ${condition.label}`).toBe(facts[condition.fact]);
        checked += 1;
      });
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('sums the monthly figures of #23 and #26 to the scorecard totals, to the fen', () => {
    for (const [no, fact] of [
      [23, 'outputYuan'],
      [26, 'onlineRetailYuan'],
    ] as const) {
      const facts = evaluation.indicators.find((result) => result.no === no)?.facts ?? {};
      const monthly = drilldownSections(json, catalog, no, facts).find(
        (section) => section.kind === 'monthly',
      );
      if (monthly?.kind !== 'monthly') throw new Error(`#${no} has no monthly section`);
      expect(monthly.months).toHaveLength(12);
      expect(plain(monthly.currentTotal)).toBe(facts[fact]);
    }
  });
});
