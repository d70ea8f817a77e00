import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** SM3 (GB/T 32905) through Node's OpenSSL. */
export function sm3Hex(input: string): string {
  return createHash('sm3').update(input, 'utf8').digest('hex');
}

/** SM4-CBC (GB/T 32907) with a random IV; the result is `iv:ciphertext`, both hex. */
export function sm4Encrypt(plainText: string, keyHex: string): string {
  const iv = randomBytes(16);
  const cipher = createCipheriv('sm4-cbc', Buffer.from(keyHex, 'hex'), iv);
  const encrypted = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
  return `${iv.toString('hex')}:${encrypted.toString('hex')}`;
}

export function sm4Decrypt(payload: string, keyHex: string): string {
  const [ivHex, dataHex] = payload.split(':');
  if (!ivHex || !dataHex) throw new Error('malformed SM4 payload');
  const decipher = createDecipheriv('sm4-cbc', Buffer.from(keyHex, 'hex'), Buffer.from(ivHex, 'hex'));
  return Buffer.concat([decipher.update(Buffer.from(dataHex, 'hex')), decipher.final()]).toString('utf8');
}

/** JSON with object keys sorted at every depth, so a value hashes the same after a JSONB round trip. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
