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

/** The process's one logger; `serve` and the CLI set its level from EZHEN_LOG_LEVEL at start-up. */
export const logger = pino({ level: 'info', redact: logRedaction });

export function setLogLevel(level: string): void {
  logger.level = level;
}
