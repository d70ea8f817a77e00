// @ts-check
// What `npm start` (scripts/start.js) builds before serving, each only when it is missing or older than its
// sources, so a start on an unchanged checkout begins at once: the web app (web/dist, by vite) and the
// server's TypeScript compiled into one ES module (.cache/server/ezhen.mjs, by the esbuild that tsx
// installs). bin/ezhen.js runs that module while it is current, and the TypeScript through tsx otherwise.
// `npm run build` always builds the web app. Plain JavaScript, so that checking costs no TypeScript loader
// at each start.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** @param {string} location @returns {number} the newest modification time in a file or folder tree */
function newestChange(location) {
  if (!existsSync(location)) return 0;
  const stat = statSync(location);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(location))
    newest = Math.max(newest, newestChange(path.join(location, entry)));
  return newest;
}

/** @param {string} built @param {string[]} sources @returns {boolean} whether `built` is at least as new as every source */
function isCurrent(built, sources) {
  if (!existsSync(built)) return false;
  return statSync(built).mtimeMs >= Math.max(...sources.map(newestChange));
}

/**
 * What the built app depends on: the web sources, the server's pure code the web imports (indicator
 * catalog, exact money, fund ceilings), the build configuration and the installed libraries' versions.
 * @param {string} [base]
 * @returns {string[]}
 */
export function webSources(base = root) {
  return ['web/src', 'web/index.html', 'web/vite.config.ts', 'src', 'package-lock.json'].map((item) =>
    path.join(base, item),
  );
}

/** @param {string} [base] @returns {boolean} whether web/dist holds a build at least as new as every source */
export function webBuildIsCurrent(base = root) {
  return isCurrent(path.join(base, 'web', 'dist', 'index.html'), webSources(base));
}

/**
 * Builds web/dist with vite in production mode (vitest's NODE_ENV=test would bundle development React).
 * @param {string} [base]
 */
export function buildWeb(base = root) {
  const result = spawnSync(
    process.execPath,
    [path.join(base, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts'],
    { cwd: base, env: { ...process.env, NODE_ENV: 'production' }, stdio: 'inherit' },
  );
  if (result.status !== 0) throw new Error(`网页构建失败（vite build 退出码 ${result.status}）`);
}

/** @param {string} [base] @returns {boolean} whether it built */
export function buildWebIfStale(base = root) {
  if (webBuildIsCurrent(base)) return false;
  buildWeb(base);
  return true;
}

/** @param {string} [base] @returns {string} the compiled server: src/cli/main.ts and all it imports, packages left out */
export function serverBuildFile(base = root) {
  return path.join(base, '.cache', 'server', 'ezhen.mjs');
}

/**
 * What the compiled server depends on: the server's code (and the JSON data it imports), the compiler
 * settings, the installed libraries' versions (esbuild's among them) and this recipe.
 * @param {string} [base]
 * @returns {string[]}
 */
export function serverSources(base = root) {
  return ['src', 'tsconfig.json', 'package-lock.json', 'scripts/build.js'].map((item) =>
    path.join(base, item),
  );
}

/** @param {string} [base] @returns {boolean} whether the compiled server is at least as new as every source */
export function serverBuildIsCurrent(base = root) {
  return isCurrent(serverBuildFile(base), serverSources(base));
}

/**
 * Pure-JavaScript ES-module packages compiled into the server module rather than loaded from node_modules:
 * Node reads an ES module's files one at a time, each a round trip through its I/O threads (drizzle-orm and
 * zod were over 300 of the files a start read, measured with strace). fastify-type-provider-zod goes with
 * zod, so that both use one copy of it; @turf/area comes with the two packages it imports.
 */
export const inlinedPackages = [
  'drizzle-orm',
  'zod',
  'fastify-type-provider-zod',
  'otpauth',
  '@turf/area',
  '@turf/meta',
  '@turf/helpers',
];

/** @param {string} specifier @returns {string} the package an import names (`@scope/name` or `name`) */
function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** @type {import('esbuild').Plugin} every package left to node_modules but those of `inlinedPackages` */
const externalPackages = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      inlinedPackages.includes(packageOf(args.path)) ? undefined : { path: args.path, external: true },
    );
  },
};

/**
 * Compiles the server with esbuild into ES modules (with source maps to the TypeScript): ezhen.mjs and the
 * chunks it imports on demand, leaving every package but `inlinedPackages` to node_modules. A file's
 * `import.meta.url` becomes its own address again (the code finds package.json, drizzle/, web/dist and the
 * XLSX worker beside it). Written beside and then renamed, so a process starting meanwhile reads the old
 * module or the new one, never half of one.
 * @param {string} [base]
 */
export async function buildServer(base = root) {
  // esbuild comes with tsx (a dependency): take the copy tsx itself uses.
  const requireFromTsx = createRequire(createRequire(path.join(base, 'package.json')).resolve('tsx'));
  /** @type {typeof import('esbuild')} */
  const esbuild = await import(pathToFileURL(requireFromTsx.resolve('esbuild')).href);
  const outfile = serverBuildFile(base);
  const outDir = path.dirname(outfile);
  /** @type {import('esbuild').Plugin} */
  const ownUrl = {
    name: 'own-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        const relative = path.relative(outDir, args.path).split(path.sep).join('/');
        const own = `new URL(${JSON.stringify(relative)}, import.meta.url).href`;
        return { contents: text.replaceAll('import.meta.url', own), loader: 'ts' };
      });
    },
  };
  const result = await esbuild.build({
    absWorkingDir: base,
    entryPoints: { ezhen: path.join(base, 'src', 'cli', 'main.ts') },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // What the code imports dynamically goes to chunks of its own and stays unloaded until used: above all
    // the drizzle driver of the database not in use, with its package (pg on PGlite, PGlite on PostgreSQL).
    splitting: true,
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    write: false,
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
    plugins: [ownUrl, externalPackages],
  });
  mkdirSync(outDir, { recursive: true });
  // The maps first (the modules name them), then the chunks, the module that imports them last. Chunks are
  // named by their content and earlier ones are left: a server still running an older build may load its own.
  const files = [...result.outputFiles];
  const ordered = [
    ...files.filter((file) => file.path.endsWith('.map')),
    ...files.filter((file) => !file.path.endsWith('.map') && file.path !== outfile),
    ...files.filter((file) => file.path === outfile),
  ];
  for (const file of ordered) {
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
}

/** @param {string} [base] @returns {Promise<boolean>} whether it built */
export async function buildServerIfStale(base = root) {
  if (serverBuildIsCurrent(base)) return false;
  await buildServer(base);
  return true;
}

/** Builds what is stale, saying what it did. @param {string} [base] */
export async function buildStale(base = root) {
  if (!buildWebIfStale(base)) console.log('网页已是最新构建（web/dist），跳过构建');
  if (await buildServerIfStale(base)) console.log('已编译服务端代码（.cache/server）');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildStale();
