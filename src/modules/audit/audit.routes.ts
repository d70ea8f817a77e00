import { and, count, desc, eq, gte, like, lte, type SQL } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import { type Actor, canSeeRegion } from '../../access/scope.ts';
import { regionScopeCondition } from '../../access/scope-sql.ts';
import { auditLog, auditResults } from '../../db/schema/audit.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { notFound } from '../../http/errors.ts';
import { errorResponses, regionCodeSchema } from '../../http/schemas.ts';
import { readAnchors, verifyAuditChainAnchored } from './audit-anchor.service.ts';

const tags = ['审计日志（审计管理员；县纪委监委查阅本县记录）'];

/**
 * Which records a reader of the log sees: the auditor all of them; a county-scoped reader (县纪委监委)
 * only those concerning a region in its scope — records without a region are not theirs to read.
 */
function readableRecords(actor: Actor): SQL | undefined {
  if (actor.role === 'auditor') return undefined;
  return regionScopeCondition(actor.scope, auditLog.regionCode);
}

const auditQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  from: z.iso.datetime({ offset: true, message: '开始时间须为 ISO 8601 时间' }).optional(),
  to: z.iso.datetime({ offset: true, message: '结束时间须为 ISO 8601 时间' }).optional(),
  username: z.string().trim().max(64).optional(),
  action: z.string().trim().max(64).optional(),
  targetType: z.string().trim().max(64).optional(),
  targetId: z.string().trim().max(64).optional(),
  result: z.enum(auditResults).optional(),
  /** Records concerning this region and the regions below it (an e-town's or county's code). */
  regionCode: regionCodeSchema.optional(),
});

const auditRecordSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  userId: z.string().nullable(),
  username: z.string().nullable(),
  role: z.string().nullable(),
  ip: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  diff: z.record(z.string(), z.unknown()).nullable(),
  regionCode: z.string().nullable(),
  result: z.enum(auditResults),
  previousHash: z.string(),
  hash: z.string(),
});

type RouteOptions = { context: AppContext };

/** Searching the log and listing its actions. */
const registerAuditSearchRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  const config = { policy: policies.auditRead };
  const { db } = context.database;

  app.get(
    '/audit',
    {
      config,
      schema: {
        tags,
        summary: '检索审计日志（审计管理员为全部记录；县纪委监委为涉及本县区划的记录）',
        querystring: auditQuerySchema,
        response: {
          200: z.object({ total: z.number().int(), items: z.array(auditRecordSchema) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const query = request.query;
      if (query.regionCode && actor.role !== 'auditor' && !canSeeRegion(actor.scope, query.regionCode)) {
        throw notFound('区划');
      }
      const conditions: (SQL | undefined)[] = [
        readableRecords(actor),
        // Region codes are digits (and -E), so they never carry LIKE wildcards.
        query.regionCode ? like(auditLog.regionCode, `${query.regionCode}%`) : undefined,
        query.from ? gte(auditLog.at, new Date(query.from)) : undefined,
        query.to ? lte(auditLog.at, new Date(query.to)) : undefined,
        query.username ? eq(auditLog.username, query.username.toLowerCase()) : undefined,
        query.action ? eq(auditLog.action, query.action) : undefined,
        query.targetType ? eq(auditLog.targetType, query.targetType) : undefined,
        query.targetId ? eq(auditLog.targetId, query.targetId) : undefined,
        query.result ? eq(auditLog.result, query.result) : undefined,
      ];
      const where = and(...conditions);
      const [[total], rows] = await Promise.all([
        db.select({ count: count() }).from(auditLog).where(where),
        db
          .select()
          .from(auditLog)
          .where(where)
          .orderBy(desc(auditLog.id))
          .limit(query.pageSize)
          .offset((query.page - 1) * query.pageSize),
      ]);
      return {
        total: total?.count ?? 0,
        items: rows.map((row) => ({ ...row, at: row.at.toISOString(), diff: row.diff ?? null })),
      };
    },
  );

  app.get(
    '/audit/actions',
    {
      config,
      schema: { tags, summary: '审计动作类型', response: { 200: z.array(z.string()), ...errorResponses } },
    },
    async (request) =>
      (
        await db
          .selectDistinct({ action: auditLog.action })
          .from(auditLog)
          .where(readableRecords(requireActor(request)))
          .orderBy(auditLog.action)
      ).map((row) => row.action),
  );
};

/** Checking the hash chain and exporting its anchors. */
const registerAuditChainRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.get(
    '/audit/verify',
    {
      config: { policy: policies.auditVerify },
      schema: {
        tags,
        summary: '校验审计日志 SM3 哈希链，并按链锚检查链尾是否被截断',
        response: {
          200: z.object({
            ok: z.boolean(),
            records: z.number().int(),
            brokenAtId: z.number().int().optional(),
            reason: z.string().optional(),
            anchors: z.number().int().optional(),
          }),
          ...errorResponses,
        },
      },
    },
    () => verifyAuditChainAnchored(context),
  );

  app.get(
    '/audit/anchors',
    {
      config: { policy: policies.auditAnchorsExport },
      schema: {
        tags,
        summary: '导出审计链锚（每日链头哈希及其 HMAC-SM3 校验码，保存在数据库之外）',
        response: {
          200: z.object({
            anchors: z.array(
              z.object({
                date: z.string(),
                anchoredAt: z.string(),
                lastId: z.number().int(),
                headHash: z.string(),
                mac: z.string(),
              }),
            ),
            unreadableLines: z.array(z.number().int()),
          }),
          ...errorResponses,
        },
      },
    },
    () => readAnchors(context.config.dataDir),
  );
};

export const auditRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, options) => {
  await registerAuditSearchRoutes(app, options);
  await registerAuditChainRoutes(app, options);
};
