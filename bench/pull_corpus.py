#!/usr/bin/env python3
"""Gives every goal of a bench/gen.py repository a file source, in place.

    python3 bench/pull_corpus.py REPO

For `goalbook pull` over N goals (issue 15): every top folder of goals/ gets
`data/<folder>.csv` (`goal,value`) and `data/<folder>.json`
(`{"goals": {"<id>": {"value": ...}}}`); even goals read the CSV with
`where = { goal = "<id>" }`, odd ones the JSON through a JSON Pointer. So
every goal has a source and each data file serves many goals (`pull` reads
each once). Every value differs from the goal's current value, so a first
pull writes N check-ins and a second writes none. Deterministic: no
randomness, files in sorted order.
"""

import json
import os
import sys


def add_source(text, source):
    """`text` with the `[source]` table before the first table header."""
    end = text.index("\n+++", 3)
    at = text.find("\n[", 0, end)
    if at == -1:
        return text[: end + 1] + "\n" + source + text[end + 1 :]
    return text[: at + 1] + source + "\n" + text[at + 1 :]


def main(repo):
    goals_dir = os.path.join(repo, "goals")
    paths = []
    for dirpath, _, files in os.walk(goals_dir):
        paths.extend(os.path.join(dirpath, f) for f in files if f.endswith(".md"))
    paths.sort()
    csv_rows, json_docs = {}, {}
    for i, path in enumerate(paths):
        gid = os.path.relpath(path, goals_dir)[: -len(".md")].replace(os.sep, "/")
        group = gid.split("/")[0] if "/" in gid else "top"
        value = 100000 + i  # no goal of the corpus is anywhere near
        if i % 2 == 0:
            csv_rows.setdefault(group, []).append((gid, value))
            source = (
                f'[source]\nkind = "csv"\npath = "data/{group}.csv"\ncolumn = "value"\n'
                f'where = {{ goal = "{gid}" }}\n'
            )
        else:
            json_docs.setdefault(group, {})[gid] = {"value": value}
            pointer = "/goals/" + gid.replace("~", "~0").replace("/", "~1") + "/value"
            source = f'[source]\nkind = "json"\npath = "data/{group}.json"\npointer = "{pointer}"\n'
        with open(path, encoding="utf-8") as f:
            text = f.read()
        with open(path, "w", encoding="utf-8") as f:
            f.write(add_source(text, source))
    os.makedirs(os.path.join(repo, "data"), exist_ok=True)
    for group, rows in sorted(csv_rows.items()):
        with open(os.path.join(repo, "data", group + ".csv"), "w", encoding="utf-8") as f:
            f.write("goal,value\n")
            f.writelines(f"{g},{v}\n" for g, v in rows)
    for group, goals in sorted(json_docs.items()):
        with open(os.path.join(repo, "data", group + ".json"), "w", encoding="utf-8") as f:
            json.dump({"goals": goals}, f, sort_keys=True)
    print(len(paths))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
