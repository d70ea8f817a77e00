import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { errorResponses } from '../../http/schemas.ts';
import {
  deadlineYearQuerySchema,
  monthDeadlineSchema,
  setDeadlineBodySchema,
  statsMonthSchema,
} from './stats-settings.schemas.ts';
import { listDeadlines, resetDeadline, setDeadline } from './stats-settings.service.ts';

const monthParams = z.object({ month: statsMonthSchema });

/** 统计设置: the province's per-month submission deadlines (the validation rules live with the reports). */
export const statsSettingsRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (
  app,
  { context },
) => {
  const tags = ['月度统计'];

  app.get(
    '/stats/deadlines',
    {
      config: { policy: policies.statsRead },
      schema: {
        tags,
        summary: '某年各月的报送截止日期（默认次月规定日，省级可逐月调整）',
        querystring: deadlineYearQuerySchema,
        response: { 200: z.array(monthDeadlineSchema), ...errorResponses },
      },
    },
    (request) => listDeadlines(context, request.query.year),
  );

  app.put(
    '/stats/deadlines/:month',
    {
      config: { policy: policies.statsSettings },
      schema: {
        tags,
        summary: '设置某月的报送截止日期（须晚于该月月末）',
        params: monthParams,
        body: setDeadlineBodySchema,
        response: { 200: monthDeadlineSchema, ...errorResponses },
      },
    },
    (request) =>
      setDeadline(
        context,
        requireActor(request),
        request.params.month,
        request.body.deadline,
        request.body.version ?? null,
      ),
  );

  app.delete(
    '/stats/deadlines/:month',
    {
      config: { policy: policies.statsSettings },
      schema: {
        tags,
        summary: '恢复某月的默认截止日期',
        params: monthParams,
        response: { 200: monthDeadlineSchema, ...errorResponses },
      },
    },
    (request) => resetDeadline(context, requireActor(request), request.params.month),
  );
};
