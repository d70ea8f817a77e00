import { type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

/**
 * `column = any($1::text[])`: the values travel as one array parameter, where `inArray` makes one
 * parameter per value — for the thousand codes of a province-wide batch that is both a smaller statement
 * and far less work building it.
 */
export const anyOfText = (column: AnyPgColumn, values: readonly string[]): SQL =>
  sql`${column} = any(${sql.param([...values])}::text[])`;
