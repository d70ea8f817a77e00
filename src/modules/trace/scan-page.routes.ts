import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { policies } from '../../access/policies.ts';
import type { AppContext } from '../../http/context.ts';
import { scanRunData } from './scan-page-data.ts';
import {
  brandStanding,
  chinaToday,
  renderScanNotFound,
  renderScanPage,
  renderScanUnavailable,
  SCAN_PAGE_CSP,
} from './scan-page-html.ts';
import { scanClient, scanRecorderFor } from './scan-recorder.ts';
import { traceCodeSigner } from './trace-code.ts';

/**
 * `/t/<code>`: the public page a QR code on a package opens (GS1 Digital Link style: one URL per unit on
 * our own domain). The code itself names its run and carries a MAC, so a forged code is refused without a
 * database query and the product data comes from a per-run cache; only the code's scan count is read
 * (once, then counted in memory).
 */
export const scanPageRoutes: FastifyPluginAsync<{ context: AppContext }> = async (app, { context }) => {
  const signer = traceCodeSigner(context.secretKeyHex);
  const recorder = scanRecorderFor(context);
  const notFoundPage = renderScanNotFound();
  const unavailablePage = renderScanUnavailable();
  // Scans still in the buffer are written before the database closes.
  app.addHook('onClose', () => recorder.close());

  const page = (reply: FastifyReply, status: number, html: string) =>
    reply
      .status(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', SCAN_PAGE_CSP)
      .header('cache-control', 'no-store')
      .send(html);

  const handler = async (request: FastifyRequest<{ Params: { code: string } }>, reply: FastifyReply) => {
    const parts = signer.decode(request.params.code);
    if (!parts) return page(reply, 404, notFoundPage);
    try {
      const data = await scanRunData(context, parts.runNumber);
      if (!data || parts.serial < data.firstSerial || parts.serial >= data.firstSerial + data.count) {
        return page(reply, 404, notFoundPage);
      }
      const state = await recorder.state(parts.code);
      const now = new Date();
      if (request.method === 'GET') {
        const standing = brandStanding(data.brand, chinaToday(now));
        recorder.record({
          code: parts.code,
          runId: data.runId,
          scannedAt: now,
          client: scanClient(request.headers['user-agent']),
          recalled: !!data.batch.recalledAt,
          brandRevoked: standing?.kind === 'lapsed' && standing.revoked,
          threshold: data.excessiveScanThreshold,
        });
      }
      return page(reply, 200, renderScanPage({ data, code: parts.code, serial: parts.serial, state, now }));
    } catch (error) {
      request.log.error({ err: error }, 'scan page failed');
      return page(reply, 503, unavailablePage);
    }
  };

  const options = {
    config: { policy: policies.public },
    schema: { hide: true },
    // A few KB: compressing each page would cost more CPU than the bytes it saves.
    compress: false as const,
  };
  app.get('/t/:code', options, handler);
  // The QR code carries the URL in upper case (alphanumeric mode, a smaller code).
  app.get('/T/:code', options, handler);
};
