// Packages that take long to load (exceljs and pdfkit a few hundred milliseconds each) or that a start does
// not need (argon2 until a login, pg-copy-streams until an import on PostgreSQL): loaded on their first use,
// so that a server start does not wait for them. Node keeps a loaded
// module, so later calls cost nothing.
import type ExcelJS from 'exceljs';

export async function loadExcelJS(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}

export async function loadPdfKit(): Promise<typeof import('pdfkit')> {
  return (await import('pdfkit')).default;
}

export async function loadQrCode(): Promise<typeof import('qrcode')> {
  return (await import('qrcode')).default;
}

export async function loadArgon2(): Promise<typeof import('@node-rs/argon2')> {
  return import('@node-rs/argon2');
}

export async function loadCopyFrom(): Promise<typeof import('pg-copy-streams').from> {
  return (await import('pg-copy-streams')).from;
}
