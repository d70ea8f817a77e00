import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deriveShanxiRegions, type RegionRecord } from './shanxi-region-data.ts';

const committed = JSON.parse(
  readFileSync(new URL('./data/shanxi-regions.json', import.meta.url), 'utf8'),
) as RegionRecord[];

describe('Shanxi region data', () => {
  it('is exactly what scripts/build-region-data.ts derives from @vant/area-data', () => {
    expect(committed).toEqual(deriveShanxiRegions());
    // Byte for byte too, so a hand edit that happens to parse the same is still caught.
    expect(readFileSync(new URL('./data/shanxi-regions.json', import.meta.url), 'utf8')).toBe(
      `${JSON.stringify(deriveShanxiRegions(), null, 1)}\n`,
    );
  });

  it('has 1 province, 11 cities and 117 counties', () => {
    const byLevel = (level: RegionRecord['level']) => committed.filter((region) => region.level === level);
    expect(byLevel('province')).toEqual([
      { code: '14', name: '山西省', level: 'province', parentCode: null },
    ]);
    expect(byLevel('city')).toHaveLength(11);
    expect(byLevel('county')).toHaveLength(117);
    expect(committed).toHaveLength(129);
    expect(new Set(committed.map((region) => region.code)).size).toBe(129);
  });

  it('puts 垣曲县 (140827) and 绛县 (140826) under 运城市 (1408)', () => {
    expect(committed).toContainEqual({ code: '1408', name: '运城市', level: 'city', parentCode: '14' });
    expect(committed).toContainEqual({ code: '140827', name: '垣曲县', level: 'county', parentCode: '1408' });
    expect(committed).toContainEqual({ code: '140826', name: '绛县', level: 'county', parentCode: '1408' });
    expect(committed.filter((region) => region.parentCode === '1408')).toHaveLength(13);
  });

  it('leaves out functional zones (x7x codes such as 五台山风景名胜区 140971)', () => {
    expect(committed.filter((region) => /^\d{4}7\d$/.test(region.code))).toEqual([]);
    expect(committed.map((region) => region.name)).not.toContain('五台山风景名胜区');
  });

  it('links every county to a city and every city to the province', () => {
    const codes = new Set(committed.map((region) => region.code));
    for (const region of committed) {
      if (region.level === 'county') {
        expect(region.code).toMatch(/^14\d{4}$/);
        expect(region.parentCode).toBe(region.code.slice(0, 4));
      }
      if (region.level === 'city') expect(region.parentCode).toBe('14');
      if (region.parentCode) expect(codes.has(region.parentCode)).toBe(true);
    }
  });
});
