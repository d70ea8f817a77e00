import { describe, expect, it } from 'vitest';
import { canonicalJson, sm3Hex, sm4Decrypt, sm4Encrypt } from './national-crypto.ts';

const KEY = '0123456789abcdef0123456789abcdef';

describe('SM3', () => {
  it('matches the GB/T 32905 example for "abc"', () => {
    expect(sm3Hex('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('matches the GB/T 32905 example for the 64-byte message', () => {
    expect(sm3Hex('abcd'.repeat(16))).toBe(
      'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
    );
  });

  it('hashes Chinese text as UTF-8', () => {
    expect(sm3Hex('皋陶乡村e镇')).toMatch(/^[0-9a-f]{64}$/);
    expect(sm3Hex('皋陶乡村e镇')).not.toBe(sm3Hex('皋陶乡村E镇'));
  });
});

describe('SM4-CBC', () => {
  it('decrypts what it encrypted, Chinese and empty text included', () => {
    for (const plain of ['JBSWY3DPEHPK3PXP', '垣曲县工科局操作员', '', 'x'.repeat(1000)]) {
      expect(sm4Decrypt(sm4Encrypt(plain, KEY), KEY)).toBe(plain);
    }
  });

  it('uses a fresh random IV every time, so equal secrets do not look equal at rest', () => {
    const payloads = Array.from({ length: 20 }, () => sm4Encrypt('same secret', KEY));
    const ivs = payloads.map((payload) => payload.split(':')[0]);
    expect(new Set(ivs).size).toBe(payloads.length);
    expect(new Set(payloads).size).toBe(payloads.length);
    for (const payload of payloads) {
      expect(payload).toMatch(/^[0-9a-f]{32}:[0-9a-f]+$/);
      expect(payload).not.toContain(Buffer.from('same secret').toString('hex'));
    }
  });

  it('does not decrypt with another key or from a malformed payload', () => {
    const payload = sm4Encrypt('TOTP secret', KEY);
    let decrypted: string | undefined;
    try {
      decrypted = sm4Decrypt(payload, 'fedcba9876543210fedcba9876543210');
    } catch {
      decrypted = undefined;
    }
    expect(decrypted).not.toBe('TOTP secret');
    expect(() => sm4Decrypt('not-a-payload', KEY)).toThrow('malformed SM4 payload');
  });
});

describe('canonicalJson', () => {
  it('gives the same text whatever the key order, at every depth', () => {
    const a = { b: 1, a: { y: [1, { q: 2, p: 1 }], x: null }, c: '镇' };
    const b = { c: '镇', a: { x: null, y: [1, { p: 1, q: 2 }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"x":null,"y":[1,{"p":1,"q":2}]},"b":1,"c":"镇"}');
  });

  it('survives a JSONB-like round trip and tells different values apart', () => {
    const value = { diff: { operatingEntity: { before: null, after: '运营主体' } }, at: '2026-01-01' };
    expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonicalJson(value));
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
  });

  it('drops undefined properties like JSON does, and renders undefined alone as null', () => {
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
    expect(canonicalJson(undefined)).toBe('null');
  });
});
