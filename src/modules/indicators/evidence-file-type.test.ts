import { describe, expect, it } from 'vitest';
import { detectEvidenceFileType } from './evidence-file-type.ts';

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

describe('evidence file type by content', () => {
  it('recognises PDF, PNG, JPEG and legacy Office', () => {
    expect(detectEvidenceFileType(Buffer.from('%PDF-1.7\n'))?.mediaType).toBe('application/pdf');
    expect(
      detectEvidenceFileType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))?.mediaType,
    ).toBe('image/png');
    expect(detectEvidenceFileType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))?.mediaType).toBe('image/jpeg');
    expect(
      detectEvidenceFileType(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))?.mediaType,
    ).toBe('application/x-ole-storage');
  });

  it('tells Word, Excel and PowerPoint packages apart and refuses other zips', () => {
    expect(detectEvidenceFileType(zipWith(['[Content_Types].xml', 'word/document.xml']))?.label).toBe(
      'Word 文档',
    );
    expect(detectEvidenceFileType(zipWith(['[Content_Types].xml', 'xl/workbook.xml']))?.label).toBe(
      'Excel 表格',
    );
    expect(detectEvidenceFileType(zipWith(['[Content_Types].xml', 'ppt/presentation.xml']))?.label).toBe(
      'PowerPoint 演示文稿',
    );
    expect(detectEvidenceFileType(zipWith(['payload.exe']))).toBeNull();
  });

  it('refuses executables, scripts and text whatever their name', () => {
    expect(detectEvidenceFileType(Buffer.from('MZ\x90\x00'))).toBeNull();
    expect(detectEvidenceFileType(Buffer.from('<script>alert(1)</script>'))).toBeNull();
    expect(detectEvidenceFileType(Buffer.alloc(0))).toBeNull();
  });
});
