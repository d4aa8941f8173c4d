//! Kills at random moments (issue 13): `build` and `checkin` on a 10,000-goal
//! repository from `bench/gen.py` are killed with SIGKILL 20 times each.
//! After every kill the build folder is the old site or the complete new one,
//! every goal file parses with all its check-ins, and the next build leaves
//! nothing behind. The moments come from a seeded generator, so a failure can
//! be replayed; the assertions hold whatever the moment.
#![cfg(unix)]

use crate::common::{bin, repo_root};
use goalbook::load::SourceFile;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// Kills of each command; `GOALBOOK_KILLS` may ask for more (or, to try the
/// test quickly by hand, fewer).
fn kills() -> usize {
    std::env::var("GOALBOOK_KILLS").ok().and_then(|v| v.parse().ok()).unwrap_or(20)
}

/// A small seeded generator (xorshift), so the moments are reproducible.
struct Moments(u64);

impl Moments {
    fn next(&mut self, below: Duration) -> Duration {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        below.mul_f64((self.0 % 10_000) as f64 / 10_000.0)
    }
}

/// Whether two folders hold the same files with the same bytes (`diff -r`,
/// which is fast where hashing 350 MB in a debug build is not).
fn same_tree(a: &Path, b: &Path) -> bool {
    std::process::Command::new("diff")
        .args(["-rq", "--no-dereference"])
        .arg(a)
        .arg(b)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("diff runs")
        .success()
}

fn build(root: &Path, as_of: &str) -> std::process::Child {
    bin().args(["build", "--as-of", as_of]).arg(root).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap()
}

/// Runs `child` for `after`, then kills it; whether it finished by itself, and how.
fn kill_after(mut child: std::process::Child, after: Duration) -> (bool, Option<std::process::ExitStatus>) {
    let start = Instant::now();
    while start.elapsed() < after {
        if let Some(status) = child.try_wait().unwrap() {
            return (true, Some(status));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = child.kill();
    let status = child.wait().unwrap();
    // A child that exited just before the kill reports its own status.
    (status.code().is_some(), status.code().is_some().then_some(status))
}

/// The notes of a goal file's check-ins; panics when the file does not parse.
fn notes(root: &Path, rel: &str) -> Vec<String> {
    let text = std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let file = SourceFile {
        rel: rel.to_string(),
        path_id: rel.trim_start_matches("goals/").trim_end_matches(".md").to_string(),
        text: Some(text.clone()),
        unread: None,
    };
    let (goal, diags) = goalbook::model::read_goal(&file, &goalbook::Config::default());
    let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{rel} no longer parses: {errors:?}\n{text}");
    goal.unwrap().checkins.into_iter().filter_map(|c| c.note).collect()
}

#[test]
fn kills_during_build_and_checkin_lose_nothing_and_leave_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("python3")
        .arg(repo_root().join("bench/gen.py"))
        .args(["10000"])
        .arg(tmp.path().join("gen"))
        .stdout(Stdio::null())
        .status()
        .expect("python3 runs bench/gen.py");
    assert!(status.success());
    let root = tmp.path().join("gen/goals-repo");
    let before: Vec<String> = names(&root);

    // The two sites a build can leave: as of one day or the other.
    let days = ["2026-11-24", "2026-11-25"];
    let mut sites = Vec::new();
    let mut took = Duration::ZERO;
    for day in days {
        let start = Instant::now();
        let out = build(&root, day).wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        took = took.max(start.elapsed());
        let copy = tmp.path().join(format!("site-{day}"));
        let status = std::process::Command::new("cp").arg("-a").arg(root.join("book")).arg(&copy).status().unwrap();
        assert!(status.success());
        sites.push(copy);
    }
    assert!(!same_tree(&sites[0], &sites[1]));
    let mut current = 1;
    let mut moments = Moments(0x9e37_79b9_7f4a_7c15);
    let mut killed = 0;
    // Until KILLS builds were killed before they finished (a build that
    // finishes first is checked the same way).
    for k in 0..kills() * 3 {
        if killed == kills() {
            break;
        }
        let next = 1 - current;
        let (finished, status) = kill_after(build(&root, days[next]), moments.next(took));
        if let (true, Some(s)) = (finished, status) {
            assert!(s.success(), "build {k} failed on its own");
        } else {
            killed += 1;
        }
        let book = root.join("book");
        if same_tree(&book, &sites[next]) {
            current = next;
        } else {
            assert!(
                same_tree(&book, &sites[current]),
                "kill {k}: the build folder is neither the old site nor the new one"
            );
        }
    }
    assert_eq!(killed, kills(), "builds kept finishing before the kill");
    eprintln!("{} builds killed (a whole build takes {} ms here)", kills(), took.as_millis());

    // Check-ins: the goal files each one aims at, and the notes that landed.
    let mut goals: Vec<String> = walkdir::WalkDir::new(root.join("goals"))
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.path().strip_prefix(&root).unwrap().to_string_lossy().into_owned())
        .collect();
    goals.sort();
    let mut landed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    // How long a whole check-in takes here: the kills land anywhere in it.
    let start = Instant::now();
    let out = bin()
        .args(["checkin", goals[0].trim_start_matches("goals/").trim_end_matches(".md"), "1", "--date", "2026-11-20"])
        .args(["--note", "before the kills", "--dir"])
        .arg(&root)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut checkin_time = start.elapsed();
    let mut killed = 0;
    for k in 0..kills() * 3 {
        if killed == kills() {
            break;
        }
        // A few goals, so check-ins pile up in the same files.
        let rel = goals[(k * 7919) % 5].clone();
        let id = rel.trim_start_matches("goals/").trim_end_matches(".md");
        let note = format!("kill test {k}");
        let had = landed.entry(rel.clone()).or_insert_with(|| notes(&root, &rel)).clone();
        let child = bin()
            .args(["checkin", id, &(100 + k).to_string(), "--date", "2026-11-20", "--note", &note, "--dir"])
            .arg(&root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let start = Instant::now();
        let (finished, status) = kill_after(child, moments.next(checkin_time));
        let now = notes(&root, &rel);
        if let (true, Some(s)) = (finished, status) {
            assert!(s.success(), "check-in {k} failed on its own");
            checkin_time = checkin_time.max(start.elapsed());
            assert!(now.contains(&note), "check-in {k} reported success but is not in {rel}");
        } else {
            killed += 1;
        }
        // Nothing that landed before is lost; the new one is there whole or not at all.
        let mut expected: Vec<String> = had.iter().cloned().chain(now.contains(&note).then(|| note.clone())).collect();
        let mut sorted = now.clone();
        expected.sort();
        sorted.sort();
        assert_eq!(sorted, expected, "kill {k} in {rel}");
        landed.insert(rel, now);
    }
    assert_eq!(killed, kills(), "check-ins kept finishing before the kill");
    eprintln!("{} check-ins killed (a whole one takes {} ms here)", kills(), checkin_time.as_millis());
    for rel in &goals {
        notes(&root, rel);
    }

    // The next build completes and leaves nothing else in the repository.
    let out = build(&root, days[0]).wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut after = names(&root);
    after.retain(|n| n != "book");
    assert_eq!(after, before.iter().filter(|n| *n != "book").cloned().collect::<Vec<_>>());
    let debris: Vec<String> = walkdir::WalkDir::new(&root)
        .into_iter()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .filter(|p| p.contains(".goalbook-"))
        .collect();
    assert!(debris.is_empty(), "{debris:?}");
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}
