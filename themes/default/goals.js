// The all-goals table (goals/index.html, SPEC §5): without JavaScript it is
// complete, 200 goals a page. With it, the controls filter by text, team,
// owner, period, status, kind and perspective and sort by any column, over
// every goal (goals/data.js, loaded with <script src>), and the address
// keeps the view (?team=marketing&status=at-risk) so it can be shared.
(function () {
  "use strict";
  var form = document.getElementById("gb-filters");
  var table = document.getElementById("gb-all");
  var D = window.gbGoalsData;
  if (!form || !table || !D) return;
  var root = form.getAttribute("data-root") || "";
  var tbody = table.tBodies[0];
  var wrap = table.parentNode;
  var PER_PAGE = 200;
  var FILTERS = ["q", "team", "owner", "period", "status", "kind", "perspective"];
  var heads = Array.prototype.map.call(table.tHead.rows[0].cells, function (c) { return c.textContent; });
  // Goal fields in data.js (search.rs `goals_data`).
  var ID = 0, TITLE = 1, URL = 2, KIND = 3, TEAM = 4, OWNER = 5, PKEY = 6, PLABEL = 7, PERIODS = 8,
    STATUS = 9, PROGRESS = 10, PTEXT = 11, PERSP = 12;
  var periodIndex = {};
  D.periods.forEach(function (p, i) { periodIndex[p[0]] = i; });

  function fill(name, items) {
    var sel = form.elements[name];
    var any = document.createElement("option");
    any.value = "";
    any.textContent = form.getAttribute("data-any");
    sel.appendChild(any);
    items.forEach(function (it) {
      var o = document.createElement("option");
      o.value = it[0];
      o.textContent = it[1];
      sel.appendChild(o);
    });
  }
  fill("team", D.teams);
  fill("owner", D.people);
  fill("period", D.periods);
  fill("status", D.statuses);
  fill("kind", D.kinds);
  fill("perspective", D.perspectives);

  function params() {
    var p = new URLSearchParams(window.location.search);
    var v = {};
    FILTERS.concat(["sort", "page"]).forEach(function (k) { v[k] = p.get(k) || ""; });
    return v;
  }

  function query(v) {
    var p = new URLSearchParams();
    FILTERS.forEach(function (k) { if (v[k]) p.set(k, v[k]); });
    if (v.sort && v.sort !== "id") p.set("sort", v.sort);
    if (v.page && v.page !== "1") p.set("page", v.page);
    var s = p.toString();
    return s ? "?" + s : "";
  }

  function pos(list, key) {
    for (var i = 0; i < list.length; i++) if (list[i][0] === key) return i;
    return -2; // a value no goal has: nothing matches
  }

  function matches(v) {
    var team = v.team ? pos(D.teams, v.team) : -1;
    var owner = v.owner ? pos(D.people, v.owner) : -1;
    var period = v.period ? (v.period in periodIndex ? periodIndex[v.period] : -2) : -1;
    var status = v.status ? pos(D.statuses, v.status) : -1;
    var kind = v.kind ? pos(D.kinds, v.kind) : -1;
    var persp = v.perspective ? pos(D.perspectives, v.perspective) : -1;
    return function (g) {
      return (team === -1 || g[TEAM] === team) &&
        (owner === -1 || g[OWNER] === owner) &&
        (period === -1 || g[PERIODS].indexOf(period) !== -1) &&
        (status === -1 || g[STATUS] === status) &&
        (kind === -1 || g[KIND] === kind) &&
        (persp === -1 || g[PERSP] === persp);
    };
  }

  var collator = new Intl.Collator(document.documentElement.lang || undefined, { numeric: true, sensitivity: "base" });
  function label(list, i) { return i >= 0 ? list[i][1] : ""; }
  function sorter(spec) {
    var desc = spec.charAt(0) === "-";
    var col = desc ? spec.slice(1) : spec;
    var key = {
      id: function (g) { return g[ID]; },
      title: function (g) { return g[TITLE]; },
      kind: function (g) { return g[KIND]; },
      team: function (g) { return label(D.teams, g[TEAM]); },
      owner: function (g) { return label(D.people, g[OWNER]); },
      period: function (g) { return g[PKEY] in periodIndex ? periodIndex[g[PKEY]] : Infinity; },
      status: function (g) { return g[STATUS]; },
      progress: function (g) { return g[PROGRESS] === null ? -Infinity : g[PROGRESS]; }
    }[col];
    if (!key) return null;
    return function (a, b) {
      var x = key(D.goals[a]), y = key(D.goals[b]);
      var c = typeof x === "string" ? collator.compare(x, y) : (x < y ? -1 : x > y ? 1 : 0);
      if (typeof x === "string" && (x === "") !== (y === "")) c = x === "" ? 1 : -1; // empty last
      return (desc ? -c : c) || a - b;
    };
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function link(href, text) {
    var a = el("a", "", text);
    a.href = root + href;
    return a;
  }
  function cell(tr, i, child, cls) {
    var td = el("td", cls);
    if (i !== null) td.setAttribute("data-label", heads[i]);
    if (child) td.appendChild(child); else td.appendChild(el("span", "muted", "–"));
    tr.appendChild(td);
    return td;
  }

  function row(g) {
    var tr = el("tr");
    cell(tr, 0, document.createTextNode(g[ID]), "goal-id");
    var a = link(g[URL], g[TITLE]);
    a.className = "goal-link";
    cell(tr, null, a, "goal-cell");
    cell(tr, 2, el("span", "kind kind-" + D.kinds[g[KIND]][0], D.kinds[g[KIND]][1]));
    cell(tr, 3, g[TEAM] >= 0 ? link("teams/" + D.teams[g[TEAM]][0] + "/index.html", D.teams[g[TEAM]][1]) : null);
    cell(tr, 4, g[OWNER] >= 0 ? link("people/" + D.people[g[OWNER]][0] + "/index.html", D.people[g[OWNER]][1]) : null);
    cell(tr, 5, g[PKEY] ? link("periods/" + g[PKEY] + "/index.html", g[PLABEL]) : null);
    var s = D.statuses[g[STATUS]];
    var st = el("span", "status status-" + s[0]);
    var icon = el("span", "status-icon", s[2]);
    icon.setAttribute("aria-hidden", "true");
    st.appendChild(icon);
    st.appendChild(document.createTextNode(s[1]));
    cell(tr, null, st);
    var bar = null;
    if (g[PROGRESS] !== null) {
      bar = el("span", "meter meter-" + s[0]);
      var track = el("span", "meter-track");
      track.setAttribute("aria-hidden", "true");
      var fill = el("span", "meter-fill");
      fill.style.width = Math.round(Math.min(Math.max(g[PROGRESS], 0), 1) * 1000) / 10 + "%";
      track.appendChild(fill);
      bar.appendChild(track);
      bar.appendChild(el("span", "meter-text", g[PTEXT]));
    }
    cell(tr, 7, bar);
    return tr;
  }

  function pagerNav(v, page, pages, total) {
    var nav = el("nav", "pager");
    nav.setAttribute("aria-label", form.getAttribute("data-pager") + " (" + page + "/" + pages + ")");
    var go = function (k, text, rel) {
      var a = el("a", "pager-" + rel, text);
      a.rel = rel;
      var w = {};
      for (var key in v) w[key] = v[key];
      w.page = String(k);
      a.href = root + "goals/index.html" + query(w);
      nav.appendChild(a);
    };
    var pos = form.getAttribute("data-position")
      .replace("{page}", page).replace("{pages}", pages)
      .replace("{first}", (page - 1) * PER_PAGE + 1).replace("{last}", Math.min(page * PER_PAGE, total))
      .replace("{total}", total);
    if (page > 1) go(page - 1, "← " + (form.getAttribute("data-prev") || ""), "prev");
    nav.appendChild(el("span", "pager-text", pos));
    if (page < pages) go(page + 1, (form.getAttribute("data-next") || "") + " →", "next");
    return nav;
  }

  function render(v, ids) {
    var pages = Math.max(1, Math.ceil(ids.length / PER_PAGE));
    var page = Math.min(Math.max(parseInt(v.page, 10) || 1, 1), pages);
    var body = document.createElement("tbody");
    ids.slice((page - 1) * PER_PAGE, page * PER_PAGE).forEach(function (i) { body.appendChild(row(D.goals[i])); });
    table.replaceChild(body, tbody);
    tbody = body;
    Array.prototype.forEach.call(document.querySelectorAll("nav.pager"), function (n) { n.parentNode.removeChild(n); });
    if (pages > 1) wrap.parentNode.insertBefore(pagerNav(v, page, pages, ids.length), wrap.nextSibling);
    var count = form.querySelector(".filters-count");
    count.textContent = (ids.length === 1 ? form.getAttribute("data-shown-one") : form.getAttribute("data-shown"))
      .replace("{n}", ids.length.toLocaleString(document.documentElement.lang || undefined));
    table.setAttribute("data-shown", String(ids.length));
  }

  var seq = 0;
  function apply(v) {
    var mine = ++seq;
    var keep = matches(v);
    var finish = function (order) {
      if (mine !== seq) return;
      var ids = order.filter(function (i) { return keep(D.goals[i]); });
      var cmp = v.sort && v.sort !== "id" ? sorter(v.sort) : null; // id order is data.js order
      if (cmp) ids.sort(cmp);
      render(v, ids);
      form.setAttribute("data-done", String(mine));
    };
    if (v.q && window.gbSearch) {
      window.gbSearch.query(v.q, finish); // relevance first unless a sort is chosen
    } else {
      finish(D.goals.map(function (_, i) { return i; }));
    }
  }

  function controls() {
    var v = {};
    FILTERS.concat(["sort"]).forEach(function (k) { v[k] = form.elements[k].value; });
    v.page = "";
    return v;
  }

  var start = params();
  FILTERS.concat(["sort"]).forEach(function (k) { if (start[k]) form.elements[k].value = start[k]; });
  if (!form.elements.sort.value) form.elements.sort.value = "id";
  form.hidden = false;
  // The first page is goals/index.html: its own address can keep the view.
  // From page/N/ a change opens the first page with the view in its address.
  var first = /goals\/(index\.html)?$/.test(window.location.pathname);
  var changed = function () {
    var v = controls();
    if (!first) { window.location.href = root + "goals/index.html" + query(v); return; }
    window.history.replaceState(null, "", window.location.pathname + query(v));
    apply(v);
  };
  form.addEventListener("change", changed);
  form.elements.q.addEventListener("input", changed);
  form.addEventListener("submit", function (e) { e.preventDefault(); changed(); });
  if (query(start)) {
    apply(start);
  } else {
    form.setAttribute("data-done", "0");
  }
})();
