// Search at N goals in headless Chromium, from file:// (issue 17): how big the
// index is, what the first query loads, and the time from a keystroke in the
// header's search box to its results in the page.
//
//   node bench/search_probe.mjs SITE_DIR [--queries 12]
//
// Prints one JSON object. Each query types the first words of a goal's title
// one character at a time into a fresh dashboard page; every keystroke is
// timed in the page, from the `input` event to the next frame after the
// results are in the DOM (search.js marks the form `data-done` when they
// are). The first keystrokes of a query load index shards; later ones reuse
// them: both are in the figures, as a user meets both.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
// playwright-core is installed with the browser checks (tests/browser).
const require = createRequire(path.join(here, "..", "tests", "browser", "package.json"));
const { chromium } = require("playwright-core");

const args = process.argv.slice(2);
const site = path.resolve(args[0] || "");
const nq = Number(args[args.indexOf("--queries") + 1]) || 12;
if (!args[0] || !fs.existsSync(path.join(site, "search", "index.js"))) {
  console.error("usage: node bench/search_probe.mjs SITE_DIR [--queries N] (a built site with search/)");
  process.exit(2);
}

const dirBytes = (dir) => fs.readdirSync(dir).reduce((s, f) => s + fs.statSync(path.join(dir, f)).size, 0);
const searchDir = path.join(site, "search");
const index = { files: fs.readdirSync(searchDir).length, bytes: dirBytes(searchDir) };
const goals = JSON.parse(fs.readFileSync(path.join(site, "goals.json"), "utf8")).goals;
const step = Math.max(1, Math.floor(goals.length / nq));
const queries = [];
for (let i = 0; i < goals.length && queries.length < nq; i += step) {
  queries.push(goals[i].title.split(/\s+/).slice(0, 2).join(" "));
}

const profile = fs.mkdtempSync(path.join(os.tmpdir(), "goalbook-search-probe-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
const times = [];
const firstKey = [];
let firstQueryBytes = null;
let firstQueryFiles = null;
try {
  const page = context.pages()[0] || (await context.newPage());
  const home = pathToFileURL(path.join(site, "index.html")).href;
  for (const [k, q] of queries.entries()) {
    const loaded = [];
    const onRequest = (req) => {
      const u = req.url();
      if (u.includes("/search/")) loaded.push(fileURLToPath(u));
    };
    page.on("request", onRequest);
    await page.goto(home, { waitUntil: "load" });
    for (let c = 0; c < q.length; c++) {
      const ms = await page.evaluate(async (ch) => {
        const input = document.getElementById("gb-search");
        const form = input.form;
        input.value += ch;
        const done = new Promise((resolve) => {
          const seen = new MutationObserver(() => { seen.disconnect(); resolve(); });
          seen.observe(form, { attributes: true, attributeFilter: ["data-done"] });
        });
        const t0 = performance.now();
        input.dispatchEvent(new Event("input", { bubbles: true }));
        await done;
        await new Promise((r) => requestAnimationFrame(() => r()));
        return performance.now() - t0;
      }, q[c]);
      times.push(ms);
      if (c === 0) firstKey.push(ms);
    }
    page.off("request", onRequest);
    if (k === 0) {
      const files = [...new Set(loaded)].filter((f) => fs.existsSync(f)); // a missing shard: no word begins so
      firstQueryFiles = files.map((f) => path.relative(site, f));
      firstQueryBytes = files.reduce((s, f) => s + fs.statSync(f).size, 0);
    }
  }
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const data = fs.statSync(path.join(site, "goals", "data.js")).size;
console.log(JSON.stringify({
  goals: goals.length,
  index,
  goals_data_bytes: data,
  first_query: { query: queries[0], files: firstQueryFiles, bytes: firstQueryBytes },
  keystrokes: times.length,
  median_ms: median(times),
  max_ms: Math.max(...times),
  first_keystroke_median_ms: median(firstKey),
  queries,
}));
