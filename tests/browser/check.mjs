// Browser checks of a built goalbook site (run by .ci/run):
//   1. the Nu HTML Checker (vnu.jar) finds no error in any page;
//   2. axe-core in headless Chromium finds no serious or critical violation
//      on the dashboard, a goal page, the cascade and the scorecard, in light
//      and dark mode;
//   3. at 1280 px and 390 px those pages do not overflow horizontally and
//      their charts and diagrams are visible with a non-zero size; a
//      progress chart shows one of its two sizes, its text at 11 px or more;
//   4. no page requests anything from another host;
//   5. search (SPEC §5): a query by title, owner name, check-in note and
//      diacritics-free text shows the right goal first; each filter of
//      goals/index.html shows exactly the goals goals.json (or the period
//      page) says, and the address reproduces the view.
// Screenshots go to the artifacts folder. Every missing piece is a failure.
//
// usage: node check.mjs SITE_DIR ARTIFACTS_DIR [GOAL_PAGE]
// With VNU_SAMPLE=1 the Nu HTML Checker reads only the site's top pages, the
// first two pages of each long list and a few goal pages (a 10,000-goal site
// has too many pages to read them all in CI).

import { chromium } from "playwright-core";
import vnuJarPath from "vnu-jar";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import vm from "node:vm";

const require = createRequire(import.meta.url);
const vnuJar = String(vnuJarPath);
const [siteArg, outArg, goalArg] = process.argv.slice(2);
if (!siteArg || !outArg) {
  console.error("usage: node check.mjs SITE_DIR ARTIFACTS_DIR [GOAL_PAGE]");
  process.exit(2);
}
const site = path.resolve(siteArg);
const out = path.resolve(outArg);
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
const failures = [];
const fail = (msg) => {
  failures.push(msg);
  console.error(`FAIL ${msg}`);
};

for (const [what, p] of [["site", path.join(site, "index.html")], ["chromium", chromiumPath], ["vnu.jar", vnuJar]]) {
  if (!fs.existsSync(p)) {
    console.error(`FAIL ${what} not found at ${p}`);
    process.exit(1);
  }
}
fs.mkdirSync(out, { recursive: true });

// ---------------------------------------------------------------- 1. Nu HTML Checker
{
  const pages = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".html")) pages.push(p);
    }
  };
  walk(site);
  pages.sort();
  if (process.env.VNU_SAMPLE) {
    const keep = pages.filter((p) => {
      const rel = path.relative(site, p).split(path.sep).join("/");
      return !rel.startsWith("goals/") || rel === "goals/index.html" || rel === "goals/page/2/index.html";
    }).filter((p) => !/\/page\/([3-9]|\d\d+)\//.test(p));
    const goals = pages.filter((p) => /\/goals\/.+\/index\.html$/.test(p) && !p.includes("/goals/page/"));
    pages.length = 0;
    pages.push(...keep.slice(0, 400), ...goals.filter((_, i) => i % Math.max(1, Math.floor(goals.length / 20)) === 0));
  }
  console.log(`== Nu HTML Checker on ${pages.length} pages`);
  try {
    execFileSync("java", ["-jar", vnuJar, "--errors-only", "--format", "gnu", ...pages], {
      stdio: ["ignore", "inherit", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
    });
    console.log("ok: no errors");
  } catch (e) {
    const report = (e.stderr || "").toString();
    if (report) console.error(report.split(site).join("<site>"));
    fail(`Nu HTML Checker reported errors (exit ${e.status})`);
  }
}

// ---------------------------------------------------------------- 2–4. Chromium
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const goalPage = goalArg || "goals/marketing/q4-mqls/index.html";
const targets = [
  { name: "dashboard", rel: "index.html", svgs: [] },
  { name: "goal", rel: goalPage, svgs: ["figure.chart svg", "figure.diagram svg"] },
  { name: "cascade", rel: "cascade/index.html", svgs: ["figure.diagram svg"] },
  { name: "scorecard", rel: "scorecard/index.html", svgs: ["figure.diagram svg"] },
  { name: "all-goals", rel: "goals/index.html", svgs: [] },
  { name: "handouts", rel: "handouts/index.html", svgs: [] },
];
// The first part of the cascade (a top-level goal's whole tree) it links.
{
  const cascade = fs.existsSync(path.join(site, "cascade/index.html")) ? fs.readFileSync(path.join(site, "cascade/index.html"), "utf8") : "";
  const m = cascade.match(/href="\.\.\/(cascade\/(?:goals|kpis|parts)\/[^"]+)"/);
  if (m) targets.push({ name: "cascade-part", rel: m[1], svgs: ["figure.diagram svg"] });
  else fail("cascade/index.html links no part of the cascade");
}
const widths = [1280, 390];

const profile = fs.mkdtempSync(path.join(os.tmpdir(), "goalbook-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: chromiumPath,
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
try {
  const page = context.pages()[0] || (await context.newPage());
  page.on("request", (req) => {
    const url = req.url();
    if (!url.startsWith("file://") && !url.startsWith("data:") && !url.startsWith("about:")) {
      fail(`${page.url()} requested ${url} from another host`);
    }
  });
  page.on("pageerror", (err) => fail(`${page.url()}: script error ${err.message}`));

  for (const t of targets) {
    const file = path.join(site, t.rel);
    if (!fs.existsSync(file)) {
      fail(`${t.name}: ${t.rel} was not built`);
      continue;
    }
    const url = pathToFileURL(file).href;
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const width of widths) {
        // Dark mode is checked at the desktop width; the layout is the same.
        if (scheme === "dark" && width !== 1280) continue;
        const label = `${t.name} @${width}px ${scheme}`;
        await page.setViewportSize({ width, height: 900 });
        await page.goto(url, { waitUntil: "load" });

        const overflow = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          client: document.documentElement.clientWidth,
        }));
        if (overflow.scroll > overflow.client) {
          fail(`${label}: horizontal overflow (scrollWidth ${overflow.scroll} > clientWidth ${overflow.client})`);
        }

        for (const selector of t.svgs) {
          const boxes = await page.$$eval(selector, (els) =>
            els.map((el) => {
              const r = el.getBoundingClientRect();
              const s = getComputedStyle(el);
              const visible = s.visibility !== "hidden" && s.display !== "none";
              const hiddenVariant = !visible && el.matches("svg.progress-chart");
              return { w: r.width, h: r.height, visible, hiddenVariant };
            }),
          );
          if (boxes.length === 0) fail(`${label}: no ${selector} on the page`);
          boxes.forEach((b, k) => {
            // A progress chart comes wide and narrow; the theme hides one of them.
            if (b.hiddenVariant) return;
            if (!(b.visible && b.w > 0 && b.h > 0)) {
              fail(`${label}: ${selector} #${k} is not visible (${b.w}×${b.h})`);
            }
          });
        }

        // Issue 17: a progress chart shows one of its two sizes, and its
        // text renders at 11 CSS pixels or more at every width (the wide
        // chart shrunk onto a phone made it about 6).
        const charts = await page.$$eval("figure.chart", (figures) =>
          figures.map((f) => {
            const shown = [...f.querySelectorAll("svg.progress-chart")].filter((s) => getComputedStyle(s).display !== "none");
            return shown.map((svg) => {
              const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
              const sizes = [...svg.querySelectorAll("text")].map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
              return { cls: svg.getAttribute("class"), smallest: Math.min(...sizes), right: svg.getBoundingClientRect().right };
            });
          }),
        );
        charts.forEach((shown, k) => {
          if (shown.length !== 1) fail(`${label}: chart #${k} shows ${shown.length} of its sizes, not one`);
          for (const c of shown) {
            if (!(c.smallest >= 11)) fail(`${label}: chart #${k} (${c.cls}) has text of ${c.smallest.toFixed(1)} px (< 11)`);
            else console.log(`ok: ${label}: chart #${k} (${c.cls}) smallest text ${c.smallest.toFixed(1)} px`);
            if (c.right > width) fail(`${label}: chart #${k} ends at ${c.right} px, past the ${width} px screen`);
          }
        });

        const shot = path.join(out, `${t.name}-${width}-${scheme}.png`);
        await page.screenshot({ path: shot, fullPage: true });

        await page.addScriptTag({ content: axeSource });
        const result = await page.evaluate(async () => {
          // eslint-disable-next-line no-undef
          const r = await axe.run(document, { resultTypes: ["violations"] });
          return r.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " — " + n.failureSummary),
            count: v.nodes.length,
          }));
        });
        const serious = result.filter((v) => v.impact === "serious" || v.impact === "critical");
        for (const v of result) {
          const line = `${label}: axe ${v.impact} ${v.id} (${v.count}×): ${v.help}\n    ${v.nodes.join("\n    ")}`;
          if (v.impact === "serious" || v.impact === "critical") fail(line);
          else console.log(`note ${line}`);
        }
        console.log(`${serious.length === 0 ? "ok" : "FAIL"}: ${label} (screenshot ${path.relative(process.cwd(), shot)})`);
      }
    }
  }
  await searchChecks(page);
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}

// ---------------------------------------------------------------- 5. search and all goals
// The same folding as themes/default/search.js.
function fold(s) {
  const extra = { "ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "þ": "th", "ð": "d" };
  return String(s).toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
    .replace(/[ßæøœłđþð]/g, (c) => extra[c]).split(/[^a-z0-9]+/).filter((w) => w);
}
function slug(s) { return fold(s).join("-") || "_"; }

async function searchChecks(page) {
  console.log("== search and the all-goals table");
  await page.emulateMedia({ colorScheme: "light" });
  const json = JSON.parse(fs.readFileSync(path.join(site, "goals.json"), "utf8"));
  const sandbox = { window: {} };
  vm.runInNewContext(fs.readFileSync(path.join(site, "goals/data.js"), "utf8"), sandbox);
  const data = sandbox.window.gbGoalsData;
  const byUrl = new Map(json.goals.map((g) => [g.url, g]));
  const home = pathToFileURL(path.join(site, "index.html")).href;
  const allUrl = pathToFileURL(path.join(site, "goals/index.html")).href;

  // Types `q` into the header's box of the dashboard; the goals shown, best first.
  const search = async (q) => {
    await page.goto(home, { waitUntil: "load" });
    await page.fill("#gb-search", q);
    await page.waitForFunction(() => document.querySelector("form.search").dataset.done === "1", null, { timeout: 20000 });
    return page.$$eval(".search-results a.search-link", (as) => as.map((a) => a.getAttribute("href")));
  };
  const root = "";
  const expectFirst = async (what, q, ok) => {
    const hrefs = await search(q);
    const first = hrefs[0] ? byUrl.get(hrefs[0].slice(root.length)) : undefined;
    if (!first || !ok(first)) fail(`search ${what} "${q}": first result ${hrefs[0] || "none"}`);
    else console.log(`ok: search ${what} "${q}" → ${first.id}`);
  };

  // Titles: goals whose folded title no other goal has, from the start, middle and end.
  const titles = new Map();
  json.goals.forEach((g) => titles.set(fold(g.title).join(" "), (titles.get(fold(g.title).join(" ")) || 0) + 1));
  const unique = json.goals.filter((g) => titles.get(fold(g.title).join(" ")) === 1);
  if (unique.length === 0) fail("search: no goal has a title of its own to search for");
  const picks = [...new Set([0, Math.floor(unique.length / 2), unique.length - 1])].map((i) => unique[i]).filter(Boolean);
  for (const g of picks) await expectFirst("by title", g.title, (f) => f.id === g.id);
  // Diacritics-free: a title with marks, typed without them.
  const marked = unique.filter((g) => fold(g.title).join(" ") !== g.title.toLowerCase());
  const vi = (json.goals.length && /^vi/.test((await fs.promises.readFile(path.join(site, "index.html"), "utf8")).match(/<html lang="([^"]+)"/)[1]));
  if (marked.length > 0) {
    for (const g of marked.slice(0, 2)) await expectFirst("without diacritics", fold(g.title).join(" "), (f) => f.id === g.id);
  } else if (vi) {
    fail("search: a Vietnamese site without a title with diacritics to search for");
  }
  // Owner names (as the site shows them), typed without diacritics and in lower case.
  const owners = new Map();
  data.goals.forEach((r) => { if (r[5] >= 0) owners.set(r[5], (owners.get(r[5]) || 0) + 1); });
  const person = [...owners.entries()].sort((a, b) => b[1] - a[1])[0];
  if (person) {
    const [slugOf, name] = data.people[person[0]];
    await expectFirst("by owner name", fold(name).join(" "), (f) => f.owner && slug(f.owner) === slugOf);
    if (name !== fold(name).join(" ")) await expectFirst("by owner name as written", name, (f) => f.owner && slug(f.owner) === slugOf);
  }
  // A check-in note, read from a goal page.
  let note = null;
  for (const g of json.goals) {
    const html = fs.readFileSync(path.join(site, g.url), "utf8");
    const m = html.match(/<td class="note">([^<]{12,})<\/td>/);
    if (m) { note = { goal: g, text: m[1].replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#x27;/g, "'") }; break; }
  }
  if (note) await expectFirst("by check-in note", note.text, (f) => f.id === note.goal.id);
  else fail("search: no goal page shows a check-in note to search for");

  // Each filter shows exactly the goals goals.json says.
  const shown = async (url) => {
    const ids = [];
    for (let k = 1; ; k++) {
      await page.goto(url + (k > 1 ? (url.includes("?") ? "&" : "?") + "page=" + k : ""), { waitUntil: "load" });
      await page.waitForFunction(() => document.getElementById("gb-filters").dataset.done !== undefined, null, { timeout: 20000 });
      ids.push(...(await page.$$eval("#gb-all tbody td.goal-id", (tds) => tds.map((td) => td.textContent))));
      if (!(await page.$("#gb-all ~ nav.pager a.pager-next, .table-wrap + nav.pager a.pager-next"))) break;
    }
    return ids;
  };
  const commonest = (key) => {
    const n = new Map();
    json.goals.forEach((g) => { if (g[key]) n.set(g[key], (n.get(g[key]) || 0) + 1); });
    return [...n.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
  };
  const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
  const checks = [
    ["team", (v) => slug(v), (g, v) => g.team && slug(g.team) === v],
    ["owner", (v) => slug(v), (g, v) => g.owner && slug(g.owner) === v],
    ["status", (v) => v, (g, v) => g.status === v],
    ["kind", (v) => v, (g, v) => g.kind === v],
    ["perspective", (v) => v, (g, v) => g.perspective === v],
  ];
  for (const [key, value, keep] of checks) {
    const raw = commonest(key);
    if (!raw) { fail(`filter ${key}: no goal has a ${key}`); continue; }
    const v = value(raw);
    const want = json.goals.filter((g) => keep(g, v)).map((g) => g.id);
    const got = await shown(`${allUrl}?${key}=${encodeURIComponent(v)}`);
    if (!same(got, want)) fail(`filter ${key}=${v}: shows ${got.length} goals, goals.json has ${want.length}`);
    else console.log(`ok: filter ${key}=${v} shows the ${want.length} goals of goals.json`);
  }
  // A period: exactly the goals its period page lists (SPEC §3 sets).
  const period = data.periods[0];
  if (period) {
    const listed = [];
    for (let k = 1; ; k++) {
      const f = path.join(site, "periods", period[0], ...(k > 1 ? ["page", String(k)] : []), "index.html");
      if (!fs.existsSync(f)) break;
      const html = fs.readFileSync(f, "utf8");
      for (const m of html.matchAll(/<a class="goal-link" href="([^"]+)"/g)) {
        const url = path.relative(site, path.resolve(path.dirname(f), m[1])).split(path.sep).join("/");
        listed.push(byUrl.get(url)?.id);
      }
    }
    const got = await shown(`${allUrl}?period=${encodeURIComponent(period[0])}`);
    if (!same([...got].sort(), [...listed].sort())) fail(`filter period=${period[0]}: shows ${got.length} goals, its period page lists ${listed.length}`);
    else console.log(`ok: filter period=${period[0]} shows the ${got.length} goals of its period page`);
  }
  // The controls write the view into the address, and the address reproduces it.
  await page.goto(allUrl, { waitUntil: "load" });
  const team = slug(commonest("team"));
  await page.selectOption("#gb-filters select[name=team]", team);
  await page.selectOption("#gb-filters select[name=sort]", "-progress");
  const address = page.url();
  if (!address.includes(`team=${encodeURIComponent(team)}`) || !address.includes("sort=-progress")) {
    fail(`all goals: the address ${address} does not keep the view`);
  }
  const before = await page.$$eval("#gb-all tbody td.goal-id", (tds) => tds.map((td) => td.textContent));
  const again = await shown(address);
  const progress = new Map(json.goals.map((g) => [g.id, g.progress === null ? -Infinity : g.progress]));
  if (!same(before, again.slice(0, before.length))) fail(`all goals: ${address} opened again shows other goals`);
  else if (!again.every((id, i) => i === 0 || progress.get(again[i - 1]) >= progress.get(id))) fail("all goals: sort=-progress is not by progress, highest first");
  else console.log(`ok: the address ${address.slice(address.indexOf("?"))} reproduces the view (${again.length} goals)`);

  // Every status total links to a view of the all-goals table with exactly that many goals.
  const team0 = slug(commonest("team"));
  const sources = ["index.html", "scorecard/index.html", "teams/index.html", `teams/${team0}/index.html`, "periods/index.html"];
  let counted = 0;
  for (const rel of sources) {
    await page.goto(pathToFileURL(path.join(site, rel)).href, { waitUntil: "load" });
    const links = await page.$$eval('a[href*="goals/index.html?"]', (as) => as
      .map((a) => ({ href: a.href, n: (a.querySelector(".tile-num, .legend-count") || (/^[\d.,\s]+$/.test(a.textContent) ? a : null))?.textContent }))
      .filter((l) => l.n !== undefined));
    if (links.length === 0) fail(`${rel}: no status total links to the all-goals table`);
    for (const l of links.slice(0, 12)) {
      const want = Number(l.n.replace(/[^0-9]/g, ""));
      await page.goto(l.href, { waitUntil: "load" });
      await page.waitForFunction(() => document.getElementById("gb-filters").dataset.done !== undefined, null, { timeout: 20000 });
      const got = Number(await page.getAttribute("#gb-all", "data-shown"));
      if (got !== want) fail(`${rel}: the total ${want} links to ${l.href.slice(l.href.indexOf("?"))}, which shows ${got} goals`);
      counted++;
    }
  }
  console.log(`ok: ${counted} status totals link to views of exactly their goals`);

  // The HTML handouts fit a phone (their print layout is for paper).
  await page.setViewportSize({ width: 390, height: 900 });
  const handouts = fs.readdirSync(path.join(site, "handouts"), { withFileTypes: true }).filter((e) => e.isDirectory());
  for (const h of handouts.slice(0, 3)) {
    await page.goto(pathToFileURL(path.join(site, "handouts", h.name, "index.html")).href, { waitUntil: "load" });
    const o = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    if (o[0] > o[1]) fail(`handouts/${h.name} @390px: horizontal overflow (scrollWidth ${o[0]} > ${o[1]})`);
    else console.log(`ok: handouts/${h.name} fits 390 px`);
  }

  // Screenshots of the open search and the filtered table, at both widths; no overflow.
  for (const width of widths) {
    await page.setViewportSize({ width, height: 900 });
    await search(picks[0] ? fold(picks[0].title).slice(0, 2).join(" ") : "a");
    const over = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
    if (over) fail(`search @${width}px: horizontal overflow`);
    await page.screenshot({ path: path.join(out, `search-${width}.png`) });
    await page.goto(address, { waitUntil: "load" });
    await page.waitForFunction(() => document.getElementById("gb-filters").dataset.done !== undefined);
    const over2 = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
    if (over2) fail(`all goals filtered @${width}px: horizontal overflow`);
    await page.screenshot({ path: path.join(out, `all-goals-filtered-${width}.png`) });
  }
}

if (failures.length > 0) {
  console.error(`\n${failures.length} browser check(s) failed`);
  process.exit(1);
}
console.log("\nall browser checks passed");
