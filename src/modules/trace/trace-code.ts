import { type Cipher, createCipheriv, hkdfSync } from 'node:crypto';

/**
 * Trace codes (追溯码), ADR 009: `<L><run><serial><mac>` in Crockford base32 (0-9, A-Z without I L O U),
 * so a code fits the QR alphanumeric mode and survives being read aloud or typed.
 * - L: one digit, how many digits the run number has;
 * - run: the run number (trace_code_runs.run_number), so the code names its run and batch;
 * - serial: the package's serial number within its batch;
 * - mac: 40 bits of SM4_K(run ‖ serial), one block enciphered under a key derived from the server's
 *   secret, 8 digits: codes cannot be guessed or forged, and checking one needs no database.
 */
const DIGITS = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const MAC_DIGITS = 8;
export const TRACE_CODE_MAC_BITS = MAC_DIGITS * 5;
/** Longest code we ever produce (run and serial below 2^53: 11 digits each). */
export const MAX_TRACE_CODE_LENGTH = 1 + 11 + 11 + MAC_DIGITS;

/** Each character's digit value by character code (-1: not a digit), Crockford's aliases included. */
const DIGIT_VALUE = new Int8Array(128).fill(-1);
for (let index = 0; index < DIGITS.length; index += 1) DIGIT_VALUE[DIGITS.charCodeAt(index)] = index;
// What people misread or mistype, as Crockford's alphabet defines it.
for (const [alias, digit] of [
  ['O', '0'],
  ['I', '1'],
  ['L', '1'],
] as const) {
  DIGIT_VALUE[alias.charCodeAt(0)] = DIGIT_VALUE[digit.charCodeAt(0)] as number;
}
/** A code as the QR code and the labels carry it: nothing to normalize. */
const CANONICAL = /^[0-9A-HJKMNP-TV-Z]+$/;

export type TraceCodeParts = { runNumber: number; serial: number };

function toBase32(value: number): string {
  let text = '';
  let rest = value;
  do {
    text = DIGITS[rest % 32] + text;
    rest = Math.floor(rest / 32);
  } while (rest > 0);
  return text;
}

/** The number the digits of `text` from `from` to `to` spell, or null (not digits, or too large). */
function fromBase32(text: string, from: number, to: number): number | null {
  let value = 0;
  for (let index = from; index < to; index += 1) {
    const digit = DIGIT_VALUE[text.charCodeAt(index)] ?? -1;
    if (digit < 0) return null;
    value = value * 32 + digit;
  }
  return Number.isSafeInteger(value) ? value : null;
}

/** The first 40 bits of a 16-byte block at `offset`, as eight base32 digits. */
function macText(block: Buffer, offset: number): string {
  // 40 bits: the high 20 and the low 20 of five bytes.
  const high =
    (block[offset] as number) * 4096 +
    (block[offset + 1] as number) * 16 +
    ((block[offset + 2] as number) >> 4);
  const low =
    ((block[offset + 2] as number) & 15) * 65536 +
    (block[offset + 3] as number) * 256 +
    (block[offset + 4] as number);
  return (
    DIGITS.charAt(high >> 15) +
    DIGITS.charAt((high >> 10) & 31) +
    DIGITS.charAt((high >> 5) & 31) +
    DIGITS.charAt(high & 31) +
    DIGITS.charAt(low >> 15) +
    DIGITS.charAt((low >> 10) & 31) +
    DIGITS.charAt((low >> 5) & 31) +
    DIGITS.charAt(low & 31)
  );
}

function writeBlock(block: Buffer, offset: number, runNumber: number, serial: number): void {
  block.writeUInt32BE(Math.floor(runNumber / 0x1_0000_0000), offset);
  block.writeUInt32BE(runNumber >>> 0, offset + 4);
  block.writeUInt32BE(Math.floor(serial / 0x1_0000_0000), offset + 8);
  block.writeUInt32BE(serial >>> 0, offset + 12);
}

/**
 * Makes and checks codes with one key. SM4 over a single fixed-length block is a pseudorandom function,
 * so its truncation is a MAC; and unlike an HMAC per code, a million blocks encipher in one call.
 */
export class TraceCodeSigner {
  private readonly cipher: Cipher;
  /** One block to check a code with: the cipher copies it, so it is reused. */
  private readonly scratch = Buffer.alloc(16);

  constructor(key: Buffer) {
    // ECB without padding keeps no state between blocks, so one cipher serves every call.
    this.cipher = createCipheriv('sm4-ecb', key, null);
    this.cipher.setAutoPadding(false);
  }

  code(parts: TraceCodeParts): string {
    const { runNumber, serial } = parts;
    if (!Number.isSafeInteger(runNumber) || runNumber < 1 || !Number.isSafeInteger(serial) || serial < 1) {
      throw new RangeError(`trace code parts out of range: run ${runNumber}, serial ${serial}`);
    }
    const block = Buffer.allocUnsafe(16);
    writeBlock(block, 0, runNumber, serial);
    const run = toBase32(runNumber);
    return `${DIGITS[run.length]}${run}${toBase32(serial)}${macText(this.cipher.update(block), 0)}`;
  }

  /** The codes of `count` consecutive serials of one run, enciphered together. */
  codes(runNumber: number, firstSerial: number, count: number): string[] {
    if (count === 0) return [];
    this.code({ runNumber, serial: firstSerial + count - 1 });
    const blocks = Buffer.allocUnsafe(16 * count);
    for (let index = 0; index < count; index += 1)
      writeBlock(blocks, index * 16, runNumber, firstSerial + index);
    const macs = this.cipher.update(blocks);
    const run = toBase32(runNumber);
    const prefix = `${DIGITS[run.length]}${run}`;
    const codes = new Array<string>(count);
    for (let index = 0; index < count; index += 1) {
      codes[index] = `${prefix}${toBase32(firstSerial + index)}${macText(macs, index * 16)}`;
    }
    return codes;
  }

  /** The run and serial a code names, or null when it is malformed or its MAC does not match (forged). */
  decode(text: string): (TraceCodeParts & { code: string }) | null {
    if (text.length === 0 || text.length > MAX_TRACE_CODE_LENGTH + 4) return null;
    const code = CANONICAL.test(text) ? text : normalizeTraceCode(text);
    const runLength = DIGIT_VALUE[code.charCodeAt(0)] ?? -1;
    const serialEnd = code.length - MAC_DIGITS;
    if (runLength < 1 || serialEnd < 1 + runLength + 1) return null;
    // One package, one code: no leading zeros (the canonical spelling only; aliases are normalized above).
    if (code.charCodeAt(1) === 48 || code.charCodeAt(1 + runLength) === 48) return null;
    const runNumber = fromBase32(code, 1, 1 + runLength);
    const serial = fromBase32(code, 1 + runLength, serialEnd);
    if (runNumber === null || serial === null || runNumber < 1 || serial < 1) return null;
    writeBlock(this.scratch, 0, runNumber, serial);
    return code.endsWith(macText(this.cipher.update(this.scratch), 0)) ? { runNumber, serial, code } : null;
  }
}

/**
 * The serial a stored code names, without checking its MAC: only for codes the server wrote itself (rows
 * of code_scans); a code from a request goes through `decode`. Null when it is not a code's shape.
 */
export function traceCodeSerial(code: string): number | null {
  const runLength = DIGIT_VALUE[code.charCodeAt(0)] ?? -1;
  const serialEnd = code.length - MAC_DIGITS;
  if (runLength < 1 || serialEnd < 1 + runLength + 1) return null;
  return fromBase32(code, 1 + runLength, serialEnd);
}

const signers = new Map<string, TraceCodeSigner>();

/**
 * The trace codes' MAC key as first derived from the server's secret; never the SM4 data key itself. It
 * outlives a rotation of the SM4 key (kept encrypted in the database), since printed labels cannot change.
 */
export const deriveTraceMacKey = (secretKeyHex: string) =>
  Buffer.from(
    hkdfSync('sm3', Buffer.from(secretKeyHex, 'hex'), 'ezhen', 'ezhen/trace-code-mac/v1', 16),
  ).toString('hex');

/** The MAC key of this server's trace codes: the one kept over key rotations, or derived from the key. */
export const traceMacKeyOf = (context: { secretKeyHex: string; traceMacKeyHex?: string }) =>
  context.traceMacKeyHex ?? deriveTraceMacKey(context.secretKeyHex);

/** The signer for a trace-code MAC key (`traceMacKeyOf(context)`). */
export function traceCodeSigner(macKeyHex: string): TraceCodeSigner {
  let signer = signers.get(macKeyHex);
  if (!signer) {
    signer = new TraceCodeSigner(Buffer.from(macKeyHex, 'hex'));
    signers.set(macKeyHex, signer);
  }
  return signer;
}

/** Upper case, Crockford's aliases (O→0, I/L→1) and no separators: what a person might type or a scanner send. */
export function normalizeTraceCode(text: string): string {
  return text.toUpperCase().replace(/[-\s]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** The URL printed beside the QR code: one HTTPS URL per package on our own domain. */
export function traceCodeUrl(publicUrl: string, code: string): string {
  return `${publicUrl}/t/${code}`;
}

/**
 * What the QR code carries: the same URL in upper case when the public address is a bare origin (host
 * names are case-blind and `/T/` is served too), so the whole QR fits alphanumeric mode and stays small.
 */
export function traceCodeQrText(publicUrl: string, code: string): string {
  const { pathname } = new URL(publicUrl);
  return pathname === '/' ? `${publicUrl.toUpperCase()}/T/${code}` : traceCodeUrl(publicUrl, code);
}
