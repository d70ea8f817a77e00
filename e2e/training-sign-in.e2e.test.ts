import { request } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { idNumberCheckCharacter } from '../src/lib/id-number.ts';
import { browserSession, demoPassword, loginThroughUi, screenshot } from './helpers.ts';

const ETOWN = '140827-E01';
const first17 = '14082719990305401';
const ID_NUMBER = `${first17}${idNumberCheckCharacter(first17)}`;
const NAME = '孙扫码';
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

describe('an e-town operator shows a session’s sign-in QR code and a trainee signs in on a phone', () => {
  const session = browserSession({ screenshotPrefix: 'sign-in' });
  let sessionId = '';
  let signInUrl = '';

  test('the session page opens a QR code for the public sign-in page', async () => {
    // The session and the trainee's file come through the API, as the other screens would make them.
    const api = await request.newContext({ baseURL: session.server.baseUrl });
    expect(
      (
        await api.post('/api/auth/login', { data: { username: 'etown.gaotao', password: demoPassword } })
      ).ok(),
    ).toBe(true);
    const demo = (await (await api.get(`/api/trainings/sessions?regionCode=${ETOWN}`)).json()).items[0];
    const created = await api.post('/api/trainings/sessions', {
      data: {
        etownCode: ETOWN,
        institutionEntityId: demo.institutionEntityId,
        heldOn: today,
        place: '皋陶e镇电商培训孵化中心',
        teacher: '周老师',
        topic: '农产品短视频拍摄',
        crossBorder: false,
        capacity: 40,
      },
    });
    expect(created.status()).toBe(201);
    sessionId = (await created.json()).id;
    const trainee = await api.post('/api/trainees', {
      data: {
        etownCode: ETOWN,
        villageName: '坡底村',
        name: NAME,
        gender: 'female',
        idNumber: ID_NUMBER,
        category: 'college_student',
      },
    });
    expect(trainee.status()).toBe(201);
    await api.dispose();

    await loginThroughUi(session.page, 'etown.gaotao');
    await session.page.goto(`/trainings/${sessionId}`);
    await session.page.getByTestId('sign-in-qr').click();
    await session.page.getByTestId('sign-in-qr-image').waitFor();
    signInUrl = (await session.page.locator('.ant-modal').getByText('/s/').textContent()) ?? '';
    const port = new URL(session.server.baseUrl).port;
    expect(signInUrl).toMatch(new RegExp(`^http://localhost:${port}/s/[0-9A-Z]{16}$`));
    await screenshot(session.page, 'sign-in-01-qr-code');
    expect(session.pageErrors).toEqual([]);
  });

  test('a 390 × 844 phone signs in once, never sees its ID number again, and a second time says 已签到', async () => {
    const phone = await session.browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await phone.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    const external: string[] = [];
    page.on('request', (sent) => {
      if (!sent.url().startsWith(signInUrl.slice(0, signInUrl.indexOf('/s/')))) external.push(sent.url());
    });
    expect((await page.goto(signInUrl))?.status()).toBe(200);
    await page.locator('h1').getByText('农产品短视频拍摄').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.getByLabel('姓名').fill(NAME);
    await page.getByLabel('身份证号').fill(ID_NUMBER);
    await screenshot(page, 'sign-in-02-phone-form');
    await page.getByRole('button', { name: '签到' }).click();
    await page.getByText(`签到成功：${NAME}`).waitFor();
    expect(await page.content()).not.toContain(first17);
    await screenshot(page, 'sign-in-03-phone-done');

    await page.goto(signInUrl);
    await page.getByLabel('姓名').fill(NAME);
    await page.getByLabel('身份证号').fill(ID_NUMBER);
    await page.getByRole('button', { name: '签到' }).click();
    await page.getByText(`已签到：${NAME}`).waitFor();
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
    await phone.close();

    await session.page.goto(`/trainings/${sessionId}`);
    await expect.poll(() => session.page.getByTestId('session-attendance').textContent()).toBe('1');
    expect(await session.page.getByTestId('attendance-table').textContent()).toContain('扫码签到');
  });
});
