// Packages that take long to load (exceljs and pdfkit a few hundred milliseconds each) and that few requests
// need: loaded on their first use, so that a server start does not wait for them. Node keeps a loaded
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
