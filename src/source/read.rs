//! Reading the value of a [`GoalSource`]: files, http(s), SQL and commands.
//!
//! One [`Reader`] serves one `pull`: each file, URL, query and command is read
//! once however many goals use it (the parsed CSV or JSON is kept), and every
//! value taken from the environment through `${NAME}` is remembered so that
//! no message ever shows it ([`Reader::redact`]).

use super::command::run_command;
use super::number::parse_number;
use super::sql::sql_value;
use super::{GoalSource, Location, MAX_BYTES, Row, Spec, variables};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// SPEC §7: a command that runs longer is stopped and reported.
pub const COMMAND_LIMIT: Duration = Duration::from_secs(60);
/// Connect and read timeouts of http(s) and PostgreSQL.
pub const NETWORK_TIMEOUT: Duration = Duration::from_secs(30);

/// A parsed CSV file: the header row and the data rows.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// Reads source values, caching every file, URL, query and command result.
pub struct Reader {
    root: PathBuf,
    /// `book.language`: how a cell like `1.234,5` is read.
    language: String,
    /// Tunable for tests and slow networks (GOALBOOK_SOURCE_TIMEOUT, GOALBOOK_COMMAND_TIMEOUT).
    network_timeout: Duration,
    command_limit: Duration,
    texts: HashMap<String, Result<Arc<str>, String>>,
    csv: HashMap<String, Result<Arc<Table>, String>>,
    json: HashMap<String, Result<Arc<serde_json::Value>, String>>,
    values: HashMap<(String, String), Result<f64, String>>,
    secrets: Vec<String>,
    agent: Option<ureq::Agent>,
}

fn env_seconds(name: &str, default: Duration) -> Duration {
    std::env::var(name)
        .ok()
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|s| *s > 0.0)
        .map_or(default, Duration::from_secs_f64)
}

impl Reader {
    pub fn new(root: &Path, language: &str) -> Reader {
        Reader {
            root: root.to_path_buf(),
            language: language.to_string(),
            network_timeout: env_seconds("GOALBOOK_SOURCE_TIMEOUT", NETWORK_TIMEOUT),
            command_limit: env_seconds("GOALBOOK_COMMAND_TIMEOUT", COMMAND_LIMIT),
            texts: HashMap::new(),
            csv: HashMap::new(),
            json: HashMap::new(),
            values: HashMap::new(),
            secrets: Vec::new(),
            agent: None,
        }
    }

    /// `text` with every secret read so far replaced by `***`.
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        for s in &self.secrets {
            if !s.is_empty() {
                out = out.replace(s.as_str(), "***");
            }
        }
        out
    }

    /// Replaces `${NAME}` by the environment's value, remembering it as a secret.
    fn expand(&mut self, text: &str) -> Result<String, String> {
        // `check` has reported a malformed reference already.
        let names =
            variables(text).map_err(|_| "a `${NAME}` in it is malformed; `goalbook check` says where".to_string())?;
        let mut out = text.to_string();
        for name in names {
            match std::env::var(name) {
                Ok(v) => {
                    out = out.replace(&format!("${{{name}}}"), &v);
                    // Short values (say "1") would redact ordinary digits; still never print them.
                    if !self.secrets.contains(&v) {
                        self.secrets.push(v);
                        self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
                    }
                }
                Err(_) => return Err(format!("the environment variable `{name}` is not set; set it (a secret in CI)")),
            }
        }
        Ok(out)
    }

    /// The number `source` gives, `scale` applied; the error is a reason for
    /// the user, with secrets redacted.
    pub fn value(&mut self, source: &GoalSource) -> Result<f64, String> {
        let v = self.read(source).map_err(|e| self.redact(&e))?;
        let v = v * source.scale;
        if v.is_finite() { Ok(v) } else { Err(format!("the value read ({v}) is not a finite number")) }
    }

    fn read(&mut self, source: &GoalSource) -> Result<f64, String> {
        match &source.spec {
            Spec::Csv { from, column, row } => {
                let table = self.csv_table(from, &source.headers)?;
                csv_value(&table, column, row, &self.language)
            }
            Spec::Json { from, pointer } => {
                let doc = self.json_doc(from, &source.headers)?;
                let Some(v) = doc.pointer(pointer) else {
                    return Err(format!("nothing at JSON Pointer `{pointer}`"));
                };
                match v {
                    serde_json::Value::Number(n) => n.as_f64().ok_or_else(|| format!("`{n}` is not a number")),
                    serde_json::Value::String(s) => parse_number(s, &self.language),
                    other => Err(format!("the value at `{pointer}` is {}, not a number", json_type(other))),
                }
            }
            Spec::Sql { connection, query } => {
                let key = (connection.clone(), query.clone());
                if let Some(v) = self.values.get(&key) {
                    return v.clone();
                }
                let v = self.expand(connection).and_then(|c| sql_value(&self.root, &c, query, self.network_timeout));
                self.values.insert(key, v.clone());
                v
            }
            Spec::Command { run } => {
                let key = ("command".to_string(), run.clone());
                if let Some(v) = self.values.get(&key) {
                    return v.clone();
                }
                let v = self.expand(run).and_then(|r| {
                    let out = run_command(&self.root, &r, self.command_limit)?;
                    parse_number(out.trim(), &self.language).map_err(|e| format!("its output: {e}"))
                });
                self.values.insert(key, v.clone());
                v
            }
        }
    }

    /// The text of a file or URL, read once.
    fn text(&mut self, from: &Location, headers: &[(String, String)]) -> Result<Arc<str>, String> {
        let key = cache_key(from, headers);
        if let Some(t) = self.texts.get(&key) {
            return t.clone();
        }
        let t = match from {
            Location::Path(p) => read_file(&self.root.join(p), p),
            Location::Url(u) => self.fetch(u, headers),
        };
        self.texts.insert(key, t.clone());
        t
    }

    fn csv_table(&mut self, from: &Location, headers: &[(String, String)]) -> Result<Arc<Table>, String> {
        let key = cache_key(from, headers);
        if let Some(t) = self.csv.get(&key) {
            return t.clone();
        }
        let t = self.text(from, headers).and_then(|text| parse_csv(&text).map(Arc::new));
        self.csv.insert(key, t.clone());
        t
    }

    fn json_doc(&mut self, from: &Location, headers: &[(String, String)]) -> Result<Arc<serde_json::Value>, String> {
        let key = cache_key(from, headers);
        if let Some(t) = self.json.get(&key) {
            return t.clone();
        }
        let t = self.text(from, headers).and_then(|text| {
            serde_json::from_str(text.strip_prefix('\u{feff}').unwrap_or(&text))
                .map(Arc::new)
                .map_err(|e| format!("not valid JSON: {e}"))
        });
        self.json.insert(key, t.clone());
        t
    }

    fn fetch(&mut self, url: &str, headers: &[(String, String)]) -> Result<Arc<str>, String> {
        let expanded = self.expand(url)?;
        let mut values = Vec::new();
        for (k, v) in headers {
            values.push((k.clone(), self.expand(v)?));
        }
        let timeout = self.network_timeout;
        let agent = self.agent.get_or_insert_with(|| {
            let config = ureq::Agent::config_builder()
                .timeout_connect(Some(timeout))
                .timeout_recv_response(Some(timeout))
                .timeout_recv_body(Some(timeout))
                .http_status_as_error(false)
                .max_redirects(5)
                .user_agent(concat!("goalbook/", env!("CARGO_PKG_VERSION")))
                .build();
            config.into()
        });
        let mut request = agent.get(&expanded);
        for (k, v) in &values {
            request = request.header(k.as_str(), v.as_str());
        }
        let mut response = request.call().map_err(|e| format!("cannot fetch <{url}>: {e}"))?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("<{url}> answered HTTP {}", status.as_u16()));
        }
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_BYTES)
            .read_to_vec()
            .map_err(|e| format!("cannot read the answer of <{url}>: {e}"))?;
        String::from_utf8(body).map(Arc::from).map_err(|_| format!("the answer of <{url}> is not UTF-8 text"))
    }
}

fn cache_key(from: &Location, headers: &[(String, String)]) -> String {
    match from {
        Location::Path(p) => format!("file:{p}"),
        Location::Url(u) => format!("url:{u}\u{0}{headers:?}"),
    }
}

fn json_type(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "true or false",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

fn read_file(path: &Path, rel: &str) -> Result<Arc<str>, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read `{rel}`: {}", io_reason(&e)))?;
    if meta.len() > MAX_BYTES {
        return Err(format!("`{rel}` is larger than {} MB", MAX_BYTES / 1024 / 1024));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read `{rel}`: {}", io_reason(&e)))?;
    let text = String::from_utf8(bytes).map_err(|_| format!("`{rel}` is not UTF-8 text; save it as UTF-8"))?;
    Ok(Arc::from(text.strip_prefix('\u{feff}').unwrap_or(&text)))
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        _ => e.to_string(),
    }
}

fn parse_csv(text: &str) -> Result<Table, String> {
    // Spreadsheet exports often start with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
        Err(e) => return Err(format!("not valid CSV: {e}")),
    };
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("not valid CSV: {e}"))?;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        rows.push(record.iter().map(|s| s.to_string()).collect());
    }
    Ok(Table { header, rows })
}

fn csv_value(table: &Table, column: &str, row: &Row, language: &str) -> Result<f64, String> {
    let col = |name: &str| -> Result<usize, String> {
        table.header.iter().position(|h| h == name.trim()).ok_or_else(|| {
            let known: Vec<&str> = table.header.iter().map(String::as_str).collect();
            let hint =
                crate::diagnostic::suggest(name, &known).map(|s| format!("did you mean `{s}`? ")).unwrap_or_default();
            format!("no column `{name}`; {hint}the columns are: {}", known.join(", "))
        })
    };
    let at = col(column)?;
    fn cell(r: &[String], i: usize) -> &str {
        r.get(i).map_or("", |s| s.trim())
    }
    let picked = match row {
        Row::Last => table.rows.last(),
        Row::First => table.rows.first(),
        Row::Where { cells, first } => {
            let wanted: Vec<(usize, &str)> =
                cells.iter().map(|(k, v)| col(k).map(|i| (i, v.trim()))).collect::<Result<_, _>>()?;
            let matches = |r: &&Vec<String>| wanted.iter().all(|(i, v)| cell(r, *i) == *v);
            if *first { table.rows.iter().find(matches) } else { table.rows.iter().rev().find(matches) }
        }
    };
    let Some(r) = picked else {
        return Err(match row {
            Row::Where { cells, .. } => {
                let want: Vec<String> = cells.iter().map(|(k, v)| format!("{k} = \"{v}\"")).collect();
                format!("no row has {}", want.join(" and "))
            }
            _ => "the CSV has no data rows".into(),
        });
    };
    parse_number(cell(r, at), language).map_err(|e| format!("column `{column}`: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_and_filters() {
        let t = parse_csv("month,mqls\n2026-10,80\n2026-11,\"1,260\"\n\n").unwrap();
        assert_eq!(csv_value(&t, "mqls", &Row::Last, "en"), Ok(1260.0));
        assert_eq!(csv_value(&t, "mqls", &Row::First, "en"), Ok(80.0));
        let bom = parse_csv("\u{feff}mqls\n7\n").unwrap();
        assert_eq!(csv_value(&bom, "mqls", &Row::Last, "en"), Ok(7.0));
        let w = Row::Where { cells: vec![("month".into(), "2026-10".into())], first: false };
        assert_eq!(csv_value(&t, "mqls", &w, "en"), Ok(80.0));
        let none = Row::Where { cells: vec![("month".into(), "2027-01".into())], first: false };
        assert_eq!(csv_value(&t, "mqls", &none, "en"), Err("no row has month = \"2027-01\"".into()));
        assert_eq!(
            csv_value(&t, "mqsl", &Row::Last, "en"),
            Err("no column `mqsl`; did you mean `mqls`? the columns are: month, mqls".into())
        );
    }
}
