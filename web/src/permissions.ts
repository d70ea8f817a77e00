import type { Role } from './api-types.ts';

// Mirrors the server's route policies (src/access/policies.ts) so the UI offers only what the server allows.
const regionReaders: Role[] = [
  'province_admin',
  'city_reviewer',
  'county_operator',
  'etown_operator',
  'enterprise',
  'expert',
  'security_admin',
];
const businessRoles: Role[] = [
  'province_admin',
  'city_reviewer',
  'county_operator',
  'etown_operator',
  'enterprise',
  'expert',
];
const groupReaders: Role[] = [
  'province_admin',
  'city_reviewer',
  'county_operator',
  'etown_operator',
  'expert',
];
const writers: Role[] = ['province_admin', 'county_operator'];

export const can = {
  readRegions: (role: Role) => regionReaders.includes(role),
  readEtowns: (role: Role) => businessRoles.includes(role),
  writeEtowns: (role: Role) => writers.includes(role),
  setCountyTier: (role: Role) => role === 'province_admin',
  readLeadingGroups: (role: Role) => groupReaders.includes(role),
  writeLeadingGroups: (role: Role) => writers.includes(role),
  manageUsers: (role: Role) => role === 'security_admin',
  readAudit: (role: Role) => role === 'auditor',
  manageSettings: (role: Role) => role === 'system_admin',
};

/** Where a user lands after signing in. */
export function homePath(role: Role): string {
  if (role === 'auditor') return '/audit';
  if (role === 'system_admin') return '/settings';
  if (role === 'security_admin') return '/users';
  return '/regions';
}
