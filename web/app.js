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
  const name = s ? (s.name + (s.edition ? ', ' + s.edition : '')) : id;
  return h('span', { class: 'src' }, ' — ', name, rec ? ' (' + rec + ')' : '');
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

async function drugPage(q) {
  main().replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  let d;
  try { d = await api('/drugs/' + encodeURIComponent(q)); } catch (e) { return showError(e); }
  const S = d.sources || {};
  const drug = d.drug || d;
  const kids = [h('h1', {}, drug.name)];
  if (d.resolved_from || d.query_matched) kids.push(h('p', { class: 'muted' }, 'Resolved from ', h('strong', {}, d.resolved_from || d.query_matched)));
  if (drug.in_rxnorm === false) kids.push(h('p', { class: 'note' }, 'Not in RxNorm: ', drug.kind_label || 'a substance known from other sources.'));
  const ids = drug.identifiers || d.identifiers || [];
  if (ids.length) kids.push(h('h2', {}, 'Identifiers'), h('table', {}, h('tbody', {}, ids.map((i) => h('tr', {}, h('th', {}, i.type), h('td', {}, i.value, src(i, S)))))));
  const brands = d.brands || [];
  if (brands.length) kids.push(h('h2', {}, 'Brands'), list(brands, (b) => h('li', {}, b.name || b.text, src(b, S))));
  const syn = d.synonyms || d.names || [];
  if (syn.length) kids.push(h('details', {}, h('summary', {}, 'Other names (' + syn.length + ')'), list(syn, (n) => h('li', {}, n.name || n.text, src(n, S)))));
  const sched = d.schedules || [];
  if (sched.length) kids.push(h('h2', {}, 'Controlled-substance schedule'), list(sched, (s) => h('li', {}, s.schedule, src(s, S))));
  const classes = d.classes || [];
  if (classes.length) kids.push(h('h2', {}, 'Pharmacologic classes'), list(classes, (c) => h('li', {}, c.name, ' ', h('span', { class: 'muted' }, '[' + c.type + ']'), src(c, S))));
  const ind = d.indications || [];
  if (ind.length) kids.push(h('h2', {}, 'Indications'), renderIndications(ind, S));
  const appr = d.approvals || [];
  if (appr.length) kids.push(h('h2', {}, 'FDA approvals'), h('div', { class: 'scroll' }, h('table', {},
    h('thead', {}, h('tr', {}, ['Brand', 'Application', 'Form / strength', 'Status', 'Approved', 'Source'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, appr.slice(0, 50).map((a) => h('tr', {}, h('td', {}, a.brand), h('td', {}, (a.appl_type || '') + ' ' + (a.appl_no || '')),
      h('td', {}, [a.form, a.strength].filter(Boolean).join(' · ')), h('td', {}, a.marketing_status || ''), h('td', {}, a.approval_date || ''), h('td', {}, src(a, S))))))));
  const acb = d.anticholinergic || d.acb || [];
  if (acb.length) kids.push(h('h2', {}, 'Anticholinergic burden'), list(acb, (a) => h('li', {}, a.scale + ': ' + a.score, src(a, S))));
  const prods = d.products || [];
  if (prods.length || d.products_total) kids.push(h('h2', {}, 'Products' + (d.products_total ? ' (' + d.products_total + ')' : '')),
    list(prods, (p) => h('li', {}, p.name, p.rxcui ? h('span', { class: 'muted' }, ' RxCUI ' + p.rxcui) : null, src(p, S))));
  const docs = d.documents || [];
  if (docs.length) kids.push(h('h2', {}, 'Labels and leaflets'), list(docs, (doc) => h('li', {},
    h('strong', {}, doc.title), ' — ', doc.jurisdiction || '', doc.date ? ', ' + doc.date : '', src(doc, S),
    doc.sections ? list(doc.sections, (s) => h('li', {}, h('details', {}, h('summary', {}, s.title || s.code), s.text ? h('div', { class: 'leaflet' }, s.text) : null))) : null)));
  kids.push(h('p', {}, h('a', { href: '#/check?d=' + encodeURIComponent(drug.name) }, 'Check interactions with ' + drug.name + ' →')));
  main().replaceChildren(...kids);
  document.title = drug.name + ' — Materia';
}

function renderIndications(ind, S) {
  const groups = {};
  for (const i of ind) (groups[i.category || 'listed'] = groups[i.category || 'listed'] || []).push(i);
  return h('div', {}, Object.entries(groups).map(([cat, arr]) => [h('h3', {}, cat.replace(/_/g, ' ')), list(arr, (i) => h('li', {}, i.disease, src(i, S)))]));
}

/* ---------- interaction checker ---------- */
const SEV_ORDER = ['contraindicated', 'major', 'moderate', 'minor', 'unknown'];
const NONDRUGS = ['alcohol', 'grapefruit', 'caffeine', "St John's wort", 'tobacco'];

function sevName(v) {
  if (typeof v === 'string') return v;
  return ({ 4: 'contraindicated', 3: 'major', 2: 'moderate', 1: 'minor', 0: 'unknown' })[v] || null;
}

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
  const inputs = r.inputs || [];
  const findings = r.findings || [];
  const nodes = [];
  const label = (i) => (inputs[i] && (inputs[i].text || inputs[i].input)) || ('#' + i);
  const rankOf = (f) => sevName(f.rank !== undefined ? f.rank : f.severity) || 'unknown';
  nodes.push(h('p', {}, h('strong', {}, findings.length + ' finding' + (findings.length === 1 ? '' : 's')), ' among ' + inputs.length + ' inputs.'));
  const unresolved = inputs.filter((i) => i.resolved === false || i.how === 'unresolved');
  const cov = r.coverage || {};
  if (unresolved.length) nodes.push(h('div', { class: 'error', role: 'alert' }, h('strong', {}, 'Not checked — could not identify: '),
    unresolved.map((i, k) => [k ? ', ' : '', i.text, (i.suggestions && i.suggestions.length) ? ' (did you mean ' + i.suggestions.join(', ') + '?)' : ''])));
  const uncovered = cov.uncovered || inputs.filter((i) => i.resolved !== false && i.covered === false).map((i) => i.text);
  if (uncovered.length) nodes.push(h('div', { class: 'note' }, h('strong', {}, 'No interaction data: '), uncovered.map((u) => (u.text || u.name || u)).join(', '),
    '. No bundled source covers these drugs, so an empty result says nothing about them.'));
  if (inputs.length >= 2) nodes.push(renderMatrix(inputs, findings, label, rankOf));
  for (const sev of SEV_ORDER.concat(['none'])) {
    const group = findings.filter((f) => (rankOf(f) || 'none') === sev || (sev === 'none' && !rankOf(f)));
    if (!group.length) continue;
    nodes.push(h('h2', {}, sev === 'none' ? 'Duplications' : sev[0].toUpperCase() + sev.slice(1)));
    for (const f of group) nodes.push(renderFinding(f, label));
  }
  if (!findings.length && !unresolved.length && !uncovered.length) nodes.push(h('p', {}, 'Checked: no interaction found in the bundled sources.'));
  return nodes;
}

function renderMatrix(inputs, findings, label, rankOf) {
  const cell = {};
  for (const f of findings) cell[f.input_a + ',' + f.input_b] = cell[f.input_b + ',' + f.input_a] = rankOf(f);
  return h('div', { class: 'scroll' }, h('table', { class: 'matrix', 'aria-label': 'Interaction matrix' },
    h('thead', {}, h('tr', {}, h('td', {}), inputs.map((_, j) => h('th', { scope: 'col' }, label(j))))),
    h('tbody', {}, inputs.map((_, i) => h('tr', {}, h('th', { scope: 'row' }, label(i)),
      inputs.map((__, j) => { const s = i === j ? null : cell[i + ',' + j]; return h('td', { class: s ? 'cell-' + s : '' }, i === j ? '—' : (s || '')); }))))));
}

function renderFinding(f, label) {
  const sev = sevName(f.severity), hr = sevName(f.hr_severity);
  const ev = f.evidence || f.ev || [];
  return h('article', { class: 'finding sev-' + (sevName(f.rank) || sev || hr || 'unknown') },
    h('h3', {}, label(f.input_a), ' + ', label(f.input_b), ' ',
      sev ? h('span', { class: 'badge sev-' + sev }, sev) : null, ' ',
      hr ? h('span', { class: 'badge hr' }, 'harm reduction: ' + hr) : null,
      f.disagreement ? h('span', { class: 'muted' }, ' · sources disagree') : null,
      f.tier === 'interruptive' || f.tier === 1 ? h('span', { class: 'muted' }, ' · interruptive alert') : null),
    ev.map((e) => h('div', {},
      h('p', {}, h('strong', {}, (e.cite && (e.cite.source_name || e.cite.source)) || e.source || ''), ': ', e.level || '',
        e.a_label ? h('span', { class: 'muted' }, ' (' + e.a_label + ' + ' + e.b_label + ')') : null),
      e.effect ? h('p', {}, e.effect) : null,
      e.mechanism ? h('p', {}, h('em', {}, 'Mechanism: '), e.mechanism) : null,
      e.management ? h('p', {}, h('em', {}, 'Management: '), e.management) : null,
      h('p', { class: 'src' }, 'Source: ', (e.cite && [e.cite.source_name, e.cite.edition, e.cite.record].filter(Boolean).join(', ')) || '',
        e.lang && e.lang !== 'en' ? ' · text in ' + e.lang : ''))),
    (f.duplications || f.dups || []).map((d) => h('p', {}, h('strong', {}, d.type === 'ingredient' || d.type === 1 ? 'Same ingredient' : 'Same class: ' + (d.class_name || '')))));
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

async function pillsPage() {
  main().replaceChildren(h('h1', {}, 'Pill identifier'), h('p', { class: 'muted' }, 'Search by imprint, colour and shape.'));
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
