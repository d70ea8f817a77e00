import { and, count, desc, eq, gte, lte, type SQL } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import { auditLog, auditResults } from '../../db/schema/audit.ts';
import type { AppContext } from '../../http/context.ts';
import { errorResponses } from '../../http/schemas.ts';
import { verifyAuditChain } from './audit.service.ts';

const tags = ['审计日志（审计管理员）'];

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
  result: z.enum(auditResults),
  previousHash: z.string(),
  hash: z.string(),
});

export const auditRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const config = { policy: policies.auditRead };
  const { db } = context.database;

  app.get(
    '/audit',
    {
      config,
      schema: {
        tags,
        summary: '检索审计日志',
        querystring: auditQuerySchema,
        response: {
          200: z.object({ total: z.number().int(), items: z.array(auditRecordSchema) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const query = request.query;
      const conditions: (SQL | undefined)[] = [
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
    async () =>
      (await db.selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(auditLog.action)).map(
        (row) => row.action,
      ),
  );

  app.get(
    '/audit/verify',
    {
      config,
      schema: {
        tags,
        summary: '校验审计日志 SM3 哈希链',
        response: {
          200: z.object({
            ok: z.boolean(),
            records: z.number().int(),
            brokenAtId: z.number().int().optional(),
            reason: z.string().optional(),
          }),
          ...errorResponses,
        },
      },
    },
    () => verifyAuditChain(db),
  );
};
