import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { errorResponses } from '../../http/schemas.ts';
import { MAX_DOCUMENT_BYTES, MAX_PHOTO_BYTES, sendAttachment, uploadedBytes } from '../../lib/attachments.ts';
import {
  addInspection,
  createBatch,
  getBatch,
  readInspectionReport,
  recallBatch,
  uploadInspectionReport,
} from './batches.service.ts';
import { idParams } from './brand-http.ts';
import {
  batchSchema,
  certificationBodySchema,
  createBatchBodySchema,
  createProductBodySchema,
  fileNameQuerySchema,
  inspectionBodySchema,
  listProductsQuerySchema,
  productDetailSchema,
  productListSchema,
  productShopBodySchema,
  recallBodySchema,
  updateCertificationBodySchema,
  updateProductBodySchema,
} from './brands.schemas.ts';
import {
  addCertification,
  addProductPhoto,
  addProductShop,
  createProduct,
  deleteProduct,
  getProduct,
  listProducts,
  readProductPhoto,
  removeCertification,
  removeProductPhoto,
  removeProductShop,
  updateCertification,
  updateProduct,
} from './products.service.ts';

const uuid = (label: string) => z.uuid(`${label}编号格式不正确`);
const productDetail = { 200: productDetailSchema, ...errorResponses };
const batchDetail = { 200: batchSchema, ...errorResponses };
const photoParams = idParams.extend({ photoId: uuid('图片') });
const certificationParams = idParams.extend({ certificationId: uuid('认证') });
const inspectionParams = idParams.extend({ inspectionId: uuid('检测记录') });

type RouteOptions = { context: AppContext };

const tags = ['网货产品'];
const batchTags = ['批次'];

/** Products themselves: list, register, read, change, delete. */
const registerProductRecordRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.get(
    '/products',
    {
      config: { policy: policies.brandsRead },
      schema: {
        tags,
        summary: '产品列表（按区划、品牌、生产主体、关键词筛选，分页；企业只看本企业的）',
        querystring: listProductsQuerySchema,
        response: { 200: productListSchema, ...errorResponses },
      },
    },
    (request) => listProducts(context, requireActor(request), request.query),
  );

  app.post(
    '/products',
    {
      config: { policy: policies.productsWrite },
      schema: {
        tags,
        summary: '登记产品（品牌、生产主体、品类、规格、价格（元，精确到分）、是否网货）',
        body: createProductBodySchema,
        response: { 201: productDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createProduct(context, requireActor(request), request.body)),
  );

  app.get(
    '/products/:id',
    {
      config: { policy: policies.brandsRead },
      schema: {
        tags,
        summary: '产品详情（图片、网店、认证、品牌授权、批次与检测）',
        params: idParams,
        response: productDetail,
      },
    },
    (request) => getProduct(context, requireActor(request), request.params.id),
  );

  app.patch(
    '/products/:id',
    {
      config: { policy: policies.productsWrite },
      schema: {
        tags,
        summary: '修改产品（须带版本号）',
        params: idParams,
        body: updateProductBodySchema,
        response: productDetail,
      },
    },
    (request) => updateProduct(context, requireActor(request), request.params.id, request.body),
  );

  app.delete(
    '/products/:id',
    {
      config: { policy: policies.productsWrite },
      schema: {
        tags,
        summary: '删除产品（已有批次的产品不能删除）',
        params: idParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await deleteProduct(context, requireActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};

/** A product's photos. */
const registerProductPhotoRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.post(
    '/products/:id/photos',
    {
      config: { policy: policies.productsWrite },
      bodyLimit: MAX_PHOTO_BYTES,
      schema: {
        tags,
        summary:
          '上传产品图片（请求体为图片本身，Content-Type: application/octet-stream；JPEG/PNG/WebP，≤ 5 MB）',
        params: idParams,
        querystring: fileNameQuerySchema,
        response: { 201: productDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await addProductPhoto(
            context,
            requireActor(request),
            request.params.id,
            request.query.fileName,
            uploadedBytes(request),
          ),
        ),
  );

  app.get(
    '/products/:id/photos/:photoId',
    {
      config: { policy: policies.brandsRead },
      schema: { tags, summary: '产品图片', params: photoParams },
    },
    async (request, reply) =>
      sendAttachment(
        reply,
        await readProductPhoto(context, requireActor(request), request.params.id, request.params.photoId),
        true,
      ),
  );

  app.delete(
    '/products/:id/photos/:photoId',
    {
      config: { policy: policies.productsWrite },
      schema: { tags, summary: '删除产品图片', params: photoParams, response: productDetail },
    },
    (request) =>
      removeProductPhoto(context, requireActor(request), request.params.id, request.params.photoId),
  );
};

/** The shops a product sells in and its certifications. */
const registerProductListingRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.post(
    '/products/:id/shops',
    {
      config: { policy: policies.productsWrite },
      schema: {
        tags,
        summary: '关联销售网店（生产主体自己的网店，可填商品链接）',
        params: idParams,
        body: productShopBodySchema,
        response: productDetail,
      },
    },
    (request) => addProductShop(context, requireActor(request), request.params.id, request.body),
  );

  app.delete(
    '/products/:id/shops/:shopId',
    {
      config: { policy: policies.productsWrite },
      schema: {
        tags,
        summary: '取消关联网店',
        params: idParams.extend({ shopId: uuid('网店') }),
        response: productDetail,
      },
    },
    (request) => removeProductShop(context, requireActor(request), request.params.id, request.params.shopId),
  );

  app.post(
    '/products/:id/certifications',
    {
      config: { policy: policies.productsWrite },
      schema: {
        tags,
        summary: '添加认证（绿色食品、有机产品、地理标志、承诺达标合格证；编号、发证机构、有效期）',
        params: idParams,
        body: certificationBodySchema,
        response: productDetail,
      },
    },
    (request) => addCertification(context, requireActor(request), request.params.id, request.body),
  );

  app.put(
    '/products/:id/certifications/:certificationId',
    {
      config: { policy: policies.productsWrite },
      schema: {
        tags,
        summary: '修改认证',
        params: certificationParams,
        body: updateCertificationBodySchema,
        response: productDetail,
      },
    },
    (request) =>
      updateCertification(
        context,
        requireActor(request),
        request.params.id,
        request.params.certificationId,
        request.body,
      ),
  );

  app.delete(
    '/products/:id/certifications/:certificationId',
    {
      config: { policy: policies.productsWrite },
      schema: { tags, summary: '删除认证', params: certificationParams, response: productDetail },
    },
    (request) =>
      removeCertification(context, requireActor(request), request.params.id, request.params.certificationId),
  );
};

/** Batches of a product: register, read, recall. */
const registerBatchRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.post(
    '/products/:id/batches',
    {
      config: { policy: policies.productsWrite },
      schema: {
        tags: batchTags,
        summary: '登记批次（批次号在本产品内唯一；生产/采收日期不晚于今天；数量大于 0）',
        params: idParams,
        body: createBatchBodySchema,
        response: { 201: batchSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createBatch(context, requireActor(request), request.params.id, request.body)),
  );

  app.get(
    '/batches/:id',
    {
      config: { policy: policies.brandsRead },
      schema: { tags: batchTags, summary: '批次详情（检测记录）', params: idParams, response: batchDetail },
    },
    (request) => getBatch(context, requireActor(request), request.params.id),
  );

  app.post(
    '/batches/:id/recall',
    {
      config: { policy: policies.productsWrite },
      schema: {
        tags: batchTags,
        summary: '召回批次（须说明原因；不可撤销）',
        params: idParams,
        body: recallBodySchema,
        response: batchDetail,
      },
    },
    (request) => recallBatch(context, requireActor(request), request.params.id, request.body.reason),
  );
};

/** A batch's inspections and their reports. */
const registerInspectionRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.post(
    '/batches/:id/inspections',
    {
      config: { policy: policies.productsWrite },
      schema: {
        tags: batchTags,
        summary: '记录检验检测（日期、机构、项目、结论；报告另行上传）',
        params: idParams,
        body: inspectionBodySchema,
        response: { 201: batchSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await addInspection(context, requireActor(request), request.params.id, request.body)),
  );

  app.post(
    '/batches/:id/inspections/:inspectionId/report',
    {
      config: { policy: policies.productsWrite },
      bodyLimit: MAX_DOCUMENT_BYTES,
      schema: {
        tags: batchTags,
        summary:
          '上传检测报告（请求体为文件本身，Content-Type: application/octet-stream；PDF/图片/Office，≤ 20 MB）',
        params: inspectionParams,
        querystring: fileNameQuerySchema,
        response: batchDetail,
      },
    },
    (request) =>
      uploadInspectionReport(
        context,
        requireActor(request),
        request.params.id,
        request.params.inspectionId,
        request.query.fileName,
        uploadedBytes(request),
      ),
  );

  app.get(
    '/batches/:id/inspections/:inspectionId/report',
    {
      config: { policy: policies.brandsRead },
      schema: { tags: batchTags, summary: '下载检测报告', params: inspectionParams },
    },
    async (request, reply) =>
      sendAttachment(
        reply,
        await readInspectionReport(
          context,
          requireActor(request),
          request.params.id,
          request.params.inspectionId,
        ),
      ),
  );
};

/** 网货 products with photos, shops and certifications; their batches and inspections. */
export const productRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, options) => {
  await registerProductRecordRoutes(app, options);
  await registerProductPhotoRoutes(app, options);
  await registerProductListingRoutes(app, options);
  await registerBatchRoutes(app, options);
  await registerInspectionRoutes(app, options);
};
