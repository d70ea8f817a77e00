import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import * as schema from '../db/schema/index.ts';

/** Which module writes each table; every other module changes it through that module's functions. */
const ownerOf: Record<string, string> = {
  users: 'accounts',
  loginThrottles: 'accounts',
  passwordHistory: 'accounts',
  sessions: 'accounts',
  expertAssignments: 'accounts',
  auditLog: 'audit',
  auditChainHead: 'audit',
  regions: 'regions',
  countyTierChanges: 'regions',
  etownProfiles: 'regions',
  leadingGroups: 'regions',
  leadingGroupUnits: 'regions',
  leadingGroupMembers: 'regions',
  entities: 'entities',
  entityTagAssignments: 'entities',
  entityShops: 'entities',
  entityTagEvents: 'entities',
  entryApplications: 'entities',
  creditRecords: 'entities',
  enterpriseInvitations: 'entities',
  monthlyStatistics: 'stats',
  monthlyEtownTotals: 'stats',
  regionDataVersions: 'system',
  cityOutputGrowth: 'stats',
  statsDeadlines: 'stats',
  brands: 'brands',
  products: 'brands',
  promotionEvents: 'brands',
  mediaChannels: 'brands',
  brandAuthorizations: 'brands',
  brandAuthorizationEvents: 'brands',
  brandSupervisionChecks: 'brands',
  productCertifications: 'brands',
  productPhotos: 'brands',
  productShops: 'brands',
  productBatches: 'brands',
  batchInspections: 'brands',
  traceCodeRuns: 'trace',
  traceCodes: 'trace',
  codeScans: 'trace',
  scanTallies: 'trace',
  scanAnomalies: 'trace',
  evaluations: 'indicators',
  evaluationItems: 'indicators',
  evaluationItemEvents: 'indicators',
  evidenceFiles: 'indicators',
  evaluationExperts: 'indicators',
  expertScores: 'indicators',
  rectificationItems: 'indicators',
  notifications: 'notifications',
  fundPolicies: 'funds',
  fundApplications: 'funds',
  fundApplicationFiles: 'funds',
  fundAccounts: 'funds',
  fundTransactions: 'funds',
  fundEntries: 'funds',
  fundDisbursements: 'funds',
  idempotencyKeys: 'funds',
  countyFundSettings: 'funds',
  fundDisbursementRequests: 'funds',
  projects: 'projects',
  projectMilestones: 'projects',
  projectProgressReports: 'projects',
  projectPhotos: 'projects',
  investments: 'projects',
  facilities: 'projects',
  facilityPhotos: 'projects',
  complianceIncidents: 'projects',
  inspections: 'projects',
  inspectionFindings: 'projects',
  findingFiles: 'projects',
  policyDocuments: 'projects',
  jobs: 'jobs',
  systemSettings: 'system',
  trainings: 'talent',
  talentPeople: 'talent',
  talentPersonEvidence: 'talent',
  trainees: 'talent',
  traineeFollowUps: 'talent',
  trainingSessions: 'talent',
  trainingAttendance: 'talent',
  pavilions: 'portal',
  supplyChains: 'portal',
};

/** Files that write other modules' tables on purpose: fixtures for tests and benches only. */
const allowedFiles = new Set(['trace/trace-fixtures.ts']);

const modulesFolder = path.dirname(fileURLToPath(import.meta.url));

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** `tx.insert(table)`, `.update(table)`, `.delete(table)`: the table written, by its schema name. */
function writtenTables(source: string): string[] {
  return [...source.matchAll(/\.(?:insert|update|delete)\(\s*(\w+)\s*\)/g)].flatMap((match) =>
    match[1] && match[1] in ownerOf ? [match[1]] : [],
  );
}

describe('table ownership', () => {
  it('names an owning module for every table of the schema', () => {
    const tables = Object.entries(schema)
      .filter(([, value]) => is(value, PgTable))
      .map(([name]) => name);
    expect(tables.filter((name) => !(name in ownerOf))).toEqual([]);
    expect(Object.keys(ownerOf).filter((name) => !tables.includes(name))).toEqual([]);
  });

  it('finds a write to another module’s table', () => {
    expect(writtenTables('await tx.insert(users).values(row); await db.update(x).set({})')).toEqual([
      'users',
    ]);
  });

  it('lets a module write only its own tables', () => {
    const violations = sourceFiles(modulesFolder).flatMap((file) => {
      const relative = path.relative(modulesFolder, file).split(path.sep).join('/');
      const module = relative.split('/')[0];
      if (allowedFiles.has(relative)) return [];
      return writtenTables(readFileSync(file, 'utf8'))
        .filter((table) => ownerOf[table] !== module)
        .map((table) => `${relative} writes ${table} (owned by ${ownerOf[table]})`);
    });
    expect(violations).toEqual([]);
  });
});
