//! Issue 7: translation tables and locale formatting, with exact strings in
//! both languages.

use chrono::NaiveDate;
use goalbook::compute::Status;
use goalbook::i18n::{LANGUAGES, Locale, parse_table};
use goalbook::model::{Kind, Perspective};
use goalbook::period::Period;
use std::collections::BTreeSet;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn every_language_has_exactly_the_english_keys_and_no_empty_values() {
    let english = parse_table(LANGUAGES[0].1).expect("en.toml parses");
    let en_keys: BTreeSet<&String> = english.keys().collect();
    assert!(en_keys.len() > 250, "the English table looks truncated: {} keys", en_keys.len());
    for (code, text) in LANGUAGES {
        let table = parse_table(text).unwrap_or_else(|e| panic!("{code}.toml: {e}"));
        let keys: BTreeSet<&String> = table.keys().collect();
        let missing: Vec<_> = en_keys.difference(&keys).collect();
        let extra: Vec<_> = keys.difference(&en_keys).collect();
        assert!(missing.is_empty(), "{code}.toml lacks {missing:?}");
        assert!(extra.is_empty(), "{code}.toml has keys English lacks: {extra:?}");
        let empty: Vec<_> = table.iter().filter(|(_, v)| v.trim().is_empty()).map(|(k, _)| k).collect();
        assert!(empty.is_empty(), "{code}.toml has empty values: {empty:?}");
    }
}

#[test]
fn placeholders_match_between_languages() {
    fn names(s: &str) -> BTreeSet<String> {
        s.split('{').skip(1).filter_map(|p| p.split_once('}')).map(|(n, _)| n.to_string()).collect()
    }
    let english = parse_table(LANGUAGES[0].1).unwrap();
    for (code, text) in &LANGUAGES[1..] {
        for (k, v) in parse_table(text).unwrap() {
            if k.starts_with("date.") {
                // Date patterns may use any of the fields the formatter fills in.
                let fields: BTreeSet<String> =
                    ["y", "m", "mm", "d", "dd", "month", "mon"].iter().map(|s| s.to_string()).collect();
                assert!(names(&v).is_subset(&fields), "`{k}` in {code}.toml uses an unknown field");
            } else {
                assert_eq!(names(&v), names(&english[&k]), "placeholders of `{k}` in {code}.toml");
            }
        }
    }
}

#[test]
fn book_toml_accepts_exactly_the_languages_with_a_table() {
    for (code, _) in LANGUAGES {
        assert_eq!(Locale::new(code).lang(), *code);
        let (config, diags) = goalbook::Config::parse("book.toml", &format!("[book]\nlanguage = \"{code}\"\n"));
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(config.language, *code);
    }
    let (_, diags) = goalbook::Config::parse("book.toml", "[book]\nlanguage = \"fr\"\n");
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].message, "unknown language `fr`; use one of \"en\", \"vi\"");
}

#[test]
fn unknown_language_falls_back_to_english_and_missing_keys_to_the_key() {
    let l = Locale::new("fr");
    assert_eq!(l.lang(), "en");
    assert_eq!(l.t("nav.dashboard"), "Dashboard");
    assert_eq!(l.t("no.such.key"), "no.such.key");
    assert_eq!(Locale::new("vi").t("no.such.key"), "no.such.key");
    assert_eq!(Locale::new("vi").all().get("nav.dashboard").map(String::as_str), Some("Tổng quan"));
}

#[test]
fn placeholders_and_singular_forms() {
    let en = Locale::new("en");
    let vi = Locale::new("vi");
    assert_eq!(en.tf("goal.days-left", &[("n", "37")]), "37 days left");
    assert_eq!(en.tf("goal.days-left", &[("n", "1")]), "1 day left");
    assert_eq!(vi.tf("goal.days-left", &[("n", "37")]), "còn 37 ngày");
    assert_eq!(vi.tf("goal.days-left", &[("n", "1")]), "còn 1 ngày");
    assert_eq!(en.tf("goal.tasks-done", &[("done", "2"), ("total", "4")]), "2 of 4 tasks done");
    assert_eq!(en.tf("people.person", &[]), "Goals of {owner}");
}

#[test]
fn numbers_in_english() {
    let en = Locale::new("en");
    assert_eq!(en.number(1234.5, 1), "1,234.5");
    assert_eq!(en.number(-1234.5, 1), "-1,234.5");
    assert_eq!(en.number(0.0, 0), "0");
    assert_eq!(en.number(-0.0, 2), "0.00");
    assert_eq!(en.number(-0.004, 2), "0.00");
    assert_eq!(en.number(10_000_000_000.0, 0), "10,000,000,000");
    assert_eq!(en.number(999.5, 0), "1,000");
    assert_eq!(en.number(2.5, 0), "3");
    assert_eq!(en.number(-2.5, 0), "-3");
    assert_eq!(en.number(1.005, 2), "1.01");
    assert_eq!(en.number(0.1 + 0.2, 2), "0.30");
    assert_eq!(en.number(123.0, 0), "123");
    assert_eq!(en.number(f64::NAN, 1), "–");
}

#[test]
fn numbers_in_vietnamese() {
    let vi = Locale::new("vi");
    assert_eq!(vi.number(1234.5, 1), "1.234,5");
    assert_eq!(vi.number(-1234.5, 1), "-1.234,5");
    assert_eq!(vi.number(0.0, 0), "0");
    assert_eq!(vi.number(-0.0, 0), "0");
    assert_eq!(vi.number(10_000_000_000.0, 0), "10.000.000.000");
    assert_eq!(vi.number(0.125, 2), "0,13");
}

#[test]
fn values_with_units() {
    let en = Locale::new("en");
    let vi = Locale::new("vi");
    assert_eq!(en.value(1500.0, Some("$")), "$1,500");
    assert_eq!(en.value(-1500.0, Some("$")), "-$1,500");
    assert_eq!(en.value(85.0, Some("%")), "85%");
    assert_eq!(en.value(1500.0, Some("₫")), "1,500 ₫");
    assert_eq!(en.value(12.0, Some("h")), "12 h");
    assert_eq!(en.value(400.0, Some("")), "400");
    assert_eq!(en.value(400.0, None), "400");
    assert_eq!(en.value(2.5, Some("days")), "2.5 days");
    assert_eq!(en.value(0.125, None), "0.13");
    assert_eq!(en.value(99.999, Some("%")), "100%");
    assert_eq!(en.value(-0.0, None), "0");
    assert_eq!(en.value(10_000_000_000.0, Some("₫")), "10,000,000,000 ₫");
    assert_eq!(vi.value(1500.0, Some("₫")), "1.500 ₫");
    assert_eq!(vi.value(85.0, Some("%")), "85%");
    assert_eq!(vi.value(1500.0, Some("$")), "$1.500");
    assert_eq!(vi.value(98.5, Some("%")), "98,5%");
    assert_eq!(vi.value(-2.25, Some("h")), "-2,25 h");
}

#[test]
fn short_values() {
    let en = Locale::new("en");
    let vi = Locale::new("vi");
    assert_eq!(en.short(950.0, None), "950");
    assert_eq!(en.short(1500.0, None), "1.5K");
    assert_eq!(en.short(1_200_000.0, None), "1.2M");
    assert_eq!(en.short(10_000_000_000.0, None), "10B");
    assert_eq!(en.short(1_200_000.0, Some("$")), "$1.2M");
    assert_eq!(en.short(-1_200_000.0, Some("$")), "-$1.2M");
    assert_eq!(en.short(10_000_000_000.0, Some("₫")), "10B ₫");
    assert_eq!(en.short(300_000_000_000.0, Some("₫")), "300B ₫");
    assert_eq!(en.short(123_456_789.0, None), "123M");
    assert_eq!(en.short(999_960.0, None), "1M");
    assert_eq!(en.short(999.996, None), "1K");
    assert_eq!(en.short(3e12, None), "3T");
    assert_eq!(en.short(2.5e15, None), "2,500T");
    assert_eq!(en.short(85.0, Some("%")), "85%");
    assert_eq!(en.short(0.0, None), "0");
    assert_eq!(vi.short(950.0, None), "950");
    assert_eq!(vi.short(1500.0, None), "1,5 nghìn");
    assert_eq!(vi.short(1_200_000.0, None), "1,2 triệu");
    assert_eq!(vi.short(10_000_000_000.0, Some("₫")), "10 tỷ ₫");
    assert_eq!(vi.short(12_500_000_000.0, Some("₫")), "12,5 tỷ ₫");
    assert_eq!(vi.short(3e12, None), "3 nghìn tỷ");
    assert_eq!(vi.short(1_200_000.0, Some("$")), "$1,2 triệu");
}

#[test]
fn percentages() {
    for l in [Locale::new("en"), Locale::new("vi")] {
        assert_eq!(l.percent(0.45714285714285713), "46%");
        assert_eq!(l.percent(1.06), "106%");
        assert_eq!(l.percent(0.0), "0%");
        assert_eq!(l.percent(0.125), "13%");
        assert_eq!(l.percent(-0.001), "0%");
        assert_eq!(l.percent(-0.25), "-25%");
    }
    assert_eq!(Locale::new("en").percent(12.345), "1,235%");
    assert_eq!(Locale::new("vi").percent(12.345), "1.235%");
}

#[test]
fn dates() {
    let en = Locale::new("en");
    let vi = Locale::new("vi");
    assert_eq!(en.date(d("2026-11-24")), "Nov 24, 2026");
    assert_eq!(en.date(d("2026-03-05")), "Mar 5, 2026");
    assert_eq!(en.date_short(d("2026-11-24")), "Nov 24");
    assert_eq!(en.month_year(d("2026-11-24")), "November 2026");
    assert_eq!(vi.date(d("2026-11-24")), "24/11/2026");
    assert_eq!(vi.date(d("2026-03-05")), "05/03/2026");
    assert_eq!(vi.date_short(d("2026-03-05")), "05/03");
    assert_eq!(vi.month_year(d("2026-11-24")), "tháng 11 năm 2026");
}

#[test]
fn periods() {
    let en = Locale::new("en");
    let vi = Locale::new("vi");
    assert_eq!(en.period(Period::Quarter(2026, 4)), "Q4 2026");
    assert_eq!(en.period(Period::Half(2026, 2)), "H2 2026");
    assert_eq!(en.period(Period::Year(2026)), "FY 2026");
    assert_eq!(en.period(Period::Month(2026, 11)), "November 2026");
    assert_eq!(vi.period(Period::Quarter(2026, 4)), "Quý 4/2026");
    assert_eq!(vi.period(Period::Half(2026, 1)), "Nửa đầu năm 2026");
    assert_eq!(vi.period(Period::Half(2026, 2)), "Nửa cuối năm 2026");
    assert_eq!(vi.period(Period::Year(2026)), "Năm tài chính 2026");
    assert_eq!(vi.period(Period::Month(2026, 11)), "tháng 11 năm 2026");
}

#[test]
fn statuses_kinds_and_perspectives() {
    let en = Locale::new("en");
    let vi = Locale::new("vi");
    let expected_vi = [
        (Status::OnTrack, "đúng tiến độ"),
        (Status::AtRisk, "có rủi ro"),
        (Status::OffTrack, "chậm tiến độ"),
        (Status::Achieved, "đã đạt"),
        (Status::Missed, "không đạt"),
        (Status::Upcoming, "sắp bắt đầu"),
        (Status::Undated, "không có hạn chót"),
    ];
    for (s, text) in expected_vi {
        assert_eq!(vi.status(s), text);
    }
    assert_eq!(en.status(Status::OnTrack), "on track");
    assert_eq!(en.status(Status::OffTrack), "off track");
    assert_eq!(en.kind(Kind::KeyResult), "key result");
    assert_eq!(vi.kind(Kind::KeyResult), "kết quả then chốt");
    assert_eq!(vi.kind(Kind::Objective), "mục tiêu");
    assert_eq!(en.perspective(Perspective::Learning), "Learning and growth");
    assert_eq!(vi.perspective(Perspective::Finance), "Tài chính");
    assert_eq!(vi.perspective(Perspective::Customer), "Khách hàng");
    assert_eq!(vi.perspective(Perspective::Process), "Quy trình nội bộ");
    assert_eq!(vi.perspective(Perspective::Learning), "Học hỏi và phát triển");
    assert_eq!(vi.t("scorecard.title"), "Thẻ điểm cân bằng");
    assert_eq!(vi.t("scorecard.strategy-map"), "Bản đồ chiến lược");
    assert_eq!(vi.t("chart.target"), "Chỉ tiêu");
}

#[test]
fn vietnamese_slugs() {
    use goalbook::slug::{slugify, slugify_path};
    assert_eq!(slugify("Phòng Kinh doanh miền Nam"), "phong-kinh-doanh-mien-nam");
    assert_eq!(slugify("Nguyễn Thị Lan"), "nguyen-thi-lan");
    assert_eq!(slugify("Quý 4/2026"), "quy-4-2026");
    assert_eq!(slugify_path("Bán hàng/Đà Nẵng/tăng-trưởng"), "ban-hang/da-nang/tang-truong");
}
