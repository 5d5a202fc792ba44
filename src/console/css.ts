/** The deepest indent of a YAML line given its own hanging indent; deeper lines hang from this one. */
export const YAML_INDENTS = 16;

/**
 * The console's one stylesheet (served at /console/assets/console.css: the
 * CSP allows styles from the console's own origin only). Calm and readable:
 * the system font, dark text on light surfaces, colour only where it means
 * something (risk level, policy state, advisor action). Below 720 px tables
 * become stacked cards; wide content scrolls inside its own box, never the page.
 */
export const CONSOLE_CSS = `
:root {
  --text: #1c2430; --muted: #5b6675; --bg: #f4f6f8; --surface: #fff; --line: #d8dee6; --soft: #eef1f5;
  --accent: #1d4ed8; --accent-soft: #e6edfd; --focus: #2563eb;
  --low-fg: #14532d; --low-bg: #dcfce7; --medium-fg: #713f12; --medium-bg: #fef3c7;
  --high-fg: #7c2d12; --high-bg: #ffedd5; --critical-fg: #7f1d1d; --critical-bg: #fee2e2;
  --low: #16a34a; --medium: #d97706; --high: #ea580c; --critical: #dc2626; --neutral: #64748b; --info: #2563eb; --purple: #7c3aed;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
  color: var(--text); background: var(--bg); line-height: 1.5; font-size: 16px;
}
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; overflow-x: hidden; }
a { color: var(--accent); text-underline-offset: 2px; }
a:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible, select:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 .25rem; overflow-wrap: anywhere; }
h2 { font-size: 1.15rem; margin: 0 0 .75rem; }
h3 { font-size: 1rem; margin: 1rem 0 .5rem; }
p { margin: .5rem 0; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: .9em; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: .75rem; overflow-x: auto; max-width: 100%; white-space: pre; }
/* A policy's YAML wraps a long line inside its box, the rest two columns in from the line's own indent (.iN: N spaces). */
pre.yaml { white-space: pre-wrap; overflow-wrap: anywhere; }
pre.yaml .line { display: block; }
${Array.from({ length: YAML_INDENTS + 1 }, (_, n) => `pre.yaml .i${n} { padding-left: ${n + 2}ch; text-indent: -${n + 2}ch; }`).join('\n')}
.muted { color: var(--muted); }
.small { font-size: .875rem; }

/* Header and nav */
.top { display: flex; flex-wrap: wrap; align-items: center; gap: .25rem 1rem; background: #14202e; color: #e8edf3; padding: .25rem 1rem; }
.top a { color: #e8edf3; }
.brand { font-weight: 700; text-decoration: none; display: inline-flex; align-items: center; min-height: 44px; letter-spacing: .02em; }
.top nav { display: flex; flex-wrap: wrap; gap: .25rem; flex: 1 1 auto; }
.top nav a { display: inline-flex; align-items: center; min-height: 44px; padding: 0 .75rem; border-radius: 6px; text-decoration: none; }
.top nav a:hover { background: #22324a; }
.top nav a[aria-current="page"] { background: #2b3f5c; font-weight: 600; }
.who { display: flex; align-items: center; gap: .5rem; flex-wrap: wrap; }
.who .muted { color: #aab6c4; }
.logout { margin: 0; }
.top .btn-quiet { color: #e8edf3; border-color: #4a5d78; background: transparent; }

main { max-width: 1200px; margin: 0 auto; padding: 1rem; }
.page-head { margin: .5rem 0 1rem; }
.page-head .meta { color: var(--muted); display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
.card { background: var(--surface); border: 1px solid var(--line); border-radius: 8px; padding: 1rem; margin: 0 0 1rem; min-width: 0; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 320px), 1fr)); gap: 1rem; margin-bottom: 1rem; }
.grid > .card { margin: 0; }
.toc { display: flex; flex-wrap: wrap; gap: .25rem .5rem; margin: 0 0 1rem; padding: 0; list-style: none; }
.toc a { display: inline-flex; align-items: center; min-height: 40px; padding: 0 .75rem; border: 1px solid var(--line); border-radius: 999px; background: var(--surface); text-decoration: none; }

/* Badges: colour with words, never colour alone */
.badge { display: inline-block; padding: .1rem .55rem; border-radius: 999px; font-size: .85rem; font-weight: 600; white-space: nowrap; border: 1px solid transparent; }
.badge-none { background: var(--soft); color: var(--muted); border-color: var(--line); }
.lvl-low { background: var(--low-bg); color: var(--low-fg); border-color: #86efac; }
.lvl-medium { background: var(--medium-bg); color: var(--medium-fg); border-color: #fcd34d; }
.lvl-high { background: var(--high-bg); color: var(--high-fg); border-color: #fdba74; }
.lvl-critical { background: var(--critical-bg); color: var(--critical-fg); border-color: #fca5a5; }
.pol-allowed { background: var(--low-bg); color: var(--low-fg); }
.pol-needs_approval { background: var(--medium-bg); color: var(--medium-fg); }
.pol-held, .pol-rejected { background: var(--critical-bg); color: var(--critical-fg); }
.pol-overridden { background: #ede9fe; color: #4c1d95; }
.act-promote, .act-continue { background: var(--low-bg); color: var(--low-fg); }
.act-halt, .act-needs_human { background: var(--high-bg); color: var(--high-fg); }
.act-rollback { background: var(--critical-bg); color: var(--critical-fg); }
.act-insufficient_data { background: var(--soft); color: var(--muted); }
.big { font-size: 1.05rem; padding: .2rem .8rem; }

/* Tables */
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .5rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
td { overflow-wrap: break-word; }
th { font-size: .85rem; color: var(--muted); font-weight: 600; background: var(--soft); white-space: nowrap; }
time { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:hover { background: #f8fafc; }
td a { display: inline-block; min-height: 24px; }
.row-link { font-weight: 600; }
/* Short words that read badly broken ("rolled | back", "not | watched"); a release name wraps only once its column has room. */
.nw { white-space: nowrap; }
table.releases td:first-child { min-width: 10rem; }

@media (max-width: 720px) {
  main { padding: .75rem; }
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: 100%; }
  table.stack tr { border: 1px solid var(--line); border-radius: 8px; margin: 0 0 .75rem; padding: .25rem .5rem; background: var(--surface); }
  table.stack td { border: 0; padding: .3rem 0 .3rem 7.5rem; position: relative; text-align: left; min-height: 2rem; overflow-wrap: anywhere; }
  table.stack td::before { content: attr(data-label); position: absolute; left: 0; top: .4rem; width: 7rem; color: var(--muted); font-size: .85rem; font-weight: 600; }
  table.stack td.num { text-align: left; }
  .contrib > span { text-align: left; }
  h1 { font-size: 1.35rem; }
}

/* Lists */
.plain { list-style: none; padding: 0; margin: 0; }
.plain > li { padding: .6rem 0; border-bottom: 1px solid var(--line); }
.plain > li:last-child { border-bottom: 0; }
.cites { display: inline-flex; flex-wrap: wrap; gap: .25rem; margin-left: .25rem; }
/* A citation is a 40 px tap target that does not push its line apart (the negative margin). */
.cite { display: inline-flex; align-items: center; justify-content: center; min-width: 40px; min-height: 40px; margin: -6px 0; padding: 0 .4rem; vertical-align: middle; border-radius: 6px; background: var(--accent-soft); text-decoration: none; font-weight: 600; font-size: .85rem; }
td .cites { margin-left: 0; }
.kv { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .25rem 1rem; margin: .5rem 0; }
.kv dt { color: var(--muted); }
.kv dd { margin: 0; overflow-wrap: anywhere; }

/* Forms */
.form { display: grid; gap: .6rem; margin: .75rem 0; }
label { font-weight: 600; font-size: .9rem; display: block; }
input[type=text], input[type=password], input[type=date], input[type=search], textarea, select {
  width: 100%; min-height: 44px; padding: .5rem .65rem; border: 1px solid #aeb8c5; border-radius: 6px; font: inherit; color: inherit; background: #fff;
}
textarea { min-height: 5.5rem; resize: vertical; }
.btn { display: inline-flex; align-items: center; justify-content: center; min-height: 44px; padding: 0 1rem; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; font: inherit; font-weight: 600; cursor: pointer; text-decoration: none; }
.btn:hover { filter: brightness(1.08); }
.btn-quiet { background: var(--surface); color: var(--accent); }
.btn-danger { background: #b91c1c; border-color: #b91c1c; }
.btn-warn { background: #b45309; border-color: #b45309; }
.btn-ok { background: #15803d; border-color: #15803d; }
.buttons { display: flex; flex-wrap: wrap; gap: .5rem; }
.filters { display: flex; flex-wrap: wrap; align-items: end; gap: .75rem; margin: 0 0 1rem; }
.filters > div { flex: 0 1 20rem; }
.filters .btn { flex: 0 0 auto; }
.hint { color: var(--muted); font-size: .85rem; font-weight: 400; }
fieldset { border: 1px solid var(--line); border-radius: 8px; padding: .75rem; margin: 0; min-width: 0; }
fieldset .form { margin: 0; }
.contrib { display: flex; align-items: center; gap: .5rem; }
.contrib > span { flex: 0 0 3.5rem; text-align: right; font-variant-numeric: tabular-nums; }
ul.advisories > li { padding: .9rem 0; }
ul.advisories .headline { margin-bottom: .25rem; }
legend { font-weight: 600; padding: 0 .25rem; }
details { margin: .75rem 0; }
summary { display: flex; align-items: center; min-height: 44px; cursor: pointer; font-weight: 600; color: var(--accent); }
details.edit { border: 1px solid var(--line); border-radius: 8px; padding: 0 .75rem; }
details.edit[open] { padding-bottom: .75rem; }

/* Messages */
.problem { border: 1px solid #fca5a5; background: var(--critical-bg); color: var(--critical-fg); border-radius: 8px; padding: .75rem 1rem; margin: 0 0 1rem; }
.problem strong { font-family: ui-monospace, Menlo, Consolas, monospace; margin-right: .5rem; }
.banner { border-radius: 8px; padding: .75rem 1rem; margin: 0 0 1rem; border: 1px solid; overflow-wrap: anywhere; }
.banner-ok { background: var(--low-bg); color: var(--low-fg); border-color: #86efac; }
.banner-more { display: block; margin-top: .35rem; font-size: .9rem; }
.banner .badge { border-color: currentColor; }
.banner-bad { background: var(--critical-bg); color: var(--critical-fg); border-color: #fca5a5; }
.empty { padding: .5rem 0; }
.flag { display: inline-block; font-size: .8rem; padding: .05rem .45rem; border-radius: 4px; background: var(--medium-bg); color: var(--medium-fg); font-weight: 600; }
.flag-bad { background: var(--critical-bg); color: var(--critical-fg); }
table tr.row-bad, table tr.row-bad:hover, table.stack tr.row-bad { background: var(--critical-bg); box-shadow: inset 4px 0 0 var(--critical-fg); }

/* Risk, evidence, notes */
.score { font-size: 2.25rem; font-weight: 700; line-height: 1; font-variant-numeric: tabular-nums; }
.headline { display: flex; flex-wrap: wrap; align-items: center; gap: .75rem; }
svg.bar { width: 100%; max-width: 220px; height: 14px; display: block; }
.bar-axis { stroke: #94a3b8; stroke-width: 1; }
.bar-up { fill: var(--high); }
.bar-down { fill: var(--low); }
.evidence-item h3 { margin: 0 0 .25rem; }
.snippet { background: var(--soft); border-left: 3px solid #94a3b8; padding: .4rem .6rem; margin: .35rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.doc { border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
.doc-head { background: var(--soft); padding: .6rem .9rem; border-bottom: 1px solid var(--line); }
.doc-body { padding: .9rem; }
.cited { display: block; background: #fff7d6; border-left: 4px solid #d97706; padding: .75rem; white-space: pre-wrap; overflow-wrap: anywhere; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .9rem; }
.notes-section h3 { margin-top: .5rem; }
.notes-item { margin: .35rem 0; }
.editor-item { border-top: 1px solid var(--line); padding-top: .6rem; }

/* Charts: inline SVG, coloured by class */
.chart { width: 100%; height: auto; display: block; min-width: 720px; }
.chart text { font-family: inherit; font-size: 13px; fill: var(--muted); }
.chart .label { fill: var(--text); font-weight: 600; }
.chart .grid-line { stroke: #e2e8f0; stroke-width: 1; }
.chart .axis { stroke: #94a3b8; stroke-width: 1; }
.chart .zero { stroke: #94a3b8; stroke-dasharray: 3 3; }
.chart .trend { fill: none; stroke: #64748b; stroke-width: 1.5; }
.chart .lead { fill: none; stroke: var(--info); stroke-width: 2; }
.chart .lead-dot { fill: var(--info); }
.chart .bar-ok { fill: #60a5fa; }
.chart .bar-failed { fill: var(--critical); }
.chart .guide { stroke-width: 6; opacity: .12; }
.chart .mk-promote, .chart .mk-continue, .chart .v-pass { fill: var(--low); stroke: var(--low); }
.chart .mk-halt, .chart .mk-needs_human { fill: var(--high); stroke: var(--high); }
.chart .mk-rollback, .chart .v-fail { fill: var(--critical); stroke: var(--critical); }
.chart .mk-insufficient_data, .chart .v-no_data { fill: #cbd5e1; stroke: #94a3b8; }
.chart .v-inconclusive { fill: var(--medium); stroke: var(--medium); }
.legend { display: flex; flex-wrap: wrap; gap: .25rem .9rem; font-size: .85rem; color: var(--muted); margin: .5rem 0; padding: 0; list-style: none; }
.legend li { display: inline-flex; align-items: center; gap: .35rem; }
.swatch { width: 12px; height: 12px; border-radius: 50%; display: inline-block; }
.sw-pass { background: var(--low); } .sw-fail { background: var(--critical); } .sw-inconclusive { background: var(--medium); } .sw-no_data { background: #cbd5e1; }
.sw-halt { background: var(--high); } .sw-bar-ok { background: #60a5fa; border-radius: 2px; } .sw-bar-failed { background: var(--critical); border-radius: 2px; } .sw-lead { background: var(--info); }

/* DORA */
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 210px), 1fr)); gap: 1rem; margin-bottom: 1rem; }
.figure { background: var(--surface); border: 1px solid var(--line); border-radius: 8px; padding: 1rem; display: flex; flex-direction: column; gap: .35rem; }
.figure h2 { font-size: 1rem; margin: 0; }
.figure .value { font-size: 1.8rem; font-weight: 700; font-variant-numeric: tabular-nums; line-height: 1.1; }
.figure .value .unit { font-size: .95rem; font-weight: 500; color: var(--muted); margin-left: .25rem; }
.figure p { font-size: .875rem; color: var(--muted); margin: 0; }
.figure a.btn { margin-top: auto; align-self: flex-start; }
/* A definition can run long (it names what it could not count): folded, so the five figures read side by side. */
.figure .definition summary { font-size: .875rem; }
.figure .definition p { overflow-wrap: anywhere; }
.tier-elite, .tier-high { background: var(--low-bg); color: var(--low-fg); }
.tier-medium { background: var(--medium-bg); color: var(--medium-fg); }
.tier-low { background: var(--critical-bg); color: var(--critical-fg); }

/* Login */
.login { max-width: 28rem; margin: 3rem auto; }
`;
