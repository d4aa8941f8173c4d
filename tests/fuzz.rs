//! No input makes goalbook panic (SPEC §2): random bytes and random mutations
//! of valid goal files and `book.toml` go through load, model, compute, lint
//! and the goals.json export. Bounded so it runs in CI.

use chrono::NaiveDate;
use goalbook::Config;
use goalbook::load::{SourceFile, split_front_matter};
use proptest::prelude::*;

const GOAL: &str = include_str!("fixtures/spec-example/goals/marketing/q4-mqls.md");
const PARENT: &str = include_str!("fixtures/spec-example/goals/company/grow-b2b.md");
const BOOK: &str = "[book]\ntitle = \"Acme\"\nlanguage = \"vi\"\n[build]\ngoals-dir = \"goals\"\n[org]\nfiscal-year-start = 4\n[status]\non-track = 0.9\nat-risk = 0.7\nstale-after-days = 21\n[lint]\nmax-growth = 3.0\nsmart-specific = \"error\"\n[output.html]\nsite-url = \"/x/\"\nallow-html = true\n";

/// Fragments that are likely to reach interesting code paths.
const TOKENS: &[&str] = &[
    "+++",
    "\n",
    "\r\n",
    "=",
    "\"",
    "'",
    "[",
    "]",
    "[[checkin]]\n",
    "[[milestone]]\n",
    "date = 2026-02-30\n",
    "date = 9999-12-31\n",
    "date = 0000-01-01\n",
    "due = 1970-01-01\n",
    "start = 9999-12-31\n",
    "value = 1e308\n",
    "value = -1e308\n",
    "target = 0\n",
    "baseline = 0\n",
    "current = nan\n",
    "current = inf\n",
    "weight = -1\n",
    "weight = 0\n",
    "kind = \"kpi\"\n",
    "kind = \"initiative\"\n",
    "kind = \"objective\"\n",
    "parent = \"company/grow-b2b\"\n",
    "parent = \"marketing/q4-mqls\"\n",
    "id = \"../x\"\n",
    "id = \"company/grow-b2b\"\n",
    "period = \"9999-Q4\"\n",
    "period = \"0000\"\n",
    "direction = \"decrease\"\n",
    "confidence = 2\n",
    "- [ ] task\n",
    "```\n",
    "ữ",
    "\u{feff}",
    "\0",
    "fiscal-year-start = 12\n",
    "{",
    "}",
    "0x7fffffffffffffff",
    "-9223372036854775808",
    "1_000",
    ".5",
];

fn mutate(base: &str, ops: &[(u8, usize, usize, usize)]) -> Vec<u8> {
    let mut bytes = base.as_bytes().to_vec();
    for &(op, a, b, t) in ops {
        let len = bytes.len().max(1);
        let (a, b) = (a % len, b % len);
        let (lo, hi) = (a.min(b), a.max(b));
        match op % 4 {
            0 => {
                bytes.drain(lo..hi.min(bytes.len()));
            }
            1 => {
                let tok = TOKENS[t % TOKENS.len()].as_bytes();
                let at = lo.min(bytes.len());
                bytes.splice(at..at, tok.iter().copied());
            }
            2 => {
                if let Some(x) = bytes.get_mut(lo) {
                    *x = t as u8;
                }
            }
            _ => {
                let chunk: Vec<u8> = bytes[lo.min(bytes.len())..hi.min(bytes.len())].to_vec();
                let at = b.min(bytes.len());
                bytes.splice(at..at, chunk);
            }
        }
    }
    bytes
}

fn run(book: &[u8], goals: &[(&str, Vec<u8>)], as_of: NaiveDate) {
    let (config, diags) = match std::str::from_utf8(book) {
        Ok(t) => Config::parse("book.toml", t),
        Err(_) => (Config::default(), Vec::new()),
    };
    let files: Vec<SourceFile> = goals
        .iter()
        .map(|(id, bytes)| SourceFile {
            rel: format!("goals/{id}.md"),
            path_id: id.to_string(),
            text: String::from_utf8(bytes.clone()).ok(),
            unread: None,
        })
        .collect();
    for f in &files {
        if let Some(t) = &f.text {
            let _ = split_front_matter(t);
        }
    }
    let project = goalbook::project_from_files(config, &files, as_of, diags);
    for d in &project.diagnostics {
        assert!(d.line >= 1);
        assert!(!d.message.is_empty());
    }
    let json = goalbook::export::goals_json(&project.repo, &project.numbers, project.as_of);
    assert!(json.starts_with('{'));
    for format in
        [goalbook::diagnostic::Format::Text, goalbook::diagnostic::Format::Json, goalbook::diagnostic::Format::Github]
    {
        let _ = goalbook::diagnostic::render(&project.diagnostics, format);
    }
}

fn ops() -> impl Strategy<Value = Vec<(u8, usize, usize, usize)>> {
    prop::collection::vec((any::<u8>(), any::<usize>(), any::<usize>(), any::<usize>()), 0..8)
}

fn as_of() -> impl Strategy<Value = NaiveDate> {
    (1960i32..2300, 1u32..13, 1u32..29).prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(book in prop::collection::vec(any::<u8>(), 0..200),
                                goal in prop::collection::vec(any::<u8>(), 0..400),
                                as_of in as_of()) {
        run(&book, &[("a", goal.clone()), ("b", goal)], as_of);
    }

    #[test]
    fn mutated_goal_files_never_panic(g1 in ops(), g2 in ops(), b in ops(), as_of in as_of()) {
        let goal = mutate(GOAL, &g1);
        let parent = mutate(PARENT, &g2);
        let book = mutate(BOOK, &b);
        run(&book, &[("marketing/q4-mqls", goal.clone()), ("company/grow-b2b", parent), ("x/copy", goal)], as_of);
    }

    #[test]
    fn mutated_text_with_prefixed_front_matter_never_panics(g in ops(), as_of in as_of()) {
        let mut goal = b"+++\n".to_vec();
        goal.extend(mutate(&GOAL[4..], &g));
        run(b"", &[("a", goal)], as_of);
    }
}
