import { loadConfig } from '../config.ts';
import { type DatabaseHandle, migrateDatabase, openDatabase } from '../db/client.ts';
import { createScratchDatabase } from '../db/scratch-database.ts';
import { ensureReferenceRegions, seedDemo } from '../db/seed/seed.ts';
import { type App, buildApp } from '../http/app.ts';
import type { AppContext } from '../http/context.ts';
import { totpFor } from '../modules/accounts/totp.ts';

export const DEMO_PASSWORD = 'Demo-Pass-2026!';

export type TestBackend = 'pglite' | 'postgres';

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set. */
export const testBackends: TestBackend[] = process.env.TEST_DATABASE_URL
  ? ['pglite', 'postgres']
  : ['pglite'];

export type TestContext = AppContext & { close: () => Promise<void> };

export type TestDatabaseOptions = {
  /** Called with the SQL of every statement sent (see src/http/query-count.int.test.ts). */
  onQuery?: (text: string) => void;
};

export async function createTestContext(
  backend: TestBackend = 'pglite',
  environment: Record<string, string> = {},
  options: TestDatabaseOptions = {},
): Promise<TestContext> {
  let database: DatabaseHandle;
  let drop = async () => {};
  if (backend === 'postgres') {
    const created = await createScratchDatabase(process.env.TEST_DATABASE_URL as string);
    database = await openDatabase({ databaseUrl: created.url, onQuery: options.onQuery });
    drop = created.drop;
  } else {
    database = await openDatabase({ dataDir: 'memory://', onQuery: options.onQuery });
  }
  await migrateDatabase(database);
  const config = loadConfig({
    EZHEN_DATA_DIR: 'memory://',
    EZHEN_DEMO_PASSWORD: DEMO_PASSWORD,
    ...environment,
  });
  return {
    config,
    database,
    secretKeyHex: '0123456789abcdef0123456789abcdef',
    close: async () => {
      await database.close();
      await drop();
    },
  };
}

/** A migrated database with the Shanxi regions and the demo seed, and the app built on it. */
export async function createSeededApp(
  backend: TestBackend = 'pglite',
  environment: Record<string, string> = {},
  options: TestDatabaseOptions = {},
): Promise<{ context: TestContext; app: App }> {
  const context = await createTestContext(backend, environment, options);
  await ensureReferenceRegions(context);
  await seedDemo(context, context.config);
  const app = await buildApp(context);
  await app.ready();
  return { context, app };
}

/** Logs in through the API and returns the session cookie header for later requests. */
export async function loginAs(app: App, username: string, password = DEMO_PASSWORD): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password },
  });
  if (response.statusCode !== 200) throw new Error(`login ${username} failed: ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'ezhen_session');
  if (!cookie) throw new Error('no session cookie');
  return `ezhen_session=${cookie.value}`;
}

/** Logs in and, for the admin roles that must have TOTP, enrols it; returns the cookie and TOTP secret. */
export async function loginReady(
  app: App,
  username: string,
): Promise<{ cookie: string; totpSecret?: string }> {
  const cookie = await loginAs(app, username);
  const me = (await app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })).json();
  if (!me.totpEnrollmentRequired) return { cookie };
  const setup = (
    await app.inject({ method: 'POST', url: '/api/auth/totp/setup', headers: { cookie } })
  ).json();
  const code = totpFor(username, setup.secret).generate();
  const enabled = await app.inject({
    method: 'POST',
    url: '/api/auth/totp/enable',
    headers: { cookie },
    payload: { code },
  });
  if (enabled.statusCode !== 200) throw new Error(`TOTP enrolment failed: ${enabled.body}`);
  return { cookie, totpSecret: setup.secret };
}

/** A valid code for the step after the current one: the current step was used up by the enrolment. */
export const nextTotpCode = (username: string, secret: string) =>
  totpFor(username, secret).generate({ timestamp: Date.now() + 30_000 });
