import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { errorResponses } from '../../http/schemas.ts';
import { openSignInCode, SIGN_IN_CODE_HOURS } from './session-sign-in.ts';
import { signInCodeSchema } from './training-sessions.schemas.ts';

/** Opening a session's QR sign-in code (the public page itself is `/s/<code>`, outside the API). */
export const sessionSignInCodeRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (
  app,
  { context },
) => {
  app.post(
    '/trainings/sessions/:id/sign-in-code',
    {
      config: { policy: policies.trainingsWrite },
      schema: {
        tags: ['人才培训'],
        summary: `生成扫码签到二维码（公开签到页地址，${SIGN_IN_CODE_HOURS} 小时内有效；重新生成则旧码失效）`,
        params: z.object({ id: z.uuid('编号格式不正确') }),
        response: { 200: signInCodeSchema, ...errorResponses },
      },
    },
    (request) => openSignInCode(context, requireActor(request), request.params.id),
  );
};
