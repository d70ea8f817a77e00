import { createHash } from 'node:crypto';
import { shanghaiMinute } from '../../lib/china-date.ts';
import type { PublicSession } from './session-sign-in.ts';

/**
 * The public QR sign-in page (扫码签到): server-rendered HTML with one inline style sheet, no script, no
 * font, no image — it works in any phone browser with JavaScript off. The ID number typed is never shown.
 */

const STYLE = `*{box-sizing:border-box}body{margin:0;background:#f2f5f3;color:#1d2b27;font:16px/1.6 -apple-system,BlinkMacSystemFont,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;-webkit-text-size-adjust:100%}
main{max-width:480px;margin:0 auto;padding:12px}
.top{color:#1f6f5c;font-size:14px;padding:4px 2px 10px}
.card{background:#fff;border-radius:10px;padding:14px 16px;margin:0 0 12px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
h1{font-size:21px;line-height:1.35;margin:0 0 6px}
dl{margin:0;display:grid;grid-template-columns:auto 1fr;gap:2px 12px;font-size:15px}dt{color:#5b6b66}dd{margin:0;word-break:break-all}
label{display:block;font-weight:600;margin:10px 0 4px}
input{display:block;width:100%;font-size:18px;padding:10px 12px;border:1px solid #b9c6c1;border-radius:8px;background:#fff;color:#1d2b27}
input:focus{outline:2px solid #1f6f5c;border-color:#1f6f5c}
button{display:block;width:100%;margin:16px 0 4px;font-size:18px;padding:12px;border:0;border-radius:8px;background:#1f6f5c;color:#fff}
.alert{border-radius:10px;padding:12px 16px;margin:0 0 12px;font-weight:600}
.alert p{font-weight:400;margin:4px 0 0}
.ok{background:#e3f4ea;color:#17663d}.bad{background:#fde8e8;color:#a3231f}.warn{background:#fff3cd;color:#6b4e00}
.muted{color:#5b6b66;font-size:14px;margin:8px 0 0}
footer{color:#7a8984;font-size:12px;text-align:center;padding:8px 0 24px}`;

/** Its own style sheet, forms posted to itself only, nothing else. */
export const SIGN_IN_PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`;

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const html = (text: string | number) =>
  String(text).replace(/[&<>"']/g, (character) => entities[character] as string);

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="same-origin"><meta name="robots" content="noindex"><title>${html(title)}</title><style>${STYLE}</style></head><body><main><div class="top">e镇通 · 培训扫码签到</div>${body}<footer>本页只用于培训签到，不保存也不显示您输入的身份证号。</footer></main></body></html>`;
}

function sessionCard(session: PublicSession): string {
  return `<section class="card"><h1>${html(session.topic)}</h1><dl><dt>日期</dt><dd>${html(session.heldOn)}</dd><dt>地点</dt><dd>${html(session.place)}</dd><dt>培训机构</dt><dd>${html(session.institutionName)}</dd><dt>所属镇</dt><dd>${html(session.etownName)}</dd></dl></section>`;
}

export type SignInNotice = { tone: 'ok' | 'bad' | 'warn'; title: string; text?: string };

function notice({ tone, title, text }: SignInNotice): string {
  return `<div class="alert ${tone}" role="status">${html(title)}${text ? `<p>${html(text)}</p>` : ''}</div>`;
}

/** The form (again with a notice after a refused attempt; the name typed is kept, the ID number never). */
export function renderSignInForm(
  session: PublicSession,
  options: { notice?: SignInNotice; name?: string } = {},
) {
  const form = `<form class="card" method="post" autocomplete="off"><label for="name">姓名</label><input id="name" name="name" required maxlength="50" value="${html(options.name ?? '')}"><label for="idNumber">身份证号</label><input id="idNumber" name="idNumber" required maxlength="18" inputmode="text" autocapitalize="characters" spellcheck="false" pattern="[0-9]{17}[0-9Xx]" title="18 位身份证号，最后一位可为 X"><button type="submit">签到</button><p class="muted">签到码有效至 ${html(shanghaiMinute(session.expiresAt))}。每人每场只需签到一次。</p></form>`;
  return layout(
    `签到 · ${session.topic}`,
    `${sessionCard(session)}${options.notice ? notice(options.notice) : ''}${form}`,
  );
}

/** The answer to a sign-in that was recorded (or had been already). */
export function renderSignInDone(session: PublicSession, result: SignInNotice): string {
  return layout(`签到 · ${session.topic}`, `${sessionCard(session)}${notice(result)}`);
}

/** An unknown, replaced or expired code. */
export function renderSignInNotFound(): string {
  return layout(
    '签到码无效',
    notice({
      tone: 'bad',
      title: '签到码无效或已过期',
      text: '请向培训组织者索取新的签到二维码后重新扫码。',
    }),
  );
}

/** Too many refused attempts from one address. */
export function renderSignInTooMany(): string {
  return layout(
    '尝试次数过多',
    notice({
      tone: 'warn',
      title: '尝试次数过多',
      text: '为保护个人信息，请 15 分钟后再试，或请培训组织者为您手工签到。',
    }),
  );
}
