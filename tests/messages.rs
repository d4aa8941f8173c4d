//! Messages of `check`, `build` and every command in `book.language`
//! (SPEC §4): the message tables have the same keys and placeholders in
//! every language, `check` on a Vietnamese repository speaks Vietnamese, and
//! the messages tell a non-programmer what to write.

use crate::common::{bin, temp_repo};
use goalbook::i18n::parse_table;
use goalbook::messages::TABLES;
use std::collections::BTreeSet;
use std::path::Path;

fn names(s: &str) -> BTreeSet<String> {
    s.split('{').skip(1).filter_map(|p| p.split_once('}')).map(|(n, _)| n.to_string()).collect()
}

#[test]
fn every_message_table_has_the_english_keys_and_placeholders() {
    let english = parse_table(TABLES[0].1).expect("messages.en.toml parses");
    assert!(english.len() >= 40, "{} keys", english.len());
    for (code, text) in TABLES {
        let table = parse_table(text).unwrap_or_else(|e| panic!("messages.{code}.toml: {e}"));
        let keys: BTreeSet<&String> = table.keys().collect();
        let en: BTreeSet<&String> = english.keys().collect();
        assert_eq!(keys, en, "messages.{code}.toml has other keys than English");
        for (k, v) in &table {
            assert!(!v.trim().is_empty(), "`{k}` is empty in messages.{code}.toml");
            assert_eq!(names(v), names(&english[k]), "placeholders of `{k}` in messages.{code}.toml");
        }
    }
}

#[test]
fn an_unknown_language_or_key_falls_back_to_english() {
    use goalbook::messages::text;
    assert_eq!(text("fr", "totals", &[("errors", "1"), ("warnings", "2")]), "1 error(s), 2 warning(s)");
    assert_eq!(text("vi", "totals", &[("errors", "1"), ("warnings", "2")]), "1 lỗi, 2 cảnh báo");
    assert_eq!(text("vi", "no-such-key", &[]), "no-such-key");
}

/// `goalbook check` on `dir`: exit code and stdout.
fn check(dir: &Path) -> (i32, String) {
    let out = bin().arg("check").arg(dir).args(["--as-of", "2026-11-24"]).output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap())
}

/// Goals with one problem each, of many codes.
fn problems(language: &str) -> tempfile::TempDir {
    let book = format!("[book]\ntitle = \"Demo\"\nlanguage = \"{language}\"\n");
    temp_repo(&[
        ("book.toml", &book),
        (
            "goals/o.md",
            "+++\ntitle = \"Tăng doanh thu B2B năm 2026\"\nowner = \"lan\"\nperspective = \"finance\"\nperiod = \"2026\"\n+++\n",
        ),
        // smart-specific: no owner.
        (
            "goals/a.md",
            "+++\ntitle = \"Ký 40 hợp đồng mới trong Q4\"\nparent = \"o\"\nperiod = \"2026-Q4\"\ntarget = 40\n+++\n",
        ),
        // smart-measurable: a key result without a target.
        (
            "goals/b.md",
            "+++\ntitle = \"Ký thêm hợp đồng đại lý trong Q4\"\nkind = \"key-result\"\nowner = \"an\"\nparent = \"o\"\nperiod = \"2026-Q4\"\n+++\n",
        ),
        // missing-parent, with a hint.
        (
            "goals/c.md",
            "+++\ntitle = \"Mở 3 chi nhánh mới trong Q4\"\nowner = \"an\"\nparent = \"oo\"\nperiod = \"2026-Q4\"\ntarget = 3\n+++\n",
        ),
        // zero-range.
        (
            "goals/d.md",
            "+++\ntitle = \"Giữ 5 kho hàng trong Q4\"\nowner = \"an\"\nparent = \"o\"\nperiod = \"2026-Q4\"\nbaseline = 5\ntarget = 5\n+++\n",
        ),
        // unknown-field: a misspelt `target`, and no second warning about a missing target.
        (
            "goals/e.md",
            "+++\ntitle = \"Đạt 90% khách hàng hài lòng\"\nkind = \"key-result\"\nowner = \"an\"\nparent = \"o\"\nperiod = \"2026-Q4\"\ntargt = 90\n+++\n",
        ),
        // parse: `target = 90%`.
        (
            "goals/f.md",
            "+++\ntitle = \"Đạt 90% tỷ lệ giữ chân\"\nowner = \"an\"\nparent = \"o\"\nperiod = \"2026-Q4\"\ntarget = 90%\n+++\n",
        ),
        // parse: `date = 01/12/2026`.
        (
            "goals/g.md",
            "+++\ntitle = \"Đạt 100 khách hàng mới\"\nowner = \"an\"\nparent = \"o\"\nperiod = \"2026-Q4\"\ntarget = 100\n\n[[checkin]]\ndate = 01/12/2026\nvalue = 40\n+++\n",
        ),
        // smart-time-bound: a kpi with a period; smart-measurable: check-ins of an initiative without target.
        (
            "goals/h.md",
            "+++\ntitle = \"Giữ NPS từ 45 trở lên\"\nkind = \"kpi\"\nowner = \"an\"\nparent = \"o\"\nperiod = \"2026-Q4\"\ntarget = 45\ncurrent = 50\n+++\n",
        ),
        (
            "goals/i.md",
            "+++\ntitle = \"Chạy chiến dịch hội thảo tháng 11\"\nkind = \"initiative\"\nowner = \"an\"\nparent = \"o\"\nperiod = \"2026-Q4\"\n\n[[checkin]]\ndate = 2026-11-01\nvalue = 3\n+++\n- [ ] Mời diễn giả\n",
        ),
        // stale-checkin.
        (
            "goals/j.md",
            "+++\ntitle = \"Đạt 200 đơn hàng trong Q4\"\nowner = \"an\"\nparent = \"o\"\nperiod = \"2026-Q4\"\ntarget = 200\n\n[[checkin]]\ndate = 2026-10-02\nvalue = 40\n+++\n",
        ),
    ])
}

const VI: &[&str] = &[
    "goals/a.md:2: warning[smart-specific]: `a` chưa có người phụ trách; hãy thêm `owner = \"tên\"` để có người chịu trách nhiệm",
    "goals/b.md:2: warning[smart-measurable]: kết quả then chốt `b` chưa có `target`; hãy thêm `target = …` (và `baseline`, `metric`) để đo được tiến độ",
    "goals/c.md:4: error[missing-parent]: `parent` ghi `oo` nhưng không có mục tiêu nào mang mã đó; có phải ý bạn là `o`?",
    "goals/d.md:7: error[zero-range]: `target` bằng `baseline` (5) nên không đo được tiến độ; hãy ghi giá trị ban đầu vào `baseline`",
    "goals/e.md:7: error[unknown-field]: khóa `targt` trong phần khai báo đầu tệp (front matter) không tồn tại; có phải ý bạn là `target`?",
    "goals/f.md:6: error[parse]: `target = 90%` không phải là số mà TOML đọc được; hãy viết `target = 90` và ghi đơn vị vào `unit = \"%\"`",
    "goals/g.md:9: error[parse]: `date = 01/12/2026` không phải là ngày mà TOML đọc được; ngày được viết theo năm-tháng-ngày, không có dấu ngoặc kép, ví dụ `date = 2026-12-01`",
    "goals/h.md:6: warning[smart-time-bound]: KPI là chỉ số theo dõi liên tục, không có thời hạn, nên `period` bị bỏ qua; hãy xóa nó, hoặc đổi mục tiêu thành key-result",
    "goals/i.md:8: warning[smart-measurable]: initiative này chưa có `target` nên các lần cập nhật bị bỏ qua; hãy thêm `target = …` (và `baseline`) để đo, hoặc xóa các lần cập nhật",
    "goals/j.md:8: warning[stale-checkin]: lần cập nhật gần nhất của `j` đã cách đây 53 ngày (2026-10-02), quá `status.stale-after-days` = 21; hãy ghi tiến độ bằng `goalbook checkin j GIÁ_TRỊ`",
];

#[test]
fn check_on_a_vietnamese_repository_speaks_vietnamese() {
    let tmp = problems("vi");
    let (code, out) = check(tmp.path());
    assert_eq!(code, 1, "{out}");
    for line in VI {
        assert!(out.lines().any(|l| l == *line), "missing line:\n{line}\nin:\n{out}");
    }
    assert!(out.ends_with("5 lỗi, 7 cảnh báo\n"), "{out}");
    // The check-ins of an initiative without target are ignored, so not stale either.
    assert!(!out.contains("goals/i.md:8: warning[stale-checkin]"), "{out}");
    // The misspelt target is reported once, as unknown-field.
    assert_eq!(out.matches("goals/e.md").count(), 1, "{out}");
}

#[test]
fn the_same_repository_in_english_says_what_to_write() {
    let tmp = problems("en");
    let (_, out) = check(tmp.path());
    for line in [
        "goals/f.md:6: error[parse]: `target = 90%` is not a number TOML can read; write `target = 90` and put the unit in `unit = \"%\"`",
        "goals/g.md:9: error[parse]: `date = 01/12/2026` is not a date TOML can read; dates are written year-month-day without quotes, like `date = 2026-12-01`",
        "goals/e.md:7: error[unknown-field]: unknown key `targt` in the front matter; did you mean `target`?",
        "goals/i.md:8: warning[smart-measurable]: this initiative has no `target`, so its check-ins are ignored; add `target = …` (and `baseline`) to measure it, or remove the check-ins",
        "goals/h.md:6: warning[smart-time-bound]: a kpi is an ongoing measure and has no dates, so `period` is ignored; remove it, or make the goal a key-result",
    ] {
        assert!(out.lines().any(|l| l == line), "missing line:\n{line}\nin:\n{out}");
    }
    assert_eq!(out.matches("goals/e.md").count(), 1, "no second warning after a misspelt key: {out}");
    assert!(out.ends_with("5 error(s), 7 warning(s)\n"), "{out}");
}

#[test]
fn build_speaks_the_book_language() {
    let tmp = problems("vi");
    let out = bin().arg("build").arg(tmp.path()).args(["--as-of", "2026-11-24"]).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains("5 lỗi, 7 cảnh báo\n"), "{err}");
    assert!(err.ends_with("dựng thất bại: hãy sửa các lỗi ở trên; bản dựng trước vẫn giữ nguyên\n"), "{err}");
    let ok = temp_repo(&[("book.toml", "[book]\nlanguage = \"vi\"\n")]);
    // An empty goals folder builds zero goals (a missing one is an error, issue 13).
    std::fs::create_dir(ok.path().join("goals")).unwrap();
    let dest = ok.path().join("out");
    let out =
        bin().arg("build").arg(ok.path()).arg("--dest").arg(&dest).args(["--as-of", "2026-11-24"]).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(err, format!("đã dựng 0 mục tiêu vào {}\n", dest.display()));
}

#[test]
fn a_wrong_type_is_explained_in_the_book_language() {
    let goal =
        "+++\ntitle = \"Ký 40 hợp đồng mới trong Q4\"\nowner = \"an\"\nperiod = \"2026-Q4\"\ntarget = \"40\"\n+++\n";
    for (lang, want) in [
        (
            "vi",
            "goals/a.md:5: error[bad-value]: `target` trong phần khai báo đầu tệp (front matter) phải là một số, không phải chuỗi chữ; hãy viết như `target = 400`",
        ),
        (
            "en",
            "goals/a.md:5: error[bad-value]: `target` in the front matter must be a number, not string; write it like `target = 400`",
        ),
    ] {
        let book = format!("[book]\nlanguage = \"{lang}\"\n");
        let tmp = temp_repo(&[("book.toml", &book), ("goals/a.md", goal)]);
        let (code, out) = check(tmp.path());
        assert_eq!(code, 1, "{out}");
        assert!(out.lines().any(|l| l == want), "missing:\n{want}\nin:\n{out}");
    }
}

#[test]
fn checkin_and_handout_speak_the_book_language() {
    let goal = "+++\ntitle = \"Ký 40 hợp đồng mới trong Q4\"\nowner = \"an\"\nperiod = \"2026-Q4\"\ntarget = 40\ncurrent = 10\n+++\n";
    let tmp = temp_repo(&[("book.toml", "[book]\nlanguage = \"vi\"\n"), ("goals/a.md", goal)]);
    let out = bin().args(["checkin", "a", "12", "--date", "2026-11-20", "--dir"]).arg(tmp.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "goals/a.md: cập nhật 2026-11-20 = 12; giá trị hiện tại 10 → 12\n"
    );
    let out = bin().args(["handout", "2027-Q1", "--as-of", "2026-11-24", "--dir"]).arg(tmp.path()).output().unwrap();
    assert_ne!(out.status.code(), Some(0));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("kỳ `2027-Q1` không có mục tiêu nào; các kỳ có mục tiêu: 2026, 2026-H2, 2026-Q4"), "{err}");
}

#[test]
fn init_speaks_the_language_of_the_new_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let out = bin()
        .arg("init")
        .arg(tmp.path())
        .args(["--lang", "vi"])
        .env("SOURCE_DATE_EPOCH", "1795478400")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("đã tạo book.toml\n"), "{text}");
    assert!(text.contains("\nTiếp theo: cd "), "{text}");
    let again = bin()
        .arg("init")
        .arg(tmp.path())
        .args(["--lang", "vi"])
        .env("SOURCE_DATE_EPOCH", "1795478400")
        .output()
        .unwrap();
    assert!(String::from_utf8(again.stdout).unwrap().starts_with("bỏ qua book.toml (tệp đã có)\n"));
}

/// A misspelt key is reported once, as unknown-field with its hint, and not
/// again as the SMART rule about that key missing.
#[test]
fn a_misspelt_key_is_not_reported_twice() {
    let goal = "+++\ntitle = \"Sign 40 new contracts in Q4\"\nownr = \"an\"\nparent = \"o\"\nperod = \"2026-Q4\"\ntarget = 40\n+++\n";
    let o = "+++\ntitle = \"Grow B2B revenue in 2026\"\nowner = \"lan\"\nperspective = \"finance\"\nperiod = \"2026\"\n+++\n";
    let tmp = temp_repo(&[("goals/a.md", goal), ("goals/o.md", o)]);
    let (_, out) = check(tmp.path());
    assert_eq!(
        out,
        "goals/a.md:3: error[unknown-field]: unknown key `ownr` in the front matter; did you mean `owner`?\n\
         goals/a.md:5: error[unknown-field]: unknown key `perod` in the front matter; did you mean `period`?\n\
         2 error(s), 0 warning(s)\n"
    );
}
