import type { Config } from '../config.ts';
import type { DatabaseHandle } from '../db/client.ts';

/** What every service needs from the running server; built once at startup and passed down. */
export type AppContext = {
  config: Config;
  database: DatabaseHandle;
  secretKeyHex: string;
};
