import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, onApiActivity, onSessionProblem } from '../api.ts';
import { createApiClient, inSubmission, unwrap } from './client.ts';

const origin = 'http://ezhen.test';

function answerWith(status: number, body: unknown) {
  const fetchMock = vi.fn(async (_request: Request) =>
    Response.json(body, { status, headers: { 'Content-Length': String(JSON.stringify(body).length) } }),
  );
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

describe('the typed API client', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    onSessionProblem(null);
    onApiActivity(null);
  });

  it('calls the /api path with the session cookie, JSON accepted and empty query values left out', async () => {
    const fetchMock = answerWith(200, { total: 0, items: [] });
    const activity = vi.fn();
    onApiActivity(activity);
    const page = await unwrap(
      createApiClient(true, origin).GET('/api/audit', {
        params: { query: { username: 'li.si', action: '', page: 2 } },
      }),
    );
    expect(page).toEqual({ total: 0, items: [] });
    const request = fetchMock.mock.calls[0]?.[0] as Request;
    expect(request.url).toBe(`${origin}/api/audit?username=li.si&page=2`);
    expect(request.credentials).toBe('same-origin');
    expect(request.headers.get('Accept')).toBe('application/json');
    expect(request.headers.get('Content-Type')).toBeNull();
    expect(activity).toHaveBeenCalledOnce();
  });

  it("rejects a failed answer with ApiError carrying the server's code, message and details", async () => {
    answerWith(423, { error: { code: 'account_locked', message: '账号已锁定', details: { minutes: 30 } } });
    const failure = await unwrap(
      createApiClient(false, origin).POST('/api/auth/login', { body: { username: 'a', password: 'b' } }),
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 423, code: 'account_locked', message: '账号已锁定' });
    expect((failure as ApiError).details).toEqual({ minutes: 30 });
  });

  it('tells the session provider about a lost session, unless the caller handles it itself', async () => {
    const problems: string[] = [];
    onSessionProblem((problem) => problems.push(problem));
    answerWith(401, { error: { code: 'unauthenticated', message: '请先登录' } });
    await expect(unwrap(createApiClient(true, origin).GET('/api/users'))).rejects.toThrow('请先登录');
    await expect(unwrap(createApiClient(false, origin).GET('/api/me'))).rejects.toThrow('请先登录');
    answerWith(403, { error: { code: 'password_change_required', message: '请先修改密码' } });
    await expect(unwrap(createApiClient(true, origin).GET('/api/jobs'))).rejects.toThrow('请先修改密码');
    expect(problems).toEqual(['unauthenticated', 'password_change_required']);
  });

  it('turns an unreachable server and a non-JSON failure into Chinese messages', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('fetch failed');
      }),
    );
    await expect(unwrap(createApiClient(true, origin).GET('/api/users'))).rejects.toMatchObject({
      status: 0,
      code: 'network_error',
      message: '无法连接服务器，请检查网络后重试',
    });
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('Bad Gateway', { status: 502 })),
    );
    await expect(unwrap(createApiClient(true, origin).GET('/api/users'))).rejects.toMatchObject({
      status: 502,
      code: 'http_error',
      message: '服务器返回错误（502）',
    });
  });

  it('gives every POST an Idempotency-Key, the same ones again when a submission is retried', async () => {
    const fetchMock = answerWith(201, { id: 'd1' });
    const client = createApiClient(true, origin);
    const post = () =>
      client.POST('/api/policy-documents', {
        body: { etownCode: '140827-E01', kind: 'plan', title: '规划', issuedOn: '2026-03-01' },
      });
    const keyOf = (call: number) =>
      (fetchMock.mock.calls[call] as [Request])[0].headers.get('Idempotency-Key');
    await post();
    await post();
    expect(keyOf(0)).toMatch(/^[0-9a-f]{32}$/);
    expect(keyOf(1)).not.toBe(keyOf(0));

    await inSubmission('submission-a', async () => {
      await post();
      await post();
    });
    await inSubmission('submission-a', () => post());
    expect([keyOf(2), keyOf(3), keyOf(4)]).toEqual(['submission-a-0', 'submission-a-1', 'submission-a-0']);

    await client.GET('/api/audit', { params: { query: {} } });
    expect(keyOf(5)).toBeNull();
  });
});
