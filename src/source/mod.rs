//! Sources of SPEC §7: where a goal's value comes from.
//!
//! [`parse`] checks a goal's `[source]` table (kind, required keys, unknown
//! keys, `${NAME}` syntax) without reading anything, so `check` can run it on
//! every goal; [`read::Reader`] reads the values for `goalbook pull`. Not for
//! writing check-ins (that is [`crate::pull`]).

pub mod read;

use crate::diagnostic::{Code, Diagnostic};
use crate::fields::Fields;

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
    let kind = f.string("kind", "\"csv\"");
    let path = f.string("path", "\"data/leads.csv\"");
    let url = f.string("url", "\"https://example.com/export.csv\"");
    let column = f.string("column", "\"mqls\"");
    let row = f.string("row", "\"last\"");
    let cells = f.string_map("where", "{ month = \"2026-11\" }");
    let pointer = f.string("pointer", "\"/data/0/value\"");
    let connection = f.string("connection", "\"sqlite:data/crm.sqlite\"");
    let query = f.string("query", "\"select count(*) from leads\"");
    let run = f.string("run", "\"python3 scripts/mqls.py\"");
    let headers = f.string_map("headers", "{ Authorization = \"Bearer ${CRM_TOKEN}\" }");
    let scale = f.number("scale", "100");
    let mut problems: Vec<String> = Vec::new();

    let kind = match kind.as_deref() {
        None if !f.has("kind") => {
            problems.push(format!("a [source] needs a `kind`: one of {}, e.g. `kind = \"csv\"`", KINDS.join(", ")));
            None
        }
        None => None,
        Some(k) if KINDS.contains(&k) => Some(k.to_string()),
        Some(k) => {
            let hint =
                crate::diagnostic::suggest(k, &KINDS).map(|s| format!("did you mean \"{s}\"? ")).unwrap_or_default();
            problems.push(format!("unknown source kind \"{k}\"; {hint}use one of: {}", KINDS.join(", ")));
            None
        }
    };
    // Keys that belong to other kinds are mistakes worth naming.
    let used: &[&str] = match kind.as_deref() {
        Some("csv") => &["path", "url", "column", "row", "where", "headers"],
        Some("json") => &["path", "url", "pointer", "headers"],
        Some("sql") => &["connection", "query"],
        Some("command") => &["run"],
        _ => &["path", "url", "column", "row", "where", "pointer", "connection", "query", "run", "headers"],
    };
    if let Some(k) = &kind {
        for key in ["path", "url", "column", "row", "where", "pointer", "connection", "query", "run", "headers"] {
            if f.has(key) && !used.contains(&key) {
                problems.push(format!("`{key}` has no meaning in a `{k}` source; remove it"));
            }
        }
    }
    let need = |value: &Option<String>, key: &str, example: &str, problems: &mut Vec<String>| {
        if value.is_none() && !f.has(key) {
            problems
                .push(format!("a `{}` source needs `{key}`, e.g. `{key} = {example}`", kind.as_deref().unwrap_or("")));
        }
    };
    let location = |problems: &mut Vec<String>| -> Option<Location> {
        match (&path, &url) {
            (Some(_), Some(_)) => {
                problems.push("give either `path` or `url`, not both".into());
                None
            }
            (Some(_), None) if headers.is_some() => {
                problems.push("`headers` are sent with a `url` only; remove them or read the file by `url`".into());
                None
            }
            (Some(p), None) => match check_path(p) {
                Ok(()) => Some(Location::Path(p.clone())),
                Err(msg) => {
                    problems.push(msg);
                    None
                }
            },
            (None, Some(u)) => {
                if !(u.starts_with("https://") || u.starts_with("http://")) {
                    problems.push(format!("`url` \"{u}\" must start with https:// or http://"));
                    None
                } else {
                    Some(Location::Url(u.clone()))
                }
            }
            (None, None) => {
                problems.push(format!(
                    "a `{}` source needs `path` (a file in the repository) or `url`",
                    kind.as_deref().unwrap_or("")
                ));
                None
            }
        }
    };
    let spec = match kind.as_deref() {
        Some("csv") => {
            need(&column, "column", "\"mqls\"", &mut problems);
            let from = location(&mut problems);
            let first = match row.as_deref() {
                None | Some("last") => Some(false),
                Some("first") => Some(true),
                Some(r) => {
                    problems.push(format!(
                        "`row` \"{r}\" must be \"last\" or \"first\"; to pick a row by its cells use `where = {{ month = \"2026-11\" }}`"
                    ));
                    None
                }
            };
            let row = match (cells, first) {
                (Some(c), Some(first)) if !c.is_empty() => Some(Row::Where { cells: c, first }),
                (Some(_), Some(_)) => {
                    problems.push("`where` is empty; name at least one column and the value its cell must have".into());
                    None
                }
                (None, Some(true)) => Some(Row::First),
                (None, Some(false)) => Some(Row::Last),
                _ => None,
            };
            match (from, column, row) {
                (Some(from), Some(column), Some(row)) => Some(Spec::Csv { from, column, row }),
                _ => None,
            }
        }
        Some("json") => {
            need(&pointer, "pointer", "\"/data/0/value\"", &mut problems);
            let from = location(&mut problems);
            if let Some(p) = &pointer
                && !(p.is_empty() || p.starts_with('/'))
            {
                problems.push(format!(
                    "`pointer` \"{p}\" is not a JSON Pointer (RFC 6901); it starts with `/`, e.g. \"/data/0/value\""
                ));
            }
            match (from, pointer) {
                (Some(from), Some(pointer)) if pointer.is_empty() || pointer.starts_with('/') => {
                    Some(Spec::Json { from, pointer })
                }
                _ => None,
            }
        }
        Some("sql") => {
            need(&connection, "connection", "\"sqlite:data/crm.sqlite\"", &mut problems);
            need(&query, "query", "\"select count(*) from leads\"", &mut problems);
            if let Some(c) = &connection {
                if let Some(p) = c.strip_prefix("sqlite:") {
                    if let Err(msg) = check_path(p) {
                        problems.push(msg);
                    }
                } else if !(c.starts_with("postgres://") || c.starts_with("postgresql://")) {
                    problems.push(
                        "`connection` must be a postgres://user:${PASSWORD}@host/db URL or sqlite:PATH (a file in the repository)"
                            .into(),
                    );
                }
            }
            match (connection, query) {
                (Some(connection), Some(query)) => Some(Spec::Sql { connection, query }),
                _ => None,
            }
        }
        Some("command") => {
            need(&run, "run", "\"python3 scripts/mqls.py\"", &mut problems);
            run.map(|run| Spec::Command { run })
        }
        _ => None,
    };
    if scale.is_some_and(|s| s == 0.0) {
        problems.push("`scale` 0 would record 0 whatever is read; remove it or use e.g. 100".into());
    }
    // `${NAME}` is checked for its form only: `check` needs no secrets.
    let expanded: Vec<&str> = [&spec]
        .into_iter()
        .flatten()
        .flat_map(|s| match s {
            Spec::Csv { from: Location::Url(u), .. } | Spec::Json { from: Location::Url(u), .. } => vec![u.as_str()],
            Spec::Sql { connection, .. } => vec![connection.as_str()],
            Spec::Command { run } => vec![run.as_str()],
            _ => vec![],
        })
        .chain(headers.iter().flatten().map(|(_, v)| v.as_str()))
        .collect();
    for text in expanded {
        if let Err(msg) = read::variables(text) {
            problems.push(msg);
        }
    }

    let file = f.file();
    let mut diags = f.finish();
    for d in &mut diags {
        d.line = line;
    }
    for p in problems {
        diags.push(Diagnostic::new(Code::BadValue, file, line, p));
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

/// A path of a file in the repository: relative, no `..`.
fn check_path(p: &str) -> Result<(), String> {
    let bad = p.is_empty()
        || p.starts_with('/')
        || p.starts_with('\\')
        || p.contains(':') && p.chars().nth(1) == Some(':')
        || p.split(['/', '\\']).any(|s| s == "..");
    if bad {
        Err(format!("path \"{p}\" must be a file in the repository, relative to book.toml, without `..`"))
    } else {
        Ok(())
    }
}
