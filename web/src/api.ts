/**
 * What the typed client (./api/client.ts) shares with the rest of the app: `ApiError` with the server's Chinese
 * message, the session and activity listeners, and the query-string rule the server expects.
 */

import type { components } from './api/schema.d.ts';

export type ApiErrorBody = components['schemas']['ErrorBody'];

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

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return '操作失败，请稍后重试';
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}
