import { buildWebIfStale } from '../scripts/build.js';

/**
 * Builds the web app when web/dist is missing or older than its sources, so the server serves what is tested.
 * The web imports some of the server's pure code (indicator catalog, exact money, fund ceilings), so src/
 * counts as a source too.
 */
export function setup() {
  buildWebIfStale();
}
