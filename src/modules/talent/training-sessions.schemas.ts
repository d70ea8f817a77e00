import { z } from 'zod';
import { attendanceSources } from '../../db/schema/talent.ts';
import {
  etownCodeSchema,
  isoDateSchema,
  pageQueryFields,
  recordVersionSchema,
  regionCodeSchema,
} from '../../http/schemas.ts';

const requiredText = (label: string, max: number) =>
  z.string(`请填写${label}`).trim().min(1, `请填写${label}`).max(max, `${label}最多 ${max} 个字`);

export const createSessionBodySchema = z.object({
  etownCode: etownCodeSchema,
  institutionEntityId: z.uuid('培训机构编号格式不正确'),
  heldOn: isoDateSchema,
  place: requiredText('培训地点', 100),
  teacher: requiredText('授课老师', 50),
  topic: requiredText('培训主题', 100),
  crossBorder: z.boolean('是否跨境电商培训须为 true 或 false').default(false),
  capacity: z
    .number('容纳人数须为数字')
    .int('容纳人数须为整数')
    .min(1, '容纳人数至少为 1')
    .max(10_000, '容纳人数最多 10000'),
});
export type CreateSessionInput = z.infer<typeof createSessionBodySchema>;

export const listSessionsQuerySchema = z.object({
  regionCode: regionCodeSchema.optional(),
  year: z.coerce.number().int('年份须为整数').min(2000).max(2100).optional(),
  ...pageQueryFields,
});
export type ListSessionsQuery = z.infer<typeof listSessionsQuerySchema>;

export const addAttendanceBodySchema = z.object({
  traineeIds: z
    .array(z.uuid('学员编号格式不正确'))
    .min(1, '请至少选择一名学员')
    .max(1000, '一次最多签到 1000 人'),
});

export const sessionSummarySchema = z.object({
  id: z.uuid(),
  etownCode: z.string(),
  etownName: z.string(),
  institutionEntityId: z.string(),
  institutionName: z.string(),
  heldOn: z.string(),
  place: z.string(),
  teacher: z.string(),
  topic: z.string(),
  crossBorder: z.boolean(),
  capacity: z.number().int(),
  /** 人次: counted from the attendance rows, one per trainee. */
  attendance: z.number().int(),
  version: recordVersionSchema,
});
export type SessionSummary = z.infer<typeof sessionSummarySchema>;

export const sessionListSchema = z.object({
  items: z.array(sessionSummarySchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const sessionDetailSchema = sessionSummarySchema.extend({
  attendees: z.array(
    z.object({
      traineeId: z.string(),
      name: z.string(),
      idNumberMasked: z.string(),
      villageName: z.string().nullable(),
      source: z.enum(attendanceSources),
      signedInAt: z.string(),
    }),
  ),
});
export type SessionDetail = z.infer<typeof sessionDetailSchema>;

export const attendanceChangeSchema = z.object({
  added: z.number().int(),
  alreadyPresent: z.number().int(),
  session: sessionDetailSchema,
});

export const signInCodeSchema = z.object({
  /** The public sign-in page's address (EZHEN_PUBLIC_URL + /s/<code>): shown once, only its hash is kept. */
  url: z.string(),
  expiresAt: z.string(),
  /** The address as a QR code (SVG). */
  qrSvg: z.string(),
});
