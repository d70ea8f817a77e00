import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { labelCell, renderLabelSheet } from './label-sheet.ts';
import { traceCodeQrText, traceCodeSigner } from './trace-code.ts';

const available = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
// Reading the printed codes back needs zbar-tools and poppler-utils: .ci/run installs them, and a machine
// without them fails here instead of skipping the test.
const requireTools = (...commands: string[]) => {
  const missing = commands.filter((command) => !available(command));
  expect(missing, `install ${missing.join(', ')} (apt-get install zbar-tools poppler-utils)`).toEqual([]);
};

describe('label sheets', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'ezhen-labels-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const signer = traceCodeSigner('0123456789abcdef0123456789abcdef');
  const publicUrl = 'https://ez.example.cn';
  const labels = signer.codes(17, 101, 30).map((code, index) => ({ code, serial: 101 + index }));

  it('print QR codes a phone can read: each decodes to its package URL', async () => {
    requireTools('zbarimg', 'pdftoppm');
    const pdf = await renderLabelSheet({
      publicUrl,
      productName: '皋陶香菇礼盒（250g×4袋）',
      batchNumber: 'XG-2025-0918',
      labels,
    });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // 30 labels on two pages, the CJK font subset: tens of KB, not the 16 MB font.
    expect(pdf.length).toBeLessThan(300 * 1024);
    const file = path.join(folder, 'labels.pdf');
    writeFileSync(file, pdf);
    // One label at a time, as a phone sees it (zbarimg misses some codes in a page full of them).
    const dpi = 200;
    const pixels = (millimetres: number) => String(Math.round((millimetres * dpi) / 25.4));
    const decoded = labels.map((_, index) => {
      const cell = labelCell(index);
      const prefix = path.join(folder, `label-${index}`);
      const crop = [
        '-x',
        pixels(cell.x),
        '-y',
        pixels(cell.y),
        '-W',
        pixels(cell.width),
        '-H',
        pixels(cell.height),
      ];
      const page = ['-f', String(cell.page), '-l', String(cell.page)];
      execFileSync('pdftoppm', ['-r', String(dpi), ...page, ...crop, '-singlefile', '-png', file, prefix], {
        stdio: 'ignore',
      });
      return execFileSync('zbarimg', ['--quiet', '--raw', '-Sqrcode.enable', `${prefix}.png`], {
        encoding: 'utf8',
        // zbarimg complains on stderr when there is no D-Bus; only its answer matters.
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    });
    expect(decoded).toEqual(labels.map((label) => traceCodeQrText(publicUrl, label.code)));
    // The QR text opens the scan page: the upper-case URL names the same code.
    const first = decoded.find((text) => text.endsWith(labels[0]?.code as string)) as string;
    expect(first).toBe(`HTTPS://EZ.EXAMPLE.CN/T/${labels[0]?.code}`);
    expect(signer.decode(first.split('/T/')[1] as string)).toMatchObject({ runNumber: 17, serial: 101 });
  }, 60_000);

  it('list the product, batch and serial as text beside each code', async () => {
    requireTools('pdftotext');
    const pdf = await renderLabelSheet({
      publicUrl,
      productName: '皋陶香菇礼盒',
      batchNumber: 'XG-2025-0918',
      labels: labels.slice(0, 3),
    });
    const file = path.join(folder, 'text.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    for (const expected of ['皋陶香菇礼盒', '批次 XG-2025-0918', '序号 101', labels[2]?.code as string]) {
      expect(text).toContain(expected);
    }
  });
});
