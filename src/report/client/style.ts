// The report's (and the app's) stylesheet, inlined into each page.
export const REPORT_CSS = `
:root{--x:#2b6cb0;--y:#c05621;--fg:#1a202c;--muted:#5a6475;--bg:#f7f8fa;--card:#fff;--line:#dde1e7;--focus:#805ad5}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:20px 24px 4px}
h1{margin:0 0 4px;font-size:22px;overflow-wrap:anywhere}
h2{font-size:18px;margin:26px 0 10px}
h3{margin:0 0 4px;font-size:16px;display:flex;align-items:center;gap:8px;flex-wrap:wrap}
h4{margin:14px 0 6px;font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
main{padding:0 24px 24px;max-width:1400px}
.muted{color:var(--muted)}
.local{background:#e6fffa;border:1px solid #81e6d9;border-radius:6px;padding:6px 10px;display:inline-block}
.summary{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:12px}
.box{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px;overflow-wrap:anywhere}
.box .big{font-size:22px;font-weight:600}
.toolbar{display:flex;gap:8px;flex-wrap:wrap;margin:10px 0}
button{font:inherit;border:1px solid var(--line);background:#fff;border-radius:6px;padding:4px 10px;cursor:pointer;color:var(--fg)}
button:hover{border-color:#a0aec0}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.png{font-size:12px;padding:2px 8px;color:var(--muted)}
.chart{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:8px;position:relative}
.chart svg{display:block;width:100%;height:auto}
.chart-head{display:flex;justify-content:space-between;align-items:center;gap:8px}
.chooser{display:flex;gap:6px;flex-wrap:wrap;margin:8px 0}
.chooser button[aria-pressed=true]{color:#fff;border-color:transparent}
.chooser button.side-x[aria-pressed=true]{background:var(--x)}
.chooser button.side-y[aria-pressed=true]{background:var(--y)}
.maps{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:12px}
.map canvas{width:100%;aspect-ratio:1/1;display:block;touch-action:none}
.tip{position:absolute;pointer-events:none;background:#fff;border:1px solid #a0aec0;border-radius:6px;padding:4px 8px;font-size:12px;box-shadow:0 2px 6px rgba(0,0,0,.15);max-width:240px;overflow-wrap:anywhere;z-index:5}
.tip img{display:block;width:56px;height:56px;image-rendering:pixelated;object-fit:contain}
.legend{display:flex;flex-wrap:wrap;align-items:center;gap:4px 12px;font-size:12px;color:var(--muted);margin-top:6px}
.legend i{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:4px;vertical-align:-1px}
.legend svg{vertical-align:-4px;margin-right:3px}
.legend-item{font-size:12px;padding:1px 6px;color:var(--fg)}
.legend-item[aria-pressed=true],.legend-toggle button[aria-pressed=true]{border-color:#1a202c;box-shadow:inset 0 0 0 1px #1a202c;font-weight:600}
.legend-toggle button{font-size:12px;padding:1px 8px;margin-left:4px}
.legend-toggle{margin-right:8px}
.detail{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:12px;margin-top:8px;align-items:start}
.evidence-col{display:flex;flex-direction:column;gap:8px;min-width:0}
.evidence-head{margin-top:18px}
.guide{font-size:13px;color:var(--muted);margin:0}
.density-view{display:grid;grid-template-columns:minmax(0,480px) minmax(0,1fr);gap:12px;align-items:start;margin:8px 0}
.density-side{display:flex;flex-direction:column;gap:10px;align-items:flex-start}
.density-text{margin:0;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px}
[hidden]{display:none!important}
.tip-score{color:var(--muted)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:14px}
@media (max-width:760px){.detail,.density-view{grid-template-columns:1fr}}
@media (max-width:480px){.cards{grid-template-columns:1fr}main,header{padding-left:12px;padding-right:12px}.maps,.detail{grid-template-columns:1fr}}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px;min-width:0}
.card.side-x{border-top:4px solid var(--x)}
.card.side-y{border-top:4px solid var(--y)}
.card.selected{box-shadow:0 0 0 3px var(--focus)}
.card.weak{opacity:.6;filter:grayscale(.85)}
.badge{color:#fff;border-radius:4px;padding:1px 7px;font-size:13px}
.bg-x{background:var(--x)}.bg-y{background:var(--y)}
.facts{display:grid;grid-template-columns:fit-content(62%) minmax(0,1fr);gap:2px 12px;margin:8px 0}
.facts dt{color:var(--muted)}
.facts dd{margin:0;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
.hrow{display:grid;grid-template-columns:minmax(40px,110px) 1fr 72px;gap:8px;align-items:center;margin:2px 0}
.hl{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.hbar{background:#eef0f3;height:12px;border-radius:3px;overflow:hidden;display:block}
.hfill{display:block;height:100%}
.hc{font-variant-numeric:tabular-nums;color:var(--muted);font-size:12px}
.thumbs{display:flex;flex-wrap:wrap;gap:6px}
h5{margin:10px 0 4px;font-size:11px;color:var(--muted);font-weight:600}
.end-bottom{border-top:1px dashed var(--line);margin-top:10px}
figure{margin:0;text-align:center}
figure img{image-rendering:pixelated;display:block;border:1px solid var(--line);width:56px;height:56px;object-fit:contain}
figcaption{font-size:11px;color:var(--muted);max-width:64px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}
td,th{padding:2px 10px;text-align:right;border-bottom:1px solid var(--line)}
td.label{text-align:left;overflow-wrap:anywhere}
th{color:var(--muted);font-weight:500}
details{margin-top:10px}
summary{cursor:pointer;color:var(--muted)}
footer{padding:16px 24px;color:var(--muted);font-size:12px}
`;
