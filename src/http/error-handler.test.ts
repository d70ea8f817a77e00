import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerErrorHandling, storageFailure } from './error-handler.ts';

const errno = (code: string) => Object.assign(new Error(`${code}: /data/files/x`), { code });

describe('storage failures', () => {
  it('are recognised however deeply a driver wrapped them', () => {
    expect(storageFailure(errno('ENOSPC'))).toBe('disk_full');
    expect(storageFailure(new Error('query failed', { cause: { code: '53100' } }))).toBe('disk_full');
    expect(storageFailure(new Error('a', { cause: new Error('b', { cause: errno('EROFS') }) }))).toBe(
      'storage_read_only',
    );
    expect(storageFailure(errno('ECONNRESET'))).toBeNull();
  });

  it('answer 507 disk_full or 503 storage_read_only in Chinese, without the server path', async () => {
    const app = Fastify();
    registerErrorHandling(app);
    app.get('/full', () => {
      throw new Error('insert failed', { cause: errno('ENOSPC') });
    });
    app.get('/read-only', () => {
      throw errno('EROFS');
    });
    const full = await app.inject({ method: 'GET', url: '/full' });
    expect(full.statusCode).toBe(507);
    expect(full.json().error).toEqual({
      code: 'disk_full',
      message: '服务器磁盘空间已满，本次操作未保存。请联系系统管理员清理磁盘后重试',
    });
    const readOnly = await app.inject({ method: 'GET', url: '/read-only' });
    expect(readOnly.statusCode).toBe(503);
    expect(readOnly.json().error.code).toBe('storage_read_only');
    expect(readOnly.body).not.toContain('/data/files');
    await app.close();
  });
});
