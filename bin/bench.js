#!/usr/bin/env node
// `npm run bench [-- NAME]`: runs bench/<NAME>.bench.ts (or every one), each printing one JSON line last
// ({"name","unit","ours","baseline","ratio","target","ok"}). Exits non-zero when a bench fails, prints no
// such line, or misses its target ("ok": false), so a broken or slower bench cannot pass unseen.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const folder = fileURLToPath(new URL('../bench/', import.meta.url));
const available = readdirSync(folder)
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => file.replace(/\.bench\.ts$/, ''))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`bench: 未知的基准测试 ${unknown.join(', ')}；可选：${available.join(', ')}`);
  process.exit(2);
}

/** Runs one bench, passing its output through; resolves with its exit status and last stdout line. */
function run(name) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `${folder}${name}.bench.ts`], {
      stdio: ['inherit', 'pipe', 'inherit'],
    });
    let tail = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      tail = (tail + chunk).slice(-64 * 1024);
    });
    child.on('close', (status) => resolve({ status, last: tail.trim().split('\n').at(-1) ?? '' }));
  });
}

const failures = [];
for (const name of wanted.length > 0 ? wanted : available) {
  const { status, last } = await run(name);
  let verdict = null;
  try {
    verdict = JSON.parse(last);
  } catch {
    // no verdict line: counted below
  }
  if (status !== 0) failures.push(`${name}: 退出码 ${status}`);
  else if (!verdict || typeof verdict.ok !== 'boolean') failures.push(`${name}: 最后一行不是结果 JSON`);
  else if (!verdict.ok)
    failures.push(`${name}: 未达到目标（ratio ${verdict.ratio}，目标 ${verdict.target}）`);
}
if (failures.length > 0) {
  console.error(`bench: ${failures.length} 项未通过：\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
