// Browser checks of a built goalbook site (run by .ci/run):
//   1. the Nu HTML Checker (vnu.jar) finds no error in any page;
//   2. axe-core in headless Chromium finds no serious or critical violation
//      on the dashboard, a goal page, the cascade and the scorecard, in light
//      and dark mode;
//   3. at 1280 px and 390 px those pages do not overflow horizontally and
//      their charts and diagrams are visible with a non-zero size;
//   4. no page requests anything from another host.
// Screenshots go to the artifacts folder. Every missing piece is a failure.
//
// usage: node check.mjs SITE_DIR ARTIFACTS_DIR [GOAL_PAGE]

import { chromium } from "playwright-core";
import vnuJarPath from "vnu-jar";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

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
];
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
              return { w: r.width, h: r.height, visible: s.visibility !== "hidden" && s.display !== "none" };
            }),
          );
          if (boxes.length === 0) fail(`${label}: no ${selector} on the page`);
          boxes.forEach((b, k) => {
            if (!(b.visible && b.w > 0 && b.h > 0)) {
              fail(`${label}: ${selector} #${k} is not visible (${b.w}×${b.h})`);
            }
          });
        }

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
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(`\n${failures.length} browser check(s) failed`);
  process.exit(1);
}
console.log("\nall browser checks passed");
