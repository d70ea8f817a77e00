import { z } from 'zod';
import { usernameSchema } from '../accounts/accounts.schemas.ts';

export const invitationStatuses = ['pending', 'accepted', 'revoked', 'expired'] as const;
export type InvitationStatus = (typeof invitationStatuses)[number];

export const invitationStatusLabels = {
  pending: '待接受',
  accepted: '已接受',
  revoked: '已撤销',
  expired: '已过期',
} as const satisfies Record<InvitationStatus, string>;

/** What the county sees of an invitation; never the token, which exists only in the link shown once. */
export const invitationSchema = z.object({
  id: z.uuid(),
  entityId: z.uuid(),
  inviteeName: z.string(),
  status: z.enum(invitationStatuses),
  invitedByName: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  acceptedAt: z.string().nullable(),
  /** The account opened with the invitation. */
  acceptedUser: z.object({ username: z.string(), displayName: z.string() }).nullable(),
  revokedAt: z.string().nullable(),
});
export type InvitationView = z.infer<typeof invitationSchema>;

export const createInvitationBodySchema = z.object({
  inviteeName: z
    .string('请填写被邀请人姓名')
    .trim()
    .min(1, '请填写被邀请人姓名')
    .max(60, '被邀请人姓名最多 60 个字'),
});
export type CreateInvitationInput = z.infer<typeof createInvitationBodySchema>;

export const createdInvitationSchema = z.object({
  invitation: invitationSchema,
  /** The link path with the one-time token (`/invite/<token>`); shown once, not stored. */
  link: z.string(),
});
export type CreatedInvitation = z.infer<typeof createdInvitationSchema>;

/** The token in the link: 32 random bytes, base64url. Anything else is simply not found. */
export const invitationTokenParams = z.object({ token: z.string().max(200) });

/** What the public invitation page shows: whom it greets and for which entity — nothing more. */
export const publicInvitationSchema = z.object({
  entityName: z.string(),
  etownName: z.string(),
  inviteeName: z.string(),
  expiresAt: z.string(),
});
export type PublicInvitation = z.infer<typeof publicInvitationSchema>;

export const acceptInvitationBodySchema = z.object({
  username: usernameSchema,
  displayName: z.string('请填写姓名').trim().min(1, '请填写姓名').max(60, '姓名最多 60 个字'),
  password: z.string('请设置密码').min(1, '请设置密码').max(256, '密码最多 256 位'),
});
export type AcceptInvitationInput = z.infer<typeof acceptInvitationBodySchema>;

export const acceptedInvitationSchema = z.object({ username: z.string(), entityName: z.string() });
