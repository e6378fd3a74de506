import { escapeHtml } from '../intake/web-form';
import type { FeedPage } from './publication-store';

/**
 * The public page of published feedback: server-rendered HTML with no script, after the GOV.UK Design System's
 * patterns (a skip link, one h1, a GET form to filter by provider with a real label and button, pagination as a
 * labelled nav with rel links, the month in a <time> element). Everything on it comes from a publication row.
 */

/** Headers of the public pages: no script at all, styles from this API only, never framed, cacheable for a minute. */
export const PUBLIC_PAGE_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'public, max-age=60',
} as const;

export const FEED_CSS = `body{font-family:Arial,sans-serif;font-size:19px;line-height:1.4;color:#0b0c0c;margin:0}
a{color:#1d70b8}a:visited{color:#4c2c92}a:focus,button:focus,select:focus{outline:3px solid #fd0;outline-offset:0;box-shadow:inset 0 0 0 2px #0b0c0c}
.skip{position:absolute;left:-10000px}.skip:focus{position:static}
header.site{background:#005eb8;color:#fff;padding:10px 20px}header.site p{margin:0;font-weight:bold}
main{max-width:760px;margin:0 auto;padding:20px}
label{display:block;font-weight:bold;margin-bottom:5px}select{font:inherit;border:2px solid #0b0c0c;padding:5px;max-width:100%}
button{font:inherit;background:#00703c;color:#fff;border:0;padding:8px 12px;margin-left:8px;box-shadow:0 2px 0 #002d18;cursor:pointer}
ol.feed{list-style:none;padding:0}ol.feed>li{border-top:1px solid #b1b4b6;padding:15px 0}
.meta{color:#505a5f;margin:0 0 8px}.response{border-left:5px solid #b1b4b6;padding-left:15px;margin-top:10px}
nav.pagination ul{list-style:none;padding:0;display:flex;gap:20px}
.form-group{margin-bottom:28px}.form-group-error{border-left:5px solid #d4351c;padding-left:15px}fieldset{border:0;margin:0;padding:0}legend{font-weight:bold}
.radio,.checkbox{margin:8px 0}.radio label,.checkbox label{display:inline;font-weight:normal;margin-left:8px}input[type=radio],input[type=checkbox]{width:24px;height:24px;vertical-align:middle}
textarea{font:inherit;width:100%;box-sizing:border-box;border:2px solid #0b0c0c;padding:5px}[aria-invalid=true]{border-color:#d4351c}
.hint{color:#505a5f;margin:0 0 5px}.error-message{color:#d4351c;font-weight:bold;margin:0 0 5px}
.error-summary{border:5px solid #d4351c;padding:15px;margin-bottom:30px}.error-summary a{color:#d4351c;font-weight:bold}
.panel{background:#00703c;color:#fff;padding:20px;margin-bottom:20px}.summary{border-left:5px solid #1d70b8;padding-left:15px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:5px 20px}dt{font-weight:bold}dd{margin:0}
.visually-hidden{position:absolute!important;width:1px;height:1px;margin:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function monthText(month: string): string {
  const [year, m] = month.split('-');
  return `${MONTH_NAMES[Number(m) - 1] ?? ''} ${year ?? ''}`.trim();
}

/** Line breaks a moderator wrote become paragraphs. */
function paragraphs(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((part) => `<p>${escapeHtml(part.trim()).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

function pageLink(page: number, providerCode: string | undefined): string {
  const params = new URLSearchParams();
  if (providerCode) params.set('provider', providerCode);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return `/public/feedback.html${query ? `?${query}` : ''}`;
}

export function renderFeedPage(input: { feed: FeedPage; providers: { code: string; name: string }[]; provider: { code: string; name: string } | null }): string {
  const { feed, providers, provider } = input;
  const lastPage = Math.max(1, Math.ceil(feed.total / feed.pageSize));
  const heading = provider ? `Published feedback about ${provider.name}` : 'Published feedback';
  const items = feed.items
    .map(
      (item) => `<li><article aria-labelledby="f-${escapeHtml(item.id)}">
<h2 id="f-${escapeHtml(item.id)}">${escapeHtml(item.categoryLabel)}: ${escapeHtml(item.provider.name)}</h2>
<p class="meta">Feedback given in <time datetime="${escapeHtml(item.month)}">${escapeHtml(monthText(item.month))}</time> about ${escapeHtml(item.provider.name)} (${escapeHtml(item.provider.code)}). ${item.status === 'closed' ? 'Closed.' : 'Open.'}</p>
${paragraphs(item.description)}
${item.response ? `<div class="response"><h3>Response from ${escapeHtml(item.provider.name)}, <time datetime="${escapeHtml(item.response.month)}">${escapeHtml(monthText(item.response.month))}</time></h3>${paragraphs(item.response.text)}</div>` : ''}
</article></li>`,
    )
    .join('\n');
  const options = [`<option value="">All providers</option>`, ...providers.map((p) => `<option value="${escapeHtml(p.code)}"${provider?.code === p.code ? ' selected' : ''}>${escapeHtml(p.name)}</option>`)].join('');
  const pagination =
    lastPage > 1
      ? `<nav class="pagination" aria-label="Pages of feedback"><ul>${feed.page > 1 ? `<li><a rel="prev" href="${escapeHtml(pageLink(feed.page - 1, provider?.code))}">Previous page</a></li>` : ''}<li aria-current="page">Page ${feed.page} of ${lastPage}</li>${feed.page < lastPage ? `<li><a rel="next" href="${escapeHtml(pageLink(feed.page + 1, provider?.code))}">Next page</a></li>` : ''}</ul></nav>`
      : '';
  const count = feed.total === 1 ? '1 piece of feedback' : `${feed.total.toLocaleString('en-GB')} pieces of feedback`;
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(heading)}${feed.page > 1 ? ` (page ${feed.page})` : ''} – Care Connect</title>
<link rel="stylesheet" href="/public/feedback.css">
<link rel="alternate" type="application/json" href="/public/feedback${provider ? `?provider=${escapeHtml(encodeURIComponent(provider.code))}` : ''}">
</head>
<body>
<a class="skip" href="#main">Skip to main content</a>
<header class="site"><p class="service">Care Connect: patient feedback and questions</p></header>
<main id="main">
<h1>${escapeHtml(heading)}</h1>
<p>What patients told us about their care, published with their agreement. A moderator has rewritten each one so that no one can be identified from it.</p>
<form method="get" action="/public/feedback.html"><label for="provider">Provider</label><select id="provider" name="provider">${options}</select><button type="submit">Show feedback</button></form>
<p role="status">${count}${lastPage > 1 ? `, page ${feed.page} of ${lastPage}` : ''}.</p>
${feed.items.length ? `<ol class="feed">\n${items}\n</ol>` : '<p>There is no published feedback here yet.</p>'}
${pagination}
</main>
</body>
</html>
`;
}

export function renderPublicProblem(title: string, message: string): string {
  return `<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} – Care Connect</title><link rel="stylesheet" href="/public/feedback.css"></head>
<body><header class="site"><p class="service">Care Connect: patient feedback and questions</p></header><main id="main"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="/public/feedback.html">See all published feedback</a></p></main></body>
</html>
`;
}
