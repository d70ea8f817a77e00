import { describe, expect, it } from 'vitest';
import { parseLedger } from '../../indicators/ledger-schema.ts';
import { demoLedgerJson } from './demo-ledger.ts';

type Rows = { month?: string; date?: string; issuedOn?: string; registeredOn?: string; name?: string }[];

describe('the demo ledger', () => {
  it('is the worked example moved to this year, nothing dated after today, and a valid ledger', () => {
    const ledger = demoLedgerJson(new Date('2026-11-23T04:00:00Z'), '演示数据');
    expect(ledger.year).toBe(2026);
    const months = (ledger.monthlyStats as Rows).map((row) => row.month as string);
    expect(months.some((month) => month.startsWith('2025-'))).toBe(true);
    expect(months.every((month) => month <= '2026-10')).toBe(true);
    for (const list of ['documents', 'entities', 'events', 'trainings', 'investments'] as const) {
      for (const row of ledger[list] as Rows) {
        for (const date of [row.date, row.issuedOn, row.registeredOn]) {
          if (date) expect(date <= '2026-11-23').toBe(true);
        }
      }
    }
    expect((ledger.entities as Rows).every((entity) => entity.name?.endsWith('（演示数据）'))).toBe(true);
    // The county's documents are the real ones of the seed, never moved.
    expect((ledger.documents as { docNo: string; issuedOn: string }[])[0]).toMatchObject({
      docNo: '垣政办发〔2023〕8号',
      issuedOn: '2023-03-18',
    });
    const parsed = parseLedger(ledger);
    expect(parsed.ok ? [] : parsed.problems).toEqual([]);
  });

  it('is the year just closed in January, with all of its months', () => {
    const ledger = demoLedgerJson(new Date('2027-01-15T04:00:00Z'), '演示数据');
    expect(ledger.year).toBe(2026);
    const months = new Set((ledger.monthlyStats as Rows).map((row) => row.month as string));
    expect(months.has('2026-12')).toBe(true);
    expect(months.has('2025-01')).toBe(true);
  });

  it('moves 29 February to the 28th in a year without it', () => {
    const ledger = demoLedgerJson(new Date('2027-06-01T00:00:00Z'), '演示数据');
    const dates = JSON.stringify(ledger);
    expect(dates).not.toContain('2027-02-29');
    expect(parseLedger(ledger).ok).toBe(true);
  });
});
