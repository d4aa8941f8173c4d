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

/// A random valid goal file: key order, comments, line endings, a BOM,
/// earlier check-ins, `current`, milestones and the body all vary.
#[derive(Debug, Clone)]
struct GoalFile {
    text: String,
    checkins: usize,
    has_current: bool,
}

fn goal_file() -> impl Strategy<Value = GoalFile> {
    let note = "[a-zA-Z0-9 ữ'#=\\[\\]]{0,12}";
    (
        any::<bool>(),
        any::<bool>(),
        Just(vec![
            "title = \"Generate 400 marketing-qualified leads in Q4\"",
            "period = \"2026-Q4\"",
            "baseline = 50",
            "target   =   400 # the Q4 goal",
            "owner='lan.nguyen'",
        ])
        .prop_shuffle(),
        prop::option::of(prop_oneof![
            Just("current = 210"),
            Just("current = 12.5   # from the CRM"),
            Just("current=7")
        ]),
        prop::collection::vec((1u32..=31, 0u32..1000, prop::option::of(note), any::<bool>()), 0..4),
        any::<bool>(),
        prop::option::of("# [a-z ]{0,10}"),
        "[a-zA-Z0-9 #+\\-\\n]{0,40}",
    )
        .prop_map(|(crlf, bom, keys, current, checkins, milestone, trailing, body)| {
            let nl = if crlf { "\r\n" } else { "\n" };
            let mut front: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
            if let Some(c) = current {
                front.insert(1, c.to_string());
            }
            for (day, value, note, comment) in &checkins {
                front.push(String::new());
                front.push(if *comment { "[[checkin]]   # earlier".to_string() } else { "[[checkin]]".to_string() });
                front.push(format!("date = 2026-10-{day:02}"));
                front.push(format!("value = {value}"));
                if let Some(n) = note {
                    front.push(format!("note = '{}'", n.replace('\'', "")));
                }
            }
            if milestone {
                front.push(String::new());
                front.push("[[milestone]]".into());
                front.push("date = 2026-11-15".into());
                front.push("target = 250".into());
            }
            if let Some(t) = trailing {
                front.push(t);
            }
            let mut text = String::new();
            if bom {
                text.push('\u{feff}');
            }
            text.push_str("+++");
            text.push_str(nl);
            for l in &front {
                text.push_str(l);
                text.push_str(nl);
            }
            text.push_str("+++");
            text.push_str(nl);
            text.push_str(&body.replace('\n', nl));
            GoalFile { text, checkins: checkins.len(), has_current: current.is_some() }
        })
}

fn entry() -> impl Strategy<Value = goalbook::checkin::Entry> {
    (
        1u32..=61,
        prop_oneof![(-1000i64..100_000).prop_map(|v| v.to_string()), (0u32..100_000).prop_map(|v| format!("{}.25", v))],
        prop::option::of(prop_oneof![Just("0.8".to_string()), Just("1".to_string()), Just("0".to_string())]),
        prop::option::of("[a-zA-Z0-9 \"\\\\\n\t\r\u{1}ữ'#=\\[\\]]{0,16}"),
    )
        .prop_map(|(day, value, confidence, note)| goalbook::checkin::Entry {
            date: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap() + chrono::Days::new(u64::from(day) - 1),
            value,
            confidence,
            note,
            by: None,
        })
}

/// What `goalbook checkin` writes: the edit of [`goalbook::checkin::append`],
/// through the one writer ([`goalbook::write::edit_file`]), on a real file.
fn check_in(text: &str, e: &goalbook::checkin::Entry, update_current: bool) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.md");
    std::fs::write(&path, text).unwrap();
    let wrote =
        goalbook::write::edit_file(&path, |t| Ok(Some(goalbook::checkin::append(t, e, update_current)?.text))).unwrap();
    assert!(wrote);
    std::fs::read_to_string(&path).unwrap()
}

/// `a` and `b` without their common prefix and suffix: the bytes that differ.
fn middles<'a>(a: &'a str, b: &'a str) -> (&'a str, &'a str) {
    let pre = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let (a2, b2) = (&a.as_bytes()[pre..], &b.as_bytes()[pre..]);
    let suf = a2.iter().rev().zip(b2.iter().rev()).take_while(|(x, y)| x == y).count();
    (&a[pre..a.len() - suf], &b[pre..b.len() - suf])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_checkin_writer_adds_the_checkin_and_keeps_every_other_byte(file in goal_file(), e in entry()) {
        let kept = check_in(&file.text, &e, false);
        // The result parses, with the new check-in among the earlier ones.
        let source = SourceFile {
            rel: "goals/g.md".into(),
            path_id: "g".into(),
            text: Some(kept.strip_prefix('\u{feff}').unwrap_or(&kept).to_string()),
            unread: None,
        };
        let (goal, diags) = goalbook::model::read_goal(&source, &Config::default());
        let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
        prop_assert!(errors.is_empty(), "{errors:?}\n{kept}");
        let goal = goal.unwrap();
        prop_assert_eq!(goal.checkins.len(), file.checkins + 1);
        let value: f64 = e.value.parse().unwrap();
        // SPEC §1: strings are trimmed when read.
        let note = e.note.as_deref().map(str::trim);
        let new = goal.checkins.iter().find(|c| c.date == e.date && c.value == value && c.note.as_deref() == note);
        prop_assert!(new.is_some(), "{:?}\n{kept}", goal.checkins);
        // Every other byte is unchanged: the file differs only by an inserted block.
        let (removed, inserted) = middles(&file.text, &kept);
        prop_assert_eq!(removed, "");
        let nl = if file.text.contains("\r\n") { "\r\n" } else { "\n" };
        let block = format!("[[checkin]]{nl}date = {}{nl}value = {}{nl}", e.date, e.value);
        prop_assert!(kept.contains(&block), "{kept:?}");
        // The insertion is that table (its optional lines one line each) and
        // the line breaks that separate it, nothing more.
        let mut table = block.len();
        let mut rest = kept.split(&block).nth(1).unwrap().split(nl);
        if let Some(c) = &e.confidence {
            prop_assert_eq!(rest.next().unwrap(), format!("confidence = {c}"));
            table += format!("confidence = {c}{nl}").len();
        }
        if e.note.is_some() {
            let line = rest.next().unwrap();
            prop_assert!(line.starts_with("note = \"") && line.ends_with('"') && !line.contains('\r'), "{line:?}");
            table += line.len() + nl.len();
        }
        let extra = inserted.len() - table;
        prop_assert!([0, nl.len(), 2 * nl.len()].contains(&extra), "{inserted:?}");
        // With `current` updated, the only other change is its value.
        let updated = check_in(&file.text, &e, true);
        if file.has_current {
            let line = kept.find("current").unwrap();
            let eq = line + kept[line..].find('=').unwrap() + 1;
            let at = eq + kept[eq..].len() - kept[eq..].trim_start().len();
            let old_len = kept[at..].find(|c: char| c.is_whitespace()).unwrap();
            let expected = format!("{}{}{}", &kept[..at], e.value, &kept[at + old_len..]);
            prop_assert_eq!(updated, expected);
        } else {
            prop_assert_eq!(updated, kept);
        }
    }
}
