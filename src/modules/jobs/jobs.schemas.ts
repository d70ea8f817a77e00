import { z } from 'zod';
import { jobStatuses } from '../../db/schema/jobs.ts';

/**
 * A background job as the API answers it. Each kind's work writes its own summary: described here per
 * kind, so the OpenAPI document and the web's generated types know every shape. Fields a kind added
 * later are optional, for summaries stored before.
 */

/** A problem in an uploaded ledger: sheet / row / column for XLSX (empty sheet otherwise), the field path for JSON. */
const ledgerProblemSchema = z.object({
  sheet: z.string(),
  row: z.number().int().nullable(),
  column: z.string().nullable(),
  path: z.string(),
  code: z.string(),
  message: z.string(),
});

/** A change a ledger file asked for in records another role reviews, refused by the import. */
const ledgerRefusedItemSchema = z.object({
  list: z.enum(['etown', 'documents', 'entities', 'monthlyStats', 'complianceIncidents']),
  /** The row in the file (`entities[3]`), empty for a platform record the file leaves out. */
  path: z.string(),
  action: z.enum(['add', 'change', 'remove']),
  item: z.string(),
  reason: z.string(),
});

const ledgerImportedSummarySchema = z.object({
  etownCode: z.string(),
  year: z.number().int(),
  /** Rows of each list in the file. */
  counts: z.record(z.string(), z.number().int()),
  refusedCount: z.number().int().optional(),
  /** The first 200 refused changes. */
  refused: z.array(ledgerRefusedItemSchema).optional(),
  keptEntities: z.array(z.string()),
  keptBrands: z.array(z.string()).optional(),
  keptProducts: z.array(z.string()).optional(),
  keptInvestments: z.array(z.string()).optional(),
  keptFacilities: z.array(z.string()).optional(),
  warnings: z.array(ledgerProblemSchema),
});

/** Nothing imported: the file's problems (the first 200 of `problemCount`). */
const ledgerRejectedSummarySchema = z.object({
  problemCount: z.number().int(),
  problems: z.array(ledgerProblemSchema),
  warnings: z.array(ledgerProblemSchema),
});

/** A problem in an uploaded monthly statistics file, where a person finds it. */
const monthlyImportProblemSchema = z.object({
  /** Spreadsheet row, 1-based; null for the file as a whole. */
  row: z.number().int().nullable(),
  /** Column letter in the uploaded file; null for the whole row or file. */
  column: z.string().nullable(),
  field: z.string(),
  message: z.string(),
  code: z.string(),
});

const monthlyImportedSummarySchema = z.object({
  fileName: z.string(),
  rows: z.number().int(),
  inserted: z.number().int(),
  replaced: z.number().int(),
  months: z.array(z.string()),
  etownCount: z.number().int(),
  /** The first e-towns touched (all of them up to 100). */
  etowns: z.array(z.string()),
  warningCount: z.number().int(),
  /** The first 200 warnings, when there are any. */
  warnings: z.array(monthlyImportProblemSchema).optional(),
});

const monthlyRejectedSummarySchema = z.object({
  problemCount: z.number().int(),
  problems: z.array(monthlyImportProblemSchema),
  warningCount: z.number().int().optional(),
  warnings: z.array(monthlyImportProblemSchema).optional(),
});

const traineeImportedSummarySchema = z.object({
  fileName: z.string(),
  etownCode: z.string(),
  rows: z.number().int(),
  inserted: z.number().int(),
  /** Rows whose ID number already had a file: left as they were. */
  skipped: z.number().int(),
  warningCount: z.number().int(),
  /** The first 200 skipped rows. */
  warnings: z.array(monthlyImportProblemSchema).optional(),
});

const traceRunSummarySchema = z.object({
  runId: z.string(),
  runNumber: z.number().int(),
  batchId: z.string(),
  batchNumber: z.string(),
  productName: z.string(),
  firstSerial: z.number().int(),
  lastSerial: z.number().int(),
  count: z.number().int(),
});

const jobFields = {
  id: z.string(),
  title: z.string(),
  regionCode: z.string().nullable(),
  status: z.enum(jobStatuses),
  stage: z.string(),
  progress: z.object({ done: z.number().int(), total: z.number().int() }),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  file: z.object({ name: z.string(), mediaType: z.string(), sizeBytes: z.number().int() }).nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
};

/** The summary is null while a job runs (and for a job cut off before it wrote one). */
export const jobSchema = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('ledger.import'),
      summary: z.union([ledgerImportedSummarySchema, ledgerRejectedSummarySchema]).nullable(),
      ...jobFields,
    }),
    z.object({
      kind: z.literal('stats.monthly.import'),
      summary: z.union([monthlyImportedSummarySchema, monthlyRejectedSummarySchema]).nullable(),
      ...jobFields,
    }),
    z.object({
      kind: z.literal('talent.trainees.import'),
      summary: z.union([traineeImportedSummarySchema, monthlyRejectedSummarySchema]).nullable(),
      ...jobFields,
    }),
    z.object({
      kind: z.literal('trace.codes.generate'),
      summary: traceRunSummarySchema.nullable(),
      ...jobFields,
    }),
  ])
  .meta({ id: 'Job' });
export type JobView = z.output<typeof jobSchema>;
export type JobKind = JobView['kind'];
