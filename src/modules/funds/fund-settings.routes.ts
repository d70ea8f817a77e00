import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { policies } from '../../access/policies.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { runIdempotentWrite } from '../../http/idempotency.ts';
import { errorResponses } from '../../http/schemas.ts';
import { readCountyFundSettings, writeCountyFundSettings } from './fund-county-settings.ts';
import { readFundSettings, writeFundSettings } from './fund-settings.ts';
import { idempotencyHeader, tags, writeErrors } from './funds.route-support.ts';
import {
  countyFundSettingsBodySchema,
  countyFundSettingsSchema,
  countyParams,
  fundSettingsBodySchema,
  fundSettingsSchema,
} from './funds.schemas.ts';

/** 资金设置: the province's cap per e-town, and whether a county's disbursements need its finance bureau. */
export const fundSettingsRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (
  app,
  { context },
) => {
  // ---- settings ----

  app.get(
    '/funds/settings',
    {
      config: { policy: policies.fundsRead },
      schema: {
        tags,
        summary: '资金设置（每个e镇省级补助上限）',
        response: { 200: fundSettingsSchema, ...errorResponses },
      },
    },
    () => readFundSettings(context),
  );

  app.put(
    '/funds/settings',
    {
      config: { policy: policies.fundsSettings },
      schema: {
        tags,
        summary: '修改每个e镇省级补助上限（默认 2000 万元）',
        headers: idempotencyHeader,
        body: fundSettingsBodySchema,
        response: { 200: fundSettingsSchema, ...writeErrors },
      },
    },
    (request, reply) =>
      runIdempotentWrite(context, request, reply, {}, (tx, actor) =>
        writeFundSettings(tx, actor, request.body.provincialCapPerEtownFen, request.body.version ?? null),
      ),
  );

  app.get(
    '/funds/county-settings/:countyCode',
    {
      config: { policy: policies.fundsRead },
      schema: {
        tags,
        summary: '本县资金设置（拨付是否需县财政局审批）',
        params: countyParams,
        response: { 200: countyFundSettingsSchema, ...errorResponses },
      },
    },
    (request) => readCountyFundSettings(context, requireActor(request), request.params.countyCode),
  );

  app.put(
    '/funds/county-settings/:countyCode',
    {
      config: { policy: policies.fundsCountySettings },
      schema: {
        tags,
        summary: '设置本县拨付是否需县财政局审批（县级操作员）',
        params: countyParams,
        headers: idempotencyHeader,
        body: countyFundSettingsBodySchema,
        response: { 200: countyFundSettingsSchema, ...writeErrors },
      },
    },
    (request, reply) =>
      runIdempotentWrite(context, request, reply, {}, (tx, actor) =>
        writeCountyFundSettings(tx, actor, request.params.countyCode, request.body),
      ),
  );
};
