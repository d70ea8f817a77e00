import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { errorResponses } from '../../http/schemas.ts';
import {
  acceptRawUploads,
  MAX_DOCUMENT_BYTES,
  sendAttachment,
  uploadedBytes,
} from '../../lib/attachments.ts';
import {
  addSupervisionCheck,
  applyForAuthorization,
  authorize,
  changeAuthorizationStatus,
  getAuthorization,
  listAuthorizations,
  renewAuthorization,
} from './authorizations.service.ts';
import { idParams } from './brand-http.ts';
import {
  applyAuthorizationBodySchema,
  authorizationDetailSchema,
  authorizationSummarySchema,
  authorizeBodySchema,
  brandDetailSchema,
  brandSummarySchema,
  createBrandBodySchema,
  fileNameQuerySchema,
  listAuthorizationsQuerySchema,
  listBrandsQuerySchema,
  reasonBodySchema,
  renewBodySchema,
  supervisionCheckBodySchema,
  updateBrandBodySchema,
} from './brands.schemas.ts';
import {
  createBrand,
  deleteBrand,
  getBrand,
  listBrands,
  readBrandStandard,
  updateBrand,
  uploadBrandStandard,
} from './brands.service.ts';
import { productRoutes } from './products.routes.ts';
import { promotionRoutes } from './promotion.routes.ts';

const authorizationDetail = { 200: authorizationDetailSchema, ...errorResponses };

type RouteOptions = { context: AppContext };

const tags = ['品牌'];
const authorizationTags = ['品牌授权'];

/** Brands themselves: list, register, read, change, delete. */
const registerBrandRecordRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.get(
    '/brands',
    {
      config: { policy: policies.brandsRead },
      schema: {
        tags,
        summary: '品牌列表（区域公用品牌与“小而美”自主品牌，按区划筛选）',
        querystring: listBrandsQuerySchema,
        response: { 200: z.array(brandSummarySchema), ...errorResponses },
      },
    },
    (request) => listBrands(context, requireActor(request), request.query),
  );

  app.post(
    '/brands',
    {
      config: { policy: policies.brandsWrite },
      schema: {
        tags,
        summary: '登记品牌（区域公用品牌含品牌标准；自主品牌含注册商标号、权利人、母品牌）',
        body: createBrandBodySchema,
        response: { 201: brandDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createBrand(context, requireActor(request), request.body)),
  );

  app.get(
    '/brands/:id',
    {
      config: { policy: policies.brandsRead },
      schema: {
        tags,
        summary: '品牌详情（标准、授权、子品牌、产品）',
        params: idParams,
        response: { 200: brandDetailSchema, ...errorResponses },
      },
    },
    (request) => getBrand(context, requireActor(request), request.params.id),
  );

  app.patch(
    '/brands/:id',
    {
      config: { policy: policies.brandsWrite },
      schema: {
        tags,
        summary: '修改品牌（须带版本号；改名时同步产品的品牌名称）',
        params: idParams,
        body: updateBrandBodySchema,
        response: { 200: brandDetailSchema, ...errorResponses },
      },
    },
    (request) => updateBrand(context, requireActor(request), request.params.id, request.body),
  );

  app.delete(
    '/brands/:id',
    {
      config: { policy: policies.brandsWrite },
      schema: {
        tags,
        summary: '删除品牌（仅限没有授权、产品和子品牌的品牌）',
        params: idParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await deleteBrand(context, requireActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};

/** A regional brand's standard document: upload and download. */
const registerBrandStandardRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.post(
    '/brands/:id/standard-file',
    {
      config: { policy: policies.brandsWrite },
      bodyLimit: MAX_DOCUMENT_BYTES,
      schema: {
        tags,
        summary:
          '上传品牌标准文件（请求体为文件本身，Content-Type: application/octet-stream；PDF/图片/Office，≤ 20 MB）',
        params: idParams,
        querystring: fileNameQuerySchema,
        response: { 200: brandDetailSchema, ...errorResponses },
      },
    },
    (request) =>
      uploadBrandStandard(
        context,
        requireActor(request),
        request.params.id,
        request.query.fileName,
        uploadedBytes(request),
      ),
  );

  app.get(
    '/brands/:id/standard-file',
    {
      config: { policy: policies.brandsRead },
      schema: { tags, summary: '下载品牌标准文件', params: idParams },
    },
    async (request, reply) =>
      sendAttachment(reply, await readBrandStandard(context, requireActor(request), request.params.id)),
  );
};

/** Applying for the use of a regional brand and reading the applications. */
const registerAuthorizationApplicationRoutes: FastifyPluginAsyncZod<RouteOptions> = async (
  app,
  { context },
) => {
  app.get(
    '/brand-authorizations',
    {
      config: { policy: policies.brandsRead },
      schema: {
        tags: authorizationTags,
        summary: '品牌授权列表（企业只看本企业的）',
        querystring: listAuthorizationsQuerySchema,
        response: { 200: z.array(authorizationSummarySchema), ...errorResponses },
      },
    },
    (request) => listAuthorizations(context, requireActor(request), request.query),
  );

  app.post(
    '/brand-authorizations',
    {
      config: { policy: policies.brandAuthorizationApply },
      schema: {
        tags: authorizationTags,
        summary: '申请使用区域公用品牌（企业为本企业申请，县级可代为申请）',
        body: applyAuthorizationBodySchema,
        response: { 201: authorizationDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await applyForAuthorization(context, requireActor(request), request.body)),
  );

  app.get(
    '/brand-authorizations/:id',
    {
      config: { policy: policies.brandsRead },
      schema: {
        tags: authorizationTags,
        summary: '品牌授权详情（过程记录、监督检查）',
        params: idParams,
        response: authorizationDetail,
      },
    },
    (request) => getAuthorization(context, requireActor(request), request.params.id),
  );
};

/** Reviewing an authorization: grant, reject, suspend, reinstate, revoke, renew, check. */
const registerAuthorizationReviewRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.post(
    '/brand-authorizations/:id/authorize',
    {
      config: { policy: policies.brandAuthorizationReview },
      schema: {
        tags: authorizationTags,
        summary: '审核通过并授权（有效期；证书编号不填则按品牌与年份生成，如 YQLB-2026-0001）',
        params: idParams,
        body: authorizeBodySchema,
        response: authorizationDetail,
      },
    },
    (request) => authorize(context, requireActor(request), request.params.id, request.body),
  );

  for (const [action, summary] of [
    ['reject', '驳回申请（须说明理由）'],
    ['suspend', '暂停授权（须说明理由；暂停期间扫码页不显示品牌）'],
    ['reinstate', '恢复被暂停的授权（须说明理由）'],
    ['revoke', '撤销授权（须说明理由；不可恢复）'],
  ] as const) {
    app.post(
      `/brand-authorizations/:id/${action}`,
      {
        config: { policy: policies.brandAuthorizationReview },
        schema: {
          tags: authorizationTags,
          summary,
          params: idParams,
          body: reasonBodySchema,
          response: authorizationDetail,
        },
      },
      (request) =>
        changeAuthorizationStatus(context, requireActor(request), request.params.id, action, request.body),
    );
  }

  app.post(
    '/brand-authorizations/:id/renew',
    {
      config: { policy: policies.brandAuthorizationReview },
      schema: {
        tags: authorizationTags,
        summary: '授权续期（新的截止日须晚于原截止日）',
        params: idParams,
        body: renewBodySchema,
        response: authorizationDetail,
      },
    },
    (request) => renewAuthorization(context, requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/brand-authorizations/:id/supervision-checks',
    {
      config: { policy: policies.brandAuthorizationReview },
      schema: {
        tags: authorizationTags,
        summary: '记录监督检查（不合格时提示暂停授权）',
        params: idParams,
        body: supervisionCheckBodySchema,
        response: { 201: authorizationDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await addSupervisionCheck(context, requireActor(request), request.params.id, request.body)),
  );
};

/** Brands, their authorizations, products, batches, events and media channels (issue 6). */
export const brandRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, options) => {
  acceptRawUploads(app, MAX_DOCUMENT_BYTES);
  await app.register(productRoutes, { context: options.context });
  await app.register(promotionRoutes, { context: options.context });
  await registerBrandRecordRoutes(app, options);
  await registerBrandStandardRoutes(app, options);
  await registerAuthorizationApplicationRoutes(app, options);
  await registerAuthorizationReviewRoutes(app, options);
};
