//! `goalbook pull` against real sources (SPEC §7): files (CSV, JSON, SQLite),
//! commands, an HTTP server on loopback (CSV, JSON, a slow one, a 500, a
//! redirect, malformed bodies, a header with a secret) and a throw-away
//! PostgreSQL cluster. Each kind: the value lands as a `by = "pull"` check-in,
//! a second pull writes nothing, a failing source leaves its file untouched
//! and the others land, and no secret appears in any output or file.

use crate::common;
use crate::common::{bin, temp_repo};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;

const BOOK: &str = "[book]\ntitle = \"Pull test\"\nlanguage = \"en\"\n";

/// A key result of 2026-Q4 with `source` (TOML) as its `[source]` table.
fn goal(title: &str, source: &str) -> String {
    format!(
        "+++\ntitle = \"{title} in Q4 2026\"\nowner = \"lan\"\nperiod = \"2026-Q4\"\nbaseline = 0\ntarget = 1000\n\n[source]\n{source}\n+++\n\nBody.\n"
    )
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn pull(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut c = bin();
    c.arg("pull").arg(root).arg("--date").arg("2026-11-24").args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// Every file of the repository, by relative path.
fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (e.path().strip_prefix(root).unwrap().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap()
}

/// The check-in `pull` appends for `value` on 2026-11-24, at the end of the front matter.
fn landed(value: &str) -> String {
    format!("\n\n[[checkin]]\ndate = 2026-11-24\nvalue = {value}\nby = \"pull\"\n+++\n")
}

fn sqlite_file(path: &Path) {
    let db = rusqlite::Connection::open(path).unwrap();
    db.execute_batch(
        "create table leads (id integer primary key, stage text, amount real);
         insert into leads (stage, amount) values ('MQL', 10.5), ('MQL', 20), ('SQL', 7), ('MQL', 1);
         create table notes (t text); insert into notes values ('12.5%'), ('n/a');",
    )
    .unwrap();
}

#[test]
fn file_and_command_sources_land_once() {
    let tmp = temp_repo(&[
        ("book.toml", BOOK),
        ("data/leads.csv", "month,mqls,won\n2026-10,80,3\n2026-11,\"1,260\",5\n"),
        ("data/crm.json", "{\"data\": [{\"value\": 321.5}, {\"value\": \"42%\"}]}"),
        ("goals/csv-last.md", &goal("CSV last row", "kind = \"csv\"\npath = \"data/leads.csv\"\ncolumn = \"mqls\"")),
        (
            "goals/csv-where.md",
            &goal(
                "CSV filtered row",
                "kind = \"csv\"\npath = \"data/leads.csv\"\ncolumn = \"won\"\nwhere = { month = \"2026-10\" }\nscale = 10",
            ),
        ),
        (
            "goals/json.md",
            &goal("JSON pointer", "kind = \"json\"\npath = \"data/crm.json\"\npointer = \"/data/0/value\""),
        ),
        (
            "goals/json-text.md",
            &goal("JSON text cell", "kind = \"json\"\npath = \"data/crm.json\"\npointer = \"/data/1/value\""),
        ),
        (
            "goals/sqlite.md",
            &goal(
                "SQLite count",
                "kind = \"sql\"\nconnection = \"sqlite:data/crm.sqlite\"\nquery = \"select count(*) from leads where stage = 'MQL'\"",
            ),
        ),
        (
            "goals/sqlite-real.md",
            &goal(
                "SQLite sum",
                "kind = \"sql\"\nconnection = \"sqlite:data/crm.sqlite\"\nquery = \"select sum(amount) from leads\"",
            ),
        ),
        ("goals/command.md", &goal("Command output", "kind = \"command\"\nrun = \"printf '  77\\\\n'\"")),
    ]);
    let root = tmp.path();
    sqlite_file(&root.join("data/crm.sqlite"));
    let before = snapshot(root);

    let r = pull(root, &[], &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.stderr, "");
    for (file, value) in [
        ("goals/csv-last.md", "1260"),
        ("goals/csv-where.md", "30"),
        ("goals/json.md", "321.5"),
        ("goals/json-text.md", "42"),
        ("goals/sqlite.md", "3"),
        ("goals/sqlite-real.md", "38.5"),
        ("goals/command.md", "77"),
    ] {
        let text = read(root, file);
        let old = String::from_utf8(before[file].clone()).unwrap();
        // Only the check-in was added; every other byte is as it was.
        let expected = old.replacen("\n+++\n", &landed(value), 1);
        assert_eq!(text, expected, "{file}");
    }
    assert!(r.stdout.contains("goals/csv-last.md: recorded check-in 2026-11-24 = 1260 (was 0)\n"), "{}", r.stdout);
    assert!(
        r.stdout.ends_with("pull: 7 source(s) read, 7 check-in(s) written, 0 unchanged, 0 failed\n"),
        "{}",
        r.stdout
    );

    // The check-ins are valid goal files: `check` has no errors.
    let check = bin().arg("check").arg(root).arg("--as-of").arg("2026-11-24").output().unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", String::from_utf8_lossy(&check.stdout));

    let after = snapshot(root);
    let again = pull(root, &[], &[]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(snapshot(root), after, "a second pull changes nothing");
    assert_eq!(again.stdout, "pull: 7 source(s) read, 0 check-in(s) written, 7 unchanged, 0 failed\n");

    // A new value lands as a second check-in.
    std::fs::write(root.join("data/leads.csv"), "month,mqls,won\n2026-11,1300,5\n").unwrap();
    let third = pull(root, &["--goal", "csv-last"], &[]);
    assert_eq!(
        third.stdout,
        "goals/csv-last.md: recorded check-in 2026-11-24 = 1300 (was 1260)\npull: 1 source(s) read, 1 check-in(s) written, 0 unchanged, 0 failed\n"
    );
    assert!(
        read(root, "goals/csv-last.md")
            .ends_with("by = \"pull\"\n\n[[checkin]]\ndate = 2026-11-24\nvalue = 1300\nby = \"pull\"\n+++\n\nBody.\n")
    );
}

#[test]
fn current_is_updated_and_dry_run_writes_nothing() {
    let text = "+++\ntitle = \"Hand-kept current in Q4 2026\"\nperiod = \"2026-Q4\"\ntarget = 100\ncurrent = 10 # kept by hand\n\n[source]   # from the CRM\nkind = \"command\"\nrun = \"echo 55\"\n\n[[checkin]]\ndate = 2026-10-01\nvalue = 10\n+++\n";
    let tmp = temp_repo(&[("book.toml", BOOK), ("goals/kr.md", text)]);
    let root = tmp.path();
    let dry = pull(root, &["--dry-run"], &[]);
    assert_eq!(dry.code, 0);
    assert_eq!(
        dry.stdout,
        "goals/kr.md: would record check-in 2026-11-24 = 55 (was 10)\npull: 1 source(s) read, 1 check-in(s) to write, 0 unchanged, 0 failed\n"
    );
    assert_eq!(read(root, "goals/kr.md"), text);
    let r = pull(root, &[], &[]);
    assert_eq!(r.code, 0);
    assert_eq!(
        read(root, "goals/kr.md"),
        text.replace("current = 10 #", "current = 55 #").replace(
            "value = 10\n+++\n",
            "value = 10\n\n[[checkin]]\ndate = 2026-11-24\nvalue = 55\nby = \"pull\"\n+++\n"
        )
    );
}

#[test]
fn a_failing_source_is_reported_and_the_others_land() {
    let good = goal("Good one", "kind = \"command\"\nrun = \"echo 5\"");
    let failing = [
        (
            "goals/no-column.md",
            goal("No column", "kind = \"csv\"\npath = \"data/a.csv\"\ncolumn = \"mqlz\""),
            "no column `mqlz`; did you mean `mqls`? the columns are: month, mqls",
        ),
        (
            "goals/no-file.md",
            goal("No file", "kind = \"csv\"\npath = \"data/none.csv\"\ncolumn = \"mqls\""),
            "cannot read `data/none.csv`: no such file",
        ),
        (
            "goals/no-row.md",
            goal("No row", "kind = \"csv\"\npath = \"data/a.csv\"\ncolumn = \"mqls\"\nwhere = { month = \"2030-01\" }"),
            "no row has month = \"2030-01\"",
        ),
        (
            "goals/not-number.md",
            goal("Not a number", "kind = \"csv\"\npath = \"data/a.csv\"\ncolumn = \"month\""),
            "column `month`: `2026-11` is not a number",
        ),
        (
            "goals/bad-json.md",
            goal("Bad JSON", "kind = \"json\"\npath = \"data/bad.json\"\npointer = \"/a\""),
            "not valid JSON: ",
        ),
        (
            "goals/no-pointer.md",
            goal("No pointer", "kind = \"json\"\npath = \"data/ok.json\"\npointer = \"/b\""),
            "nothing at JSON Pointer `/b`",
        ),
        (
            "goals/exit.md",
            goal("Command fails", "kind = \"command\"\nrun = \"echo oops >&2; exit 3\""),
            "the command exited with status 3: oops",
        ),
        (
            "goals/leaky.md",
            goal(
                "Command leaks its token",
                "kind = \"command\"\nrun = \"echo token=${GOALBOOK_TEST_TOKEN} >&2; exit 2\"",
            ),
            "the command exited with status 2: token=***",
        ),
        (
            "goals/words.md",
            goal("Command words", "kind = \"command\"\nrun = \"echo many\""),
            "its output: `many` is not a number",
        ),
        (
            "goals/sql-error.md",
            goal(
                "SQL error",
                "kind = \"sql\"\nconnection = \"sqlite:data/crm.sqlite\"\nquery = \"select nope from leads\"",
            ),
            "the query failed: no such column: nope",
        ),
        (
            "goals/sql-empty.md",
            goal(
                "SQL empty",
                "kind = \"sql\"\nconnection = \"sqlite:data/crm.sqlite\"\nquery = \"select 1 from leads where 0\"",
            ),
            "the query returned no rows",
        ),
        (
            "goals/sql-text.md",
            goal(
                "SQL text",
                "kind = \"sql\"\nconnection = \"sqlite:data/crm.sqlite\"\nquery = \"select t from notes where t = 'n/a'\"",
            ),
            "the query's first value: `n/a` is not a number",
        ),
        (
            "goals/no-db.md",
            goal("SQL no file", "kind = \"sql\"\nconnection = \"sqlite:data/none.sqlite\"\nquery = \"select 1\""),
            "cannot open `data/none.sqlite`: no such file",
        ),
        (
            "goals/no-var.md",
            goal("Unset variable", "kind = \"command\"\nrun = \"echo ${GOALBOOK_TEST_UNSET}\""),
            "the environment variable `GOALBOOK_TEST_UNSET` is not set",
        ),
        (
            "goals/invalid.md",
            goal("Invalid source", "kind = \"csv\"\npath = \"data/a.csv\""),
            "the [source] table is invalid: a `csv` source needs `column`",
        ),
    ];
    let mut files: Vec<(&str, &str)> = vec![
        ("book.toml", BOOK),
        ("data/a.csv", "month,mqls\n2026-11,12\n"),
        ("data/bad.json", "{\"a\": 1,"),
        ("data/ok.json", "{\"a\": 1}"),
        ("goals/good.md", &good),
    ];
    files.extend(failing.iter().map(|(p, t, _)| (*p, t.as_str())));
    let tmp = temp_repo(&files);
    let root = tmp.path();
    sqlite_file(&root.join("data/crm.sqlite"));
    let before = snapshot(root);
    let r = pull(root, &[], &[("GOALBOOK_TEST_TOKEN", "tok-5ecret-77")]);
    assert_eq!(r.code, 1);
    assert!(!r.stdout.contains("tok-5ecret-77") && !r.stderr.contains("tok-5ecret-77"));
    // The `[source]` header is line 8 of every goal written by `goal`.
    for (file, _, reason) in &failing {
        let id = file.trim_start_matches("goals/").trim_end_matches(".md");
        let prefix = format!("{file}:8: error: source of `{id}`: {reason}");
        assert!(r.stderr.lines().any(|l| l.starts_with(&prefix)), "missing `{prefix}` in\n{}", r.stderr);
        assert_eq!(read(root, file).as_bytes(), before[*file].as_slice(), "{file} is untouched");
    }
    assert_eq!(r.stderr.lines().count(), failing.len(), "{}", r.stderr);
    assert!(read(root, "goals/good.md").ends_with(&landed("5").replace("+++\n", "+++\n\nBody.\n")));
    assert!(r.stdout.ends_with(&format!(
        "pull: {} source(s) read, 1 check-in(s) written, 0 unchanged, {} failed\n",
        failing.len() + 1,
        failing.len()
    )));
}

#[test]
fn check_validates_sources_without_reading_them() {
    let tmp = temp_repo(&[
        ("book.toml", BOOK),
        (
            "goals/ok.md",
            &goal(
                "Fine source",
                "kind = \"sql\"\nconnection = \"postgres://u:${NEVER_SET_PW}@db.invalid/x\"\nquery = \"select 1\"",
            ),
        ),
        (
            "goals/headers.md",
            &goal("Headers for a file", "kind = \"csv\"\npath = \"a.csv\"\ncolumn = \"x\"\nheaders = { A = \"b\" }"),
        ),
        ("goals/kind.md", &goal("Unknown kind", "kind = \"cvs\"\npath = \"a.csv\"\ncolumn = \"x\"")),
        ("goals/none.md", &goal("Nothing given", "path = \"a.csv\"")),
        ("goals/keys.md", &goal("Wrong keys", "kind = \"json\"\nurl = \"ftp://x\"\ncolumn = \"a\"\npointr = \"/a\"")),
        (
            "goals/outside.md",
            &goal("Outside the repository", "kind = \"csv\"\npath = \"../secret.csv\"\ncolumn = \"a\""),
        ),
        ("goals/var.md", &goal("Broken variable", "kind = \"command\"\nrun = \"echo ${TOKEN\"")),
        ("goals/conn.md", &goal("Bad connection", "kind = \"sql\"\nconnection = \"mysql://x\"")),
    ]);
    let out = bin().arg("check").arg(tmp.path()).arg("--as-of").arg("2026-11-24").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    let errors: Vec<&str> = text.lines().filter(|l| l.contains(": error[")).collect();
    assert_eq!(
        errors,
        [
            "goals/conn.md:8: error[bad-value]: `connection` must be a postgres://user:${PASSWORD}@host/db URL or sqlite:PATH (a file in the repository)",
            "goals/conn.md:8: error[bad-value]: a `sql` source needs `query`, e.g. `query = \"select count(*) from leads\"`",
            "goals/headers.md:8: error[bad-value]: `headers` are sent with a `url` only; remove them or read the file by `url`",
            "goals/keys.md:8: error[unknown-field]: unknown key `pointr` in [source]; did you mean `pointer`?",
            "goals/keys.md:8: error[bad-value]: `column` has no meaning in a `json` source; remove it",
            "goals/keys.md:8: error[bad-value]: `url` \"ftp://x\" must start with https:// or http://",
            "goals/keys.md:8: error[bad-value]: a `json` source needs `pointer`, e.g. `pointer = \"/data/0/value\"`",
            "goals/kind.md:8: error[bad-value]: unknown source kind \"cvs\"; did you mean \"csv\"? use one of: csv, json, sql, command",
            "goals/none.md:8: error[bad-value]: a [source] needs a `kind`: one of csv, json, sql, command, e.g. `kind = \"csv\"`",
            "goals/outside.md:8: error[bad-value]: path \"../secret.csv\" must be a file in the repository, relative to book.toml, without `..`",
            "goals/var.md:8: error[bad-value]: a `${NAME}` in \"echo ${TOKEN\" has no closing brace; write `${NAME}`",
        ],
        "{text}"
    );
}

#[test]
fn a_query_over_its_limit_is_interrupted() {
    let forever = "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c";
    let tmp = temp_repo(&[
        ("book.toml", BOOK),
        (
            "goals/slow.md",
            &goal(
                "Endless query",
                &format!("kind = \"sql\"\nconnection = \"sqlite:data/crm.sqlite\"\nquery = \"{forever}\""),
            ),
        ),
        (
            "goals/fast.md",
            &goal("Quick query", "kind = \"sql\"\nconnection = \"sqlite:data/crm.sqlite\"\nquery = \"select 4\""),
        ),
    ]);
    std::fs::create_dir(tmp.path().join("data")).unwrap();
    sqlite_file(&tmp.path().join("data/crm.sqlite"));
    let r = pull(tmp.path(), &[], &[("GOALBOOK_SOURCE_TIMEOUT", "1")]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr, "goals/slow.md:8: error: source of `slow`: the query failed: interrupted\n");
    assert!(read(tmp.path(), "goals/fast.md").contains("value = 4\nby = \"pull\"\n"));
}

#[test]
fn a_command_over_its_limit_is_stopped() {
    let tmp = temp_repo(&[
        ("book.toml", BOOK),
        ("goals/slow.md", &goal("Slow command", "kind = \"command\"\nrun = \"sleep 30; echo 1\"")),
        ("goals/fast.md", &goal("Fast command", "kind = \"command\"\nrun = \"echo 2\"")),
    ]);
    let root = tmp.path();
    let before = read(root, "goals/slow.md");
    // The limit is 60 s (SPEC §7); the variable shortens it for this test.
    let r = pull(root, &[], &[("GOALBOOK_COMMAND_TIMEOUT", "1")]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr, "goals/slow.md:8: error: source of `slow`: the command ran longer than 1 s and was stopped\n");
    assert_eq!(read(root, "goals/slow.md"), before);
    assert!(read(root, "goals/fast.md").contains("value = 2\nby = \"pull\"\n"));
}

// ---- HTTP ------------------------------------------------------------------

const SECRET: &str = "s3cr3t-Token-9431";

type Requests = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

/// A small HTTP/1.1 server on loopback; each connection on its own thread.
/// Returns its base URL and the paths it was asked for.
fn http_server() -> (String, Requests) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let requests = Requests::default();
    let seen = requests.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let seen = seen.clone();
            std::thread::spawn(move || serve_one(stream, &seen));
        }
    });
    (format!("http://{addr}"), requests)
}

fn serve_one(mut stream: TcpStream, seen: &Requests) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    let mut auth = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("authorization")
        {
            auth = Some(v.trim().to_string());
        }
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split('?').next().unwrap_or("/").to_string();
    seen.lock().unwrap().push(path.clone());
    let (status, extra, body): (&str, &str, String) = match path.as_str() {
        "/leads.csv" => ("200 OK", "Content-Type: text/csv\r\n", "month,mqls\n2026-11,250\n".into()),
        "/kpi.json" => ("200 OK", "Content-Type: application/json\r\n", "{\"nps\": {\"score\": 41}}".into()),
        "/moved" => ("302 Found", "Location: /leads.csv\r\n", String::new()),
        "/broken" => ("500 Internal Server Error", "", "oops".into()),
        "/malformed.json" => ("200 OK", "", "{\"nps\": [1, 2".into()),
        "/html.csv" => ("200 OK", "", "<html><body>Sign in</body></html>".into()),
        "/private.csv" if auth.as_deref() == Some(&format!("Bearer {SECRET}")) => {
            ("200 OK", "", "month,mqls\n2026-11,99\n".into())
        }
        "/private.csv" => ("401 Unauthorized", "", "no".into()),
        "/slow.csv" => {
            // Longer than the client's timeout in the test; never answered in time.
            std::thread::sleep(std::time::Duration::from_secs(20));
            ("200 OK", "", "month,mqls\n2026-11,1\n".into())
        }
        _ => ("404 Not Found", "", "not found".into()),
    };
    let _ =
        write!(stream, "HTTP/1.1 {status}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
}

#[test]
fn http_sources() {
    let (base, requests) = http_server();
    let url_goal = |title: &str, rest: &str| goal(title, rest);
    let tmp = temp_repo(&[
        ("book.toml", BOOK),
        (
            "goals/csv-url.md",
            &url_goal("CSV over HTTP", &format!("kind = \"csv\"\nurl = \"{base}/leads.csv\"\ncolumn = \"mqls\"")),
        ),
        (
            "goals/csv-url-2.md",
            &url_goal(
                "Same CSV again",
                &format!("kind = \"csv\"\nurl = \"{base}/leads.csv\"\ncolumn = \"mqls\"\nscale = 2"),
            ),
        ),
        (
            "goals/json-url.md",
            &url_goal(
                "JSON over HTTP",
                &format!("kind = \"json\"\nurl = \"{base}/kpi.json\"\npointer = \"/nps/score\""),
            ),
        ),
        (
            "goals/redirect.md",
            &url_goal("Redirected CSV", &format!("kind = \"csv\"\nurl = \"{base}/moved\"\ncolumn = \"mqls\"")),
        ),
        (
            "goals/private.md",
            &url_goal(
                "CSV behind a token",
                &format!(
                    "kind = \"csv\"\nurl = \"{base}/private.csv?key=${{CRM_TOKEN}}\"\ncolumn = \"mqls\"\nheaders = {{ Authorization = \"Bearer ${{CRM_TOKEN}}\" }}"
                ),
            ),
        ),
        (
            "goals/broken.md",
            &url_goal("Server error", &format!("kind = \"csv\"\nurl = \"{base}/broken\"\ncolumn = \"mqls\"")),
        ),
        (
            "goals/malformed.md",
            &url_goal(
                "Malformed JSON",
                &format!("kind = \"json\"\nurl = \"{base}/malformed.json\"\npointer = \"/nps\""),
            ),
        ),
        (
            "goals/html.md",
            &url_goal("HTML not CSV", &format!("kind = \"csv\"\nurl = \"{base}/html.csv\"\ncolumn = \"mqls\"")),
        ),
        (
            "goals/slow.md",
            &url_goal("Slow server", &format!("kind = \"csv\"\nurl = \"{base}/slow.csv\"\ncolumn = \"mqls\"")),
        ),
        (
            "goals/refused.md",
            &url_goal("Nobody listens", "kind = \"csv\"\nurl = \"http://127.0.0.1:9/x.csv\"\ncolumn = \"mqls\""),
        ),
        (
            "goals/denied.md",
            &url_goal(
                "Wrong token",
                &format!(
                    "kind = \"csv\"\nurl = \"{base}/private.csv\"\ncolumn = \"mqls\"\nheaders = {{ Authorization = \"Bearer x${{CRM_TOKEN}}\" }}"
                ),
            ),
        ),
    ]);
    let root = tmp.path();
    let before = snapshot(root);
    let env = [("CRM_TOKEN", SECRET), ("GOALBOOK_SOURCE_TIMEOUT", "1")];
    let r = pull(root, &[], &env);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    for (file, value) in [
        ("goals/csv-url.md", "250"),
        ("goals/csv-url-2.md", "500"),
        ("goals/json-url.md", "41"),
        ("goals/redirect.md", "250"),
        ("goals/private.md", "99"),
    ] {
        assert!(
            read(root, file).ends_with(&format!("value = {value}\nby = \"pull\"\n+++\n\nBody.\n")),
            "{file}: {}",
            r.stderr
        );
    }
    let err = |file: &str| {
        r.stderr
            .lines()
            .find(|l| l.starts_with(&format!("{file}:8: error: source of ")))
            .unwrap_or_else(|| panic!("{file} not reported: {}", r.stderr))
            .to_string()
    };
    assert!(err("goals/broken.md").ends_with(&format!("<{base}/broken> answered HTTP 500")), "{}", r.stderr);
    assert!(err("goals/malformed.md").contains("not valid JSON: EOF while parsing a list"), "{}", r.stderr);
    assert!(
        err("goals/html.md").ends_with("no column `mqls`; the columns are: <html><body>Sign in</body></html>"),
        "{}",
        r.stderr
    );
    assert!(err("goals/slow.md").contains(&format!("cannot fetch <{base}/slow.csv>: timeout")), "{}", r.stderr);
    assert!(err("goals/refused.md").contains("cannot fetch <http://127.0.0.1:9/x.csv>: "), "{}", r.stderr);
    assert!(err("goals/denied.md").ends_with(&format!("<{base}/private.csv> answered HTTP 401")), "{}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 6, "{}", r.stderr);
    for file in [
        "goals/broken.md",
        "goals/malformed.md",
        "goals/html.md",
        "goals/slow.md",
        "goals/refused.md",
        "goals/denied.md",
    ] {
        assert_eq!(read(root, file).as_bytes(), before[file].as_slice(), "{file} is untouched");
    }
    // The secret is in no output and no file.
    assert!(!r.stdout.contains(SECRET) && !r.stderr.contains(SECRET));
    for (path, bytes) in snapshot(root) {
        assert!(!String::from_utf8_lossy(&bytes).contains(SECRET), "{path} holds the secret");
    }

    // Each URL is fetched once, however many goals read it (the redirect is
    // another URL that leads to the same file).
    let count = |p: &str| requests.lock().unwrap().iter().filter(|r| *r == p).count();
    assert_eq!((count("/leads.csv"), count("/moved"), count("/kpi.json")), (2, 1, 1), "{:?}", requests.lock().unwrap());

    let after = snapshot(root);
    let again = pull(root, &[], &env);
    assert_eq!(again.code, 1);
    assert_eq!(snapshot(root), after, "a second pull writes nothing");
}

// ---- PostgreSQL --------------------------------------------------------------

const PG_BIN: &str = "/usr/lib/postgresql/15/bin";
const PG_PASSWORD: &str = "pg-Pa55-word-7719";

/// A throw-away cluster in a temporary folder on a free port; stopped on drop.
struct Postgres {
    dir: tempfile::TempDir,
    port: u16,
    as_user: Option<String>,
}

impl Postgres {
    fn command(&self, program: &str) -> Command {
        let bin = format!("{}/{program}", pg_bin());
        match &self.as_user {
            // initdb and postgres refuse to run as root.
            Some(user) => {
                let mut c = Command::new("runuser");
                c.arg("-u").arg(user).arg("--").arg(bin);
                c
            }
            None => Command::new(bin),
        }
    }

    /// With `tls`, the server has a self-signed certificate and `ssl = on`.
    fn start(tls: bool) -> Postgres {
        let root = Command::new("id").arg("-u").output().unwrap();
        let as_user = (String::from_utf8_lossy(&root.stdout).trim() == "0").then(|| "postgres".to_string());
        let dir = tempfile::tempdir().unwrap();
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let pg = Postgres { dir, port, as_user };
        let pwfile = pg.dir.path().join("pw");
        std::fs::write(&pwfile, PG_PASSWORD).unwrap();
        let mut ssl = String::new();
        if tls {
            let (key, cert) = (pg.dir.path().join("server.key"), pg.dir.path().join("server.crt"));
            let out = Command::new("openssl")
                .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1"])
                .arg("-keyout")
                .arg(&key)
                .arg("-out")
                .arg(&cert)
                .output()
                .expect("openssl makes the test server's certificate");
            assert!(out.status.success(), "openssl: {}", String::from_utf8_lossy(&out.stderr));
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
            ssl = format!(" -c ssl=on -c ssl_cert_file={} -c ssl_key_file={}", cert.display(), key.display());
        }
        if let Some(user) = &pg.as_user {
            let ok = Command::new("chown").arg("-R").arg(user).arg(pg.dir.path()).status().unwrap();
            assert!(ok.success());
        }
        let data = pg.dir.path().join("data");
        let out = pg
            .command("initdb")
            .arg("-D")
            .arg(&data)
            .args(["-U", "goalbook", "--auth=scram-sha-256", "--no-sync", "-E", "UTF8", "--locale=C"])
            .arg(format!("--pwfile={}", pwfile.display()))
            .output()
            .unwrap();
        assert!(out.status.success(), "initdb: {}", String::from_utf8_lossy(&out.stderr));
        let out = pg
            .command("pg_ctl")
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(pg.dir.path().join("log"))
            .arg("-o")
            .arg(format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off{ssl}",
                pg.port,
                pg.dir.path().display()
            ))
            .args(["-w", "-t", "60", "start"])
            .output()
            .unwrap();
        let log = std::fs::read_to_string(pg.dir.path().join("log")).unwrap_or_default();
        assert!(out.status.success(), "pg_ctl start: {}{log}", String::from_utf8_lossy(&out.stderr));
        pg
    }

    fn url(&self, password: &str) -> String {
        format!("postgres://goalbook:{password}@127.0.0.1:{}/postgres", self.port)
    }

    fn sql(&self, sql: &str) {
        let mut client = postgres::Client::connect(&self.url(PG_PASSWORD), postgres::NoTls).unwrap();
        client.batch_execute(sql).unwrap();
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.dir.path().join("data"))
            .args(["-m", "immediate", "stop"])
            .output();
    }
}

fn pg_bin() -> String {
    std::env::var("GOALBOOK_PG_BIN").unwrap_or_else(|_| PG_BIN.to_string())
}

#[test]
fn postgres_sources() {
    assert!(
        Path::new(&pg_bin()).join("initdb").exists(),
        "PostgreSQL 15 is not installed in {}: `apt-get install -y postgresql` (or set GOALBOOK_PG_BIN)",
        pg_bin()
    );
    let pg = Postgres::start(false);
    pg.sql(
        "create table leads (id serial primary key, stage text, amount numeric(10,2));
         insert into leads (stage, amount) values ('MQL', 10.25), ('MQL', 20), ('SQL', 7);",
    );
    let conn = |pw: &str| format!("postgres://goalbook:{pw}@127.0.0.1:{}/postgres", pg.port);
    let tmp = temp_repo(&[
        ("book.toml", BOOK),
        (
            "goals/count.md",
            &goal(
                "Postgres count",
                &format!(
                    "kind = \"sql\"\nconnection = \"{}\"\nquery = \"select count(*) from leads where stage = 'MQL'\"",
                    conn("${PG_PASSWORD}")
                ),
            ),
        ),
        (
            "goals/numeric.md",
            &goal(
                "Postgres numeric",
                &format!(
                    "kind = \"sql\"\nconnection = \"{}\"\nquery = \"select sum(amount) from leads\"",
                    conn("${PG_PASSWORD}")
                ),
            ),
        ),
        (
            "goals/bad-query.md",
            &goal(
                "Postgres bad query",
                &format!(
                    "kind = \"sql\"\nconnection = \"{}\"\nquery = \"select nope from leads\"",
                    conn("${PG_PASSWORD}")
                ),
            ),
        ),
        (
            "goals/null.md",
            &goal(
                "Postgres null",
                &format!("kind = \"sql\"\nconnection = \"{}\"\nquery = \"select null::int\"", conn("${PG_PASSWORD}")),
            ),
        ),
        (
            "goals/slow.md",
            &goal(
                "Postgres slow query",
                &format!(
                    "kind = \"sql\"\nconnection = \"{}\"\nquery = \"select pg_sleep(30)\"",
                    conn("${PG_PASSWORD}")
                ),
            ),
        ),
        (
            "goals/tls.md",
            &goal(
                "Postgres TLS required",
                &format!(
                    "kind = \"sql\"\nconnection = \"{}?sslmode=require\"\nquery = \"select 1\"",
                    conn("${PG_PASSWORD}")
                ),
            ),
        ),
        (
            "goals/wrong-pw.md",
            &goal(
                "Postgres wrong password",
                &format!("kind = \"sql\"\nconnection = \"{}\"\nquery = \"select 1\"", conn("x${PG_PASSWORD}")),
            ),
        ),
    ]);
    let root = tmp.path();
    let before = snapshot(root);
    // The timeout of network sources (30 s) is shortened for the slow query.
    let env = [("PG_PASSWORD", PG_PASSWORD), ("GOALBOOK_SOURCE_TIMEOUT", "2")];
    let r = pull(root, &[], &env);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        read(root, "goals/count.md").ends_with("value = 2\nby = \"pull\"\n+++\n\nBody.\n"),
        "{}{}",
        r.stdout,
        r.stderr
    );
    assert!(read(root, "goals/numeric.md").ends_with("value = 37.25\nby = \"pull\"\n+++\n\nBody.\n"));
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 5, "{}", r.stderr);
    assert_eq!(
        lines[0],
        "goals/bad-query.md:8: error: source of `bad-query`: the query failed: column \"nope\" does not exist"
    );
    assert_eq!(lines[1], "goals/null.md:8: error: source of `null`: the query returned NULL, not a number");
    assert!(
        lines[4].starts_with("goals/wrong-pw.md:8: error: source of `wrong-pw`: cannot connect to PostgreSQL: "),
        "{}",
        lines[4]
    );
    assert_eq!(
        lines[2],
        "goals/slow.md:8: error: source of `slow`: the query failed: canceling statement due to statement timeout"
    );
    // This cluster has no certificate: `sslmode=require` must refuse it.
    assert_eq!(
        lines[3],
        "goals/tls.md:8: error: source of `tls`: cannot connect to PostgreSQL: error performing TLS handshake: server does not support TLS"
    );
    for file in ["goals/bad-query.md", "goals/null.md", "goals/slow.md", "goals/tls.md", "goals/wrong-pw.md"] {
        assert_eq!(read(root, file).as_bytes(), before[file].as_slice());
    }
    assert!(!r.stdout.contains(PG_PASSWORD) && !r.stderr.contains(PG_PASSWORD));
    for (path, bytes) in snapshot(root) {
        assert!(!String::from_utf8_lossy(&bytes).contains(PG_PASSWORD), "{path} holds the password");
    }
    let after = snapshot(root);
    let again = pull(root, &[], &env);
    assert_eq!(again.code, 1);
    assert_eq!(snapshot(root), after, "a second pull writes nothing");

    // A new value in the database lands as a new check-in.
    pg.sql("insert into leads (stage, amount) values ('MQL', 1);");
    let third = pull(root, &["--goal", "count"], &env);
    assert_eq!(third.code, 0, "{}", third.stderr);
    assert!(third.stdout.starts_with("goals/count.md: recorded check-in 2026-11-24 = 3 (was 2)\n"));
}

#[test]
fn the_demo_pulls_from_its_data_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let root = common::repo_root();
    std::fs::copy(root.join("book.toml"), tmp.path().join("book.toml")).unwrap();
    for dir in ["goals", "data"] {
        std::fs::create_dir(tmp.path().join(dir)).unwrap();
        common::copy_dir(&root.join(dir), &tmp.path().join(dir));
    }
    let r = pull(tmp.path(), &[], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "goals/marketing/q4-mqls.md: recorded check-in 2026-11-24 = 228 (was 210)
goals/marketing/webinar-november.md: recorded check-in 2026-11-24 = 465 (was 430)
goals/sales/south-b2b/new-contracts-120.md: recorded check-in 2026-11-24 = 125 (was 123)
pull: 3 source(s) read, 3 check-in(s) written, 0 unchanged, 0 failed
"
    );
    let mqls = read(tmp.path(), "goals/marketing/q4-mqls.md");
    assert!(mqls.contains("\ncurrent = 228\n"));
    let check = bin().arg("check").arg(tmp.path()).arg("--as-of").arg("2026-11-24").output().unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", String::from_utf8_lossy(&check.stdout));
    let again = pull(tmp.path(), &[], &[]);
    assert_eq!(again.stdout, "pull: 3 source(s) read, 0 check-in(s) written, 3 unchanged, 0 failed\n");
}

#[test]
fn goal_option_names_a_goal_with_a_source() {
    let tmp = temp_repo(&[
        ("book.toml", BOOK),
        ("goals/with.md", &goal("Has a source", "kind = \"command\"\nrun = \"echo 3\"")),
        ("goals/without.md", "+++\ntitle = \"Has no source at all\"\nperiod = \"2026-Q4\"\ntarget = 9\n+++\n"),
    ]);
    let r = pull(tmp.path(), &["--goal", "wiht"], &[]);
    assert_eq!((r.code, r.stderr.as_str()), (2, "error: no goal has the id `wiht`; did you mean `with`?\n"));
    let r = pull(tmp.path(), &["--goal", "without"], &[]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "error: `without` has no [source] table; add one (SPEC §7) or pull every goal without --goal\n"
    );
    let out = bin().arg("pull").arg(tmp.path()).args(["--date", "2026-13-01"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: --date `2026-13-01` is not a date; write it as YYYY-MM-DD, e.g. 2026-11-24\n"
    );
}

#[test]
fn pulls_at_the_same_time_write_one_check_in() {
    // Whichever pull takes the file's lock first writes; the others re-read it
    // under the lock, see the value, and write nothing.
    let tmp = temp_repo(&[
        ("book.toml", BOOK),
        ("data/a.csv", "month,mqls\n2026-11,321\n"),
        ("goals/kr.md", &goal("Contended goal", "kind = \"csv\"\npath = \"data/a.csv\"\ncolumn = \"mqls\"")),
    ]);
    let children: Vec<_> = (0..4)
        .map(|_| {
            bin()
                .arg("pull")
                .arg(tmp.path())
                .args(["--date", "2026-11-24"])
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs: Vec<String> =
        children.into_iter().map(|c| String::from_utf8(c.wait_with_output().unwrap().stdout).unwrap()).collect();
    let written = outputs.iter().filter(|o| o.contains("1 check-in(s) written")).count();
    assert_eq!(written, 1, "{outputs:?}");
    assert_eq!(read(tmp.path(), "goals/kr.md").matches("[[checkin]]").count(), 1);
    let names: Vec<String> = std::fs::read_dir(tmp.path().join("goals"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["kr.md"], "no lock or temporary file is left");
}

#[test]
fn a_goal_file_that_cannot_be_read_is_reported() {
    let tmp = temp_repo(&[
        ("book.toml", BOOK),
        ("goals/broken.md", "+++\ntitle = \"Broken \n\n[source]\nkind = \"command\"\nrun = \"echo 1\"\n+++\n"),
        ("goals/fine.md", &goal("Fine goal", "kind = \"command\"\nrun = \"echo 2\"")),
    ]);
    let r = pull(tmp.path(), &[], &[]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.starts_with(
            "goals/broken.md:2: error: source of `goals/broken.md`: the goal file cannot be read: invalid TOML"
        ),
        "{}",
        r.stderr
    );
    assert!(read(tmp.path(), "goals/fine.md").contains("value = 2\nby = \"pull\"\n"));
}

#[test]
fn postgres_over_tls() {
    // As libpq: `prefer` (the default) and `require` encrypt without checking
    // the server's certificate against a CA (here a self-signed one);
    // `disable` does not encrypt. pg_stat_ssl says which the session got.
    assert!(Path::new(&pg_bin()).join("initdb").exists(), "PostgreSQL is not installed in {}", pg_bin());
    let pg = Postgres::start(true);
    let query = "select case when ssl then 1 else 2 end from pg_stat_ssl where pid = pg_backend_pid()";
    let source = |mode: &str| {
        format!("kind = \"sql\"\nconnection = \"{}{mode}\"\nquery = \"{query}\"", pg.url("${PG_PASSWORD}"))
    };
    let tmp = temp_repo(&[
        ("book.toml", BOOK),
        ("goals/prefer.md", &goal("TLS by default", &source(""))),
        ("goals/require.md", &goal("TLS required", &source("?sslmode=require"))),
        ("goals/disable.md", &goal("TLS disabled", &source("?sslmode=disable"))),
    ]);
    let r = pull(tmp.path(), &[], &[("PG_PASSWORD", PG_PASSWORD)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for (file, value) in [("goals/prefer.md", 1), ("goals/require.md", 1), ("goals/disable.md", 2)] {
        assert!(read(tmp.path(), file).contains(&format!("value = {value}\nby = \"pull\"\n")), "{file}");
    }
}

/// `openssl s_server` serving files from `dir` over HTTPS with a self-signed certificate.
struct HttpsServer {
    child: std::process::Child,
    port: u16,
}

impl Drop for HttpsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn https_server(dir: &Path) -> HttpsServer {
    let (key, cert) = (dir.join("k.pem"), dir.join("c.pem"));
    let out = Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl is installed");
    assert!(out.status.success());
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new("openssl")
        .args(["s_server", "-quiet", "-WWW", "-accept"])
        .arg(format!("127.0.0.1:{port}"))
        .arg("-cert")
        .arg(&cert)
        .arg("-key")
        .arg(&key)
        .current_dir(dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Ready when it accepts a connection.
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    HttpsServer { child, port }
}

#[test]
fn https_checks_the_servers_certificate() {
    let site = tempfile::tempdir().unwrap();
    std::fs::write(site.path().join("leads.csv"), "mqls\n5\n").unwrap();
    let server = https_server(site.path());
    let url = format!("https://127.0.0.1:{}/leads.csv", server.port);
    let tmp = temp_repo(&[
        ("book.toml", BOOK),
        ("goals/https.md", &goal("CSV over HTTPS", &format!("kind = \"csv\"\nurl = \"{url}\"\ncolumn = \"mqls\""))),
    ]);
    let before = read(tmp.path(), "goals/https.md");
    let r = pull(tmp.path(), &[], &[]);
    assert_eq!(r.code, 1);
    // A self-signed certificate is no Mozilla-trusted CA's: refused, nothing written.
    assert!(
        r.stderr.starts_with(&format!("goals/https.md:8: error: source of `https`: cannot fetch <{url}>: ")),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("invalid peer certificate"), "{}", r.stderr);
    assert_eq!(read(tmp.path(), "goals/https.md"), before);
}

#[test]
fn source_diagnostics_follow_book_language() {
    let tmp = temp_repo(&[
        ("book.toml", "[book]\ntitle = \"Sao Mai\"\nlanguage = \"vi\"\n"),
        ("goals/kind.md", &goal("Loại nguồn sai", "kind = \"cvs\"\npath = \"a.csv\"\ncolumn = \"x\"")),
    ]);
    let out = bin().arg("check").arg(tmp.path()).arg("--as-of").arg("2026-11-24").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("goals/kind.md:8: error[bad-value]: loại nguồn \"cvs\" không tồn tại; có phải ý bạn là \"csv\"? hãy dùng một trong: csv, json, sql, command\n"),
        "{text}"
    );
}
