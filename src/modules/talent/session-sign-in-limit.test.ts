import { afterEach, describe, expect, it, vi } from 'vitest';
import { signInFailureCounter } from './session-sign-in.routes.ts';

describe('refused sign-in attempts per address and code', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('blocks past the limit, per key, and lets the address try again once the window has passed', () => {
    vi.useFakeTimers();
    const counter = signInFailureCounter(3, 60_000);
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(counter.blocked('10.0.0.1 CODE')).toBe(false);
      counter.fail('10.0.0.1 CODE');
    }
    expect(counter.blocked('10.0.0.1 CODE')).toBe(true);
    expect(counter.blocked('10.0.0.2 CODE')).toBe(false);
    expect(counter.blocked('10.0.0.1 OTHER')).toBe(false);
    vi.advanceTimersByTime(60_001);
    expect(counter.blocked('10.0.0.1 CODE')).toBe(false);
  });
});
