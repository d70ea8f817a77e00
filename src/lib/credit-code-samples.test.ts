import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { monthlyImportColumns } from '../modules/stats/monthly-import-rows.ts';
import { isValidCreditCode, SAMPLE_CREDIT_CODE } from './credit-code.ts';
import { idNumberProblem } from './id-number.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** Where the product shows codes: server and web source, docs, seed data and fixtures (tests excluded). */
const shownIn = ['src', 'web/src', 'docs', 'README.md'];
const CODE_LIKE = /(?<![0-9A-Z])[0-9A-Y]{2}[0-9A-Z]{6}[0-9A-Z]{9}[0-9A-Z](?![0-9A-Z])/g;

function productFiles(relative: string): string[] {
  const full = path.join(root, relative);
  if (statSync(full).isFile()) return [full];
  return readdirSync(full).flatMap((name) =>
    name === 'node_modules' || /\.test\.tsx?$/.test(name) ? [] : productFiles(path.join(relative, name)),
  );
}

describe('sample 统一社会信用代码 shown in the product', () => {
  it('the monthly template and the entity form show a valid sample', () => {
    expect(monthlyImportColumns.find((column) => column.key === 'creditCode')?.example).toBe(
      SAMPLE_CREDIT_CODE,
    );
    const form = readFileSync(path.join(root, 'web/src/pages/entities/entity-form-drawer.tsx'), 'utf8');
    expect(form).toContain('placeholder={`例如 $'.concat('{SAMPLE_CREDIT_CODE}`}'));
    expect(isValidCreditCode(SAMPLE_CREDIT_CODE)).toBe(true);
  });

  it('every code-like string in source, docs, seed data and fixtures validates', () => {
    const invalid: string[] = [];
    let seen = 0;
    for (const file of shownIn.flatMap(productFiles)) {
      if (!/\.(ts|tsx|json|md)$/.test(file)) continue;
      for (const [code] of readFileSync(file, 'utf8').matchAll(CODE_LIKE)) {
        // Only strings shaped like a code of an enterprise (registration authority 1–9, Y).
        if (!/^[1-9Y][0-9A-Y]\d{2}/.test(code) || /^\d+$/.test(code)) continue;
        // A sample 身份证号 (17 digits and a check character, GB 11643) is shaped alike; it must be a valid one.
        if (/^\d{17}[\dX]$/.test(code) && !idNumberProblem(code)) continue;
        seen += 1;
        if (!isValidCreditCode(code)) invalid.push(`${path.relative(root, file)}: ${code}`);
      }
    }
    expect(seen).toBeGreaterThan(10);
    expect(invalid).toEqual([]);
  });
});
