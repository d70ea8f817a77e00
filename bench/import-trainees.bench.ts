// 100,000 trainees from CSV through the import path (stream-parse, check every row against GB 11643,
// SM4-encrypt ID number and phone, HMAC-SM3 blind index, dedup against the files on record, insert, audit —
// the route's job minus the HTTP upload), one file per e-town as the route takes them, against a raw COPY
// of the same rows (ciphers, masks and indexes as the import stores them) into `trainees` itself, with its
// unique blind index, e-town index and foreign key. A COPY into a bare copy of the table is timed as well.
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Actor } from '../src/access/scope.ts';
import { loadConfig } from '../src/config.ts';
import { migrateDatabase, openDatabase } from '../src/db/client.ts';
import { createScratchDatabase } from '../src/db/scratch-database.ts';
import { idNumberCheckCharacter } from '../src/lib/id-number.ts';
import { importTrainees } from '../src/modules/talent/trainee-import.ts';
import { traineeImportColumns } from '../src/modules/talent/trainee-import-rows.ts';
import { traineeCategoryLabels } from '../src/modules/talent/trainees.schemas.ts';
import { idNumberColumns, phoneColumns } from '../src/modules/talent/trainees.service.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const ETOWNS = Number(process.env.BENCH_ETOWNS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TARGET_RATIO = 3;
const COUNTY = '149901';
const SECRET = '0123456789abcdef0123456789abcdef';

const scratch = process.env.BENCH_DATABASE_URL
  ? await createScratchDatabase(process.env.BENCH_DATABASE_URL)
  : null;
const database = await openDatabase({ databaseUrl: scratch?.url, dataDir: 'memory://' });
await migrateDatabase(database);
const { query } = database;
const folder = await mkdtemp(path.join(tmpdir(), 'ezhen-bench-trainees-'));

const etownCodes = Array.from({ length: ETOWNS }, (_, e) => `${COUNTY}-E${String(e + 1).padStart(2, '0')}`);
const categories = Object.values(traineeCategoryLabels);
const villages = ['皋落村', '坡底村', '东关村', '西关村', '南街村', '北坡村', '河东村', '新庄村'];
const skillSets = ['直播带货、短视频剪辑', '电商客服', '', '网店运营，美工', '农产品包装'];
const DAY_MS = 86_400_000;
const FIRST_BIRTH = Date.UTC(1960, 0, 1);

/** Trainee `i`: a valid, unique 身份证号 of the county (birth date and sequence vary), a phone, a category. */
function trainee(i: number) {
  const birth = new Date(FIRST_BIRTH + (i % 15_000) * DAY_MS);
  const sequence = Math.floor(i / 15_000);
  const date = `${birth.getUTCFullYear()}${String(birth.getUTCMonth() + 1).padStart(2, '0')}${String(birth.getUTCDate()).padStart(2, '0')}`;
  const first17 = `${COUNTY}${date}${String(sequence).padStart(3, '0')}`;
  return {
    name: `学员${i}`,
    gender: sequence % 2 === 1 ? '男' : '女',
    genderKey: sequence % 2 === 1 ? 'male' : 'female',
    idNumber: `${first17}${idNumberCheckCharacter(first17)}`,
    phone: i % 5 === 4 ? '' : `139${String(i).padStart(8, '0')}`,
    village: villages[i % villages.length] as string,
    category: categories[i % categories.length] as string,
    categoryKey: Object.keys(traineeCategoryLabels)[i % categories.length] as string,
    skills: skillSets[i % skillSets.length] as string,
    birthYear: birth.getUTCFullYear(),
  };
}

const copyEscape = (text: string) => text.replace(/\\/g, '\\\\');

/** One CSV per e-town (as a county uploads them), and one COPY file of every row as the import stores it. */
async function writeFiles(copyPath: string): Promise<{ csvPaths: string[]; csvBytes: number }> {
  const copy = createWriteStream(copyPath);
  const csvPaths: string[] = [];
  let csvBytes = 0;
  const perEtown = Math.ceil(ROWS / ETOWNS);
  for (const [e, etownCode] of etownCodes.entries()) {
    const csvPath = path.join(folder, `trainees-${e + 1}.csv`);
    let csvText = `\uFEFF${traineeImportColumns.map((column) => column.header).join(',')}\r\n`;
    let copyText = '';
    for (let i = e * perEtown; i < Math.min(ROWS, (e + 1) * perEtown); i++) {
      const t = trainee(i);
      csvText += `${t.name},${t.gender},${t.idNumber},${t.phone},${t.village},${t.category},"${t.skills}",${t.birthYear}\r\n`;
      const id = idNumberColumns(t.idNumber, SECRET);
      const phone = phoneColumns(t.phone || null, SECRET);
      const skills = JSON.stringify(t.skills.split(/[、,，]/).filter(Boolean));
      copyText += `${etownCode}\t${t.village}\t${t.name}\t${t.genderKey}\t${t.birthYear}\t${id.idNumberCipher}\t${id.idNumberMasked}\t${id.idNumberIndex}\t${phone.phoneCipher ?? '\\N'}\t${phone.phoneMasked ?? '\\N'}\t${t.categoryKey}\t${copyEscape(skills)}\n`;
    }
    const csv = createWriteStream(csvPath);
    csv.end(csvText);
    await new Promise<void>((resolve) => csv.once('finish', () => resolve()));
    if (!copy.write(copyText)) await new Promise<void>((resolve) => copy.once('drain', () => resolve()));
    csvPaths.push(csvPath);
    csvBytes += (await stat(csvPath)).size;
  }
  await new Promise<void>((resolve) => copy.end(() => resolve()));
  return { csvPaths, csvBytes };
}

const COLUMNS =
  '(etown_code, village_name, name, gender, birth_year, id_number_cipher, id_number_masked, id_number_index, phone_cipher, phone_masked, category, skills)';

async function rawCopy(table: string, copyPath: string): Promise<void> {
  if (database.kind === 'pglite') {
    const client = (database.db as unknown as { $client: PGlite }).$client;
    await client.query(`copy ${table} ${COLUMNS} from '/dev/blob'`, [], {
      blob: new Blob([await readFile(copyPath)]),
    });
    return;
  }
  const pool = (database.db as unknown as { $client: pg.Pool }).$client;
  const connection = await pool.connect();
  try {
    await pipeline(
      createReadStream(copyPath, { highWaterMark: 1024 * 1024 }),
      connection.query(copyFrom(`copy ${table} ${COLUMNS} from stdin`)),
    );
  } finally {
    connection.release();
  }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const timed = async (run: () => Promise<unknown>) => {
  const begin = performance.now();
  await run();
  return performance.now() - begin;
};
const count = async (table: string) =>
  Number((await query<{ count: string }>(`select count(*)::text as count from ${table}`))[0]?.count);

try {
  await query(`insert into regions (code, name, level, parent_code) values
    ('14', '山西省', 'province', null), ('1499', '基准市', 'city', '14'), ('${COUNTY}', '基准县', 'county', '1499')`);
  for (const [e, code] of etownCodes.entries())
    await query(`insert into regions (code, name, level, parent_code) values ($1, $2, 'etown', $3)`, [
      code,
      `基准e镇${e + 1}`,
      COUNTY,
    ]);
  // The baseline without the schema's cost: the same columns, no index, no foreign key.
  await query('create table trainees_plain (like trainees including defaults)');
  await query('analyze');

  const copyPath = path.join(folder, 'trainees.copy');
  const setupBegin = performance.now();
  const { csvPaths, csvBytes } = await writeFiles(copyPath);
  const setupMs = performance.now() - setupBegin;

  const context = { config: loadConfig({ EZHEN_DATA_DIR: 'memory://' }), database, secretKeyHex: SECRET };
  const actor: Actor = {
    userId: randomUUID(),
    username: 'bench.county',
    displayName: '基准县操作员',
    role: 'county_operator',
    scope: { kind: 'region', code: COUNTY },
    ip: '127.0.0.1',
    mustChangePassword: false,
    totpEnrollmentRequired: false,
  };
  const ours = async () => {
    let inserted = 0;
    for (const [e, csvPath] of csvPaths.entries()) {
      const result = await importTrainees(
        context,
        actor,
        { path: csvPath, fileName: path.basename(csvPath) },
        etownCodes[e] as string,
      );
      inserted += result.summary.inserted;
    }
    if (inserted !== ROWS) throw new Error(`import inserted ${inserted} of ${ROWS}`);
  };
  const empty = () => query('truncate trainees cascade');

  const ourTimes: number[] = [];
  const baselineTimes: number[] = [];
  const plainTimes: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    await empty();
    ourTimes.push(await timed(ours));
    if ((await count('trainees')) !== ROWS) throw new Error('import left the wrong number of rows');
    await empty();
    baselineTimes.push(await timed(() => rawCopy('trainees', copyPath)));
    if ((await count('trainees')) !== ROWS) throw new Error('raw COPY left the wrong number of rows');
    await query('truncate trainees_plain');
    plainTimes.push(await timed(() => rawCopy('trainees_plain', copyPath)));
  }
  // The same files again over the people already on file: every row skipped (dedup by ID number).
  const skipTime = await timed(async () => {
    for (const [e, csvPath] of csvPaths.entries())
      await importTrainees(context, actor, { path: csvPath, fileName: 'again.csv' }, etownCodes[e] as string);
  });

  const oursMs = median(ourTimes);
  const baselineMs = median(baselineTimes);
  const plainMs = median(plainTimes);
  const ratio = oursMs / baselineMs;
  const list = (times: number[]) => times.map((t) => t.toFixed(0)).join('/');
  console.log(
    `import-trainees on ${database.kind}: ${ROWS} trainees in ${ETOWNS} CSV files (one per e-town of one county, ${(csvBytes / 1024 / 1024).toFixed(1)} MB; made with their COPY file in ${setupMs.toFixed(0)} ms); import ${oursMs.toFixed(0)} ms vs raw COPY into trainees ${baselineMs.toFixed(0)} ms, into a bare table ${plainMs.toFixed(0)} ms (medians of ${ROUNDS}: ${list(ourTimes)} vs ${list(baselineTimes)} vs ${list(plainTimes)}); the same files again, every row skipped as on file, ${skipTime.toFixed(0)} ms`,
  );
  console.log(
    JSON.stringify({
      name: 'import-trainees',
      unit: 'ms',
      ours: Math.round(oursMs),
      baseline: Math.round(baselineMs),
      ratio: Number(ratio.toFixed(2)),
      target: TARGET_RATIO,
      ok: ratio <= TARGET_RATIO,
      backend: database.kind,
      rows: ROWS,
      etowns: ETOWNS,
      bareTableMs: Math.round(plainMs),
      ratioToBareTable: Number((oursMs / plainMs).toFixed(2)),
    }),
  );
} finally {
  await rm(folder, { recursive: true, force: true });
  await database.close();
  await scratch?.drop();
}
