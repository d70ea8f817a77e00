import type { Config } from './config.ts';
import { migrateDatabase, openDatabase, STARTUP_LOCK, withAdvisoryLock } from './db/client.ts';
import { type DemoAccount, databaseHasUsers, ensureReferenceRegions, seedDemo } from './db/seed/seed.ts';
import type { AppContext } from './http/context.ts';
import { ensureDataFolderWritable } from './lib/data-folder.ts';
import { logger, setLogLevel } from './lib/logger.ts';
import { resolveSecretKey } from './lib/secret-key.ts';
import { sweepInterruptedJobs } from './modules/jobs/jobs.service.ts';
import { loadTraceMacKey } from './modules/system/key-rotation.ts';
import { verifySecretKey } from './modules/system/secret-key-check.ts';

/** Opens the configured database (PGlite in the data folder, or PostgreSQL) and builds the service context. */
export async function openContext(config: Config): Promise<AppContext> {
  setLogLevel(config.logLevel);
  ensureDataFolderWritable(config);
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    onConnectionError: (error) => logger.error({ err: error }, 'PostgreSQL 连接中断（将自动重连）'),
  });
  return { config, database, secretKeyHex: resolveSecretKey(config) };
}

/**
 * Migrations, the Shanxi region tree, and on an empty database the demo data. Servers starting together on
 * one PostgreSQL database take turns (an advisory lock), so only the first seeds an empty database.
 */
export function prepareDatabase(
  context: AppContext,
  options: { seedDemoWhenEmpty: boolean },
): Promise<{ demoAccounts: DemoAccount[] | null }> {
  return withAdvisoryLock(context.database, STARTUP_LOCK, () => prepareLocked(context, options));
}

async function prepareLocked(
  context: AppContext,
  options: { seedDemoWhenEmpty: boolean },
): Promise<{ demoAccounts: DemoAccount[] | null }> {
  await migrateDatabase(context.database);
  await verifySecretKey(context);
  await loadTraceMacKey(context);
  await ensureReferenceRegions(context);
  await sweepInterruptedJobs(context);
  if (options.seedDemoWhenEmpty && !(await databaseHasUsers(context))) {
    return { demoAccounts: await seedDemo(context, context.config) };
  }
  return { demoAccounts: null };
}

export function describeDemoAccounts(accounts: DemoAccount[], passwordsFromEnvironment: boolean): string {
  const lines = [
    '已写入演示数据（演示数据）。演示账号：',
    ...accounts.map(
      (account) =>
        `  ${account.username.padEnd(16)} ${passwordsFromEnvironment ? '(EZHEN_DEMO_PASSWORD)' : account.password}  ${account.displayName}`,
    ),
  ];
  if (!passwordsFromEnvironment) lines.push('以上随机密码只显示这一次；首次登录须修改密码。');
  return lines.join('\n');
}
