// Runs the load generator (load-generator.ts) in its own process with the given options and answers its
// result line: the benches' servers keep the rest of the machine.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const loadGenerator = fileURLToPath(new URL('./load-generator.ts', import.meta.url));

/** `options` go to the generator as `<folder>/load.json`; the answer is its last stdout line, parsed. */
export function runLoad<Result>(folder: string, options: object): Promise<Result> {
  const file = path.join(folder, 'load.json');
  writeFileSync(file, JSON.stringify(options));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', loadGenerator, file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (status) => {
      if (status !== 0) return reject(new Error(`load generator exited with ${status}`));
      resolve(JSON.parse(output.trim().split('\n').at(-1) as string) as Result);
    });
  });
}
