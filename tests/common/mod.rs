//! Helpers shared by the integration tests: run the real binary, copy fixtures.
#![allow(dead_code)]

pub mod html;
pub mod numbers;
pub mod workflow;

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_goalbook"));
    c.env_remove("SOURCE_DATE_EPOCH");
    c
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a folder tree into a fresh temporary folder.
pub fn copy_to_temp(src: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(src, tmp.path());
    tmp
}

pub fn copy_dir(src: &Path, dst: &Path) {
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(src).unwrap();
        let to = dst.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
}

/// Writes `files` (path, text) under a fresh temporary folder.
pub fn temp_repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for (p, text) in files {
        let path = tmp.path().join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    tmp
}

/// A repository of one period with more goals than a handout details and
/// more behind their pace than it lists, in every shape the template knows;
/// with `perspective`, its top objective (and so every goal) has that one.
pub fn big_repo(perspective: Option<&str>) -> tempfile::TempDir {
    let perspective = perspective.map(|p| format!("perspective = \"{p}\"\n")).unwrap_or_default();
    let mut files: Vec<(String, String)> = vec![
        ("book.toml".into(), "[book]\ntitle = \"Big & <Bold> Co\"\nlanguage = \"en\"\n".into()),
        (
            "goals/co/year.md".into(),
            format!("+++\ntitle = \"Grow the <company> in 2026\"\nkind = \"objective\"\nowner = \"ceo\"\nteam = \"Exec\"\nperiod = \"2026\"\n{perspective}+++\n"),
        ),
        (
            "goals/co/q4.md".into(),
            "+++\ntitle = \"Win the \\\"Q4\\\" push\"\nkind = \"objective\"\nparent = \"co/year\"\nteam = \"Exec\"\nperiod = \"2026-Q4\"\n+++\n".into(),
        ),
        (
            "goals/co/hire.md".into(),
            "+++\ntitle = \"Hire three engineers\"\nkind = \"initiative\"\nparent = \"co/year\"\nowner = \"hr\"\nperiod = \"2026\"\n+++\n- [x] post the job\n- [ ] interview\n".into(),
        ),
        (
            "goals/ops/uptime.md".into(),
            "+++\ntitle = \"Uptime\"\nkind = \"kpi\"\nparent = \"co/year\"\nowner = \"ops\"\nunit = \"%\"\ntarget = 99.9\nwarning = 99.5\ncurrent = 99.7\n+++\n".into(),
        ),
    ];
    for n in 0..3 {
        files.push((
            format!("goals/loose/l{n}.md"),
            format!(
                "+++\ntitle = \"Loose goal {n} 'quoted'\"\nkind = \"key-result\"\nperiod = \"2026-11\"\nbaseline = 0\ntarget = 10\n\n[[checkin]]\ndate = 2026-11-01\nvalue = {n}\n+++\n"
            ),
        ));
    }
    for n in 0..175 {
        let parent = match n % 10 {
            3 => format!("kr/k{:03}", n - 1),
            k if k % 2 == 0 => "co/year".to_string(),
            _ => "co/q4".to_string(),
        };
        let mut text = format!(
            "+++\ntitle = \"Key result {n} <{}>\"\nkind = \"key-result\"\nparent = \"{parent}\"\nperiod = \"2026-Q4\"\nmetric = \"things & stuff\"\nunit = \"₫\"\nbaseline = 0\ntarget = 100\n",
            n % 4
        );
        if n % 7 != 0 {
            text.push_str(&format!("owner = \"person {}\"\n", n % 6));
        }
        match n % 5 {
            0 => {}
            1 => text.push_str("team = \"Team <A>\"\n"),
            2 => text.push_str("team = \"team-a\"\n"),
            _ => text.push_str(&format!("team = \"Team {}\"\n", n % 3)),
        }
        if n % 11 == 0 {
            text.push_str("commitment = \"aspirational\"\n");
        }
        let checkins = n % 6;
        for c in 0..checkins {
            text.push_str(&format!(
                "\n[[checkin]]\ndate = 2026-{:02}-{:02}\nvalue = {}\n",
                10 + c / 3,
                5 + (c % 3) * 9,
                (n % 60) + c * 3
            ));
            if c % 2 == 1 {
                text.push_str("confidence = 0.6\n");
            }
            if c == 2 {
                text.push_str(&format!("note = \"note <{n}> & more\"\n"));
            }
        }
        if n % 9 == 0 {
            text.push_str(
                "\n[[milestone]]\ndate = 2026-10-20\ntarget = 20\nnote = \"first <step>\"\n\n[[milestone]]\ndate = 2026-12-10\ntarget = 70\n",
            );
        }
        text.push_str("+++\n");
        files.push((format!("goals/kr/k{n:03}.md"), text));
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    temp_repo(&refs)
}
