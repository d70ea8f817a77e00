import { describe, expect, it } from 'vitest';
import {
  type AmountCondition,
  addOnCatalogsFor,
  currentProvinceCatalog,
  findCatalog,
  type IndicatorCatalog,
  indicatorCatalogs,
  provinceCatalogV1,
  yuanquAddOnCatalogV1,
  yuanquAddOnCatalogV2,
} from './catalog.ts';
import { evaluateLedger } from './engine.ts';
import { buildLedger } from './ledger-factory.ts';

const amountOf = (no: number) =>
  provinceCatalogV1.indicators
    .find((indicator) => indicator.no === no)
    ?.conditions.find((condition): condition is AmountCondition => condition.type === 'amount');

describe('indicator catalogs', () => {
  it('version 1 is Annex 2: the 28 indicators in order, each with its group and standard', () => {
    expect(provinceCatalogV1.indicators.map((indicator) => indicator.no)).toEqual(
      Array.from({ length: 28 }, (_, index) => index + 1),
    );
    for (const indicator of provinceCatalogV1.indicators) {
      expect(indicator.title, `#${indicator.no}`).toMatch(/\S/);
      expect(indicator.standard, `#${indicator.no}`).toMatch(/\S/);
      expect(indicator.conditions.length, `#${indicator.no}`).toBeGreaterThan(0);
    }
    const groups = new Set(provinceCatalogV1.indicators.map((indicator) => indicator.category));
    expect(groups.size).toBe(14);
  });

  it('holds the tier thresholds of #23, #25 and #26 in yuan', () => {
    expect(amountOf(23)?.thresholdYuan).toEqual({
      pilot_demo: '200000000',
      overall_advance: '150000000',
      key_support: '100000000',
    });
    expect(amountOf(25)?.thresholdYuan).toEqual({
      pilot_demo: '300000000',
      overall_advance: '200000000',
      key_support: '100000000',
    });
    expect(amountOf(26)?.thresholdYuan).toEqual({
      pilot_demo: '50000000',
      overall_advance: '30000000',
      key_support: '20000000',
    });
  });

  it('finds published versions and the add-ons for a county', () => {
    expect(currentProvinceCatalog()).toBe(provinceCatalogV1);
    expect(findCatalog({ id: 'shanxi-province', version: 1 })).toBe(provinceCatalogV1);
    expect(findCatalog({ id: 'shanxi-province', version: 99 })).toBeUndefined();
    expect(addOnCatalogsFor(provinceCatalogV1, '140827')).toEqual([yuanquAddOnCatalogV2]);
    expect(findCatalog({ id: 'yuanqu-140827', version: 1 })).toBe(yuanquAddOnCatalogV1);
    expect(addOnCatalogsFor(provinceCatalogV1, '140802')).toEqual([]);
    expect(addOnCatalogsFor({ id: 'shanxi-province', version: 2 }, '140827')).toEqual([]);
  });

  it('published catalogs cannot be edited', () => {
    expect(Object.isFrozen(indicatorCatalogs)).toBe(true);
    expect(() => {
      (amountOf(23)?.thresholdYuan as Record<string, string>).key_support = '1';
    }).toThrow(TypeError);
  });

  it('a new version is new data: it changes its own evaluations, not those of version 1', () => {
    const version2: IndicatorCatalog = {
      ...provinceCatalogV1,
      version: 2,
      indicators: provinceCatalogV1.indicators.map((indicator) =>
        indicator.no === 13
          ? {
              ...indicator,
              conditions: [{ ...indicator.conditions[0], min: 3 } as (typeof indicator.conditions)[0]],
            }
          : indicator,
      ),
    };
    const ledger = buildLedger();
    const underVersion1 = evaluateLedger(ledger, provinceCatalogV1);
    const underVersion2 = evaluateLedger(ledger, version2);
    expect(underVersion2.catalog).toEqual({ id: 'shanxi-province', version: 2 });
    expect(underVersion2.indicators[12]?.status).toBe('met');
    expect(underVersion1.indicators[12]?.status).toBe('unmet');
    expect(evaluateLedger(ledger, findCatalog(underVersion1.catalog) as IndicatorCatalog)).toEqual(
      underVersion1,
    );
  });
});
