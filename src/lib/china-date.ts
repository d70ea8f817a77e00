/**
 * The China calendar (Asia/Shanghai, UTC+8 all year): deadlines, terms, evaluation years and tag dates are
 * calendar days there, whatever the server's own time zone. The one place the server turns an instant into
 * a Chinese day, month or minute.
 */

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' });

/** The day in China, YYYY-MM-DD. */
export function shanghaiToday(now = new Date()): string {
  return dayFormat.format(now);
}

/** The month in China, YYYY-MM. */
export function shanghaiMonth(now = new Date()): string {
  return shanghaiToday(now).slice(0, 7);
}

/** "YYYY-MM-DD HH:mm" in China, for sheets and receipts. */
export function shanghaiMinute(at: Date | string): string {
  const instant = typeof at === 'string' ? new Date(at) : at;
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** The last day of the month before `now`'s month, in China (YYYY-MM-DD). */
export function previousMonthEnd(now = new Date()): string {
  const [year, month] = shanghaiMonth(now).split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month - 1, 0)).toISOString().slice(0, 10);
}
