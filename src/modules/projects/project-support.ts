import { inArray, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Actor } from '../../access/scope.ts';
import { regionScopeCondition } from '../../access/scope-sql.ts';
import type { Executor } from '../../db/client.ts';
import { regions } from '../../db/schema/regions.ts';
import type { AppContext } from '../../http/context.ts';
import { AppError, badRequest, conflict } from '../../http/errors.ts';
import { fileStorageFor } from '../../lib/file-storage.ts';
import { detectPhotoType } from '../brands/brand-files.ts';
import { detectEvidenceFileType, MAX_EVIDENCE_BYTES } from '../indicators/evidence-file-type.ts';

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
export const MAX_DOCUMENT_BYTES = MAX_EVIDENCE_BYTES;

/** Rows of the e-towns in the actor's scope, by the row's e-town column; a region filter narrows it. */
export const inScope = (actor: Actor, column: PgColumn, regionCode?: string): SQL | undefined => {
  const scope = regionScopeCondition(actor.scope, column);
  const region = regionCode ? sql`${column} like ${`${regionCode}%`}` : undefined;
  return scope && region ? sql`${scope} and ${region}` : (scope ?? region);
};

export async function regionNames(executor: Executor, codes: readonly string[]) {
  const unique = [...new Set(codes)];
  if (unique.length === 0) return new Map<string, string>();
  const rows = await executor
    .select({ code: regions.code, name: regions.name })
    .from(regions)
    .where(inArray(regions.code, unique));
  return new Map(rows.map((row) => [row.code, row.name]));
}

/** Optimistic locking: the client edits the version it read. */
export function requireVersion(current: number, given: number, what: string) {
  if (current !== given) throw conflict('version_conflict', `${what}已被他人修改，请刷新后重试`);
}

function requireSize(bytes: Buffer, max: number, what: string) {
  if (bytes.length === 0) throw badRequest('empty_file', '上传的文件为空');
  if (bytes.length > max) {
    throw new AppError(413, 'file_too_large', `${what}不能超过 ${max / 1024 / 1024} MB`);
  }
}

const storage = (context: AppContext) => fileStorageFor(context.config.dataDir, 'projects');

/** Project, progress and facility photos: typed by their bytes, JPEG, PNG or WebP only. */
export async function storeProjectPhoto(context: AppContext, bytes: Buffer, what = '照片') {
  requireSize(bytes, MAX_PHOTO_BYTES, what);
  const mediaType = detectPhotoType(bytes);
  if (!mediaType) throw new AppError(415, 'unsupported_file_type', `${what}仅支持 JPEG、PNG 或 WebP 格式`);
  const { sha256 } = await storage(context).put(bytes);
  return { sha256, mediaType, sizeBytes: bytes.length };
}

/** Rectification evidence and policy documents: PDF, images or Office documents, typed by their bytes. */
export async function storeProjectDocument(context: AppContext, bytes: Buffer, what: string) {
  requireSize(bytes, MAX_DOCUMENT_BYTES, what);
  const type = detectEvidenceFileType(bytes);
  if (!type) {
    throw new AppError(415, 'unsupported_file_type', `${what}仅支持 PDF、PNG、JPEG 图片和 Office 文档`);
  }
  const { sha256 } = await storage(context).put(bytes);
  return { sha256, mediaType: type.mediaType, sizeBytes: bytes.length };
}

/** A stored photo, attachment or document as a download answers it: its bytes, type, name and hash. */
export async function readProjectFile(
  context: AppContext,
  row: { fileSha256: string; fileName: string; mediaType: string },
) {
  return {
    bytes: await storage(context).get(row.fileSha256),
    mediaType: row.mediaType,
    fileName: row.fileName,
    sha256: row.fileSha256,
  };
}

export const fileView = (row: { id: string; fileName: string; mediaType: string; sizeBytes: number }) => ({
  id: row.id,
  fileName: row.fileName,
  mediaType: row.mediaType,
  sizeBytes: row.sizeBytes,
});
