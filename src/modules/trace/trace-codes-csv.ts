import { Readable } from 'node:stream';
import { escapeFormula } from '../indicators/ledger-xlsx.ts';
import { traceCodeSigner, traceCodeUrl } from './trace-code.ts';

const CHUNK = 20_000;

const csvField = (text: string) => {
  const safe = escapeFormula(text);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/**
 * The CSV a printing house needs (UTF-8 with BOM, for Excel): code, URL, serial, product, batch, one line
 * per package. The codes are recomputed from the run, not read back: a million lines stream in seconds.
 */
export function traceCodesCsv(input: {
  macKeyHex: string;
  publicUrl: string;
  runNumber: number;
  firstSerial: number;
  count: number;
  productName: string;
  batchNumber: string;
}): Readable {
  const signer = traceCodeSigner(input.macKeyHex);
  const tail = `,${csvField(input.productName)},${csvField(input.batchNumber)}\r\n`;
  async function* lines() {
    yield '\uFEFF追溯码,网址,序号,产品,批次\r\n';
    for (let done = 0; done < input.count; done += CHUNK) {
      const size = Math.min(CHUNK, input.count - done);
      const codes = signer.codes(input.runNumber, input.firstSerial + done, size);
      let text = '';
      for (let index = 0; index < size; index += 1) {
        const code = codes[index] as string;
        text += `${code},${traceCodeUrl(input.publicUrl, code)},${input.firstSerial + done + index}${tail}`;
      }
      yield text;
    }
  }
  return Readable.from(lines(), { objectMode: false });
}
