import { describe, expect, it } from 'vitest';
import { creditCodeCheckCharacter } from '../lib/credit-code.ts';
import { rational } from './exact.ts';
import { buildLedger, buildLedgerJson, EXAMPLE_ENTITY, type LedgerJson } from './ledger-factory.ts';
import { type LedgerProblem, parseLedger } from './ledger-schema.ts';

function problemsOf(change: (ledger: LedgerJson) => void): LedgerProblem[] {
  const result = parseLedger(buildLedgerJson(change));
  if (result.ok) throw new Error('expected the ledger to be rejected');
  return result.problems;
}

const at = (problems: LedgerProblem[], path: string) => problems.filter((problem) => problem.path === path);

describe('ezhen-ledger/1 parsing', () => {
  it('accepts the example and turns money into fen and areas into rationals', () => {
    const ledger = buildLedger();
    expect(ledger.monthlyStats[0]).toEqual({
      creditCode: EXAMPLE_ENTITY,
      month: '2023-01',
      outputFen: 159709723n,
      onlineRetailFen: 22327604n,
    });
    expect(ledger.investments[0]?.amountFen).toBe(1685000000n);
    expect(ledger.etown.landAreaKm2).toEqual(rational(3n, 2n));
    expect(ledger.facilities[0]?.buildingAreaM2).toEqual(rational(1350n));
    expect(ledger.etown.boundary?.type).toBe('Polygon');
  });

  it('treats an absent list as empty and an absent optional field as null', () => {
    const ledger = buildLedger((json) => {
      delete json.complianceIncidents;
      delete json.people;
      delete json.etown.landAreaKm2;
      delete json.etown.boundary;
      delete json.pavilions[0].url;
    });
    expect(ledger.complianceIncidents).toEqual([]);
    expect(ledger.people).toEqual([]);
    expect(ledger.etown.landAreaKm2).toBeNull();
    expect(ledger.etown.boundary).toBeNull();
    expect(ledger.pavilions[0]?.url).toBeNull();
  });

  it('accepts money as a JSON number with at most two decimals, and a negative city growth', () => {
    const ledger = buildLedger((json) => {
      json.monthlyStats[0].outputYuan = 1234.5;
      json.monthlyStats[0].onlineRetailYuan = 7;
      json.etown.cityOutputGrowthPct = '-2.5';
      json.etown.buildingAreaM2 = 520000;
    });
    expect(ledger.monthlyStats[0]?.outputFen).toBe(123450n);
    expect(ledger.monthlyStats[0]?.onlineRetailFen).toBe(700n);
    expect(ledger.etown.cityOutputGrowthPct).toEqual(rational(-5n, 2n));
    expect(ledger.etown.buildingAreaM2).toEqual(rational(520000n));
  });

  it('reports an unknown field at its own path, wherever it is', () => {
    const problems = problemsOf((json) => {
      json.entities[2].phone = '13800000000';
      json.etown.mayor = '张三';
      json.comment = '草稿';
      json.etown.boundary.properties = {};
    });
    for (const path of ['entities[2].phone', 'etown.mayor', 'comment', 'etown.boundary.properties']) {
      expect(at(problems, path), path).toEqual([expect.objectContaining({ code: 'unknown_field' })]);
    }
  });

  it('reports each bad value at its own path, every one of them at once', () => {
    const problems = problemsOf((json) => {
      json.monthlyStats[3].month = '2024-13';
      json.monthlyStats[4].outputYuan = '12.345';
      json.monthlyStats[5].outputYuan = -1;
      json.monthlyStats[6].onlineRetailYuan = '1,000.00';
      json.monthlyStats[7].onlineRetailYuan = 10.005;
      json.investments[0].amountYuan = '1e6';
      json.events[0].date = '2023-02-29';
      json.documents[0].kind = 'memo';
      json.facilities[0].buildingAreaM2 = '-5';
      json.trainings[0].attendance = 2.5;
      json.year = '2024';
      json.etown.countyTier = 'gold';
      json.etown.cityOutputGrowthPct = '6.5%';
    });
    expect(problems.map((problem) => [problem.path, problem.code])).toEqual([
      ['year', 'invalid_year'],
      ['etown.cityOutputGrowthPct', 'invalid_percentage'],
      ['etown.countyTier', 'invalid_value'],
      ['documents[0].kind', 'invalid_value'],
      ['monthlyStats[3].month', 'invalid_month'],
      ['monthlyStats[4].outputYuan', 'invalid_money'],
      ['monthlyStats[5].outputYuan', 'invalid_money'],
      ['monthlyStats[6].onlineRetailYuan', 'invalid_money'],
      ['monthlyStats[7].onlineRetailYuan', 'invalid_money'],
      ['investments[0].amountYuan', 'invalid_money'],
      ['facilities[0].buildingAreaM2', 'invalid_area'],
      ['events[0].date', 'invalid_date'],
      ['trainings[0].attendance', 'invalid_integer'],
    ]);
    for (const problem of problems) expect(problem.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('accepts 29 February in a leap year only', () => {
    expect(() => buildLedger((json) => (json.events[0].date = '2024-02-29'))).not.toThrow();
    expect(
      at(
        problemsOf((json) => (json.events[0].date = '2023-02-29')),
        'events[0].date',
      ),
    ).toHaveLength(1);
  });

  it('reports a missing required field, and null where null is not allowed', () => {
    const problems = problemsOf((json) => {
      delete json.documents[0].title;
      delete json.etown.leadingIndustries;
      delete json.facilities[0].buildingAreaM2;
      json.facilities[1].buildingAreaM2 = null;
      json.trainings = null;
    });
    expect(at(problems, 'documents[0].title')[0]?.code).toBe('missing_field');
    expect(at(problems, 'etown.leadingIndustries')[0]?.code).toBe('missing_field');
    expect(at(problems, 'facilities[0].buildingAreaM2')[0]?.code).toBe('missing_field');
    expect(at(problems, 'facilities[1].buildingAreaM2')[0]?.code).toBe('invalid_area');
    expect(at(problems, 'trainings')[0]?.code).toBe('invalid_type');
  });

  it('checks the e-town code and that it belongs to the county', () => {
    expect(
      at(
        problemsOf((json) => (json.etown.code = '140827-01')),
        'etown.code',
      )[0]?.code,
    ).toBe('invalid_etown_code');
    expect(
      at(
        problemsOf((json) => (json.etown.code = '140828-E01')),
        'etown.code',
      )[0]?.code,
    ).toBe('etown_code_county_mismatch');
  });

  it('rejects a credit code outside the 统一社会信用代码 alphabet or of the wrong length', () => {
    for (const code of [
      '91140827MA0QDBBA3I',
      '91140827ma0qdbba3f',
      '91140827MA0QDBBA3',
      '91140827MA0QDBBS3F',
    ]) {
      const problems = problemsOf((json) => (json.entities[0].creditCode = code));
      expect(at(problems, 'entities[0].creditCode')[0]?.code, code).toBe('invalid_credit_code');
    }
  });

  it('only warns about a wrong check character', () => {
    const body = EXAMPLE_ENTITY.slice(0, 17);
    const wrong = creditCodeCheckCharacter(body) === 'A' ? 'B' : 'A';
    const json = buildLedgerJson((ledger) => {
      ledger.entities[0].creditCode = `${body}${wrong}`;
      for (const row of ledger.monthlyStats)
        if (row.creditCode === EXAMPLE_ENTITY) row.creditCode = `${body}${wrong}`;
    });
    const result = parseLedger(json);
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      expect.objectContaining({ path: 'entities[0].creditCode', code: 'credit_code_check_character' }),
    ]);
    expect(parseLedger(buildLedgerJson()).warnings).toEqual([]);
  });

  it('only warns about a division code with letters (positions 3–8), as the contract accepts the alphabet', () => {
    const first17 = '91MA0827MA0QDBBA3';
    const code = `${first17}${creditCodeCheckCharacter(first17)}`;
    const json = buildLedgerJson((ledger) => {
      ledger.entities[0].creditCode = code;
      for (const row of ledger.monthlyStats) if (row.creditCode === EXAMPLE_ENTITY) row.creditCode = code;
    });
    const result = parseLedger(json);
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        path: 'entities[0].creditCode',
        code: 'credit_code_division',
        message: expect.stringContaining('第 3 位是“M”'),
      }),
    ]);
  });

  it('rejects a monthly row of an entity that is not in entities', () => {
    const problems = problemsOf((json) => (json.monthlyStats[10].creditCode = '91140827MA0QDBBA4X'));
    expect(problems).toEqual([
      expect.objectContaining({ path: 'monthlyStats[10].creditCode', code: 'unknown_entity' }),
    ]);
  });

  it('reports a second row for the same entity and month at the second row', () => {
    const problems = problemsOf((json) => {
      json.monthlyStats.push({ ...json.monthlyStats[2], outputYuan: '1.00' });
    });
    expect(problems).toEqual([
      expect.objectContaining({ path: 'monthlyStats[301]', code: 'duplicate_monthly_row' }),
    ]);
    expect(problems[0]?.message).toContain('monthlyStats[2]');
  });

  it('checks the boundary geometry, reporting at the coordinate', () => {
    const outOfRange = problemsOf((json) => (json.etown.boundary.coordinates[0][2] = [211.6, 35.3]));
    expect(outOfRange.map((problem) => problem.path)).toEqual(['etown.boundary.coordinates[0][2]']);
    const open = problemsOf((json) => json.etown.boundary.coordinates[0].pop());
    expect(open.map((problem) => problem.path)).toEqual(['etown.boundary.coordinates[0]']);
    const point = problemsOf((json) => (json.etown.boundary = { type: 'Point', coordinates: [111.6, 35.3] }));
    expect(point.map((problem) => problem.path)).toEqual(['etown.boundary.type']);
  });

  it('refuses another format and anything but an object', () => {
    expect(
      at(
        problemsOf((json) => (json.format = 'ezhen-ledger/2')),
        'format',
      )[0]?.code,
    ).toBe('unsupported_format');
    const notObject = parseLedger([]);
    expect(notObject.ok ? [] : notObject.problems).toEqual([expect.objectContaining({ path: '' })]);
  });
});
