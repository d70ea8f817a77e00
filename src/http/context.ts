import type { Config } from '../config.ts';
import type { DatabaseHandle } from '../db/client.ts';

/** What every service needs from the running server; built once at startup and passed down. */
export type AppContext = {
  config: Config;
  database: DatabaseHandle;
  /** The SM4 key for data encrypted at rest. */
  secretKeyHex: string;
  /** The trace codes' MAC key when it was kept over a rotation of the SM4 key (see traceMacKeyOf). */
  traceMacKeyHex?: string;
};
