// memoscope's live page: the run list from /api/runs and, for the selected runs, charts fed
// incrementally from /api/runs/{id}/series?after=SEQ, both polled every two seconds; and the
// Samples view of one selected run from /api/runs/{id}/samples, asked for when a new evaluation
// shows in the run list, else at most every ten seconds.
(function () {
  'use strict';

  // The page's own address without the user:password@ it may have been opened with: the browser
  // refuses requests to a URL that carries credentials, and sends a basic-auth answer by itself.
  var BASE = location.origin + location.pathname.replace(/[^/]*$/, '');

  var POLL_MS = 2000;
  var LIVE_MS = 30000; // a run without an event for this long is shown as idle
  var PALETTE = ['#2f6fdf', '#e8590c', '#2b8a3e', '#c2255c', '#7048e8', '#0c8599', '#a07a00', '#495057',
    '#d6336c', '#1971c2'];
  var CHARTS = {
    rla: { el: 'chart-rla', y: 'accuracy', zero: true },
    mi: { el: 'chart-mi', y: 'index' },
    acc: { el: 'chart-acc', y: 'accuracy', range: [0, 1] },
    loss: { el: 'chart-loss', y: 'nats' },
    sps: { el: 'chart-sps', y: 'samples / s', zero: true, height: 180 }
  };

  var STEP_INCREMENTS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6];

  var selected = readHash();
  var userChose = selected.length > 0;
  var runs = [];         // the last /api/runs answer
  var data = {};         // run -> { after, chance, series: { key -> {chart, run, group, variant, x, y, lo, hi} } }
  var plots = {};        // chart id -> { plot, signature, points, counts, intervals }

  // ---- what each event adds to which chart ----

  function route(run, e) {
    var m = e.metrics || {};
    var head = e.labels && e.labels.head;
    var out = [];
    // group: what gets one colour; variant: how it is drawn (running: thin, evaluated: points, test: dashed,
    // probe: big points on a dotted line). An estimate's 95 % interval comes as metric_low and metric_high.
    function add(chart, group, variant, metric) {
      var v = m[metric];
      if (typeof v === 'number' && isFinite(v)) {
        var lo = m[metric + '_low'], hi = m[metric + '_high'];
        var bounded = typeof lo === 'number' && isFinite(lo) && typeof hi === 'number' && isFinite(hi);
        out.push({ chart: chart, key: chart + '|' + group + '|' + variant, group: group, variant: variant, value: v,
          lo: bounded ? lo : null, hi: bounded ? hi : null });
      }
    }
    if (e.kind === 'RUN_STARTED' && typeof m.random_label_chance === 'number') {
      data[run].chance = m.random_label_chance;
    } else if (e.kind === 'STEP' && head) {
      add('rla', head, 'running', 'random_label_accuracy_running');
      add('loss', 'random ' + head, '', 'loss_random');
      if (m.loss_regularizer) add('loss', 'regularizer ' + head, '', 'loss_regularizer');
    } else if (e.kind === 'STEP' && !(e.labels && e.labels.layer)) {
      add('acc', 'train', 'running', 'accuracy_train_running');
      add('loss', 'class', '', 'loss_class');
      add('sps', 'samples/s', '', 'samples_per_second');
    } else if (e.kind === 'EVAL' && head) {
      add('rla', head, 'evaluated', 'random_label_accuracy');
      add('rla', head, 'test', 'random_label_accuracy_test');
      add('mi', head, 'evaluated', 'memorization_index');
    } else if (e.kind === 'PROBE' && head) {
      add('rla', head, 'probe', 'probe_random_label_accuracy');
      add('rla', head, 'probe test', 'probe_random_label_accuracy_test');
      add('mi', head, 'probe', 'probe_memorization_index');
    } else if (e.kind === 'EVAL') {
      add('acc', 'train', 'evaluated', 'accuracy_train');
      add('acc', 'test', 'evaluated', 'accuracy_test');
      add('acc', 'gap', 'evaluated', 'generalization_gap');
    }
    return out;
  }

  function ingest(run, events) {
    var d = data[run];
    events.forEach(function (e) {
      route(run, e).forEach(function (p) {
        var s = d.series[p.key];
        if (!s) {
          s = d.series[p.key] = { chart: p.chart, run: run, group: p.group, variant: p.variant, x: [], y: [], lo: [], hi: [] };
        }
        place(s, e.step, p, isProbe(p.variant));
      });
      d.after = Math.max(d.after, e.sequence);
    });
  }

  function isProbe(variant) {
    return variant.indexOf('probe') === 0;
  }

  // Puts a point at its step. A resumed run repeats steps after its checkpoint: the newer values
  // replace the older and everything after them. Probes are different: `memoscope probe` may probe an
  // old checkpoint after later ones (ordered), which replaces only the point of that step.
  function place(s, step, p, ordered) {
    var at = s.x.length;
    if (ordered) {
      while (at > 0 && s.x[at - 1] > step) at--;
      if (at > 0 && s.x[at - 1] === step) at--;
    } else {
      while (at > 0 && s.x[at - 1] >= step) at--;
    }
    var drop = ordered ? (s.x[at] === step ? 1 : 0) : s.x.length - at;
    s.x.splice(at, drop, step);
    s.y.splice(at, drop, p.value);
    s.lo.splice(at, drop, p.lo);
    s.hi.splice(at, drop, p.hi);
  }

  // ---- charts ----

  function seriesOf(chart) {
    var list = [];
    selected.forEach(function (run) {
      var d = data[run];
      if (!d) return;
      Object.keys(d.series).sort().forEach(function (key) {
        var s = d.series[key];
        if (s.chart === chart && s.x.length) list.push(s);
      });
    });
    return list;
  }

  function render(chart) {
    var spec = CHARTS[chart];
    var figure = document.getElementById(spec.el);
    var box = figure.querySelector('.plot');
    var list = seriesOf(chart);
    var many = selected.length > 1;
    // copies: uPlot keeps the arrays it is given, and ingest() goes on changing these
    var tables = list.map(function (s) { return [s.x.slice(), s.y.slice()]; });
    var colours = {};
    var intervals = [];   // per uPlot series index: the whiskers to draw, or undefined
    var opts = list.map(function (s, i) {
      var group = (many ? s.run + ' · ' : '') + s.group;
      if (!(group in colours)) colours[group] = PALETTE[Object.keys(colours).length % PALETTE.length];
      var probe = isProbe(s.variant);
      var hollow = s.variant === 'test' || s.variant === 'probe test';
      var marked = s.variant === 'evaluated' || hollow || probe;
      if (s.lo.some(function (v) { return v != null; })) {
        intervals[i + 1] = { colour: colours[group], x: s.x.slice(), lo: s.lo.slice(), hi: s.hi.slice() };
      }
      return {
        label: group + (s.variant ? ' ' + s.variant : ''),
        stroke: s.variant === 'running' ? colours[group] + '99' : colours[group],
        width: probe ? 1.5 : marked ? 2.25 : 1.25,
        dash: probe ? [2, 4] : s.variant === 'test' ? [8, 4] : undefined,
        spanGaps: true,
        points: { show: marked, size: probe ? 10 : 6, width: 2, fill: hollow ? '#fff' : colours[group] },
        value: legendValue
      };
    });
    if (chart === 'rla' && list.length) {
      var lo = Infinity, hi = -Infinity;
      list.forEach(function (s) { lo = Math.min(lo, s.x[0]); hi = Math.max(hi, s.x[s.x.length - 1]); });
      var chances = {};
      selected.forEach(function (run) { if (data[run] && data[run].chance != null) chances[data[run].chance] = true; });
      Object.keys(chances).forEach(function (c) {
        var v = Number(c);
        tables.push(lo === hi ? [[lo], [v]] : [[lo, hi], [v, v]]);
        opts.push({ label: 'chance 1/' + Math.round(1 / v), stroke: '#868e96', dash: [6, 4], width: 1.5,
          spanGaps: true, points: { show: false }, value: function () { return fmt(v); } });
      });
    }
    var entry = plots[chart];
    if (!tables.length) {
      if (entry) entry.plot.destroy();
      delete plots[chart];
      if (!box.querySelector('.placeholder')) {
        box.innerHTML = '';
        var p = document.createElement('div');
        p.className = 'placeholder';
        p.textContent = selected.length ? 'waiting for data…' : 'select a run above';
        box.appendChild(p);
      }
      figure.setAttribute('data-points', '0');
      return;
    }
    var aligned = uPlot.join(tables);
    var signature = opts.map(function (o) { return o.label; }).join('|');
    if (entry && entry.signature === signature) {
      entry.intervals = intervals; // before setData, which redraws
      entry.plot.setData(aligned);
    } else {
      if (entry) entry.plot.destroy();
      box.innerHTML = '';
      // the hooks read the entry, which exists before uPlot first draws
      entry = plots[chart] = { signature: signature, intervals: intervals };
      var options = {
        width: Math.max(300, box.clientWidth),
        height: spec.height || 260,
        cursor: { drag: { x: true, y: false } },
        scales: { x: { time: false }, y: { range: yRange(spec, entry) } },
        axes: [{ label: 'step', labelSize: 18, size: 36, incrs: STEP_INCREMENTS }, { label: spec.y, labelSize: 18, size: 56, values: ticks }],
        series: [{ label: 'step', value: function (u, v) {
          if (v == null) v = u.data[0][u.data[0].length - 1];
          return v == null ? '–' : String(v);
        } }].concat(opts),
        legend: { live: true },
        hooks: { draw: [function (u) { drawIntervals(u, entry); }] }
      };
      entry.plot = new uPlot(options, aligned, box);
    }
    var points = 0;
    var counts = {};
    list.forEach(function (s) {
      points += s.x.length;
      counts[s.variant] = (counts[s.variant] || 0) + s.x.length;
    });
    entry.points = points;
    entry.counts = counts;
    figure.setAttribute('data-points', String(points));
  }

  // an estimate's 95 % interval: a whisker with caps at each point that has one, in its series' colour
  function drawIntervals(u, entry) {
    var ctx = u.ctx;
    var ratio = window.devicePixelRatio || 1;
    var cap = 3 * ratio;
    ctx.save();
    ctx.beginPath();
    ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
    ctx.clip();
    ctx.lineWidth = ratio;
    entry.intervals.forEach(function (w, si) {
      if (!w || !u.series[si] || !u.series[si].show) return;
      ctx.strokeStyle = w.colour;
      ctx.beginPath();
      for (var i = 0; i < w.x.length; i++) {
        if (w.lo[i] == null || w.hi[i] == null) continue;
        var x = u.valToPos(w.x[i], 'x', true);
        var low = u.valToPos(w.lo[i], 'y', true);
        var high = u.valToPos(w.hi[i], 'y', true);
        ctx.moveTo(x, low);
        ctx.lineTo(x, high);
        ctx.moveTo(x - cap, low);
        ctx.lineTo(x + cap, low);
        ctx.moveTo(x - cap, high);
        ctx.lineTo(x + cap, high);
      }
      ctx.stroke();
    });
    ctx.restore();
  }

  // the interval of series si at step x, if it has one there
  function intervalAt(u, si, x) {
    var entry = null;
    Object.keys(plots).forEach(function (chart) { if (plots[chart].plot === u) entry = plots[chart]; });
    var w = entry && entry.intervals[si];
    var i = w ? w.x.indexOf(x) : -1;
    return i >= 0 && w.lo[i] != null ? [w.lo[i], w.hi[i]] : null;
  }

  // axis ticks: as many decimals as the tick spacing needs, the same for every tick
  function ticks(u, vals, axis, space, incr) {
    var decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(incr) + 1e-9)));
    return vals.map(function (v) {
      return Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en') : v.toFixed(decimals);
    });
  }

  // the legend shows the value under the cursor, or the latest one when the cursor is elsewhere; an
  // estimate with its 95 % interval
  function legendValue(u, v, si, idx) {
    var at = idx;
    if (v == null) {
      var ys = u.data[si] || [];
      for (var i = ys.length - 1; i >= 0 && v == null; i--) {
        v = ys[i];
        at = i;
      }
    }
    if (v == null) return '–';
    var interval = at == null ? null : intervalAt(u, si, u.data[0][at]);
    return interval ? fmt(v) + ' [' + fmt(interval[0]) + ', ' + fmt(interval[1]) + ']' : fmt(v);
  }

  function yRange(spec, entry) {
    return function (u, min, max) {
      if (min == null || max == null) return [0, 1];
      // the whiskers stay inside the chart
      entry.intervals.forEach(function (w) {
        if (!w) return;
        w.lo.forEach(function (v) { if (v != null && v < min) min = v; });
        w.hi.forEach(function (v) { if (v != null && v > max) max = v; });
      });
      if (spec.range) return [Math.min(spec.range[0], min), Math.max(spec.range[1], max)];
      if (spec.zero) min = Math.min(0, min);
      if (min === max) { min -= 0.5; max += 0.5; }
      var pad = (max - min) * 0.05;
      return [spec.zero && min >= 0 ? 0 : min - pad, max + pad];
    };
  }

  function fmt(v) {
    if (v == null) return '';
    var a = Math.abs(v);
    if (a >= 1000) return Math.round(v).toLocaleString('en');
    if (a === 0) return '0';
    if (a >= 10) return v.toFixed(1);
    if (a >= 1) return v.toFixed(2);
    if (a >= 0.01) return v.toFixed(3);
    return v.toExponential(1);
  }

  // ---- run list ----

  function latest(run, name, labels) {
    var best = null;
    (run.latest || []).forEach(function (s) {
      if (s.name !== name) return;
      for (var k in labels) if ((s.labels || {})[k] !== labels[k]) return;
      if (best === null || s.value > best) best = s.value;
    });
    return best;
  }

  // A diverged run's losses are NaN and show nowhere: its flag series is what marks it, running or
  // not; a run that ended in a failure (memoscope_run_failed) is marked failed rather than finished.
  function status(run) {
    if (latest(run, 'memoscope_run_diverged', {}) === 1) return 'diverged';
    if (run.finished) return latest(run, 'memoscope_run_failed', {}) === 1 ? 'failed' : 'finished';
    return Date.now() - Date.parse(run.lastEventAt) < LIVE_MS ? 'running' : 'idle';
  }

  function cell(tr, text, cls) {
    var td = document.createElement('td');
    if (cls) td.className = cls;
    if (text instanceof Node) td.appendChild(text); else td.textContent = text;
    tr.appendChild(td);
    return td;
  }

  function renderRuns() {
    var body = document.querySelector('#runs tbody');
    body.innerHTML = '';
    if (!runs.length) {
      var tr = document.createElement('tr');
      tr.className = 'empty';
      var td = cell(tr, '');
      td.colSpan = 7;
      td.innerHTML = 'no runs yet: start one with <code>memoscope train</code>';
      body.appendChild(tr);
      return;
    }
    runs.forEach(function (run) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-run', run.run);
      var on = selected.indexOf(run.run) >= 0;
      if (on) tr.className = 'selected';
      var box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = on;
      box.setAttribute('aria-label', 'show ' + run.run);
      cell(tr, box);
      cell(tr, run.run, 'run');
      cell(tr, run.dataset || '–');
      var st = status(run);
      var badge = document.createElement('span');
      badge.className = 'badge ' + st;
      badge.textContent = st;
      cell(tr, badge);
      var step = latest(run, 'memoscope_step', {});
      cell(tr, step == null ? '–' : Math.round(step).toLocaleString('en'), 'num');
      var rla = latest(run, 'memoscope_random_label_accuracy', { mode: 'running', split: 'train' });
      var chance = latest(run, 'memoscope_random_label_chance', {});
      var td = cell(tr, rla == null ? '–' : fmt(rla) + (chance == null ? '' : ' (chance ' + fmt(chance) + ')'), 'num rla');
      td.title = 'highest running random-label accuracy over the heads';
      if (rla != null && chance != null && rla > chance * 1.1) {
        td.classList.add('above');
        td.title += '; more than 10 % above chance';
      }
      var test = latest(run, 'memoscope_accuracy', { split: 'test', mode: 'evaluated' });
      cell(tr, test == null ? '–' : fmt(test), 'num');
      tr.addEventListener('click', function () { toggle(run.run); });
      body.appendChild(tr);
    });
  }

  function toggle(run) {
    userChose = true;
    var i = selected.indexOf(run);
    if (i >= 0) selected.splice(i, 1); else selected.push(run);
    writeHash();
    renderRuns();
    refresh().then(renderAll).then(function () { refreshSamples(false); });
  }

  function readHash() {
    var m = /runs=([^&]*)/.exec(location.hash);
    return m ? decodeURIComponent(m[1]).split(',').filter(function (r) { return /^[A-Za-z0-9_-]{1,128}$/.test(r); }) : [];
  }

  function writeHash() {
    history.replaceState(null, '', '#runs=' + encodeURIComponent(selected.join(',')));
  }

  // ---- the Samples view: one run's evaluation-subset samples for one head ----

  var SAMPLES_MS = 10000; // a running run's samples are asked for at most this often without a new evaluation
  var STRIP_LIMIT = 40;   // thumbnails per strip; the strip's title says how many match
  var STRIPS = [
    { id: 'earliest', query: 'order=onset&filter=memorized' },
    { id: 'never', query: 'order=onset&filter=never' },
    { id: 'misclassified', query: 'order=onset&filter=misclassified-memorized' }
  ];
  var GROUPS = [
    ['right_memorized', 'class right', 'memorized'],
    ['wrong_memorized', 'class wrong', 'memorized'],
    ['right_not_memorized', 'class right', 'not memorized'],
    ['wrong_not_memorized', 'class wrong', 'not memorized']
  ];

  var sv = {
    picked: null,     // the run chosen in the view's own list when several are selected
    heads: {},        // run -> the head chosen in the view's list; none: the run's first
    askedKey: null,   // run|head last asked for (answered or refused)
    shownKey: null,   // run|head of what is shown
    shownRun: null, shownHead: null,
    meta: '',         // the line about what is shown
    signature: null,  // the run's memoscope_samples values when last asked: they change with an evaluation
    fetchedAt: 0,
    finishedFetched: false,
    busy: false,
    generation: 0,
    detail: null,     // the sample index whose timeline is shown
    strips: {}        // strip id -> signature of its thumbnails, to keep loaded images in place
  };
  var samplesEl = document.getElementById('samples');

  function samplesRun() {
    if (!selected.length) return null;
    return selected.indexOf(sv.picked) >= 0 ? sv.picked : selected[0];
  }

  function runInfo(run) {
    for (var i = 0; i < runs.length; i++) if (runs[i].run === run) return runs[i];
    return null;
  }

  // the run's per-sample aggregates in /api/runs: present once its first sample evaluation is in the
  // service's stores, and changed by (nearly) every evaluation after it
  function sampleSignature(info) {
    return (info.latest || []).filter(function (s) { return s.name === 'memoscope_samples'; })
      .map(function (s) { return (s.labels || {}).head + '/' + (s.labels || {}).group + '=' + s.value; })
      .sort().join(',');
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function sampleUrl(run, rest) {
    return 'api/runs/' + encodeURIComponent(run) + '/samples' + rest;
  }

  function renderRunPick(run) {
    var pick = document.getElementById('samples-run-pick');
    var list = document.getElementById('samples-run');
    pick.hidden = selected.length < 2;
    if (pick.hidden) return;
    if (list.getAttribute('data-runs') !== selected.join(',')) {
      list.innerHTML = '';
      selected.forEach(function (r) { list.appendChild(new Option(r, r)); });
      list.setAttribute('data-runs', selected.join(','));
    }
    list.value = run;
  }

  function samplesMessage(state, text, detail) {
    samplesEl.setAttribute('data-state', state);
    document.getElementById('samples-body').hidden = true;
    document.getElementById('samples-head-pick').hidden = true;
    document.getElementById('samples-meta').textContent = '';
    var p = document.getElementById('samples-empty');
    p.hidden = false;
    p.textContent = text;
    if (detail) p.appendChild(el('span', 'reason', detail));
    sv.shownKey = null;
    sv.shownRun = sv.shownHead = null;
  }

  // Asks for the view's run when something changed: the run or head shown, a new evaluation (the run's
  // memoscope_samples values), ten seconds of a running run, or the end of a run. force: now.
  function refreshSamples(force) {
    var run = samplesRun();
    renderRunPick(run);
    if (!run) {
      samplesMessage('none', 'select a run above');
      return;
    }
    var info = runInfo(run);
    var head = sv.heads[run] || null;
    var key = run + '|' + (head || '');
    var signature = info ? sampleSignature(info) : null;
    if (info && !signature) {
      samplesMessage('waiting', 'no per-sample data for ' + run + ' yet',
        'it comes with the run\u2019s first evaluation, from a trainer that publishes memoscope.evaluations ' +
        '(eval.subset above 0)');
      sv.askedKey = null;
      return;
    }
    // a run missing from /api/runs (expired, or not yet listed) is asked for again only while not shown
    var stale = Date.now() - sv.fetchedAt >= SAMPLES_MS;
    var due = force || sv.askedKey !== key || (info ? signature !== sv.signature ||
      (stale && (!info.finished || !sv.finishedFetched)) : stale && sv.shownKey !== key);
    if (!due || sv.busy) return;
    sv.busy = true;
    var generation = ++sv.generation;
    function current() {
      return generation === sv.generation && samplesRun() === run && (sv.heads[run] || null) === head;
    }
    fetchSamples(run, head).then(function (answers) {
      if (!current()) return;
      // three answers of one evaluation, or ask again at the next poll
      var one = answers.every(function (a) { return a.lastStep === answers[0].lastStep; });
      sv.askedKey = key;
      sv.signature = one ? signature : null;
      sv.fetchedAt = Date.now();
      sv.finishedFetched = one && !!(info && info.finished);
      renderSamples(run, key, answers);
      if (sv.detail != null) return fetchDetail(run, sv.detail);
    }, function (err) {
      if (!current()) return;
      sv.askedKey = key;
      sv.finishedFetched = false;
      sv.fetchedAt = Date.now();
      if (err.status === 404) {
        // again after SAMPLES_MS, or at once with the next evaluation
        sv.signature = signature;
        samplesMessage('missing', 'no per-sample data for ' + run, err.reason || err.message);
        return;
      }
      // e.g. a 503 while the service's stores are being rebalanced: again at the next poll, keeping
      // what is shown
      sv.signature = null;
      if (sv.shownKey === key) {
        document.getElementById('samples-meta').textContent = sv.meta + ' · not updated (' + err.message + '), retrying';
      } else {
        samplesMessage('error', 'cannot load the samples of ' + run + '; retrying', err.reason || err.message);
      }
    }).then(function () {
      sv.busy = false;
      if (!current()) refreshSamples(true);
    });
  }

  // the three strips' answers, the first strip's deciding the head when none is chosen
  function fetchSamples(run, head) {
    function strip(s, h) {
      return getJSON(sampleUrl(run, '?' + s.query + '&limit=' + STRIP_LIMIT +
        (h ? '&head=' + encodeURIComponent(h) : '')));
    }
    return strip(STRIPS[0], head).then(function (first) {
      return Promise.all([first].concat(STRIPS.slice(1).map(function (s) { return strip(s, first.head); })));
    });
  }

  function renderSamples(run, key, answers) {
    var a = answers[0];
    if (sv.shownRun !== run) {
      sv.detail = null;
      sv.strips = {};
      document.getElementById('samples-detail').hidden = true;
    }
    sv.shownKey = key;
    sv.shownRun = run;
    sv.shownHead = a.head;
    samplesEl.setAttribute('data-state', 'shown');
    samplesEl.setAttribute('data-run', run);
    samplesEl.setAttribute('data-head', a.head);
    samplesEl.setAttribute('data-last-step', String(a.lastStep));
    document.getElementById('samples-empty').hidden = true;
    document.getElementById('samples-body').hidden = false;

    var pick = document.getElementById('samples-head-pick');
    var heads = document.getElementById('samples-head');
    // the co-trained heads, then the probes (probe:tap/labeling) that ran so far
    var ids = a.heads.concat(a.probes || []);
    pick.hidden = ids.length < 2;
    if (heads.getAttribute('data-heads') !== ids.join(',')) {
      heads.innerHTML = '';
      ids.forEach(function (h) { heads.appendChild(new Option(h, h)); });
      heads.setAttribute('data-heads', ids.join(','));
    }
    heads.value = a.head;
    sv.meta = (a.dataset ? a.dataset + ' · ' : '') + a.subsetSize.toLocaleString('en') + ' samples · ' +
      a.evaluations + (a.evaluations === 1 ? ' evaluation' : ' evaluations') + ' · latest at step ' +
      a.lastStep.toLocaleString('en');
    document.getElementById('samples-meta').textContent = sv.meta;

    var groups = document.getElementById('samples-groups');
    groups.innerHTML = '';
    GROUPS.forEach(function (g) {
      var n = a.groups[g[0]] || 0;
      var tile = el('div', 'group ' + g[0]);
      tile.setAttribute('data-group', g[0]);
      tile.appendChild(el('b', null, n.toLocaleString('en')));
      tile.appendChild(el('span', 'share', a.subsetSize ? fmtShare(n / a.subsetSize) : ''));
      tile.appendChild(el('span', 'what', g[1] + ' · ' + g[2]));
      groups.appendChild(tile);
    });

    var classes = document.getElementById('samples-classes');
    classes.innerHTML = '';
    var chance = data[run] ? data[run].chance : null;
    a.memorizedByClass.forEach(function (c) {
      var row = el('div', 'class-row');
      row.setAttribute('data-class', String(c.class));
      row.appendChild(el('span', 'name', 'class ' + c.class));
      var bar = el('span', 'bar');
      var fill = el('span', 'fill');
      fill.style.width = (100 * c.fraction).toFixed(1) + '%';
      bar.appendChild(fill);
      if (chance != null) {
        var line = el('span', 'chance');
        line.style.left = (100 * chance).toFixed(1) + '%';
        line.title = 'chance ' + fmt(chance);
        bar.appendChild(line);
      }
      row.appendChild(bar);
      row.appendChild(el('span', 'value', fmtShare(c.fraction) + ' (' + c.memorized + '/' + c.samples + ')'));
      classes.appendChild(row);
    });

    STRIPS.forEach(function (s, i) { renderStrip(run, s.id, answers[i]); });
    markSelected();
  }

  function fmtShare(f) {
    return (100 * f).toFixed(f > 0 && f < 0.1 ? 1 : 0) + ' %';
  }

  function renderStrip(run, id, answer) {
    var strip = samplesEl.querySelector('.strip[data-strip="' + id + '"]');
    strip.setAttribute('data-matching', String(answer.matching));
    var shown = answer.samples.length;
    strip.querySelector('.count').textContent = answer.matching.toLocaleString('en') +
      (shown < answer.matching ? ' · the first ' + shown + ' shown' : '');
    var signature = run + ':' + answer.samples.map(function (r) {
      return [r.index, r.class, r.onsetStep, r.classRight, r.memorized].join('/');
    }).join(',');
    if (sv.strips[id] === signature) return;
    sv.strips[id] = signature;
    var box = strip.querySelector('.thumbs');
    box.innerHTML = '';
    if (!shown) {
      box.appendChild(el('span', 'none', 'none'));
      return;
    }
    answer.samples.forEach(function (r) {
      var b = el('button', 'thumb' + (r.classRight ? '' : ' wrong'));
      b.type = 'button';
      b.setAttribute('data-index', String(r.index));
      b.title = 'sample ' + r.index + ', class ' + r.class + ' (' + (r.classRight ? 'right' : 'wrong') +
        ' now), random label ' + r.randomLabel + (r.onsetStep == null ? ', not memorized now' :
        ', memorized since step ' + r.onsetStep) + ', ' + r.forgetting + ' forgetting event' +
        (r.forgetting === 1 ? '' : 's') + '; click for its timeline';
      var img = el('img');
      img.alt = 'sample ' + r.index;
      img.src = BASE + sampleUrl(run, '/' + r.index + '.png');
      b.appendChild(img);
      b.appendChild(el('span', 'index', '#' + r.index));
      b.appendChild(el('span', 'cls', 'class ' + r.class));
      b.appendChild(el('span', 'onset', r.onsetStep == null ? 'onset –' : 'onset ' + r.onsetStep.toLocaleString('en')));
      b.addEventListener('click', function () { showDetail(run, r.index); });
      box.appendChild(b);
    });
  }

  function markSelected() {
    Array.prototype.forEach.call(samplesEl.querySelectorAll('.thumb'), function (b) {
      b.classList.toggle('selected', Number(b.getAttribute('data-index')) === sv.detail);
    });
  }

  function showDetail(run, index) {
    sv.detail = index;
    markSelected();
    fetchDetail(run, index);
  }

  function fetchDetail(run, index) {
    return getJSON(sampleUrl(run, '/' + index)).then(function (answer) {
      if (sv.detail === index && sv.shownRun === run) renderDetail(run, answer);
    }, function (err) {
      if (sv.detail !== index) return;
      var box = document.getElementById('samples-detail');
      box.hidden = false;
      box.innerHTML = '';
      box.appendChild(el('p', 'placeholder', 'no timeline for sample ' + index + ': ' + (err.reason || err.message)));
    });
  }

  // the sample, what it is now per head, and its timeline: per evaluation, class right or wrong and,
  // per head, random label predicted or not (the shown head first)
  function renderDetail(run, s) {
    var box = document.getElementById('samples-detail');
    box.hidden = false;
    box.innerHTML = '';
    box.setAttribute('data-index', String(s.index));
    var top = el('div', 'detail-top');
    var img = el('img');
    img.alt = 'sample ' + s.index;
    img.src = BASE + sampleUrl(run, '/' + s.index + '.png');
    top.appendChild(img);
    var facts = el('div', 'facts');
    facts.appendChild(el('h3', null, 'Sample #' + s.index));
    facts.appendChild(el('p', null, 'class ' + s.class + ' · ' + (s.classRight ? 'predicted right' : 'predicted wrong') +
      ' now · ' + s.forgetting + ' forgetting event' + (s.forgetting === 1 ? '' : 's') + ' (right, then wrong)'));
    var heads = Object.keys(s.heads);
    heads.sort(function (x, y) { return (y === sv.shownHead) - (x === sv.shownHead); });
    heads.forEach(function (h) {
      var st = s.heads[h];
      facts.appendChild(el('p', h === sv.shownHead ? 'head shown' : 'head', h + ': random label ' + st.randomLabel + ' · ' +
        (st.memorized ? 'memorized since step ' + st.onsetStep.toLocaleString('en') :
          st.everMemorized ? 'not memorized now (was before)' : 'never memorized')));
    });
    top.appendChild(facts);
    var close = el('button', 'close', '\u00d7');
    close.type = 'button';
    close.title = 'close';
    close.addEventListener('click', function () {
      sv.detail = null;
      box.hidden = true;
      markSelected();
    });
    top.appendChild(close);
    box.appendChild(top);

    var timeline = el('div', 'timeline');
    timeline.setAttribute('data-evaluations', String(s.timeline.length));
    function row(name, kind, label, hit, yes, no) {
      var r = el('div', 'tl-row' + (name === 'head:' + sv.shownHead ? ' shown' : ''));
      r.setAttribute('data-row', name);
      r.appendChild(el('span', 'tl-label', label));
      var cells = el('span', 'tl-cells');
      s.timeline.forEach(function (p) {
        var ok = hit(p);
        // a probe has no cell value at an evaluation it did not run at
        var c = el('span', 'cell ' + kind + (ok === undefined ? ' none' : ok ? ' yes' : ' no'));
        c.title = 'step ' + p.step.toLocaleString('en') + ' (epoch ' + p.epoch + '): ' +
          (ok === undefined ? 'not probed' : ok ? yes : no);
        cells.appendChild(c);
      });
      r.appendChild(cells);
      timeline.appendChild(r);
    }
    row('class', 'class', 'class ' + s.class, function (p) { return p.classRight; }, 'class right', 'class wrong');
    heads.forEach(function (h) {
      row('head:' + h, 'head', h, function (p) { return p.heads[h]; }, 'random label ' + s.heads[h].randomLabel + ' predicted',
        'random label not predicted');
    });
    var axis = el('div', 'tl-row tl-axis');
    axis.appendChild(el('span', 'tl-label', 'step'));
    var ends = el('span', 'tl-cells');
    var pts = s.timeline;
    ends.appendChild(el('span', null, pts.length ? pts[0].step.toLocaleString('en') : ''));
    ends.appendChild(el('span', null, pts.length > 1 ? pts[pts.length - 1].step.toLocaleString('en') : ''));
    axis.appendChild(ends);
    timeline.appendChild(axis);
    box.appendChild(timeline);
    var legend = el('p', 'tl-legend');
    [['class yes', 'class right'], ['class no', 'class wrong'], ['head yes', 'random label predicted (memorized)'],
      ['head no', 'random label not predicted']]
      .forEach(function (l) {
        var k = el('span', 'key');
        k.appendChild(el('span', 'cell ' + l[0]));
        k.appendChild(document.createTextNode(l[1]));
        legend.appendChild(k);
      });
    box.appendChild(legend);
  }

  document.getElementById('samples-head').addEventListener('change', function (e) {
    if (sv.shownRun) sv.heads[sv.shownRun] = e.target.value;
    refreshSamples(true);
  });
  document.getElementById('samples-run').addEventListener('change', function (e) {
    sv.picked = e.target.value;
    refreshSamples(true);
  });

  // ---- polling ----

  // a refusal's reason, from the service's one-line JSON error, comes as err.reason
  function getJSON(path) {
    var url = BASE + path;
    return fetch(url, { cache: 'no-store' }).then(function (r) {
      if (r.ok) return r.json();
      return r.text().then(function (body) {
        var err = new Error(url + ': HTTP ' + r.status);
        err.status = r.status;
        try { err.reason = JSON.parse(body).error; } catch (e) { err.reason = null; }
        throw err;
      });
    });
  }

  function fetchSeries(run) {
    if (!data[run]) data[run] = { after: -1, chance: null, series: {} };
    var d = data[run];
    return getJSON('api/runs/' + encodeURIComponent(run) + '/series?after=' + d.after).then(function (answer) {
      ingest(run, answer.events);
      if (answer.more) return fetchSeries(run);
    }, function (err) {
      if (err.status === 404) return; // not (yet) a run
      throw err;
    });
  }

  function refresh() {
    return Promise.all(selected.map(fetchSeries));
  }

  function renderAll() {
    Object.keys(CHARTS).forEach(render);
  }

  var statusEl = document.getElementById('status');
  function tick() {
    getJSON('api/runs').then(function (answer) {
      runs = answer.slice().sort(function (a, b) { return Date.parse(b.lastEventAt) - Date.parse(a.lastEventAt); });
      if (!userChose && !selected.length && runs.length) {
        selected = [runs[0].run];
        writeHash();
      }
      renderRuns();
      return refresh();
    }).then(function () {
      renderAll();
      statusEl.className = 'status';
      statusEl.textContent = 'live · updated ' + new Date().toLocaleTimeString('en-GB') + ' · ' + runs.length +
        (runs.length === 1 ? ' run' : ' runs');
      refreshSamples(false); // not waited for: it has its own rhythm and its own errors
    }).catch(function (err) {
      statusEl.className = 'status error';
      statusEl.textContent = 'cannot reach the service (' + err.message + '); retrying';
    }).then(function () {
      setTimeout(tick, POLL_MS);
    });
  }

  var resizeTimer = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      Object.keys(plots).forEach(function (chart) {
        var box = document.getElementById(CHARTS[chart].el).querySelector('.plot');
        plots[chart].plot.setSize({ width: Math.max(300, box.clientWidth), height: CHARTS[chart].height || 260 });
      });
    }, 150);
  });

  /**
   * For tests and the curious: how many points a chart draws (with a variant: only of the series whose
   * variant starts with it, e.g. points('rla', 'probe')), and what the page shows.
   */
  window.memoscope = {
    points: function (chart, variant) {
      var entry = plots[chart];
      if (!entry) return 0;
      if (variant == null) return entry.points;
      var n = 0;
      Object.keys(entry.counts).forEach(function (v) { if (v.indexOf(variant) === 0) n += entry.counts[v]; });
      return n;
    },
    runs: function () { return runs.map(function (r) { return r.run; }); },
    selected: function () { return selected.slice(); }
  };

  renderAll();
  tick();
})();
