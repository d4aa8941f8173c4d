//! Periods of SPEC §1: `YYYY` (fiscal year), `YYYY-Qn`, `YYYY-Hn`, `YYYY-MM`.

use chrono::{Datelike, Months, NaiveDate};
use std::fmt;

/// A named planning period; its dates depend on `org.fiscal-year-start`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    Year(i32),
    Half(i32, u32),
    Quarter(i32, u32),
    Month(i32, u32),
}

impl Period {
    /// Parses a period label; `None` when it is not one of the four forms.
    pub fn parse(s: &str) -> Option<Period> {
        let year = |y: &str| -> Option<i32> {
            (y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit())).then(|| y.parse().ok()).flatten()
        };
        let (y, rest) = match s.split_once('-') {
            None => return year(s).map(Period::Year),
            Some(parts) => parts,
        };
        let y = year(y)?;
        let num = |n: &str, max: u32| -> Option<u32> {
            let v: u32 = n.parse().ok()?;
            (n.bytes().all(|b| b.is_ascii_digit()) && (1..=max).contains(&v)).then_some(v)
        };
        if let Some(q) = rest.strip_prefix('Q') {
            return (q.len() == 1).then(|| num(q, 4)).flatten().map(|q| Period::Quarter(y, q));
        }
        if let Some(h) = rest.strip_prefix('H') {
            return (h.len() == 1).then(|| num(h, 2)).flatten().map(|h| Period::Half(y, h));
        }
        (rest.len() == 2).then(|| num(rest, 12)).flatten().map(|m| Period::Month(y, m))
    }

    /// First and last day (inclusive) of the period, with the fiscal year
    /// starting in month `fy_start`. `None` only for years chrono cannot hold.
    pub fn dates(self, fy_start: u32) -> Option<(NaiveDate, NaiveDate)> {
        let fy = |y: i32| NaiveDate::from_ymd_opt(y, fy_start, 1);
        let (start, months) = match self {
            Period::Year(y) => (fy(y)?, 12),
            Period::Half(y, h) => (fy(y)?.checked_add_months(Months::new(6 * (h - 1)))?, 6),
            Period::Quarter(y, q) => (fy(y)?.checked_add_months(Months::new(3 * (q - 1)))?, 3),
            Period::Month(y, m) => (NaiveDate::from_ymd_opt(y, m, 1)?, 1),
        };
        let end = start.checked_add_months(Months::new(months))?.pred_opt()?;
        Some((start, end))
    }
}

/// First day of the fiscal year that contains `date`.
pub fn fiscal_year_start(date: NaiveDate, fy_start: u32) -> Option<NaiveDate> {
    let year = if date.month() >= fy_start { date.year() } else { date.year() - 1 };
    NaiveDate::from_ymd_opt(year, fy_start, 1)
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Year(y) => write!(f, "{y:04}"),
            Period::Half(y, h) => write!(f, "{y:04}-H{h}"),
            Period::Quarter(y, q) => write!(f, "{y:04}-Q{q}"),
            Period::Month(y, m) => write!(f, "{y:04}-{m:02}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn parses_the_four_forms_and_rejects_others() {
        assert_eq!(Period::parse("2026"), Some(Period::Year(2026)));
        assert_eq!(Period::parse("2026-Q4"), Some(Period::Quarter(2026, 4)));
        assert_eq!(Period::parse("2026-H2"), Some(Period::Half(2026, 2)));
        assert_eq!(Period::parse("2026-03"), Some(Period::Month(2026, 3)));
        for bad in [
            "26", "2026-Q5", "2026-Q0", "2026-H3", "2026-13", "2026-3", "2026-q1", "", "2026-", "abcd", "2026-Q+1",
            "-2026",
        ] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
        assert_eq!(Period::parse("2026-Q4").unwrap().to_string(), "2026-Q4");
        assert_eq!(Period::parse("2026-03").unwrap().to_string(), "2026-03");
    }

    #[test]
    fn calendar_year_periods() {
        assert_eq!(Period::Year(2026).dates(1), Some((d("2026-01-01"), d("2026-12-31"))));
        assert_eq!(Period::Quarter(2026, 4).dates(1), Some((d("2026-10-01"), d("2026-12-31"))));
        assert_eq!(Period::Half(2026, 1).dates(1), Some((d("2026-01-01"), d("2026-06-30"))));
        assert_eq!(Period::Month(2024, 2).dates(1), Some((d("2024-02-01"), d("2024-02-29"))));
    }

    #[test]
    fn fiscal_year_from_april() {
        assert_eq!(Period::Year(2026).dates(4), Some((d("2026-04-01"), d("2027-03-31"))));
        assert_eq!(Period::Quarter(2026, 1).dates(4), Some((d("2026-04-01"), d("2026-06-30"))));
        assert_eq!(Period::Quarter(2026, 4).dates(4), Some((d("2027-01-01"), d("2027-03-31"))));
        assert_eq!(Period::Half(2026, 2).dates(4), Some((d("2026-10-01"), d("2027-03-31"))));
        // Months are calendar months whatever the fiscal year.
        assert_eq!(Period::Month(2026, 11).dates(4), Some((d("2026-11-01"), d("2026-11-30"))));
    }

    #[test]
    fn due_only_goals_start_with_their_fiscal_year() {
        assert_eq!(fiscal_year_start(d("2026-12-31"), 1), Some(d("2026-01-01")));
        assert_eq!(fiscal_year_start(d("2027-02-15"), 4), Some(d("2026-04-01")));
        assert_eq!(fiscal_year_start(d("2026-04-01"), 4), Some(d("2026-04-01")));
    }
}
