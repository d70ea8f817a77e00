// Writes web/src/api/schema.d.ts, the web app's API types, from the server's OpenAPI document
// (built from an app on an in-memory database; no server is started). Run after changing a route's
// schema: `npm run api:types`. An integration test fails while the committed file is not current.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { generateOpenApiDocument, type OpenApiDocument } from '../src/http/openapi-document.ts';

export const apiTypesFile = fileURLToPath(new URL('../web/src/api/schema.d.ts', import.meta.url));

const header = `// generated — do not edit. The server's OpenAPI document as types; regenerate with \`npm run api:types\`.

`;

/** The TypeScript source of the API types for a (stably ordered) OpenAPI document. */
export async function apiTypesSource(document: OpenApiDocument): Promise<string> {
  const ast = await openapiTS(document as unknown as OpenAPI3, { alphabetize: true, silent: true });
  return header + astToString(ast);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const source = await apiTypesSource(await generateOpenApiDocument());
  writeFileSync(apiTypesFile, source);
  console.log(`${apiTypesFile}: ${source.split('\n').length} lines`);
}
