import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { errorResponses } from '../../http/schemas.ts';
import { sendAttachment, uploadedBytes } from '../../lib/attachments.ts';
import {
  answerIncident,
  attachDocumentFile,
  createDocument,
  createIncident,
  deleteDocument,
  deleteIncident,
  listDocuments,
  listIncidents,
  readDocumentFile,
  updateDocument,
  updateIncident,
} from './compliance.service.ts';
import {
  addFinding,
  addFindingFile,
  closeFinding,
  createInspection,
  getFinding,
  getInspection,
  listFindings,
  listInspections,
  readFindingFile,
  rectifyFinding,
  removeFindingFile,
  reopenFinding,
} from './inspections.service.ts';
import {
  answerIncidentBodySchema,
  createDocumentBodySchema,
  createIncidentBodySchema,
  createInspectionBodySchema,
  documentSchema,
  fileNameQuerySchema,
  fileParams,
  findingBodySchema,
  findingSchema,
  idParams,
  incidentSchema,
  inspectionDetailSchema,
  inspectionSchema,
  listFindingsQuerySchema,
  listInspectionsQuerySchema,
  rectifyBodySchema,
  regionQuerySchema,
  reviewFindingBodySchema,
  updateDocumentBodySchema,
  updateIncidentBodySchema,
} from './projects.schemas.ts';

const findingDetail = { 200: findingSchema, ...errorResponses };
const noContent = { 204: z.null(), ...errorResponses };

type RouteOptions = { context: AppContext };

const tags = ['监督检查'];
const incidentTags = ['合规事件'];
const documentTags = ['制度文件'];
const read = { policy: policies.projectsRead };
const write = { policy: policies.projectsWrite };
const inspect = { policy: policies.inspectionsWrite };
const rectify = { policy: policies.findingsRectify };
const recordIncidents = { policy: policies.incidentsRecord };

/** Inspections and the findings they record. */
const registerInspectionRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.get(
    '/inspections',
    {
      config: read,
      schema: {
        tags,
        summary: '检查记录（日常监督检查、现场检查、第三方核查；含问题数与逾期数）',
        querystring: listInspectionsQuerySchema,
        response: { 200: z.array(inspectionSchema), ...errorResponses },
      },
    },
    (request) => listInspections(context, requireActor(request), request.query),
  );

  app.post(
    '/inspections',
    {
      config: inspect,
      schema: {
        tags,
        summary: '登记检查及发现的问题（责任单位、整改期限）',
        body: createInspectionBodySchema,
        response: { 201: inspectionDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createInspection(context, requireActor(request), request.body)),
  );

  app.get(
    '/inspections/:id',
    {
      config: read,
      schema: {
        tags,
        summary: '检查详情及问题',
        params: idParams,
        response: { 200: inspectionDetailSchema, ...errorResponses },
      },
    },
    (request) => getInspection(context, requireActor(request), request.params.id),
  );

  app.post(
    '/inspections/:id/findings',
    {
      config: inspect,
      schema: {
        tags,
        summary: '为检查补充问题',
        params: idParams,
        body: findingBodySchema,
        response: { 200: inspectionDetailSchema, ...errorResponses },
      },
    },
    (request) => addFinding(context, requireActor(request), request.params.id, request.body),
  );
};

/** The problem list: list and read findings, and rectify one. */
const registerFindingRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.get(
    '/findings',
    {
      config: read,
      schema: {
        tags,
        summary: '问题清单（可见范围内；按状态、是否逾期、区划筛选；逾期 = 过整改期限且未销号）',
        querystring: listFindingsQuerySchema,
        response: { 200: z.array(findingSchema), ...errorResponses },
      },
    },
    (request) => listFindings(context, requireActor(request), request.query),
  );

  app.get(
    '/findings/:id',
    { config: read, schema: { tags, summary: '问题详情', params: idParams, response: findingDetail } },
    (request) => getFinding(context, requireActor(request), request.params.id),
  );

  app.post(
    '/findings/:id/rectify',
    {
      config: rectify,
      schema: {
        tags,
        summary: '提交整改情况（e镇或县级；须带版本号）',
        params: idParams,
        body: rectifyBodySchema,
        response: findingDetail,
      },
    },
    (request) => rectifyFinding(context, requireActor(request), request.params.id, request.body),
  );
};

/** A finding's rectification files. */
const registerFindingFileRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.post(
    '/findings/:id/files',
    {
      config: rectify,
      schema: {
        tags,
        summary:
          '上传整改材料（请求体为文件本身，Content-Type: application/octet-stream；PDF/图片/Office，≤ 20 MB）',
        params: idParams,
        querystring: fileNameQuerySchema,
        response: { 201: findingSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await addFindingFile(
            context,
            requireActor(request),
            request.params.id,
            request.query.fileName,
            uploadedBytes(request),
          ),
        ),
  );

  app.get(
    '/findings/:id/files/:fileId',
    { config: read, schema: { tags, summary: '下载整改材料', params: fileParams } },
    async (request, reply) =>
      sendAttachment(
        reply,
        await readFindingFile(context, requireActor(request), request.params.id, request.params.fileId),
      ),
  );

  app.delete(
    '/findings/:id/files/:fileId',
    {
      config: rectify,
      schema: { tags, summary: '删除整改材料（销号前）', params: fileParams, response: findingDetail },
    },
    (request) => removeFindingFile(context, requireActor(request), request.params.id, request.params.fileId),
  );
};

/** Closing and reopening a finding. */
const registerFindingClosureRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.post(
    '/findings/:id/close',
    {
      config: inspect,
      schema: {
        tags,
        summary: '检查方验收整改并销号（须说明意见）',
        params: idParams,
        body: reviewFindingBodySchema,
        response: findingDetail,
      },
    },
    (request) => closeFinding(context, requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/findings/:id/reopen',
    {
      config: inspect,
      schema: {
        tags,
        summary: '检查方退回整改或重新打开已销号问题（须说明意见）',
        params: idParams,
        body: reviewFindingBodySchema,
        response: findingDetail,
      },
    },
    (request) => reopenFinding(context, requireActor(request), request.params.id, request.body),
  );
};

/** Compliance incidents and their answers. */
const registerIncidentRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.get(
    '/compliance-incidents',
    {
      config: read,
      schema: {
        tags: incidentTags,
        summary: '违规违法事件（用地、生态环保、债务、房住不炒、安全生产；计入指标20）',
        querystring: regionQuerySchema,
        response: { 200: z.array(incidentSchema), ...errorResponses },
      },
    },
    (request) => listIncidents(context, requireActor(request), request.query.regionCode),
  );

  app.post(
    '/compliance-incidents',
    {
      config: recordIncidents,
      schema: {
        tags: incidentTags,
        summary: '登记违规违法事件及处置情况（县级，或市级、省级在其范围内；e镇不能登记）',
        body: createIncidentBodySchema,
        response: { 201: incidentSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createIncident(context, requireActor(request), request.body)),
  );

  app.put(
    '/compliance-incidents/:id',
    {
      config: recordIncidents,
      schema: {
        tags: incidentTags,
        summary: '修改违规违法事件（含处置情况与日期；县级、市级、省级）',
        params: idParams,
        body: updateIncidentBodySchema,
        response: { 200: incidentSchema, ...errorResponses },
      },
    },
    (request) => updateIncident(context, requireActor(request), request.params.id, request.body),
  );

  app.delete(
    '/compliance-incidents/:id',
    {
      config: recordIncidents,
      schema: {
        tags: incidentTags,
        summary: '删除违规违法事件（县级、市级、省级）',
        params: idParams,
        response: noContent,
      },
    },
    async (request, reply) => {
      await deleteIncident(context, requireActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/compliance-incidents/:id/answer',
    {
      config: { policy: policies.incidentsAnswer },
      schema: {
        tags: incidentTags,
        summary: 'e镇答复违规违法事件（情况说明或整改情况；记录答复人和时间，可再次答复）',
        params: idParams,
        body: answerIncidentBodySchema,
        response: { 200: incidentSchema, ...errorResponses },
      },
    },
    (request) => answerIncident(context, requireActor(request), request.params.id, request.body),
  );
};

/** Policy documents: list, register, change, delete. */
const registerPolicyDocumentRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.get(
    '/policy-documents',
    {
      config: read,
      schema: {
        tags: documentTags,
        summary: '制度文件（文号、发文机关、印发日期、附件；计入指标1、5、9、18、21、22）',
        querystring: regionQuerySchema,
        response: { 200: z.array(documentSchema), ...errorResponses },
      },
    },
    (request) => listDocuments(context, requireActor(request), request.query.regionCode),
  );

  app.post(
    '/policy-documents',
    {
      config: write,
      schema: {
        tags: documentTags,
        summary: '登记制度文件',
        body: createDocumentBodySchema,
        response: { 201: documentSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createDocument(context, requireActor(request), request.body)),
  );

  app.put(
    '/policy-documents/:id',
    {
      config: write,
      schema: {
        tags: documentTags,
        summary: '修改制度文件',
        params: idParams,
        body: updateDocumentBodySchema,
        response: { 200: documentSchema, ...errorResponses },
      },
    },
    (request) => updateDocument(context, requireActor(request), request.params.id, request.body),
  );

  app.delete(
    '/policy-documents/:id',
    {
      config: write,
      schema: { tags: documentTags, summary: '删除制度文件', params: idParams, response: noContent },
    },
    async (request, reply) => {
      await deleteDocument(context, requireActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};

/** A policy document's file. */
const registerPolicyDocumentFileRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.post(
    '/policy-documents/:id/file',
    {
      config: write,
      schema: {
        tags: documentTags,
        summary:
          '上传制度文件附件（请求体为文件本身，Content-Type: application/octet-stream；PDF/DOCX/图片，≤ 20 MB）',
        params: idParams,
        querystring: fileNameQuerySchema,
        response: { 200: documentSchema, ...errorResponses },
      },
    },
    (request) =>
      attachDocumentFile(
        context,
        requireActor(request),
        request.params.id,
        request.query.fileName,
        uploadedBytes(request),
      ),
  );

  app.get(
    '/policy-documents/:id/file',
    { config: read, schema: { tags: documentTags, summary: '下载制度文件附件', params: idParams } },
    async (request, reply) =>
      sendAttachment(reply, await readDocumentFile(context, requireActor(request), request.params.id)),
  );
};

/** 监督检查 and the problem list, compliance incidents (#20) and policy documents (#1, 5, 9, 18, 21, 22). */
export const supervisionRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, options) => {
  await registerInspectionRoutes(app, options);
  await registerFindingRoutes(app, options);
  await registerFindingFileRoutes(app, options);
  await registerFindingClosureRoutes(app, options);
  await registerIncidentRoutes(app, options);
  await registerPolicyDocumentRoutes(app, options);
  await registerPolicyDocumentFileRoutes(app, options);
};
