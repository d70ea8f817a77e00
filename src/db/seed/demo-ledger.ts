import exampleLedger from '../../indicators/fixtures/gaotao-2024.ledger.json' with { type: 'json' };
import { shanghaiToday } from '../../lib/china-date.ts';

type Json = Record<string, unknown>;
const EXAMPLE_YEAR = 2024;
/** Fields whose years move with the demo: dates, months and titles. */
const datedKeys = new Set(['issuedOn', 'registeredOn', 'month', 'date', 'docNo', 'title']);
const dateKeys = ['issuedOn', 'registeredOn', 'date'] as const;

/** A YYYY-MM-DD that may not exist after moving the year (29 February) becomes the month's last day. */
function realDate(text: string): string {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(day, last)).padStart(2, '0')}`;
}

/** The county's documents are real (垣政办发〔2023〕8号 and its companions): they keep their 文号 and dates. */
const unmovedLists = new Set(['documents']);

function moveYears(value: unknown, key: string, shift: number): unknown {
  if (unmovedLists.has(key)) return value;
  if (Array.isArray(value)) return value.map((item) => moveYears(item, key, shift));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([name, inner]) => [name, moveYears(inner, name, shift)]),
    );
  }
  if (typeof value !== 'string' || !datedKeys.has(key)) return value;
  const moved = value.replace(/20\d{2}/g, (year) => String(Number(year) + shift));
  return /^\d{4}-\d{2}-\d{2}$/.test(moved) ? realDate(moved) : moved;
}

/**
 * 演示数据 for 皋陶乡村e镇: the project's worked example ledger (shared/examples) moved to the year of
 * the last finished month on the Shanghai calendar, with everything dated after today left out — the e-town as
 * it would stand now, part-way through its year. Entity names carry the demo label.
 */
export function demoLedgerJson(now: Date, label: string): Json {
  const today = shanghaiToday(now);
  // The year of the last finished month: in January the demo is the year just closed, with all its months.
  const lastMonthEnd = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 1, 0));
  const year = lastMonthEnd.getUTCFullYear();
  const thisMonth = today.slice(0, 7);
  const moved = moveYears(exampleLedger, '', year - EXAMPLE_YEAR) as Json;
  const lists = Object.fromEntries(
    Object.entries(moved)
      .filter(([, value]) => Array.isArray(value))
      .map(([name, rows]) => [
        name,
        (rows as Json[]).filter((row) => {
          if (typeof row.month === 'string') return row.month < thisMonth;
          return dateKeys.every((key) => typeof row[key] !== 'string' || (row[key] as string) <= today);
        }),
      ]),
  );
  const entities = (lists.entities as Json[]).map(
    (entity): Json => ({
      ...entity,
      name: `${entity.name as string}（${label}）`,
    }),
  );
  // Figures of an entity registered after today would name an entity the ledger no longer lists.
  const registered = new Set(entities.map((entity) => entity.creditCode));
  const monthlyStats = (lists.monthlyStats as Json[]).filter((row) => registered.has(row.creditCode));
  return { ...moved, ...lists, entities, monthlyStats, year };
}
