import { createHash } from 'node:crypto';
import { makeRoom } from '../../lib/bounded-map.ts';
import { shanghaiMinute, shanghaiToday } from '../../lib/china-date.ts';
import type { ScanRunData } from './scan-page-data.ts';
import type { CodeScanState } from './scan-recorder.ts';

/**
 * The public scan page (扫码页): server-rendered HTML with one inline style sheet, no script, no web font,
 * no framework — a few KB that a 360-px phone in WeChat shows at once. Everything here is public.
 */

const STYLE = `*{box-sizing:border-box}body{margin:0;background:#f2f5f3;color:#1d2b27;font:16px/1.6 -apple-system,BlinkMacSystemFont,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;-webkit-text-size-adjust:100%}
main{max-width:560px;margin:0 auto;padding:12px}
.top{display:flex;justify-content:space-between;align-items:center;color:#1f6f5c;font-size:14px;padding:4px 2px 10px}
.tag{display:inline-block;border-radius:4px;padding:0 6px;font-size:13px;line-height:22px;white-space:nowrap}
.demo{background:#fff3cd;color:#7a5a00;border:1px solid #e8d08a}
.card{background:#fff;border-radius:10px;padding:14px 16px;margin:0 0 12px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
h1{font-size:21px;line-height:1.35;margin:0 0 4px}h2{font-size:15px;color:#5b6b66;margin:0 0 8px;font-weight:600}
p{margin:0 0 4px}.muted{color:#5b6b66;font-size:14px}
dl{margin:0;display:grid;grid-template-columns:auto 1fr;gap:4px 12px}dt{color:#5b6b66}dd{margin:0;word-break:break-all}
ul{margin:0;padding:0;list-style:none}li{padding:8px 0;border-top:1px solid #edf0ee}li:first-child{border-top:0;padding-top:0}
.ok{background:#e3f4ea;color:#17663d}.bad{background:#fde8e8;color:#a3231f}.off{background:#eef0ef;color:#5b6b66}
.alert{border-radius:10px;padding:12px 16px;margin:0 0 12px;font-weight:600}
.danger{background:#a3231f;color:#fff}.warn{background:#fff3cd;color:#6b4e00;border:1px solid #e8d08a}
.alert p{font-weight:400;margin:4px 0 0}
.scan{margin-top:10px;font-size:14px;color:#33443f;background:#f2f5f3;border-radius:6px;padding:6px 10px}
.buy{display:block;text-align:center;background:#1f6f5c;color:#fff;text-decoration:none;border-radius:8px;padding:11px;margin:8px 0 0;font-size:17px}
.buy small{display:block;font-size:13px;opacity:.85}
footer{color:#7a8984;font-size:12px;text-align:center;padding:8px 0 24px;word-break:break-all}`;

/** The page's Content-Security-Policy: its own style sheet, nothing else, and no scripts at all. */
export const SCAN_PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const html = (text: string | number) =>
  String(text).replace(/[&<>"']/g, (character) => entities[character] as string);

/** A template literal as UTF-8 bytes (its values already escaped). */
function utf8(strings: TemplateStringsArray, ...values: unknown[]): Buffer {
  let text = strings[0] as string;
  for (let index = 0; index < values.length; index += 1) text += `${values[index]}${strings[index + 1]}`;
  return Buffer.from(text);
}

let todayCache = { minute: -1, day: '' };

/** Today in China as YYYY-MM-DD: authorizations and certificates are valid by the Chinese calendar day. */
export function chinaToday(now = new Date()): string {
  // Formatting a date costs microseconds per page; the day changes on a minute boundary (UTC+8).
  const minute = Math.floor(now.getTime() / 60_000);
  if (minute !== todayCache.minute) todayCache = { minute, day: shanghaiToday(now) };
  return todayCache.day;
}

export const certificationLabels: Record<string, string> = {
  green_food: '绿色食品',
  organic: '有机产品',
  geographic_indication: '农产品地理标志',
  compliance_certificate: '承诺达标合格证',
};

export type BrandStanding =
  | { kind: 'authorized'; name: string; certificateNumber: string; validFrom: string; validTo: string }
  | { kind: 'own'; name: string; trademarkNumber: string | null }
  | { kind: 'lapsed'; revoked: boolean }
  | { kind: 'unauthorized' };

/**
 * Whether the page may show the brand: an own brand of the producer, or an authorization that is
 * `authorized` today. Expired, suspended or revoked: the brand is not shown at all.
 */
export function brandStanding(brand: ScanRunData['brand'], today: string): BrandStanding | null {
  if (!brand) return null;
  if (brand.ownedByProducer) return { kind: 'own', name: brand.name, trademarkNumber: brand.trademarkNumber };
  const valid = brand.authorizations
    .filter(
      (authorization) =>
        authorization.status === 'authorized' &&
        authorization.certificateNumber &&
        authorization.validFrom &&
        authorization.validTo &&
        authorization.validFrom <= today &&
        today <= authorization.validTo,
    )
    .sort((a, b) => ((a.validTo ?? '') < (b.validTo ?? '') ? 1 : -1))[0];
  if (valid) {
    return {
      kind: 'authorized',
      name: brand.name,
      certificateNumber: valid.certificateNumber as string,
      validFrom: valid.validFrom as string,
      validTo: valid.validTo as string,
    };
  }
  const once = brand.authorizations.filter((authorization) =>
    ['authorized', 'suspended', 'revoked'].includes(authorization.status),
  );
  if (once.length === 0) return { kind: 'unauthorized' };
  return { kind: 'lapsed', revoked: once.some((authorization) => authorization.status === 'revoked') };
}

export type ScanPageInput = {
  data: ScanRunData;
  code: string;
  serial: number;
  /** The code's state before this scan (the count may lag by one flush of the scan buffer). */
  state: CodeScanState;
  now: Date;
};

function brandSection(standing: BrandStanding | null): string {
  if (!standing) return '';
  let body: string;
  switch (standing.kind) {
    case 'authorized':
      body = `<p><b>${html(standing.name)}</b> <span class="tag ok">品牌授权有效</span></p><p class="muted">授权证书 ${html(standing.certificateNumber)}，有效期 ${html(standing.validFrom)} 至 ${html(standing.validTo)}</p>`;
      break;
    case 'own':
      body = `<p><b>${html(standing.name)}</b> <span class="tag ok">自有品牌</span></p>${standing.trademarkNumber ? `<p class="muted">注册商标 ${html(standing.trademarkNumber)}</p>` : ''}`;
      break;
    case 'lapsed':
      body = `<p><span class="tag bad">授权已失效</span></p><p class="muted">该产品的品牌授权已${standing.revoked ? '撤销' : '失效'}，不能以该品牌名义销售。</p>`;
      break;
    case 'unauthorized':
      body = `<p><span class="tag off">未获品牌授权</span></p>`;
      break;
  }
  return `<section class="card"><h2>品牌</h2>${body}</section>`;
}

type RunFragments = {
  today: string;
  /** The brand's authorization is revoked today: scans are queued for review. */
  brandRevoked: boolean;
  // UTF-8 already: encoding a page of Chinese text on every scan cost more than the rest of the page.
  head: Buffer;
  beforeNotice: Buffer;
  beforeSerial: Buffer;
  afterSerial: Buffer;
};
const fragmentCache = new WeakMap<ScanRunData, RunFragments>();

/** The parts of a run's page that are the same for every code, built once per run and day. */
function runFragments(data: ScanRunData, today: string): RunFragments {
  const cached = fragmentCache.get(data);
  if (cached?.today === today) return cached;
  const { product, batch } = data;
  const standing = brandStanding(data.brand, today);
  const recall = batch.recalledAt
    ? `<section class="alert danger">此批次已召回，请勿食用！${batch.recallReason ? `<p>召回原因：${html(batch.recallReason)}</p>` : ''}<p>如已购买，请停止食用并联系购买渠道退换。</p></section>`
    : '';
  const facts = [
    product.specification ? `规格 ${html(product.specification)}` : '',
    product.category ? html(product.category) : '',
  ].filter(Boolean);
  const place = `${html(data.etown.name)}${data.etown.countyName ? `（${html(data.etown.countyName)}）` : ''}`;
  const producer = data.producer
    ? `<section class="card"><h2>生产主体</h2><p>${html(data.producer.name)}</p><p class="muted">所在乡村e镇：${place}</p></section>`
    : `<section class="card"><h2>产地</h2><p>${place}</p></section>`;
  const inspections =
    data.inspections.length > 0
      ? `<section class="card"><h2>检验检测</h2><ul>${data.inspections
          .map(
            (inspection) =>
              `<li><span class="tag ${inspection.result === 'pass' ? 'ok' : 'bad'}">${inspection.result === 'pass' ? '合格' : '不合格'}</span> ${html(inspection.inspectedOn)}<br><span class="muted">${html(inspection.agency)}：${html(inspection.items)}</span></li>`,
          )
          .join('')}</ul></section>`
      : '';
  const certifications =
    data.certifications.length > 0
      ? `<section class="card"><h2>认证</h2><ul>${data.certifications
          .map((certification) => {
            const expired = !!certification.validTo && certification.validTo < today;
            const term =
              certification.validFrom || certification.validTo
                ? `，有效期 ${html(certification.validFrom ?? '—')} 至 ${html(certification.validTo ?? '—')}`
                : '';
            return `<li>${html(certificationLabels[certification.kind] ?? certification.kind)} ${expired ? '<span class="tag off">已过期</span>' : '<span class="tag ok">有效</span>'}<br><span class="muted">编号 ${html(certification.number)}${certification.issuer ? `，${html(certification.issuer)}` : ''}${term}</span></li>`;
          })
          .join('')}</ul></section>`
      : '';
  // No "buy" button for a recalled batch.
  const shops =
    data.shops.length > 0 && !batch.recalledAt
      ? `<section class="card"><h2>购买渠道</h2>${data.shops
          .map(
            (shop) =>
              `<a class="buy" href="${html(shop.url)}" rel="noopener noreferrer">去购买<small>${html(shop.platform)} · ${html(shop.shopName)}</small></a>`,
          )
          .join('')}</section>`
      : '';
  const fragments: RunFragments = {
    today,
    brandRevoked: standing?.kind === 'lapsed' && standing.revoked,
    head: utf8`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><meta name="referrer" content="no-referrer"><title>${html(product.name)} · 产品追溯</title><style>${STYLE}</style></head><body><main>
<div class="top"><span>e镇通 · 农产品质量追溯</span>${data.demo ? '<span class="tag demo">演示数据</span>' : ''}</div>
${recall}`,
    beforeNotice: utf8`<section class="card"><h1>${html(product.name)}</h1>${facts.length > 0 ? `<p class="muted">${facts.join(' · ')}</p>` : ''}`,
    beforeSerial: utf8`</section>
${brandSection(standing)}${producer}
<section class="card"><h2>批次</h2><dl><dt>批次号</dt><dd>${html(batch.batchNumber)}</dd><dt>生产日期</dt><dd>${html(batch.producedOn)}</dd><dt>产地基地</dt><dd>${html(batch.originBase)}</dd><dt>批次数量</dt><dd>${html(batch.quantity)} ${html(batch.unit)}</dd><dt>本件序号</dt><dd>`,
    afterSerial: utf8`</dd></dl></section>
${inspections}${certifications}${shops}<footer>追溯码 `,
  };
  fragmentCache.set(data, fragments);
  return fragments;
}

/** Whether a scan of this run today is under a revoked authorization (worked out once per run and day). */
export function brandRevokedOn(data: ScanRunData, today: string): boolean {
  return runFragments(data, today).brandRevoked;
}

const FIRST_NOTICE = utf8`<p class="scan">您是第一位查询此码的人。</p>`;
const NOTICE_START = utf8`<p class="scan">此码首次查询于 `;
const NOTICE_MIDDLE = utf8`；含本次已被查询 `;
const NOTICE_END = utf8` 次。</p>`;
const WARNING_START = utf8`<section class="alert warn">此码已被查询 `;
const WARNING_END = utf8` 次，远超一件正常商品的查询次数，可能是仿冒标签。<p>请核对包装与购买渠道，谨慎购买；已提交监管部门核查。</p></section>`;
const FOOTER_END = utf8`<br>本页由 e镇通 乡村e镇服务平台提供，不收集查询者的任何个人信息</footer>
</main></body></html>`;
/** What a code may be written into a page as, unescaped (a decoded code is Crockford base32). */
const PLAIN_CODE = /^[0-9A-Za-z]*$/;

const minuteTexts = new Map<number, string>();

/** A first scan's minute as the page shows it: codes share minutes, and formatting one costs per page. */
function firstScanMinute(at: Date): string {
  const minute = Math.floor(at.getTime() / 60_000);
  let text = minuteTexts.get(minute);
  if (text === undefined) {
    text = shanghaiMinute(at);
    makeRoom(minuteTexts, 10_000);
    minuteTexts.set(minute, text);
  }
  return text;
}

/**
 * Pages are cut from slabs of 256 KB: `Buffer.allocUnsafe` takes a page of this size from Node's 8 KB pool,
 * so every other page allocated a new ArrayBuffer (some 8 % of a repeat scan's CPU, and more collection).
 * A page is never written again once handed out; a slab is freed with the last page cut from it.
 */
const SLAB_BYTES = 256 * 1024;
let slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
let slabUsed = 0;

function pageBuffer(length: number): Buffer {
  if (length > SLAB_BYTES / 8) return Buffer.allocUnsafeSlow(length);
  if (slabUsed + length > SLAB_BYTES) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    slabUsed = 0;
  }
  const page = slab.subarray(slabUsed, slabUsed + length);
  slabUsed += (length + 7) & ~7;
  return page;
}

/**
 * A page from its parts: UTF-8 buffers, and short ASCII strings (numbers, times, codes) copied a character
 * a byte, which costs less than a call into the encoder for a few characters.
 */
function assemble(parts: (Buffer | string)[]): Buffer {
  let length = 0;
  for (const part of parts) length += part.length;
  const page = pageBuffer(length);
  let at = 0;
  for (const part of parts) {
    if (typeof part === 'string') {
      for (let index = 0; index < part.length; index += 1) page[at + index] = part.charCodeAt(index);
    } else {
      page.set(part, at);
    }
    at += part.length;
  }
  return page;
}

/** A code's page as UTF-8: the run's fragments, built once per run and day, around what is the code's own. */
export function renderScanPage(input: ScanPageInput): Buffer {
  const { data, code, serial, now, state } = input;
  const fragments = runFragments(data, chinaToday(now));
  const scans = String(state.scanCount + 1);
  const parts: (Buffer | string)[] = [fragments.head];
  if (state.scanCount + 1 > data.excessiveScanThreshold) parts.push(WARNING_START, scans, WARNING_END);
  parts.push(fragments.beforeNotice);
  if (state.scanCount === 0 || !state.firstScannedAt) parts.push(FIRST_NOTICE);
  else parts.push(NOTICE_START, firstScanMinute(state.firstScannedAt), NOTICE_MIDDLE, scans, NOTICE_END);
  parts.push(fragments.beforeSerial, String(serial), fragments.afterSerial);
  parts.push(PLAIN_CODE.test(code) ? code : Buffer.from(html(code)), FOOTER_END);
  return assemble(parts);
}

/** The page for a code that does not exist or was altered. */
export function renderScanNotFound(): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>未找到追溯信息</title><style>${STYLE}</style></head><body><main>
<div class="top"><span>e镇通 · 农产品质量追溯</span></div>
<section class="alert warn">未找到此追溯码<p>请核对追溯码是否输入完整；如果是扫描包装上的二维码得到此页面，该标签可能不是本平台签发的，请谨慎购买。</p></section>
</main></body></html>`;
}

/** The page when the database cannot be reached: the scan is not lost for lack of a page. */
export function renderScanUnavailable(): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>暂时无法查询</title><style>${STYLE}</style></head><body><main>
<section class="alert warn">追溯查询暂时不可用<p>请稍后再扫码查询。</p></section>
</main></body></html>`;
}
