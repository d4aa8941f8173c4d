// goalbook search (SPEC §5): the box in every page's header finds goals by
// title, id, owner, team, metric, body and check-in notes, ignoring case and
// diacritics. The index is split into small files under search/ that are
// loaded with <script src> (a page opened from disk may not fetch them):
// index.js says how it is split, t-<xy>.js holds the words beginning with
// "xy" (or "x" on a small site), d-<n>.js what results show of goals
// 100·n … 100·n+99. Without JavaScript the box's form leads to
// goals/index.html. No framework, nothing from another host.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  var root = form ? form.getAttribute("data-root") || "" : "";
  var terms = {}; // shard key → {word: postings} once loaded
  var docs = {}; // chunk number → [[url, title, status, label, icon, progress, meta], …]
  var state = {}; // file → true once loaded, else the callbacks waiting for it
  // Field weights, by the field code of search.rs: body, note, metric, team, owner, id, title.
  var WEIGHT = [1, 2, 3, 4, 6, 8, 10];
  var meta = null; // search/index.js: {key: shard key length, chunk: goals per d-<n>.js}
  var SHOWN = 10;
  var EXTRA = { "\u00df": "ss", "\u00e6": "ae", "\u00f8": "o", "\u0153": "oe", "\u0142": "l", "\u0111": "d", "\u00fe": "th", "\u00f0": "d" };

  // The same folding as search.rs (deunicode for the scripts a query uses):
  // lower case, marks removed, words of ASCII letters and digits.
  function fold(s) {
    s = String(s).toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    s = s.replace(/[\u00df\u00e6\u00f8\u0153\u0142\u0111\u00fe\u00f0]/g, function (c) { return EXTRA[c]; });
    return s.split(/[^a-z0-9]+/).filter(function (w) { return w.length > 0; });
  }

  function load(file, done) {
    var s = state[file];
    if (s === true) { done(); return; }
    if (s) { s.push(done); return; }
    state[file] = [done];
    var el = document.createElement("script");
    el.src = root + "search/" + file;
    el.async = true;
    var finish = function () {
      var cbs = state[file];
      state[file] = true;
      cbs.forEach(function (cb) { cb(); });
    };
    el.onload = finish;
    el.onerror = finish; // no such shard: no word begins so
    document.head.appendChild(el);
  }

  window.gbSearch = {
    meta: function (m) { meta = m; },
    terms: function (key, map) { terms[key] = map; },
    docs: function (n, list) { docs[n] = list; },
    fold: fold,
    // Calls back with goal numbers best first (every goal that has each word).
    query: function (q, callback) {
      if (!meta) {
        load("index.js", function () {
          if (!meta) { callback([]); return; } // no index: nothing found
          window.gbSearch.query(q, callback);
        });
        return;
      }
      var words = fold(q);
      if (words.length > 1) words = words.filter(function (w) { return w.length > 1; });
      if (!words.length) { callback([]); return; }
      var keys = {};
      words.forEach(function (w) { keys[w.slice(0, meta.key)] = true; });
      var need = Object.keys(keys).filter(function (k) { return !terms[k]; });
      var left = need.length;
      var run = function () { callback(rank(words)); };
      if (!left) { run(); return; }
      need.forEach(function (k) {
        load("t-" + k + ".js", function () {
          if (!terms[k]) terms[k] = {};
          if (--left === 0) run();
        });
      });
    },
    // Calls back with the shown fields of goals `ids` (loading their chunks).
    details: function (ids, callback) {
      var chunks = {};
      var per = meta ? meta.chunk : 100;
      ids.forEach(function (i) { chunks[Math.floor(i / per)] = true; });
      var need = Object.keys(chunks).filter(function (c) { return !docs[c]; });
      var left = need.length;
      var run = function () {
        callback(ids.map(function (i) {
          var c = docs[Math.floor(i / per)];
          return c ? c[i % per] : null;
        }));
      };
      if (!left) { run(); return; }
      need.forEach(function (c) {
        load("d-" + c + ".js", function () { if (--left === 0) run(); });
      });
    }
  };

  // Each word scores each goal by the best field it is in (a whole word
  // counts more than a prefix); a goal must have every word.
  function rank(words) {
    var total = null;
    for (var k = 0; k < words.length; k++) {
      var w = words[k];
      var shard = terms[w.slice(0, meta.key)];
      var score = new Map();
      if (shard) {
        for (var word in shard) {
          if (word.lastIndexOf(w, 0) !== 0) continue;
          var whole = word.length === w.length ? 1 : 0.6;
          var list = shard[word];
          var goal = 0;
          for (var j = 0; j < list.length; j++) {
            var v = list[j];
            goal += (v - (v % 8)) / 8;
            var s = WEIGHT[v % 8] * whole;
            var had = score.get(goal);
            if (had === undefined || had < s) score.set(goal, s);
          }
        }
      }
      if (total === null) {
        total = score;
      } else {
        var next = new Map();
        total.forEach(function (s, g) {
          var t = score.get(g);
          if (t !== undefined) next.set(g, s + t);
        });
        total = next;
      }
      if (!total.size) return [];
    }
    var ids = Array.from(total.keys());
    ids.sort(function (a, b) { return total.get(b) - total.get(a) || a - b; });
    return ids;
  }

  if (!form) return;
  var input = form.querySelector("input[type=search]");
  var box = form.querySelector(".search-results");
  var status = form.querySelector(".search-status");
  if (!input || !box || !status) return;
  var label = function (name) { return form.getAttribute("data-" + name) || ""; };
  var seq = 0;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function show(q, ids, rows) {
    box.textContent = "";
    var list = el("ul", "search-list");
    rows.forEach(function (r) {
      if (!r) return;
      var li = el("li", "search-item");
      var a = el("a", "search-link");
      a.href = root + r[0];
      a.appendChild(el("span", "search-title", r[1]));
      var side = el("span", "search-side");
      var st = el("span", "status status-" + r[2]);
      var icon = el("span", "status-icon", r[4]);
      icon.setAttribute("aria-hidden", "true");
      st.appendChild(icon);
      st.appendChild(document.createTextNode(r[3]));
      side.appendChild(st);
      if (r[5]) side.appendChild(el("span", "search-progress", r[5]));
      a.appendChild(side);
      if (r[6]) a.appendChild(el("span", "search-meta", r[6]));
      li.appendChild(a);
      list.appendChild(li);
    });
    if (ids.length) box.appendChild(list);
    var more = el("p", "search-more");
    var all = el("a", "", label(ids.length ? "all" : "none"));
    all.href = root + "goals/index.html?q=" + encodeURIComponent(q);
    more.appendChild(all);
    box.appendChild(more);
    box.hidden = false;
    status.textContent = (ids.length === 1 ? label("one") : label("many")).replace("{n}", String(ids.length));
  }

  function update() {
    var q = input.value;
    var mine = ++seq;
    if (!fold(q).length) {
      box.hidden = true;
      box.textContent = "";
      status.textContent = "";
      return;
    }
    window.gbSearch.query(q, function (ids) {
      if (mine !== seq) return;
      var top = ids.slice(0, SHOWN);
      window.gbSearch.details(top, function (rows) {
        if (mine !== seq) return;
        show(q, ids, rows);
        form.setAttribute("data-done", String(mine));
      });
    });
  }

  input.addEventListener("input", update);
  input.addEventListener("focus", function () { if (box.childNodes.length) box.hidden = false; });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && !box.hidden) { box.hidden = true; input.focus(); }
  });
  document.addEventListener("click", function (e) {
    if (!form.contains(e.target)) box.hidden = true;
  });
  if (input.value) update();
})();
