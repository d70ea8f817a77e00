import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.locale('zh-cn');

/** Every time on screen is Beijing time, whatever the browser's own zone. */
export const displayTimeZone = 'Asia/Shanghai';

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  return dayjs(value).tz(displayTimeZone).format('YYYY-MM-DD HH:mm:ss');
}

export function formatMinute(value: string | null | undefined): string {
  if (!value) return '—';
  return dayjs(value).tz(displayTimeZone).format('YYYY年M月D日 HH:mm');
}

/** Calendar dates (YYYY-MM-DD) carry no zone; show them as written. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  return dayjs(value).format('YYYY年M月D日');
}

export function todayInShanghai(): string {
  return dayjs().tz(displayTimeZone).format('YYYY-MM-DD');
}

/** A picker's local calendar day, read as a Beijing day, as an ISO instant for the server. */
export function shanghaiDayStart(value: dayjs.Dayjs): string {
  return dayjs.tz(value.format('YYYY-MM-DD'), displayTimeZone).startOf('day').toISOString();
}

export function shanghaiDayEnd(value: dayjs.Dayjs): string {
  return dayjs.tz(value.format('YYYY-MM-DD'), displayTimeZone).endOf('day').toISOString();
}

export { dayjs };
