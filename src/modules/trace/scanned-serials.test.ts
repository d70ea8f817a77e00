import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppContext } from '../../http/context.ts';
import { ScannedSerials } from './scanned-serials.ts';
import { traceCodeSigner } from './trace-code.ts';

const signer = traceCodeSigner('0123456789abcdef0123456789abcdef');
const run = { runId: 'run-1', firstSerial: 101, count: 100 };
const codeOf = (serial: number) => signer.code({ runNumber: 7, serial });

/** A database answering each read with the next queued codes (or failing), recording what it was asked. */
function fakeDatabase(kind: 'postgres' | 'pglite' = 'postgres') {
  const answers: (string[] | Error)[] = [];
  const asked: unknown[][] = [];
  const query = async (_text: string, params: unknown[] = []) => {
    asked.push(params);
    const answer = answers.shift() ?? [];
    if (answer instanceof Error) throw answer;
    return [{ codes: answer.length > 0 ? answer.join(',') : null }];
  };
  return { answers, asked, context: { database: { kind, query } } as unknown as AppContext };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('scanned serials', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('knows nothing until the run is read, then which serials were scanned', async () => {
    const { answers, asked, context } = fakeDatabase();
    const serials = new ScannedSerials(context);
    answers.push([codeOf(105), codeOf(200)]);
    expect(serials.unscanned(run, 105)).toBeUndefined();
    await settle();
    expect(asked).toEqual([['run-1', 0]]);
    expect(serials.unscanned(run, 105)).toBe(false);
    expect(serials.unscanned(run, 200)).toBe(false);
    expect(serials.unscanned(run, 106)).toBe(true);
    serials.mark(run, 106);
    expect(serials.unscanned(run, 106)).toBe(false);
    // Outside the run: not this set's to answer.
    expect(serials.unscanned(run, 201)).toBeUndefined();
  });

  it('reads the scans other instances wrote since shortly before its last read', async () => {
    const { answers, asked, context } = fakeDatabase();
    const serials = new ScannedSerials(context);
    let now = 1_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    answers.push([]);
    serials.unscanned(run, 150);
    await settle();
    expect(serials.unscanned(run, 150)).toBe(true);
    now += 4_000;
    serials.unscanned(run, 150);
    await settle();
    expect(asked).toHaveLength(1);
    now += 1_000;
    answers.push([codeOf(150)]);
    // The refresh runs beside the answer: this one still uses the set as it was.
    expect(serials.unscanned(run, 150)).toBe(true);
    await settle();
    expect(asked[1]).toEqual(['run-1', 1_000_000 - 5_000]);
    expect(serials.unscanned(run, 150)).toBe(false);
  });

  it('reads a run once on PGlite, where no other instance writes scans', async () => {
    const { answers, asked, context } = fakeDatabase('pglite');
    const serials = new ScannedSerials(context);
    let now = 1_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    answers.push([codeOf(120)]);
    expect(serials.unscanned(run, 150)).toBeUndefined();
    await settle();
    now += 60_000;
    expect(serials.unscanned(run, 150)).toBe(true);
    expect(serials.unscanned(run, 120)).toBe(false);
    await settle();
    expect(asked).toEqual([['run-1', 0]]);
  });

  it('stops trusting a set it cannot refresh', async () => {
    const { answers, context } = fakeDatabase();
    const serials = new ScannedSerials(context);
    let now = 1_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    answers.push([]);
    serials.unscanned(run, 150);
    await settle();
    for (let step = 0; step < 5; step += 1) {
      now += 5_000;
      answers.push(new Error('database down'));
      expect(serials.unscanned(run, 150)).toBe(true);
      await settle();
    }
    now += 5_000;
    answers.push(new Error('database down'));
    expect(serials.unscanned(run, 150)).toBeUndefined();
  });
});
