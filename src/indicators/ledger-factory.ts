import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Ledger, parseLedger } from './ledger-schema.ts';

/** Test data: the worked example of the contract (a copy kept beside the code for CI) and variations. */

export const exampleLedgerPath = fileURLToPath(
  new URL('./fixtures/gaotao-2024.ledger.json', import.meta.url),
);
export const exampleEvaluationPath = fileURLToPath(
  new URL('./fixtures/gaotao-2024.evaluation.json', import.meta.url),
);

// biome-ignore lint/suspicious/noExplicitAny: a raw JSON ledger is edited freely by tests, including into invalid shapes
export type LedgerJson = Record<string, any>;

const exampleText = readFileSync(exampleLedgerPath, 'utf8');

/** A fresh copy of the example ledger's JSON value, optionally changed. */
export function buildLedgerJson(change?: (ledger: LedgerJson) => void): LedgerJson {
  const ledger = JSON.parse(exampleText) as LedgerJson;
  change?.(ledger);
  return ledger;
}

/** The example ledger, changed and validated; throws with the problems if it does not validate. */
export function buildLedger(change?: (ledger: LedgerJson) => void): Ledger {
  const result = parseLedger(buildLedgerJson(change));
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.ledger;
}

/** Twelve monthly rows of one entity for a year. */
export function monthlyRows(
  creditCode: string,
  year: number,
  values: { output: string[] | string; onlineRetail?: string[] | string },
): LedgerJson[] {
  const pick = (value: string[] | string, month: number) => (Array.isArray(value) ? value[month] : value);
  return Array.from({ length: 12 }, (_, month) => ({
    creditCode,
    month: `${year}-${String(month + 1).padStart(2, '0')}`,
    outputYuan: pick(values.output, month),
    onlineRetailYuan: pick(values.onlineRetail ?? '0', month),
  }));
}

/** The credit code of the example's first entity (a valid one). */
export const EXAMPLE_ENTITY = '91140827MA0QDBBA3F';
