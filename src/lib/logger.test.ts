import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loggableUrl, logRedaction } from './logger.ts';

describe('what reaches the log', () => {
  it('hides an invitation token in a request path', () => {
    expect(loggableUrl('/api/invitations/4f9c0a1b2c/accept')).toBe('/api/invitations/[已隐去]/accept');
    expect(loggableUrl('/api/invitations/4f9c0a1b2c?x=1')).toBe('/api/invitations/[已隐去]?x=1');
    expect(loggableUrl('/api/entities/abc')).toBe('/api/entities/abc');
  });

  it('hides passwords, tokens and phones in logged objects', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    pino({ redact: logRedaction }, sink).info({ body: { password: 'p', token: 't', phone: '138' } }, 'x');
    expect(lines.join('')).not.toMatch(/"p"|"t"|"138"/);
  });
});
