/**
 * Answers kept in this process beside the data version they were computed at (src/db/data-versions.ts):
 * an entry serves only a reader who read the same version, so every instance of the server answers from
 * the database's current data however many instances write. Readers of the same key and version share
 * one computation (fifty users opening the province's overview at nine o'clock start one evaluation).
 * The least recently used entries go first when the cache is full.
 */
export class VersionedCache<Value> {
  readonly #entries = new Map<string, { version: string; value: Promise<Value> }>();

  constructor(readonly maxEntries: number) {}

  get(key: string, version: string, compute: () => Promise<Value>): Promise<Value> {
    const entry = this.#entries.get(key);
    this.#entries.delete(key);
    if (entry && entry.version === version) {
      this.#entries.set(key, entry);
      return entry.value;
    }
    const value = compute();
    const fresh = { version, value };
    this.#entries.set(key, fresh);
    // A failed computation is not kept: the next reader tries again.
    value.catch(() => {
      if (this.#entries.get(key) === fresh) this.#entries.delete(key);
    });
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    return value;
  }

  /** The value kept for `key` at `version`, if any (no computation). */
  peek(key: string, version: string): Promise<Value> | undefined {
    const entry = this.#entries.get(key);
    return entry?.version === version ? entry.value : undefined;
  }

  clear(): void {
    this.#entries.clear();
  }
}
