#!/usr/bin/env python3
"""Times a rebuild in `goalbook serve` after one goal file is saved.

    python3 bench/serve_probe.py GOALBOOK REPO GOAL_FILE [--runs 5] [--as-of 2026-11-24]

Starts `GOALBOOK serve REPO --port P` (P a free port; as-of passed through
SOURCE_DATE_EPOCH, SPEC §3), waits until the goal's page is served, then, for
a warm-up and RUNS timed rounds, each once the server has been idle (no CPU
used) for 0.3 s: rewrites GOAL_FILE in place with a new title
(as an editor saving the file does) and polls the goal's page over HTTP every
millisecond until the new title is in it. The time from the end of the write
to the first response that holds the new title is one measurement.

When the served page carries goalbook's live-reload script (a long poll of
`/__goalbook/reload?since=GENERATION`), the probe does what the browser does:
it holds that long poll open during the save, notes when it answers (the
browser told to reload), and only then fetches the page (polling again only if
the page has not changed yet). A round counts the later of the two times.

It prints one line of JSON: {"runs": [...seconds...], "median": s, "page": [...],
"reload": [...] or null, "url": ...}.
Exit 1 with a message on stderr when serve does not start or never updates.
The file is restored and the server stopped at the end (only the process this
script started).
"""

import argparse
import datetime as dt
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time

# The page URL of a goal is slugified as the generator (and goalbook) does it.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen import slugify  # noqa: E402

# goalbook's live-reload script: `var g=GENERATION; ... fetch("/__goalbook/reload?since="+g ...`
RELOAD_RE = re.compile(rb'"(/__goalbook/reload)\?since=')
GENERATION_RE = re.compile(rb"var g=(\d+)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path, timeout=5.0):
    """(status, body) or (None, None) when nothing answers."""
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        c.request("GET", path, headers={"Cache-Control": "no-cache"})
        r = c.getresponse()
        body = r.read()
        c.close()
        return r.status, body
    except (OSError, http.client.HTTPException):
        return None, None


def cpu_ticks(pid):
    """User + system CPU time of a process, in clock ticks (Linux); None elsewhere."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None


def wait_idle(pid, quiet=0.3, limit=120.0):
    """Waits until the server has used no CPU for `quiet` seconds (work left
    from the last save, such as handouts rendered after the reload, is done),
    so each save is timed from an idle server."""
    deadline = time.monotonic() + limit
    last = cpu_ticks(pid)
    if last is None:
        time.sleep(1.0)
        return
    still = time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.05)
        now = cpu_ticks(pid)
        if now is None:
            return
        if now > last:
            last, still = now, time.monotonic()
        elif time.monotonic() - still >= quiet:
            return


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("goalbook")
    ap.add_argument("repo")
    ap.add_argument("goal_file", help="path of the goal file, relative to REPO/goals")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--as-of", default="2026-11-24")
    ap.add_argument("--start-timeout", type=float, default=300.0)
    ap.add_argument("--edit-timeout", type=float, default=300.0)
    a = ap.parse_args()

    path = os.path.join(a.repo, "goals", a.goal_file)
    with open(path, encoding="utf-8") as f:
        original = f.read()
    m = re.search(r'^title = "(.*)"$', original, re.M)
    if not m:
        sys.exit(f"serve_probe: no title line in {path}")
    gid = a.goal_file[: -len(".md")]
    slug = "/".join(slugify(s) for s in gid.split("/"))
    candidates = [f"/goals/{slug}/index.html", f"/goals/{slug}/"]

    port = free_port()
    as_of = dt.date.fromisoformat(a.as_of)
    epoch = int(dt.datetime(as_of.year, as_of.month, as_of.day, 12, tzinfo=dt.timezone.utc).timestamp())
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(epoch))
    log = open(os.path.join(os.path.dirname(os.path.abspath(a.repo)), "serve.log"), "wb")
    proc = subprocess.Popen(
        [a.goalbook, "serve", a.repo, "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, env=env
    )
    try:
        url = None
        deadline = time.monotonic() + a.start_timeout
        while url is None:
            if proc.poll() is not None:
                sys.exit(f"serve_probe: `goalbook serve` exited with {proc.returncode}; see {log.name}")
            if time.monotonic() > deadline:
                sys.exit(f"serve_probe: the goal page was not served within {a.start_timeout} s")
            for c in candidates:
                status, body = get(port, c)
                if status == 200 and m.group(1).encode() in body:
                    url = c
                    break
            else:
                time.sleep(0.05)

        runs, page_times, reload_times = [], [], []
        for i in range(a.runs + 1):
            wait_idle(proc.pid)
            marker = f"bench-edit-{i}-{os.getpid()}"
            text = original.replace(m.group(0), f'title = "{m.group(1)} {marker}"', 1)
            # The live-reload long poll, as the open page would have it.
            status, body = get(port, url)
            reload_path = RELOAD_RE.search(body or b"")
            generation = GENERATION_RE.search(body or b"")
            told = {}
            waiter = None
            if reload_path and generation:
                poll = f"{reload_path.group(1).decode()}?since={generation.group(1).decode()}"

                def wait(poll=poll, told=told, since=generation.group(1)):
                    s, answer = get(port, poll, timeout=a.edit_timeout + 30)
                    # The server answers with the new generation (or the old one when its long poll times out).
                    if s == 200 and answer.strip() != since:
                        told["at"] = time.perf_counter()

                waiter = threading.Thread(target=wait, daemon=True)
                waiter.start()
                time.sleep(0.05)  # the long poll is waiting in the server
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            t0 = time.perf_counter()
            needle = marker.encode()
            if waiter is not None:
                # Like the browser: wait for the reload signal, then fetch the page. Polling the page meanwhile
                # would take CPU from the rebuild on a small machine.
                waiter.join(a.edit_timeout)
            while True:
                status, body = get(port, url)
                if status == 200 and needle in body:
                    break
                if time.perf_counter() - t0 > a.edit_timeout:
                    sys.exit(f"serve_probe: the page {url} did not change within {a.edit_timeout} s of the edit")
                time.sleep(0.001)
            page = time.perf_counter() - t0
            told_after = None
            if waiter is not None:
                waiter.join(a.edit_timeout)
                if told.get("at") is not None:
                    told_after = max(0.0, told["at"] - t0)
            if i > 0:  # the first round is the warm-up
                page_times.append(page)
                reload_times.append(told_after)
                runs.append(max(page, told_after or 0.0))
        have_reload = all(x is not None for x in reload_times)
        print(
            json.dumps(
                {
                    "runs": runs,
                    "median": statistics.median(runs),
                    "page": page_times,
                    "reload": reload_times if have_reload else None,
                    "url": url,
                }
            )
        )
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


if __name__ == "__main__":
    main()
