//! `goalbook build`: goals.json (SPEC §6), determinism, the atomic build folder
//! and the refusal of unsafe build folders.

use crate::common::{bin, copy_to_temp, fixture, repo_root, temp_repo};
use serde_json::{Value, json};
use std::path::Path;

fn build(dir: &Path, dest: &Path) -> std::process::Output {
    bin().args(["build", "--as-of", "2026-11-24", "--dest"]).arg(dest).arg(dir).output().unwrap()
}

#[test]
fn goals_json_reproduces_the_spec_example() {
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().join("site");
    let o = build(&fixture("spec-example"), &dest);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(dest.join("goals.json")).unwrap()).unwrap();
    assert_eq!(doc["schema"], 1);
    assert_eq!(doc["title"], "Acme 2026 goals");
    assert_eq!(doc["as_of"], "2026-11-24");
    let ids: Vec<&str> = doc["goals"].as_array().unwrap().iter().map(|g| g["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["company/grow-b2b", "customer/nps", "marketing/q4-mqls"]);
    let expected = json!({
      "id": "marketing/q4-mqls", "title": "Generate 400 marketing-qualified leads in Q4", "kind": "key-result",
      "parent": "company/grow-b2b", "children": [], "supports": ["customer/nps"],
      "owner": "lan.nguyen", "team": "marketing", "perspective": "customer",
      "period": "2026-Q4", "start": "2026-10-01", "due": "2026-12-31",
      "commitment": "committed", "weight": 1.0, "metric": "MQLs", "unit": "",
      "baseline": 50.0, "target": 400.0, "current": 210.0,
      "progress": 0.45714285714285713, "expected": 0.5934065934065934,
      "elapsed": 0.5934065934065934,
      "status": "at-risk", "score": 0.46, "days_left": 37,
      "forecast": 320.13157894736844, "forecast_progress": 0.7718045112781955,
      "smart": {"specific": true, "measurable": true, "achievable": true,
                "relevant": true, "time_bound": true},
      "url": "goals/marketing/q4-mqls/index.html"
    });
    assert_eq!(doc["goals"][2], expected);
    // Key order follows the spec, and the company objective lists its children.
    let text = std::fs::read_to_string(dest.join("goals.json")).unwrap();
    let text = &text[text.find("\"id\": \"marketing/q4-mqls\"").unwrap()..];
    let keys =
        ["\"id\"", "\"title\"", "\"kind\"", "\"parent\"", "\"children\"", "\"supports\"", "\"owner\"", "\"url\""];
    let pos: Vec<usize> = keys.iter().map(|k| text.find(k).unwrap()).collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "{pos:?}");
    assert_eq!(doc["goals"][0]["children"], json!(["customer/nps", "marketing/q4-mqls"]));
    assert_eq!(doc["goals"][0]["current"], Value::Null);
}

#[test]
fn two_builds_of_the_demo_are_byte_identical() {
    let out = tempfile::tempdir().unwrap();
    let (a, b) = (out.path().join("a"), out.path().join("b"));
    assert!(build(&repo_root(), &a).status.success());
    assert!(build(&repo_root(), &b).status.success());
    let ja = std::fs::read(a.join("goals.json")).unwrap();
    assert!(ja.len() > 10_000);
    assert_eq!(ja, std::fs::read(b.join("goals.json")).unwrap());
    // Every file of the two builds is the same.
    for entry in walkdir::WalkDir::new(&a) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(&a).unwrap();
            assert_eq!(std::fs::read(entry.path()).unwrap(), std::fs::read(b.join(rel)).unwrap(), "{}", rel.display());
        }
    }
}

#[test]
fn source_date_epoch_sets_as_of() {
    let repo = copy_to_temp(&fixture("spec-example"));
    let dest = repo.path().join("out");
    // 2026-11-24T12:00:00Z
    let o = bin()
        .env("SOURCE_DATE_EPOCH", "1795521600")
        .args(["build", "--dest"])
        .arg(&dest)
        .arg(repo.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(dest.join("goals.json")).unwrap()).unwrap();
    assert_eq!(doc["as_of"], "2026-11-24");
}

/// SPEC §3: `--as-of`, else `SOURCE_DATE_EPOCH`, else `[build] as-of`, else today.
#[test]
fn build_as_of_in_book_toml_comes_after_the_flag_and_the_environment() {
    let repo = copy_to_temp(&fixture("spec-example"));
    let book = std::fs::read_to_string(repo.path().join("book.toml")).unwrap();
    std::fs::write(repo.path().join("book.toml"), format!("{book}\n[build]\nas-of = 2026-10-15\n")).unwrap();
    let as_of = |env: Option<&str>, flag: Option<&str>| -> String {
        let dest = repo.path().join("out");
        let mut c = bin();
        if let Some(e) = env {
            c.env("SOURCE_DATE_EPOCH", e);
        }
        c.args(["build", "--dest"]).arg(&dest).arg(repo.path());
        if let Some(f) = flag {
            c.args(["--as-of", f]);
        }
        let o = c.output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(dest.join("goals.json")).unwrap()).unwrap();
        doc["as_of"].as_str().unwrap().to_string()
    };
    assert_eq!(as_of(None, None), "2026-10-15", "[build] as-of pins the date");
    // 2026-11-24T12:00:00Z
    assert_eq!(as_of(Some("1795521600"), None), "2026-11-24", "SOURCE_DATE_EPOCH comes first");
    assert_eq!(as_of(Some("1795521600"), Some("2026-12-01")), "2026-12-01", "--as-of comes before both");
}

/// The demo pins `as-of = 2026-11-24`: a build without a date gives the
/// same goals.json as one with it, whatever today is.
#[test]
fn the_demo_reads_the_same_every_day() {
    let out = tempfile::tempdir().unwrap();
    let (pinned, dated) = (out.path().join("pinned"), out.path().join("dated"));
    assert!(bin().args(["build", "--dest"]).arg(&pinned).arg(repo_root()).output().unwrap().status.success());
    assert!(build(&repo_root(), &dated).status.success());
    let json = |d: &Path| std::fs::read_to_string(d.join("goals.json")).unwrap();
    assert_eq!(json(&pinned), json(&dated));
    assert!(json(&pinned).contains("\"as_of\": \"2026-11-24\""));
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let repo = copy_to_temp(&fixture("spec-example"));
    let dest = repo.path().join("book");
    assert!(build(repo.path(), &dest).status.success());
    let before = std::fs::read(dest.join("goals.json")).unwrap();
    std::fs::write(dest.join("extra.txt"), "kept").unwrap();
    std::fs::write(repo.path().join("goals/broken.md"), "+++\ntitle = \n+++\n").unwrap();
    let o = build(repo.path(), &dest);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("goals/broken.md:2: error[parse]"));
    assert_eq!(std::fs::read(dest.join("goals.json")).unwrap(), before);
    assert_eq!(std::fs::read_to_string(dest.join("extra.txt")).unwrap(), "kept");
    // No staging folders are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(repo.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("goalbook-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // Fixed, the next build replaces the folder (the stray file goes).
    std::fs::remove_file(repo.path().join("goals/broken.md")).unwrap();
    assert!(build(repo.path(), &dest).status.success());
    assert!(!dest.join("extra.txt").exists());
}

#[test]
fn unsafe_build_dirs_are_refused_and_nothing_is_deleted() {
    let repo = copy_to_temp(&fixture("spec-example"));
    let root = repo.path();
    let count = || walkdir::WalkDir::new(root).into_iter().count();
    let files = count();
    for dest in
        [root.to_path_buf(), root.join("goals"), root.join("goals/marketing"), root.join("."), root.join("goals/..")]
    {
        let o = build(root, &dest);
        assert_eq!(o.status.code(), Some(2), "{}", dest.display());
        assert!(String::from_utf8_lossy(&o.stderr).contains("refusing"), "{}", String::from_utf8_lossy(&o.stderr));
    }
    // A folder that holds the repository.
    let o = build(root, root.parent().unwrap());
    assert_eq!(o.status.code(), Some(2));
    // `build-dir` in book.toml is checked the same way.
    std::fs::write(root.join("book.toml"), "[build]\nbuild-dir = \"goals\"\n").unwrap();
    let o = bin().args(["build", "--as-of", "2026-11-24"]).arg(root).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    // A non-empty folder goalbook did not make is not replaced.
    let mine = tempfile::tempdir().unwrap();
    std::fs::write(mine.path().join("thesis.txt"), "precious").unwrap();
    let o = build(root, mine.path());
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(mine.path().join("thesis.txt")).unwrap(), "precious");
    assert_eq!(count(), files);
}

#[test]
fn no_book_toml_and_empty_book_toml_build() {
    let repo = temp_repo(&[(
        "goals/a.md",
        "+++\ntitle = \"Generate 400 MQLs in Q4\"\nperiod = \"2026-Q4\"\ntarget = 400\n+++\n",
    )]);
    assert!(build(repo.path(), &repo.path().join("book")).status.success());
    std::fs::write(repo.path().join("book.toml"), "").unwrap();
    assert!(build(repo.path(), &repo.path().join("book")).status.success());
    assert!(repo.path().join("book/goals.json").exists());
}

#[test]
fn bom_crlf_and_nested_folders_load() {
    let text = "\u{feff}+++\r\ntitle = \"Generate 400 MQLs in Q4\"\r\nperiod = \"2026-Q4\"\r\ntarget = 400\r\ntitel = 1\r\n+++\r\nBody\r\n";
    let repo = temp_repo(&[("goals/a/b/c/deep.md", text)]);
    let o = bin().args(["check", "--format", "json", "--as-of", "2026-11-24"]).arg(repo.path()).output().unwrap();
    let diags: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap();
    let unknown: Vec<&Value> = diags.iter().filter(|d| d["code"] == "unknown-field").collect();
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0]["file"], "goals/a/b/c/deep.md");
    assert_eq!(unknown[0]["line"], 5);
}
