import { describe, expect, it } from 'vitest';
import {
  normalizeTraceCode,
  traceCodeQrText,
  traceCodeSerial,
  traceCodeSigner,
  traceCodeUrl,
} from './trace-code.ts';

const signer = traceCodeSigner('0123456789abcdef0123456789abcdef');
const other = traceCodeSigner('fedcba9876543210fedcba9876543210');
const encodeTraceCode = (s: typeof signer, parts: { runNumber: number; serial: number }) => s.code(parts);
const decodeTraceCode = (s: typeof signer, text: string) => s.decode(text);
const key = signer;
const otherKey = other;

describe('trace codes', () => {
  it('are short upper-case alphanumerics that name their run and serial', () => {
    const code = encodeTraceCode(key, { runNumber: 1, serial: 1 });
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]+$/);
    expect(code).toHaveLength(1 + 1 + 1 + 8);
    const long = encodeTraceCode(key, { runNumber: 123_456, serial: 1_000_000 });
    expect(long.length).toBeLessThanOrEqual(17);
    expect(decodeTraceCode(key, long)).toEqual({ runNumber: 123_456, serial: 1_000_000, code: long });
  });

  it('round-trip for many runs and serials, all different', () => {
    const seen = new Set<string>();
    for (const runNumber of [1, 31, 32, 1023, 1024, 99_999]) {
      for (const serial of [1, 2, 31, 32, 33, 999_999, 1_000_000, 2_000_001]) {
        const code = encodeTraceCode(key, { runNumber, serial });
        expect(decodeTraceCode(key, code)).toEqual({ runNumber, serial, code });
        expect(traceCodeSerial(code)).toBe(serial);
        seen.add(code);
      }
    }
    expect(seen.size).toBe(6 * 8);
  });

  it('refuse a code with any character changed, a code made with another key, and garbage', () => {
    const code = encodeTraceCode(key, { runNumber: 7, serial: 4242 });
    for (let position = 0; position < code.length; position += 1) {
      const replacement = code[position] === 'X' ? 'Y' : 'X';
      const tampered = `${code.slice(0, position)}${replacement}${code.slice(position + 1)}`;
      expect(decodeTraceCode(key, tampered)).toBeNull();
    }
    expect(decodeTraceCode(key, encodeTraceCode(otherKey, { runNumber: 7, serial: 4242 }))).toBeNull();
    for (const garbage of ['', '1', 'ZZZZZZZZZZZZ', '<script>', `1${'0'.repeat(60)}`, '11100000000']) {
      expect(decodeTraceCode(key, garbage)).toBeNull();
    }
  });

  it('come out the same one by one and in bulk', () => {
    const bulk = signer.codes(42, 999_990, 20);
    expect(bulk).toEqual(
      Array.from({ length: 20 }, (_, index) => signer.code({ runNumber: 42, serial: 999_990 + index })),
    );
  });

  it('accept what a person types: lower case, O for 0, I or L for 1, hyphens', () => {
    const code = encodeTraceCode(key, { runNumber: 1, serial: 10 });
    const typed = code.toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l');
    expect(normalizeTraceCode(`${typed.slice(0, 4)}-${typed.slice(4)}`)).toBe(code);
    expect(decodeTraceCode(key, typed)?.serial).toBe(10);
  });

  it('give one URL per package, upper case in the QR when the public address is a bare origin', () => {
    expect(traceCodeUrl('https://ez.example.cn', 'ABC')).toBe('https://ez.example.cn/t/ABC');
    expect(traceCodeQrText('https://ez.example.cn', 'ABC')).toBe('HTTPS://EZ.EXAMPLE.CN/T/ABC');
    expect(traceCodeQrText('https://example.cn/ezhen', 'ABC')).toBe('https://example.cn/ezhen/t/ABC');
  });
});
