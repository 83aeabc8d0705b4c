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
  const choose = (it) => { close(); input.value = ''; location.hash = '#/drug/' + encodeURIComponent(it.resolves_to || it.drug_name || it.name); };
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

function normalizeHit(r) {
  return {
    name: r.name || r.matched || r.text,
    resolves_to: r.drug_name || (r.drug && (r.drug.name || r.drug)) || r.resolves_to || r.name,
    tier: r.tier || '',
  };
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
    h('strong', {}, doc.title), ' — ', [doc.kind, doc.jurisdiction, doc.date].filter(Boolean).join(', '), src(doc, S),
    doc.sections ? list(items(doc.sections), (s) => h('li', {}, h('details', {}, h('summary', {}, s.title || s.code),
      s.text ? h('div', { class: 'leaflet' }, s.text) : null))) : null)));
  kids.push(h('p', {}, h('a', { href: '#/check?d=' + encodeURIComponent(drug.name) }, 'Check interactions with ' + drug.name + ' →')));
  main().replaceChildren(...kids.flat(Infinity));
  document.title = drug.name + ' — Materia';
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

function route() {
  const hash = location.hash || '#/';
  const [path, query] = hash.slice(1).split('?');
  const params = new URLSearchParams(query || '');
  if (path.startsWith('/drug/')) return drugPage(decodeURIComponent(path.slice(6)));
  if (path === '/check') return checkPage(params);
  if (path === '/about') return aboutPage();
  if (path === '/pills') return pillsPage(params);
  return homePage();
}

window.addEventListener('hashchange', () => { route(); main().focus({ preventScroll: true }); });
document.addEventListener('DOMContentLoaded', () => { setupSearch(); route(); });
