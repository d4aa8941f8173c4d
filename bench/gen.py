#!/usr/bin/env python3
"""Deterministic, seeded generator of a goals repository for benchmarks.

    python3 bench/gen.py N OUT_DIR [--seed S]

writes

    OUT_DIR/goals-repo/book.toml, OUT_DIR/goals-repo/goals/**.md   (SPEC format)
    OUT_DIR/hugo-site/hugo.toml, layouts/..., content/goals/**.md  (the same files)

The repository has exactly N goals. They form a cascade five levels deep, one
company objective per 200 goals:

    company objective (1)
      department objective (3)
        team objective (3 per department)
          key result of one person (5 per team), 3-8 check-ins
            initiative with a task list (3 per key result)
      kpi (2 per department, 1 for the company)

with four perspectives, teams and owners that grow with N, milestones,
`supports` links, aspirational goals and explicit `current` values. Bodies have
150-400 words with headings, lists, task lists and tables. Dates are in 2026,
check-ins on or before the as-of date 2026-11-24.

The Hugo site holds the same Markdown files under content/goals/, front matter
and body byte for byte, with a minimal page template.

Only the standard library is used, and one `random.Random(seed)` drives every
choice, so the same N and seed give the same tree, byte for byte.
"""

import argparse
import datetime as dt
import os
import random
import re
import sys

AS_OF = dt.date(2026, 11, 24)
WORD_RE = re.compile(r"\w+")
GOALS_PER_COMPANY_OBJECTIVE = 200

PERSPECTIVES = ["finance", "customer", "process", "learning"]
DEPARTMENTS = [
    "sales",
    "marketing",
    "finance",
    "engineering",
    "operations",
    "customer-success",
    "people",
    "product",
]
TEAM_WORDS = [
    "north",
    "south",
    "central",
    "enterprise",
    "sme",
    "platform",
    "mobile",
    "data",
    "payments",
    "logistics",
    "support",
    "growth",
    "retail",
    "partners",
    "cloud",
    "security",
]
FIRST = [
    "an", "binh", "chau", "dung", "giang", "ha", "hai", "hanh", "hieu", "hoa",
    "hung", "huong", "khanh", "lan", "linh", "long", "mai", "minh", "my", "nam",
    "ngoc", "nhung", "phong", "phuong", "quan", "quang", "son", "tam", "thanh", "thao",
    "thu", "thuy", "tien", "trang", "trung", "tuan", "tung", "van", "viet", "yen",
]
LAST = [
    "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang",
    "bui", "do", "ho", "ngo", "duong", "ly", "cao", "dinh", "mai", "truong",
]

VERBS = ["Grow", "Build", "Raise", "Win", "Strengthen", "Modernise", "Expand", "Simplify", "Deliver", "Protect"]
ADJECTIVES = [
    "profitable", "reliable", "loyal", "efficient", "scalable", "secure", "faster", "trusted", "skilled", "lean",
]
NOUNS = [
    "enterprise business", "customer base", "partner network", "delivery pipeline", "support desk",
    "cloud platform", "sales engine", "supply chain", "engineering team", "brand in the South",
    "billing system", "onboarding flow", "field service", "data platform", "hiring pipeline",
]
SEGMENTS = [
    "hotel chains", "restaurant groups", "factories", "schools", "clinics", "retail stores", "logistics firms",
    "SME owners", "public offices", "resorts",
]
METRICS = [
    ("qualified leads", ""),
    ("signed contracts", ""),
    ("monthly recurring revenue", "$"),
    ("gross margin", "%"),
    ("renewal rate", "%"),
    ("first response time", "h"),
    ("open support tickets", ""),
    ("deployment frequency per week", ""),
    ("escaped defects", ""),
    ("on-time deliveries", "%"),
    ("revenue", "₫"),
    ("trained engineers", ""),
    ("customer satisfaction", "%"),
    ("days sales outstanding", ""),
    ("active subscribers", ""),
    ("cost per lead", "$"),
]
ACTIONS = [
    "Run", "Launch", "Roll out", "Automate", "Migrate", "Redesign", "Pilot", "Document", "Train the team on", "Audit",
]
THINGS = [
    "the partner webinar series", "the self-service portal", "the onboarding checklist", "the pricing page",
    "the monitoring dashboards", "the warehouse scanners", "the quarterly survey", "the CRM clean-up",
    "the referral programme", "the incident runbooks", "the training curriculum", "the invoice reminders",
]
NOTES = [
    "Campaign live", "Two deals slipped to next month", "New hire started", "Vendor delivered late",
    "Ahead of plan", "Holiday week, slow", "Pilot customer signed", "Fixed the data export",
    "Budget approved", "Survey closed",
]
WORDS = (
    "the team customer partner project plan quarter revenue margin cost pipeline contract renewal support ticket "
    "release platform network hotel restaurant factory school clinic warehouse delivery invoice survey training "
    "hiring engineer manager dashboard report review target baseline forecast risk budget vendor price offer "
    "webinar campaign lead deal account region city market growth quality speed uptime incident backlog sprint "
    "process handbook checklist audit workshop meeting week month we will should can must with for from into "
    "over under after before during each every new better faster simpler clear shared weekly monthly local "
    "enterprise small medium large first second third main core key most more less and or but so because while"
).split()
TABLE_HEADS = [("Month", "Value", "Note"), ("Step", "Owner", "Status"), ("Risk", "Impact", "Mitigation")]


def toml_str(s):
    """A TOML basic string."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def slugify(s):
    out, dash = [], False
    for c in s.lower():
        if c.isascii() and c.isalnum():
            if dash and out:
                out.append("-")
            dash = False
            out.append(c)
        else:
            dash = True
    return "".join(out) or "_"


def fmt_num(x):
    """Integers without a fraction, others with one decimal."""
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.1f}"


class Gen:
    def __init__(self, n, seed):
        self.n = n
        self.r = random.Random(seed)
        self.count = 0
        self.files = []  # (relative path under goals/, text)
        self.kr_ids = []  # ids that `supports` may point to (key results and kpis generated so far)
        n_people = max(40, n // 8)
        self.people = []
        for i in range(n_people):
            first = FIRST[i % len(FIRST)]
            last = LAST[(i // len(FIRST)) % len(LAST)]
            round_ = i // (len(FIRST) * len(LAST))
            self.people.append(f"{first}.{last}" + (str(round_ + 1) if round_ else ""))
        # Teams per department grow with N (about one team per 60 goals overall).
        self.teams_per_dept = max(2, n // 60 // len(DEPARTMENTS))
        self.execs = self.people[: min(6, n_people)]

    # ---- text -------------------------------------------------------------

    def sentence(self, lo=8, hi=18):
        r = self.r
        words = r.choices(WORDS, k=r.randint(lo, hi))
        if r.random() < 0.3:
            words[r.randint(1, len(words) - 1)] = str(r.randint(2, 900))
        s = " ".join(words)
        return s[0].upper() + s[1:] + "."

    def paragraph(self, words):
        """Sentences of exactly `words` words in all (at least 4)."""
        out, left = [], max(4, words)
        while left > 0:
            k = min(left, self.r.randint(8, 18))
            if 0 < left - k < 4:
                k = left
            out.append(self.sentence(k, k))
            left -= k
        return " ".join(out)

    def body(self, tasks):
        """150-400 words (counted as runs of letters and digits): headings, a
        paragraph, a list or task list, a table, then sections of notes."""
        r = self.r
        goal = r.randint(150, 400)
        parts = []
        words = 0

        def add(text):
            nonlocal words
            parts.append(text)
            words += len(WORD_RE.findall(text))

        add("## Why\n" + self.paragraph(r.randint(30, 60)))
        items = []
        for _ in range(r.randint(3, 6)):
            s = self.sentence(4, 9)[:-1]
            items.append(f"- [{'x' if r.random() < 0.45 else ' '}] {s}" if tasks else f"- {s}")
        add("## Plan\n" + "\n".join(items))
        head = r.choice(TABLE_HEADS)
        rows = ["| " + " | ".join(head) + " |", "| --- | --- | --- |"]
        for i in range(r.randint(2, 4)):
            cells = [f"{head[0]} {i + 1}", str(r.randint(1, 500)), " ".join(r.choices(WORDS, k=3))]
            rows.append("| " + " | ".join(cells) + " |")
        add("## " + r.choice(["Measures", "Owners", "Risks"]) + "\n" + "\n".join(rows))
        sections = ["Notes", "Context", "Dependencies", "Open questions", "Lessons so far"]
        r.shuffle(sections)
        for name in sections:
            left = goal - words - len(name.split())
            if left < 4:
                break
            p = self.paragraph(min(120, left))
            if r.random() < 0.3:
                p = p.replace(" team ", " **team** ", 1)
            add(f"### {name}\n{p}")
        return "\n\n".join(parts) + "\n"

    # ---- goals ------------------------------------------------------------

    def room(self):
        return self.count < self.n

    def emit(self, path, front, body):
        self.count += 1
        self.files.append((path, "+++\n" + "\n".join(front) + "\n+++\n\n" + body))

    def uniq(self, title):
        words = slugify(title).split("-")[:5]
        return "-".join(words) + f"-{self.count + 1}"

    def run(self):
        u = 0
        while self.room():
            self.company(u)
            u += 1
        assert self.count == self.n
        return self.files

    def company(self, u):
        r = self.r
        title = f"{r.choice(VERBS)} a {r.choice(ADJECTIVES)} {r.choice(NOUNS)} for {r.choice(SEGMENTS)}"
        cid = "company/" + self.uniq(title)
        persp = PERSPECTIVES[u % 4]
        front = [
            f"title = {toml_str(title)}",
            'kind = "objective"',
            f"owner = {toml_str(self.execs[u % len(self.execs)])}",
            'team = "executive"',
            f"perspective = {toml_str(persp)}",
            'period = "2026"',
        ]
        self.emit(cid + ".md", front, self.body(False))
        depts = r.sample(DEPARTMENTS, 3)
        for d in depts:
            if not self.room():
                return
            self.department(cid, d)
        if self.room():
            self.kpi(cid, "executive", "company")

    def department(self, cid, dept):
        r = self.r
        title = f"{r.choice(VERBS)} the {r.choice(ADJECTIVES)} {r.choice(NOUNS)} in {dept.replace('-', ' ')}"
        did = f"{dept}/" + self.uniq(title)
        front = [
            f"title = {toml_str(title)}",
            'kind = "objective"',
            f"parent = {toml_str(cid)}",
            f"owner = {toml_str(r.choice(self.people))}",
            f"team = {toml_str(dept)}",
        ]
        if r.random() < 0.5:
            front.append(f"perspective = {toml_str(r.choice(PERSPECTIVES))}")
        front.append(f"period = {toml_str(r.choice(['2026', '2026-H2', '2026-H2']))}")
        if r.random() < 0.1:
            front.append('commitment = "aspirational"')
        self.emit(did + ".md", front, self.body(False))
        teams = r.sample(range(self.teams_per_dept), min(3, self.teams_per_dept))
        while len(teams) < 3:
            teams.append(teams[-1])
        for t in teams:
            if not self.room():
                return
            self.team(did, dept, t)
        for _ in range(2):
            if self.room():
                self.kpi(did, dept, dept)

    def team_name(self, dept, t):
        word = TEAM_WORDS[t % len(TEAM_WORDS)]
        rnd = t // len(TEAM_WORDS)
        return f"{dept}-{word}" + (f"-{rnd + 1}" if rnd else "")

    def team(self, did, dept, t):
        r = self.r
        team = self.team_name(dept, t)
        quarter = r.choice(["2026-Q3", "2026-Q4", "2026-Q4"])
        title = f"{r.choice(VERBS)} {r.choice(NOUNS)} for {r.choice(SEGMENTS)} in {quarter[-2:]}"
        tid = f"{dept}/{team}/" + self.uniq(title)
        # Members of a team: a stable slice of the people, so team pages are coherent.
        members = [self.people[(hash_int(team) + k * 7) % len(self.people)] for k in range(6)]
        front = [
            f"title = {toml_str(title)}",
            'kind = "objective"',
            f"parent = {toml_str(did)}",
            f"owner = {toml_str(members[0])}",
            f"team = {toml_str(team)}",
            f"period = {toml_str(quarter)}",
        ]
        if r.random() < 0.05:
            front.append("weight = 2")
        self.emit(tid + ".md", front, self.body(False))
        for k in range(5):
            if not self.room():
                return
            self.key_result(tid, dept, team, members[1 + k], quarter)

    def dates(self, start, end, k):
        """k distinct sorted dates in [start, end]."""
        span = (end - start).days + 1
        k = min(k, span)
        days = sorted(self.r.sample(range(span), k))
        return [start + dt.timedelta(days=d) for d in days]

    def key_result(self, tid, dept, team, owner, quarter):
        r = self.r
        metric, unit = r.choice(METRICS)
        decreasing = metric in ("first response time", "open support tickets", "escaped defects",
                                "days sales outstanding", "cost per lead")
        if unit == "%":
            baseline = r.randint(20, 80)
            target = min(99, baseline + r.randint(5, 20)) if not decreasing else max(1, baseline - r.randint(5, 15))
        else:
            baseline = r.randint(10, 2000)
            factor = r.uniform(0.4, 0.85) if decreasing else r.uniform(1.2, 2.6)
            target = round(baseline * factor)
        if target == baseline:
            target += -1 if decreasing else 1
        # Period: the team's quarter, one month of it, or explicit dates.
        q = int(quarter[-1])
        qstart = dt.date(2026, 3 * q - 2, 1)
        qend = dt.date(2026, 3 * q + 1, 1) - dt.timedelta(days=1) if q < 4 else dt.date(2026, 12, 31)
        roll = r.random()
        if roll < 0.7:
            period_lines = [f"period = {toml_str(quarter)}"]
            start, due = qstart, qend
        elif roll < 0.85:
            month = r.randint(3 * q - 2, min(3 * q, AS_OF.month))
            start = dt.date(2026, month, 1)
            due = (dt.date(2026, month + 1, 1) if month < 12 else dt.date(2027, 1, 1)) - dt.timedelta(days=1)
            period_lines = [f'period = "2026-{month:02d}"']
        else:
            start = qstart + dt.timedelta(days=r.randint(0, 14))
            due = qend - dt.timedelta(days=r.randint(0, 14))
            period_lines = [f"start = {start.isoformat()}", f"due = {due.isoformat()}"]
        verb = "Cut" if decreasing else "Raise"
        suffix = unit if unit in ("%", "h") else ""
        title = f"{verb} {metric} from {fmt_num(baseline)}{suffix} to {fmt_num(target)}{suffix} by {due.strftime('%d/%m')}"
        kid = f"{dept}/{team}/{slugify(owner)}/" + self.uniq(title)
        front = [
            f"title = {toml_str(title)}",
            'kind = "key-result"',
            f"parent = {toml_str(tid)}",
        ]
        if self.kr_ids and r.random() < 0.08:
            front.append(f"supports = [{toml_str(r.choice(self.kr_ids))}]")
        front += [f"owner = {toml_str(owner)}", f"team = {toml_str(team)}"]
        if r.random() < 0.2:
            front.append(f"perspective = {toml_str(r.choice(PERSPECTIVES))}")
        front += period_lines
        front += [
            f"metric = {toml_str(metric)}",
            f"unit = {toml_str(unit)}",
            f"baseline = {fmt_num(baseline)}",
            f"target = {fmt_num(target)}",
        ]
        # Check-ins: 3-8 dates in the period, on or before as_of, along a noisy pace.
        pace = r.uniform(0.4, 1.25)
        last_day = min(due, AS_OF)
        checkin_dates = self.dates(start + dt.timedelta(days=1), last_day, r.randint(3, 8))
        checkins = []
        for d in checkin_dates:
            frac = (d - start).days / max(1, (due - start).days)
            v = baseline + (target - baseline) * frac * pace * r.uniform(0.85, 1.1)
            checkins.append((d, round(v, 1) if unit == "%" else round(v)))
        if r.random() < 0.1:
            front.append(f"current = {fmt_num(checkins[-1][1])}")
        if r.random() < 0.2:
            front.append('commitment = "aspirational"')
        if r.random() < 0.1:
            front.append("weight = 2")
        for d, v in checkins:
            front += ["", "[[checkin]]", f"date = {d.isoformat()}", f"value = {fmt_num(v)}"]
            if r.random() < 0.7:
                front.append(f"confidence = {r.randint(50, 95) / 100}")
            if r.random() < 0.4:
                front.append(f"note = {toml_str(r.choice(NOTES))}")
        if r.random() < 0.3:
            md = start + dt.timedelta(days=(due - start).days // 2)
            front += ["", "[[milestone]]", f"date = {md.isoformat()}",
                      f"target = {fmt_num(round(baseline + (target - baseline) / 2))}"]
        self.emit(kid + ".md", front, self.body(r.random() < 0.3))
        self.kr_ids.append(kid)
        for _ in range(3):
            if not self.room():
                return
            self.initiative(kid, dept, team, owner, period_lines)

    def initiative(self, kid, dept, team, owner, period_lines):
        r = self.r
        title = f"{r.choice(ACTIONS)} {r.choice(THINGS)} for {r.choice(SEGMENTS)}"
        iid = f"{dept}/{team}/{slugify(owner)}/" + self.uniq(title)
        front = [
            f"title = {toml_str(title)}",
            'kind = "initiative"',
            f"parent = {toml_str(kid)}",
            f"owner = {toml_str(owner)}",
            f"team = {toml_str(team)}",
        ] + period_lines
        if r.random() < 0.2:
            front.append("done = true")
        self.emit(iid + ".md", front, self.body(True))

    def kpi(self, parent, team, folder):
        r = self.r
        metric, unit = r.choice(METRICS)
        decreasing = r.random() < 0.3
        target = r.randint(30, 95) if unit == "%" else r.randint(50, 5000)
        warning = round(target * (1.15 if decreasing else 0.85))
        title = f"Keep {metric} {'at or below' if decreasing else 'at or above'} {target}{unit if unit == '%' else ''}"
        kid = f"{folder}/kpi/" + self.uniq(title)
        front = [
            f"title = {toml_str(title)}",
            'kind = "kpi"',
            f"parent = {toml_str(parent)}",
            f"owner = {toml_str(r.choice(self.people))}",
            f"team = {toml_str(team)}",
            f"metric = {toml_str(metric)}",
            f"unit = {toml_str(unit)}",
            f"target = {target}",
            f"warning = {warning}",
            f"direction = {toml_str('decrease' if decreasing else 'increase')}",
        ]
        for d in self.dates(dt.date(2026, 1, 15), AS_OF, r.randint(3, 8)):
            v = round(target * r.uniform(0.75, 1.2))
            front += ["", "[[checkin]]", f"date = {d.isoformat()}", f"value = {v}"]
            if r.random() < 0.3:
                front.append(f"note = {toml_str(r.choice(NOTES))}")
        self.emit(kid + ".md", front, self.body(False))
        self.kr_ids.append(kid)


def hash_int(s):
    """A stable string hash (Python's hash() is randomised per process)."""
    h = 0
    for c in s.encode():
        h = (h * 131 + c) % 1_000_003
    return h


HUGO_CONFIG = """\
baseURL = "http://localhost/"
languageCode = "en"
title = "Benchmark company — {n} goals"
# Only pages, section lists and the home page, as in goalbook's site: no feeds, sitemap or taxonomies.
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
"""
HUGO_SINGLE = """\
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }} — {{ .Site.Title }}</title></head>
<body>
<nav><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a></nav>
<main>
<h1>{{ .Title }}</h1>
<p>{{ .Params.kind }} · {{ .Params.owner }} · {{ .Params.team }} · {{ .Params.period }}</p>
{{ .Content }}
</main>
</body>
</html>
"""
HUGO_LIST = """\
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }} — {{ .Site.Title }}</title></head>
<body>
<main>
<h1>{{ .Title }}</h1>
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul>
</main>
</body>
</html>
"""
HUGO_INDEX = """\
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Site.Title }}</title></head>
<body>
<main>
<h1>{{ .Site.Title }}</h1>
<p>{{ len .Site.RegularPages }} goals</p>
<ul>
{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul>
</main>
</body>
</html>
"""


class Writer:
    def __init__(self):
        self.made = set()

    def write(self, path, text):
        d = os.path.dirname(path)
        if d not in self.made:
            os.makedirs(d, exist_ok=True)
            self.made.add(d)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of goals")
    ap.add_argument("out", help="output folder (must not exist or be empty)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    a = ap.parse_args(argv)
    if a.n < 1:
        ap.error("N must be at least 1")
    if os.path.exists(a.out) and os.listdir(a.out):
        ap.error(f"{a.out} exists and is not empty; remove it first")
    files = Gen(a.n, a.seed).run()
    w = Writer()
    repo = os.path.join(a.out, "goals-repo")
    hugo = os.path.join(a.out, "hugo-site")
    w.write(
        os.path.join(repo, "book.toml"),
        f'[book]\ntitle = "Benchmark company — {a.n} goals"\nlanguage = "en"\n\n[org]\nfiscal-year-start = 1\n',
    )
    w.write(os.path.join(hugo, "hugo.toml"), HUGO_CONFIG.format(n=a.n))
    w.write(os.path.join(hugo, "layouts", "_default", "single.html"), HUGO_SINGLE)
    w.write(os.path.join(hugo, "layouts", "_default", "list.html"), HUGO_LIST)
    w.write(os.path.join(hugo, "layouts", "index.html"), HUGO_INDEX)
    for rel, text in files:
        w.write(os.path.join(repo, "goals", rel), text)
        w.write(os.path.join(hugo, "content", "goals", rel), text)
    print(f"wrote {len(files)} goals to {repo} and {hugo}", file=sys.stderr)


if __name__ == "__main__":
    main()
