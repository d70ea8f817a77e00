import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Where uploaded and generated files live, addressed by their SHA-256; an S3-compatible store can implement it too. */
export type FileStorage = {
  put(bytes: Buffer): Promise<{ sha256: string }>;
  get(sha256: string): Promise<Buffer>;
};

export const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** `<root>/ab/cd/<sha256>`: the same content is stored once. */
export function createFolderStorage(root: string): FileStorage {
  mkdirSync(root, { recursive: true });
  const location = (sha256: string) => path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  return {
    async put(bytes) {
      const sha256 = sha256Hex(bytes);
      const target = location(sha256);
      const exists = await stat(target).then(
        () => true,
        () => false,
      );
      if (!exists) {
        await mkdir(path.dirname(target), { recursive: true });
        // Write beside, then rename: a reader never sees half a file.
        const partial = `${target}.${process.pid}.${Date.now()}.partial`;
        await writeFile(partial, bytes);
        await rename(partial, target);
      }
      return { sha256 };
    },
    async get(sha256) {
      if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('invalid content address');
      return readFile(location(sha256));
    },
  };
}

const storages = new Map<string, FileStorage>();

/** What the files are for: evaluation evidence, job results and error receipts, brand and product files, or project, facility, inspection and policy-document files. */
export type FileArea = 'evidence' | 'jobs' | 'brands' | 'projects';

/** The file store of one area of a data folder; an in-memory database (tests) gets a temporary folder. */
export function fileStorageFor(dataDir: string, area: FileArea): FileStorage {
  const key = `${area}|${dataDir}`;
  let storage = storages.get(key);
  if (!storage) {
    const root =
      dataDir === 'memory://'
        ? mkdtempSync(path.join(tmpdir(), `ezhen-${area}-`))
        : path.resolve(dataDir, 'files', area);
    storage = createFolderStorage(root);
    storages.set(key, storage);
  }
  return storage;
}
