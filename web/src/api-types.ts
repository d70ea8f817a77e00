/**
 * Being replaced by the types generated from the OpenAPI document (./api/types.ts): the names re-exported
 * here serve the pages that have not moved yet; the ledger job summary below is the last hand-typed shape.
 */
export type {
  Boundary,
  EtownDetail,
  GroupDetail,
  GroupMember,
  GroupSummary,
  GroupUnit,
  Job,
  MemberPosition,
  RegionNode,
} from './api/types.ts';
export type { LonLat as Position } from './geo.ts';

/** Where a problem of a rejected ledger file is: sheet / row / column for XLSX, the field path for JSON. */
export type LedgerProblem = {
  sheet: string;
  row: number | null;
  column: string | null;
  path: string;
  code: string;
  message: string;
};

export type LedgerImportJobSummary =
  | {
      etownCode: string;
      year: number;
      counts: Record<string, number>;
      keptEntities: string[];
      /** Absent in summaries of imports made before brands and products were merged. */
      keptBrands?: string[];
      keptProducts?: string[];
      keptInvestments?: string[];
      keptFacilities?: string[];
      warnings: LedgerProblem[];
    }
  | { problemCount: number; problems: LedgerProblem[]; warnings: LedgerProblem[] };
