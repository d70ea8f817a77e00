import { readFileSync } from 'node:fs';
import { z } from 'zod';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, '必须以 postgres:// 或 postgresql:// 开头')
      .optional(),
  ),
  EZHEN_DATA_DIR: z.string().trim().min(1).default('./data'),
  EZHEN_DEMO_PASSWORD: optionalString,
  EZHEN_SECRET_KEY: optionalString.pipe(
    z
      .string()
      .regex(/^[0-9a-fA-F]{32}$/, '必须是 32 位十六进制（SM4 128 位密钥）')
      .optional(),
  ),
  EZHEN_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  EZHEN_SECURE_COOKIES: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  EZHEN_API_DOCS: z.enum(['public', 'off'], '必须是 public 或 off').default('public'),
  EZHEN_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  EZHEN_PUBLIC_URL: optionalString.pipe(
    z
      .string()
      .regex(/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/, '必须是 http:// 或 https:// 开头的网址，不含查询参数')
      .optional(),
  ),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  demoPassword: string | undefined;
  secretKeyHex: string | undefined;
  sessionIdleMinutes: number;
  secureCookies: boolean;
  logLevel: z.infer<typeof environmentSchema>['EZHEN_LOG_LEVEL'];
  /** Whether /docs and /openapi.json are served (to anyone: they describe the API, not its data). */
  apiDocs: 'public' | 'off';
  /** Where the public reaches this server (trace-code URLs, QR codes), without a trailing slash. */
  publicUrl: string;
  version: string;
};

export class ConfigError extends Error {}

/** Parses the environment once; a bad value stops startup with a message naming the variable. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`配置错误 (configuration error):\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  return {
    port: env.PORT,
    host: env.HOST,
    databaseUrl: env.DATABASE_URL,
    dataDir: env.EZHEN_DATA_DIR,
    demoPassword: env.EZHEN_DEMO_PASSWORD,
    secretKeyHex: env.EZHEN_SECRET_KEY,
    sessionIdleMinutes: env.EZHEN_SESSION_IDLE_MINUTES,
    secureCookies: env.EZHEN_SECURE_COOKIES,
    logLevel: env.EZHEN_LOG_LEVEL,
    apiDocs: env.EZHEN_API_DOCS,
    publicUrl: (env.EZHEN_PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    version: packageJson.version,
  };
}
