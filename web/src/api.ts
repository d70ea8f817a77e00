/** The one way the web app talks to the server: JSON over fetch, errors as `ApiError` with the server's Chinese message. */

export type ApiErrorBody = { error: { code: string; message: string; details?: unknown } };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Codes that mean "the session cannot be used for business calls right now"; the session provider reacts to them. */
export type SessionProblem = 'unauthenticated' | 'password_change_required' | 'totp_enrollment_required';

type SessionListener = (problem: SessionProblem) => void;
type ActivityListener = () => void;

let sessionListener: SessionListener | null = null;
let activityListener: ActivityListener | null = null;

export function onSessionProblem(listener: SessionListener | null) {
  sessionListener = listener;
}

/** Called after every successful call, so the idle timer follows what the server sees. */
export function onApiActivity(listener: ActivityListener | null) {
  activityListener = listener;
}

type RequestOptions = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** A file sent as the raw request body (evidence uploads). */
  file?: Blob;
  query?: Record<string, string | number | undefined | null>;
  /** Login and the public pages handle 401 themselves. */
  skipSessionHandling?: boolean;
  /** Extra request headers, e.g. `Idempotency-Key` on money-moving writes. */
  headers?: Record<string, string>;
};

export const networkError = () => new ApiError(0, 'network_error', '无法连接服务器，请检查网络后重试');

/**
 * The `ApiError` for a failed answer (the server's error envelope, or a generic message), telling the
 * session provider when the session itself is the problem (unless the caller handles that).
 */
export function failedAnswerError(status: number, payload: unknown, handleSession: boolean): ApiError {
  const error = (payload as Partial<ApiErrorBody> | null)?.error;
  const code = error?.code ?? 'http_error';
  const message = error?.message ?? `服务器返回错误（${status}）`;
  if (handleSession) {
    if (status === 401 && code === 'unauthenticated') sessionListener?.('unauthenticated');
    if (status === 403 && (code === 'password_change_required' || code === 'totp_enrollment_required')) {
      sessionListener?.(code);
    }
  }
  return new ApiError(status, code, message, error?.details);
}

export function reportApiActivity() {
  activityListener?.();
}

/** Query parameters as the server expects them: empty values (undefined, null, '') left out. */
export function queryString(query?: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  return params.toString();
}

function buildUrl(path: string, query?: RequestOptions['query']): string {
  const text = queryString(query);
  return text ? `/api${path}?${text}` : `/api${path}`;
}

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  // Fastify rejects an empty body declared as JSON, so the header goes only with a body.
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.file) headers['Content-Type'] = 'application/octet-stream';
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method: options.method ?? 'GET',
      credentials: 'same-origin',
      headers,
      body: options.file ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
  } catch {
    throw networkError();
  }
  const text = await response.text();
  let payload: unknown = null;
  if (text) {
    try {
      payload = JSON.parse(text);
    } catch {
      payload = null;
    }
  }
  if (!response.ok) throw failedAnswerError(response.status, payload, !options.skipSessionHandling);
  reportApiActivity();
  return payload as T;
}

export const api = {
  get: <T>(path: string, query?: RequestOptions['query']) => apiRequest<T>(path, { query }),
  post: <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: 'POST', body }),
  put: <T>(path: string, body: unknown) => apiRequest<T>(path, { method: 'PUT', body }),
  patch: <T>(path: string, body: unknown) => apiRequest<T>(path, { method: 'PATCH', body }),
  upload: <T>(path: string, file: Blob, query?: RequestOptions['query']) =>
    apiRequest<T>(path, { method: 'POST', file, query }),
  delete: <T>(path: string) => apiRequest<T>(path, { method: 'DELETE' }),
};

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return '操作失败，请稍后重试';
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}
