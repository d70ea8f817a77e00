import { pino } from 'pino';

/**
 * What never reaches a log line: session cookies, credentials, one-time codes and personal data. The
 * request logger and background work (jobs, scan recording, the database pool) share these rules.
 */
export const logRedaction = {
  paths: [
    'req.headers.cookie',
    'req.headers.authorization',
    'res.headers["set-cookie"]',
    '*.password',
    '*.newPassword',
    '*.currentPassword',
    '*.totpCode',
    '*.token',
    '*.phone',
    '*.contactPhone',
    '*.idNumber',
  ],
  censor: '[已隐去]',
};

/** Path segments that are secrets themselves: an invitation's token opens an account. */
const SECRET_PATH = /(\/invitations\/)[^/?#]+/g;

/** A request URL as it may be logged: secrets in the path hidden. */
export const loggableUrl = (url: string) => url.replace(SECRET_PATH, `$1${logRedaction.censor}`);

type LoggedRequest = {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  headers?: { host?: string };
  socket?: { remoteAddress?: string };
};

/** The process's one logger; `serve` and the CLI set its level from EZHEN_LOG_LEVEL at start-up. */
export const logger = pino({
  level: 'info',
  redact: logRedaction,
  serializers: {
    // Fastify's own request summary, with secrets in the path hidden.
    req: (request: LoggedRequest) => ({
      method: request.method,
      url: request.url === undefined ? undefined : loggableUrl(request.url),
      host: request.host ?? request.headers?.host,
      remoteAddress: request.ip ?? request.socket?.remoteAddress,
    }),
  },
});

export function setLogLevel(level: string): void {
  logger.level = level;
}
