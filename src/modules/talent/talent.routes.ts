import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../http/context.ts';
import { sessionSignInCodeRoutes } from './session-sign-in-code.routes.ts';
import { talentPeopleRoutes } from './talent-people.routes.ts';
import { traineeImportRoutes } from './trainee-import.routes.ts';
import { traineeRoutes } from './trainees.routes.ts';
import { trainingSessionRoutes } from './training-sessions.routes.ts';

/**
 * The talent module's routes: trainee files, their import (its own upload parser), training sessions and their QR
 * sign-in code, experts, business leaders and influencers.
 */
export const talentRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, options) => {
  await app.register(traineeRoutes, options);
  await app.register(traineeImportRoutes, options);
  await app.register(trainingSessionRoutes, options);
  await app.register(sessionSignInCodeRoutes, options);
  await app.register(talentPeopleRoutes, options);
};
