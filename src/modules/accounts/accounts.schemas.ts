import { z } from 'zod';
import { roles } from '../../db/schema/accounts.ts';
import { expectedVersionSchema, recordVersionSchema } from '../../http/schemas.ts';
import { usernamePattern, usernameRuleText } from './account-rules.ts';

export const usernameSchema = z.string().trim().toLowerCase().regex(usernamePattern, usernameRuleText);

export const loginBodySchema = z.object({
  username: z.string().trim().min(1, '请输入用户名').max(64),
  password: z.string().min(1, '请输入密码').max(256),
  totp: z.string().trim().max(10).optional(),
});

export const changePasswordBodySchema = z.object({
  currentPassword: z.string().min(1, '请输入当前密码').max(256),
  newPassword: z.string().min(1, '请输入新密码').max(256),
});

export const totpCodeBodySchema = z.object({ code: z.string().trim().min(1, '请输入动态口令').max(10) });

export const scopeSchema = z.object({
  kind: z.enum(['all', 'region', 'etowns', 'entity', 'none']),
  label: z.string(),
  regionCodes: z.array(z.string()),
  /** An enterprise account's own entity (null until the county admits it). */
  entityId: z.string().nullable(),
});

export const meSchema = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(roles),
  roleLabel: z.string(),
  scope: scopeSchema,
  mustChangePassword: z.boolean(),
  totpEnrollmentRequired: z.boolean(),
  totpEnabled: z.boolean(),
  sessionIdleMinutes: z.number(),
  isDemo: z.boolean(),
});
export type Me = z.infer<typeof meSchema>;

export const userSchema = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(roles),
  roleLabel: z.string(),
  scopeRegionCode: z.string().nullable(),
  scopeRegionName: z.string().nullable(),
  expertEtownCodes: z.array(z.string()),
  disabled: z.boolean(),
  lockedUntil: z.string().nullable(),
  totpEnabled: z.boolean(),
  mustChangePassword: z.boolean(),
  isDemo: z.boolean(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
  version: recordVersionSchema,
});
export type UserView = z.infer<typeof userSchema>;

export const createUserBodySchema = z.object({
  username: usernameSchema,
  displayName: z.string().trim().min(1, '请输入姓名').max(60),
  role: z.enum(roles),
  scopeRegionCode: z.string().trim().min(2).max(20).nullish(),
  expertEtownCodes: z
    .array(z.string().regex(/^[0-9]{6}-E[0-9]{2}$/))
    .max(200)
    .optional(),
  entityId: z.uuid().nullish(),
});
export type CreateUserInput = z.infer<typeof createUserBodySchema>;

export const updateUserBodySchema = createUserBodySchema
  .omit({ username: true })
  .partial()
  .extend({ version: expectedVersionSchema });
export type UpdateUserInput = z.infer<typeof updateUserBodySchema>;

export const temporaryPasswordSchema = z.object({ user: userSchema, temporaryPassword: z.string() });
