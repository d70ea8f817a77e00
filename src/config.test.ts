import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const packageVersion = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

/** The message of the ConfigError that loadConfig throws for this environment. */
function configErrorMessage(environment: Record<string, string>): string {
  try {
    loadConfig(environment);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('loadConfig accepted a bad environment');
}

describe('loadConfig', () => {
  it('starts an embedded server on 127.0.0.1:3000 with ./data when nothing is configured', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      dataDir: './data',
      demoPassword: undefined,
      secretKeyHex: undefined,
      sessionIdleMinutes: 30,
      secureCookies: false,
      logLevel: 'info',
      apiDocs: 'public',
      publicUrl: 'http://localhost:3000',
      version: packageVersion,
    });
  });

  it('reads every variable it knows, and treats an empty DATABASE_URL as "use PGlite"', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgresql://ezhen@db:5432/ezhen',
      EZHEN_DATA_DIR: '/var/lib/ezhen',
      EZHEN_SECRET_KEY: '0123456789ABCDEF0123456789abcdef',
      EZHEN_SESSION_IDLE_MINUTES: '15',
      EZHEN_SECURE_COOKIES: 'true',
      EZHEN_LOG_LEVEL: 'warn',
      EZHEN_PUBLIC_URL: 'https://ez.example.cn/',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgresql://ezhen@db:5432/ezhen',
      dataDir: '/var/lib/ezhen',
      secretKeyHex: '0123456789ABCDEF0123456789abcdef',
      sessionIdleMinutes: 15,
      secureCookies: true,
      logLevel: 'warn',
      apiDocs: 'public',
      publicUrl: 'https://ez.example.cn',
    });
    expect(loadConfig({ DATABASE_URL: '  ' }).databaseUrl).toBeUndefined();
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(configErrorMessage({ EZHEN_PUBLIC_URL: 'ez.example.cn' })).toContain('EZHEN_PUBLIC_URL');
  });

  it('refuses a PORT that is not a port number, naming PORT and nothing else', () => {
    for (const port of ['abc', '0', '70000', '80.5']) {
      const message = configErrorMessage({ PORT: port });
      expect(message).toContain('PORT');
      expect(message).not.toContain('DATABASE_URL');
    }
  });

  it('refuses a DATABASE_URL that is not a PostgreSQL URL, naming DATABASE_URL', () => {
    const message = configErrorMessage({ DATABASE_URL: 'mysql://root@localhost/ezhen' });
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('postgres://');
    expect(message).not.toContain('PORT');
  });

  it('names every bad variable at once', () => {
    const message = configErrorMessage({
      PORT: 'abc',
      EZHEN_SECRET_KEY: 'short',
      EZHEN_SECURE_COOKIES: 'yes',
    });
    expect(message).toContain('PORT');
    expect(message).toContain('EZHEN_SECRET_KEY');
    expect(message).toContain('EZHEN_SECURE_COOKIES');
  });
});
