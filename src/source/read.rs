//! Reading the value of a [`GoalSource`]: files, http(s), SQL and commands.
//!
//! One [`Reader`] serves one `pull`: each file, URL, query and command is read
//! once however many goals use it (the parsed CSV or JSON is kept), and every
//! value taken from the environment through `${NAME}` is remembered so that
//! no message ever shows it ([`Reader::redact`]).

use super::{GoalSource, Location, Row, Spec};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// SPEC §7: a command that runs longer is stopped and reported.
pub const COMMAND_LIMIT: Duration = Duration::from_secs(60);
/// Connect and read timeouts of http(s) and PostgreSQL.
pub const NETWORK_TIMEOUT: Duration = Duration::from_secs(30);
/// Larger bodies (and command outputs) are refused rather than held in memory.
const MAX_BYTES: u64 = 64 * 1024 * 1024;

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

/// A number as a person or a spreadsheet writes it (SPEC §7): the thousands
/// and decimal separators of `language`, an optional `%` dropped. A text that
/// is not grouped by thousands correctly is read as a plain number
/// (`12.5` in Vietnamese is 12.5, `1.234` is 1234).
pub fn parse_number(text: &str, language: &str) -> Result<f64, String> {
    let t = text.trim();
    let t = t.strip_suffix('%').map_or(t, str::trim_end);
    let (group, decimal) = if language == "vi" { ('.', ',') } else { (',', '.') };
    let bad = || {
        if text.trim().is_empty() {
            "the cell is empty, not a number".to_string()
        } else {
            format!("`{}` is not a number", text.trim())
        }
    };
    if t.is_empty() {
        return Err(bad());
    }
    let finite = |v: f64| if v.is_finite() { Ok(v) } else { Err(bad()) };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (sign, body) = match t.strip_prefix('-') {
        Some(b) => ("-", b),
        None => ("", t.strip_prefix('+').unwrap_or(t)),
    };
    let (int, frac) = match body.split_once(decimal) {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let groups: Vec<&str> = int.split(group).collect();
    let grouped = groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups.iter().all(|g| digits(g))
        && groups[1..].iter().all(|g| g.len() == 3);
    if (grouped || digits(int)) && frac.is_none_or(digits) {
        let mut s = format!("{sign}{}", groups.concat());
        if let Some(f) = frac {
            s.push('.');
            s.push_str(f);
        }
        return s.parse::<f64>().map_err(|_| bad()).and_then(finite);
    }
    // Plain machine notation (`12.5`, `1e3`), whatever the language.
    let plain = t.bytes().all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b));
    if plain && let Ok(v) = t.parse::<f64>() {
        return finite(v);
    }
    Err(bad())
}

fn sql_value(root: &Path, connection: &str, query: &str, timeout: Duration) -> Result<f64, String> {
    let text = if let Some(path) = connection.strip_prefix("sqlite:") {
        let file = root.join(path);
        if !file.is_file() {
            return Err(format!("cannot open `{path}`: no such file"));
        }
        let db = rusqlite::Connection::open_with_flags(&file, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| format!("cannot open `{path}`: {e}"))?;
        let _ = db.busy_timeout(timeout);
        // A query that runs past the timeout is interrupted, not waited for;
        // the watchdog ends as soon as `done` is dropped.
        let (done, watch) = std::sync::mpsc::channel::<()>();
        let interrupt = db.get_interrupt_handle();
        std::thread::spawn(move || {
            if watch.recv_timeout(timeout) == Err(std::sync::mpsc::RecvTimeoutError::Timeout) {
                interrupt.interrupt();
            }
        });
        let _done = done;
        let mut stmt = db.prepare(query).map_err(|e| format!("the query failed: {e}"))?;
        let mut rows = stmt.query([]).map_err(|e| format!("the query failed: {e}"))?;
        let Some(row) = rows.next().map_err(|e| format!("the query failed: {e}"))? else {
            return Err("the query returned no rows".into());
        };
        use rusqlite::types::ValueRef;
        match row.get_ref(0).map_err(|e| format!("the query returned no columns: {e}"))? {
            ValueRef::Integer(i) => return Ok(i as f64),
            ValueRef::Real(f) => return Ok(f),
            ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
            ValueRef::Null => return Err("the query returned NULL, not a number".into()),
            ValueRef::Blob(_) => return Err("the query returned a blob, not a number".into()),
        }
    } else {
        let mut config: postgres::Config =
            connection.parse().map_err(|e| format!("`connection` is not a PostgreSQL URL: {e}"))?;
        config.connect_timeout(timeout);
        // The server stops a query that runs longer (unless the URL sets options).
        if config.get_options().is_none() {
            config.options(&format!("-c statement_timeout={}", timeout.as_millis()));
        }
        // `sslmode` of the URL decides: `prefer` (the default) uses TLS when the
        // server offers it, `require` insists, `disable` never tries.
        let mut client = config.connect(tls()?).map_err(|e| format!("cannot connect to PostgreSQL: {}", chain(&e)))?;
        // The simple protocol returns every value as text: numeric, bigint and
        // double precision all arrive the same way.
        let messages = client.simple_query(query).map_err(|e| match e.as_db_error() {
            Some(db) => format!("the query failed: {}", db.message()),
            None => format!("the query failed: {e}"),
        })?;
        let first = messages.iter().find_map(|m| match m {
            postgres::SimpleQueryMessage::Row(r) => Some(r),
            _ => None,
        });
        let Some(row) = first else { return Err("the query returned no rows".into()) };
        match row.try_get(0) {
            Ok(Some(v)) => v.to_string(),
            Ok(None) => return Err("the query returned NULL, not a number".into()),
            Err(_) => return Err("the query returned no columns".into()),
        }
    };
    parse_number(&text, "en").map_err(|e| format!("the query's first value: {e}"))
}

/// An error with its causes, `a: b: c`, each said once.
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let text = c.to_string();
        if !out.ends_with(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        cause = c.source();
    }
    out
}

/// TLS for PostgreSQL, as libpq does it for `sslmode=prefer` (the default)
/// and `require`: the connection is encrypted, and the server's certificate is
/// not checked against a CA (database servers mostly have certificates of
/// their own CA, e.g. Amazon RDS). The handshake signatures are verified, so
/// the session is bound to the certificate the server presented.
fn tls() -> Result<tokio_postgres_rustls::MakeRustlsConnect, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Arc::new(EncryptOnly(provider.clone()));
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("cannot set up TLS: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// Accepts the server's certificate as libpq's `sslmode=require` does.
#[derive(Debug)]
struct EncryptOnly(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for EncryptOnly {
    fn verify_server_cert(
        &self,
        _end_entity: &rustls::pki_types::CertificateDer<'_>,
        _intermediates: &[rustls::pki_types::CertificateDer<'_>],
        _server_name: &rustls::pki_types::ServerName<'_>,
        _ocsp_response: &[u8],
        _now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// Kills the process group `child` leads (it was started as its own group).
/// A direct `kill(2)`, not the `kill` program: procps-ng 4.0.2 reads
/// `kill -KILL -31999` as `kill(-3, SIGKILL)` (strace shows it), and a group
/// id starting with 1 as `kill(-1, …)`: every process the user may signal.
fn kill_group(child: &std::process::Child) {
    #[cfg(unix)]
    if let Ok(pid) = libc::pid_t::try_from(child.id())
        && pid > 1
    {
        // SAFETY: kill(2) takes plain integers; -pid names the group only.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    #[cfg(not(unix))]
    let _ = child;
}

/// Runs `run` with `sh -c` in `root`; its stdout, or why it failed.
fn run_command(root: &Path, run: &str, limit: Duration) -> Result<String, String> {
    use std::process::{Command, Stdio};
    let mut command = Command::new("sh");
    // Its own process group, so a timeout stops the children of `sh` too.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command
        .arg("-c")
        .arg(run)
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start `sh`: {e}"))?;
    // Pipes are drained on threads so a chatty command cannot block on a full pipe.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(p) = pipe {
                let _ = p.take(MAX_BYTES).read_to_end(&mut buf);
            }
            buf
        })
    };
    let out = drain(child.stdout.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let err = drain(child.stderr.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() >= limit => {
                kill_group(&child);
                let _ = child.kill();
                let _ = child.wait();
                // The pipe readers end when the last process holding the pipes
                // is gone; they are not waited for.
                return Err(format!("the command ran longer than {} s and was stopped", limit.as_secs_f64()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(format!("cannot wait for the command: {e}")),
        }
    };
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    if !status.success() {
        let code = status.code().map_or("a signal".to_string(), |c| format!("status {c}"));
        let last = String::from_utf8_lossy(&stderr);
        let last = last.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
        let tail = if last.is_empty() { String::new() } else { format!(": {last}") };
        return Err(format!("the command exited with {code}{tail}"));
    }
    String::from_utf8(stdout).map_err(|_| "the command's output is not UTF-8 text".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_language() {
        assert_eq!(parse_number("1,234.5", "en"), Ok(1234.5));
        assert_eq!(parse_number("1.234,5", "vi"), Ok(1234.5));
        assert_eq!(parse_number("1.234", "vi"), Ok(1234.0));
        assert_eq!(parse_number("12.5", "vi"), Ok(12.5));
        assert_eq!(parse_number(" 45% ", "en"), Ok(45.0));
        assert_eq!(parse_number("-3", "en"), Ok(-3.0));
        assert_eq!(parse_number("1e3", "en"), Ok(1000.0));
        assert!(parse_number("1,23", "en").is_err());
        assert!(parse_number("abc", "en").is_err());
        assert!(parse_number("", "en").is_err());
        assert!(parse_number("inf", "en").is_err());
        assert!(parse_number("NaN", "en").is_err());
        assert!(parse_number("1e999", "en").is_err());
    }

    #[test]
    fn variables_are_checked_for_their_form() {
        assert_eq!(variables("a ${X} b ${Y_2}"), Ok(vec!["X", "Y_2"]));
        assert_eq!(variables("${X"), Err(VariableError::Unclosed));
        assert_eq!(variables("${}"), Err(VariableError::Name(String::new())));
        assert_eq!(variables("${A-B}"), Err(VariableError::Name("A-B".into())));
        assert_eq!(variables("$HOME"), Ok(vec![]));
    }

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
