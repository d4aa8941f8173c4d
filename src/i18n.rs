//! The interface languages: translation tables and locale formatting of
//! numbers, values with units, dates and periods.
//!
//! Each language is one flat TOML file in `i18n/` (`key = "text"`, keys like
//! `nav.dashboard`), embedded at compile time. Formats that differ between
//! languages (separators, date patterns, month names, the words of short
//! numbers) are keys of the table too, so adding a language is one file plus
//! one line in [`LANGUAGES`]. This module does not know about pages or
//! templates; it only turns values into text.

use crate::period::Period;
use crate::terms::{Kind, Perspective, Status};
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// Every shipped language: code and its embedded table. English comes first
/// and is the fallback for unknown codes and missing keys.
pub const LANGUAGES: &[(&str, &str)] =
    &[("en", include_str!("../i18n/en.toml")), ("vi", include_str!("../i18n/vi.toml"))];

/// Parses a translation table: string values, nested tables flattened into
/// dotted keys (`[nav] dashboard = …` and `nav.dashboard = …` are the same).
pub fn parse_table(text: &str) -> Result<BTreeMap<String, String>, String> {
    let value: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut out = BTreeMap::new();
    flatten("", &value, &mut out)?;
    Ok(out)
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut BTreeMap<String, String>) -> Result<(), String> {
    for (k, v) in table {
        let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
        match v {
            toml::Value::String(s) => {
                out.insert(key, s.clone());
            }
            toml::Value::Table(t) => flatten(&key, t, out)?,
            _ => return Err(format!("`{key}` must be a string")),
        }
    }
    Ok(())
}

/// One language's strings: in key order (for templates) and hashed (for
/// the lookups of every page, thousands per page).
struct Table {
    code: &'static str,
    sorted: BTreeMap<String, String>,
    hashed: HashMap<String, String>,
}

/// The tables of every language, each completed with English for missing keys.
fn tables() -> &'static Vec<Table> {
    static TABLES: OnceLock<Vec<Table>> = OnceLock::new();
    TABLES.get_or_init(|| {
        // A broken table is caught by the tests; at run time it must not panic.
        let parsed: Vec<(&str, BTreeMap<String, String>)> =
            LANGUAGES.iter().map(|(code, text)| (*code, parse_table(text).unwrap_or_default())).collect();
        let english = parsed.first().map(|p| p.1.clone()).unwrap_or_default();
        parsed
            .into_iter()
            .map(|(code, mut table)| {
                for (k, v) in &english {
                    table.entry(k.clone()).or_insert_with(|| v.clone());
                }
                let hashed = table.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                Table { code, sorted: table, hashed }
            })
            .collect()
    })
}

/// An interface language: its strings and number and date formats.
#[derive(Clone, Debug)]
pub struct Locale {
    lang: &'static str,
    strings: &'static BTreeMap<String, String>,
    hashed: &'static HashMap<String, String>,
}

/// Currency symbols written before the number (`$1,500`); every other unit
/// follows it (`1,500 ₫`, `12 h`, `85%`).
const PREFIX_UNITS: [&str; 4] = ["$", "€", "£", "¥"];

impl Locale {
    /// The locale of `lang` (`"en"`, `"vi"`); an unknown code gives English.
    pub fn new(lang: &str) -> Locale {
        let tables = tables();
        let table = tables.iter().find(|t| t.code == lang).or(tables.first()).expect("LANGUAGES is not empty");
        Locale { lang: table.code, strings: &table.sorted, hashed: &table.hashed }
    }

    /// The language code (`"en"`), for `<html lang>`.
    pub fn lang(&self) -> &str {
        self.lang
    }

    /// The text of `key`; the key itself when no table has it.
    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.hashed.get(key).map(String::as_str).unwrap_or(key)
    }

    /// The text of `key` with `{name}` placeholders replaced. When an argument
    /// `n` is `"1"` and the table has `<key>-one`, that singular form is used.
    pub fn tf(&self, key: &str, args: &[(&str, &str)]) -> String {
        let singular = format!("{key}-one");
        let text = match args.iter().find(|(name, _)| *name == "n") {
            Some((_, "1")) if self.hashed.contains_key(&singular) => self.t(&singular),
            _ => self.t(key),
        };
        fill(text, args)
    }

    /// Every string of the language (English filling any gap), for templates.
    pub fn all(&self) -> &BTreeMap<String, String> {
        self.strings
    }

    fn sep(&self, key: &str, default: &'static str) -> &str {
        self.hashed.get(key).map(String::as_str).unwrap_or(default)
    }

    /// `x` rounded half away from zero to `decimals` places, grouped:
    /// en `-1,234.5`, vi `-1.234,5`. Negative zero prints `0`.
    pub fn number(&self, x: f64, decimals: usize) -> String {
        if !x.is_finite() {
            return non_finite(x);
        }
        let (int, frac) = round_decimal(x.abs(), decimals);
        let zero = int.bytes().all(|b| b == b'0') && frac.bytes().all(|b| b == b'0');
        let mut out = String::new();
        if x < 0.0 && !zero {
            out.push('-');
        }
        out.push_str(&group(&int, self.sep("number.group", ",")));
        if !frac.is_empty() {
            out.push_str(self.sep("number.decimal", "."));
            out.push_str(&frac);
        }
        out
    }

    /// Like [`Locale::number`] with up to `max` decimals, trailing zeros trimmed.
    fn trimmed(&self, x: f64, max: usize) -> String {
        let s = self.number(x, max);
        let dec = self.sep("number.decimal", ".");
        match s.rfind(dec) {
            Some(pos) if max > 0 => {
                let t = s.trim_end_matches('0');
                if t.len() == pos + dec.len() { t[..pos].to_string() } else { t.to_string() }
            }
            _ => s,
        }
    }

    /// A value in full with its unit: en `$1,500`, `85%`, `1,500 ₫`, `12 h`;
    /// vi `$1.500`, `85%`, `1.500 ₫`. Up to 2 decimals, trailing zeros trimmed.
    pub fn value(&self, x: f64, unit: Option<&str>) -> String {
        with_unit(self.trimmed(x, 2), x, unit)
    }

    /// A value shortened for cards and axes. en: `950`, `1.5K`, `1.2M`, `10B`,
    /// `3T`, `$1.2M`, `10B ₫`; vi: `950`, `1,5 nghìn`, `1,2 triệu`, `10 tỷ ₫`,
    /// `3 nghìn tỷ`. One decimal below 100 of the scale, none above; values
    /// under 1,000 keep up to 2 decimals.
    pub fn short(&self, x: f64, unit: Option<&str>) -> String {
        if !x.is_finite() {
            return with_unit(non_finite(x), x, unit);
        }
        let scales = [
            (1.0, ""),
            (1e3, "short.thousand"),
            (1e6, "short.million"),
            (1e9, "short.billion"),
            (1e12, "short.trillion"),
        ];
        let abs = x.abs();
        let mut k = scales.iter().rposition(|(s, _)| abs >= *s).unwrap_or(0);
        let decimals = |k: usize, scaled: f64| {
            if k == 0 {
                2
            } else if scaled < 100.0 {
                1
            } else {
                0
            }
        };
        // Rounding may carry into the next scale: 999,960 is 1M, not 1,000K.
        while k + 1 < scales.len() && round_half_away(abs / scales[k].0, decimals(k, abs / scales[k].0)) >= 1000.0 {
            k += 1;
        }
        if k == 0 {
            return self.value(x, unit);
        }
        let scaled = abs / scales[k].0;
        let sign = if x < 0.0 { "-" } else { "" };
        let n = format!("{sign}{}", self.trimmed(scaled, decimals(k, scaled)));
        with_unit(fill(self.t(scales[k].1), &[("n", &n)]), x, unit)
    }

    /// A ratio as a whole percentage: 0.4571 → `46%`, 1.06 → `106%`.
    pub fn percent(&self, ratio: f64) -> String {
        if !ratio.is_finite() {
            return non_finite(ratio);
        }
        format!("{}%", self.number(ratio * 100.0, 0))
    }

    fn date_pattern(&self, key: &str, d: NaiveDate) -> String {
        let month = d.month().to_string();
        let long = self.t(&format!("month.{month}")).to_string();
        let abbr = self.t(&format!("month-short.{month}")).to_string();
        fill(
            self.t(key),
            &[
                ("y", &format!("{:04}", d.year())),
                ("m", &month),
                ("mm", &format!("{:02}", d.month())),
                ("d", &d.day().to_string()),
                ("dd", &format!("{:02}", d.day())),
                ("month", &long),
                ("mon", &abbr),
            ],
        )
    }

    /// A date in full: en `Nov 24, 2026`, vi `24/11/2026`.
    pub fn date(&self, d: NaiveDate) -> String {
        self.date_pattern("date.long", d)
    }

    /// A date for axis labels: en `Nov 24`, vi `24/11`.
    pub fn date_short(&self, d: NaiveDate) -> String {
        self.date_pattern("date.short", d)
    }

    /// A month: en `November 2026`, vi `tháng 11 năm 2026`.
    pub fn month_year(&self, d: NaiveDate) -> String {
        self.date_pattern("date.month-year", d)
    }

    /// The name of a status: `on track`, `đúng tiến độ`.
    pub fn status(&self, s: Status) -> &str {
        self.hashed.get(&format!("status.{}", s.as_str())).map(String::as_str).unwrap_or(s.as_str())
    }

    /// The name of a kind: `key result`, `kết quả then chốt`.
    pub fn kind(&self, k: Kind) -> &str {
        self.hashed.get(&format!("kind.{}", k.as_str())).map(String::as_str).unwrap_or(k.as_str())
    }

    /// The name of a perspective: `Finance`, `Tài chính`.
    pub fn perspective(&self, p: Perspective) -> &str {
        self.hashed.get(&format!("perspective.{}", p.as_str())).map(String::as_str).unwrap_or(p.as_str())
    }

    /// A period for people: en `Q4 2026`, `H2 2026`, `FY 2026`, `November 2026`;
    /// vi `Quý 4/2026`, `Nửa cuối năm 2026`, `Năm 2026`, `tháng 11 năm 2026`.
    pub fn period(&self, p: Period) -> String {
        match p {
            Period::Year(y) => fill(self.t("period.year"), &[("y", &format!("{y:04}"))]),
            Period::Half(y, h) => fill(self.t(&format!("period.half-{h}")), &[("y", &format!("{y:04}"))]),
            Period::Quarter(y, q) => {
                fill(self.t("period.quarter"), &[("y", &format!("{y:04}")), ("q", &q.to_string())])
            }
            Period::Month(y, m) => match NaiveDate::from_ymd_opt(y, m, 1) {
                Some(d) => self.month_year(d),
                None => p.to_string(),
            },
        }
    }
}

/// Replaces `{name}` placeholders; unknown placeholders stay as written.
pub(crate) fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn non_finite(x: f64) -> String {
    if x.is_nan() {
        "–".to_string()
    } else if x > 0.0 {
        "∞".to_string()
    } else {
        "-∞".to_string()
    }
}

/// Places the unit: currency symbols before the number (after the sign),
/// `%` right after it, any other unit after a space.
fn with_unit(number: String, x: f64, unit: Option<&str>) -> String {
    let unit = unit.map(str::trim).unwrap_or("");
    if unit.is_empty() {
        return number;
    }
    if PREFIX_UNITS.contains(&unit) {
        return match number.strip_prefix('-') {
            Some(rest) if x < 0.0 => format!("-{unit}{rest}"),
            _ => format!("{unit}{number}"),
        };
    }
    if unit == "%" { format!("{number}%") } else { format!("{number} {unit}") }
}

fn round_half_away(x: f64, decimals: usize) -> f64 {
    let (int, frac) = round_decimal(x.abs(), decimals);
    let v: f64 = format!("{int}.{frac}0").parse().unwrap_or(0.0);
    if x < 0.0 { -v } else { v }
}

/// Rounds a non-negative finite `x` half away from zero to `decimals` places
/// on its shortest decimal form (so 1.005 rounds to 1.01, as written), and
/// returns the integer digits and the `decimals` fraction digits.
fn round_decimal(x: f64, decimals: usize) -> (String, String) {
    // Display of f64 never uses exponents and gives the shortest round-trip form.
    let s = format!("{x}");
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut digits: Vec<u8> = int.bytes().chain(frac.bytes().chain(std::iter::repeat(b'0')).take(decimals)).collect();
    let round_up = frac.as_bytes().get(decimals).is_some_and(|&b| b >= b'5');
    if round_up {
        let mut i = digits.len();
        loop {
            if i == 0 {
                digits.insert(0, b'1');
                break;
            }
            i -= 1;
            if digits[i] == b'9' {
                digits[i] = b'0';
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let split = digits.len() - decimals;
    let int = String::from_utf8(digits[..split].to_vec()).unwrap_or_default();
    let frac = String::from_utf8(digits[split..].to_vec()).unwrap_or_default();
    let int = int.trim_start_matches('0');
    (if int.is_empty() { "0".to_string() } else { int.to_string() }, frac)
}

fn group(int: &str, sep: &str) -> String {
    let mut out = String::with_capacity(int.len() + int.len() / 3 * sep.len());
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_half_away_from_zero_on_the_written_digits() {
        assert_eq!(round_decimal(1.005, 2), ("1".into(), "01".into()));
        assert_eq!(round_decimal(0.125, 2), ("0".into(), "13".into()));
        assert_eq!(round_decimal(9.995, 2), ("10".into(), "00".into()));
        assert_eq!(round_decimal(2.5, 0), ("3".into(), "".into()));
        assert_eq!(round_decimal(1e21, 0), ("1000000000000000000000".into(), "".into()));
    }

    #[test]
    fn placeholders() {
        assert_eq!(fill("{n} days left", &[("n", "3")]), "3 days left");
        assert_eq!(fill("{x} and {", &[]), "{x} and {");
    }
}
