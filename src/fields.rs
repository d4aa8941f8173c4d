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

    fn wrong_type(&mut self, key: &str, v: &Spanned<DeValue>, want: &str, example: &str) {
        let msg = format!(
            "`{key}` in {} must be {want}, not {}; write it like `{key} = {example}`",
            self.context,
            v.get_ref().type_str()
        );
        self.diags.push(self.src.diag(Code::BadValue, v.span(), msg));
    }

    pub fn string(&mut self, key: &'static str, example: &str) -> Option<String> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
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
                let msg =
                    format!("`{key}` in {} must be a finite number; write it like `{key} = {example}`", self.context);
                self.diags.push(self.src.diag(Code::BadValue, v.span(), msg));
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
            DeValue::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(),
            _ => None,
        };
        if parsed.is_none() {
            let msg =
                format!("`{key}` in {} must be a date like `{key} = 2026-12-31` (YYYY-MM-DD, no time)", self.context);
            self.diags.push(self.src.diag(Code::BadValue, v.span(), msg));
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
                DeValue::String(s) => out.push((s.to_string(), self.src.line(item.span()))),
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
            let hint = match suggest(k, &self.known) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("known keys: {}", self.known.join(", ")),
            };
            let msg = format!("unknown key `{k}` in {}; {hint}", self.context);
            self.diags.push(self.src.diag(Code::UnknownField, span.clone(), msg));
        }
        self.diags
    }
}

/// Parses TOML text into a spanned table, or a `parse` diagnostic with its line.
pub fn parse<'i>(src: Source<'_>, toml_text: &'i str) -> Result<Spanned<DeTable<'i>>, Diagnostic> {
    DeTable::parse(toml_text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let msg =
            format!("invalid TOML: {}; check quotes, `=` signs and brackets on this line", e.message().trim_end());
        src.diag(Code::Parse, span, msg)
    })
}
