import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFolderStorage, sha256Hex } from './file-storage.ts';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('content-addressed evidence folder', () => {
  it('stores bytes under their SHA-256 once and reads them back', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'ezhen-storage-test-'));
    folders.push(root);
    const storage = createFolderStorage(root);
    const bytes = Buffer.from('%PDF-1.7 evidence');
    const first = await storage.put(bytes);
    const second = await storage.put(Buffer.from(bytes));
    expect(first.sha256).toBe(sha256Hex(bytes));
    expect(second).toEqual(first);
    expect((await storage.get(first.sha256)).equals(bytes)).toBe(true);
    const leaf = path.join(root, first.sha256.slice(0, 2), first.sha256.slice(2, 4));
    expect(readdirSync(leaf)).toEqual([first.sha256]);
  });

  it('refuses an address that is not a SHA-256', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'ezhen-storage-test-'));
    folders.push(root);
    await expect(createFolderStorage(root).get('../../etc/passwd')).rejects.toThrow(
      'invalid content address',
    );
  });
});
