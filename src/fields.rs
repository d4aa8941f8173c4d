//! Typed, line-aware reading of a parsed TOML table.
//!
//! `book.toml` and goal front matter are both read field by field from a spanned
//! [`DeTable`], so that every bad value and unknown key becomes a [`Diagnostic`]
//! with the true file line, and all of them are reported in one run (serde's
//! `deny_unknown_fields` would stop at the first).

use crate::diagnostic::{Code, Diagnostic, line_of, suggest};
use chrono::NaiveDate;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Where a TOML text sits: its file and the byte offset of the TOML inside it.
#[derive(Clone, Copy)]
pub struct Source<'a> {
    pub file: &'a str,
    pub text: &'a str,
    pub offset: usize,
}

impl Source<'_> {
    pub fn line(&self, span: Range<usize>) -> u32 {
        line_of(self.text, self.offset + span.start)
    }

    pub fn diag(&self, code: Code, span: Range<usize>, msg: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, self.file, self.line(span), msg)
    }

    /// [`Source::diag`] with a message of the message tables.
    pub fn diag_msg(
        &self,
        code: Code,
        span: Range<usize>,
        key: &'static str,
        args: &[(&'static str, String)],
    ) -> Diagnostic {
        Diagnostic::msg(code, self.file, self.line(span), key, args)
    }
}

/// Reads the keys of one table, remembering which were read, so the rest can be
/// reported as unknown.
pub struct Fields<'t, 'i> {
    src: Source<'t>,
    entries: Vec<(&'t str, Range<usize>, &'t Spanned<DeValue<'i>>)>,
    /// Human name of the table for messages, e.g. `[[checkin]]` or `[book]`.
    context: String,
    known: Vec<&'static str>,
    pub diags: Vec<Diagnostic>,
    /// The line of the table itself (for diagnostics about missing keys).
    pub line: u32,
}

impl<'t, 'i> Fields<'t, 'i> {
    pub fn new(src: Source<'t>, table: &'t DeTable<'i>, span: Range<usize>, context: &str) -> Self {
        let entries = table.iter().map(|(k, v)| (k.get_ref().as_ref(), k.span(), v)).collect();
        Fields {
            src,
            entries,
            context: context.to_string(),
            known: Vec::new(),
            diags: Vec::new(),
            line: src.line(span),
        }
    }

    fn get(&mut self, key: &'static str) -> Option<&'t Spanned<DeValue<'i>>> {
        self.known.push(key);
        self.entries.iter().find(|(k, _, _)| *k == key).map(|(_, _, v)| *v)
    }

    /// The line of `key` when present, else of the table.
    pub fn line_of(&self, key: &str) -> u32 {
        self.entries
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, span, _)| self.src.line(span.clone()))
            .unwrap_or(self.line)
    }

    /// The file this table is in.
    pub fn file(&self) -> &'t str {
        self.src.file
    }

    pub fn has(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, _, _)| *k == key)
    }

    pub fn error(&mut self, key: &str, code: Code, msg: impl Into<String>) {
        let line = self.line_of(key);
        self.diags.push(Diagnostic::new(code, self.src.file, line, msg));
    }

    /// [`Fields::error`] with a message of the message tables.
    pub fn error_msg(&mut self, key: &str, code: Code, msg: &'static str, args: &[(&'static str, String)]) {
        let line = self.line_of(key);
        self.diags.push(Diagnostic::msg(code, self.src.file, line, msg, args));
    }

    fn wrong_type(&mut self, key: &str, v: &Spanned<DeValue>, want: &str, example: &str) {
        let args = [
            ("key", key.to_string()),
            ("context", self.context.clone()),
            ("want", want.to_string()),
            ("found", v.get_ref().type_str().to_string()),
            ("example", example.to_string()),
        ];
        self.diags.push(self.src.diag_msg(Code::BadValue, v.span(), "wrong-type", &args));
    }

    pub fn string(&mut self, key: &'static str, example: &str) -> Option<String> {
        let v = self.get(key)?;
        match v.get_ref() {
            // SPEC §1: strings are trimmed (enums and references too).
            DeValue::String(s) => Some(s.trim().to_string()),
            _ => {
                self.wrong_type(key, v, "a string", example);
                None
            }
        }
    }

    pub fn number(&mut self, key: &'static str, example: &str) -> Option<f64> {
        let v = self.get(key)?;
        let n = match v.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok().map(|i| i as f64),
            DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
            _ => None,
        };
        match n {
            Some(n) if n.is_finite() => Some(n),
            Some(_) => {
                let args =
                    [("key", key.to_string()), ("context", self.context.clone()), ("example", example.to_string())];
                self.diags.push(self.src.diag_msg(Code::BadValue, v.span(), "not-finite", &args));
                None
            }
            None => {
                self.wrong_type(key, v, "a number", example);
                None
            }
        }
    }

    pub fn integer(&mut self, key: &'static str, example: &str) -> Option<i64> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                Ok(n) => Some(n),
                Err(_) => {
                    self.wrong_type(key, v, "a small whole number", example);
                    None
                }
            },
            _ => {
                self.wrong_type(key, v, "a whole number", example);
                None
            }
        }
    }

    pub fn boolean(&mut self, key: &'static str) -> Option<bool> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong_type(key, v, "true or false", "true");
                None
            }
        }
    }

    /// A date: a TOML local date (`2026-10-01`) or a string holding one.
    pub fn date(&mut self, key: &'static str) -> Option<NaiveDate> {
        let v = self.get(key)?;
        let parsed = match v.get_ref() {
            DeValue::Datetime(dt) => match (dt.date, dt.time) {
                (Some(d), None) => NaiveDate::from_ymd_opt(d.year as i32, d.month as u32, d.day as u32),
                _ => None,
            },
            DeValue::String(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok(),
            _ => None,
        };
        if parsed.is_none() && !matches!(v.get_ref(), DeValue::Datetime(_)) {
            let args = [("key", key.to_string()), ("context", self.context.clone())];
            self.diags.push(self.src.diag_msg(Code::BadValue, v.span(), "bad-date-string", &args));
        } else if parsed.is_none() {
            let args = [("key", key.to_string()), ("context", self.context.clone())];
            self.diags.push(self.src.diag_msg(Code::BadValue, v.span(), "date-with-time", &args));
        }
        parsed
    }

    pub fn string_list(&mut self, key: &'static str, example: &str) -> Vec<(String, u32)> {
        let Some(v) = self.get(key) else { return Vec::new() };
        let items: Vec<&Spanned<DeValue>> = match v.get_ref() {
            DeValue::Array(a) => a.iter().collect(),
            DeValue::String(_) => vec![v],
            _ => {
                self.wrong_type(key, v, "a list of strings", example);
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for item in items {
            match item.get_ref() {
                DeValue::String(s) => out.push((s.trim().to_string(), self.src.line(item.span()))),
                _ => self.wrong_type(key, item, "a list of strings", example),
            }
        }
        out
    }

    /// A table of short texts (`{ month = "2026-11" }`): strings, and numbers or
    /// booleans as written; `None` when absent or not a table.
    pub fn string_map(&mut self, key: &'static str, example: &str) -> Option<Vec<(String, String)>> {
        let v = self.get(key)?;
        let DeValue::Table(t) = v.get_ref() else {
            self.wrong_type(key, v, "a table", example);
            return None;
        };
        let mut out = Vec::new();
        for (k, item) in t.iter() {
            let text = match item.get_ref() {
                DeValue::String(s) => s.to_string(),
                DeValue::Integer(i) => i.as_str().to_string(),
                DeValue::Float(f) => f.as_str().to_string(),
                DeValue::Boolean(b) => b.to_string(),
                _ => {
                    self.wrong_type(key, item, "a table of strings", example);
                    continue;
                }
            };
            out.push((k.get_ref().to_string(), text));
        }
        Some(out)
    }

    /// Marks `key` as known without reading it (a table another module reads).
    pub fn accept(&mut self, key: &'static str) -> bool {
        self.get(key).is_some()
    }

    /// A sub-table, as a new reader; `None` when absent or not a table.
    pub fn table(&mut self, key: &'static str, context: &str) -> Option<Fields<'t, 'i>> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Table(t) => Some(Fields::new(self.src, t, v.span(), context)),
            _ => {
                self.wrong_type(key, v, "a table", &format!("{{ … }} or a [{key}] section"));
                None
            }
        }
    }

    /// An array of tables (`[[checkin]]`), each as a new reader.
    pub fn tables(&mut self, key: &'static str, context: &str) -> Vec<Fields<'t, 'i>> {
        let Some(v) = self.get(key) else { return Vec::new() };
        let DeValue::Array(a) = v.get_ref() else {
            self.wrong_type(key, v, "an array of tables", &format!("[[{key}]] sections"));
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in a.iter() {
            match item.get_ref() {
                DeValue::Table(t) => out.push(Fields::new(self.src, t, item.span(), context)),
                _ => self.wrong_type(key, item, "an array of tables", &format!("[[{key}]] sections")),
            }
        }
        out
    }

    /// Whether a key that was not read looks like a misspelling of `key`
    /// (so a second diagnostic about `key` missing would only repeat it).
    pub fn misspelt(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, _, _)| !self.known.contains(k) && suggest(k, &self.known) == Some(key))
    }

    /// The entries of a table whose keys the user names (`[people]`, `[teams]`), each a
    /// sub-table read by its own reader; a value that is not a table is reported.
    /// Every key counts as known.
    pub fn named_tables(&mut self, example: &str) -> Vec<(String, Fields<'t, 'i>)> {
        let entries = std::mem::take(&mut self.entries);
        let mut out = Vec::new();
        for (k, _, v) in entries {
            match v.get_ref() {
                DeValue::Table(t) => {
                    let context = format!("{} `{k}`", self.context);
                    out.push((k.to_string(), Fields::new(self.src, t, v.span(), &context)));
                }
                _ => self.wrong_type(k, v, "a table", example),
            }
        }
        out
    }

    /// Reports every key that was not read, with the nearest known key as a hint,
    /// and returns all diagnostics of this table.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        for (k, span, _) in &self.entries {
            if self.known.contains(k) {
                continue;
            }
            let (msg, arg) = match suggest(k, &self.known) {
                Some(s) => ("unknown-key-hint", ("hint", s.to_string())),
                None => ("unknown-key-list", ("known", self.known.join(", "))),
            };
            let args = [("key", k.to_string()), ("context", self.context.clone()), arg];
            self.diags.push(self.src.diag_msg(Code::UnknownField, span.clone(), msg, &args));
        }
        self.diags
    }
}

/// Parses TOML text into a spanned table, or a `parse` diagnostic with its line.
pub fn parse<'i>(src: Source<'_>, toml_text: &'i str) -> Result<Spanned<DeTable<'i>>, Diagnostic> {
    DeTable::parse(toml_text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        match friendly_parse_hint(toml_text, span.start) {
            Some((msg, args)) => src.diag_msg(Code::Parse, span, msg, &args),
            None => src.diag_msg(Code::Parse, span, "parse-invalid", &[("error", e.message().trim_end().to_string())]),
        }
    })
}

/// A plain-words fix for the TOML mistakes people make most (`target = 90%`,
/// `date = 01/12/2026`), from the line holding byte `at`.
pub fn friendly_parse_hint(text: &str, at: usize) -> Option<(&'static str, Vec<(&'static str, String)>)> {
    let at = at.min(text.len());
    let at = (0..=at).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line = text[start..end].trim_end_matches('\r');
    let (key, value) = line.split_once('=')?;
    let key = key.trim();
    let value = value.split('#').next().unwrap_or("").trim();
    if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return None;
    }
    if let Some(number) = value.strip_suffix('%')
        && number.trim().parse::<f64>().is_ok()
    {
        let args = vec![("key", key.to_string()), ("value", value.to_string()), ("number", number.trim().to_string())];
        return Some(("parse-percent", args));
    }
    let parts: Vec<&str> = value.split(['/', '.', '-']).collect();
    if parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
    {
        let example = if parts[2].len() == 4 {
            format!("{}-{:0>2}-{:0>2}", parts[2], parts[1], parts[0])
        } else if parts[0].len() == 4 {
            format!("{}-{:0>2}-{:0>2}", parts[0], parts[1], parts[2])
        } else {
            "2026-12-01".to_string()
        };
        return Some((
            "parse-date",
            vec![("key", key.to_string()), ("value", value.to_string()), ("example", example)],
        ));
    }
    None
}
