import type { Config } from '../config.ts';
import { demoScanUrl } from '../db/seed/demo-traceability.ts';
import { buildApp } from '../http/app.ts';
import { purgeExpiredSessions } from '../modules/accounts/session.service.ts';
import { ANCHOR_CHECK_INTERVAL_MS, anchorAuditChain } from '../modules/audit/audit-anchor.service.ts';
import { describeDemoAccounts, openContext, prepareDatabase } from '../runtime.ts';

/** Runs the server until SIGINT/SIGTERM, then closes connections and the database cleanly. */
export async function serve(config: Config): Promise<void> {
  const context = await openContext(config);
  const { demoAccounts } = await prepareDatabase(context, { seedDemoWhenEmpty: true });
  if (demoAccounts) {
    console.log(describeDemoAccounts(demoAccounts, !!config.demoPassword));
    const scanUrl = await demoScanUrl(context);
    if (scanUrl) console.log(`演示扫码页（垣曲猴头菇礼盒，演示数据）：${scanUrl}`);
  }
  const app = await buildApp(context, { logger: true });
  const purge = setInterval(() => {
    purgeExpiredSessions(context).catch((error) => app.log.warn({ err: error }, 'session purge failed'));
  }, 10 * 60_000);
  purge.unref();
  // The audit chain is anchored once a day (checked hourly), and at shutdown (ADR 013).
  const anchorDaily = () =>
    anchorAuditChain(context, { oncePerDay: true }).catch((error) =>
      app.log.error({ err: error }, 'audit chain anchor failed'),
    );
  await anchorDaily();
  const anchorTimer = setInterval(() => void anchorDaily(), ANCHOR_CHECK_INTERVAL_MS);
  anchorTimer.unref();
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info(`${signal} received, shutting down`);
    clearInterval(purge);
    clearInterval(anchorTimer);
    await app.close();
    await anchorAuditChain(context).catch((error) =>
      app.log.error({ err: error }, 'audit chain anchor at shutdown failed'),
    );
    await context.database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(
    `EZhen e镇通 已启动：http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}（数据库：${context.database.kind}）`,
  );
}
