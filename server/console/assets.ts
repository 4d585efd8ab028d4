/**
 * The console's stylesheet and its one small script, served as static files (no build step,
 * no inline code, so the Content-Security-Policy can stay strict). Colours meet WCAG AA
 * contrast on white; focus is always visible. Layout target: at 1280 px the case page shows
 * the decision, its reasons and the decision buttons in the first 800 px, and nothing scrolls
 * sideways (long words and citations wrap).
 */
import { STRINGS, type Strings, span } from "./i18n.js";

export const CONSOLE_CSS = `
:root { --fg:#1a1a1a; --muted:#4a4a4a; --bg:#fff; --soft:#f4f6f8; --line:#c8c8c8; --accent:#0b4f8a; --danger:#a11212; --ok:#1d6b2f; --warn:#8a4b00; }
* { box-sizing: border-box; }
body { margin:0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; color:var(--fg); background:var(--bg); overflow-wrap:break-word; }
a { color:var(--accent); }
:focus-visible { outline:3px solid #ffbf47; outline-offset:2px; }
.skip { position:absolute; left:-999px; top:0; background:#fff; padding:.5rem; z-index:2; }
.skip:focus { left:.5rem; }
header.top { display:flex; gap:1.5rem; align-items:center; padding:.45rem 1.2rem; background:#0b2a45; color:#fff; flex-wrap:wrap; }
header.top a { color:#fff; }
header.top .who { margin-left:auto; display:flex; gap:.8rem; align-items:center; }
header.top .langs { list-style:none; display:flex; gap:.6rem; margin:0; padding:0; font-size:.9rem; }
header.top .langs [aria-current] { font-weight:700; text-decoration:none; }
header.top button.secondary { padding:.2rem .7rem; }
nav ul { list-style:none; display:flex; gap:1rem; margin:0; padding:0; }
main { padding:.6rem 1.2rem 3rem; max-width:1280px; margin:0 auto; }
h1 { font-size:1.35rem; margin:.2rem 0 .4rem; }
h2 { font-size:1.05rem; margin:1rem 0 .4rem; border-bottom:1px solid var(--line); padding-bottom:.15rem; }
h3 { font-size:.95rem; margin:.5rem 0 .3rem; }
.card h2:first-child, .card h3:first-child { margin-top:0; }
table { border-collapse:collapse; width:100%; }
th, td { text-align:left; padding:.35rem .45rem; border-bottom:1px solid var(--line); vertical-align:top; overflow-wrap:anywhere; }
caption { text-align:left; font-weight:600; padding:.3rem 0; }
table.fixed { table-layout:fixed; }
form.filters { display:flex; flex-wrap:wrap; gap:.8rem; align-items:flex-end; margin-bottom:.8rem; }
label { display:block; font-weight:600; font-size:.88rem; }
select, input, textarea { font:inherit; padding:.25rem .4rem; border:1px solid #767676; border-radius:3px; max-width:100%; }
textarea { width:100%; min-height:5.2rem; resize:vertical; }
button { font:inherit; padding:.35rem .85rem; border-radius:3px; border:1px solid var(--accent); background:var(--accent); color:#fff; cursor:pointer; }
button.secondary { background:#fff; color:var(--accent); }
button.danger { background:var(--danger); border-color:var(--danger); }
button:disabled { opacity:.55; cursor:not-allowed; }
.kbd { display:inline-block; font: 600 .78rem/1 ui-monospace, SFMono-Regular, Menlo, monospace; border:1px solid currentColor; border-radius:3px; padding:.05rem .3rem; margin-left:.4rem; opacity:.9; }
.badge { display:inline-block; padding:0 .45rem; border-radius:3px; font-size:.85rem; font-weight:600; border:1px solid currentColor; white-space:nowrap; }
.u-emergency { color:var(--danger); } .u-urgent { color:var(--warn); } .u-routine { color:var(--muted); }
.overdue { color:var(--danger); font-weight:700; }
.grid { display:grid; grid-template-columns: minmax(0,1fr) minmax(0,1fr); gap:1rem 1.4rem; }
.top-grid { display:grid; grid-template-columns: minmax(0,1.1fr) minmax(0,1fr); gap:1rem; align-items:start; margin-bottom:.6rem; }
@media (max-width: 900px) { .grid, .top-grid { grid-template-columns: 1fr; } }
.card { border:1px solid var(--line); border-radius:6px; padding:.6rem .8rem; background:#fff; min-width:0; }
.card.decision { border-left:6px solid var(--muted); }
.card.decision.u-emergency { border-left-color:var(--danger); color:inherit; }
.card.decision.u-urgent { border-left-color:var(--warn); color:inherit; }
.card.act { background:var(--soft); }
.meta { display:flex; flex-wrap:wrap; gap:.3rem 1.1rem; margin:0 0 .5rem; color:var(--muted); font-size:.9rem; }
.meta b { color:var(--fg); font-weight:600; }
dl.kv { display:grid; grid-template-columns: max-content minmax(0,1fr); gap:.15rem .9rem; margin:0; }
dl.kv dt { font-weight:600; }
dl.kv dd { margin:0; min-width:0; }
.msg { white-space:pre-wrap; background:var(--soft); border-left:4px solid var(--accent); padding:.45rem .7rem; margin:.3rem 0; }
.msg.clamp { max-height:7.5em; overflow:auto; }
ul.reasons { margin:.2rem 0 .4rem; padding-left:1.2rem; }
ul.chips { list-style:none; display:flex; flex-wrap:wrap; gap:.3rem; margin:.2rem 0 0; padding:0; }
ul.chips li { background:#eef2f6; border:1px solid #b9c4cf; border-radius:999px; padding:0 .55rem; font-size:.85rem; }
ul.chips li.danger { background:#fbeaea; border-color:#d9a3a3; color:var(--danger); font-weight:600; }
ul.rules { padding-left:1.1rem; margin:.2rem 0; }
ul.rules li { margin-bottom:.25rem; }
.tag { font-size:.78rem; text-transform:uppercase; letter-spacing:.03em; color:var(--muted); }
.notice { padding:.45rem .8rem; border:2px solid var(--ok); margin:0 0 .6rem; }
.error { padding:.45rem .8rem; border:2px solid var(--danger); margin:0 0 .6rem; }
fieldset { border:1px solid var(--line); margin:0; padding:.4rem .7rem .6rem; min-width:0; }
.act form { margin:0 0 .55rem; }
.act .row { display:flex; flex-wrap:wrap; gap:.5rem; align-items:center; }
.act .row select { flex:1 1 12rem; }
.act details { margin-top:.35rem; }
.act details summary { cursor:pointer; font-size:.88rem; }
.hint { font-size:.85rem; color:var(--muted); margin:.1rem 0 .5rem; }
.rubric { display:grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap:.5rem 1rem; }
.muted { color:var(--muted); }
table.queue col.w-case { width:8.5rem; } table.queue col.w-pat { width:9.5rem; } table.queue col.w-urg { width:6.4rem; }
table.queue col.w-st { width:6.8rem; } table.queue col.w-ch { width:6rem; } table.queue col.w-rules { width:10.5rem; }
table.queue col.w-open { width:8.5rem; } table.queue col.w-sla { width:9rem; }
table.draft col.w-item { width:10.5rem; } table.draft col.w-cite { width:9.5rem; }
td.preview { color:var(--fg); font-size:.92rem; }
td.nowrap, th.nowrap { white-space:nowrap; }
.pat { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size:.88rem; }
ol.conv { padding-left:1.2rem; margin:.2rem 0; }
ol.conv li[aria-current] > strong::after { content:" ◀"; color:var(--accent); }
details.audit summary { cursor:pointer; font-weight:600; margin-top:1rem; }
`;

/**
 * Counts SLA deadlines down once a second (words from the body's data-* attributes, so the
 * script stays language-neutral), and the case page's keyboard shortcuts: a key with a
 * [data-shortcut] target focuses it — A the Approve button (Enter then sends), E the edit box,
 * R the reject reason — unless the reviewer is typing in a field or holds a modifier.
 */
export const CONSOLE_JS = `
(function () {
  var b = document.body;
  var dueIn = b.getAttribute("data-due-in") || "due in {t}";
  var overdue = b.getAttribute("data-overdue") || "overdue by {t}";
  var u = (b.getAttribute("data-units") || "d,h,m,s").split(",");
  function fmt(ms) {
    var neg = ms < 0; ms = Math.abs(ms);
    var s = Math.floor(ms / 1000), d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
    var t = d ? d + u[0] + " " + h + u[1] : h ? h + u[1] + " " + m + u[2] : m + u[2] + " " + (s % 60) + u[3];
    return (neg ? overdue : dueIn).replace("{t}", t);
  }
  function tick() {
    var els = document.querySelectorAll("[data-due]");
    for (var i = 0; i < els.length; i++) {
      var ms = Date.parse(els[i].getAttribute("data-due")) - Date.now();
      els[i].textContent = fmt(ms);
      els[i].className = ms < 0 ? "overdue" : "";
    }
  }
  tick(); setInterval(tick, 1000);

  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    var t = e.target, tag = t && t.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
    var k = (e.key || "").toLowerCase();
    if (k.length !== 1) return;
    var el = document.querySelector('[data-shortcut="' + k + '"]');
    if (!el || el.disabled) return;
    e.preventDefault();
    el.scrollIntoView({ block: "nearest" });
    el.focus();
    // The edit box: continue at the end of the draft.
    if (el.tagName === "TEXTAREA") { var n = el.value.length; el.setSelectionRange(n, n); }
  });
})();
`;

/** The same wording as the script, for the server-rendered first paint. */
export function countdown(dueMs: number, nowMs: number, t: Strings = STRINGS.en): string {
  const ms = dueMs - nowMs;
  return ms < 0 ? t.overdueBy(span(ms, t)) : t.dueIn(span(ms, t));
}
