import { areaList } from '@vant/area-data';

export type RegionRecord = {
  code: string;
  name: string;
  level: 'province' | 'city' | 'county';
  parentCode: string | null;
};

const SHANXI = '14';

/**
 * Shanxi's province, cities and counties derived from @vant/area-data (GB/T 2260 codes). Functional zones
 * coded x7x (开发区, 示范区, 风景名胜区) are not GB/T 2260 county-level divisions and are left out.
 */
export function deriveShanxiRegions(): RegionRecord[] {
  const province = areaList.province_list[`${SHANXI}0000`];
  if (!province) throw new Error('@vant/area-data has no Shanxi');
  const records: RegionRecord[] = [{ code: SHANXI, name: province, level: 'province', parentCode: null }];
  for (const [code, name] of Object.entries(areaList.city_list)) {
    if (code.startsWith(SHANXI))
      records.push({ code: code.slice(0, 4), name, level: 'city', parentCode: SHANXI });
  }
  for (const [code, name] of Object.entries(areaList.county_list)) {
    if (code.startsWith(SHANXI) && code[4] !== '7') {
      records.push({ code, name, level: 'county', parentCode: code.slice(0, 4) });
    }
  }
  return records.sort((a, b) => a.code.localeCompare(b.code));
}
