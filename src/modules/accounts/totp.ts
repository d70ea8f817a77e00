import { Secret, TOTP } from 'otpauth';

const ISSUER = 'EZhen e镇通';

export const newTotpSecret = () => new Secret({ size: 20 }).base32;

export function totpFor(username: string, secretBase32: string) {
  return new TOTP({
    issuer: ISSUER,
    label: username,
    secret: Secret.fromBase32(secretBase32),
    digits: 6,
    period: 30,
  });
}

/** Accepts the current code and one step either side, for phones whose clocks drift a little. */
export function totpCodeIsValid(username: string, secretBase32: string, code: string): boolean {
  if (!/^[0-9]{6}$/.test(code)) return false;
  return totpFor(username, secretBase32).validate({ token: code, window: 1 }) !== null;
}
