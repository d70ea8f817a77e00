/** The one error type the server throws on purpose; the error handler turns it into `{ error: {...} }`. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what = '资源') => new AppError(404, 'not_found', `${what}不存在`);
export const forbidden = (message = '当前角色无权执行此操作') => new AppError(403, 'forbidden', message);
export const unauthenticated = () => new AppError(401, 'unauthenticated', '请先登录');
export const conflict = (code: string, message: string, details?: unknown) =>
  new AppError(409, code, message, details);
export const badRequest = (code: string, message: string, details?: unknown) =>
  new AppError(400, code, message, details);

export type FieldProblem = { path: string; message: string };

/** A 400 naming each bad field, for rules the request schema cannot express. */
export const invalidFields = (problems: FieldProblem[]) =>
  new AppError(400, 'validation_failed', problems.map((p) => `${p.path}: ${p.message}`).join('；'), problems);
