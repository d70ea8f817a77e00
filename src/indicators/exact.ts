/**
 * Exact arithmetic for the evaluation: money in integer fen (bigint), everything else as rationals of
 * bigints. Nothing that decides met / unmet goes through floating point.
 */

/** numerator / denominator, denominator > 0, in lowest terms. */
export type Rational = { readonly numerator: bigint; readonly denominator: bigint };

const absolute = (value: bigint) => (value < 0n ? -value : value);

function greatestCommonDivisor(a: bigint, b: bigint): bigint {
  let x = absolute(a);
  let y = absolute(b);
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

export function rational(numerator: bigint, denominator = 1n): Rational {
  if (denominator === 0n) throw new RangeError('division by zero');
  const sign = denominator < 0n ? -1n : 1n;
  const divisor = greatestCommonDivisor(numerator, denominator) || 1n;
  return { numerator: (sign * numerator) / divisor, denominator: (sign * denominator) / divisor };
}

export const add = (a: Rational, b: Rational) =>
  rational(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator);
export const subtract = (a: Rational, b: Rational) =>
  rational(a.numerator * b.denominator - b.numerator * a.denominator, a.denominator * b.denominator);
export const multiply = (a: Rational, b: Rational) =>
  rational(a.numerator * b.numerator, a.denominator * b.denominator);
export const divide = (a: Rational, b: Rational) =>
  rational(a.numerator * b.denominator, a.denominator * b.numerator);

/** -1, 0 or 1 as a is less than, equal to or greater than b. */
export function compare(a: Rational, b: Rational): -1 | 0 | 1 {
  const difference = a.numerator * b.denominator - b.numerator * a.denominator;
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** "1.5", "-0.25", "2e-3" (the last form only comes from JavaScript's printing of a number). */
export function parseDecimal(text: string): Rational | null {
  const match = DECIMAL.exec(text);
  if (!match) return null;
  const [, sign, whole, fraction = '', exponentText = '0'] = match;
  const exponent = Number(exponentText) - fraction.length;
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 400) return null;
  const digits = BigInt(`${sign}${whole}${fraction}`);
  return exponent >= 0
    ? rational(digits * 10n ** BigInt(exponent))
    : rational(digits, 10n ** BigInt(-exponent));
}

/** The exact value of a finite double: every double is an integer times a power of two. */
export function fromDouble(value: number): Rational {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  let scaled = value;
  let exponent = 0n;
  // Doubling is exact (only the exponent changes); at most 1074 steps reach an integer.
  while (!Number.isInteger(scaled)) {
    scaled *= 2;
    exponent += 1n;
  }
  return rational(BigInt(scaled), 2n ** exponent);
}

/** The value rounded towards −∞ to `decimals` places, e.g. 24.9999… → "24.99". */
export function formatFloor(value: Rational, decimals: number): string {
  const scale = 10n ** BigInt(decimals);
  const scaled = value.numerator * scale;
  let units = scaled / value.denominator;
  if (scaled % value.denominator !== 0n && scaled < 0n) units -= 1n;
  const sign = units < 0n ? '-' : '';
  const digits = absolute(units)
    .toString()
    .padStart(decimals + 1, '0');
  if (decimals === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/** A terminating decimal printed exactly with no trailing zeros ("1.5", "260"); longer ones floored. */
export function formatExact(value: Rational, maxDecimals = 12): string {
  for (let decimals = 0; decimals <= maxDecimals; decimals += 1) {
    if ((value.numerator * 10n ** BigInt(decimals)) % value.denominator === 0n) {
      return formatFloor(value, decimals);
    }
  }
  return formatFloor(value, maxDecimals);
}

/**
 * Floors to `decimals` places, adding places until the printed figure compares with every bound the
 * way the exact value does, so that a shown "5.0000" never hides an area just above 5.
 */
export function formatForComparison(value: Rational, decimals: number, bounds: readonly Rational[]): string {
  for (let places = decimals; places < 30; places += 1) {
    const shown = formatFloor(value, places);
    const printed = parseDecimal(shown) as Rational;
    if (bounds.every((bound) => compare(printed, bound) === compare(value, bound))) return shown;
  }
  return formatExact(value, 30);
}

// ---- money: integer fen ----

const MONEY_TEXT = /^(\d+)(?:\.(\d{1,2}))?$/;

/** "8333333.33" → 833333333n; null unless digits with at most two decimals (no sign, no separators). */
export function parseMoneyText(text: string): bigint | null {
  const match = MONEY_TEXT.exec(text);
  if (!match) return null;
  const [, yuan, fen = ''] = match;
  return BigInt(yuan as string) * 100n + BigInt(fen.padEnd(2, '0'));
}

export const fenToRational = (fen: bigint) => rational(fen, 100n);

/** 9999999996n → "99999999.96" (the form facts use). */
export function formatFen(fen: bigint): string {
  const sign = fen < 0n ? '-' : '';
  const digits = absolute(fen).toString().padStart(3, '0');
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

const groupThousands = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** For sentences: "99,999,999.96", and "100,000,000" when there are no fen. */
export function formatYuan(fen: bigint): string {
  const [yuan, cents] = formatFen(fen).split('.') as [string, string];
  const grouped = yuan.startsWith('-') ? `-${groupThousands(yuan.slice(1))}` : groupThousands(yuan);
  return cents === '00' ? grouped : `${grouped}.${cents}`;
}

/** A rational printed with thousands separators, for areas in sentences ("500,000"). */
export function formatGrouped(printed: string): string {
  const [whole, fraction] = printed.split('.') as [string, string | undefined];
  const grouped = whole.startsWith('-') ? `-${groupThousands(whole.slice(1))}` : groupThousands(whole);
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}
