import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import type { AppContext } from '../http/context.ts';
import {
  acceptAttachment,
  acceptRawUploads,
  detectDocumentType,
  detectPhotoType,
  MAX_PHOTO_BYTES,
  readAttachment,
  sendAttachment,
  storeAttachment,
  uploadedBytes,
} from './attachments.ts';

/** A zip with stored (uncompressed) entries of the given names, enough for the local-header walk. */
function zipWith(names: string[]): Buffer {
  const parts = names.map((name) => {
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(Buffer.byteLength(name), 26);
    return Buffer.concat([header, Buffer.from(name)]);
  });
  return Buffer.concat(parts);
}

describe('document type by content', () => {
  it('recognises PDF, PNG, JPEG and legacy Office', () => {
    expect(detectDocumentType(Buffer.from('%PDF-1.7\n'))?.mediaType).toBe('application/pdf');
    expect(
      detectDocumentType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))?.mediaType,
    ).toBe('image/png');
    expect(detectDocumentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))?.mediaType).toBe('image/jpeg');
    expect(detectDocumentType(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))?.mediaType).toBe(
      'application/x-ole-storage',
    );
  });

  it('tells Word, Excel and PowerPoint packages apart and refuses other zips', () => {
    expect(detectDocumentType(zipWith(['[Content_Types].xml', 'word/document.xml']))?.label).toBe(
      'Word 文档',
    );
    expect(detectDocumentType(zipWith(['[Content_Types].xml', 'xl/workbook.xml']))?.label).toBe('Excel 表格');
    expect(detectDocumentType(zipWith(['[Content_Types].xml', 'ppt/presentation.xml']))?.label).toBe(
      'PowerPoint 演示文稿',
    );
    expect(detectDocumentType(zipWith(['payload.exe']))).toBeNull();
  });

  it('refuses executables, scripts and text whatever their name', () => {
    expect(detectDocumentType(Buffer.from('MZ\x90\x00'))).toBeNull();
    expect(detectDocumentType(Buffer.from('<script>alert(1)</script>'))).toBeNull();
    expect(detectDocumentType(Buffer.alloc(0))).toBeNull();
  });
});

const PNG_BYTES = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]);
const PDF_BYTES = Buffer.from('%PDF-1.7\n');
const WEBP_BYTES = Buffer.from('RIFF\0\0\0\0WEBPVP8 ');

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    const { status, code, message } = error as { status: number; code: string; message: string };
    return { status, code, message };
  }
  throw new Error('expected a refusal');
};

describe('accepting an upload for its field', () => {
  const photo = { accepts: 'photo', what: '产品图片' } as const;
  const document = { accepts: 'document', what: '证明材料' } as const;

  it('types photos as JPEG, PNG or WebP and documents as PDF, images or Office', () => {
    expect(detectPhotoType(WEBP_BYTES)).toBe('image/webp');
    expect(acceptAttachment(PNG_BYTES, photo)).toBe('image/png');
    expect(acceptAttachment(PDF_BYTES, document)).toBe('application/pdf');
  });

  it('refuses a PDF as a photo and a script as a document, naming the field', () => {
    expect(refusal(() => acceptAttachment(PDF_BYTES, photo))).toEqual({
      status: 415,
      code: 'unsupported_file_type',
      message: '产品图片仅支持 JPEG、PNG 或 WebP 格式',
    });
    expect(refusal(() => acceptAttachment(Buffer.from('<script>'), document))).toEqual({
      status: 415,
      code: 'unsupported_file_type',
      message: '证明材料仅支持 PDF、PNG、JPEG 图片和 Office 文档',
    });
  });

  it('refuses empty files and files over the field limit', () => {
    expect(refusal(() => acceptAttachment(Buffer.alloc(0), photo))).toEqual({
      status: 400,
      code: 'empty_file',
      message: '上传的文件为空',
    });
    const large = Buffer.concat([PNG_BYTES, Buffer.alloc(MAX_PHOTO_BYTES)]);
    expect(refusal(() => acceptAttachment(large, photo))).toEqual({
      status: 413,
      code: 'file_too_large',
      message: '产品图片不能超过 5 MB',
    });
    expect(acceptAttachment(large, document)).toBe('image/png');
  });
});

describe('storing and downloading an attachment', () => {
  const context = { config: { dataDir: 'memory://' } } as AppContext;

  it('reads back what it stored, typed from the bytes when the row keeps no type', async () => {
    const stored = await storeAttachment(
      context,
      'brands',
      { accepts: 'document', what: '检测报告' },
      PDF_BYTES,
    );
    expect(stored).toMatchObject({ mediaType: 'application/pdf', sizeBytes: PDF_BYTES.length });
    const file = await readAttachment(context, 'brands', { fileSha256: stored.sha256, fileName: '报告.pdf' });
    expect(file).toEqual({
      bytes: PDF_BYTES,
      mediaType: 'application/pdf',
      fileName: '报告.pdf',
      sha256: stored.sha256,
    });
  });

  it('answers 404 when the stored file is gone', async () => {
    const missing = readAttachment(context, 'brands', { fileSha256: 'ab'.repeat(32), fileName: 'x.pdf' });
    await expect(missing).rejects.toMatchObject({ status: 404, code: 'not_found', message: '文件不存在' });
  });

  it('sends the UTF-8 file name, type and hash; inline for pictures shown in the page', async () => {
    const app = Fastify();
    acceptRawUploads(app, 1024);
    app.post('/upload', (request) => ({ size: uploadedBytes(request).length }));
    const file = {
      bytes: PNG_BYTES,
      mediaType: 'image/png',
      fileName: '设施 照片(1).png',
      sha256: 'ab'.repeat(32),
    };
    app.get('/download', (_request, reply) => sendAttachment(reply, file));
    app.get('/inline', (_request, reply) => sendAttachment(reply, file, true));

    const download = await app.inject({ method: 'GET', url: '/download' });
    expect(download.headers['content-type']).toBe('image/png');
    // An ASCII fallback for old clients, and the UTF-8 name (RFC 5987) every current browser uses.
    expect(download.headers['content-disposition']).toBe(
      'attachment; filename="?? ??(1).png"; filename*=UTF-8\'\'%E8%AE%BE%E6%96%BD%20%E7%85%A7%E7%89%87%281%29.png',
    );
    expect(download.headers['x-content-sha256']).toBe(file.sha256);
    expect(download.rawPayload).toEqual(PNG_BYTES);
    const inline = await app.inject({ method: 'GET', url: '/inline' });
    expect(inline.headers['content-disposition']).toMatch(/^inline; filename="[^"]*"; filename\*=UTF-8''/);

    const upload = await app.inject({
      method: 'POST',
      url: '/upload',
      headers: { 'content-type': 'application/octet-stream' },
      payload: PDF_BYTES,
    });
    expect(upload.json()).toEqual({ size: PDF_BYTES.length });
    const tooLarge = await app.inject({
      method: 'POST',
      url: '/upload',
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.alloc(2048),
    });
    expect(tooLarge.statusCode).toBe(413);
    await app.close();
  });
});
