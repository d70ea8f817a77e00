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
  createPersonBodySchema,
  listPeopleQuerySchema,
  personListSchema,
  personSchema,
  updatePersonBodySchema,
} from './talent-people.schemas.ts';
import {
  addTalentEvidence,
  createTalentPerson,
  getTalentPerson,
  listTalentPeople,
  readTalentEvidence,
  removeTalentEvidence,
  removeTalentPerson,
  updateTalentPerson,
} from './talent-people.service.ts';

const idParams = z.object({ id: z.uuid('编号格式不正确') });
const evidenceParams = idParams.extend({ evidenceId: z.uuid('证明材料编号格式不正确') });
const fileNameQuery = z.object({
  fileName: z.string().trim().min(1, '请提供文件名').max(200, '文件名最多 200 个字'),
});
const tags = ['人才培训'];
const read = { policy: policies.talentPeopleRead };
const write = { policy: policies.talentPeopleWrite };

/** 聘用专家、商业带头人、本地网红 entered on the platform (indicators 12, 13), with their evidence files. */
export const talentPeopleRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (
  app,
  { context },
) => {
  acceptRawUploads(app, MAX_DOCUMENT_BYTES);

  app.get(
    '/talent-people',
    {
      config: read,
      schema: {
        tags,
        summary: '专家、带头人与网红列表（含台账导入的人员，source 区分）',
        querystring: listPeopleQuerySchema,
        response: { 200: personListSchema, ...errorResponses },
      },
    },
    (request) => listTalentPeople(context, requireActor(request), request.query),
  );

  app.post(
    '/talent-people',
    {
      config: write,
      schema: {
        tags,
        summary: '登记专家、商业带头人或本地网红（带头人须带领本e镇的市场主体）',
        body: createPersonBodySchema,
        response: { 201: personSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createTalentPerson(context, requireActor(request), request.body)),
  );

  app.get(
    '/talent-people/:id',
    {
      config: read,
      schema: {
        tags,
        summary: '人员详情',
        params: idParams,
        response: { 200: personSchema, ...errorResponses },
      },
    },
    (request) => getTalentPerson(context, requireActor(request), request.params.id),
  );

  app.patch(
    '/talent-people/:id',
    {
      config: write,
      schema: {
        tags,
        summary: '修改人员（须带上读取时的 version；台账导入的人员不能在此修改）',
        params: idParams,
        body: updatePersonBodySchema,
        response: { 200: personSchema, ...errorResponses },
      },
    },
    (request) => updateTalentPerson(context, requireActor(request), request.params.id, request.body),
  );

  app.delete(
    '/talent-people/:id',
    {
      config: write,
      schema: { tags, summary: '删除人员', params: idParams, response: { 204: z.null(), ...errorResponses } },
    },
    async (request, reply) => {
      await removeTalentPerson(context, requireActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  await app.register(talentEvidenceRoutes, { context });
};

/** Evidence files of a person; registered inside `talentPeopleRoutes`, whose raw upload parser they use. */
const talentEvidenceRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  app.post(
    '/talent-people/:id/evidence',
    {
      config: write,
      schema: {
        tags,
        summary:
          '上传证明材料（聘用合同、营业执照、账号截图等；请求体为文件本身，Content-Type: application/octet-stream；PDF/图片/Office，≤ 20 MB）',
        params: idParams,
        querystring: fileNameQuery,
        response: { 200: personSchema, ...errorResponses },
      },
    },
    (request) =>
      addTalentEvidence(
        context,
        requireActor(request),
        request.params.id,
        request.query.fileName,
        uploadedBytes(request),
      ),
  );

  app.get(
    '/talent-people/:id/evidence/:evidenceId',
    { config: read, schema: { tags, summary: '下载证明材料', params: evidenceParams } },
    async (request, reply) =>
      sendAttachment(
        reply,
        await readTalentEvidence(
          context,
          requireActor(request),
          request.params.id,
          request.params.evidenceId,
        ),
      ),
  );

  app.delete(
    '/talent-people/:id/evidence/:evidenceId',
    {
      config: write,
      schema: {
        tags,
        summary: '删除证明材料',
        params: evidenceParams,
        response: { 200: personSchema, ...errorResponses },
      },
    },
    (request) =>
      removeTalentEvidence(context, requireActor(request), request.params.id, request.params.evidenceId),
  );
};
