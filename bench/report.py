#!/usr/bin/env python3
"""Turns the raw figures of bench/run into the Markdown of bench/RESULTS.md.

    python3 bench/report.py RESULTS.tsv SERVE.json --root ROOT --work WORK --goalbook BIN
                            [--rev REV] [--as-of D] [--seed S] [--write bench/RESULTS.md]
    python3 bench/report.py site DEST N     (JSON: which pages of SPEC §5 a build wrote)

Prints the report; with --write, puts it between the `bench/run` markers of
the file (created when missing), keeping the hand-written text around them.
The report reads WORK/site-N.json, written by the second form.
"""

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys

BEGIN = "<!-- bench/run: begin (generated; edit outside the markers) -->"
END = "<!-- bench/run: end -->"
MIB = 1024


def sh(*cmd, cwd=None):
    try:
        return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def read_results(path):
    rows = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            name, n, runs, walls, rsses, cpus, cmd = line.rstrip("\n").split("\t")
            walls = [float(x) for x in walls.split(",")]
            rsses = [int(x) for x in rsses.split(",")]
            cpus = [float(x) for x in cpus.split(",")]
            rows[(name, int(n))] = {
                "runs": int(runs),
                "walls": walls,
                "median": statistics.median(walls),
                "min": min(walls),
                "max": max(walls),
                "rss_kib": max(rsses),
                "cpu": statistics.median(cpus),
                "cmd": cmd,
            }
    return rows


def machine():
    model, mem_kib = "unknown", 0
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    mem_kib = int(line.split()[1])
    except OSError:
        pass
    return model, os.cpu_count(), mem_kib


def site_pages(dest, n):
    """What the goalbook build wrote, against the pages of SPEC §5."""
    if not os.path.isdir(dest):
        return None
    files, size = 0, 0
    goal_pages = 0
    largest = (0, "")
    for d, _, names in os.walk(dest):
        for name in names:
            files += 1
            b = os.path.getsize(os.path.join(d, name))
            size += b
            if name.endswith(".html") and b > largest[0]:
                largest = (b, os.path.relpath(os.path.join(d, name), dest))
        rel = os.path.relpath(d, dest)
        if rel.startswith("goals" + os.sep) and "index.html" in names:
            goal_pages += 1

    def count(folder):
        p = os.path.join(dest, folder)
        if not os.path.isdir(p):
            return 0
        return sum(1 for x in os.listdir(p) if os.path.isfile(os.path.join(p, x, "index.html")))

    def has(rel, needle=None):
        p = os.path.join(dest, rel)
        if not os.path.isfile(p):
            return False
        if needle is None:
            return True
        with open(p, "rb") as f:
            return needle in f.read()

    checks = [
        ("`index.html` (dashboard)", has("index.html")),
        (f"`goals/<id>/index.html` for all {n:,} goals", goal_pages >= n, f"{goal_pages:,}"),
        ("`cascade/index.html` with an inline SVG diagram", has("cascade/index.html", b"<svg")),
        ("`scorecard/index.html`", has("scorecard/index.html")),
        ("`teams/<team>/index.html`", count("teams") > 0, f"{count('teams'):,}"),
        ("`people/<owner>/index.html`", count("people") > 0, f"{count('people'):,}"),
        ("`periods/<period>/index.html`", count("periods") > 0, f"{count('periods'):,}"),
        ("`handouts/<period>/index.html`", count("handouts") > 0, f"{count('handouts'):,}"),
        ("`goals/index.html` (every goal in one table)", has("goals/index.html")),
        ("`search/index.js` (the search index)", has("search/index.js")),
        ("`goals.json`", has("goals.json")),
        ("`404.html`", has("404.html")),
    ]
    return {"files": files, "bytes": size, "largest_html": {"bytes": largest[0], "path": largest[1]},
            "checks": checks, "complete": all(c[1] for c in checks)}


def fmt_s(x):
    return f"{x:.3f} s" if x < 10 else f"{x:.2f} s"


def fmt_mib(kib):
    return f"{kib / MIB:,.0f} MiB"


def main():
    if sys.argv[1:2] == ["site"]:
        # bench/report.py site DEST N: what a build wrote, as JSON (before the output is removed)
        print(json.dumps(site_pages(sys.argv[2], int(sys.argv[3]))))
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("serve")
    ap.add_argument("--root", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--as-of", default="2026-11-24")
    ap.add_argument("--seed", default="1")
    ap.add_argument("--write")
    ap.add_argument("--goalbook", required=True)
    ap.add_argument("--rev", default="unknown", help="git revision of the measured binary")
    a = ap.parse_args()

    rows = read_results(a.results)
    with open(a.serve, encoding="utf-8") as f:
        serve = json.load(f)
    sizes = sorted({n for _, n in rows})
    model, cpus, mem_kib = machine()
    gb_version = sh(a.goalbook, "--version")
    hugo_version = sh("hugo", "version")
    rustc = sh("rustc", "-V")
    shm_type = sh("stat", "-f", "-c", "%T", a.work)

    out = []
    w = out.append
    w(BEGIN)
    w("")
    w(f"Measured on {dt.date.today().isoformat()} by `bench/run`"
      + (" (without N = 100,000)" if 100000 not in sizes else "") + ".")
    w("")
    w("### Machine and versions")
    w("")
    w(f"- CPU: {model}, {cpus} cores (`nproc`); RAM {mem_kib / MIB / 1024:.1f} GiB; "
      f"Linux {platform.release()}")
    w(f"- work folder `{a.work}` on `{shm_type}` (corpora and outputs)")
    try:
        with open(os.path.join(a.work, "load.txt"), encoding="utf-8") as f:
            load = dict(line.split(" ", 1) for line in f.read().splitlines())
        w(f"- load average (1, 5, 15 min) before the measurements: {load.get('start', '?')}; after: "
          f"{load.get('end', '?')}. On a shared machine other processes' load slows every command; the CPU "
          "time column is less sensitive to it than the wall time.")
    except (OSError, ValueError):
        pass
    rev = a.rev.split(" ", 1)
    w(f"- goalbook: `{gb_version}`, git `{rev[0]}`" + (f" {rev[1]}" if len(rev) > 1 else "")
      + " when it was built (`cargo build --release --locked`, copied to the work folder for the run)")
    w(f"- {rustc}; Hugo: `{hugo_version}`; Python {platform.python_version()} (generator)")
    w("")
    w("### Commands")
    w("")
    w(f"Corpora: `python3 bench/gen.py N {a.work}/nN --seed {a.seed}` (N goals; the same Markdown files in a "
      "goals repository and a Hugo site). Each command below ran once as a warm-up, then the number of timed "
      "runs shown; the output folder was removed before every run, outside the timing. Wall time is measured "
      "around `/usr/bin/time -f '%M %U %S'`, which gives the peak RSS and the CPU time.")
    w("")
    w("```sh")
    for (name, n), r in sorted(rows.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        w(r["cmd"])
    w("```")
    w("")
    w("### Figures")
    w("")
    w("| N | command | runs | median wall | min – max | CPU (user+sys) | peak RSS |")
    w("| ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    for n in sizes:
        for name in ("goalbook-build", "hugo", "goalbook-check"):
            r = rows.get((name, n))
            if r:
                label = {"goalbook-build": "`goalbook build`", "hugo": "`hugo`", "goalbook-check": "`goalbook check`"}
                w(f"| {n:,} | {label[name]} | {r['runs']} | {fmt_s(r['median'])} | "
                  f"{r['min']:.3f} – {r['max']:.3f} | {r['cpu']:.2f} s | {fmt_mib(r['rss_kib'])} |")
    w("")
    for n in sizes:
        b, h = rows.get(("goalbook-build", n)), rows.get(("hugo", n))
        if b and h:
            w(f"- N = {n:,}: goalbook / Hugo = {b['median'] / h['median']:.3f}")
    w("")

    site = {}
    for n in sizes:
        try:
            with open(os.path.join(a.work, f"site-{n}.json"), encoding="utf-8") as f:
                site[n] = json.load(f)
        except OSError:
            site[n] = None
    w("### What `goalbook build` wrote")
    w("")
    complete = True
    ref = 10000 if 10000 in sizes else sizes[-1]
    s = site.get(ref)
    if s is None:
        complete = False
        w(f"No output found for N = {ref:,}.")
    else:
        big = s.get("largest_html")
        largest = f" The largest HTML page is `{big['path']}`, {big['bytes'] / 1e6:.2f} MB (SPEC §5: ≤ 1 MB)." if big else ""
        w(f"N = {ref:,}: {s['files']:,} files, {s['bytes'] / 1024 / 1024:,.1f} MiB in all.{largest} The pages of SPEC §5:")
        w("")
        for c in s["checks"]:
            extra = f" ({c[2]})" if len(c) > 2 else ""
            w(f"- [{'x' if c[1] else ' '}] {c[0]}{extra}")
        complete = s["complete"]
        if not complete:
            w("")
            w("**The site is not complete yet**, so the build figures measure only what the build does today; "
              "a build target below is met only when the whole site is written.")
    w("")

    # ---- targets ----------------------------------------------------------
    def verdict(ok, needs_site=True):
        if ok is None:
            return "not measured"
        if not ok:
            return "**not met**"
        if needs_site and not complete:
            return "within the figure, but the site is incomplete: not met yet"
        return "met"

    b10, h10 = rows.get(("goalbook-build", 10000)), rows.get(("hugo", 10000))
    b100 = rows.get(("goalbook-build", 100000))
    c10 = rows.get(("goalbook-check", 10000))
    targets = []
    if b10:
        targets.append(("N = 10,000: `goalbook build` ≤ 0.8 s", fmt_s(b10["median"]), verdict(b10["median"] <= 0.8)))
    else:
        targets.append(("N = 10,000: `goalbook build` ≤ 0.8 s", "–", verdict(None)))
    if b10 and h10:
        ratio = b10["median"] / h10["median"]
        targets.append(("N = 10,000: ≤ 0.3 × Hugo's time", f"{ratio:.3f} × ({fmt_s(h10['median'])} for Hugo)",
                        verdict(ratio <= 0.3)))
    else:
        targets.append(("N = 10,000: ≤ 0.3 × Hugo's time", "–", verdict(None)))
    targets.append(("N = 10,000: peak RSS ≤ 300 MiB", fmt_mib(b10["rss_kib"]) if b10 else "–",
                    verdict(b10["rss_kib"] <= 300 * MIB if b10 else None)))
    targets.append(("N = 100,000: `goalbook build` ≤ 10 s", fmt_s(b100["median"]) if b100 else "–",
                    verdict(b100["median"] <= 10 if b100 else None)))
    targets.append(("N = 100,000: peak RSS ≤ 2 GiB", fmt_mib(b100["rss_kib"]) if b100 else "–",
                    verdict(b100["rss_kib"] <= 2048 * MIB if b100 else None)))
    if b10 and b100:
        lin = b100["median"] / b10["median"]
        targets.append(("time(100k) / time(10k) ≤ 12", f"{lin:.2f}", verdict(lin <= 12)))
    else:
        targets.append(("time(100k) / time(10k) ≤ 12", "–", verdict(None)))
    targets.append(("N = 10,000: `goalbook check` ≤ 0.4 s", fmt_s(c10["median"]) if c10 else "–",
                    verdict(c10["median"] <= 0.4 if c10 else None, needs_site=False)))
    if "error" in serve:
        targets.append(("N = 10,000: `serve` rebuild after a save ≤ 120 ms", serve["error"], "not measured"))
    else:
        p = serve["probe"]
        if "error" in p:
            targets.append(("N = 10,000: `serve` rebuild after a save ≤ 120 ms", p["error"], "not measured"))
        else:
            med = p["median"]
            runs = ", ".join(f"{x * 1000:.0f}" for x in p["runs"])
            targets.append((f"N = {serve['n']:,}: `serve` rebuild after a save ≤ 120 ms",
                            f"{med * 1000:.0f} ms (median of {len(p['runs'])}: {runs} ms)",
                            verdict(med <= 0.120)))
    search = None
    try:
        with open(os.path.join(a.work, f"search-{ref}.json"), encoding="utf-8") as f:
            search = json.load(f)
    except OSError:
        pass
    if search:
        fq = search["first_query"]
        targets.append((f"N = {search['goals']:,}: search, keystroke to results ≤ 100 ms (median)",
                        f"{search['median_ms']:.1f} ms (max {search['max_ms']:.1f} ms, {search['keystrokes']} keystrokes)",
                        verdict(search["median_ms"] <= 100, needs_site=False)))
        big = s.get("largest_html") if s else None
        if big:
            targets.append((f"N = {ref:,}: no HTML page over 1 MB", f"{big['bytes'] / 1e6:.2f} MB (`{big['path']}`)",
                            verdict(big["bytes"] <= 1_000_000, needs_site=False)))
    else:
        targets.append(("N = 10,000: search, keystroke to results ≤ 100 ms (median)", "–", verdict(None)))
    w("### Targets of issues 8, 14 and 17 (the strictest of each)")
    w("")
    w("| target | measured (median) | verdict |")
    w("| --- | --- | --- |")
    for t in targets:
        w(f"| {t[0]} | {t[1]} | {t[2]} |")
    if "error" not in serve and "error" not in serve["probe"]:
        w("")
        p = serve["probe"]
        w(f"`serve` timing (N = {serve['n']:,}): `python3 bench/serve_probe.py` starts `goalbook serve` (with "
          f"`TMPDIR` on tmpfs as well), saves `goals/{serve['goal']}` with a new title, and does what an open "
          "browser tab does: it holds the page's live-reload long poll open and notes when it answers (the browser "
          f"told to reload), then fetches `{p['url']}` until the new title is served (polling every millisecond "
          "when there is no reload script). The times are from the end of the save; a round counts the later of "
          "the two. Each save waits until the server has used no CPU for 0.3 s, so it starts from an idle "
          f"server; one warm-up round, then {len(p['runs'])}.")
        w("")
        w(f"- page served changed after: {', '.join(f'{x * 1000:.0f}' for x in p['page'])} ms")
        if p.get("reload"):
            w(f"- reload told after: {', '.join(f'{x * 1000:.0f}' for x in p['reload'])} ms")
        else:
            w("- reload told after: not detected (no live-reload script found in the page)")
    if search:
        fq = search["first_query"]
        w("")
        w(f"Search (N = {search['goals']:,}, `node bench/search_probe.mjs`, headless Chromium, the site opened from "
          f"`file://`): the index is {search['index']['files']:,} files, {search['index']['bytes'] / 1e6:.2f} MB in "
          f"all (`search/`), and the all-goals table's data `goals/data.js` {search['goals_data_bytes'] / 1e6:.2f} MB. "
          f"The first query, \"{fq['query']}\" typed one key at a time, loads {fq['bytes'] / 1e3:,.0f} kB: "
          f"{', '.join('`' + f + '`' for f in fq['files'])}. Each query types the first two words of a goal's title "
          "into a freshly opened dashboard, one character at a time, and each keystroke is timed in the page from "
          "its `input` event to the frame after the results are in the DOM (shards load on the first keystrokes "
          f"of a query): median {search['median_ms']:.1f} ms, first keystroke of a query "
          f"{search['first_keystroke_median_ms']:.1f} ms (median), slowest {search['max_ms']:.1f} ms.")
    w("")
    w(END)
    text = "\n".join(out) + "\n"
    print(text)
    if a.write:
        if os.path.exists(a.write):
            with open(a.write, encoding="utf-8") as f:
                old = f.read()
        else:
            old = "# goalbook benchmark results\n\n" + BEGIN + "\n" + END + "\n"
        if BEGIN in old and END in old:
            head, rest = old.split(BEGIN, 1)
            tail = rest.split(END, 1)[1]
            new = head + text.rstrip("\n") + tail
        else:
            new = old.rstrip("\n") + "\n\n" + text
        with open(a.write, "w", encoding="utf-8") as f:
            f.write(new)
        print(f"wrote {a.write}", file=sys.stderr)


if __name__ == "__main__":
    main()
