import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Config, ConfigError } from '../config.ts';

/**
 * Start-up refuses a data folder it cannot write (read-only disk, wrong owner, a file in the way, a full
 * disk), naming the folder and the variable, instead of failing later on the first write with an error
 * that says neither.
 */
export function ensureDataFolderWritable(config: Config): void {
  if (config.dataDir.startsWith('memory://')) return;
  const folder = path.resolve(config.dataDir);
  const probe = path.join(folder, `.write-check-${process.pid}`);
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(probe, 'ezhen');
    rmSync(probe, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
    const why = code === 'ENOSPC' ? '磁盘空间已满' : code === 'EROFS' ? '所在磁盘为只读' : '无法创建或写入';
    throw new ConfigError(
      `配置错误 (configuration error):\n  EZHEN_DATA_DIR: 数据目录 ${folder} ${why}（${code}）。` +
        '请检查该目录的权限与磁盘空间，或用 EZHEN_DATA_DIR 指定一个可写的目录。',
    );
  }
}
