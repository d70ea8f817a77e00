/** Helpers the modules share to write their section of an e-town's ledger (ezhen-ledger/1). */

/** A ledger may hold thousands of monthly rows; inserts stay well under the bind-parameter limit. */
export async function insertInChunks<T>(rows: T[], insert: (rows: T[]) => Promise<unknown>) {
  for (let start = 0; start < rows.length; start += 1000) await insert(rows.slice(start, start + 1000));
}

/** The ledger's rows for one e-town, keeping the file's order as `sortOrder`. */
export const withLedgerOrder = <T>(rows: T[], etownCode: string) =>
  rows.map((row, sortOrder) => ({ ...row, etownCode, sortOrder }));
