import { getTableName, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

/**
 * A column named with its table. drizzle writes the fields of a select from one table without the table's name, and
 * that includes a correlated subquery among them: `(select sum(points) from credit_records where entity_id = id)`
 * then reads the subquery's own `id`. An outer column inside such a subquery must be written with this.
 */
export const qualified = (column: AnyPgColumn): SQL =>
  sql`${sql.identifier(getTableName(column.table))}.${sql.identifier(column.name)}`;
