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
  var FILTERS = ["q", "team", "owner", "period", "status", "kind", "perspective", "flag"];
  var heads = Array.prototype.map.call(table.tHead.rows[0].cells, function (c) { return c.textContent; });
  // Goal fields in data.js (search.rs `goals_data`).
  var ID = 0, TITLE = 1, URL = 2, KIND = 3, TEAM = 4, OWNER = 5, PKEY = 6, PLABEL = 7, PERIODS = 8,
    STATUS = 9, PROGRESS = 10, PTEXT = 11, PERSP = 12, FLAGS = 13;
  // The dashboard's lists (bits of FLAGS), for their "n more" links.
  var FLAG = { stale: 1, "due-soon": 2, top: 4 };
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
  fill("flag", [["top", form.getAttribute("data-top")], ["stale", form.getAttribute("data-stale")],
    ["due-soon", form.getAttribute("data-due-soon")]]);

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

  // The positions in `list` of the comma-separated keys of `value`
  // (null: no filter; an unknown key matches no goal).
  function positions(list, value) {
    if (!value) return null;
    return value.split(",").map(function (key) {
      for (var i = 0; i < list.length; i++) if (list[i][0] === key) return i;
      return -2;
    });
  }

  function matches(v) {
    var team = positions(D.teams, v.team);
    var owner = positions(D.people, v.owner);
    var period = positions(D.periods, v.period);
    var status = positions(D.statuses, v.status);
    var kind = positions(D.kinds, v.kind);
    var persp = positions(D.perspectives, v.perspective);
    var flag = v.flag ? v.flag.split(",").reduce(function (a, f) { return a | (FLAG[f] || 0); }, 0) : 0;
    var unknownFlag = v.flag && !flag;
    var has = function (set, x) { return set === null || set.indexOf(x) !== -1; };
    return function (g) {
      return has(team, g[TEAM]) && has(owner, g[OWNER]) &&
        (period === null || period.some(function (p) { return g[PERIODS].indexOf(p) !== -1; })) &&
        has(status, g[STATUS]) && has(kind, g[KIND]) && has(persp, g[PERSP]) &&
        !unknownFlag && (flag === 0 || (g[FLAGS] & flag) !== 0);
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
  // A value the address holds that no option has (several keys, as the
  // dashboard's "needs attention" link has) becomes an option of its own.
  var lists = { team: D.teams, owner: D.people, period: D.periods, status: D.statuses, kind: D.kinds,
    perspective: D.perspectives };
  FILTERS.concat(["sort"]).forEach(function (k) {
    var sel = form.elements[k];
    if (!start[k]) return;
    if (sel.tagName === "SELECT" && !Array.prototype.some.call(sel.options, function (o) { return o.value === start[k]; })) {
      var o = document.createElement("option");
      o.value = start[k];
      o.textContent = start[k].split(",").map(function (key) {
        var list = lists[k] || [];
        for (var i = 0; i < list.length; i++) if (list[i][0] === key) return list[i][1];
        return key;
      }).join(" + ");
      sel.appendChild(o);
    }
    sel.value = start[k];
  });
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
