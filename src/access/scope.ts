import type { Role } from './roles.ts';

/**
 * What part of the platform a user can see. Anything outside it does not exist for them: 404, never 403,
 * never in a list or a count.
 */
export type Scope =
  | { kind: 'all' }
  | { kind: 'region'; code: string }
  | { kind: 'etowns'; codes: string[] }
  | { kind: 'entity'; entityId: string | null; etownCode: string }
  | { kind: 'none' };

export type Actor = {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  scope: Scope;
  ip: string;
  mustChangePassword: boolean;
  totpEnrollmentRequired: boolean;
  /**
   * The account as the request's session check read it, with the name of its scope's region (one query
   * for both): what `GET /api/me` shows. Absent for actors built otherwise (login, a fresh TOTP enrolment).
   */
  session?: { totpEnabled: boolean; isDemo: boolean; scopeRegionName: string | null };
};

/** Is a region code inside a region subtree? Codes nest by prefix: 14 → 1408 → 140827 → 140827-E01. */
export function isInSubtree(rootCode: string, code: string): boolean {
  return code === rootCode || code.startsWith(rootCode);
}

export function canSeeRegion(scope: Scope, code: string): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'region':
      return isInSubtree(scope.code, code);
    case 'etowns':
      return scope.codes.includes(code);
    case 'entity':
      return scope.etownCode === code;
    case 'none':
      return false;
  }
}

/** The codes whose subtrees a scope covers, for SQL filters (`code like root || '%'`); null means all. */
export function scopeRoots(scope: Scope): string[] | null {
  switch (scope.kind) {
    case 'all':
      return null;
    case 'region':
      return [scope.code];
    case 'etowns':
      return scope.codes;
    case 'entity':
      return [scope.etownCode];
    case 'none':
      return [];
  }
}

/** Roots that only cover themselves (e-towns), as opposed to whole subtrees. */
export function scopeIsLeafOnly(scope: Scope): boolean {
  return scope.kind === 'etowns' || scope.kind === 'entity';
}
