//! Diagnostics of SPEC §2: a problem found in a goals repository, as a value.
//!
//! Every stage that finds a problem pushes a [`Diagnostic`]; the text, JSON and
//! GitHub printers are three views over the same list. Not for I/O errors of
//! goalbook itself (those are `anyhow` errors with exit code 2).

use serde::Serialize;
use std::fmt;

/// How bad a diagnostic is: errors stop a build, warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// The diagnostic codes of SPEC §2.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    Parse,
    UnknownField,
    BadValue,
    DuplicateId,
    MissingParent,
    Cycle,
    BadDates,
    ZeroRange,
    SmartSpecific,
    SmartMeasurable,
    SmartAchievable,
    SmartRelevant,
    SmartTimeBound,
    StaleCheckin,
}

impl Code {
    /// Every code, in the order of SPEC §2.
    pub const ALL: [Code; 14] = [
        Code::Parse,
        Code::UnknownField,
        Code::BadValue,
        Code::DuplicateId,
        Code::MissingParent,
        Code::Cycle,
        Code::BadDates,
        Code::ZeroRange,
        Code::SmartSpecific,
        Code::SmartMeasurable,
        Code::SmartAchievable,
        Code::SmartRelevant,
        Code::SmartTimeBound,
        Code::StaleCheckin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::Parse => "parse",
            Code::UnknownField => "unknown-field",
            Code::BadValue => "bad-value",
            Code::DuplicateId => "duplicate-id",
            Code::MissingParent => "missing-parent",
            Code::Cycle => "cycle",
            Code::BadDates => "bad-dates",
            Code::ZeroRange => "zero-range",
            Code::SmartSpecific => "smart-specific",
            Code::SmartMeasurable => "smart-measurable",
            Code::SmartAchievable => "smart-achievable",
            Code::SmartRelevant => "smart-relevant",
            Code::SmartTimeBound => "smart-time-bound",
            Code::StaleCheckin => "stale-checkin",
        }
    }

    /// The severity SPEC §2 gives the code; `[lint]` may change the SMART ones.
    pub fn default_severity(self) -> Severity {
        match self {
            Code::SmartSpecific
            | Code::SmartMeasurable
            | Code::SmartAchievable
            | Code::SmartRelevant
            | Code::SmartTimeBound
            | Code::StaleCheckin => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem: where it is and how to fix it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    /// Path relative to the repository root, with `/` separators.
    pub file: String,
    /// 1-based line in `file`.
    pub line: u32,
    pub message: String,
    /// The message's key in the message tables and its arguments, so that
    /// [`localize`] can say it in `book.language`.
    #[serde(skip)]
    pub key: Option<(&'static str, Vec<(&'static str, String)>)>,
}

impl Diagnostic {
    pub fn new(code: Code, file: &str, line: u32, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: code.default_severity(),
            code,
            file: file.to_string(),
            line: line.max(1),
            message: message.into(),
            key: None,
        }
    }

    /// A diagnostic whose message is `key` of the message tables (in
    /// English until [`localize`]d).
    pub fn msg(code: Code, file: &str, line: u32, key: &'static str, args: &[(&'static str, String)]) -> Diagnostic {
        let mut d = Diagnostic::new(code, file, line, crate::messages::text_owned("en", key, args));
        d.key = Some((key, args.to_vec()));
        d
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}:{}: {}[{}]: {}", printable(&self.file), self.line, sev, self.code, printable(&self.message))
    }
}

/// Says every keyed message in `lang` (SPEC §4: `book.language`).
pub fn localize(diags: &mut [Diagnostic], lang: &str) {
    for d in diags.iter_mut() {
        if let Some((key, args)) = &d.key {
            d.message = crate::messages::text_owned(lang, key, args);
        }
    }
}

/// The closing line of `check`: `2 error(s), 1 warning(s)`, in `lang`.
pub fn totals(diags: &[Diagnostic], lang: &str) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    crate::messages::text(lang, "totals", &[("errors", &errors.to_string()), ("warnings", &warnings.to_string())])
}

/// Sorts diagnostics by file, line, code and message so every printer is stable.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| (&a.file, a.line, a.code, &a.message).cmp(&(&b.file, b.line, b.code, &b.message)));
}

/// The `--format` of `goalbook check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Github,
}

/// Renders diagnostics in one of the three formats of `goalbook check`.
pub fn render(diags: &[Diagnostic], format: Format) -> String {
    render_in(diags, format, "en")
}

/// [`render`] with the closing line of the text format in `lang`.
pub fn render_in(diags: &[Diagnostic], format: Format, lang: &str) -> String {
    let mut out = String::new();
    match format {
        Format::Text => {
            for d in diags {
                out.push_str(&d.to_string());
                out.push('\n');
            }
            out.push_str(&totals(diags, lang));
            out.push('\n');
        }
        Format::Json => {
            out = serde_json::to_string_pretty(diags).expect("diagnostics serialize");
            out.push('\n');
        }
        Format::Github => {
            for d in diags {
                let kind = match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                };
                out.push_str(&format!(
                    "::{kind} file={},line={},title={}::{}\n",
                    printable(&gh_escape_property(&d.file)),
                    d.line,
                    d.code,
                    printable(&gh_escape_data(&d.message))
                ));
            }
        }
    }
    out
}

/// `s` safe to print on a terminal: control characters (ESC, CR, BEL, …) and
/// the bidirectional overrides that reorder what a reader sees are shown as
/// `\u{1b}` escapes, so a value in a goal file cannot rewrite the screen.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !s.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

// GitHub workflow commands need `%`, CR and LF escaped in data, and `:`/`,` in properties.
fn gh_escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn gh_escape_property(s: &str) -> String {
    gh_escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Line number (1-based) of byte `offset` in `text`.
pub fn line_of(text: &str, offset: usize) -> u32 {
    let end = offset.min(text.len());
    let end = (0..=end).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() as u32 + 1
}

/// The closest of `known` to `key`, when close enough to be a likely typo.
pub fn suggest<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for k in known {
        let d = edit_distance(&key.to_lowercase(), k);
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, k));
        }
    }
    let (d, k) = best?;
    let limit = (key.chars().count().max(k.len()) / 3).max(2);
    (d <= limit).then_some(k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_nearest_key() {
        assert_eq!(suggest("titel", &["title", "target", "team"]), Some("title"));
        assert_eq!(suggest("tagret", &["title", "target", "team"]), Some("target"));
        assert_eq!(suggest("zzzzzzzz", &["title", "target"]), None);
    }

    #[test]
    fn line_numbers_count_newlines() {
        assert_eq!(line_of("a\nb\r\nc", 0), 1);
        assert_eq!(line_of("a\nb\r\nc", 2), 2);
        assert_eq!(line_of("a\nb\r\nc", 5), 3);
    }

    #[test]
    fn github_annotations_escape() {
        let d = Diagnostic::new(Code::Parse, "goals/a,b.md", 3, "50% done\nnext");
        assert_eq!(render(&[d], Format::Github), "::error file=goals/a%2Cb.md,line=3,title=parse::50%25 done%0Anext\n");
    }
}
