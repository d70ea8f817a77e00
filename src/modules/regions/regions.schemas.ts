import { z } from 'zod';
import { countyTiers, regionLevels } from '../../db/schema/regions.ts';
import { isoDateSchema, loadedVersionSchema, recordVersionSchema } from '../../http/schemas.ts';

export const tierLabels = {
  pilot_demo: '先行示范县',
  overall_advance: '整体推进县',
  key_support: '重点帮扶县',
} as const;

export const phaseLabels = {
  launch: '启动阶段',
  implementation: '实施阶段',
  evaluation: '绩效评估阶段',
  acceptance: '总结验收阶段',
} as const;

export type RegionNode = {
  code: string;
  name: string;
  level: (typeof regionLevels)[number];
  tier: (typeof countyTiers)[number] | null;
  children: RegionNode[];
};
// Recursive, so it must be an OpenAPI component (by its id): a cycle cannot be inlined.
export const regionNodeSchema: z.ZodType<RegionNode> = z
  .lazy(() =>
    z.object({
      code: z.string(),
      name: z.string(),
      level: z.enum(regionLevels),
      tier: z.enum(countyTiers).nullable(),
      children: z.array(regionNodeSchema),
    }),
  )
  .meta({ id: 'RegionNode' });

const regionRefSchema = z.object({ code: z.string(), name: z.string(), level: z.enum(regionLevels) });

export const regionDetailSchema = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(regionLevels),
  tier: z.enum(countyTiers).nullable(),
  parentCode: z.string().nullable(),
  ancestors: z.array(regionRefSchema),
  children: z.array(regionRefSchema.extend({ tier: z.enum(countyTiers).nullable() })),
  tierHistory: z.array(
    z.object({
      tier: z.enum(countyTiers),
      previousTier: z.enum(countyTiers).nullable(),
      reason: z.string().nullable(),
      changedByName: z.string(),
      changedAt: z.string(),
    }),
  ),
  etownCount: z.number().int(),
  /** Of the region row; a tier change sends it back. */
  version: recordVersionSchema,
});
export type RegionDetail = z.infer<typeof regionDetailSchema>;

export const setTierBodySchema = z.object({
  tier: z.enum(countyTiers, '分类须为 pilot_demo、overall_advance 或 key_support'),
  reason: z.string().trim().min(1, '请填写调整原因').max(500),
  /**
   * The region's version the page loaded. Optional in the schema like every settings PUT's `version`
   * (absent only for a first save there); a county is always stored, so a tier change without it is 409.
   */
  version: loadedVersionSchema,
});

const position = z.tuple([
  z.number().min(-180, '经度须在 -180 到 180 之间').max(180, '经度须在 -180 到 180 之间'),
  z.number().min(-90, '纬度须在 -90 到 90 之间').max(90, '纬度须在 -90 到 90 之间'),
]);
const linearRing = z
  .array(position)
  .min(4, '多边形的环至少需要 4 个点（首尾相同）')
  .max(20_000, '边界点数过多')
  .refine((ring) => {
    const first = ring[0];
    const last = ring[ring.length - 1];
    return !!first && !!last && first[0] === last[0] && first[1] === last[1];
  }, '多边形的环须闭合（首尾坐标相同）');
export const boundarySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: z.array(linearRing).min(1).max(100) }),
  z.object({
    type: z.literal('MultiPolygon'),
    coordinates: z.array(z.array(linearRing).min(1).max(100)).min(1).max(100),
  }),
]);
export type Boundary = z.infer<typeof boundarySchema>;

const decimal = (scale: number, label: string) =>
  z
    .union([z.string().trim(), z.number().nonnegative(`${label}不能为负数`)])
    .transform((value) => String(value))
    .pipe(
      z
        .string()
        .regex(new RegExp(`^\\d{1,10}(\\.\\d{1,${scale}})?$`), `${label}须为非负数，最多 ${scale} 位小数`),
    );

const optionalText = (max: number) => z.string().trim().max(max).nullish();

export const phaseSchema = z
  .object({
    phase: z.enum(['launch', 'implementation', 'evaluation', 'acceptance']),
    startOn: isoDateSchema,
    endOn: isoDateSchema,
  })
  .refine((phase) => phase.startOn <= phase.endOn, { message: '结束日期不能早于开始日期', path: ['endOn'] });

export const etownProfileFields = {
  name: z.string().trim().min(2, 'e镇名称至少 2 个字').max(60),
  villages: z.array(z.string().trim().min(1).max(60)).max(100),
  boundaryEast: optionalText(100),
  boundaryWest: optionalText(100),
  boundarySouth: optionalText(100),
  boundaryNorth: optionalText(100),
  landAreaKm2: decimal(4, '核心区面积').nullish(),
  buildingAreaM2: decimal(2, '建筑面积').nullish(),
  boundary: boundarySchema.nullish(),
  leadingIndustries: z.array(z.string().trim().min(1).max(40)).max(10),
  operatingEntity: optionalText(200),
  phases: z.array(phaseSchema).max(4),
};

export const createEtownBodySchema = z.object({
  countyCode: z.string().regex(/^[0-9]{6}$/, '县级区划代码须为 6 位数字'),
  ...etownProfileFields,
  villages: etownProfileFields.villages.optional(),
  leadingIndustries: etownProfileFields.leadingIndustries.optional(),
  phases: etownProfileFields.phases.optional(),
});
export type CreateEtownInput = z.infer<typeof createEtownBodySchema>;

export const updateEtownBodySchema = z
  .object(etownProfileFields)
  .partial()
  .extend({ version: z.number().int().min(1, '缺少版本号') });
export type UpdateEtownInput = z.infer<typeof updateEtownBodySchema>;

export const etownSummarySchema = z.object({
  code: z.string(),
  name: z.string(),
  countyCode: z.string(),
  countyName: z.string(),
  cityCode: z.string(),
  cityName: z.string(),
  tier: z.enum(countyTiers).nullable(),
  landAreaKm2: z.string().nullable(),
  boundaryAreaKm2: z.string().nullable(),
  leadingIndustries: z.array(z.string()),
  operatingEntity: z.string().nullable(),
});
export type EtownSummary = z.infer<typeof etownSummarySchema>;

export const etownDetailSchema = etownSummarySchema.extend({
  villages: z.array(z.string()),
  boundaryEast: z.string().nullable(),
  boundaryWest: z.string().nullable(),
  boundarySouth: z.string().nullable(),
  boundaryNorth: z.string().nullable(),
  buildingAreaM2: z.string().nullable(),
  boundary: boundarySchema.nullable(),
  /** What is wrong with the saved boundary for #24 (parts that do not touch: not 集中连片); saving still works. */
  boundaryWarnings: z.array(z.string()),
  phases: z.array(
    z.object({
      phase: z.enum(['launch', 'implementation', 'evaluation', 'acceptance']),
      startOn: z.string(),
      endOn: z.string(),
    }),
  ),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type EtownDetail = z.infer<typeof etownDetailSchema>;
