/**
 * A self-contained API page: it reads /openapi.json and lists each route
 * with its parameters. No CDN (shipcheck runs where there is no network).
 */
export function docsPage(specUrl: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>shipcheck API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1b1f24}
h1{font-size:1.5rem}.op{border:1px solid #d0d7de;border-radius:6px;margin:.75rem 0;padding:.5rem .75rem}
.m{font-weight:700;text-transform:uppercase;display:inline-block;min-width:4.5rem}code{background:#f6f8fa;padding:0 .25rem}
.p{color:#57606a;font-size:.9em}</style></head><body><h1>shipcheck API</h1>
<p>Every <code>/v1</code> route needs <code>Authorization: Bearer sc_…</code>. Raw spec: <a href="${specUrl}">${specUrl}</a>.</p>
<div id="ops">Loading…</div><script>
fetch(${JSON.stringify(specUrl)}).then(r=>r.json()).then(spec=>{const el=document.getElementById('ops');el.textContent='';
for(const [path,ops] of Object.entries(spec.paths)){for(const [m,op] of Object.entries(ops)){const d=document.createElement('div');d.className='op';
const params=(op.parameters||[]).map(p=>p.name+(p.required?'':'?')).join(', ');
const h=document.createElement('div');const ms=document.createElement('span');ms.className='m';ms.textContent=m;const c=document.createElement('code');c.textContent=path;h.append(ms,c);
const s=document.createElement('div');s.textContent=op.summary||'';const p=document.createElement('div');p.className='p';
p.textContent=(params?'parameters: '+params+' · ':'')+'responses: '+Object.keys(op.responses||{}).join(', ');d.append(h,s,p);el.append(d);}}});
</script></body></html>`;
}
