import { existsSync } from 'node:fs';
import type QRCode from 'qrcode';
import { AppError } from '../../http/errors.ts';
import { loadPdfKit, loadQrCode } from '../../lib/lazy-packages.ts';
import { traceCodeQrText } from './trace-code.ts';

/** CJK fonts we know how to use (path, and the face inside a collection), in order of preference. */
const CJK_FONTS: { path: string; face?: string }[] = [
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', face: 'WenQuanYiMicroHei' },
];

export function findCjkFont(): { path: string; face?: string } {
  const font = CJK_FONTS.find((candidate) => existsSync(candidate.path));
  if (!font) {
    throw new AppError(
      503,
      'cjk_font_missing',
      '服务器未安装中文字体（Noto Sans CJK，Debian/Ubuntu 软件包 fonts-noto-cjk），无法生成标签；请联系系统管理员安装后重试',
    );
  }
  return font;
}

export type LabelSheetInput = {
  publicUrl: string;
  productName: string;
  batchNumber: string;
  labels: { code: string; serial: number }[];
};

const MM = 72 / 25.4;
const PAGE = { width: 210 * MM, height: 297 * MM };
const MARGIN = 8 * MM;
const COLUMNS = 3;
const ROWS = 8;
const CELL = { width: (PAGE.width - 2 * MARGIN) / COLUMNS, height: (PAGE.height - 2 * MARGIN) / ROWS };
const QR_SIZE = 28 * MM;

/** Where label `index` of a sheet is printed, in millimetres from the page's top left (page counts from 1). */
export function labelCell(index: number): {
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
} {
  const slot = index % (COLUMNS * ROWS);
  return {
    page: Math.floor(index / (COLUMNS * ROWS)) + 1,
    x: (MARGIN + (slot % COLUMNS) * CELL.width) / MM,
    y: (MARGIN + Math.floor(slot / COLUMNS) * CELL.height) / MM,
    width: CELL.width / MM,
    height: CELL.height / MM,
  };
}
const PADDING = 2 * MM;

/** The QR standard's quiet zone: four light modules all round, or scanners misread neighbouring print. */
const QUIET_MODULES = 4;

/** The dark modules of a QR code as rectangles, one per horizontal run, inside its quiet zone. */
function drawQr(
  qr: typeof QRCode,
  doc: PDFKit.PDFDocument,
  text: string,
  x: number,
  y: number,
  size: number,
): void {
  const { modules } = qr.create(text, { errorCorrectionLevel: 'M' });
  const count = modules.size;
  const unit = size / (count + 2 * QUIET_MODULES);
  for (let row = 0; row < count; row += 1) {
    let start = -1;
    for (let column = 0; column <= count; column += 1) {
      const dark = column < count && modules.get(row, column) === 1;
      if (dark && start < 0) start = column;
      if (!dark && start >= 0) {
        // A hair taller than a module, so anti-aliasing leaves no light seam between rows (scanners trip on them).
        doc.rect(
          x + (start + QUIET_MODULES) * unit,
          y + (row + QUIET_MODULES) * unit,
          (column - start) * unit,
          unit * 1.06,
        );
        start = -1;
      }
    }
  }
  doc.fill('#000000');
}

/**
 * An A4 sheet of trace labels, 3 × 8 per page (about 70 × 37 mm each, cut along the grey lines): the QR code
 * with the package's URL, the product, batch, serial and the short code for typing in. The CJK font is
 * embedded as a subset of the characters used, so a sheet stays small.
 */
export async function renderLabelSheet(input: LabelSheetInput): Promise<Buffer> {
  const font = findCjkFont();
  const [PDFDocument, qr] = await Promise.all([loadPdfKit(), loadQrCode()]);
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    autoFirstPage: false,
    info: { Title: `追溯码标签 ${input.productName} ${input.batchNumber}`, Creator: 'e镇通' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', font.path, font.face as string);
  doc.font('cjk');
  const textWidth = CELL.width - 2 * PADDING - QR_SIZE - 1 * MM;
  // Laid out once: every label of the sheet shows the same product and batch.
  const nameLines = fitLines(doc.fontSize(8.5), input.productName, textWidth, 2);
  const batchLine = fitLines(doc.fontSize(7), `批次 ${input.batchNumber}`, textWidth, 1)[0] ?? '';
  const perPage = COLUMNS * ROWS;
  for (let index = 0; index < input.labels.length; index += 1) {
    const label = input.labels[index] as { code: string; serial: number };
    const slot = index % perPage;
    if (slot === 0) {
      // A long sheet must not hold up other requests (scan pages) for seconds.
      if (index > 0) await new Promise((resolve) => setImmediate(resolve));
      doc.addPage({ size: 'A4', margin: 0 });
      drawCutLines(doc);
    }
    const x = MARGIN + (slot % COLUMNS) * CELL.width;
    const y = MARGIN + Math.floor(slot / COLUMNS) * CELL.height;
    const qrY = y + (CELL.height - QR_SIZE) / 2;
    drawQr(qr, doc, traceCodeQrText(input.publicUrl, label.code), x + PADDING, qrY, QR_SIZE);
    const textX = x + PADDING + QR_SIZE + 1 * MM;
    let textY = qrY + 1.5 * MM;
    doc.fillColor('#000000').fontSize(8.5);
    for (const line of nameLines) {
      doc.text(line, textX, textY, { lineBreak: false });
      textY += 11;
    }
    textY += 2;
    doc.fontSize(7).fillColor('#333333');
    doc.text(batchLine, textX, textY, { lineBreak: false });
    doc.text(`序号 ${label.serial}`, textX, textY + 10, { lineBreak: false });
    doc.fontSize(7.5).fillColor('#000000');
    doc.text(label.code, textX, textY + 21, { lineBreak: false, characterSpacing: 0.3 });
    doc.fontSize(6.5).fillColor('#555555');
    doc.text('微信扫码 查验真伪与溯源', textX, textY + 33, { lineBreak: false });
  }
  doc.end();
  return done;
}

/** `text` broken into at most `maxLines` lines of `width` at the current font size, the last one with … if cut. */
function fitLines(doc: PDFKit.PDFDocument, text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  const characters = [...text];
  for (let index = 0; index < characters.length; index += 1) {
    const next = line + characters[index];
    if (doc.widthOfString(next) <= width) {
      line = next;
      continue;
    }
    if (lines.length === maxLines - 1) {
      while (line.length > 0 && doc.widthOfString(`${line}…`) > width) line = line.slice(0, -1);
      lines.push(`${line}…`);
      return lines;
    }
    lines.push(line);
    line = characters[index] as string;
  }
  if (line) lines.push(line);
  return lines;
}

function drawCutLines(doc: PDFKit.PDFDocument): void {
  doc.save().lineWidth(0.3).strokeColor('#bbbbbb').dash(2, { space: 2 });
  for (let column = 0; column <= COLUMNS; column += 1) {
    const x = MARGIN + column * CELL.width;
    doc.moveTo(x, MARGIN).lineTo(x, PAGE.height - MARGIN);
  }
  for (let row = 0; row <= ROWS; row += 1) {
    const y = MARGIN + row * CELL.height;
    doc.moveTo(MARGIN, y).lineTo(PAGE.width - MARGIN, y);
  }
  doc.stroke().undash().restore();
}
