/* Materia web UI: a small single-page app over the JSON API (/api/v1).
   No framework and no build step: the server embeds this file as it is.
   Everything shown comes from the API, which names the source of every fact. */
'use strict';

const $ = (sel, el = document) => el.querySelector(sel);
const main = () => $('#main');

function h(tag, attrs = {}, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const kid of kids.flat(Infinity)) {
    if (kid === null || kid === undefined || kid === false) continue;
    el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }
  return el;
}

async function api(path, opts) {
  const res = await fetch('/api/v1' + path, opts);
  let body = null;
  try { body = await res.json(); } catch (e) { body = null; }
  if (!res.ok) {
    const err = new Error((body && (body.detail || body.title)) || ('HTTP ' + res.status));
    err.status = res.status; err.body = body;
    throw err;
  }
  return body;
}

function showError(err) {
  const m = main();
  m.replaceChildren(h('div', { class: 'error', role: 'alert' }, err.message || String(err)));
  const sugg = err.body && (err.body.suggestions || err.body.did_you_mean);
  if (Array.isArray(sugg) && sugg.length) {
    m.append(h('p', {}, 'Did you mean: ',
      sugg.map((s, i) => [i ? ', ' : '', h('a', { href: '#/drug/' + encodeURIComponent(s.name || s) }, s.name || s)])));
  }
}

function src(fact, sources) {
  /* A fact cites {source, record}; the response carries the source names. */
  if (!fact) return null;
  const id = fact.source || (fact.cite && fact.cite.source);
  const rec = fact.record || (fact.cite && fact.cite.record);
  if (!id) return null;
  const s = sources && sources[id];
  const name = s ? s.name : id;
  return h('span', { class: 'src', title: s ? [s.name, s.edition, s.licence].filter(Boolean).join(' · ') : id },
    ' — ', name, rec ? ' (' + rec + ')' : '');
}

/* ---------- search box with suggestions on every keystroke ---------- */
function setupSearch() {
  const input = $('#q'), list = $('#q-list');
  let items = [], active = -1, seq = 0;
  const close = () => { list.hidden = true; input.setAttribute('aria-expanded', 'false'); active = -1; input.removeAttribute('aria-activedescendant'); };
  const choose = (it) => { close(); input.value = ''; location.hash = '#/drug/' + encodeURIComponent(it.resolves_to || it.name); };
  const paint = () => {
    list.replaceChildren(...items.map((it, i) => h('li', {
      id: 'q-opt-' + i, role: 'option', 'aria-selected': i === active ? 'true' : 'false',
      onmousedown: (e) => { e.preventDefault(); choose(it); },
    }, h('span', {}, it.name), h('span', { class: 'why' },
      (it.resolves_to && it.resolves_to.toLowerCase() !== String(it.name).toLowerCase() ? '→ ' + it.resolves_to + ' · ' : '') + (it.tier || '')))));
    list.hidden = items.length === 0;
    input.setAttribute('aria-expanded', items.length ? 'true' : 'false');
    if (active >= 0) input.setAttribute('aria-activedescendant', 'q-opt-' + active); else input.removeAttribute('aria-activedescendant');
  };
  input.addEventListener('input', async () => {
    const q = input.value.trim();
    const my = ++seq;
    if (!q) { items = []; paint(); return; }
    try {
      const r = await api('/autocomplete?q=' + encodeURIComponent(q) + '&limit=8');
      if (my !== seq) return;           /* a newer keystroke already answered */
      items = (r.results || []).map(normalizeHit); active = -1; paint();
    } catch (e) { items = []; paint(); }
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') { e.preventDefault(); if (items.length) { active = (active + 1) % items.length; paint(); } }
    else if (e.key === 'ArrowUp') { e.preventDefault(); if (items.length) { active = (active - 1 + items.length) % items.length; paint(); } }
    else if (e.key === 'Enter') { e.preventDefault(); if (active >= 0) choose(items[active]); else if (items.length) choose(items[0]); else if (input.value.trim()) { location.hash = '#/drug/' + encodeURIComponent(input.value.trim()); close(); } }
    else if (e.key === 'Escape') close();
  });
  input.addEventListener('blur', () => setTimeout(close, 100));
}

/* A search hit (docs/reference/json-shapes.md, "search"): what matched, and the drug it resolves to. */
function normalizeHit(r) {
  return { name: r.matched, resolves_to: r.drug, tier: r.tier || '' };
}

/* ---------- drug page ---------- */
function list(items, fn) { return h('ul', {}, items.map(fn)); }
const items = (x) => (Array.isArray(x) ? x : (x && x.items) || []);
const total = (x) => (x && x.total !== undefined ? x.total : items(x).length);

async function drugPage(q) {
  main().replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  let d;
  try { d = await api('/drugs/' + encodeURIComponent(q)); } catch (e) { return showError(e); }
  const S = d.sources || {};
  const drug = d.drug;
  const kids = [h('h1', {}, drug.name)];
  const qy = d.query || {};
  if (qy.resolved_from) kids.push(h('p', { class: 'muted' }, 'Resolved from the ', qy.resolved_from, ' ', h('strong', {}, qy.matched), '.'));
  if (!drug.in_rxnorm) kids.push(h('p', { class: 'note' }, 'Not in RxNorm: this ', drug.kind, ' is known from other sources only.'));
  if (drug.harm_reduction) kids.push(h('p', { class: 'note' }, 'Mainly known from a harm-reduction source.'));
  const ids = d.identifiers || [];
  const key = [drug.rxcui ? 'RxCUI ' + drug.rxcui : null, drug.unii ? 'UNII ' + drug.unii : null,
    drug.drugbank_id ? 'DrugBank ' + drug.drugbank_id : null].filter(Boolean).join(' · ');
  kids.push(h('p', {}, h('span', { class: 'muted' }, drug.kind + (key ? ' · ' + key : '')), src(drug, S)));
  if (items(d.brands).length) kids.push(h('h2', {}, 'Brands (' + total(d.brands) + ')'), list(items(d.brands), (b) => h('li', {}, b.name, src(b, S))));
  if (items(d.schedules).length) kids.push(h('h2', {}, 'Controlled-substance schedule'), list(items(d.schedules), (s) => h('li', {}, s.schedule, src(s, S))));
  const classes = d.classes || [];
  if (classes.length) kids.push(h('h2', {}, 'Pharmacologic classes'), classes.map((g) => [h('h3', {}, g.type),
    list(items(g), (c) => h('li', {}, c.name, src(c, S)))]));
  const ind = d.indications || [];
  if (ind.length) kids.push(h('h2', {}, 'Indications'), ind.map((g) => [h('h3', {}, g.label || g.category),
    list(items(g), (i) => h('li', {}, i.disease, src(i, S)))]));
  if (items(d.approvals).length) kids.push(h('h2', {}, 'FDA approvals (' + total(d.approvals) + ')'), h('div', { class: 'scroll' }, h('table', {},
    h('thead', {}, h('tr', {}, ['Brand', 'Application', 'Form / strength', 'Status', 'Approved', 'Source'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, items(d.approvals).slice(0, 50).map((a) => h('tr', {}, h('td', {}, a.brand || ''), h('td', {}, (a.appl_type || '') + ' ' + (a.appl_no || '')),
      h('td', {}, [a.form, a.strength].filter(Boolean).join(' · ')), h('td', {}, a.marketing_status || ''), h('td', {}, a.approval_date || ''), h('td', {}, h('span', { class: 'src', title: (S[a.source] || {}).name || a.source }, a.record))))))));
  const acb = items(d.anticholinergic_burden);
  if (acb.length) kids.push(h('h2', {}, 'Anticholinergic burden'), list(acb, (a) => h('li', {}, a.scale + ': ' + a.score, src(a, S))));
  if (items(d.products).length) kids.push(h('h2', {}, 'Products (' + total(d.products) + ')'),
    list(items(d.products), (p) => h('li', {}, p.name, p.rxcui ? h('span', { class: 'muted' }, ' · RxCUI ' + p.rxcui) : null, src(p, S))));
  if (ids.length) kids.push(h('details', {}, h('summary', {}, 'All identifiers (' + ids.length + ')'), h('div', { class: 'scroll' }, h('table', {}, h('tbody', {},
    ids.map((i) => h('tr', {}, h('th', { scope: 'row' }, i.type), h('td', {}, i.value, src(i, S)))))))));
  if (items(d.names).length) kids.push(h('details', {}, h('summary', {}, 'All names (' + total(d.names) + ')'),
    list(items(d.names), (n) => h('li', {}, n.text, ' ', h('span', { class: 'muted' }, '[' + n.kind + ']'), src(n, S)))));
  if (items(d.documents).length) kids.push(h('h2', {}, 'Labels and leaflets'), list(items(d.documents), (doc) => h('li', {},
    h('strong', {}, doc.title), ' — ', docKind(doc), src(doc, S),
    doc.attribution ? h('div', { class: 'src' }, doc.attribution) : null,
    list(items(doc.sections), (sec) => h('li', {}, sectionDetails(q, doc, sec))))));
  kids.push(h('p', {}, h('a', { href: '#/check?d=' + encodeURIComponent(drug.name) }, 'Check interactions with ' + drug.name + ' →')));
  main().replaceChildren(...kids.flat(Infinity));
  document.title = drug.name + ' — Materia';
}

const DOC_KINDS = { us_label: 'US FDA label', eu_leaflet: 'EU package leaflet' };
function docKind(doc) {
  return [DOC_KINDS[doc.kind] || doc.kind, doc.jurisdiction, doc.date || 'date not given'].filter(Boolean).join(', ');
}

/* A section's text is fetched when it is first opened. EU leaflet text arrives as
   XHTML already cut down to an allow-list at build time; it is rebuilt here
   element by element from that same allow-list, never inserted as HTML. */
const ALLOWED = new Set(['P', 'UL', 'OL', 'LI', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TH', 'TD', 'B', 'STRONG',
  'I', 'EM', 'BR', 'SUB', 'SUP', 'H3', 'H4', 'H5', 'H6']);
function safeRich(html) {
  const doc = new DOMParser().parseFromString('<div>' + html + '</div>', 'text/html');
  const copy = (node, into) => {
    for (const c of node.childNodes) {
      if (c.nodeType === Node.TEXT_NODE) into.append(c.textContent);
      else if (c.nodeType === Node.ELEMENT_NODE) {
        if (ALLOWED.has(c.tagName)) { const el = document.createElement(c.tagName.toLowerCase()); copy(c, el); into.append(el); }
        else copy(c, into);
      }
    }
  };
  const out = h('div', { class: 'leaflet' });
  copy(doc.body, out);
  return out;
}
function plainText(t) { return h('div', { class: 'leaflet' }, t.split(/\n{2,}/).map((p) => h('p', {}, p))); }

function sectionDetails(q, doc, sec) {
  const body = h('div', {}, sec.text ? null : h('p', { class: 'muted' }, 'Loading…'));
  const det = h('details', {}, h('summary', {}, sec.title || sec.code), body);
  let loaded = false;
  const show = (text) => body.replaceChildren(/<[a-z]/i.test(text) ? safeRich(text) : plainText(text));
  if (sec.text) { show(sec.text); loaded = true; }
  det.addEventListener('toggle', async () => {
    if (!det.open || loaded) return;
    loaded = true;
    try {
      const r = await api('/drugs/' + encodeURIComponent(q) + '?section=' + encodeURIComponent(sec.code));
      const d2 = items(r.documents).find((x) => x.id === doc.id);
      const s2 = d2 && items(d2.sections).find((x) => x.code === sec.code);
      if (s2 && s2.text) show(s2.text); else body.replaceChildren(h('p', { class: 'muted' }, 'No text for this section.'));
    } catch (e) { loaded = false; body.replaceChildren(h('p', { class: 'error' }, e.message)); }
  });
  return det;
}

/* ---------- interaction checker ---------- */
const SEV_ORDER = ['contraindicated', 'major', 'moderate', 'minor', 'unknown'];
const NONDRUGS = ['alcohol', 'grapefruit', 'caffeine', "St John's wort", 'tobacco'];


async function checkPage(params) {
  let drugs = (params.get('d') || '').split(',').map((s) => s.trim()).filter(Boolean);
  const m = main();
  const input = h('input', { id: 'add', type: 'text', autocomplete: 'off', placeholder: 'Add a drug or substance', 'aria-label': 'Add a drug or substance' });
  const chips = h('ul', { class: 'chips', 'aria-label': 'Drugs in this check' });
  const out = h('div', { id: 'check-results' });
  const go = () => { location.hash = '#/check?d=' + drugs.map(encodeURIComponent).join(','); };
  const add = (name) => { name = name.trim(); if (name && !drugs.includes(name)) drugs.push(name); input.value = ''; go(); };
  m.replaceChildren(h('h1', {}, 'Interaction checker'),
    h('form', { onsubmit: (e) => { e.preventDefault(); add(input.value); } }, input, ' ', h('button', { class: 'primary', type: 'submit' }, 'Add')),
    h('div', { class: 'quick', 'aria-label': 'Add a substance' }, NONDRUGS.map((n) => h('button', { type: 'button', onclick: () => add(n) }, '+ ' + n))),
    chips, out);
  chips.replaceChildren(...drugs.map((d) => h('li', {}, d, h('button', { type: 'button', 'aria-label': 'Remove ' + d, onclick: () => { drugs = drugs.filter((x) => x !== d); go(); } }, '×'))));
  input.focus();
  if (drugs.length < 2) { out.replaceChildren(h('p', { class: 'muted' }, 'Add at least two drugs or substances.')); return; }
  out.replaceChildren(h('p', { class: 'muted' }, 'Checking…'));
  let r;
  try { r = await api('/interactions', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ drugs }) }); }
  catch (e) { out.replaceChildren(h('div', { class: 'error', role: 'alert' }, e.message)); return; }
  out.replaceChildren(...renderCheck(r));
}

function renderCheck(r) {
  const S = r.sources || {};
  const inputs = r.inputs || [];
  const findings = r.findings || [];
  const cov = r.coverage || {};
  const nodes = [];
  const label = (i) => (inputs[i] && inputs[i].text) || ('#' + i);
  const rankOf = (f) => f.rank || null;
  nodes.push(h('p', {}, h('strong', {}, findings.length + ' finding' + (findings.length === 1 ? '' : 's')), ' among ' + inputs.length + ' inputs.'));
  const unresolved = (cov.unresolved || []).map((i) => inputs[i]);
  if (unresolved.length) nodes.push(h('div', { class: 'error', role: 'alert' }, h('strong', {}, 'Not checked — could not identify: '),
    unresolved.map((i, k) => [k ? '; ' : '', i.text, i.suggestions && i.suggestions.length ? ' (did you mean ' + i.suggestions.join(', ') + '?)' : ''])));
  const uncovered = (cov.uncovered || []).map((i) => inputs[i]);
  if (uncovered.length) nodes.push(h('div', { class: 'note' }, h('strong', {}, 'No interaction data for: '), uncovered.map((i) => i.text).join(', '),
    '. No bundled source covers these, so an empty result says nothing about them.'));
  if (inputs.length >= 2) nodes.push(renderMatrix(inputs, findings, label, rankOf));
  for (const sev of SEV_ORDER) {
    const group = findings.filter((f) => rankOf(f) === sev);
    if (!group.length) continue;
    nodes.push(h('h2', {}, sev[0].toUpperCase() + sev.slice(1)));
    for (const f of group) nodes.push(renderFinding(f, label, S));
  }
  const dups = findings.filter((f) => !rankOf(f));
  if (dups.length) { nodes.push(h('h2', {}, 'Duplications')); for (const f of dups) nodes.push(renderFinding(f, label, S)); }
  for (const e of r.class_effects || []) nodes.push(h('div', { class: 'finding' }, h('h3', {}, 'Class effect: ', e.effect),
    h('p', {}, (e.members || []).map((m) => m.name).join(', '), ' are all in the class “', e.class.name, '”.'),
    h('p', {}, 'Source:', src(e.class, S))));
  const acb = r.anticholinergic_burden;
  if (acb && acb.alert) nodes.push(h('div', { class: 'finding sev-moderate' }, h('h3', {}, 'Anticholinergic burden: total ' + acb.total),
    list(acb.items || [], (i) => h('li', {}, i.name + ': ' + i.score + ' (' + i.scale + ')', src(i, S)))));
  if (!findings.length && !unresolved.length && !uncovered.length) nodes.push(h('p', {}, 'Checked: no interaction found in the bundled sources.'));
  return nodes;
}

function renderMatrix(inputs, findings, label, rankOf) {
  const cell = {};
  for (const f of findings) { const [a, b] = f.inputs; cell[a + ',' + b] = cell[b + ',' + a] = rankOf(f) || 'duplicate'; }
  return h('div', { class: 'scroll' }, h('table', { class: 'matrix', 'aria-label': 'Interaction matrix' },
    h('thead', {}, h('tr', {}, h('td', {}), inputs.map((_, j) => h('th', { scope: 'col' }, label(j))))),
    h('tbody', {}, inputs.map((_, i) => h('tr', {}, h('th', { scope: 'row' }, label(i)),
      inputs.map((__, j) => { const s = i === j ? null : cell[i + ',' + j]; return h('td', { class: s ? 'cell-' + s : '' }, i === j ? '—' : (s || '')); }))))));
}

function renderFinding(f, label, S) {
  const [a, b] = f.inputs;
  const sev = f.severity, hr = f.harm_reduction_severity;
  return h('article', { class: 'finding sev-' + (f.rank || 'unknown') },
    h('h3', {}, label(a), ' + ', label(b), ' ',
      sev ? h('span', { class: 'badge sev-' + sev }, sev) : null, ' ',
      hr ? h('span', { class: 'badge hr' }, 'harm reduction: ' + hr) : null,
      f.harm_reduction_only ? h('span', { class: 'muted' }, ' · harm-reduction source only') : null,
      f.disagreement ? h('span', { class: 'muted' }, ' · sources disagree') : null,
      f.tier === 'interruptive' ? h('span', { class: 'muted' }, ' · interruptive alert') : null),
    (f.evidence || []).map((e) => h('div', {},
      h('p', {}, h('strong', {}, (S[e.source] && S[e.source].name) || e.source), ': ', e.level || '',
        e.kind === 'harm-reduction' ? h('span', { class: 'badge hr' }, 'harm reduction') : null,
        e.labels && e.labels.length ? h('span', { class: 'muted' }, ' (' + e.labels.join(' + ') + ')') : null),
      e.effect ? h('p', {}, e.effect) : null,
      e.mechanism ? h('p', {}, h('em', {}, 'Mechanism: '), e.mechanism) : null,
      e.management ? h('p', {}, h('em', {}, 'Management: '), e.management) : null,
      h('p', {}, 'Source:', src(e, S),
        e.text_source ? h('span', {}, ' · text:', src({ source: e.text_source, record: e.text_record }, S)) : null,
        e.lang && e.lang !== 'en' ? h('span', { class: 'src' }, ' · text in ' + e.lang) : null))),
    (f.duplications || []).map((d) => h('p', {}, h('strong', {}, d.type === 'ingredient' ? 'Same ingredient: ' : 'Same class: '),
      d.type === 'ingredient' ? ((d.drugs && d.drugs[0] && d.drugs[0].name) || '') : ((d.class && d.class.name) || ''),
      ' (NCPDP ' + (d.code || '') + ')')));
}

/* ---------- about the data ---------- */
async function aboutPage() {
  let r;
  try { r = await api('/sources'); } catch (e) { return showError(e); }
  const rows = r.sources || r;
  main().replaceChildren(h('h1', {}, 'About the data'),
    h('p', {}, 'Materia compiles its knowledge base from these public sources, bundled in its repository. Each fact it shows names its source.'),
    h('div', { class: 'scroll' }, h('table', {}, h('thead', {}, h('tr', {}, ['Source', 'Edition', 'Licence', 'Records', 'Attribution'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows.map((s) => h('tr', {}, h('td', {}, s.url ? h('a', { href: s.url, rel: 'noopener' }, s.name) : s.name),
        h('td', {}, s.edition || ''), h('td', {}, s.licence || ''), h('td', {}, String(s.records && s.records.facts !== undefined ? s.records.facts : '')), h('td', {}, s.attribution || '')))))));
}

function homePage() {
  main().replaceChildren(h('h1', {}, 'Drug information, offline'),
    h('p', {}, 'Search a drug or brand above, check interactions between medicines and substances, or read where the data comes from.'),
    h('p', {}, h('a', { href: '#/check' }, 'Open the interaction checker →')));
  $('#q').focus();
}

/* ---------- pill identifier ---------- */
const PILL_SHAPES = ['round', 'oval', 'capsule', 'oblong', 'rectangle', 'square', 'triangle', 'diamond', 'pentagon',
  'hexagon', 'heptagon', 'octagon', 'tear', 'bullet', 'semi-circle', 'double circle', 'clover', 'gear', 'trapezoid', 'freeform'];
const PILL_COLORS = ['white', 'off-white', 'cream', 'yellow', 'orange', 'peach', 'pink', 'red', 'maroon', 'purple',
  'lavender', 'blue', 'light blue', 'navy', 'turquoise', 'teal', 'green', 'brown', 'tan', 'beige', 'gray', 'black',
  'blue and white', 'red and white'];

function pillCard(p, S) {
  const m = p.match || {};
  const drugs = (p.drugs || []).map((d, i) => [i ? ' + ' : '', h('a', { href: '#/drug/' + encodeURIComponent(d.rxcui || d.name) }, d.name)]);
  const desc = [p.imprint ? 'imprint ' + p.imprint : 'no imprint', (p.colors || []).join(' / ') || p.color_text, p.shape,
    p.size_mm ? p.size_mm + ' mm' : null, p.score > 1 ? 'scored in ' + p.score : null].filter(Boolean).join(' · ');
  const facts = [p.strength, p.form, p.ndc ? 'NDC ' + p.ndc + (p.other_ndcs && p.other_ndcs.total ? ' (+' + p.other_ndcs.total + ' more)' : '') : null,
    p.labeler, p.schedule ? 'DEA schedule ' + p.schedule : null].filter(Boolean).join(' · ');
  return h('article', { class: 'pill-card' },
    h('img', { src: p.svg, width: 150, height: 100, alt: 'Drawing of the pill: ' + desc }),
    h('div', {},
      h('h3', {}, drugs.length ? drugs : 'Drug not identified', ' ', h('span', { class: 'badge conf', title: 'confidence' }, p.confidence + '%')),
      h('p', {}, p.name || ''),
      h('p', { class: 'muted' }, desc),
      facts ? h('p', {}, facts) : null,
      h('p', { class: 'why' }, h('strong', {}, 'What matched: '), p.explanation || m.imprint),
      p.low_confidence ? h('p', { class: 'note' }, 'Low-confidence record: no imprint source has this pill.') : null,
      h('p', {}, 'Source:', src(p, S), p.filled ? h('span', {}, ' · ' + p.filled.fields.join(', ') + ' from', src(p.filled, S)) : null)));
}

async function pillsPage(params) {
  params = params || new URLSearchParams();
  const q = { imprint: params.get('imprint') || '', color: params.get('color') || '', shape: params.get('shape') || '', size: params.get('size') || '' };
  const field = (id, label, input) => h('div', { class: 'field' }, h('label', { for: id }, label), input);
  const imprint = h('input', { id: 'pill-imprint', type: 'text', autocomplete: 'off', spellcheck: 'false', value: q.imprint, placeholder: 'e.g. G 4960 25 MG' });
  const color = h('input', { id: 'pill-color', type: 'text', autocomplete: 'off', list: 'pill-colors', value: q.color, placeholder: 'e.g. light blue, blue and white' });
  const shape = h('select', { id: 'pill-shape' }, h('option', { value: '' }, 'Any shape'),
    PILL_SHAPES.map((s) => h('option', { value: s, selected: s === q.shape.toLowerCase() }, s)));
  const size = h('input', { id: 'pill-size', type: 'number', min: '1', max: '40', step: '0.5', inputmode: 'decimal', value: q.size, placeholder: 'mm' });
  const out = h('div', { id: 'pill-results' });
  const go = (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    for (const [k, el] of [['imprint', imprint], ['color', color], ['shape', shape], ['size', size]]) if (el.value.trim()) p.set(k, el.value.trim());
    location.hash = '#/pills?' + p.toString();
  };
  main().replaceChildren(h('h1', {}, 'Pill identifier'),
    h('p', { class: 'muted' }, 'Type what is printed on the pill (either side, any order; spaces and dashes do not matter), and its colour and shape if you can.'),
    h('form', { class: 'pill-form', onsubmit: go, 'aria-label': 'Identify a pill' },
      field('pill-imprint', 'Imprint', imprint), field('pill-color', 'Colour', color),
      h('datalist', { id: 'pill-colors' }, PILL_COLORS.map((c) => h('option', { value: c }))),
      field('pill-shape', 'Shape', shape), field('pill-size', 'Size (mm, optional)', size),
      h('button', { class: 'primary', type: 'submit' }, 'Identify')),
    out);
  if (!q.imprint && !q.color && !q.shape && !q.size) { imprint.focus(); return; }
  out.replaceChildren(h('p', { class: 'muted' }, 'Searching…'));
  const qs = new URLSearchParams(Object.entries(q).filter(([, v]) => v));
  let r;
  try { r = await api('/pills?' + qs.toString() + '&limit=20'); } catch (e) { out.replaceChildren(h('div', { class: 'error', role: 'alert' }, e.message)); return; }
  const S = r.sources || {};
  const nodes = [];
  if (r.results.length) {
    nodes.push(h('h2', {}, r.results.length + ' result' + (r.results.length === 1 ? '' : 's') + (r.matched > r.results.length ? ' (of ' + r.matched + ' pills that match)' : '')));
    nodes.push(...r.results.map((p) => pillCard(p, S)));
  } else {
    nodes.push(h('h2', {}, 'No pill matches'));
    if (r.near_misses.length) nodes.push(h('p', {}, 'The closest near-misses:'), ...r.near_misses.map((p) => pillCard(p, S)));
    else nodes.push(h('p', {}, 'Nothing is close either. Check the imprint, or search by colour and shape.'));
  }
  nodes.push(h('p', { class: 'note' }, 'Drawings are made from the shape, colour and imprint in the data, not photographs. Confirm a pill with a pharmacist before taking it.'));
  out.replaceChildren(...nodes);
  document.title = 'Pill identifier — Materia';
}

/* ---------- my medicines: account, profiles, medications ---------- */
/* The records API (docs/records.md) needs an account. The session is an HttpOnly cookie that
   this script never sees; the CSRF token of the login is kept in memory and in sessionStorage
   (this tab only, gone when the tab closes), and sent as X-CSRF-Token on every write.
   Schedule clock times are UTC on the server; these pages take and show them in the reader's
   time zone. Field errors of a problem+json answer are shown next to the field they name. */
const rec = { user: null, csrf: null };
try { rec.csrf = sessionStorage.getItem('materia.csrf'); } catch (e) { rec.csrf = null; }

function setCsrf(token) {
  rec.csrf = token || null;
  try { if (token) sessionStorage.setItem('materia.csrf', token); else sessionStorage.removeItem('materia.csrf'); } catch (e) { /* memory only */ }
}

async function rapi(method, path, body, type) {
  const headers = {};
  const opts = { method, headers, credentials: 'same-origin' };
  if (method !== 'GET' && rec.csrf) headers['X-CSRF-Token'] = rec.csrf;
  if (body !== undefined) { headers['Content-Type'] = type || 'application/json'; opts.body = typeof body === 'string' ? body : JSON.stringify(body); }
  try { return await api(path, opts); } catch (e) {
    const csrf = e.status === 403 && e.body && /\/csrf$/.test(e.body.type || '');
    if (e.status === 401 && !path.startsWith('/auth/login')) { e.signin = true; rec.user = null; setCsrf(null); }
    if (csrf) { e.signin = true; setCsrf(null); }
    throw e;
  }
}

async function whoami() {
  try { const me = await api('/auth/me'); rec.user = me.user; return me.user; } catch (e) {
    if (e.status === 401) { rec.user = null; setCsrf(null); return null; }
    throw e;
  }
}

const signInHash = (next) => '#/account?next=' + encodeURIComponent(next || location.hash.slice(1) || '/me');

/* The signed-in user, or null after sending the reader to the sign-in page. */
async function needAccount() {
  const here = location.hash;
  let u;
  try { u = await whoami(); } catch (e) { showError(e); return null; }
  if (location.hash !== here) return null;
  if (u && rec.csrf) return u;
  location.replace(signInHash(here.slice(1)));
  return null;
}

function recFail(e) {
  if (e.signin) { location.replace(signInHash()); return; }
  showError(e);
}

function notFoundView() {
  const h1 = h('h1', { tabindex: -1 }, 'Not found');
  main().replaceChildren(h('div', { class: 'rec' }, h1,
    h('p', {}, 'There is no such profile in your account.'), h('p', {}, h('a', { href: '#/me' }, '← My medicines'))));
  document.title = 'Not found — Materia';
  h1.focus();
}

/* A polite live region of the page, for the outcome of small actions. */
function announce(msg) { const el = $('#rec-live'); if (el) { el.textContent = ''; setTimeout(() => { el.textContent = msg; }, 50); } }
/* replaceChildren with nested arrays flattened and empty parts left out, as h() does */
function fill(el, ...kids) { el.replaceChildren(...kids.flat(Infinity).filter((k) => k !== null && k !== undefined && k !== false)); }
const liveRegion = () => h('div', { id: 'rec-live', class: 'visually-hidden', role: 'status' });

/* ---- forms: labelled fields, errors next to the field the server names ---- */
let recUid = 0;
function recField(label, input, opts = {}) {
  if (!input.id) input.id = 'rf' + (++recUid);
  const kids = [h('label', { for: input.id }, label, opts.optional ? h('span', { class: 'opt' }, ' (optional)') : null), opts.wrap || input];
  if (opts.hint) {
    const hid = input.id + '-hint';
    kids.push(h('span', { class: 'hint', id: hid }, opts.hint));
    input.setAttribute('aria-describedby', hid);
  }
  return h('div', { class: 'field' + (opts.cls ? ' ' + opts.cls : ''), 'data-field': opts.field || input.getAttribute('name') }, kids);
}

const val = (form, name) => { const el = form.elements[name]; return el && el.value !== undefined ? String(el.value).trim() : ''; };
const orNull = (s) => (s === '' ? null : s);
const numOrNull = (s) => (s === '' ? null : (Number.isFinite(Number(s)) ? Number(s) : s));

/* The wrapper of the field an error names: "schedule.times[1]" falls back to "schedule.times", then "schedule". */
function fieldFor(form, name) {
  let n = String(name || '');
  while (n) {
    const w = form.querySelector('[data-field="' + CSS.escape(n) + '"]');
    if (w) return w;
    const cut = Math.max(n.lastIndexOf('.'), n.lastIndexOf('['));
    if (cut <= 0) break;
    n = n.slice(0, cut);
  }
  return null;
}

function formErrors(form, err) {
  for (const p of form.querySelectorAll('.field-error')) p.remove();
  for (const el of form.querySelectorAll('[aria-invalid]')) {
    el.removeAttribute('aria-invalid');
    const d = (el.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && !x.endsWith('-err')).join(' ');
    if (d) el.setAttribute('aria-describedby', d); else el.removeAttribute('aria-describedby');
  }
  const box = form.querySelector('.form-error');
  box.replaceChildren();
  if (!err) return;
  const errs = err.body && Array.isArray(err.body.errors) ? err.body.errors : [];
  const rest = [];
  let first = null;
  for (const e of errs) {
    const w = fieldFor(form, e.field);
    if (!w) { rest.push(e); continue; }
    for (let d = w.closest('details'); d; d = d.parentElement && d.parentElement.closest('details')) d.open = true;
    const input = w.querySelector('input:not([type=radio]), select, textarea') || w.querySelector('input');
    const id = (input ? input.id : 'rf' + (++recUid)) + '-err';
    const old = w.querySelector('#' + CSS.escape(id));
    if (old) old.append('; ' + e.message);
    else w.append(h('p', { class: 'field-error', id }, e.message));
    if (input && !input.hasAttribute('aria-invalid')) {
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', ((input.getAttribute('aria-describedby') || '') + ' ' + id).trim());
    }
    first = first || input;
  }
  if (!errs.length || rest.length) {
    box.append(errs.length ? rest.map((e) => e.field + ': ' + e.message).join('; ') : err.message);
    if (err.signin) box.append(' ', h('a', { href: signInHash() }, 'Sign in again'));
  }
  if (first) first.focus(); else if (box.childNodes.length) box.focus();
}

function recForm(attrs, kids, onsubmit) {
  const form = h('form', Object.assign({ novalidate: true }, attrs), h('div', { class: 'form-error', role: 'alert', tabindex: -1 }), kids);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (form.dataset.busy) return;
    form.dataset.busy = '1';
    try { formErrors(form, null); await onsubmit(form); } catch (err) { formErrors(form, err); } finally { delete form.dataset.busy; }
  });
  return form;
}

/* The drug box of a medication form: the same suggestions as the main search box. */
function suggestInput(input, hint) {
  const list = h('ul', { id: input.id + '-list', role: 'listbox', class: 'suggestions', hidden: true, 'aria-label': 'Suggestions' });
  for (const [k, v] of [['role', 'combobox'], ['aria-autocomplete', 'list'], ['aria-expanded', 'false'], ['aria-controls', list.id],
    ['autocomplete', 'off'], ['spellcheck', 'false']]) input.setAttribute(k, v);
  let opts = [], active = -1, seq = 0;
  const close = () => { list.hidden = true; input.setAttribute('aria-expanded', 'false'); active = -1; input.removeAttribute('aria-activedescendant'); };
  const choose = (it) => {
    input.value = it.name;
    hint.textContent = it.resolves_to && it.resolves_to.toLowerCase() !== String(it.name).toLowerCase() ? 'That is ' + it.resolves_to + '.' : '';
    close();
  };
  const paint = () => {
    list.replaceChildren(...opts.map((it, i) => h('li', {
      id: input.id + '-opt-' + i, role: 'option', 'aria-selected': i === active ? 'true' : 'false',
      onmousedown: (e) => { e.preventDefault(); choose(it); },
    }, h('span', {}, it.name), h('span', { class: 'why' },
      (it.resolves_to && it.resolves_to.toLowerCase() !== String(it.name).toLowerCase() ? '→ ' + it.resolves_to + ' · ' : '') + (it.tier || '')))));
    list.hidden = opts.length === 0;
    input.setAttribute('aria-expanded', opts.length ? 'true' : 'false');
    if (active >= 0) input.setAttribute('aria-activedescendant', input.id + '-opt-' + active); else input.removeAttribute('aria-activedescendant');
  };
  input.addEventListener('input', async () => {
    const q = input.value.trim();
    const my = ++seq;
    hint.textContent = '';
    if (!q) { opts = []; paint(); return; }
    try {
      const r = await api('/autocomplete?q=' + encodeURIComponent(q) + '&limit=8');
      if (my !== seq) return;
      opts = (r.results || []).map(normalizeHit); active = -1; paint();
    } catch (e) { opts = []; paint(); }
  });
  input.addEventListener('keydown', (e) => {
    if (!opts.length) return;
    if (e.key === 'ArrowDown') { e.preventDefault(); active = (active + 1) % opts.length; paint(); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); active = (active - 1 + opts.length) % opts.length; paint(); }
    else if (e.key === 'Enter' && !list.hidden && active >= 0) { e.preventDefault(); choose(opts[active]); }
    else if (e.key === 'Escape' && !list.hidden) { e.preventDefault(); close(); }
  });
  input.addEventListener('blur', () => setTimeout(close, 100));
  return h('div', { class: 'combo' }, input, list);
}

/* ---- times: the server keeps UTC clock times; people read and type their own ---- */
const pad2 = (n) => String(n).padStart(2, '0');
const hm = (d) => pad2(d.getHours()) + ':' + pad2(d.getMinutes());
const TZ = (() => { try { return Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time'; } catch (e) { return 'local time'; } })();
function utcToLocalHm(t) {
  const m = /^(\d{2}):(\d{2})$/.exec(t || '');
  if (!m) return t;
  const n = new Date();
  return hm(new Date(Date.UTC(n.getUTCFullYear(), n.getUTCMonth(), n.getUTCDate(), +m[1], +m[2])));
}
function localToUtcHm(t) {
  const m = /^(\d{1,2})[:.h](\d{2})$/.exec(t || '');
  if (!m || +m[1] > 23 || +m[2] > 59) return t;           /* the server names the bad entry */
  const n = new Date();
  const d = new Date(n.getFullYear(), n.getMonth(), n.getDate(), +m[1], +m[2]);
  return pad2(d.getUTCHours()) + ':' + pad2(d.getUTCMinutes());
}
function when(iso) {
  const d = new Date(iso);
  const day = (x) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
  const diff = Math.round((day(d) - day(new Date())) / 86400000);
  const label = diff === 0 ? 'Today' : diff === 1 ? 'Tomorrow' : diff === -1 ? 'Yesterday'
    : d.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
  return label + ' ' + hm(d);
}
const timeEl = (iso) => h('time', { datetime: iso }, when(iso));

/* ---- medication text ---- */
const UNITS = ['tablet', 'capsule', 'mg', 'g', 'mcg', 'ml', 'drop', 'puff', 'spray', 'patch', 'unit', 'sachet', 'suppository',
  'application', 'injection', 'dose'];
const FORMS = ['tablet', 'capsule', 'oral solution', 'oral suspension', 'syrup', 'injection', 'cream', 'ointment', 'gel',
  'patch', 'inhaler', 'eye drops', 'nasal spray', 'suppository'];
const num = (x) => Number(x).toLocaleString(undefined, { maximumFractionDigits: 3 });
function amount(n, unit) {
  if (n === null || n === undefined) return unit || '';
  if (!unit || ['mg', 'g', 'mcg', 'ml'].includes(unit) || n === 1) return num(n) + (unit ? ' ' + unit : '');
  return num(n) + ' ' + (unit === 'patch' ? 'patches' : unit === 'suppository' ? 'suppositories' : unit + 's');
}
function schedText(s) {
  if (!s) return '';
  const at = (s.times || []).map(utcToLocalHm).sort();
  const list = at.length > 1 ? at.slice(0, -1).join(', ') + ' and ' + at[at.length - 1] : at.join('');
  if (s.type === 'as_needed') return 'As needed' + (s.max_per_day ? ', at most ' + num(s.max_per_day) + ' a day' : '');
  if (s.type === 'clock_times') return 'At ' + list;
  const n = s.times_per_day;
  return (n === 1 ? 'Once a day' : n === 2 ? 'Twice a day' : n + ' times a day') + (list ? ', at ' + list : '');
}

/* ---- alerts, as in the interaction checker ---- */
let sourceNames = null;
async function loadSourceNames() {
  if (!sourceNames) {
    try { const r = await api('/sources'); sourceNames = {}; for (const s of r.sources || []) sourceNames[s.id] = s; } catch (e) { return {}; }
  }
  return sourceNames;
}
const ALERT_ORDER = ['allergy', 'contraindicated', 'major', 'moderate', 'minor', 'unknown', 'duplication', 'class_effect', 'anticholinergic_burden'];
const alertKey = (a) => (a.type === 'interaction' ? a.rank || 'unknown' : a.type);
const sortAlerts = (alerts) => alerts.slice().sort((a, b) => ALERT_ORDER.indexOf(alertKey(a)) - ALERT_ORDER.indexOf(alertKey(b)));
const joinAnd = (xs) => (xs.length > 1 ? xs.slice(0, -1).join(', ') + ' and ' + xs[xs.length - 1] : xs.join(''));
const medsText = (ms) => joinAnd((ms || []).map((m) => m.text || m.drug));
function alertLine(a) {
  if (a.type === 'interaction') return (a.rank || 'unknown') + ' interaction: ' + a.medication.text + ' with ' + a.with.text;
  if (a.type === 'duplication') return 'duplication: ' + a.medication.text + ' and ' + a.with.text;
  if (a.type === 'allergy') return 'allergy: ' + a.medication.text + ' and the allergy to ' + a.allergy.substance;
  if (a.type === 'class_effect') return 'class effect: ' + a.effect;
  if (a.type === 'anticholinergic_burden') return 'anticholinergic burden ' + a.total;
  return a.type;
}

function evidenceItem(e, S, skip) {
  return h('li', {},
    h('p', {}, h('strong', {}, e.source_name || (S[e.source] && S[e.source].name) || e.source), e.level ? ': ' + e.level : '',
      e.kind === 'harm_reduction' ? [' ', h('span', { class: 'badge hr' }, 'harm reduction')] : null),
    e.effect && e.effect !== skip ? h('p', { lang: e.lang || null }, e.effect) : null,
    e.mechanism ? h('p', {}, h('em', {}, 'Mechanism: '), e.mechanism) : null,
    e.management ? h('p', {}, h('em', {}, 'Management: '), e.management) : null,
    h('p', { class: 'src' }, e.record || '', e.lang && e.lang !== 'en' ? ' · text in ' + e.lang : ''));
}

/* An alert of the records API. compact: a disclosure whose summary is the pair, the badges and
   the first effect (the standing alerts of a profile); else everything in view, first two sources
   shown (the alerts of a medicine just added). */
function renderAlert(a, S, hl, compact) {
  const H = 'h' + (hl || 3);
  if (a.type === 'interaction' || a.type === 'duplication') {
    const title = [a.medication.text, ' + ', a.with.text];
    const badges = [a.severity ? h('span', { class: 'badge sev-' + a.severity }, a.severity) : null, ' ',
      a.hr_severity ? h('span', { class: 'badge hr' }, 'harm reduction: ' + a.hr_severity) : null,
      a.type === 'duplication' ? h('span', { class: 'badge sev-unknown' }, 'duplication') : null,
      a.disagreement ? h('span', { class: 'muted' }, ' · sources disagree') : null,
      a.tier === 'interruptive' ? h('span', { class: 'muted' }, ' · interruptive alert') : null];
    const first = (a.effects || [])[0];
    const dups = (a.duplications || []).map((d) => h('p', {}, h('strong', {}, d.type === 'ingredient' ? 'Same ingredient: ' : 'Same class: '),
      d.type === 'ingredient' ? d.name_a : (d.class || ''), d.type === 'class' && d.name_a ? ' (' + d.name_a + ', ' + d.name_b + ')' : ''));
    if (a.type === 'duplication' && !dups.length) dups.push(h('p', {}, 'Both contain the same ingredient.'));
    const ev = (a.evidence || []).map((e) => evidenceItem(e, S, first));
    const cls = 'finding sev-' + (a.rank || 'unknown');
    if (compact) {
      return h('details', { class: cls + ' compact' }, h('summary', {}, h('strong', {}, title), ' ', badges,
        first ? h('span', { class: 'effect' }, first) : null), dups, ev.length ? h('ul', { class: 'evidence' }, ev) : null);
    }
    return h('article', { class: cls }, h(H, {}, title, ' ', badges),
      first ? h('p', { class: 'effect' }, first) : null, dups,
      ev.length ? h('ul', { class: 'evidence' }, ev.slice(0, 2)) : null,
      ev.length > 2 ? h('details', {}, h('summary', {}, (ev.length - 2) + (ev.length === 3 ? ' more source' : ' more sources')),
        h('ul', { class: 'evidence' }, ev.slice(2))) : null);
  }
  if (a.type === 'allergy') {
    const al = a.allergy || {};
    return h('article', { class: 'finding sev-' + (al.severity === 'mild' ? 'moderate' : 'major') },
      h(H, {}, 'Allergy: ', a.medication.text, ' ', al.severity ? h('span', { class: 'badge sev-major' }, al.severity) : null),
      h('p', {}, a.medication.text, ' is or contains ', h('strong', {}, al.substance), ', a recorded allergy', al.reaction ? ' (reaction: ' + al.reaction + ')' : '', '.'));
  }
  if (a.type === 'class_effect') {
    return h('article', { class: 'finding sev-moderate' },
      h(H, {}, 'Class effect: ', a.effect),
      h('p', {}, medsText(a.medications), (a.medications || []).length === 2 ? ' are both' : ' are all', ' in the class “', a.class, '”.'),
      h('p', { class: 'src' }, 'Source: ', (S[a.source] && S[a.source].name) || a.source, a.record ? ' (' + a.record + ')' : ''));
  }
  if (a.type === 'anticholinergic_burden') {
    return h('article', { class: 'finding sev-moderate' },
      h(H, {}, 'Anticholinergic burden: total ' + a.total),
      h('p', {}, 'Together, ', medsText(a.medications), ' reach the alert threshold of ' + a.threshold + ' on the anticholinergic burden scales.'));
  }
  return h('article', { class: 'finding' }, h(H, {}, a.type));
}

function totalsTable(totals, onlyShared, meds) {
  const text = {};
  for (const m of meds || []) text[m.id] = m.drug;
  const rows = (totals || []).filter((t) => !onlyShared || t.shared);
  if (!rows.length) return null;
  const mg = (x) => num(x) + ' mg';
  return h('div', { class: 'scroll' }, h('table', { class: 'totals' },
    h('caption', {}, onlyShared ? 'The same ingredient in more than one medicine: the total per day' : 'Total per day by ingredient'),
    h('thead', {}, h('tr', {}, ['Ingredient', 'Per day', 'From'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows.map((t) => h('tr', { class: t.shared ? 'shared' : null },
      h('th', { scope: 'row' }, t.ingredient, t.shared ? [' ', h('span', { class: 'badge sev-moderate' }, 'shared')] : null),
      h('td', {}, t.mg_per_day === null ? 'cannot be computed' : (t.complete ? '' : 'at least ') + mg(t.mg_per_day)),
      h('td', {}, (t.medications || []).map((m) => (text[m.id] || m.drug) + (m.mg_per_day !== null && m.mg_per_day !== undefined ? ' (' + mg(m.mg_per_day) + ')' : '')).join(' + ')))))));
}

/* ---------- sign in / create an account ---------- */
async function accountPage(params) {
  const here = location.hash;
  let u;
  try { u = await whoami(); } catch (e) { return showError(e); }
  if (location.hash !== here) return;
  const want = params.get('next') || '';
  const next = /^\/(me(\/\d+)?|account\/(tokens|activity))$/.test(want) ? want : '/me';
  const signedIn = u && rec.csrf;
  const h1 = h('h1', { tabindex: -1 }, signedIn ? 'Your account' : 'Sign in or create an account');
  const kids = [h1];
  if (params.get('out')) kids.push(h('p', { class: 'note', role: 'status' }, 'You are signed out.'));
  if (signedIn) {
    kids.push(h('p', {}, 'Signed in as ', h('strong', {}, u.username), '.'),
      h('ul', { class: 'links' },
        h('li', {}, h('a', { href: '#/me' }, 'My medicines'), h('span', { class: 'muted' }, ' — the people you look after and their medicines')),
        h('li', {}, h('a', { href: '#/account/tokens' }, 'API tokens'), h('span', { class: 'muted' }, ' — keys that let a program or a health-records system use your records')),
        h('li', {}, h('a', { href: '#/account/activity' }, 'Activity log'), h('span', { class: 'muted' }, ' — what was done in your account, and when'))),
      h('p', {}, signOutButton()));
  } else {
    if (u) kids.push(h('p', { class: 'note' }, 'You are signed in as ' + u.username + ' in another tab. Sign in again to make changes in this one.'));
    kids.push(h('p', {}, 'An account keeps the medicines of the people you look after, warns when a new one clashes with what they already take, and reminds you of the next doses. It is kept on this server only.'));
    const signIn = async (username, password) => {
      const r = await rapi('POST', '/auth/login', { username, password });
      setCsrf(r.csrf_token); rec.user = r.user;
      location.hash = '#' + next;
    };
    const login = recForm({ 'aria-labelledby': 'signin-h' }, [
      recField('Username', h('input', { id: 'signin-username', name: 'username', type: 'text', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' })),
      recField('Password', h('input', { id: 'signin-password', name: 'password', type: 'password', autocomplete: 'current-password' })),
      h('button', { class: 'primary', type: 'submit' }, 'Sign in')],
    async (f) => signIn(val(f, 'username'), f.elements.password.value));
    const reg = recForm({ 'aria-labelledby': 'register-h' }, [
      recField('Username', h('input', { id: 'register-username', name: 'username', type: 'text', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' }),
        { hint: '3 to 64 letters, digits, or . _ - @' }),
      recField('Password', h('input', { id: 'register-password', name: 'password', type: 'password', autocomplete: 'new-password' }),
        { hint: 'At least 10 characters' }),
      h('button', { class: 'primary', type: 'submit' }, 'Create account')],
    async (f) => {
      await rapi('POST', '/auth/register', { username: val(f, 'username'), password: f.elements.password.value });
      await signIn(val(f, 'username'), f.elements.password.value);
    });
    kids.push(h('div', { class: 'rec-cols' },
      h('section', { class: 'card' }, h('h2', { id: 'signin-h' }, 'Sign in'), login),
      h('section', { class: 'card' }, h('h2', { id: 'register-h' }, 'Create an account'), reg)));
  }
  main().replaceChildren(h('div', { class: 'rec' }, kids));
  document.title = (signedIn ? 'Your account' : 'Sign in') + ' — Materia';
  h1.focus();
}

function signOutButton() {
  return h('button', { type: 'button', class: 'secondary', onclick: async () => {
    try { await rapi('POST', '/auth/logout'); } catch (e) { /* signed out either way */ }
    setCsrf(null); rec.user = null;
    location.hash = '#/account?out=1';
  } }, 'Sign out');
}

const whoLine = (u, here) => h('p', { class: 'muted who' }, 'Signed in as ', h('strong', {}, u.username), ' · ',
  here === 'account' ? null : [h('a', { href: '#/account' }, 'Your account'), ' · '], signOutButton());

/* ---------- profiles ---------- */
const RELATIONS = [['self', 'Myself'], ['child', 'Child'], ['parent', 'Parent'], ['partner', 'Partner'], ['other', 'Someone else']];
const relLabel = (r) => (RELATIONS.find((x) => x[0] === r) || [r, r || ''])[1];

async function profilesPage() {
  const here = location.hash;
  const u = await needAccount();
  if (!u) return;
  const listEl = h('ul', { class: 'rec-list profiles' });
  const reload = async (focusId) => {
    let r;
    try { r = await rapi('GET', '/profiles'); } catch (e) { return recFail(e); }
    if (location.hash !== here) return;
    const ps = r.profiles || [];
    listEl.replaceChildren(...(ps.length ? ps.map((p) => profileItem(p, reload))
      : [h('li', { class: 'muted' }, 'No one yet. Add yourself or someone you look after below.')]));
    if (focusId) { const el = document.getElementById(focusId); if (el) el.focus(); }
  };
  const add = recForm({ 'aria-labelledby': 'add-profile-h', class: 'rec-grid' }, [
    recField('Name', h('input', { id: 'profile-name', name: 'name', type: 'text', autocomplete: 'off', 'aria-required': 'true' })),
    recField('Relation', h('select', { id: 'profile-relation', name: 'relation' }, RELATIONS.map(([v, l]) => h('option', { value: v }, l)))),
    recField('Birth date', h('input', { id: 'profile-birth', name: 'birth_date', type: 'date' }), { optional: true }),
    h('div', { class: 'form-actions' }, h('button', { class: 'primary', type: 'submit' }, 'Add person'))],
  async (f) => {
    const p = await rapi('POST', '/profiles', { name: val(f, 'name'), relation: val(f, 'relation'), birth_date: orNull(val(f, 'birth_date')) });
    f.reset();
    await reload();
    announce('Added ' + p.name + '.');
  });
  const h1 = h('h1', { tabindex: -1 }, 'My medicines');
  main().replaceChildren(h('div', { class: 'rec' }, h1, whoLine(u),
    h('p', {}, 'One profile for each person you look after. Open a profile to keep their medicines, allergies, conditions, dose log and reminders.'),
    h('h2', {}, 'People'), listEl, h('h2', { id: 'add-profile-h' }, 'Add a person'), add, liveRegion()));
  document.title = 'My medicines — Materia';
  await reload();
  if (location.hash === here) h1.focus();
}

function profileItem(p, reload) {
  const slot = h('div', { class: 'slot' });
  const info = h('div', { class: 'who' }, h('a', { href: '#/me/' + p.id, id: 'prof-' + p.id + '-link', class: 'big' }, p.name),
    h('span', { class: 'muted' }, ' · ' + relLabel(p.relation) + (p.birth_date ? ' · born ' + p.birth_date : '')));
  const renameBtn = h('button', { type: 'button', class: 'secondary', id: 'prof-' + p.id + '-rename', 'aria-expanded': 'false', 'aria-label': 'Rename ' + p.name }, 'Rename');
  const deleteBtn = h('button', { type: 'button', class: 'secondary', id: 'prof-' + p.id + '-delete', 'aria-label': 'Delete ' + p.name }, 'Delete');
  renameBtn.addEventListener('click', () => {
    if (slot.firstChild) { slot.replaceChildren(); renameBtn.setAttribute('aria-expanded', 'false'); return; }
    const input = h('input', { id: 'prof-' + p.id + '-name', name: 'name', type: 'text', value: p.name, autocomplete: 'off' });
    const f = recForm({ 'aria-label': 'Rename ' + p.name, class: 'inline-form' }, [recField('New name for ' + p.name, input),
      h('div', { class: 'form-actions' }, h('button', { class: 'primary', type: 'submit' }, 'Save'),
        h('button', { type: 'button', class: 'secondary', onclick: () => { slot.replaceChildren(); renameBtn.setAttribute('aria-expanded', 'false'); renameBtn.focus(); } }, 'Cancel'))],
    async (form) => {
      const r = await rapi('PATCH', '/profiles/' + p.id, { name: val(form, 'name') });
      await reload('prof-' + p.id + '-link');
      announce('Renamed to ' + r.name + '.');
    });
    slot.replaceChildren(f);
    renameBtn.setAttribute('aria-expanded', 'true');
    input.focus(); input.select();
  });
  deleteBtn.addEventListener('click', () => {
    const msg = h('p', { id: 'prof-' + p.id + '-confirm', tabindex: -1 }, h('strong', {}, 'Delete ' + p.name + '?'),
      ' Their medicines, allergies, conditions, dose log and calendar address are deleted too. This cannot be undone.');
    const err = h('p', { class: 'form-error', role: 'alert' });
    slot.replaceChildren(h('div', { class: 'confirm', role: 'group', 'aria-labelledby': msg.id }, msg, err, h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'danger', onclick: async () => {
        try { await rapi('DELETE', '/profiles/' + p.id); } catch (e) { err.textContent = e.message; if (e.signin) err.append(' ', h('a', { href: signInHash() }, 'Sign in again')); return; }
        await reload();
        announce('Deleted ' + p.name + '.');
        const h1 = $('main h1'); if (h1) h1.focus();
      } }, 'Yes, delete ' + p.name),
      h('button', { type: 'button', class: 'secondary', onclick: () => { slot.replaceChildren(); deleteBtn.focus(); } }, 'Cancel'))));
    msg.focus();
  });
  return h('li', {}, h('div', { class: 'row' }, info, h('div', { class: 'actions' }, renameBtn, deleteBtn)), slot);
}

/* ---------- one profile: medicines, alerts, doses, reminders, allergies, conditions ---------- */
function recSection(id, title) {
  const h2 = h('h2', { id: id + '-h', tabindex: -1 }, title);
  const body = h('div', { class: 'sec-body' }, h('p', { class: 'muted' }, 'Loading…'));
  return { id, title, h2, body, el: h('section', { id, class: 'rec-sec', 'aria-labelledby': h2.id }, h2, body) };
}

function secError(body, e) {
  body.replaceChildren(h('div', { class: 'error', role: 'alert' }, e.message,
    e.signin ? [' ', h('a', { href: signInHash() }, 'Sign in again')] : null));
}

async function profilePage(id) {
  const here = location.hash;
  const u = await needAccount();
  if (!u) return;
  if (!/^\d{1,9}$/.test(id)) return notFoundView();
  let p;
  try { p = await rapi('GET', '/profiles/' + id); } catch (e) {
    if (location.hash !== here) return;
    return e.status === 404 ? notFoundView() : recFail(e);
  }
  if (location.hash !== here) return;
  const ctx = { p, here, base: '/profiles/' + p.id, meds: [] };
  const S = ctx.secs = {
    next: recSection('sec-next', 'Next 24 hours'),
    meds: recSection('sec-meds', 'Medicines'),
    add: recSection('sec-add', 'Add a medicine'),
    checks: recSection('sec-checks', 'Alerts among the current medicines'),
    doses: recSection('sec-doses', 'Dose log'),
    allergies: recSection('sec-allergies', 'Allergies'),
    conditions: recSection('sec-conditions', 'Conditions'),
    files: recSection('sec-files', 'Export and import'),
    cal: recSection('sec-cal', 'Calendar feed'),
  };
  const toc = h('nav', { class: 'toc', 'aria-label': 'On this page' }, h('ul', {}, Object.values(S).map((s) => h('li', {},
    h('a', { href: here, onclick: (e) => { e.preventDefault(); s.h2.scrollIntoView({ block: 'start' }); s.h2.focus({ preventScroll: true }); } }, s.title)))));
  const h1 = h('h1', { tabindex: -1 }, p.name);
  main().replaceChildren(h('div', { class: 'rec profile' },
    h('div', { class: 'crumb' }, h('a', { href: '#/me' }, '← My medicines'), whoLine(u)),
    h1, h('p', { class: 'muted' }, [relLabel(p.relation), p.birth_date ? 'born ' + p.birth_date : null].filter(Boolean).join(' · ')),
    toc, Object.values(S).map((s) => s.el), liveRegion()));
  document.title = p.name + ' — Materia';
  h1.focus();
  ctx.refresh = async (focusId) => {
    await loadMeds(ctx);
    await Promise.all([loadChecks(ctx), loadNext(ctx), loadDoses(ctx)]);
    if (focusId) { const el = document.getElementById(focusId); if (el) el.focus(); }
  };
  addMedSection(ctx);
  filesSection(ctx);
  calendarSection(ctx);
  await Promise.all([ctx.refresh(), loadAllergies(ctx), loadConditions(ctx)]);
}

function medFields(px, m) {
  m = m || {};
  const s = m.schedule || { type: 'times_per_day', times_per_day: 1, times: [] };
  const id = (n) => px + '-' + n;
  const str = (x) => (x === null || x === undefined ? null : String(x));
  const radio = (type, label) => h('div', { class: 'radio' },
    h('input', { type: 'radio', name: 'stype', value: type, id: id('st-' + type), checked: s.type === type }), h('label', { for: id('st-' + type) }, label));
  const tpd = h('input', { id: id('tpd'), name: 'times_per_day', type: 'number', min: 1, max: 24, step: 1, inputmode: 'numeric',
    value: s.type === 'times_per_day' ? str(s.times_per_day) : '1' });
  const times = h('input', { id: id('times'), name: 'times', type: 'text', autocomplete: 'off', placeholder: '08:00, 20:00',
    value: s.type === 'clock_times' ? (s.times || []).map(utcToLocalHm).sort().join(', ') : null });
  const max = h('input', { id: id('max'), name: 'max_per_day', type: 'number', min: 0, step: 'any', inputmode: 'decimal',
    value: s.type === 'as_needed' ? str(s.max_per_day) : null });
  const sched = h('fieldset', { class: 'sched', 'data-field': 'schedule' }, h('legend', {}, 'When'), h('div', { class: 'sched-opts' },
    h('div', {}, radio('times_per_day', 'A number of times a day'), recField('Times a day', tpd, { field: 'schedule.times_per_day', cls: 'sub' })),
    h('div', {}, radio('clock_times', 'At set times'), recField('Clock times', times, { field: 'schedule.times', cls: 'sub', hint: 'Your time (' + TZ + '), separated by commas' })),
    h('div', {}, radio('as_needed', 'Only when needed'), recField('At most, a day', max, { field: 'schedule.max_per_day', cls: 'sub', optional: true }))));
  for (const [el, type] of [[tpd, 'times_per_day'], [times, 'clock_times'], [max, 'as_needed']])
    el.addEventListener('input', () => { sched.querySelector('input[value="' + type + '"]').checked = true; });
  const more = !!(m.start_date || m.stop_date || m.prescriber || m.notes || (m.stock !== null && m.stock !== undefined));
  return [
    h('div', { class: 'rec-grid' },
      recField('Strength', h('input', { id: id('strength'), name: 'strength', type: 'text', autocomplete: 'off', placeholder: 'e.g. 50 mg', value: str(m.strength) }), { optional: true }),
      recField('Form', h('input', { id: id('form'), name: 'form', type: 'text', autocomplete: 'off', list: 'rec-forms', placeholder: 'e.g. tablet', value: str(m.form) }), { optional: true }),
      recField('Dose each time', h('input', { id: id('dose'), name: 'dose_amount', type: 'number', min: 0, step: 'any', inputmode: 'decimal', value: str(m.dose_amount) })),
      recField('Unit', h('select', { id: id('unit'), name: 'dose_unit' }, UNITS.map((x) => h('option', { value: x, selected: (m.dose_unit || 'tablet') === x }, x))))),
    px === 'add' ? h('datalist', { id: 'rec-forms' }, FORMS.map((x) => h('option', { value: x }))) : null,
    sched,
    h('details', { class: 'more', open: more }, h('summary', {}, 'Dates, prescriber, notes and stock'),
      h('div', { class: 'rec-grid' },
        recField('Start date', h('input', { id: id('start'), name: 'start_date', type: 'date', value: str(m.start_date) }), { optional: true }),
        recField('Stop date', h('input', { id: id('stop'), name: 'stop_date', type: 'date', value: str(m.stop_date) }), { optional: true }),
        recField('Prescriber', h('input', { id: id('prescriber'), name: 'prescriber', type: 'text', autocomplete: 'off', value: str(m.prescriber) }), { optional: true }),
        recField('Stock', h('input', { id: id('stock'), name: 'stock', type: 'number', min: 0, step: 'any', inputmode: 'decimal', value: str(m.stock) }),
          { optional: true, hint: 'How many are left, in the dose unit' }),
        recField('Refill warning at', h('input', { id: id('refill'), name: 'refill_threshold', type: 'number', min: 0, step: 'any', inputmode: 'decimal', value: str(m.refill_threshold) }),
          { optional: true, hint: 'Warn when the stock gets this low' })),
      recField('Notes', h('textarea', { id: id('notes'), name: 'notes', rows: 2 }, m.notes || ''), { optional: true })),
  ];
}

function medBody(f, patch) {
  const b = {};
  const str = (k) => { const v = val(f, k); if (v !== '' || patch) b[k] = orNull(v); };
  const nm = (k) => { const v = val(f, k); if (v !== '' || patch) b[k] = numOrNull(v); };
  if (!patch) b.drug = val(f, 'drug');
  str('strength'); str('form'); nm('dose_amount');
  if (patch || 'dose_amount' in b) b.dose_unit = val(f, 'dose_unit');
  const type = f.elements.stype.value;
  if (type === 'clock_times') b.schedule = { type, times: val(f, 'times').split(/[\s,;]+/).filter(Boolean).map(localToUtcHm) };
  else if (type === 'as_needed') { b.schedule = { type }; if (val(f, 'max_per_day') !== '') b.schedule.max_per_day = numOrNull(val(f, 'max_per_day')); }
  else b.schedule = { type: 'times_per_day', times_per_day: numOrNull(val(f, 'times_per_day')) };
  str('start_date'); str('stop_date'); str('prescriber'); str('notes'); nm('stock'); nm('refill_threshold');
  return b;
}

async function loadMeds(ctx) {
  const body = ctx.secs.meds.body;
  let r;
  try { r = await rapi('GET', ctx.base + '/medications?status=all'); } catch (e) { return secError(body, e); }
  ctx.meds = r.medications || [];
  const active = ctx.meds.filter((m) => m.status === 'active');
  const stopped = ctx.meds.filter((m) => m.status !== 'active');
  fill(body,
    active.length ? h('div', { class: 'meds' }, active.map((m) => medCard(ctx, m))) : h('p', { class: 'muted' }, 'No current medicines. Add one below.'),
    stopped.length ? h('details', { class: 'stopped' }, h('summary', {}, 'Stopped medicines (' + stopped.length + ')'),
      h('div', { class: 'meds' }, stopped.map((m) => medCard(ctx, m)))) : null);
}

function medCard(ctx, m) {
  const hid = 'med-' + m.id + '-h';
  const facts = [];
  const fact = (k, ...v) => facts.push(h('dt', {}, k), h('dd', {}, v));
  const sf = [m.strength, m.form].filter(Boolean).join(' · ');
  if (sf) fact('Strength', sf);
  if (m.dose_amount !== null && m.dose_amount !== undefined) fact('Dose', amount(m.dose_amount, m.dose_unit));
  fact('When', schedText(m.schedule));
  if (m.start_date || m.stop_date) fact('Dates', m.start_date ? 'from ' + m.start_date : '', m.start_date && m.stop_date ? ' ' : '', m.stop_date ? (m.status === 'active' ? 'until ' : 'stopped ') + m.stop_date : '');
  if (m.prescriber) fact('Prescriber', m.prescriber);
  if (m.notes) fact('Notes', m.notes);
  if (m.stock !== null && m.stock !== undefined) fact('Stock', amount(m.stock, m.dose_unit) + ' left',
    m.refill_threshold !== null && m.refill_threshold !== undefined ? h('span', { class: 'muted' }, ' (refill at ' + num(m.refill_threshold) + ')') : null);
  const slot = h('div', { class: 'slot' });
  const err = h('p', { class: 'form-error', role: 'alert' });
  const act = async (fn, focusId, msg) => {
    err.textContent = '';
    try { await fn(); } catch (e) { err.textContent = e.message; if (e.signin) err.append(' ', h('a', { href: signInHash() }, 'Sign in again')); return; }
    await ctx.refresh(focusId);
    announce(msg);
  };
  const btn = (label, idn, onclick, cls) => h('button', { type: 'button', class: cls || 'secondary', id: 'med-' + m.id + '-' + idn, 'aria-label': label + ': ' + m.drug, onclick }, label);
  const actions = m.status === 'active' ? [
    btn('Taken', 'taken', () => act(() => rapi('POST', ctx.base + '/doses', { medication_id: m.id, status: 'taken' }), 'med-' + m.id + '-taken', 'Logged a dose of ' + m.drug + ' as taken.'), 'primary'),
    btn('Skipped', 'skipped', () => act(() => rapi('POST', ctx.base + '/doses', { medication_id: m.id, status: 'skipped' }), 'med-' + m.id + '-skipped', 'Logged a dose of ' + m.drug + ' as skipped.')),
    btn('Edit', 'edit', () => editMed(ctx, m, slot)),
    btn('Stop', 'stop', () => act(() => rapi('PATCH', ctx.base + '/medications/' + m.id, { status: 'stopped' }), 'sec-meds-h', 'Stopped ' + m.drug + '.')),
  ] : [
    btn('Take again', 'restart', () => act(() => rapi('PATCH', ctx.base + '/medications/' + m.id, { status: 'active', stop_date: null }), 'med-' + m.id + '-h', m.drug + ' is current again.')),
    btn('Delete', 'delete', () => act(() => rapi('DELETE', ctx.base + '/medications/' + m.id), 'sec-meds-h', 'Deleted ' + m.drug + '.')),
  ];
  return h('article', { class: 'med' + (m.refill_due ? ' refill-due' : '') + (m.status === 'active' ? '' : ' is-stopped'), id: 'med-' + m.id, 'aria-labelledby': hid },
    h('h3', { id: hid, tabindex: -1 }, m.drug, m.refill_due ? [' ', h('span', { class: 'badge refill' }, 'Refill due')] : null,
      m.status === 'active' ? null : [' ', h('span', { class: 'badge sev-unknown' }, 'stopped')]),
    m.drug_name ? h('p', { class: 'muted' }, m.product ? 'A product with ' : m.drug_name.toLowerCase() !== m.drug.toLowerCase() ? 'That is ' : 'About ',
      h('a', { href: '#/drug/' + encodeURIComponent(m.rxcui || m.drug_name) }, m.drug_name), m.rxcui ? ' · RxCUI ' + m.rxcui : '') : null,
    h('dl', { class: 'facts' }, facts),
    h('div', { class: 'actions' }, actions), err, slot);
}

function editMed(ctx, m, slot) {
  if (slot.firstChild) { slot.replaceChildren(); return; }
  const close = () => { slot.replaceChildren(); const b = document.getElementById('med-' + m.id + '-edit'); if (b) b.focus(); };
  const f = recForm({ class: 'med-form', 'aria-label': 'Edit ' + m.drug }, [
    h('p', { class: 'muted' }, 'The drug itself cannot change: stop this one and add the new one.'),
    medFields('edit-' + m.id, m),
    h('div', { class: 'form-actions' }, h('button', { class: 'primary', type: 'submit' }, 'Save changes'),
      h('button', { type: 'button', class: 'secondary', onclick: close }, 'Cancel'))],
  async (form) => {
    await rapi('PATCH', ctx.base + '/medications/' + m.id, medBody(form, true));
    await ctx.refresh('med-' + m.id + '-h');
    announce('Saved ' + m.drug + '.');
  });
  slot.replaceChildren(f);
  f.querySelector('input:not([type=hidden])').focus();
}

function addMedSection(ctx) {
  const hint = h('span', { class: 'hint', id: 'add-drug-resolved', 'aria-live': 'polite' });
  const drug = h('input', { id: 'add-drug', name: 'drug', type: 'text', 'aria-required': 'true', 'aria-describedby': hint.id, placeholder: 'e.g. sertraline, Zoloft, an NDC' });
  const live = h('div', { id: 'med-live', class: 'visually-hidden', role: 'alert' });
  const result = h('div', { id: 'med-result', class: 'med-result', hidden: true });
  const f = recForm({ class: 'med-form', 'aria-labelledby': 'sec-add-h' }, [
    recField('Drug or product', drug, { wrap: h('div', {}, suggestInput(drug, hint), hint) }),
    medFields('add'),
    h('div', { class: 'form-actions' }, h('button', { class: 'primary', type: 'submit' }, 'Add medicine'))],
  async (form) => {
    const r = await rapi('POST', ctx.base + '/medications', medBody(form, false));
    form.reset();
    hint.textContent = '';
    await ctx.refresh();
    await showSaved(ctx, r, result, live);
  });
  ctx.secs.add.body.replaceChildren(f, live, result);
}

async function showSaved(ctx, r, result, live) {
  const S = await loadSourceNames();
  const name = r.record.drug;
  const alerts = sortAlerts(r.alerts || []);
  const shared = totalsTable(r.daily_totals, true, ctx.meds);
  const summary = alerts.length
    ? 'Saved ' + name + '. ' + alerts.length + (alerts.length === 1 ? ' alert' : ' alerts') + ' with what this profile already takes: ' + alerts.map(alertLine).join('; ') + '.'
    : 'Saved ' + name + '. No alert with what this profile already takes, in the bundled sources.';
  const head = h('h3', { tabindex: -1 }, alerts.length ? name + ': ' + alerts.length + (alerts.length === 1 ? ' alert' : ' alerts') : 'Saved ' + name);
  result.className = 'med-result' + (alerts.length ? ' has-alerts' : '');
  fill(result, head,
    alerts.length ? [h('p', {}, 'Saved. Read these before the first dose. ', h('strong', {}, 'Materia informs; it does not replace your prescriber or pharmacist'), ' — ask them before stopping or changing anything.'),
      alerts.map((a) => renderAlert(a, S, 4))] : h('p', {}, 'No interaction, duplication or allergy alert with the other current medicines, in the bundled sources.'),
    shared ? [h('p', {}, h('strong', {}, 'Daily totals: '), 'more than one medicine contains the same ingredient.'), shared] : null,
    h('p', {}, h('button', { type: 'button', class: 'secondary', onclick: () => { result.hidden = true; result.replaceChildren(); $('#add-drug').focus(); } }, 'Dismiss')));
  result.hidden = false;
  live.textContent = summary + (shared ? ' The same ingredient is in more than one medicine.' : '');
  result.scrollIntoView({ block: 'nearest' });
}

async function loadChecks(ctx) {
  const body = ctx.secs.checks.body;
  let r;
  try { r = await rapi('GET', ctx.base + '/check'); } catch (e) { return secError(body, e); }
  const S = await loadSourceNames();
  const alerts = sortAlerts(r.alerts || []);
  const active = ctx.meds.filter((m) => m.status === 'active');
  fill(body,
    active.length < 1 ? h('p', { class: 'muted' }, 'No current medicines.')
      : alerts.length ? [h('p', {}, alerts.length + (alerts.length === 1 ? ' alert' : ' alerts') + ' among the ' + active.length + ' current medicines and the recorded allergies.'),
        alerts.map((a) => renderAlert(a, S, 3, true))]
        : h('p', {}, 'No interaction, duplication or allergy alert among the current medicines, in the bundled sources.'),
    (r.daily_totals || []).length ? h('details', { class: 'totals-box', open: (r.daily_totals || []).some((t) => t.shared) },
      h('summary', {}, 'Daily totals by ingredient'), totalsTable(r.daily_totals, false, ctx.meds)) : null);
}

async function loadNext(ctx) {
  const body = ctx.secs.next.body;
  let r;
  try { r = await rapi('GET', ctx.base + '/reminders?hours=24'); } catch (e) { return secError(body, e); }
  const rem = r.reminders || [], refills = r.refills || [];
  const unitOf = {};
  for (const m of ctx.meds) unitOf[m.id] = m.dose_unit;
  const asNeeded = ctx.meds.some((m) => m.status === 'active' && m.schedule && m.schedule.type === 'as_needed');
  fill(body,
    rem.length ? h('ol', { class: 'rec-list next' }, rem.map((x) => h('li', {},
      h('span', {}, h('strong', {}, timeEl(x.at)), ' ', x.drug), h('span', { class: 'muted' }, x.dose_amount !== null ? amount(x.dose_amount, x.dose_unit) : ''))))
      : h('p', { class: 'muted' }, 'No scheduled dose in the next 24 hours.'),
    r.truncated ? h('p', { class: 'muted' }, 'More doses are due than shown here.') : null,
    h('p', { class: 'muted' }, 'Times in your time zone (' + TZ + ').' + (asNeeded ? ' Medicines taken only when needed have no reminders.' : '')),
    refills.length ? [h('h3', {}, 'Refills due'), h('ul', { class: 'rec-list refills' }, refills.map((x) => h('li', {},
      h('span', {}, h('span', { class: 'badge refill' }, 'Refill'), ' ', x.drug),
      h('span', { class: 'muted' }, amount(x.stock, unitOf[x.medication_id]) + ' left, refill at ' + num(x.refill_threshold)))))] : null);
}

async function loadDoses(ctx) {
  const body = ctx.secs.doses.body;
  let r;
  try { r = await rapi('GET', ctx.base + '/doses?limit=10'); } catch (e) { return secError(body, e); }
  const byId = {};
  for (const m of ctx.meds) byId[m.id] = m;
  const doses = r.doses || [];
  fill(body,
    h('p', { class: 'muted' }, 'Mark a dose with the Taken or Skipped button of a medicine. A taken dose lowers its stock.'),
    doses.length ? [h('h3', {}, 'Recent entries'), h('ul', { class: 'rec-list doses' }, doses.map((d) => {
      const name = byId[d.medication_id] ? byId[d.medication_id].drug : 'medicine ' + d.medication_id;
      return h('li', {}, h('span', {}, h('span', { class: 'badge ' + (d.status === 'taken' ? 'taken' : 'sev-unknown') }, d.status === 'taken' ? 'Taken' : 'Skipped'),
        ' ', name, ' ', h('span', { class: 'muted' }, timeEl(d.at))),
      h('button', { type: 'button', class: 'link', 'aria-label': 'Remove the entry for ' + name + ', ' + when(d.at), onclick: async () => {
        try { await rapi('DELETE', ctx.base + '/doses/' + d.id); } catch (e) { return secError(body, e); }
        await ctx.refresh('sec-doses-h');
        announce('Removed the entry.');
      } }, 'Remove'));
    }))] : h('p', {}, 'No dose logged yet.'));
}

function listSection(ctx, sec, opts) {
  /* allergies and conditions: a list with remove buttons and a small add form */
  const load = async (focusId) => {
    let r;
    try { r = await rapi('GET', ctx.base + '/' + opts.path); } catch (e) { return secError(sec.body, e); }
    const rows = r[opts.path] || [];
    const form = recForm({ class: 'rec-grid', 'aria-labelledby': sec.id + '-add-h' }, [opts.fields(),
      h('div', { class: 'form-actions' }, h('button', { class: 'primary', type: 'submit' }, opts.addLabel))],
    async (f) => {
      const x = await rapi('POST', ctx.base + '/' + opts.path, opts.body(f));
      await load(sec.id + '-add-h');
      if (opts.after) await opts.after();
      announce('Added ' + opts.name(x) + '.');
    });
    fill(sec.body,
      rows.length ? h('ul', { class: 'rec-list' }, rows.map((x) => h('li', {}, h('span', {}, opts.item(x)),
        h('button', { type: 'button', class: 'link', 'aria-label': 'Remove ' + opts.name(x), onclick: async () => {
          try { await rapi('DELETE', ctx.base + '/' + opts.path + '/' + x.id); } catch (e) { return secError(sec.body, e); }
          await load(sec.h2.id);
          if (opts.after) await opts.after();
          announce('Removed ' + opts.name(x) + '.');
        } }, 'Remove'))))
        : h('p', { class: 'muted' }, opts.empty),
      h('h3', { id: sec.id + '-add-h', tabindex: -1 }, opts.addTitle), form);
    if (focusId) { const el = document.getElementById(focusId); if (el) el.focus(); }
  };
  return load;
}

function loadAllergies(ctx) {
  return listSection(ctx, ctx.secs.allergies, {
    path: 'allergies', empty: 'No allergy recorded.', addTitle: 'Add an allergy', addLabel: 'Add allergy',
    name: (x) => x.substance,
    item: (x) => [h('strong', {}, x.substance), x.drug_name && x.drug_name.toLowerCase() !== x.substance.toLowerCase() ? h('span', { class: 'muted' }, ' (' + x.drug_name + ')') : null,
      x.severity ? [' ', h('span', { class: 'badge ' + (x.severity === 'severe' ? 'sev-major' : 'sev-moderate') }, x.severity)] : null, x.reaction ? ' — ' + x.reaction : ''],
    fields: () => [
      recField('Substance', h('input', { id: 'allergy-substance', name: 'substance', type: 'text', autocomplete: 'off', 'aria-required': 'true', placeholder: 'e.g. penicillin, latex' })),
      recField('Reaction', h('input', { id: 'allergy-reaction', name: 'reaction', type: 'text', autocomplete: 'off', placeholder: 'e.g. hives' }), { optional: true }),
      recField('Severity', h('select', { id: 'allergy-severity', name: 'severity' }, [['', 'Not known'], ['mild', 'Mild'], ['moderate', 'Moderate'], ['severe', 'Severe']].map(([v, l]) => h('option', { value: v }, l))))],
    body: (f) => ({ substance: val(f, 'substance'), reaction: orNull(val(f, 'reaction')), severity: orNull(val(f, 'severity')) }),
    after: () => loadChecks(ctx),
  })();
}

function loadConditions(ctx) {
  return listSection(ctx, ctx.secs.conditions, {
    path: 'conditions', empty: 'No condition recorded.', addTitle: 'Add a condition', addLabel: 'Add condition',
    name: (x) => x.name,
    item: (x) => [h('strong', {}, x.name), x.onset_date ? h('span', { class: 'muted' }, ' since ' + x.onset_date) : null, x.status === 'resolved' ? h('span', { class: 'muted' }, ' · resolved') : null],
    fields: () => [
      recField('Condition', h('input', { id: 'condition-name', name: 'name', type: 'text', autocomplete: 'off', 'aria-required': 'true', placeholder: 'e.g. asthma' })),
      recField('Since', h('input', { id: 'condition-onset', name: 'onset_date', type: 'date' }), { optional: true })],
    body: (f) => ({ name: val(f, 'name'), onset_date: orNull(val(f, 'onset_date')) }),
  })();
}

function filesSection(ctx) {
  const p = ctx.p;
  const url = '/api/v1' + ctx.base;
  const slug = p.name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'profile';
  const status = h('p', { role: 'status', class: 'import-status' });
  const file = h('input', { id: 'import-file', name: 'file', type: 'file', accept: '.json,application/json,application/fhir+json' });
  const form = recForm({ 'aria-labelledby': 'import-h' }, [
    recField('FHIR Bundle file', file, { hint: 'A .json file from Materia or another app' }),
    h('div', { class: 'form-actions' }, h('button', { class: 'primary', type: 'submit' }, 'Import'))],
  async (f) => {
    status.textContent = '';
    const fl = file.files && file.files[0];
    if (!fl) { const e = new Error('Choose a file first.'); e.body = { errors: [{ field: 'file', message: 'choose a FHIR Bundle file (.json) first' }] }; throw e; }
    let r;
    try { r = await rapi('POST', ctx.base + '/import.fhir', await fl.text(), 'application/fhir+json'); } catch (e) {
      if (e.status === 422 || e.status === 400) {
        e.body = { errors: [{ field: 'file', message: 'nothing was imported' }].concat(((e.body && e.body.errors) || [{ field: 'body', message: e.message }])
          .map((x) => ({ field: 'file', message: x.field === 'body' ? x.message : x.field + ': ' + x.message }))) };
      }
      throw e;
    }
    const n = r.imported || {};
    const part = (k, one, many) => (n[k] ? n[k] + ' ' + (n[k] === 1 ? one : many) : null);
    const parts = [part('medications', 'medicine', 'medicines'), part('allergies', 'allergy', 'allergies'), part('conditions', 'condition', 'conditions')].filter(Boolean);
    f.reset();
    status.textContent = 'Imported ' + (parts.length ? parts.join(', ') : 'nothing') + (r.skipped ? ' (' + r.skipped + ' entries skipped)' : '') + '.';
    await Promise.all([ctx.refresh(), loadAllergies(ctx), loadConditions(ctx)]);
  });
  fill(ctx.secs.files.body,
    h('ul', { class: 'links' },
      h('li', {}, h('a', { href: url + '/export.html', target: '_blank', rel: 'noopener' }, 'Printable list for a clinician'), h('span', { class: 'muted' }, ' (opens in a new tab)')),
      h('li', {}, h('a', { href: url + '/export.fhir', download: slug + '-medicines.fhir.json' }, 'FHIR R4 Bundle'), h('span', { class: 'muted' }, ' (JSON, for health apps and records systems)')),
      h('li', {}, h('a', { href: url + '/export.csv', download: slug + '-medicines.csv' }, 'Spreadsheet'), h('span', { class: 'muted' }, ' (CSV)'))),
    h('h3', { id: 'import-h' }, 'Import a FHIR Bundle'),
    h('p', { class: 'muted' }, 'Adds the medicines, allergies and conditions of the file to this profile. If anything in the file is wrong, nothing is added.'),
    form, status);
}

function calendarSection(ctx) {
  const sec = ctx.secs.cal;
  const paint = (made, focus) => {
    const kids = [h('p', {}, 'A private web address that calendar apps (Google Calendar, Apple Calendar, Outlook, Thunderbird) can subscribe to, so that this profile’s doses show up there with their own reminders. Anyone who has the address can read the medicine names and times, so keep it to yourself; making a new address stops the old one.')];
    const err = h('p', { class: 'form-error', role: 'alert' });
    const run = async (fn) => {
      err.textContent = '';
      try { await fn(); } catch (e) { err.textContent = e.message; if (e.signin) err.append(' ', h('a', { href: signInHash() }, 'Sign in again')); }
    };
    const make = () => run(async () => {
      const r = await rapi('POST', ctx.base + '/calendar-token');
      ctx.p.calendar = true;
      paint(location.origin + r.url, 'cal-url');
      announce('Made a calendar address. Copy it now: it is shown only once.');
    });
    const revoke = () => run(async () => {
      await rapi('DELETE', ctx.base + '/calendar-token');
      ctx.p.calendar = false;
      paint(null, 'cal-make');
      announce('The calendar address no longer works.');
    });
    if (made) {
      const input = h('input', { id: 'cal-url', type: 'text', readonly: true, value: made, class: 'wide' });
      const copy = h('button', { type: 'button', class: 'secondary', onclick: async () => {
        try { await navigator.clipboard.writeText(made); copy.textContent = 'Copied'; } catch (e) { input.select(); copy.textContent = 'Press Ctrl+C to copy'; }
      } }, 'Copy');
      kids.push(h('div', { class: 'field' }, h('label', { for: 'cal-url' }, 'Calendar address'), h('div', { class: 'row' }, input, copy)),
        h('p', { class: 'note' }, 'Copy it now: it is shown only once. In your calendar app, choose “Subscribe to calendar” or “Add calendar from URL” and paste it.'));
    } else {
      kids.push(h('p', {}, ctx.p.calendar ? 'This profile has a calendar address. It was shown once, when it was made; if you lost it, make a new one.' : 'This profile has no calendar address.'));
    }
    kids.push(err, h('div', { class: 'actions' },
      h('button', { type: 'button', class: ctx.p.calendar ? 'secondary' : 'primary', id: 'cal-make', onclick: make }, ctx.p.calendar ? 'Make a new address' : 'Make a calendar address'),
      ctx.p.calendar ? h('button', { type: 'button', class: 'secondary', id: 'cal-revoke', onclick: revoke }, 'Stop the address') : null));
    sec.body.replaceChildren(...kids);
    if (focus) { const el = document.getElementById(focus); if (el) el.focus(); }
  };
  paint(null);
}

/* ---------- your account: API tokens and the activity log ---------- */
/* Only the signed-in account's own tokens and log (GET/POST /auth/tokens, DELETE /auth/tokens/{id},
   GET /audit?limit=&before=; docs/records.md). A new token's secret lives in this page's memory
   only: the server keeps its SHA-256, so it is shown once and never again. */
const dateTime = (iso) => new Date(iso).toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const dtEl = (iso) => (iso ? h('time', { datetime: iso }, dateTime(iso)) : 'not known');

function accountShell(u, title, intro) {
  const h1 = h('h1', { tabindex: -1 }, title);
  const body = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  main().replaceChildren(h('div', { class: 'rec account' },
    h('div', { class: 'crumb' }, h('a', { href: '#/account' }, '← Your account'), whoLine(u, 'account')),
    h1, intro, body, liveRegion()));
  document.title = title + ' — Materia';
  h1.focus();
  return body;
}

async function tokensPage() {
  const here = location.hash;
  const u = await needAccount();
  if (!u) return;
  const listEl = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  const made = h('div', { id: 'token-made', class: 'secret', hidden: true });
  const reload = async (focusId) => {
    let r;
    try { r = await rapi('GET', '/auth/tokens'); } catch (e) { return secError(listEl, e); }
    if (location.hash !== here) return;
    const ts = r.tokens || [];
    fill(listEl, ts.length ? h('ul', { class: 'rec-list tokens' }, ts.map((t) => tokenItem(t, reload)))
      : h('p', { class: 'muted' }, 'No API tokens.'));
    if (focusId) { const el = document.getElementById(focusId); if (el) el.focus(); }
  };
  const showSecret = (r) => {
    const input = h('input', { id: 'token-secret', type: 'text', readonly: true, value: r.token, class: 'wide', spellcheck: 'false', autocomplete: 'off' });
    const copy = h('button', { type: 'button', class: 'secondary', onclick: async () => {
      try { await navigator.clipboard.writeText(r.token); copy.textContent = 'Copied'; } catch (e) { input.select(); copy.textContent = 'Press Ctrl+C to copy'; }
    } }, 'Copy');
    const head = h('h3', { id: 'token-made-h', tabindex: -1 }, 'New token: ' + r.label);
    fill(made, head,
      h('div', { class: 'field' }, h('label', { for: input.id }, 'Token'), h('div', { class: 'row' }, input, copy)),
      h('p', { class: 'note' }, h('strong', {}, 'Copy it now: it will not be shown again.'),
        ' Materia keeps only a fingerprint of it, so no one can show it to you later. If you lose it, revoke it and make a new one.'),
      h('p', {}, 'It works until ', dtEl(r.expires_at), '. A program sends it in the header ', h('code', {}, 'Authorization: Bearer <token>'), '.'),
      h('div', { class: 'form-actions' }, h('button', { type: 'button', class: 'secondary', onclick: () => {
        made.hidden = true; made.replaceChildren(); $('#token-label').focus();
      } }, 'Done, hide it')));
    made.hidden = false;
    head.focus();
  };
  const add = recForm({ 'aria-labelledby': 'token-add-h', class: 'rec-grid' }, [
    recField('Name', h('input', { id: 'token-label', name: 'label', type: 'text', autocomplete: 'off', 'aria-required': 'true', placeholder: 'e.g. clinic records system' }),
      { hint: 'So that you know later what uses it' }),
    recField('Works for (days)', h('input', { id: 'token-days', name: 'expires_in_days', type: 'number', min: 1, max: 365, step: 1, inputmode: 'numeric', value: '90' }),
      { hint: '1 to 365' }),
    h('div', { class: 'form-actions' }, h('button', { class: 'primary', type: 'submit' }, 'Create token'))],
  async (f) => {
    const b = { label: val(f, 'label') };
    if (val(f, 'expires_in_days') !== '') b.expires_in_days = numOrNull(val(f, 'expires_in_days'));
    const r = await rapi('POST', '/auth/tokens', b);
    f.reset();
    await reload();
    showSecret(r);
  });
  fill(accountShell(u, 'API tokens', h('p', {}, 'An API token lets a program — a script, an app, a health-records system (EHR) — use your records without your password. ',
    h('strong', {}, 'Whoever has a token can read and change every profile in this account'), ' until it expires or you revoke it. Make one for each program, so that you can stop one without stopping the others.')),
  h('h2', { id: 'tokens-h', tabindex: -1 }, 'Your tokens'), listEl,
  h('h2', { id: 'token-add-h' }, 'Create a token'), made, add);
  await reload();
}

function tokenItem(t, reload) {
  const slot = h('div', { class: 'slot' });
  const name = t.label || 'token ' + t.id;
  const btn = h('button', { type: 'button', class: 'secondary', id: 'token-' + t.id + '-revoke', 'aria-label': 'Revoke ' + name }, 'Revoke');
  btn.addEventListener('click', () => {
    const msg = h('p', { id: 'token-' + t.id + '-confirm', tabindex: -1 }, h('strong', {}, 'Revoke ' + name + '?'),
      ' Programs that use it stop working at once. This cannot be undone.');
    const err = h('p', { class: 'form-error', role: 'alert' });
    slot.replaceChildren(h('div', { class: 'confirm', role: 'group', 'aria-labelledby': msg.id }, msg, err, h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'danger', onclick: async () => {
        try { await rapi('DELETE', '/auth/tokens/' + t.id); } catch (e) {
          err.textContent = e.status === 404 ? 'This token no longer exists: it was revoked already, or it expired.' : e.message;
          if (e.signin) err.append(' ', h('a', { href: signInHash() }, 'Sign in again'));
          return;
        }
        await reload('tokens-h');
        announce('Revoked ' + name + '. It no longer works.');
      } }, 'Yes, revoke ' + name),
      h('button', { type: 'button', class: 'secondary', onclick: () => { slot.replaceChildren(); btn.focus(); } }, 'Cancel'))));
    msg.focus();
  });
  return h('li', {}, h('div', { class: 'row' },
    h('div', {}, h('strong', {}, name), h('div', { class: 'muted' }, 'Made ', dtEl(t.created_at), ' · works until ', dtEl(t.expires_at))),
    h('div', { class: 'actions' }, btn)), slot);
}

/* An audit row (entity, entity_id, action, detail) in plain words. */
const AUDIT_WHAT = { user: 'account', session: 'sign-in', token: 'API token', profile: 'profile', medication: 'medicine',
  allergy: 'allergy', condition: 'condition', dose: 'dose log entry' };
const AUDIT_DONE = { 'user create': 'Account created', 'user update': 'Account updated', 'session login': 'Signed in',
  'session logout': 'Signed out', 'session login-failed': 'Sign-in failed: wrong password', 'token create': 'API token created',
  'token delete': 'API token revoked', 'profile calendar-token': 'Calendar address made', 'profile calendar-revoke': 'Calendar address stopped',
  'profile import': 'FHIR file imported' };
function auditAction(a) {
  const verb = { create: 'added', update: 'changed', delete: 'deleted' }[a.action];
  const what = AUDIT_WHAT[a.entity] || a.entity;
  return AUDIT_DONE[a.entity + ' ' + a.action] || (verb ? what[0].toUpperCase() + what.slice(1) + ' ' + verb : what + ': ' + a.action);
}
function auditConcerns(a, names) {
  const prof = (id) => (names.profile[id] ? names.profile[id] + ' (profile ' + id + ')' : 'profile ' + id);
  const d = a.detail || '';
  const m = /^profile (\d+)(?::\s*(.*))?$/.exec(d);
  if (a.entity === 'token') return names.token[a.entity_id] ? names.token[a.entity_id] + ' (token ' + a.entity_id + ')' : 'token ' + a.entity_id;
  if (a.entity === 'user' || a.entity === 'session') return d;
  if (a.entity === 'profile') return [prof(a.entity_id), m ? m[2] : d].filter(Boolean).join(': ');
  return [(AUDIT_WHAT[a.entity] || a.entity) + ' ' + a.entity_id, m ? 'of ' + prof(m[1]) : null, m ? m[2] : d].filter(Boolean).join(' ');
}

const AUDIT_PAGE = 25;
async function activityPage() {
  const here = location.hash;
  const u = await needAccount();
  if (!u) return;
  const body = accountShell(u, 'Activity log', h('p', {}, 'What was done in your account, newest first: sign-ins, records added, changed or deleted, tokens made and revoked. ',
    'Only you can see it. Times are in your time zone (' + TZ + ').'));
  const names = { profile: {}, token: {} };      /* a token's name is in the detail of its creation */
  try { for (const p of (await rapi('GET', '/profiles')).profiles || []) names.profile[p.id] = p.name; } catch (e) { /* ids only */ }
  const listEl = h('ol', { class: 'rec-list audit', 'aria-label': 'Activity, newest first' });
  const more = h('div', { class: 'form-actions' });
  const btn = h('button', { type: 'button', class: 'secondary', id: 'audit-older', onclick: () => { btn.disabled = true; load(true); } }, 'Show older entries');
  let before = 0;
  const load = async (older) => {
    let r;
    try { r = await rapi('GET', '/audit?limit=' + (AUDIT_PAGE + 1) + (before ? '&before=' + before : '')); } catch (e) {
      if (!older) return secError(body, e);
      btn.disabled = false;
      secError(more, e);
      return more.append(btn);
    }
    if (location.hash !== here) return;
    btn.disabled = false;
    const rows = (r.audit || []).slice(0, AUDIT_PAGE);
    for (const a of rows) if (a.entity === 'token' && a.action === 'create' && a.detail) names.token[a.entity_id] = a.detail;
    const lis = rows.map((a) => h('li', { tabindex: -1 }, h('span', {}, h('strong', {}, dtEl(a.at)), ' ', auditAction(a)),
      h('span', { class: 'muted' }, auditConcerns(a, names))));
    listEl.append(...lis);
    if (rows.length) before = rows[rows.length - 1].id;
    if (!older) fill(body, listEl.childNodes.length ? listEl : h('p', { class: 'muted' }, 'Nothing yet.'), more);
    fill(more, (r.audit || []).length > AUDIT_PAGE ? btn : older ? h('p', { class: 'muted' }, 'No older entries.') : null);
    if (older && lis.length) { lis[0].focus(); announce(lis.length + (lis.length === 1 ? ' older entry' : ' older entries') + ' shown.'); }
  };
  await load(false);
}

function route() {
  const hash = location.hash || '#/';
  const [path, query] = hash.slice(1).split('?');
  const params = new URLSearchParams(query || '');
  if (path.startsWith('/drug/')) return drugPage(decodeURIComponent(path.slice(6)));
  if (path === '/check') return checkPage(params);
  if (path === '/about') return aboutPage();
  if (path === '/pills') return pillsPage(params);
  if (path === '/account') return accountPage(params);
  if (path === '/account/tokens') return tokensPage();
  if (path === '/account/activity') return activityPage();
  if (path === '/me') return profilesPage();
  if (path.startsWith('/me/')) return profilePage(path.slice(4));
  return homePage();
}

window.addEventListener('hashchange', () => { route(); main().focus({ preventScroll: true }); });
document.addEventListener('DOMContentLoaded', () => { setupSearch(); route(); });
