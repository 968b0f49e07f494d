// The what-if page: draws the view the server sends (figures and SVG charts rendered on the
// server), sends the controls' values, and measures the time from a change to the redraw.
'use strict';
(function () {
  const T = document.body.dataset.token;
  const LANG = document.documentElement.lang === 'en' ? 'en' : 'ru';
  const L = (ru, en) => (LANG === 'en' ? en : ru);
  const $ = (id) => document.getElementById(id);
  const state = {
    version: 0, key: '', values: {}, controls: [], currency: '₽',
    sentAt: null, sentGeneration: 0, latencies: [], shown: 0, view: null,
  };
  window.voronka = state;

  for (const el of document.querySelectorAll('[data-ru]')) {
    const text = LANG === 'en' ? el.dataset.en : el.dataset.ru;
    if (el.tagName === 'INPUT') el.placeholder = text; else el.textContent = text;
  }
  $('yaml').href = '/api/scenario.yaml?t=' + T;
  $('report').href = '/api/report.html?t=' + T;

  const nf = (d) => new Intl.NumberFormat(LANG === 'en' ? 'en-GB' : 'ru-RU', { maximumFractionDigits: d });
  function show(c, v) {
    switch (c.unit) {
      case 'share': return nf(0).format(v * 100) + '\u00a0%';
      case 'days': return nf(1).format(v) + L('\u00a0дн', '\u00a0d');
      case 'money': return nf(0).format(v) + '\u00a0' + state.currency;
      case 'people': return nf(0).format(v) + L('\u00a0чел.', '');
      case 'month': return v <= 1 ? L('сразу', 'at once') : L('с ', 'from month ') + nf(0).format(v) + L('-го мес.', '');
      default: return nf(1).format(v);
    }
  }

  async function post(path, body) {
    const r = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Voronka-Token': T },
      body: JSON.stringify(body),
    });
    if (!r.ok) throw new Error(await r.text());
    return r.json();
  }

  async function send() {
    state.sentAt = performance.now();
    try {
      const r = await post('/api/scenario', { values: state.values, name: $('name').value });
      state.sentGeneration = r.generation;
      status(L('Считаю…', 'Computing…'), 'busy');
    } catch (e) {
      problem(String(e.message || e));
    }
  }

  function status(text, cls) {
    $('status').textContent = text;
    $('status').className = 'status ' + (cls || '');
  }

  function problem(text) {
    $('problem').hidden = !text;
    $('problem').textContent = text || '';
  }

  function buildControls(view) {
    const box = $('controls');
    box.textContent = '';
    state.values = {};
    let group = null;
    let body = null;
    for (const c of view.controls) {
      if (c.group !== group) {
        group = c.group;
        const d = document.createElement('details');
        d.open = true;
        const s = document.createElement('summary');
        s.textContent = group;
        d.appendChild(s);
        body = document.createElement('div');
        d.appendChild(body);
        box.appendChild(d);
      }
      if (c.value !== c.base) state.values[c.id] = c.value;
      const row = document.createElement('div');
      row.className = 'control';
      row.dataset.id = c.id;
      const head = document.createElement('div');
      head.className = 'control-head';
      const label = document.createElement('label');
      label.textContent = c.label;
      const value = document.createElement('span');
      value.className = 'control-value';
      head.append(label, value);
      const input = document.createElement('input');
      input.type = 'range';
      input.min = c.min;
      input.max = Math.max(c.max, c.value);
      input.step = c.step;
      input.value = c.value;
      input.dataset.id = c.id;
      label.htmlFor = input.id = 'c-' + btoa(unescape(encodeURIComponent(c.id))).replace(/[^a-zA-Z0-9]/g, '');
      const base = document.createElement('div');
      base.className = 'control-base';
      const undo = document.createElement('button');
      undo.type = 'button';
      undo.className = 'undo';
      undo.textContent = '↺';
      undo.title = L('Вернуть значение положения', "Back to the regulation's value");
      const refresh = () => {
        const v = Number(input.value);
        const changed = c.id in state.values;
        value.textContent = show(c, changed ? v : c.base);
        row.classList.toggle('changed', changed);
        base.textContent = L('в положении: ', 'regulation: ') + show(c, c.base) + (c.note && changed ? ' · ' + c.note : '');
      };
      // A slider snaps to its steps; the regulation's own value is kept exact until moved.
      input.addEventListener('input', () => {
        state.values[c.id] = Number(input.value);
        refresh();
        send();
      });
      undo.addEventListener('click', () => {
        delete state.values[c.id];
        input.value = c.base;
        refresh();
        send();
      });
      base.appendChild(undo);
      row.append(head, input, base);
      body.appendChild(row);
      refresh();
    }
  }

  function setHtml(id, html) {
    const el = $(id);
    if (el.dataset.html !== html) {
      el.innerHTML = html;
      el.dataset.html = html;
    }
  }

  function render(view) {
    state.view = view;
    state.currency = view.currency || state.currency;
    document.title = (view.title ? view.title + ' — ' : '') + L('что если', 'what if');
    $('title').textContent = view.title;
    $('subtitle').textContent = view.subtitle;
    const key = JSON.stringify(view.controls.map((c) => [c.id, c.base]));
    if (key !== state.key) {
      state.key = key;
      buildControls(view);
    }
    setHtml('figures', view.figures);
    setHtml('verdict', view.verdict);
    setHtml('charts', view.charts.join(''));
    setHtml('fixed', view.fixed.join(''));
    $('errors').hidden = !view.errors;
    $('diagnostics').textContent = view.errors || '';
    $('forecast').classList.toggle('stale', !!view.stale);
    problem(view.problem);
    state.shown = view.shown;
    if (view.busy) {
      status(L('Считаю…', 'Computing…'), 'busy');
    } else if (state.sentAt !== null && view.shown >= state.sentGeneration && state.sentGeneration > 0) {
      const started = state.sentAt;
      state.sentAt = null;
      // After the browser has laid the new charts out.
      requestAnimationFrame(() => {
        const ms = performance.now() - started;
        state.latencies.push(ms);
        status(L('Пересчитано за ', 'Recomputed in ') + nf(2).format(ms / 1000) + L('\u00a0с', '\u00a0s'), 'done');
      });
    } else if (!view.busy) {
      const scenario = view.yaml && view.yaml.indexOf('\n') !== view.yaml.length - 1;
      const runs = view.numbers && view.numbers.runs;
      status(runs ? (scenario ? L('Прогонов сценария: ', 'Scenario runs: ') : L('Прогонов: ', 'Runs: ')) + nf(0).format(runs) : '', '');
    }
  }

  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  async function poll() {
    for (;;) {
      try {
        const r = await fetch('/api/view?since=' + state.version + '&t=' + T, { cache: 'no-store' });
        if (r.status === 200) {
          const j = await r.json();
          state.version = j.version;
          render(j.view);
        } else if (r.status !== 204) {
          await sleep(1000);
        }
      } catch (e) {
        status(L('Нет связи с сервером', 'No connection to the server'), 'bad');
        await sleep(1000);
      }
    }
  }

  $('reset').addEventListener('click', async () => {
    state.key = '';
    state.sentAt = performance.now();
    const r = await post('/api/reset', {});
    state.sentGeneration = r.generation;
  });
  $('name').addEventListener('change', send);
  $('save').addEventListener('click', async () => {
    const name = $('name').value.trim() || L('сценарий', 'scenario');
    try {
      await post('/api/scenario', { values: state.values, name: $('name').value });
      const r = await post('/api/save', { name });
      status(L('Сохранено: ', 'Saved: ') + r.file, 'done');
    } catch (e) {
      problem(String(e.message || e));
    }
  });
  poll();
})();
