import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createSecretKey,
  type KeyObject,
  randomBytes,
} from 'node:crypto';

/** SM3 (GB/T 32905) through Node's OpenSSL. */
export function sm3Hex(input: string): string {
  return createHash('sm3').update(input, 'utf8').digest('hex');
}

/**
 * Random IVs drawn from the CSPRNG 256 at a time: one `randomBytes` call per IV cost more than the SM4
 * itself when an import encrypts 10⁵ values. Each IV is still used once.
 */
const IV_POOL_SIZE = 16 * 256;
let ivPool = Buffer.alloc(0);
let ivOffset = 0;
function nextIv(): Buffer {
  if (ivOffset + 16 > ivPool.length) {
    ivPool = randomBytes(IV_POOL_SIZE);
    ivOffset = 0;
  }
  const iv = ivPool.subarray(ivOffset, ivOffset + 16);
  ivOffset += 16;
  return iv;
}

/** The key object of the last key seen, so that encrypting many values parses the key once. */
let keyFor: string | null = null;
let keyObject: KeyObject | null = null;
function sm4Key(keyHex: string): KeyObject {
  if (keyFor !== keyHex || !keyObject) {
    keyObject = createSecretKey(Buffer.from(keyHex, 'hex'));
    keyFor = keyHex;
  }
  return keyObject;
}

/** SM4-CBC (GB/T 32907) with a random IV; the result is `iv:ciphertext`, both hex. */
export function sm4Encrypt(plainText: string, keyHex: string): string {
  const iv = nextIv();
  const cipher = createCipheriv('sm4-cbc', sm4Key(keyHex), iv);
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
