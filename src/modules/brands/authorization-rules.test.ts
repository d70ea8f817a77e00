import { describe, expect, it } from 'vitest';
import {
  certificatePrefix,
  effectiveAuthorizationStatus,
  nextCertificateNumber,
  transitionRefusal,
} from './authorization-rules.ts';

describe('brand authorization rules', () => {
  it('derives expiry from the term, not from a stored status', () => {
    const term = { status: 'authorized' as const, validFrom: '2026-01-01', validTo: '2026-12-31' };
    expect(effectiveAuthorizationStatus(term, '2026-12-31')).toBe('active');
    expect(effectiveAuthorizationStatus(term, '2027-01-01')).toBe('expired');
    expect(effectiveAuthorizationStatus(term, '2025-12-31')).toBe('not_started');
    expect(effectiveAuthorizationStatus({ ...term, status: 'suspended' }, '2026-06-01')).toBe('suspended');
  });

  it('allows each action only from its statuses, saying why in Chinese', () => {
    expect(transitionRefusal('applied', 'authorize')).toBeNull();
    expect(transitionRefusal('suspended', 'revoke')).toBeNull();
    expect(transitionRefusal('applied', 'suspend')).toBe(
      '该授权当前为“待审核”，不能暂停（仅“已授权”的授权可以暂停）',
    );
    expect(transitionRefusal('revoked', 'reinstate')).toContain('“已撤销”，不能恢复');
  });

  it('numbers certificates from the brand’s pinyin initials and the year', () => {
    expect(certificatePrefix('垣曲六宝')).toBe('YQLB');
    expect(certificatePrefix('辈辈封侯')).toBe('BBFH');
    expect(certificatePrefix('——')).toBe('PP');
    expect(nextCertificateNumber('YQLB', 2026, [])).toBe('YQLB-2026-0001');
    expect(nextCertificateNumber('YQLB', 2026, ['YQLB-2026-0009', 'YQLB-2025-0042', 'YQLB-2026-0002'])).toBe(
      'YQLB-2026-0010',
    );
  });
});
