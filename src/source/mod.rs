//! Sources of SPEC §7: where a goal's value comes from.
//!
//! [`parse`] checks a goal's `[source]` table (kind, required keys, unknown
//! keys, `${NAME}` syntax) without reading anything, so `check` can run it on
//! every goal; [`read::Reader`] reads the values for `goalbook pull`. Not for
//! writing check-ins (that is [`crate::pull`]). The reader's parts: `sql`
//! (SQLite and PostgreSQL), `command` (`sh -c` with a time limit), `number`
//! (numbers in the language's separators).

mod command;
mod number;
pub mod read;
mod sql;

use crate::diagnostic::{Code, Diagnostic};
use crate::fields::Fields;

/// Larger bodies (and command outputs) are refused rather than held in memory.
const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Where a csv or json source's text comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Location {
    /// A file, relative to the repository root.
    Path(String),
    /// An http(s) URL, `${NAME}` not yet expanded.
    Url(String),
}

/// Which row of a csv source holds the value.
#[derive(Clone, Debug, PartialEq)]
pub enum Row {
    Last,
    First,
    /// The last (or, with `row = "first"`, the first) row whose cells equal these.
    Where {
        cells: Vec<(String, String)>,
        first: bool,
    },
}

/// What to read, by kind.
#[derive(Clone, Debug, PartialEq)]
pub enum Spec {
    Csv {
        from: Location,
        column: String,
        row: Row,
    },
    Json {
        from: Location,
        pointer: String,
    },
    /// `connection` is `postgres://…` or `sqlite:PATH`, `${NAME}` not yet expanded.
    Sql {
        connection: String,
        query: String,
    },
    Command {
        run: String,
    },
}

/// A goal's validated `[source]` table.
#[derive(Clone, Debug, PartialEq)]
pub struct GoalSource {
    pub spec: Spec,
    /// Request headers for a URL, `${NAME}` not yet expanded.
    pub headers: Vec<(String, String)>,
    pub scale: f64,
    /// The line of the `[source]` header in the goal file.
    pub line: u32,
}

/// The kinds of SPEC §7.
pub const KINDS: [&str; 4] = ["csv", "json", "sql", "command"];

/// Reads a goal's `[source]` table. Every diagnostic points at the line of the
/// `[source]` header (SPEC §7); `None` when the table is not usable.
pub fn parse(mut f: Fields<'_, '_>) -> (Option<GoalSource>, Vec<Diagnostic>) {
    let line = f.line;
    let keys = Keys {
        kind: f.string("kind", "\"csv\""),
        path: f.string("path", "\"data/leads.csv\""),
        url: f.string("url", "\"https://example.com/export.csv\""),
        column: f.string("column", "\"mqls\""),
        row: f.string("row", "\"last\""),
        cells: f.string_map("where", "{ month = \"2026-11\" }"),
        pointer: f.string("pointer", "\"/data/0/value\""),
        connection: f.string("connection", "\"sqlite:data/crm.sqlite\""),
        query: f.string("query", "\"select count(*) from leads\""),
        run: f.string("run", "\"python3 scripts/mqls.py\""),
        headers: f.string_map("headers", "{ Authorization = \"Bearer ${CRM_TOKEN}\" }"),
    };
    let scale = f.number("scale", "100");
    // Message keys of i18n/messages.<lang>.toml and their arguments.
    let mut problems: Vec<Problem> = Vec::new();
    let kind = kind_of(keys.kind.as_deref(), f.has("kind"), &mut problems);
    if let Some(k) = &kind {
        foreign_keys(&f, k, &mut problems);
    }
    let headers = keys.headers.clone();
    let spec = spec(&f, kind.as_deref(), keys, &mut problems);
    if scale.is_some_and(|s| s == 0.0) {
        problems.push(("source-zero-scale", vec![]));
    }
    variable_problems(spec.as_ref(), headers.as_ref(), &mut problems);

    let file = f.file();
    let mut diags = f.finish();
    for d in &mut diags {
        d.line = line;
    }
    for (key, args) in problems {
        diags.push(Diagnostic::msg(Code::BadValue, file, line, key, &args));
    }
    let ok = !diags.iter().any(Diagnostic::is_error);
    let source = match spec {
        Some(spec) if ok => {
            Some(GoalSource { spec, headers: headers.unwrap_or_default(), scale: scale.unwrap_or(1.0), line })
        }
        _ => None,
    };
    (source, diags)
}

/// The keys of a `[source]` table as given (before they are checked).
struct Keys {
    kind: Option<String>,
    path: Option<String>,
    url: Option<String>,
    column: Option<String>,
    row: Option<String>,
    cells: Option<Vec<(String, String)>>,
    pointer: Option<String>,
    connection: Option<String>,
    query: Option<String>,
    run: Option<String>,
    headers: Option<Vec<(String, String)>>,
}

/// Every key that names where or how a value is read, of any kind.
const SPEC_KEYS: [&str; 10] =
    ["path", "url", "column", "row", "where", "pointer", "connection", "query", "run", "headers"];

/// `kind`, when it is one of [`KINDS`]; a missing or unknown one is a problem.
fn kind_of(kind: Option<&str>, has_kind: bool, problems: &mut Vec<Problem>) -> Option<String> {
    match kind {
        None if !has_kind => {
            problems.push(("source-no-kind", vec![("kinds", KINDS.join(", "))]));
            None
        }
        None => None,
        Some(k) if KINDS.contains(&k) => Some(k.to_string()),
        Some(k) => {
            let kinds = ("kinds", KINDS.join(", "));
            match crate::diagnostic::suggest(k, &KINDS) {
                Some(hint) => problems.push((
                    "source-unknown-kind-hint",
                    vec![("kind", k.to_string()), ("hint", hint.to_string()), kinds],
                )),
                None => problems.push(("source-unknown-kind", vec![("kind", k.to_string()), kinds])),
            }
            None
        }
    }
}

/// Keys that belong to other kinds than `kind` are mistakes worth naming.
fn foreign_keys(f: &Fields, kind: &str, problems: &mut Vec<Problem>) {
    let used: &[&str] = match kind {
        "csv" => &["path", "url", "column", "row", "where", "headers"],
        "json" => &["path", "url", "pointer", "headers"],
        "sql" => &["connection", "query"],
        "command" => &["run"],
        _ => &SPEC_KEYS,
    };
    for key in SPEC_KEYS {
        if f.has(key) && !used.contains(&key) {
            problems.push(("source-foreign-key", vec![("key", key.to_string()), ("kind", kind.to_string())]));
        }
    }
}

/// Where a csv or json source reads from: exactly one of `path` and `url`.
fn location(keys: &Keys, kind: &str, problems: &mut Vec<Problem>) -> Option<Location> {
    match (&keys.path, &keys.url) {
        (Some(_), Some(_)) => {
            problems.push(("source-path-and-url", vec![]));
            None
        }
        (Some(_), None) if keys.headers.is_some() => {
            problems.push(("source-headers-need-url", vec![]));
            None
        }
        (Some(p), None) => match check_path(p) {
            Ok(()) => Some(Location::Path(p.clone())),
            Err(problem) => {
                problems.push(problem);
                None
            }
        },
        (None, Some(u)) => {
            if !(u.starts_with("https://") || u.starts_with("http://")) {
                problems.push(("source-bad-url", vec![("url", u.clone())]));
                None
            } else {
                Some(Location::Url(u.clone()))
            }
        }
        (None, None) => {
            problems.push(("source-needs-location", vec![("kind", kind.to_string())]));
            None
        }
    }
}

/// What the source of `kind` reads, when its keys are complete and valid.
fn spec(f: &Fields, kind: Option<&str>, keys: Keys, problems: &mut Vec<Problem>) -> Option<Spec> {
    let need = |value: &Option<String>, key: &str, example: &str, problems: &mut Vec<Problem>| {
        if value.is_none() && !f.has(key) {
            let args = vec![
                ("kind", kind.unwrap_or_default().to_string()),
                ("key", key.to_string()),
                ("example", example.to_string()),
            ];
            problems.push(("source-needs", args));
        }
    };
    match kind {
        Some("csv") => {
            need(&keys.column, "column", "\"mqls\"", problems);
            let from = location(&keys, "csv", problems);
            let first = match keys.row.as_deref() {
                None | Some("last") => Some(false),
                Some("first") => Some(true),
                Some(r) => {
                    problems.push(("source-bad-row", vec![("row", r.to_string())]));
                    None
                }
            };
            let row = match (keys.cells, first) {
                (Some(c), Some(first)) if !c.is_empty() => Some(Row::Where { cells: c, first }),
                (Some(_), Some(_)) => {
                    problems.push(("source-empty-where", vec![]));
                    None
                }
                (None, Some(true)) => Some(Row::First),
                (None, Some(false)) => Some(Row::Last),
                _ => None,
            };
            match (from, keys.column, row) {
                (Some(from), Some(column), Some(row)) => Some(Spec::Csv { from, column, row }),
                _ => None,
            }
        }
        Some("json") => {
            need(&keys.pointer, "pointer", "\"/data/0/value\"", problems);
            let from = location(&keys, "json", problems);
            if let Some(p) = &keys.pointer
                && !(p.is_empty() || p.starts_with('/'))
            {
                problems.push(("source-bad-pointer", vec![("pointer", p.clone())]));
            }
            match (from, keys.pointer) {
                (Some(from), Some(pointer)) if pointer.is_empty() || pointer.starts_with('/') => {
                    Some(Spec::Json { from, pointer })
                }
                _ => None,
            }
        }
        Some("sql") => {
            need(&keys.connection, "connection", "\"sqlite:data/crm.sqlite\"", problems);
            need(&keys.query, "query", "\"select count(*) from leads\"", problems);
            if let Some(c) = &keys.connection {
                if let Some(p) = c.strip_prefix("sqlite:") {
                    if let Err(problem) = check_path(p) {
                        problems.push(problem);
                    }
                } else if !(c.starts_with("postgres://") || c.starts_with("postgresql://")) {
                    problems.push(("source-bad-connection", vec![]));
                }
            }
            match (keys.connection, keys.query) {
                (Some(connection), Some(query)) => Some(Spec::Sql { connection, query }),
                _ => None,
            }
        }
        Some("command") => {
            need(&keys.run, "run", "\"python3 scripts/mqls.py\"", problems);
            keys.run.map(|run| Spec::Command { run })
        }
        _ => None,
    }
}

/// `${NAME}` is checked for its form only: `check` needs no secrets.
fn variable_problems(spec: Option<&Spec>, headers: Option<&Vec<(String, String)>>, problems: &mut Vec<Problem>) {
    let expanded: Vec<&str> = spec
        .into_iter()
        .flat_map(|s| match s {
            Spec::Csv { from: Location::Url(u), .. } | Spec::Json { from: Location::Url(u), .. } => vec![u.as_str()],
            Spec::Sql { connection, .. } => vec![connection.as_str()],
            Spec::Command { run } => vec![run.as_str()],
            _ => vec![],
        })
        .chain(headers.into_iter().flatten().map(|(_, v)| v.as_str()))
        .collect();
    for text in expanded {
        match variables(text) {
            Ok(_) => {}
            Err(VariableError::Unclosed) => {
                problems.push(("source-variable-unclosed", vec![("text", text.to_string())]))
            }
            Err(VariableError::Name(name)) => problems.push(("source-variable-name", vec![("name", name)])),
        }
    }
}

/// A message key of the message tables and its arguments.
type Problem = (&'static str, Vec<(&'static str, String)>);

/// A path of a file in the repository: relative, no `..`.
fn check_path(p: &str) -> Result<(), Problem> {
    let bad = p.is_empty()
        || p.starts_with('/')
        || p.starts_with('\\')
        || p.contains(':') && p.chars().nth(1) == Some(':')
        || p.split(['/', '\\']).any(|s| s == "..");
    if bad { Err(("source-path-outside", vec![("path", p.to_string())])) } else { Ok(()) }
}

/// What is wrong with a `${NAME}` reference.
#[derive(Clone, Debug, PartialEq)]
pub enum VariableError {
    /// `${` without a closing `}`.
    Unclosed,
    /// Not letters, digits and `_`.
    Name(String),
}

/// The `${NAME}` references of `text`, checked for their form.
pub fn variables(text: &str) -> Result<Vec<&str>, VariableError> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("${") {
        let after = &rest[i + 2..];
        let Some(end) = after.find('}') else { return Err(VariableError::Unclosed) };
        let name = &after[..end];
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(VariableError::Name(name.to_string()));
        }
        out.push(name);
        rest = &after[end + 1..];
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_checked_for_their_form() {
        assert_eq!(variables("a ${X} b ${Y_2}"), Ok(vec!["X", "Y_2"]));
        assert_eq!(variables("${X"), Err(VariableError::Unclosed));
        assert_eq!(variables("${}"), Err(VariableError::Name(String::new())));
        assert_eq!(variables("${A-B}"), Err(VariableError::Name("A-B".into())));
        assert_eq!(variables("$HOME"), Ok(vec![]));
    }
}
