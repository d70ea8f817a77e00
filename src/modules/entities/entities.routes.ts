import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { errorResponses, etownCodeSchema } from '../../http/schemas.ts';
import { addCreditRecord, listSharedViolations } from './credit-records.service.ts';
import {
  addShopBodySchema,
  createEntityBodySchema,
  createEntityWithOverrideBodySchema,
  creditRecordBodySchema,
  entityDetailSchema,
  entityListSchema,
  entryApplicationSchema,
  entryConditionsSchema,
  exitEntityBodySchema,
  listApplicationsQuerySchema,
  listEntitiesQuerySchema,
  rejectApplicationBodySchema,
  revealedContactSchema,
  reviewApplicationBodySchema,
  sharedViolationListSchema,
  sharedViolationQuerySchema,
  submitApplicationBodySchema,
  tagChangeBodySchema,
  updateEntityBodySchema,
} from './entities.schemas.ts';
import {
  addEntityShop,
  addEntityTag,
  createEntity,
  createEntityWithCreditCodeOverride,
  exitEntity,
  getEntity,
  listEntities,
  removeEntityShop,
  removeEntityTag,
  revealEntityContact,
  updateEntity,
} from './entities.service.ts';
import {
  admitEntryApplication,
  getEntryApplication,
  getEntryConditions,
  listEntryApplications,
  rejectEntryApplication,
  submitEntryApplication,
} from './entry-applications.service.ts';

const idParams = z.object({ id: z.uuid('编号格式不正确') });
const applicationDetailSchema = entryApplicationSchema.extend({ conditions: z.array(z.string()) });

type RouteOptions = { context: AppContext };

const registryTags = ['市场主体'];
const entryTags = ['入驻申请'];
const creditTags = ['信用'];

/** Listing and registering market entities. */
const registerEntityRegistrationRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.get(
    '/entities',
    {
      config: { policy: policies.entitiesRead },
      schema: {
        tags: registryTags,
        summary: '市场主体列表（按区划、类型、标签、状态、关键词筛选，分页）',
        querystring: listEntitiesQuerySchema,
        response: { 200: entityListSchema, ...errorResponses },
      },
    },
    (request) => listEntities(context, requireActor(request), request.query),
  );

  app.post(
    '/entities',
    {
      config: { policy: policies.entitiesWrite },
      schema: {
        tags: registryTags,
        summary: '登记市场主体（统一社会信用代码须通过 GB 32100 校验）',
        body: createEntityBodySchema,
        response: { 201: entityDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createEntity(context, requireActor(request), request.body)),
  );

  app.post(
    '/entities/credit-code-override',
    {
      config: { policy: policies.entitiesCreditCodeOverride },
      schema: {
        tags: registryTags,
        summary: '省级放行校验位不符的统一社会信用代码并登记市场主体（须说明理由）',
        body: createEntityWithOverrideBodySchema,
        response: { 201: entityDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createEntityWithCreditCodeOverride(context, requireActor(request), request.body)),
  );
};

/** One entity's record: read, change, exit. */
const registerEntityRecordRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.get(
    '/entities/:id',
    {
      config: { policy: policies.entitiesRead },
      schema: {
        tags: registryTags,
        summary: '市场主体详情（标签及历史、网店、信用记录与等级；电话脱敏）',
        params: idParams,
        response: { 200: entityDetailSchema, ...errorResponses },
      },
    },
    (request) => getEntity(context, requireActor(request), request.params.id),
  );

  app.patch(
    '/entities/:id',
    {
      config: { policy: policies.entitiesWrite },
      schema: {
        tags: registryTags,
        summary: '修改市场主体（须带版本号）',
        params: idParams,
        body: updateEntityBodySchema,
        response: { 200: entityDetailSchema, ...errorResponses },
      },
    },
    (request) => updateEntity(context, requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/entities/:id/exit',
    {
      config: { policy: policies.entitiesWrite },
      schema: {
        tags: registryTags,
        summary: '市场主体退出（日期与原因）',
        params: idParams,
        body: exitEntityBodySchema,
        response: { 200: entityDetailSchema, ...errorResponses },
      },
    },
    (request) => exitEntity(context, requireActor(request), request.params.id, request.body),
  );
};

/** An entity's tags, shops and contact. */
const registerEntityProfileRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.post(
    '/entities/:id/tags',
    {
      config: { policy: policies.entitiesWrite },
      schema: {
        tags: registryTags,
        summary: '添加标签（理由与日期，记入标签历史）',
        params: idParams,
        body: tagChangeBodySchema,
        response: { 200: entityDetailSchema, ...errorResponses },
      },
    },
    (request) => addEntityTag(context, requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/entities/:id/tags/remove',
    {
      config: { policy: policies.entitiesWrite },
      schema: {
        tags: registryTags,
        summary: '取消标签（理由与日期，记入标签历史）',
        params: idParams,
        body: tagChangeBodySchema,
        response: { 200: entityDetailSchema, ...errorResponses },
      },
    },
    (request) => removeEntityTag(context, requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/entities/:id/shops',
    {
      config: { policy: policies.entitiesWrite },
      schema: {
        tags: registryTags,
        summary: '添加网店（平台、店铺名称、链接）',
        params: idParams,
        body: addShopBodySchema,
        response: { 200: entityDetailSchema, ...errorResponses },
      },
    },
    (request) => addEntityShop(context, requireActor(request), request.params.id, request.body),
  );

  app.delete(
    '/entities/:id/shops/:shopId',
    {
      config: { policy: policies.entitiesWrite },
      schema: {
        tags: registryTags,
        summary: '删除网店',
        params: z.object({ id: z.uuid('编号格式不正确'), shopId: z.uuid('编号格式不正确') }),
        response: { 200: entityDetailSchema, ...errorResponses },
      },
    },
    (request) => removeEntityShop(context, requireActor(request), request.params.id, request.params.shopId),
  );

  app.post(
    '/entities/:id/contact/reveal',
    {
      config: { policy: policies.entitiesRevealContact },
      schema: {
        tags: registryTags,
        summary: '查看联系电话明文（记入审计日志）',
        params: idParams,
        response: { 200: revealedContactSchema, ...errorResponses },
      },
    },
    (request) => revealEntityContact(context, requireActor(request), request.params.id),
  );
};

/** Credit records and the list of violations. */
const registerCreditRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.post(
    '/entities/:id/credit-records',
    {
      config: { policy: policies.creditRecordsWrite },
      schema: {
        tags: creditTags,
        summary: '记录良好或违规信用信息（来源与日期；不填分值按类别标准分）',
        params: idParams,
        body: creditRecordBodySchema,
        response: { 200: entityDetailSchema, ...errorResponses },
      },
    },
    (request) => addCreditRecord(context, requireActor(request), request.params.id, request.body),
  );

  app.get(
    '/entities/credit/violations',
    {
      config: { policy: policies.entitiesRead },
      schema: {
        tags: creditTags,
        summary: '违规信息共享名单（县级可查全省；仅名称、代码、e镇、类别、日期）',
        querystring: sharedViolationQuerySchema,
        response: { 200: sharedViolationListSchema, ...errorResponses },
      },
    },
    (request) => listSharedViolations(context, requireActor(request), request.query),
  );
};

/** An e-town's entry conditions and the entry applications. */
const registerEntryReadRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.get(
    '/entities/entry-conditions/:etownCode',
    {
      config: { policy: policies.entitiesRead },
      schema: {
        tags: entryTags,
        summary: 'e镇入驻条件',
        params: z.object({ etownCode: etownCodeSchema }),
        response: { 200: entryConditionsSchema, ...errorResponses },
      },
    },
    (request) => getEntryConditions(context, requireActor(request), request.params.etownCode),
  );

  app.get(
    '/entities/applications',
    {
      config: { policy: policies.entitiesRead },
      schema: {
        tags: entryTags,
        summary: '入驻申请列表（企业看本人提交的，县级看辖区内的）',
        querystring: listApplicationsQuerySchema,
        response: { 200: z.array(entryApplicationSchema), ...errorResponses },
      },
    },
    (request) => listEntryApplications(context, requireActor(request), request.query.status),
  );

  app.get(
    '/entities/applications/:id',
    {
      config: { policy: policies.entitiesRead },
      schema: {
        tags: entryTags,
        summary: '入驻申请详情（含入驻条件）',
        params: idParams,
        response: { 200: applicationDetailSchema, ...errorResponses },
      },
    },
    (request) => getEntryApplication(context, requireActor(request), request.params.id),
  );
};

/** Submitting, admitting and rejecting entry applications. */
const registerEntryDecisionRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.post(
    '/entities/applications',
    {
      config: { policy: policies.entryApply },
      schema: {
        tags: entryTags,
        summary: '企业提交入驻申请',
        body: submitApplicationBodySchema,
        response: { 201: applicationDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await submitEntryApplication(context, requireActor(request), request.body)),
  );

  app.post(
    '/entities/applications/:id/admit',
    {
      config: { policy: policies.entryReview },
      schema: {
        tags: entryTags,
        summary: '准予入驻（登记市场主体并关联申请企业账号）',
        params: idParams,
        body: reviewApplicationBodySchema,
        response: { 200: applicationDetailSchema, ...errorResponses },
      },
    },
    (request) =>
      admitEntryApplication(context, requireActor(request), request.params.id, request.body.reason),
  );

  app.post(
    '/entities/applications/:id/reject',
    {
      config: { policy: policies.entryReview },
      schema: {
        tags: entryTags,
        summary: '退回入驻申请（须说明理由）',
        params: idParams,
        body: rejectApplicationBodySchema,
        response: { 200: applicationDetailSchema, ...errorResponses },
      },
    },
    (request) =>
      rejectEntryApplication(context, requireActor(request), request.params.id, request.body.reason),
  );
};

export const entityRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, options) => {
  await registerEntityRegistrationRoutes(app, options);
  await registerEntityRecordRoutes(app, options);
  await registerEntityProfileRoutes(app, options);
  await registerCreditRoutes(app, options);
  await registerEntryReadRoutes(app, options);
  await registerEntryDecisionRoutes(app, options);
};
