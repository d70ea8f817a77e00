import { describe, expect, it } from 'vitest';
import { creditCodeCheckCharacter } from '../../lib/credit-code.ts';
import { creditCodeProblem, creditGrade, maskPhone } from './entity-rules.ts';

describe('entity rules', () => {
  it('masks phones as 138****1234', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone('0359-6021234')).toBe('035****1234');
  });

  it('names the check character a failing credit code should have', () => {
    const first17 = '91140827MA0K8DEM0';
    const right = creditCodeCheckCharacter(first17);
    expect(creditCodeProblem(`${first17}${right}`)).toBeNull();
    const wrong = right === 'X' ? 'Y' : 'X';
    expect(creditCodeProblem(`${first17}${wrong}`)).toContain(`第 18 位应为“${right}”`);
  });

  it('grades from 100 plus the points, with fixed thresholds', () => {
    expect(creditGrade([])).toEqual({ score: 100, grade: 'A', formula: '100 + 0 = 100' });
    expect(creditGrade([-10]).grade).toBe('A');
    expect(creditGrade([-11]).grade).toBe('B');
    expect(creditGrade([-25]).grade).toBe('B');
    expect(creditGrade([-26]).grade).toBe('C');
    expect(creditGrade([-40]).grade).toBe('C');
    expect(creditGrade([-20, -21])).toMatchObject({
      score: 59,
      grade: 'D',
      formula: '100 + (-20) + (-21) = 59',
    });
  });
});
