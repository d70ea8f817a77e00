import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { policies } from '../../access/policies.ts';
import type { AppContext } from '../../http/context.ts';
import { logger } from '../../lib/logger.ts';
import { scanRunData } from './scan-page-data.ts';
import {
  brandRevokedOn,
  chinaToday,
  renderScanNotFound,
  renderScanPage,
  renderScanUnavailable,
  SCAN_PAGE_CSP,
} from './scan-page-html.ts';
import { scanClient, scanRecorderFor } from './scan-recorder.ts';
import { traceCodeSigner, traceMacKeyOf } from './trace-code.ts';

export type ScanAnswer = { status: number; html: string };

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
  /** The page for a code as typed in the URL; a GET records the scan. */
  answer(codeText: string, method: string, userAgent: string | undefined): Promise<ScanAnswer>;
  /**
   * Answers a raw request for `/t/<code>` or `/T/<code>` before the web framework sees it, or returns
   * false (anything but a plain GET/HEAD of a plain code) so the framework answers it the usual way.
   */
  serveRaw(request: IncomingMessage, response: ServerResponse): boolean;
  /** Writes the scans still buffered (server shutdown). */
  close(): Promise<void>;
};

const PLAIN_PATH = /^\/[tT]\/([0-9A-Za-z]{1,40})$/;

/**
 * `/t/<code>`: the public page a QR code on a package opens (GS1 Digital Link style: one URL per unit on
 * our own domain). The code itself names its run and carries a MAC, so a forged code is refused without a
 * database query and the product data comes from a per-run cache; only the code's scan count is read
 * (once, then counted in memory).
 */
export function scanPages(context: AppContext): ScanPages {
  const signer = traceCodeSigner(traceMacKeyOf(context));
  const recorder = scanRecorderFor(context);
  const notFound: ScanAnswer = { status: 404, html: renderScanNotFound() };
  const unavailable: ScanAnswer = { status: 503, html: renderScanUnavailable() };

  const answer = async (
    codeText: string,
    method: string,
    userAgent: string | undefined,
  ): Promise<ScanAnswer> => {
    const parts = signer.decode(codeText);
    if (!parts) return notFound;
    try {
      const data = await scanRunData(context, parts.runNumber);
      if (!data || parts.serial < data.firstSerial || parts.serial >= data.firstSerial + data.count) {
        return notFound;
      }
      const state = await recorder.state(parts.code);
      const now = new Date();
      if (method === 'GET') {
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
        html: renderScanPage({ data, code: parts.code, serial: parts.serial, state, now }),
      };
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
    void answer(match[1] as string, method, request.headers['user-agent']).then(({ status, html }) => {
      const body = Buffer.from(html);
      response.writeHead(status, { ...SCAN_PAGE_HEADERS, 'content-length': body.length });
      response.end(method === 'HEAD' ? undefined : body);
    });
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
    const { status, html } = await pages.answer(
      request.params.code,
      request.method,
      request.headers['user-agent'],
    );
    return reply.status(status).headers(SCAN_PAGE_HEADERS).send(html);
  };
  app.get('/t/:code', options, handler);
  // The QR code carries the URL in upper case (alphanumeric mode, a smaller code).
  app.get('/T/:code', options, handler);
};
