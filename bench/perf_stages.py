#!/usr/bin/env python3
"""Groups the samples of `perf script -F tid,ip,sym` (with call graphs) of a
goalbook build by stage and by kind of work; used by bench/profile.

    perf script -i perf.data -F tid,ip,sym | python3 bench/perf_stages.py

A sample's stage is the first rule below that matches any function on its
stack (so a chart drawn for a goal page counts as the chart, not the page);
its kind is decided by the leaf function. Percentages are of all samples.
"""

import collections
import re
import sys

STAGES = [
    ("handouts", ["goalbook::render::handout::"]),
    ("goals.json", ["goalbook::export::"]),
    ("list rows rendered once (render::pages::row_html)", ["goalbook::render::pages::row_html"]),
    ("goal pages: cascade diagram SVG (render::diagram::cascade)", ["goalbook::render::diagram::cascade"]),
    ("goal pages: progress chart SVG (render::chart)", ["goalbook::render::chart::"]),
    ("goal pages: Markdown body (render::markdown)", ["goalbook::render::markdown::"]),
    ("file writes (output::write_file)", ["goalbook::output::write_file", "Out::put"]),
    ("goal pages: HTML written natively (render::native::goal_page)", ["native::goal_page"]),
    ("goal pages: view structs (+ Tera when goal.html is overridden)", ["GoalPage", "goal_page_with"]),
    ("team/person/period list pages", ["ListPage", "native::list_page"]),
    ("directories (teams/, people/, periods/)", ["DirectoryPage"]),
    ("scorecard page", ["ScorecardPage"]),
    ("cascade page", ["CascadePage"]),
    ("dashboard", ["Dashboard"]),
    ("load: read + TOML parse", ["goalbook::model::read_goal", "goalbook::load::"]),
    ("model, compute, lint", ["goalbook::model::", "goalbook::compute::", "goalbook::lint::"]),
    # Which page a Tera render belongs to shows only in perf's inlined `page<…Page>` frames, which perf
    # resolves in some runs and not in others (addr2line); unresolved page renders land here.
    ("pages, type not resolved (mostly goal pages)", ["goalbook::render::"]),
]
KINDS = [
    ("malloc/free", re.compile(r"^(_int_malloc|_int_free|malloc|cfree|free|malloc_consolidate|unlink_chunk|"
                               r"realloc|_int_realloc|sysmalloc|tcache|__libc_|_?mi_)")),
    ("memmove/memcpy/memcmp", re.compile(r"^__mem(move|cpy|cmp|set)")),
    ("serde_json Value / BTreeMap", re.compile(r"serde_json|btree")),
    ("HTML escaping", re.compile(r"escape_html")),
    ("number formatting", re.compile(r"flt2dec|bignum|fmt::float|Locale::number|core::fmt")),
    ("Tera", re.compile(r"^<?tera::")),
]


def main():
    stages, kinds = collections.Counter(), collections.Counter()
    total = 0
    frames, kernel_leaf = [], False

    def flush():
        nonlocal total, frames, kernel_leaf
        if frames:
            total += 1
            stage = "other"
            for name, needles in STAGES:
                if any(n in f for f in frames for n in needles):
                    stage = name
                    break
            stages[stage] += 1
            if kernel_leaf:
                kinds["kernel (file system, page faults)"] += 1
            else:
                for name, rx in KINDS:
                    if rx.search(frames[0]):
                        kinds[name] += 1
                        break
                else:
                    kinds["other user code"] += 1
        frames, kernel_leaf = [], False

    for line in sys.stdin:
        if not line.startswith("\t"):  # a sample's header line, or the blank line after it
            flush()
            continue
        parts = line.strip().split(None, 1)
        if not frames:
            kernel_leaf = parts[0].startswith("ffffffff")
        frames.append(parts[1] if len(parts) > 1 else "")
    flush()
    if not total:
        sys.exit("perf_stages: no samples with call graphs on stdin")
    print(f"{total} samples")
    print("by stage:")
    for name, n in stages.most_common():
        print(f"  {100 * n / total:5.1f} %  {name}")
    print("by kind of work (leaf function):")
    for name, n in kinds.most_common():
        print(f"  {100 * n / total:5.1f} %  {name}")


if __name__ == "__main__":
    main()
