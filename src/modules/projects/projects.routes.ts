import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { errorResponses } from '../../http/schemas.ts';
import {
  acceptRawUploads,
  MAX_DOCUMENT_BYTES,
  MAX_PHOTO_BYTES,
  sendAttachment,
  uploadedBytes,
} from '../../lib/attachments.ts';
import {
  addFacilityPhoto,
  createFacility,
  deleteFacility,
  getFacility,
  listFacilities,
  readFacilityPhoto,
  removeFacilityPhoto,
  updateFacility,
} from './facilities.service.ts';
import {
  createFacilityBodySchema,
  createProjectBodySchema,
  facilitySchema,
  fileNameQuerySchema,
  idParams,
  investmentBodySchema,
  investmentParams,
  listFacilitiesQuerySchema,
  listProjectsQuerySchema,
  milestoneBodySchema,
  milestoneParams,
  photoParams,
  progressReportBodySchema,
  projectDetailSchema,
  projectListSchema,
  projectStatusBodySchema,
  updateFacilityBodySchema,
  updateMilestoneBodySchema,
  updateProjectBodySchema,
} from './projects.schemas.ts';
import {
  addInvestment,
  addMilestone,
  addProgressReport,
  addProjectPhoto,
  changeProjectStatus,
  createProject,
  deleteProject,
  getProject,
  listProjects,
  readProjectPhoto,
  removeInvestment,
  removeMilestone,
  removeProjectPhoto,
  updateMilestone,
  updateProject,
} from './projects.service.ts';
import { supervisionRoutes } from './supervision.routes.ts';

const projectDetail = { 200: projectDetailSchema, ...errorResponses };
const facilityDetail = { 200: facilitySchema, ...errorResponses };
const photoQuery = fileNameQuerySchema.extend({ reportId: z.uuid('编号格式不正确').optional() });

type RouteOptions = { context: AppContext };

const tags = ['项目台账'];
const facilityTags = ['设施'];
const read = { policy: policies.projectsRead };
const write = { policy: policies.projectsWrite };

/** Listing, registering and reading projects. */
const registerProjectListRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.get(
    '/projects',
    {
      config: read,
      schema: {
        tags,
        summary: '项目列表（按区划、状态筛选，分页；含累计投资与最新形象进度）',
        querystring: listProjectsQuerySchema,
        response: { 200: projectListSchema, ...errorResponses },
      },
    },
    (request) => listProjects(context, requireActor(request), request.query),
  );

  app.post(
    '/projects',
    {
      config: write,
      schema: {
        tags,
        summary: '登记项目（e镇、项目业主、计划工期、里程碑）',
        body: createProjectBodySchema,
        response: { 201: projectDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createProject(context, requireActor(request), request.body)),
  );

  app.get(
    '/projects/:id',
    {
      config: read,
      schema: {
        tags,
        summary: '项目详情（里程碑计划与实际、进度报告与照片、分来源投资、建成设施）',
        params: idParams,
        response: projectDetail,
      },
    },
    (request) => getProject(context, requireActor(request), request.params.id),
  );
};

/** Changing, deleting and moving a project through its statuses. */
const registerProjectChangeRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.patch(
    '/projects/:id',
    {
      config: write,
      schema: {
        tags,
        summary: '修改项目（须带版本号）',
        params: idParams,
        body: updateProjectBodySchema,
        response: projectDetail,
      },
    },
    (request) => updateProject(context, requireActor(request), request.params.id, request.body),
  );

  app.delete(
    '/projects/:id',
    {
      config: write,
      schema: {
        tags,
        summary: '删除项目（已登记投资或关联设施的不能删除）',
        params: idParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await deleteProject(context, requireActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/projects/:id/status',
    {
      config: write,
      schema: {
        tags,
        summary: '变更项目状态（计划中 → 建设中 → 已完工；可暂停；开工、完工记实际日期）',
        params: idParams,
        body: projectStatusBodySchema,
        response: projectDetail,
      },
    },
    (request) => changeProjectStatus(context, requireActor(request), request.params.id, request.body),
  );
};

/** A project's milestones and progress reports. */
const registerProgressRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.post(
    '/projects/:id/milestones',
    {
      config: write,
      schema: {
        tags,
        summary: '添加里程碑',
        params: idParams,
        body: milestoneBodySchema,
        response: projectDetail,
      },
    },
    (request) => addMilestone(context, requireActor(request), request.params.id, request.body),
  );

  app.put(
    '/projects/:id/milestones/:milestoneId',
    {
      config: write,
      schema: {
        tags,
        summary: '修改里程碑（计划日期、实际完成日期）',
        params: milestoneParams,
        body: updateMilestoneBodySchema,
        response: projectDetail,
      },
    },
    (request) =>
      updateMilestone(
        context,
        requireActor(request),
        request.params.id,
        request.params.milestoneId,
        request.body,
      ),
  );

  app.delete(
    '/projects/:id/milestones/:milestoneId',
    {
      config: write,
      schema: { tags, summary: '删除里程碑', params: milestoneParams, response: projectDetail },
    },
    (request) =>
      removeMilestone(context, requireActor(request), request.params.id, request.params.milestoneId),
  );

  app.post(
    '/projects/:id/reports',
    {
      config: write,
      schema: {
        tags,
        summary: '提交进度报告（形象进度百分比、进度说明；照片另行上传）',
        params: idParams,
        body: progressReportBodySchema,
        response: projectDetail,
      },
    },
    (request) => addProgressReport(context, requireActor(request), request.params.id, request.body),
  );
};

/** A project's photos. */
const registerProjectPhotoRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.post(
    '/projects/:id/photos',
    {
      config: write,
      bodyLimit: MAX_PHOTO_BYTES,
      schema: {
        tags,
        summary:
          '上传项目照片（reportId 指定进度报告；请求体为图片本身，Content-Type: application/octet-stream；JPEG/PNG/WebP，≤ 5 MB）',
        params: idParams,
        querystring: photoQuery,
        response: { 201: projectDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await addProjectPhoto(
            context,
            requireActor(request),
            request.params.id,
            request.query.reportId,
            request.query.fileName,
            uploadedBytes(request),
          ),
        ),
  );

  app.get(
    '/projects/:id/photos/:photoId',
    { config: read, schema: { tags, summary: '项目照片', params: photoParams } },
    async (request, reply) =>
      sendAttachment(
        reply,
        await readProjectPhoto(context, requireActor(request), request.params.id, request.params.photoId),
        true,
      ),
  );

  app.delete(
    '/projects/:id/photos/:photoId',
    {
      config: write,
      schema: { tags, summary: '删除项目照片', params: photoParams, response: projectDetail },
    },
    (request) =>
      removeProjectPhoto(context, requireActor(request), request.params.id, request.params.photoId),
  );
};

/** A project's investments. */
const registerInvestmentRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.post(
    '/projects/:id/investments',
    {
      config: write,
      schema: {
        tags,
        summary: '登记项目投资（资金来源、金额（元）、日期；计入指标25总投资）',
        params: idParams,
        body: investmentBodySchema,
        response: projectDetail,
      },
    },
    (request) => addInvestment(context, requireActor(request), request.params.id, request.body),
  );

  app.delete(
    '/projects/:id/investments/:investmentId',
    {
      config: write,
      schema: {
        tags,
        summary: '删除项目投资记录',
        params: investmentParams,
        response: projectDetail,
      },
    },
    (request) =>
      removeInvestment(context, requireActor(request), request.params.id, request.params.investmentId),
  );
};

/** Facilities: list, register, read, change, delete. */
const registerFacilityRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.get(
    '/facilities',
    {
      config: read,
      schema: {
        tags: facilityTags,
        summary: '设施列表（按区划、类型筛选；每个设施对照指标建设标准的核验结果）',
        querystring: listFacilitiesQuerySchema,
        response: { 200: z.array(facilitySchema), ...errorResponses },
      },
    },
    (request) => listFacilities(context, requireActor(request), request.query),
  );

  app.post(
    '/facilities',
    {
      config: write,
      schema: {
        tags: facilityTags,
        summary: '登记设施（类型、建筑面积、功能分区、开放日期、所属项目；计入指标11、15–17）',
        body: createFacilityBodySchema,
        response: { 201: facilitySchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createFacility(context, requireActor(request), request.body)),
  );

  app.get(
    '/facilities/:id',
    {
      config: read,
      schema: {
        tags: facilityTags,
        summary: '设施详情（含照片与标准核验）',
        params: idParams,
        response: facilityDetail,
      },
    },
    (request) => getFacility(context, requireActor(request), request.params.id),
  );

  app.patch(
    '/facilities/:id',
    {
      config: write,
      schema: {
        tags: facilityTags,
        summary: '修改设施（须带版本号）',
        params: idParams,
        body: updateFacilityBodySchema,
        response: facilityDetail,
      },
    },
    (request) => updateFacility(context, requireActor(request), request.params.id, request.body),
  );

  app.delete(
    '/facilities/:id',
    {
      config: write,
      schema: {
        tags: facilityTags,
        summary: '删除设施',
        params: idParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await deleteFacility(context, requireActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};

/** A facility's photos. */
const registerFacilityPhotoRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.post(
    '/facilities/:id/photos',
    {
      config: write,
      bodyLimit: MAX_PHOTO_BYTES,
      schema: {
        tags: facilityTags,
        summary:
          '上传设施照片（请求体为图片本身，Content-Type: application/octet-stream；JPEG/PNG/WebP，≤ 5 MB）',
        params: idParams,
        querystring: fileNameQuerySchema,
        response: { 201: facilitySchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await addFacilityPhoto(
            context,
            requireActor(request),
            request.params.id,
            request.query.fileName,
            uploadedBytes(request),
          ),
        ),
  );

  app.get(
    '/facilities/:id/photos/:photoId',
    { config: read, schema: { tags: facilityTags, summary: '设施照片', params: photoParams } },
    async (request, reply) =>
      sendAttachment(
        reply,
        await readFacilityPhoto(context, requireActor(request), request.params.id, request.params.photoId),
        true,
      ),
  );

  app.delete(
    '/facilities/:id/photos/:photoId',
    {
      config: write,
      schema: {
        tags: facilityTags,
        summary: '删除设施照片',
        params: photoParams,
        response: facilityDetail,
      },
    },
    (request) =>
      removeFacilityPhoto(context, requireActor(request), request.params.id, request.params.photoId),
  );
};

/** 项目台账 and facilities (issue 7); inspections, incidents and policy documents in supervision.routes. */
export const projectRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, options) => {
  acceptRawUploads(app, MAX_DOCUMENT_BYTES);
  await app.register(supervisionRoutes, { context: options.context });
  await registerProjectListRoutes(app, options);
  await registerProjectChangeRoutes(app, options);
  await registerProgressRoutes(app, options);
  await registerProjectPhotoRoutes(app, options);
  await registerInvestmentRoutes(app, options);
  await registerFacilityRoutes(app, options);
  await registerFacilityPhotoRoutes(app, options);
};
