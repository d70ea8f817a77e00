import { describe, expect, it } from 'vitest';
import { canSeeRegion, isInSubtree, type Scope, scopeIsLeafOnly, scopeRoots } from './scope.ts';

describe('isInSubtree', () => {
  it('follows the code prefixes 14 → 1408 → 140827 → 140827-E01', () => {
    expect(isInSubtree('14', '140827-E01')).toBe(true);
    expect(isInSubtree('1408', '140827')).toBe(true);
    expect(isInSubtree('140827', '140827')).toBe(true);
    expect(isInSubtree('140827', '140827-E01')).toBe(true);
    expect(isInSubtree('140827', '140826-E01')).toBe(false);
    expect(isInSubtree('140827', '1408')).toBe(false);
    expect(isInSubtree('1408', '1407')).toBe(false);
  });
});

describe('canSeeRegion', () => {
  it('lets the 垣曲县 operator see its own county and e-towns, not 绛县 nor 运城市', () => {
    const county: Scope = { kind: 'region', code: '140827' };
    expect(canSeeRegion(county, '140827')).toBe(true);
    expect(canSeeRegion(county, '140827-E01')).toBe(true);
    expect(canSeeRegion(county, '140827-E02')).toBe(true);
    expect(canSeeRegion(county, '140826')).toBe(false);
    expect(canSeeRegion(county, '140826-E01')).toBe(false);
    expect(canSeeRegion(county, '1408')).toBe(false);
    expect(canSeeRegion(county, '14')).toBe(false);
  });

  it('lets the 运城市 reviewer see every county of the city and nothing of 晋中市', () => {
    const city: Scope = { kind: 'region', code: '1408' };
    expect(canSeeRegion(city, '140826-E01')).toBe(true);
    expect(canSeeRegion(city, '140827')).toBe(true);
    expect(canSeeRegion(city, '140702')).toBe(false);
    expect(canSeeRegion(city, '14')).toBe(false);
  });

  it('lets an expert see exactly the assigned e-towns, not their county', () => {
    const expert: Scope = { kind: 'etowns', codes: ['140827-E01'] };
    expect(canSeeRegion(expert, '140827-E01')).toBe(true);
    expect(canSeeRegion(expert, '140827-E02')).toBe(false);
    expect(canSeeRegion(expert, '140827')).toBe(false);
    expect(canSeeRegion({ kind: 'etowns', codes: [] }, '140827-E01')).toBe(false);
  });

  it('lets an enterprise see only its own e-town', () => {
    const enterprise: Scope = {
      kind: 'entity',
      entityId: 'a0000000-0000-4000-8000-000000000001',
      etownCode: '140827-E01',
    };
    expect(canSeeRegion(enterprise, '140827-E01')).toBe(true);
    expect(canSeeRegion(enterprise, '140827')).toBe(false);
    expect(canSeeRegion(enterprise, '140826-E01')).toBe(false);
  });

  it('shows everything to scope all and nothing to scope none', () => {
    for (const code of ['14', '1408', '140827', '140827-E01']) {
      expect(canSeeRegion({ kind: 'all' }, code)).toBe(true);
      expect(canSeeRegion({ kind: 'none' }, code)).toBe(false);
    }
  });
});

describe('scopeRoots', () => {
  it('gives the SQL filter roots for each kind of scope', () => {
    expect(scopeRoots({ kind: 'all' })).toBeNull();
    expect(scopeRoots({ kind: 'region', code: '140827' })).toEqual(['140827']);
    expect(scopeRoots({ kind: 'etowns', codes: ['140827-E01', '140826-E01'] })).toEqual([
      '140827-E01',
      '140826-E01',
    ]);
    expect(scopeRoots({ kind: 'entity', entityId: null, etownCode: '140827-E01' })).toEqual(['140827-E01']);
    expect(scopeRoots({ kind: 'none' })).toEqual([]);
    expect(scopeIsLeafOnly({ kind: 'etowns', codes: [] })).toBe(true);
    expect(scopeIsLeafOnly({ kind: 'region', code: '1408' })).toBe(false);
  });
});
