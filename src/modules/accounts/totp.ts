import { Secret, TOTP } from 'otpauth';

const ISSUER = 'EZhen e镇通';
const PERIOD_SECONDS = 30;

export const newTotpSecret = () => new Secret({ size: 20 }).base32;

export function totpFor(username: string, secretBase32: string) {
  return new TOTP({
    issuer: ISSUER,
    label: username,
    secret: Secret.fromBase32(secretBase32),
    digits: 6,
    period: PERIOD_SECONDS,
  });
}

/**
 * The time step a code belongs to, or null when it is wrong. Accepts the current step and one either
 * side, for phones whose clocks drift a little; callers refuse a step at or before the last one used,
 * so a code seen over someone's shoulder cannot be replayed.
 */
export function matchTotpStep(
  username: string,
  secretBase32: string,
  code: string,
  now = Date.now(),
): number | null {
  if (!/^[0-9]{6}$/.test(code)) return null;
  const delta = totpFor(username, secretBase32).validate({ token: code, window: 1, timestamp: now });
  if (delta === null) return null;
  return Math.floor(now / 1000 / PERIOD_SECONDS) + delta;
}
