import { z } from 'zod';
import { leadingGroupPositions } from '../../db/schema/regions.ts';
import {
  expectedVersionSchema,
  isoDateSchema,
  recordVersionSchema,
  regionCodeSchema,
} from '../../http/schemas.ts';

export const positionLabels = {
  head: '组长',
  deputy: '副组长',
  member: '成员',
  office_director: '办公室主任',
} as const;

const text = (max: number) => z.string().trim().max(max).nullish();

export const groupFields = {
  name: z.string().trim().min(2, '请填写领导小组名称').max(100),
  docNo: text(60),
  establishedOn: isoDateSchema.nullish(),
  responsibilities: text(2000),
  officeLocation: text(200),
  memberChangeRule: text(1000),
};

export const createGroupBodySchema = z.object({ regionCode: regionCodeSchema, ...groupFields });
export type CreateGroupInput = z.infer<typeof createGroupBodySchema>;
export const updateGroupBodySchema = z
  .object(groupFields)
  .partial()
  .extend({ version: expectedVersionSchema });
export type UpdateGroupInput = z.infer<typeof updateGroupBodySchema>;

export const unitBodySchema = z.object({
  name: z.string().trim().min(2, '请填写成员单位名称').max(100),
  duties: text(4000),
  sortOrder: z.number().int().min(0).max(10_000).optional(),
});
export type UnitInput = z.infer<typeof unitBodySchema>;
export const updateUnitBodySchema = unitBodySchema.partial().extend({ version: expectedVersionSchema });
export type UpdateUnitInput = z.infer<typeof updateUnitBodySchema>;

export const addMemberBodySchema = z.object({
  unitId: z.uuid().nullish(),
  position: z.enum(leadingGroupPositions),
  personName: z.string().trim().min(1, '请填写姓名').max(40),
  title: text(100),
  since: isoDateSchema.nullish(),
  note: text(500),
  sortOrder: z.number().int().min(0).max(10_000).optional(),
});
export type AddMemberInput = z.infer<typeof addMemberBodySchema>;

export const replaceMemberBodySchema = z.object({
  personName: z.string().trim().min(1, '请填写接任人姓名').max(40),
  title: text(100),
  effectiveOn: isoDateSchema,
  note: text(500),
});
export type ReplaceMemberInput = z.infer<typeof replaceMemberBodySchema>;

export const endMemberBodySchema = z.object({ effectiveOn: isoDateSchema, note: text(500) });

export const groupSummarySchema = z.object({
  id: z.uuid(),
  regionCode: z.string(),
  regionName: z.string(),
  name: z.string(),
  docNo: z.string().nullable(),
  establishedOn: z.string().nullable(),
  activeMemberCount: z.number().int(),
  unitCount: z.number().int(),
  version: recordVersionSchema,
});

export const groupDetailSchema = z.object({
  id: z.uuid(),
  regionCode: z.string(),
  regionName: z.string(),
  name: z.string(),
  docNo: z.string().nullable(),
  establishedOn: z.string().nullable(),
  responsibilities: z.string().nullable(),
  officeLocation: z.string().nullable(),
  memberChangeRule: z.string().nullable(),
  version: recordVersionSchema,
  units: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      duties: z.string().nullable(),
      sortOrder: z.number(),
      version: recordVersionSchema,
    }),
  ),
  members: z.array(
    z.object({
      id: z.uuid(),
      unitId: z.uuid().nullable(),
      unitName: z.string().nullable(),
      position: z.enum(leadingGroupPositions),
      personName: z.string(),
      title: z.string().nullable(),
      since: z.string().nullable(),
      until: z.string().nullable(),
      replacesId: z.uuid().nullable(),
      replacedById: z.uuid().nullable(),
      note: z.string().nullable(),
      sortOrder: z.number(),
    }),
  ),
});
export type GroupDetail = z.infer<typeof groupDetailSchema>;
