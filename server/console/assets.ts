/**
 * The console's stylesheet and its one small script, served as static files (no build step,
 * no inline code, so the Content-Security-Policy can stay strict). Colours meet WCAG AA
 * contrast on white; focus is always visible.
 */
export const CONSOLE_CSS = `
:root { --fg:#1a1a1a; --muted:#4a4a4a; --bg:#fff; --line:#c8c8c8; --accent:#0b4f8a; --danger:#a11212; --ok:#1d6b2f; --warn:#8a4b00; }
* { box-sizing: border-box; }
body { margin:0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", sans-serif; color:var(--fg); background:var(--bg); }
a { color:var(--accent); }
:focus-visible { outline:3px solid #ffbf47; outline-offset:2px; }
.skip { position:absolute; left:-999px; top:0; background:#fff; padding:.5rem; }
.skip:focus { left:.5rem; }
header.top { display:flex; gap:1.5rem; align-items:center; padding:.6rem 1.2rem; background:#0b2a45; color:#fff; }
header.top a { color:#fff; }
header.top .who { margin-left:auto; display:flex; gap:.8rem; align-items:center; }
nav ul { list-style:none; display:flex; gap:1rem; margin:0; padding:0; }
main { padding:1rem 1.2rem 3rem; max-width:1200px; }
h1 { font-size:1.5rem; margin:.4rem 0 1rem; }
h2 { font-size:1.15rem; margin:1.6rem 0 .5rem; border-bottom:1px solid var(--line); padding-bottom:.2rem; }
table { border-collapse:collapse; width:100%; }
th, td { text-align:left; padding:.4rem .5rem; border-bottom:1px solid var(--line); vertical-align:top; }
caption { text-align:left; font-weight:600; padding:.3rem 0; }
form.filters { display:flex; flex-wrap:wrap; gap:.8rem; align-items:flex-end; margin-bottom:1rem; }
label { display:block; font-weight:600; font-size:.9rem; }
select, input, textarea { font:inherit; padding:.3rem .4rem; border:1px solid #767676; border-radius:3px; }
textarea { width:100%; min-height:9rem; }
button { font:inherit; padding:.4rem .9rem; border-radius:3px; border:1px solid var(--accent); background:var(--accent); color:#fff; cursor:pointer; }
button.secondary { background:#fff; color:var(--accent); }
button.danger { background:var(--danger); border-color:var(--danger); }
.badge { display:inline-block; padding:0 .45rem; border-radius:3px; font-size:.85rem; font-weight:600; border:1px solid currentColor; }
.u-emergency { color:var(--danger); } .u-urgent { color:var(--warn); } .u-routine { color:var(--muted); }
.overdue { color:var(--danger); font-weight:700; }
.grid { display:grid; grid-template-columns: minmax(0,1fr) minmax(0,1fr); gap:1.5rem; }
@media (max-width: 900px) { .grid { grid-template-columns: 1fr; } }
dl.kv { display:grid; grid-template-columns: max-content 1fr; gap:.2rem 1rem; margin:0; }
dl.kv dt { font-weight:600; }
.msg { white-space:pre-wrap; background:#f4f6f8; border-left:4px solid var(--accent); padding:.6rem .8rem; }
.notice { padding:.6rem .8rem; border:2px solid var(--ok); margin-bottom:1rem; }
.error { padding:.6rem .8rem; border:2px solid var(--danger); margin-bottom:1rem; }
fieldset { border:1px solid var(--line); margin:0 0 1rem; padding:.6rem .9rem; }
.actions form { margin-bottom:1rem; }
.rubric { display:grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap:.6rem 1rem; }
.muted { color:var(--muted); }
`;

/** Counts SLA deadlines down once a second; the server-rendered text is already correct without it. */
export const CONSOLE_JS = `
(function () {
  function fmt(ms) {
    var neg = ms < 0; ms = Math.abs(ms);
    var s = Math.floor(ms / 1000), d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
    var t = d ? d + "d " + h + "h" : h ? h + "h " + m + "m" : m + "m " + (s % 60) + "s";
    return neg ? "overdue by " + t : "due in " + t;
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
})();
`;

/** The same wording as the script, for the server-rendered first paint. */
export function countdown(dueMs: number, nowMs: number): string {
  let ms = dueMs - nowMs;
  const neg = ms < 0;
  ms = Math.abs(ms);
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const t = d ? `${d}d ${h}h` : h ? `${h}h ${m}m` : `${m}m ${s % 60}s`;
  return neg ? `overdue by ${t}` : `due in ${t}`;
}
