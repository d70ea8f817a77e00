import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import turfArea from '@turf/area';
import { describe, expect, it } from 'vitest';
import { addOnCatalogsFor, provinceCatalogV1, yuanquAddOnCatalogV1 } from './catalog.ts';
import {
  boundaryAreaKm2,
  evaluateLedger,
  type IndicatorEvaluation,
  type LedgerEvaluation,
  type PlatformCounts,
} from './engine.ts';
import { divide, fromDouble, rational } from './exact.ts';
import {
  buildLedger,
  buildLedgerJson,
  EXAMPLE_ENTITY,
  exampleEvaluationPath,
  exampleLedgerPath,
  type LedgerJson,
  monthlyRows,
} from './ledger-factory.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const sharedExamples = path.resolve(repoRoot, '../shared/examples');

const expected = JSON.parse(readFileSync(exampleEvaluationPath, 'utf8')) as LedgerEvaluation;

function evaluate(change?: (ledger: LedgerJson) => void): LedgerEvaluation {
  return evaluateLedger(buildLedger(change), provinceCatalogV1);
}

function indicator(evaluation: LedgerEvaluation, no: number): IndicatorEvaluation {
  const found = evaluation.indicators.find((candidate) => candidate.no === no);
  if (!found) throw new Error(`indicator ${no} missing`);
  return found;
}

/** Only the example entity reports, with these rows for 2023 and 2024. */
function withMonthlyRows(rows: LedgerJson[], cityOutputGrowthPct: string | null = '6.5') {
  return (ledger: LedgerJson) => {
    ledger.monthlyStats = rows;
    ledger.etown.cityOutputGrowthPct = cityOutputGrowthPct;
  };
}

describe('the worked example (gaotao-2024)', () => {
  it.skipIf(!existsSync(sharedExamples))('fixtures are the shared examples', () => {
    for (const name of ['gaotao-2024.ledger.json', 'gaotao-2024.evaluation.json']) {
      const shared = JSON.parse(readFileSync(path.join(sharedExamples, name), 'utf8'));
      const copy = JSON.parse(
        readFileSync(name.includes('ledger') ? exampleLedgerPath : exampleEvaluationPath, 'utf8'),
      );
      expect(copy, name).toEqual(shared);
    }
  });

  const evaluation = evaluate();

  it('gives exactly the expected header, statuses and summary', () => {
    const { format, etown, year, tier, summary } = evaluation;
    expect({ format, etown, year, tier, summary }).toEqual({
      format: expected.format,
      etown: expected.etown,
      year: expected.year,
      tier: expected.tier,
      summary: expected.summary,
    });
    expect(evaluation.summary).toEqual({ met: 25, unmet: 2, pending: 1 });
    expect(evaluation.indicators.map(({ no, status }) => ({ no, status }))).toEqual(
      expected.indicators.map(({ no, status }) => ({ no, status })),
    );
  });

  it('shows the figures of the expected evaluation', () => {
    for (const want of expected.indicators) {
      const got = indicator(evaluation, want.no);
      expect(got.title, `#${want.no}`).toBe(want.title);
      expect(got.facts, `#${want.no}`).toMatchObject(want.facts);
      expect(got.reasons.length > 0, `#${want.no}`).toBe(want.status !== 'met');
    }
  });

  it('records the catalog version and keeps county add-ons out of the 28 and the summary', () => {
    expect(evaluation.catalog).toEqual({ id: 'shanxi-province', version: 1 });
    expect(evaluation.addOns).toEqual([]);
    const withAddOns = evaluateLedger(buildLedger(), provinceCatalogV1, {
      addOns: addOnCatalogsFor(provinceCatalogV1, '140827'),
    });
    expect(withAddOns.indicators).toEqual(evaluation.indicators);
    expect(withAddOns.summary).toEqual(evaluation.summary);
    expect(withAddOns.addOns).toHaveLength(1);
    const [yuanqu] = withAddOns.addOns;
    expect(yuanqu?.catalog).toEqual({ id: 'yuanqu-140827', version: 2, title: '垣曲县自定目标' });
    // 4 of the 2024 entities do e-commerce and none is cross-border; 105 + 110 cross-border trainees;
    // a ledger file does not carry the registry's 培训机构 tag: pending, saying so.
    expect(yuanqu?.indicators.map(({ status, facts }) => ({ status, facts }))).toEqual([
      { status: 'unmet', facts: { newEcommerceEntities: 4, newCrossBorderEntities: 0 } },
      { status: 'met', facts: { crossBorderAttendanceByYear: 215 } },
      { status: 'pending', facts: { trainingInstitutions: null, trainingInstitutionNames: [] } },
    ]);
    expect(yuanqu?.indicators[2]?.reasons[0]).toContain('台账文件 ezhen-ledger/1 不含此标签，需在平台中评价');
    expect(yuanqu?.summary).toEqual({ met: 1, unmet: 1, pending: 1 });
  });

  it('counts the registry’s 培训机构 the platform supplies for Yuanqu’s target 3 (add-on version 2)', () => {
    const addOns = addOnCatalogsFor(provinceCatalogV1, '140827');
    const target3 = (platformCounts: PlatformCounts) =>
      evaluateLedger(buildLedger(), provinceCatalogV1, { addOns, platformCounts }).addOns[0]?.indicators[2];
    expect(target3({ training_institutions: ['垣曲县电商职业培训学校'] })).toMatchObject({
      status: 'met',
      facts: { trainingInstitutions: 1, trainingInstitutionNames: ['垣曲县电商职业培训学校'] },
    });
    const none = target3({ training_institutions: [] });
    expect(none?.status).toBe('unmet');
    expect(none?.reasons[0]).toContain('培训机构的在册市场主体0家，少于1家');
    // Version 1 stays as published: always pending.
    const underVersion1 = evaluateLedger(buildLedger(), provinceCatalogV1, {
      addOns: [yuanquAddOnCatalogV1],
      platformCounts: { training_institutions: ['垣曲县电商职业培训学校'] },
    });
    expect(underVersion1.addOns[0]?.indicators[2]?.status).toBe('pending');
  });

  it('refuses an add-on written for another county', () => {
    const elsewhere = {
      ...yuanquAddOnCatalogV1,
      layer: { ...yuanquAddOnCatalogV1.layer, countyCode: '140802' },
    };
    expect(() => evaluateLedger(buildLedger(), provinceCatalogV1, { addOns: [elsewhere] })).toThrow();
  });
});

describe('#23 annual output', () => {
  const previousYear = monthlyRows(EXAMPLE_ENTITY, 2023, {
    output: '7500000.00',
    onlineRetail: '2000000.00',
  });

  it('sums exactly: twelve months of 8,333,333.33 are 99,999,999.96, below 1亿', () => {
    const result = indicator(
      evaluate(
        withMonthlyRows([...previousYear, ...monthlyRows(EXAMPLE_ENTITY, 2024, { output: '8333333.33' })]),
      ),
      23,
    );
    expect(result.status).toBe('unmet');
    expect(result.facts).toMatchObject({ outputYuan: '99999999.96', targetYuan: '100000000.00' });
    expect(result.reasons[0]).toContain('99,999,999.96 元，低于重点帮扶县标准 100,000,000 元');
  });

  it('meets 1亿 exactly even where floating-point addition falls short of it', () => {
    // 11 × 8,333,333.39 + 8,333,332.71 = 100,000,000.00, but 99,999,999.99999999 in doubles.
    const output = [...Array(11).fill('8333333.39'), '8333332.71'];
    const result = indicator(
      evaluate(withMonthlyRows([...previousYear, ...monthlyRows(EXAMPLE_ENTITY, 2024, { output })])),
      23,
    );
    expect(result.facts.outputYuan).toBe('100000000.00');
    expect(result.status).toBe('met');
  });

  it('needs growth of at least the city average plus 2 points, compared exactly', () => {
    // 2023: 120,000,000; the city grew 6.5 %, so 2024 needs at least 8.5 %: 130,200,000.
    const base = monthlyRows(EXAMPLE_ENTITY, 2023, { output: '10000000.00' });
    const growth = (monthly: string) => monthlyRows(EXAMPLE_ENTITY, 2024, { output: monthly });
    const exactly = indicator(evaluate(withMonthlyRows([...base, ...growth('10850000.00')])), 23);
    expect(exactly.facts).toMatchObject({
      growthPct: '8.50',
      requiredGrowthPct: '8.5',
      cityOutputGrowthPct: '6.5',
    });
    expect(exactly.status).toBe('met');
    const short = indicator(evaluate(withMonthlyRows([...base, ...growth('10849999.99')])), 23);
    expect(short.status).toBe('unmet');
    expect(short.facts.growthPct).toBe('8.49');
    expect(short.reasons).toEqual([expect.stringContaining('低于要求的 8.5%')]);
  });

  it('accepts a shrinking city economy', () => {
    const base = monthlyRows(EXAMPLE_ENTITY, 2023, { output: '10000000.00' });
    const lower = monthlyRows(EXAMPLE_ENTITY, 2024, { output: '9900000.00' }); // −1 %, 118,800,000 a year
    expect(indicator(evaluate(withMonthlyRows([...base, ...lower], '-3')), 23).status).toBe('met');
    expect(indicator(evaluate(withMonthlyRows([...base, ...lower], '-2.99')), 23).status).toBe('unmet');
  });

  it('is pending without rows in the year before, saying why', () => {
    const result = indicator(
      evaluate(withMonthlyRows(monthlyRows(EXAMPLE_ENTITY, 2024, { output: '10000000.00' }))),
      23,
    );
    expect(result.status).toBe('pending');
    expect(result.facts).toMatchObject({ previousOutputYuan: null, growthPct: null });
    expect(result.reasons).toEqual([expect.stringContaining('没有2023年的月度统计')]);
  });

  it('is pending without the city growth, saying why', () => {
    const result = indicator(
      evaluate((ledger) => (ledger.etown.cityOutputGrowthPct = null)),
      23,
    );
    expect(result.status).toBe('pending');
    expect(result.reasons).toEqual([expect.stringContaining('未提供所在市年总产值平均增长率')]);
  });

  it('is unmet, not pending, when the output already fails the threshold', () => {
    const result = indicator(
      evaluate(withMonthlyRows(monthlyRows(EXAMPLE_ENTITY, 2024, { output: '1000.00' }), null)),
      23,
    );
    expect(result.status).toBe('unmet');
    expect(result.reasons).toHaveLength(3);
  });
});

describe('#26 annual online retail', () => {
  /** One row a year: online retail of 2023 and 2024 (output is left at 0; #23 is not looked at). */
  const retail = (previous: string, current: string) => (ledger: LedgerJson) => {
    ledger.monthlyStats = [
      { creditCode: EXAMPLE_ENTITY, month: '2023-06', outputYuan: '0', onlineRetailYuan: previous },
      { creditCode: EXAMPLE_ENTITY, month: '2024-06', outputYuan: '0', onlineRetailYuan: current },
    ];
  };

  it('meets growth of exactly 10 %, even where floating point says 9.999…', () => {
    const result = indicator(evaluate(retail('20000002.10', '22000002.31')), 26);
    expect(result.facts).toMatchObject({ growthPct: '10.00', requiredGrowthPct: '10' });
    expect(result.status).toBe('met');
  });

  it('fails growth of 9.99 %', () => {
    const result = indicator(evaluate(retail('20000000.00', '21998000.00')), 26);
    expect(result.facts.growthPct).toBe('9.99');
    expect(result.status).toBe('unmet');
  });

  it('fails below the tier threshold whatever the growth', () => {
    const result = indicator(evaluate(retail('10000000.00', '19999999.99')), 26);
    expect(result.status).toBe('unmet');
    expect(result.reasons).toEqual([expect.stringContaining('低于重点帮扶县标准 20,000,000 元')]);
  });

  it('is pending when the year before had no online retail', () => {
    const result = indicator(evaluate(retail('0', '25000000.00')), 26);
    expect(result.status).toBe('pending');
    expect(result.reasons).toEqual([expect.stringContaining('2023年网络零售额为 0')]);
  });

  it('uses the thresholds of the county tier', () => {
    const change = retail('30000000.00', '40000000.00');
    const tiered = (tier: string) =>
      indicator(
        evaluate((ledger) => {
          change(ledger);
          ledger.etown.countyTier = tier;
        }),
        26,
      ).status;
    expect([tiered('key_support'), tiered('overall_advance'), tiered('pilot_demo')]).toEqual([
      'met',
      'met',
      'unmet',
    ]);
  });
});

describe('#24 construction scale', () => {
  /** A lon/lat rectangle near the example, about `km` km on each side. */
  const square = (km: number, west = 111.66, south = 35.29) => {
    const east = west + km / (111.32 * Math.cos((south * Math.PI) / 180));
    const north = south + km / 110.57;
    return [
      [west, south],
      [east, south],
      [east, north],
      [west, north],
      [west, south],
    ];
  };
  const scale = (change: (etown: LedgerJson) => void) =>
    indicator(
      evaluate((ledger) => change(ledger.etown)),
      24,
    );

  it('uses the boundary geodesic area instead of the declared land area', () => {
    const result = scale((etown) => (etown.landAreaKm2 = '0.1'));
    expect(result.status).toBe('met');
    expect(result.facts).toMatchObject({
      landAreaKm2: '1.4944',
      landAreaSource: 'boundary',
      declaredLandAreaKm2: '0.1',
    });

    const small = scale((etown) => {
      etown.boundary = { type: 'Polygon', coordinates: [square(0.6)] };
      etown.landAreaKm2 = '1.5';
    });
    expect(small.status).toBe('unmet');
    expect(small.facts.landAreaSource).toBe('boundary');
    expect(small.reasons[0]).toContain('按建设边界测算');
  });

  it('computes the area as @turf/area does, holes subtracted, and compares it exactly', () => {
    const withHole = { type: 'Polygon', coordinates: [square(1), square(0.5, 111.662, 35.292)] } as const;
    const area = boundaryAreaKm2(withHole as never);
    expect(area).toEqual(divide(fromDouble(turfArea(withHole as never)), rational(1_000_000n)));
    const result = scale((etown) => (etown.boundary = withHole));
    expect(result.facts.landAreaKm2).toMatch(/^0\.7[45]/);
    expect(result.status).toBe('met');
    const biggerHole = { type: 'Polygon', coordinates: [square(1), square(0.75, 111.662, 35.292)] };
    expect(scale((etown) => (etown.boundary = biggerHole)).status).toBe('unmet');
  });

  /** The west longitude of a square `km` wide east of one at `west`: the two share an edge. */
  const eastOf = (km: number, west = 111.66, south = 35.29) =>
    west + km / (111.32 * Math.cos((south * Math.PI) / 180));

  it('counts a multipolygon of parts sharing an edge as the sum of its parts', () => {
    const twoParts = { type: 'MultiPolygon', coordinates: [[square(0.6)], [square(0.6, eastOf(0.6))]] };
    const result = scale((etown) => (etown.boundary = twoParts));
    expect(result.status).toBe('met');
    expect(result.facts.boundaryAreaCount).toBe(1);
  });

  it('is unmet for parts that do not touch (集中连片), whatever the area', () => {
    const threeParts = {
      type: 'MultiPolygon',
      coordinates: [[square(0.6)], [square(0.6, 111.7)], [square(0.6, 111.75)]],
    };
    const result = scale((etown) => (etown.boundary = threeParts));
    expect(result.status).toBe('unmet');
    expect(result.reasons[0]).toBe('建设边界由3块互不相连的区域组成，不符合集中连片要求');
    expect(result.facts.boundaryAreaCount).toBe(3);
    // Building area would pass on its own: the boundary still fails.
    const withBuildings = scale((etown) => {
      etown.boundary = threeParts;
      etown.buildingAreaM2 = '600000';
    });
    expect(withBuildings.status).toBe('unmet');
  });

  it('joins parts that touch at a single point, and chains of touching parts', () => {
    const east = eastOf(0.6);
    const north = 35.29 + 0.6 / 110.57;
    // The second square's south-west corner is the first's north-east corner.
    const corner = { type: 'MultiPolygon', coordinates: [[square(0.6)], [square(0.6, east, north)]] };
    expect(scale((etown) => (etown.boundary = corner)).status).toBe('met');
    // A third part touching only the second still makes one area; a fourth far away does not.
    const chained = {
      type: 'MultiPolygon',
      coordinates: [[square(0.3)], [square(0.3, eastOf(0.3))], [square(0.3, eastOf(0.3, eastOf(0.3)))]],
    };
    expect(scale((etown) => (etown.boundary = chained)).facts.boundaryAreaCount).toBe(1);
    const withIsland = { ...chained, coordinates: [...chained.coordinates, [square(0.3, 111.8)]] };
    expect(scale((etown) => (etown.boundary = withIsland)).reasons[0]).toContain('由2块互不相连的区域组成');
  });

  it('includes both bounds of the declared land area', () => {
    const declared = (km2: string) =>
      scale((etown) => {
        etown.boundary = null;
        etown.landAreaKm2 = km2;
      }).status;
    expect(['0.5', '5', '5.000001', '0.499999'].map(declared)).toEqual(['met', 'met', 'unmet', 'unmet']);
  });

  it('accepts 500,000 m² of buildings instead, and fails what is given', () => {
    const building = (m2: string) =>
      scale((etown) => {
        etown.boundary = null;
        etown.landAreaKm2 = '12';
        etown.buildingAreaM2 = m2;
      });
    expect(building('500000').status).toBe('met');
    expect(building('499999.99').status).toBe('unmet');
    const onlyBuilding = scale((etown) => {
      etown.boundary = null;
      etown.landAreaKm2 = null;
      etown.buildingAreaM2 = '1000';
    });
    expect(onlyBuilding.status).toBe('unmet');
    expect(onlyBuilding.reasons[0]).toContain('未提供占地面积');
  });

  it('is pending when neither land nor building area is given', () => {
    const result = scale((etown) => {
      etown.boundary = null;
      etown.landAreaKm2 = null;
      etown.buildingAreaM2 = null;
    });
    expect(result.status).toBe('pending');
    expect(result.reasons).toHaveLength(1);
  });
});

describe('dated conditions', () => {
  it('counts documents issued by the end of the year only', () => {
    const late = indicator(
      evaluate((ledger) => (ledger.documents[0].issuedOn = '2025-01-01')),
      1,
    );
    expect(late.status).toBe('unmet');
    expect(late.reasons[0]).toContain('晚于2024年底');
    expect(
      indicator(
        evaluate((ledger) => (ledger.documents[0].issuedOn = '2024-12-31')),
        1,
      ).status,
    ).toBe('met');
  });

  it('counts events, incidents and new legal entities in the year only', () => {
    const incidents = (date: string) =>
      indicator(
        evaluate((ledger) => {
          ledger.complianceIncidents = [{ date, category: 'work_safety', description: '仓库火灾' }];
        }),
        20,
      );
    expect(incidents('2023-12-31').status).toBe('met');
    const inYear = incidents('2024-01-01');
    expect(inYear.status).toBe('unmet');
    expect(inYear.reasons[0]).toContain('生产安全');

    const expoLastYear = indicator(
      evaluate((ledger) => {
        for (const event of ledger.events) if (event.kind === 'expo') event.date = '2023-10-01';
      }),
      10,
    );
    expect(expoLastYear.status).toBe('unmet');

    const moreEntities = evaluate((ledger) => {
      for (const [index, day] of ['2024-12-31', '2024-01-01', '2025-01-01'].entries()) {
        ledger.entities.push({
          creditCode: `91140827MA0NEW00${index}X`,
          name: `新企业${index}`,
          legalEntity: true,
          registeredOn: day,
          tags: [],
        });
      }
    });
    expect(indicator(moreEntities, 27).facts.count).toBe(10);
    expect(indicator(moreEntities, 27).status).toBe('met');
  });

  it('sums training attendance by the end of the year', () => {
    const result = indicator(
      evaluate((ledger) => {
        ledger.trainings.push({
          date: '2025-01-05',
          title: '新年培训',
          crossBorder: false,
          attendance: 1000,
        });
        ledger.trainings[0].attendance = 60; // 551 − 112 + 60 = 499
      }),
      11,
    );
    expect(result.facts.attendanceByYear).toBe(499);
    expect(result.status).toBe('unmet');
  });
});

describe('other conditions', () => {
  it('counts distinct leading industries, 1 to 3', () => {
    const industries = (list: string[]) =>
      indicator(
        evaluate((ledger) => (ledger.etown.leadingIndustries = list)),
        2,
      );
    expect(industries(['食用菌', '食用菌 ', '特色农产品', '核桃']).status).toBe('met');
    expect(industries(['食用菌', '特色农产品', '核桃', '中药材']).status).toBe('unmet');
    expect(industries([]).status).toBe('unmet');
  });

  it('checks facility area bounds and features', () => {
    const showroom = (area: string, features: string[]) =>
      indicator(
        evaluate((ledger) => {
          ledger.facilities[1].buildingAreaM2 = area;
          ledger.facilities[1].features = features;
        }),
        16,
      );
    expect(showroom('300', ['display', 'tasting', 'sales_matching']).status).toBe('met');
    expect(showroom('100', ['display', 'tasting', 'sales_matching']).status).toBe('met');
    expect(showroom('300.5', ['display', 'tasting', 'sales_matching']).status).toBe('unmet');
    const lacking = showroom('200', ['display']);
    expect(lacking.status).toBe('unmet');
    expect(lacking.reasons[0]).toContain('缺少体验品鉴、销售对接');
    expect(
      indicator(
        evaluate((ledger) => (ledger.facilities = [])),
        15,
      ).reasons,
    ).toEqual(['没有电商公共服务中心']);
  });

  it('sums investments by the end of the year against the tier', () => {
    const result = indicator(
      evaluate((ledger) => (ledger.investments[5].date = '2025-01-01')),
      25,
    );
    expect(result.facts.investmentYuan).toBe('102620000.00');
    expect(result.status).toBe('met');
    expect(
      indicator(
        evaluate((ledger) => (ledger.etown.countyTier = 'overall_advance')),
        25,
      ).status,
    ).toBe('unmet');
  });

  it('gives the same result for the same ledger (pure)', () => {
    const ledger = buildLedger();
    expect(evaluateLedger(ledger, provinceCatalogV1)).toEqual(evaluateLedger(ledger, provinceCatalogV1));
    expect(buildLedgerJson()).toEqual(buildLedgerJson());
  });
});

describe('a year still running (evaluated with asOf before its end)', () => {
  // Every month of 2024 so far is 10 % up on the same month of 2023, but December has not been reported.
  const previousYear = monthlyRows(EXAMPLE_ENTITY, 2023, {
    output: '10000000.00',
    onlineRetail: '2000000.00',
  });
  const elevenMonths = monthlyRows(EXAMPLE_ENTITY, 2024, {
    output: '11000000.00',
    onlineRetail: '2200000.00',
  }).slice(0, 11);
  const running = (rows: LedgerJson[], asOf = '2024-12-07', city: string | null = '6.5') =>
    evaluateLedger(buildLedger(withMonthlyRows(rows, city)), provinceCatalogV1, { asOf });

  it('compares growth like for like, the same months of both years, and says so', () => {
    const evaluation = running([...previousYear, ...elevenMonths]);
    expect(evaluation.running).toEqual({ asOf: '2024-12-07', throughMonth: 11 });
    const growth = indicator(evaluation, 26);
    expect(growth.facts).toMatchObject({
      growthPct: '10.00',
      previousOnlineRetailYuan: '22000000.00',
      onlineRetailYuan: '24200000.00',
      comparedMonths: '1—11月',
    });
    expect(growth.status).toBe('met');
    // Judged on the whole year (a ledger file, or the year closed), the same rows are 11 months against 12.
    const closed = indicator(evaluate(withMonthlyRows([...previousYear, ...elevenMonths])), 26);
    expect(closed.facts.growthPct).toBe('0.83');
    expect(closed.status).toBe('unmet');
  });

  it('is pending (年度进行中) with the share reached while an annual total is not yet reached, never unmet', () => {
    const output = indicator(running([...previousYear, ...elevenMonths]), 23);
    // 11 × 11,000,000 = 121,000,000 ≥ 1亿: reached already.
    expect(output.status).toBe('met');
    const small = monthlyRows(EXAMPLE_ENTITY, 2024, { output: '5000000.00', onlineRetail: '1000000.00' });
    const smallBase = monthlyRows(EXAMPLE_ENTITY, 2023, { output: '4000000.00', onlineRetail: '800000.00' });
    const result = indicator(running([...smallBase, ...small.slice(0, 11)]), 26);
    expect(result.status).toBe('pending');
    expect(result.facts.targetSharePct).toBe('55.00');
    expect(result.reasons[0]).toMatch(/^年度进行中：2024年1—11月网络零售额 11,000,000 元，已完成全年/);
    expect(result.reasons.join('')).not.toContain('低于');
  });

  it('keeps growth below the requirement pending while the year runs, unmet once it is closed', () => {
    const flat = monthlyRows(EXAMPLE_ENTITY, 2024, { output: '10100000.00', onlineRetail: '2100000.00' });
    const rows = [...previousYear, ...flat.slice(0, 11)];
    const open = indicator(running(rows), 26);
    expect(open.status).toBe('pending');
    expect(open.reasons[0]).toContain('年度进行中');
    expect(open.facts.growthPct).toBe('5.00');
    const closed = indicator(running([...previousYear, ...flat], '2025-01-02'), 26);
    expect(closed.status).toBe('unmet');
    expect(closed.facts.comparedMonths).toBeUndefined();
  });

  it('leaves counts and documents of the year pending until it ends, but an incident stays unmet', () => {
    const change = (ledger: LedgerJson) => {
      ledger.events = [];
      ledger.documents = ledger.documents.filter((document: { kind: string }) => document.kind !== 'plan');
      ledger.complianceIncidents = [{ date: '2024-03-01', category: 'land', description: null }];
    };
    const open = evaluateLedger(buildLedger(change), provinceCatalogV1, { asOf: '2024-06-30' });
    expect(indicator(open, 19).status).toBe('pending');
    expect(indicator(open, 19).reasons[0]).toContain('年度进行中');
    expect(indicator(open, 1).status).toBe('pending');
    expect(indicator(open, 20).status).toBe('unmet');
    const closed = evaluateLedger(buildLedger(change), provinceCatalogV1, { asOf: '2025-01-01' });
    expect(indicator(closed, 19).status).toBe('unmet');
    expect(indicator(closed, 1).status).toBe('unmet');
  });

  it('gives the contract result for a ledger evaluated without asOf', () => {
    expect(evaluate().running).toBeNull();
    expect(evaluateLedger(buildLedger(), provinceCatalogV1, { asOf: '2025-03-01' }).indicators).toEqual(
      evaluate().indicators,
    );
  });
});
