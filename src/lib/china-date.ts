/** Today in Asia/Shanghai, as YYYY-MM-DD: deadlines, terms and tag dates are calendar days there. */
export function shanghaiToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now);
}
