import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { policies } from '../../access/policies.ts';
import type { AppContext } from '../../http/context.ts';
import { logger } from '../../lib/logger.ts';
import { cachedScanRunData, type ScanRunData, scanRunData } from './scan-page-data.ts';
import {
  brandRevokedOn,
  chinaToday,
  renderScanNotFound,
  renderScanPage,
  renderScanUnavailable,
  SCAN_PAGE_CSP,
} from './scan-page-html.ts';
import { type CodeScanState, scanClient, scanRecorderFor } from './scan-recorder.ts';
import { ScannedSerials } from './scanned-serials.ts';
import { type TraceCodeSigner, traceCodeSigner, traceMacKeyOf } from './trace-code.ts';

/** A scan page: its status and its UTF-8 body. */
export type ScanAnswer = { status: number; body: Buffer };

/** Every scan page's headers besides its length: the same whichever path answered it. */
export const SCAN_PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': SCAN_PAGE_CSP,
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
} as const;

export type ScanPages = {
  /**
   * The page for a code as typed in the URL; a GET records the scan. Answered at once when the run's data
   * and the code's state are in memory (a repeat scan), else once they are read.
   */
  answer(codeText: string, method: string, userAgent: string | undefined): ScanAnswer | Promise<ScanAnswer>;
  /**
   * Answers a raw request for `/t/<code>` or `/T/<code>` before the web framework sees it, or returns
   * false (anything but a plain GET/HEAD of a plain code) so the framework answers it the usual way.
   */
  serveRaw(request: IncomingMessage, response: ServerResponse): boolean;
  /** Writes the scans still buffered (server shutdown). */
  close(): Promise<void>;
};

const PLAIN_PATH = /^\/[tT]\/([0-9A-Za-z]{1,40})$/;

type Decoded = NonNullable<ReturnType<TraceCodeSigner['decode']>>;

const inRun = (data: ScanRunData, parts: Decoded) =>
  parts.serial >= data.firstSerial && parts.serial < data.firstSerial + data.count;

/**
 * `/t/<code>`: the public page a QR code on a package opens (GS1 Digital Link style: one URL per unit on
 * our own domain). The code itself names its run and carries a MAC, so a forged code is refused without a
 * database query and the product data comes from a per-run cache; only the code's scan count is read
 * (once, then counted in memory).
 */
export function scanPages(context: AppContext): ScanPages {
  const signer = traceCodeSigner(traceMacKeyOf(context));
  const recorder = scanRecorderFor(context);
  const serials = new ScannedSerials(context);
  const notFound: ScanAnswer = { status: 404, body: Buffer.from(renderScanNotFound()) };
  const unavailable: ScanAnswer = { status: 503, body: Buffer.from(renderScanUnavailable()) };

  /** The page of a code in its run, the scan recorded (a GET). */
  const page = (
    parts: Decoded,
    data: ScanRunData,
    state: CodeScanState,
    method: string,
    userAgent: string | undefined,
  ): ScanAnswer => {
    const now = new Date();
    if (method === 'GET') {
      serials.mark(data, parts.serial);
      recorder.record({
        code: parts.code,
        runId: data.runId,
        scannedAt: now,
        client: scanClient(userAgent),
        recalled: !!data.batch.recalledAt,
        brandRevoked: brandRevokedOn(data, chinaToday(now)),
        threshold: data.excessiveScanThreshold,
      });
    }
    return {
      status: 200,
      body: renderScanPage({ data, code: parts.code, serial: parts.serial, state, now }),
    };
  };

  /** A code no instance has scanned yet: its state needs no read (a HEAD leaves it unscanned). */
  const firstScanState = (parts: Decoded, data: ScanRunData, method: string) => {
    if (serials.unscanned(data, parts.serial) !== true) return undefined;
    if (method !== 'GET') return { firstScannedAt: null, scanCount: 0 };
    return recorder.firstScanState(parts);
  };

  const answerLater = async (
    parts: Decoded,
    method: string,
    userAgent: string | undefined,
  ): Promise<ScanAnswer> => {
    try {
      const data = await scanRunData(context, parts.runNumber);
      if (!data || !inRun(data, parts)) return notFound;
      return page(parts, data, await recorder.state(parts), method, userAgent);
    } catch (error) {
      logger.error({ err: error }, '扫码页面生成失败');
      return unavailable;
    }
  };

  const answer = (codeText: string, method: string, userAgent: string | undefined) => {
    // A code this process knows was checked when it was first read: its MAC is not computed again.
    let known = recorder.knownState(codeText);
    const parts = known?.checked ?? signer.decode(codeText);
    if (!parts) return notFound;
    if (!known && parts.code !== codeText) known = recorder.knownState(parts.code);
    const data = cachedScanRunData(context, parts.runNumber);
    if (data === null) return notFound;
    if (data === undefined) return answerLater(parts, method, userAgent);
    if (!inRun(data, parts)) return notFound;
    const state = known ?? firstScanState(parts, data, method);
    if (!state) return answerLater(parts, method, userAgent);
    try {
      return page(parts, data, state, method, userAgent);
    } catch (error) {
      logger.error({ err: error }, '扫码页面生成失败');
      return unavailable;
    }
  };

  const serveRaw = (request: IncomingMessage, response: ServerResponse): boolean => {
    const method = request.method;
    if (method !== 'GET' && method !== 'HEAD') return false;
    const match = PLAIN_PATH.exec(request.url ?? '');
    if (!match) return false;
    const send = ({ status, body }: ScanAnswer) => {
      response.writeHead(status, { ...SCAN_PAGE_HEADERS, 'content-length': body.length });
      response.end(method === 'HEAD' ? undefined : body);
    };
    const answered = answer(match[1] as string, method, request.headers['user-agent']);
    if (answered instanceof Promise) void answered.then(send);
    else send(answered);
    return true;
  };

  return { answer, serveRaw, close: () => recorder.close() };
}

/**
 * The same pages through Fastify: what `app.inject` and any request the raw path declines (an encoded or
 * decorated URL, a query string) reach. The running server answers plain scans before routing (see
 * buildApp's serverFactory): a scan page needs none of the framework's hooks, and skipping them is a
 * third of the page's cost.
 */
export const scanPageRoutes: FastifyPluginAsync<{ pages: ScanPages }> = async (app, { pages }) => {
  // Scans still in the buffer are written before the database closes.
  app.addHook('onClose', () => pages.close());

  const options = {
    config: { policy: policies.public },
    schema: { hide: true },
    // A few KB: compressing each page would cost more CPU than the bytes it saves.
    compress: false as const,
  };
  const handler = async (request: FastifyRequest<{ Params: { code: string } }>, reply: FastifyReply) => {
    const { status, body } = await pages.answer(
      request.params.code,
      request.method,
      request.headers['user-agent'],
    );
    return reply.status(status).headers(SCAN_PAGE_HEADERS).send(body);
  };
  app.get('/t/:code', options, handler);
  // The QR code carries the URL in upper case (alphanumeric mode, a smaller code).
  app.get('/T/:code', options, handler);
};
