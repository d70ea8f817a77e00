import { randomBytes } from 'node:crypto';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Actor } from '../../access/scope.ts';
import { entities } from '../../db/schema/entities.ts';
import { trainees, trainingAttendance, trainingSessions } from '../../db/schema/talent.ts';
import type { AppContext } from '../../http/context.ts';
import { idNumberBlindIndex, idNumberProblem, normalizeIdNumber } from '../../lib/id-number.ts';
import { loadQrCode } from '../../lib/lazy-packages.ts';
import { sm3Hex } from '../../lib/national-crypto.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { regionNames } from '../regions/region-names.ts';
import { requireVisibleSession } from './training-sessions.service.ts';

/** How long a sign-in code opened on the session page stays valid. */
export const SIGN_IN_CODE_HOURS = 12;
/** Digits and upper-case letters without 0/O, 1/I/L: QR alphanumeric mode, easy to read aloud. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const CODE_LENGTH = 16;
/** The shape of a code in a URL: anything else is refused without a database query. */
export const SIGN_IN_CODE_PATTERN = /^[2-9A-HJKMNP-Z]{16}$/;

/** The audit log's actor for a sign-in on the public page (no account). */
export const publicSignInActor = (ip: string) => ({ username: '公开签到', ip });

function newCode(): string {
  const bytes = randomBytes(CODE_LENGTH);
  let code = '';
  for (const byte of bytes) code += ALPHABET[byte % ALPHABET.length];
  return code;
}

const codeHash = (code: string) => sm3Hex(`training-sign-in:${code}`);

export type SignInCode = { url: string; expiresAt: string; qrSvg: string };

/**
 * Opens a new sign-in code for a session the actor may write (404 outside their scope): the previous code
 * stops working. Only the code's hash is stored; the URL and its QR image are shown once.
 */
export async function openSignInCode(context: AppContext, actor: Actor, id: string): Promise<SignInCode> {
  const code = newCode();
  const expiresAt = new Date(Date.now() + SIGN_IN_CODE_HOURS * 3_600_000);
  await context.database.db.transaction(async (tx) => {
    const session = await requireVisibleSession(tx, actor, id);
    await tx
      .update(trainingSessions)
      .set({ signInCodeHash: codeHash(code), signInCodeExpiresAt: expiresAt })
      .where(eq(trainingSessions.id, id));
    await recordAudit(tx, actor, {
      action: 'training.session.sign_in_code',
      targetType: 'training_session',
      targetId: id,
      regionCode: session.etownCode,
      diff: { expiresAt: expiresAt.toISOString() },
    });
  });
  const url = `${context.config.publicUrl}/s/${code}`;
  const qr = await loadQrCode();
  const qrSvg = await qr.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { url, expiresAt: expiresAt.toISOString(), qrSvg };
}

export type PublicSession = {
  id: string;
  etownCode: string;
  etownName: string;
  institutionName: string;
  heldOn: string;
  place: string;
  topic: string;
  capacity: number;
  expiresAt: Date;
};

/** The session a code opens while it is valid, or null (unknown, replaced or expired code). */
export async function sessionOfCode(context: AppContext, code: string): Promise<PublicSession | null> {
  if (!SIGN_IN_CODE_PATTERN.test(code)) return null;
  const db = context.database.db;
  const [row] = await db
    .select({ session: trainingSessions, institutionName: entities.name })
    .from(trainingSessions)
    .innerJoin(entities, eq(entities.id, trainingSessions.institutionEntityId))
    .where(
      and(
        eq(trainingSessions.signInCodeHash, codeHash(code)),
        gt(trainingSessions.signInCodeExpiresAt, new Date()),
      ),
    );
  if (!row?.session.signInCodeExpiresAt) return null;
  const { session } = row;
  const names = await regionNames(db, [session.etownCode]);
  return {
    id: session.id,
    etownCode: session.etownCode,
    etownName: names.get(session.etownCode) ?? session.etownCode,
    institutionName: row.institutionName,
    heldOn: session.heldOn,
    place: session.place,
    topic: session.topic,
    capacity: session.capacity,
    expiresAt: session.signInCodeExpiresAt as Date,
  };
}

export type SignInOutcome =
  | { kind: 'signed_in' | 'already'; name: string }
  | { kind: 'unknown' | 'full' }
  | { kind: 'invalid_id'; message: string };

/** Names compared as people type them: spaces (full- or half-width) do not count. */
const sameName = (a: string, b: string) => a.replace(/[\s\u3000]/g, '') === b.replace(/[\s\u3000]/g, '');

/**
 * One person signs in on the public page: the trainee of the session's e-town whose ID number (found by
 * its blind index) and name both match; once per session, within its capacity. Never creates a trainee.
 */
export async function signInPublicly(
  context: AppContext,
  session: PublicSession,
  input: { name: string; idNumber: string },
  ip: string,
): Promise<SignInOutcome> {
  const problem = idNumberProblem(input.idNumber);
  if (problem) return { kind: 'invalid_id', message: problem.message };
  const index = idNumberBlindIndex(normalizeIdNumber(input.idNumber), context.secretKeyHex);
  return context.database.db.transaction(async (tx) => {
    // The session's row lock orders concurrent sign-ins, so its capacity holds.
    await tx.execute(
      sql`select 1 from ${trainingSessions} where ${trainingSessions.id} = ${session.id} for update`,
    );
    const [trainee] = await tx
      .select({ id: trainees.id, name: trainees.name })
      .from(trainees)
      .where(and(eq(trainees.idNumberIndex, index), eq(trainees.etownCode, session.etownCode)));
    if (!trainee || !sameName(trainee.name, input.name)) return { kind: 'unknown' };
    const attendance = await tx
      .select({ traineeId: trainingAttendance.traineeId })
      .from(trainingAttendance)
      .where(eq(trainingAttendance.sessionId, session.id));
    if (attendance.some((row) => row.traineeId === trainee.id))
      return { kind: 'already', name: trainee.name };
    if (attendance.length >= session.capacity) return { kind: 'full' };
    await tx.insert(trainingAttendance).values({
      sessionId: session.id,
      traineeId: trainee.id,
      etownCode: session.etownCode,
      source: 'qr',
    });
    await recordAudit(tx, publicSignInActor(ip), {
      action: 'training.attendance.add',
      targetType: 'training_session',
      targetId: session.id,
      regionCode: session.etownCode,
      diff: { source: 'qr', added: [trainee.id], alreadyPresent: 0 },
    });
    return { kind: 'signed_in', name: trainee.name };
  });
}
