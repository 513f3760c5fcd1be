/**
 * The document shell: inline CSS only. The Content-Security-Policy forbids scripts and every
 * network load, so even a mistake elsewhere could not make the report fetch anything.
 */
import { escapeHtml } from '../escape.js';

const CSS = `
:root{--ink:#1f2933;--muted:#5f6b7a;--line:#e3e7ec;--bg:#f4f6f8;--card:#fff;--accent:#0072B2;--hero:#15233b;
--warn-bg:#fff6e6;--warn-line:#f0b44c;--ok:#00754a;--bad:#b3261e}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);
font:14px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans","Liberation Sans",sans-serif}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono","DejaVu Sans Mono",monospace;font-size:.92em}
.wrap{max-width:1180px;margin:0 auto;padding:0 28px}
.hero{background:var(--hero);color:#fff;padding:30px 0 26px}
.hero .eyebrow{color:#9fb3c8;text-transform:uppercase;letter-spacing:.08em;font-size:12px;font-weight:600}
.hero h1{margin:4px 0 6px;font-size:28px;line-height:1.2;font-weight:700;overflow-wrap:anywhere}
.hero .meta{color:#c9d6e3;font-size:13px}
.hero .meta code{color:#fff}
nav.toc{background:#fff;border-bottom:1px solid var(--line);position:sticky;top:0;z-index:1}
nav.toc .wrap{display:flex;gap:22px;overflow-x:auto;white-space:nowrap}
nav.toc a{display:inline-block;padding:11px 0;color:var(--muted);text-decoration:none;font-weight:600;font-size:13px}
nav.toc a:hover{color:var(--accent)}
main{padding:8px 0 40px}
main,footer{overflow-wrap:anywhere}
section{margin-top:34px}
h2{font-size:20px;margin:0 0 12px;padding-bottom:6px;border-bottom:2px solid var(--line)}
h3{font-size:18px;margin:0}
h4{font-size:12px;margin:16px 0 8px;color:var(--muted);text-transform:uppercase;letter-spacing:.06em}
h4 code,h4 small{text-transform:none;letter-spacing:0}
.card>h4:first-child{margin-top:0}
p.intro{color:var(--muted);margin:-4px 0 14px;max-width:80ch}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px}
.tile{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px;box-shadow:0 1px 2px rgba(16,24,40,.05)}
.tile .label{color:var(--muted);font-size:12px;font-weight:600;text-transform:uppercase;letter-spacing:.05em}
.tile .value{font-size:24px;font-weight:700;font-variant-numeric:tabular-nums;margin-top:2px}
.tile .sub{color:var(--muted);font-size:12px}
.callout{background:var(--card);border:1px solid var(--line);border-left:4px solid var(--accent);border-radius:8px;padding:12px 16px;margin:14px 0 0}
.callout.warn{background:var(--warn-bg);border-color:var(--warn-line);border-left-color:var(--warn-line)}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:20px 22px;box-shadow:0 1px 3px rgba(16,24,40,.06);margin-bottom:18px}
.overview{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1.25fr);gap:18px;align-items:start;margin-bottom:18px}
.overview .card{margin:0}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;margin:10px 0 0;padding:0;list-style:none;font-size:13px}
.legend li{display:flex;align-items:center;gap:6px;min-width:0}
.legend li>span:last-child{min-width:0}
.swatch{display:inline-block;width:12px;height:12px;border-radius:50%;flex:none}
.swatch.square{border-radius:2px}
.swatch.diamond{border-radius:1px;transform:rotate(45deg) scale(.85)}
.seg-head{display:flex;align-items:center;gap:14px;flex-wrap:wrap}
.seg-head .swatch{width:16px;height:16px}
.seg-head>div:nth-child(2){flex:1 1 280px;min-width:0;overflow-wrap:anywhere}
.seg-head .eyebrow{color:var(--muted);font-size:12px;font-weight:600;text-transform:uppercase;letter-spacing:.06em}
.seg-head .size{margin-left:auto;text-align:right;font-variant-numeric:tabular-nums}
.seg-head .size strong{font-size:20px}
.share-bar{height:8px;background:var(--line);border-radius:4px;margin:12px 0 4px;overflow:hidden}
.share-bar span{display:block;height:100%;border-radius:4px}
.desc{font-size:15px;margin:10px 0 0;max-width:90ch}
.seg-body{display:grid;grid-template-columns:minmax(0,1.45fr) minmax(0,1fr);gap:26px}
.chips{display:flex;flex-wrap:wrap;gap:6px;margin:0 0 8px;padding:0;list-style:none}
.chips li{border-radius:999px;padding:2px 10px;font-size:12.5px;border:1px solid var(--line);background:#f8fafc}
.chips.over li{border-color:#9cc7e4;background:#eef6fc}
.chips.under li{border-color:#f0b9a0;background:#fdf1ec}
.chips .none{color:var(--muted);border-style:dashed;background:none}
.rule{background:#f8fafc;border:1px solid var(--line);border-radius:10px;padding:4px 16px 14px}
.rule pre{white-space:pre-wrap;word-break:break-word;background:#fff;border:1px solid var(--line);border-radius:6px;padding:10px 12px;margin:0 0 10px}
.badge{display:inline-block;font-size:12px;font-weight:600;border-radius:999px;padding:1px 9px}
.badge.ok{color:var(--ok);background:#e6f4ee}
.badge.bad{color:var(--bad);background:#fbeaea}
.badge.warn{color:#8a5300;background:var(--warn-bg)}
.meters{display:grid;grid-template-columns:auto 1fr auto;gap:6px 10px;align-items:center;font-size:13px;margin:8px 0 10px}
.meters svg{width:100%;height:10px;display:block}
.metrics{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:8px;margin:0}
.metrics div{background:#fff;border:1px solid var(--line);border-radius:6px;padding:6px 8px}
.metrics dt{color:var(--muted);font-size:11px;text-transform:uppercase;letter-spacing:.05em}
.metrics dd{margin:0;font-weight:700;font-variant-numeric:tabular-nums}
details{margin-top:8px}
summary{cursor:pointer;color:var(--accent);font-size:13px;font-weight:600}
svg.chart{max-width:100%;height:auto;display:block;font-size:12px}
svg.chart .tick{fill:var(--muted);font-size:11px}
svg.chart .tick-strong{fill:var(--ink);font-weight:700}
svg.chart .ref{fill:var(--bad);font-size:11px}
svg.chart .axis-label{fill:var(--muted);font-size:12px;font-weight:600}
svg.chart .bar-label{fill:var(--ink)}
svg.chart .bar-value{fill:var(--ink);font-variant-numeric:tabular-nums}
svg.chart .badge-label{font-size:12px;font-weight:700}
figure{margin:0}
figcaption{color:var(--muted);font-size:12.5px;margin-top:6px}
.small-multiples{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:14px;margin-bottom:16px}
.small-multiples figure{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 12px}
.small-multiples svg.chart{width:100%}
.small-multiples h3{font-size:13px;margin:0 0 4px}
.small-multiples h3 small{color:var(--muted);font-weight:400}
.table-wrap{overflow-x:auto;overflow-wrap:normal;background:var(--card);border:1px solid var(--line);border-radius:10px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{padding:7px 12px;text-align:left;vertical-align:top;border-bottom:1px solid var(--line)}
th{background:#f8fafc;color:var(--muted);font-size:12px;font-weight:600;white-space:nowrap}
tbody tr:last-child td{border-bottom:0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.chosen td{background:#fff8e1;font-weight:700}
tr.total td{font-weight:700;background:#f8fafc}
tr.muted td{color:var(--muted)}
.card .table-wrap{border:0;border-radius:0;margin-top:8px}
.files code{display:block;word-break:break-all}
.ok{color:var(--ok)}.bad{color:var(--bad)}.over{color:#0072B2}.under{color:#D55E00}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
footer{border-top:1px solid var(--line);margin-top:40px;padding:18px 0 30px;color:var(--muted);font-size:12.5px}
footer code{word-break:break-all}
@media (max-width:860px){.overview,.seg-body{grid-template-columns:minmax(0,1fr)}.wrap{padding:0 16px}}
@media (max-width:600px){figure,.chart-scroll{overflow-x:auto}figure svg.chart,.chart-scroll svg.chart{min-width:calc(var(--w) * .75)}}
@media print{
body{background:#fff;font-size:11.5px}
nav.toc{display:none}
.hero{background:#fff;color:var(--ink);padding:0 0 10px;border-bottom:2px solid var(--ink)}
.hero .meta,.hero .eyebrow{color:var(--muted)}.hero .meta code{color:var(--ink)}
.card,.tile,.small-multiples figure,.table-wrap{box-shadow:none;break-inside:avoid}
section{break-inside:auto}
h2{break-after:avoid}
a{color:inherit;text-decoration:none}
}
`;

// Blocks scripts and every fetch (no default-src); only the inline <style> and style attributes are allowed.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/**
 * Wraps the body in a complete, self-contained HTML document.
 *
 * @example
 * page('segmint report', '<main></main>').startsWith('<!doctype html>'); // true
 */
export function page(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CSP)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
