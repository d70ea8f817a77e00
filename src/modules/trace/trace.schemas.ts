import { z } from 'zod';
import { scanAnomalyKinds, scanAnomalyStatuses } from '../../db/schema/traceability.ts';
import { isoDateSchema, regionCodeSchema } from '../../http/schemas.ts';

export const generateRunSchema = z.object({
  count: z
    .number({ error: '请填写赋码数量' })
    .int('赋码数量须为整数')
    .min(1, '至少生成 1 个追溯码')
    .max(1_000_000, '一次最多生成 1000000 个追溯码'),
});

export const MAX_LABELS_PER_SHEET = 2_000;

export const labelRangeSchema = z.object({
  from: z.coerce.number().int('起始序号须为整数').min(1).optional(),
  to: z.coerce.number().int('结束序号须为整数').min(1).optional(),
});

export const traceRunSchema = z.object({
  id: z.string(),
  runNumber: z.number().int(),
  firstSerial: z.number().int(),
  lastSerial: z.number().int(),
  count: z.number().int(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  scannedCodes: z.number().int(),
  scans: z.number().int(),
  firstScanAt: z.string().nullable(),
  lastScanAt: z.string().nullable(),
});

export const dailyScansSchema = z.array(z.object({ day: z.string(), scans: z.number().int() }));

export const traceBatchSchema = z.object({
  batch: z.object({
    id: z.string(),
    batchNumber: z.string(),
    producedOn: z.string(),
    quantity: z.number().int(),
    unit: z.string(),
    originBase: z.string(),
    recalledAt: z.string().nullable(),
    recallReason: z.string().nullable(),
    productId: z.string(),
    productName: z.string(),
    etownCode: z.string(),
  }),
  runs: z.array(traceRunSchema),
  codes: z.object({ generated: z.number().int(), scanned: z.number().int(), scans: z.number().int() }),
  byDay: dailyScansSchema,
  recentFirstScans: z.array(
    z.object({
      code: z.string(),
      serial: z.number().int(),
      firstScannedAt: z.string(),
      scanCount: z.number().int(),
    }),
  ),
  sampleUrl: z.string().nullable(),
});
export type TraceBatchView = z.infer<typeof traceBatchSchema>;

export const analyticsQuerySchema = z.object({
  regionCode: regionCodeSchema.optional(),
  from: isoDateSchema.optional(),
  to: isoDateSchema.optional(),
});

const countsSchema = { codes: z.number().int(), scannedCodes: z.number().int(), scans: z.number().int() };

export const traceAnalyticsSchema = z.object({
  from: z.string().nullable(),
  to: z.string().nullable(),
  /** Codes generated and codes ever scanned (all time); scans within the period. */
  totals: z.object({ ...countsSchema, scanRate: z.number() }),
  byProduct: z.array(
    z.object({ productId: z.string(), productName: z.string(), etownName: z.string(), ...countsSchema }),
  ),
  byBatch: z.array(
    z.object({
      batchId: z.string(),
      batchNumber: z.string(),
      productName: z.string(),
      recalled: z.boolean(),
      ...countsSchema,
    }),
  ),
  byDay: dailyScansSchema,
  /** Where the scans came from: `null` region = 未知 (no IP-location database: never guessed). */
  byRegion: z.array(
    z.object({ regionCode: z.string().nullable(), regionName: z.string(), scans: z.number().int() }),
  ),
  byClient: z.array(z.object({ client: z.string(), scans: z.number().int() })),
});
export type TraceAnalytics = z.infer<typeof traceAnalyticsSchema>;

export const anomalyQuerySchema = z.object({
  status: z.enum(scanAnomalyStatuses).optional(),
});

export const scanAnomalySchema = z.object({
  id: z.string(),
  code: z.string(),
  url: z.string(),
  kind: z.enum(scanAnomalyKinds),
  scanCount: z.number().int(),
  detectedAt: z.string(),
  status: z.enum(scanAnomalyStatuses),
  reviewNote: z.string().nullable(),
  reviewedByName: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  serial: z.number().int().nullable(),
  batchId: z.string(),
  batchNumber: z.string(),
  productName: z.string(),
  etownName: z.string(),
  batchRecalled: z.boolean(),
});
export type ScanAnomalyView = z.infer<typeof scanAnomalySchema>;

export const reviewAnomalySchema = z.object({
  status: z.enum(['confirmed', 'dismissed'], { error: '处理结果须为“确认异常”或“排除”' }),
  note: z.string().trim().min(1, '请填写处理说明').max(500, '处理说明不超过 500 字'),
});
