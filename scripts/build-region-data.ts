// Regenerates src/modules/regions/data/shanxi-regions.json from @vant/area-data: `npx tsx scripts/build-region-data.ts`.
import { writeFileSync } from 'node:fs';
import { deriveShanxiRegions } from '../src/modules/regions/shanxi-region-data.ts';

const target = new URL('../src/modules/regions/data/shanxi-regions.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(deriveShanxiRegions(), null, 1)}\n`);
console.log(`wrote ${target.pathname}`);
