import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach } from 'vitest';

export const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));
export const screenshotFolder = path.join(repositoryRoot, 'screenshots');
export const demoPassword = 'Demo-Pass-2026!';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export type RunningServer = { baseUrl: string; stop: () => Promise<void>; output: () => string };

/**
 * Starts `ezhen serve` on a fresh data folder; the server migrates and seeds the demo on first start.
 * `fixtureLedger` first seeds the demo and writes that ledger file's records for the e-town (see
 * src/test/seed-fixture-ledger.ts): test data no import by a person could write.
 */
export async function startServer(
  options: { fixtureLedger?: { file: string; etownCode: string } } = {},
): Promise<RunningServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'ezhen-e2e-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let log = '';
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    EZHEN_DATA_DIR: dataDir,
    EZHEN_DEMO_PASSWORD: demoPassword,
    EZHEN_LOG_LEVEL: 'warn',
  };
  if (options.fixtureLedger) {
    const { file, etownCode } = options.fixtureLedger;
    const seeded = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/test/seed-fixture-ledger.ts', file, etownCode],
      { cwd: repositoryRoot, env, encoding: 'utf8' },
    );
    if (seeded.status !== 0) throw new Error(`fixture ledger not seeded:\n${seeded.stderr}`);
  }
  const child: ChildProcess = spawn(process.execPath, ['bin/ezhen.js', 'serve'], {
    cwd: repositoryRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`ezhen serve exited with ${child.exitCode} before it was ready:\n${log}`);
    }
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.ok) return { baseUrl, stop, output: () => log };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  await stop();
  throw new Error(`ezhen serve did not answer /api/health within 180 s:\n${log}`);
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A browser page that fails loudly on uncaught page errors, pinned to Beijing time and Chinese. */
export async function newPage(browser: Browser, baseUrl: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(screenshotFolder, { recursive: true });
  const file = path.join(screenshotFolder, `${name}.png`);
  // Let requests settle and antd's fade-ins finish, and scroll up so the sticky header sits at the top.
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(400);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Signs in through the login form, as a person would. */
export async function loginThroughUi(page: Page, username: string, password = demoPassword): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('app-header').waitFor();
}

/**
 * Picks an option of an antd Select (or, with `option: '.ant-select-tree-node-content-wrapper'`, a
 * TreeSelect node) and waits until the select shows it. On a loaded machine a click can land while the
 * dropdown is still animating in and be lost; this retries instead of failing later. `search` is typed
 * after opening, for searchable selects.
 */
export async function chooseOption(
  page: Page,
  select: Locator,
  text: string,
  options: { option?: string; search?: string } = {},
): Promise<void> {
  const optionSelector = `${options.option ?? '.ant-select-item-option'}:visible`;
  const visibleOptions = page.locator(optionSelector);
  for (let attempt = 0; attempt < 4; attempt += 1) {
    if (!(await visibleOptions.first().isVisible())) {
      await select.click();
      if (options.search) await page.keyboard.type(options.search);
    }
    await visibleOptions.filter({ hasText: text }).first().click();
    for (let wait = 0; wait < 20; wait += 1) {
      if ((await select.textContent())?.includes(text)) {
        // A tree or multiple select stays open after a choice; close it so it covers nothing.
        if (await visibleOptions.first().isVisible()) await page.keyboard.press('Escape');
        return;
      }
      await page.waitForTimeout(100);
    }
  }
  throw new Error(`could not choose "${text}" in the select`);
}

export type BrowserSession = {
  /** The server, the browser, the current page and that page's uncaught errors, once `beforeAll` has run. */
  server: RunningServer;
  browser: Browser;
  page: Page;
  pageErrors: string[];
  /** Closes the current page's browser context, if any, and opens a fresh one (nobody signed in) as the current page. */
  openPage: () => Promise<Page>;
  /** Signs the current page out, if someone is signed in, and in again as `username` through the form. */
  switchUser: (username: string) => Promise<void>;
};

/**
 * The set-up every browser test file shares, registered on the enclosing `describe`: a fresh server and
 * browser before the tests (and a first page unless `openPage: false`), a screenshot of the current page
 * when a test fails (`<screenshotPrefix>-<test name>.png`), and both stopped afterwards.
 */
export function browserSession(
  options: {
    fixtureLedger?: { file: string; etownCode: string };
    screenshotPrefix?: string;
    openPage?: boolean;
  } = {},
): BrowserSession {
  const session = { pageErrors: [] as string[] } as BrowserSession;
  session.openPage = async () => {
    if (session.page) await session.page.context().close();
    ({ page: session.page, errors: session.pageErrors } = await newPage(
      session.browser,
      session.server.baseUrl,
    ));
    return session.page;
  };
  session.switchUser = async (username) => {
    if (await session.page.getByTestId('logout').isVisible()) {
      await session.page.getByTestId('logout').click();
      await session.page.waitForURL(/\/login/);
    }
    await loginThroughUi(session.page, username);
  };

  beforeAll(async () => {
    session.server = await startServer({ fixtureLedger: options.fixtureLedger });
    session.browser = await launchBrowser();
    if (options.openPage ?? true) await session.openPage();
  });

  beforeEach(({ onTestFailed, task }) => {
    onTestFailed(async () => {
      const { page } = session;
      if (page && !page.isClosed()) {
        await screenshot(page, `${options.screenshotPrefix ?? 'failed'}-${task.name.slice(0, 40)}`);
      }
    });
  });

  afterAll(async () => {
    await session.browser?.close();
    await session.server?.stop();
  });
  return session;
}
