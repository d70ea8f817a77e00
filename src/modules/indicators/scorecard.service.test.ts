import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Ledger, parseLedger } from '../../indicators/ledger-schema.ts';
import type { LedgerJson } from './ledger-export.ts';
import { ledgerAsOf, previousMonthEnd } from './scorecard.service.ts';

const fixture = JSON.parse(
  readFileSync(new URL('../../indicators/fixtures/gaotao-2024.ledger.json', import.meta.url), 'utf8'),
) as LedgerJson;
const parse = (json: unknown): Ledger => {
  const parsed = parseLedger(json);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.ledger;
};

describe('scorecard helpers', () => {
  it('leaves out rows dated after the cut-off for the previous-month status', () => {
    const ledger = parse(fixture);
    const early = ledgerAsOf(ledger, '2024-03-31');
    expect(early.monthlyStats.every((row) => row.month <= '2024-03')).toBe(true);
    expect(early.monthlyStats.length).toBeLessThan(ledger.monthlyStats.length);
    expect(early.documents.every((document) => document.issuedOn <= '2024-03-31')).toBe(true);
    expect(ledgerAsOf(ledger, '2099-12-31')).toEqual(ledger);
  });

  it('takes the previous month on the Shanghai calendar', () => {
    expect(previousMonthEnd(new Date('2026-03-15T00:00:00Z'))).toBe('2026-02-28');
    // 17:00 UTC on 31 Jan is already 1 Feb in Shanghai.
    expect(previousMonthEnd(new Date('2026-01-31T17:00:00Z'))).toBe('2026-01-31');
    expect(previousMonthEnd(new Date('2026-01-05T00:00:00Z'))).toBe('2025-12-31');
  });
});
