import { loadConfig } from '../config.ts';
import { migrateDatabase, openDatabase } from '../db/client.ts';
import { buildApp } from './app.ts';

export type OpenApiDocument = {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
} & Record<string, unknown>;

const sortedByKey = <T>(record: Record<string, T>) =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** The document with paths and component schemas in name order, so what is generated from it is stable. */
export function stableDocument(document: OpenApiDocument): OpenApiDocument {
  const components = document.components ?? {};
  return {
    ...document,
    paths: sortedByKey(document.paths),
    components: { ...components, schemas: sortedByKey(components.schemas ?? {}) },
  };
}

/** The app's OpenAPI document, from an app built on an empty in-memory database; no server is started. */
export async function generateOpenApiDocument(): Promise<OpenApiDocument> {
  const database = await openDatabase({ dataDir: 'memory://' });
  try {
    await migrateDatabase(database);
    const config = loadConfig({ EZHEN_DATA_DIR: 'memory://' });
    const app = await buildApp({ config, database, secretKeyHex: '00'.repeat(16) });
    try {
      await app.ready();
      return stableDocument(app.swagger() as unknown as OpenApiDocument);
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
  }
}
