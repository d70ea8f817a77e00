// Names for the answers pages pass around, all taken from the generated OpenAPI types.
import type { AnswerOf } from './client.ts';

export type Me = AnswerOf<'/api/me', 'get'>;
export type Role = Me['role'];
export type UserView = AnswerOf<'/api/users', 'get'>[number];
export type TemporaryPassword = AnswerOf<'/api/users', 'post'>;
export type Job = AnswerOf<'/api/jobs', 'get'>['items'][number];
export type Scorecard = AnswerOf<'/api/etowns/{code}/scorecard', 'get'>;
export type ScorecardIndicator = Scorecard['indicators'][number];
export type IndicatorOverview = AnswerOf<'/api/evaluations/overview', 'get'>;
