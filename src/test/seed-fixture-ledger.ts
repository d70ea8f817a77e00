import { readFileSync } from 'node:fs';
import { loadConfig } from '../config.ts';
import { parseLedger } from '../indicators/ledger-schema.ts';
import { seedEtownLedger } from '../modules/indicators/ledger-import.ts';
import { openContext, prepareDatabase } from '../runtime.ts';

/**
 * Test data for a Playwright run: seeds the demo into the data folder of EZHEN_DATA_DIR and writes a
 * ledger file's records (registry, approved figures and all) for an e-town, as the demo seed does. A
 * person's import cannot do that (it never writes other roles' records), so tests that need a whole
 * year of figures prepare them here before the server starts.
 * Usage: node --import tsx src/test/seed-fixture-ledger.ts <ledger.json> <e-town code>
 */
const [file, etownCode] = process.argv.slice(2);
if (!file || !etownCode) throw new Error('usage: seed-fixture-ledger.ts <ledger.json> <e-town code>');
const parsed = parseLedger(JSON.parse(readFileSync(file, 'utf8')));
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems.slice(0, 3)));
const context = await openContext(loadConfig());
try {
  await prepareDatabase(context, { seedDemoWhenEmpty: true });
  await seedEtownLedger(context, { username: 'e2e.fixture', ip: 'local' }, parsed.ledger, etownCode);
} finally {
  await context.database.close();
}
