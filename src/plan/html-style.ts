/** The stylesheet of `plan --format html`, inline so the page needs no network; the palette tells DaemonSets apart. */

/** Colour-blind-friendly hues (Okabe–Ito, then Tableau's), as backgrounds under dark text. */
export const PALETTE = ["#9fd4f5", "#f7c58b", "#a6e3c9", "#f3e79b", "#b9c7ea", "#f2b2a8", "#d9b8e0", "#c8e6a0", "#f5d0e6", "#c9c9c9", "#9ee0e0", "#e8d3b0"];

export const STYLE = `
:root { color-scheme: light; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d1d1f; }
body { margin: 24px; background: #fafafa; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
.sub { color: #555; margin-bottom: 16px; }
.stats { display: flex; gap: 12px; flex-wrap: wrap; margin: 12px 0; }
.stat { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 8px 14px; }
.stat b { display: block; font-size: 20px; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12.5px; }
table { border-collapse: collapse; background: #fff; }
th, td { border: 1px solid #e2e2e2; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f0f0f0; font-weight: 600; }
.legend td.sw { width: 28px; text-align: center; font-weight: 700; }
.idle { color: #8a1c1c; }
.matrix td.cell { text-align: center; font-weight: 700; min-width: 44px; font-family: ui-monospace, Menlo, Consolas, monospace; }
.matrix td.cell.none { background: repeating-linear-gradient(45deg, #fff, #fff 4px, #eee 4px, #eee 8px); color: #8a1c1c; }
.matrix td.cell.chg { outline: 3px solid #c0392b; outline-offset: -3px; }
.matrix td.cell.mov::after { content: "↻"; font-weight: 400; margin-left: 2px; }
.matrix td.node { font-family: ui-monospace, Menlo, Consolas, monospace; white-space: nowrap; }
details { margin: 6px 0; background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 6px 10px; }
summary { cursor: pointer; font-weight: 600; }
summary .count { color: #555; font-weight: 400; margin-left: 6px; }
.dist { display: inline-flex; gap: 4px; margin-left: 12px; vertical-align: middle; }
.dist .mod { display: inline-flex; gap: 1px; min-width: 22px; border: 1px solid #ddd; border-radius: 3px; }
.dist .mod span { display: inline-block; min-width: 14px; padding: 0 3px; font: 600 11px ui-monospace, Menlo, Consolas, monospace; text-align: center; }
.dist .mod span.none { background: repeating-linear-gradient(45deg, #fff, #fff 3px, #eee 3px, #eee 6px); color: #8a1c1c; }
.change { background: #fff; border: 1px solid #ddd; border-left: 4px solid #c0392b; border-radius: 6px; padding: 8px 12px; margin: 8px 0; }
.change ul { margin: 4px 0; padding-left: 18px; list-style: none; }
.change li.added::before { content: "+ "; color: #1e7b34; font-weight: 700; }
.change li.removed::before { content: "− "; color: #b3261e; font-weight: 700; }
.change li.changed::before { content: "~ "; color: #9a6700; font-weight: 700; }
.nodes { color: #555; font-size: 12px; }
.diag.warning { border-left: 4px solid #d4a017; }
.diag.error { border-left: 4px solid #b3261e; }
.diag { background: #fff; border: 1px solid #ddd; padding: 6px 10px; margin: 6px 0; border-radius: 6px; }
`;
