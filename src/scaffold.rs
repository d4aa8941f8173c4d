//! The files of a new goals repository (`goalbook init [DIR] [--lang en|vi] [--templates]`):
//! `book.toml`, a small example company (an objective, three key
//! results, an initiative and a kpi) in English or Vietnamese, a `.gitignore`
//! for what goalbook writes, a GitHub workflow that checks pull requests and
//! publishes the site on GitHub Pages (pinned to this goalbook's release), a
//! Dependabot configuration that keeps its actions current, and two scheduled
//! workflows: a daily `goalbook pull` that proposes new values from the goals'
//! sources as one pull request, and a weekly `goalbook remind` that keeps one
//! issue of due check-ins. `--templates` instead writes the built-in templates
//! and theme out for editing; [`write_new`] never overwrites a file.
//!
//! The example's dates follow today (or `SOURCE_DATE_EPOCH`): the objective
//! runs this year, the key results this quarter, and their values sit on the
//! expected pace, so a fresh repository shows live, mostly on-track goals.

use anyhow::{Context, Result, bail};
use chrono::{Datelike, NaiveDate};
use std::io::Write;
use std::path::Path;

/// The languages `init` writes examples in.
pub const LANGS: [&str; 2] = ["en", "vi"];

macro_rules! scaffold {
    ($lang:literal: $($path:literal),+ $(,)?) => {
        &[$(($path, include_str!(concat!("../scaffold/", $lang, "/", $path)))),+]
    };
}

const EN: &[(&str, &str)] = scaffold!("en":
    "book.toml",
    "goals/company/grow-online-sales.md",
    "goals/sales/online-revenue.md",
    "goals/marketing/newsletter-subscribers.md",
    "goals/marketing/referral-program.md",
    "goals/support/first-response-time.md",
    "goals/support/customer-satisfaction.md",
);

const VI: &[(&str, &str)] = scaffold!("vi":
    "book.toml",
    "goals/cong-ty/tang-truong-ban-hang-truc-tuyen.md",
    "goals/kinh-doanh/doanh-thu-truc-tuyen.md",
    "goals/marketing/nguoi-dang-ky-ban-tin.md",
    "goals/marketing/chuong-trinh-gioi-thieu.md",
    "goals/cskh/thoi-gian-phan-hoi.md",
    "goals/cskh/muc-do-hai-long.md",
);

const GITIGNORE: &str = include_str!("../scaffold/common/gitignore");
const WORKFLOW: &str = include_str!("../scaffold/common/goalbook.yml");
const DEPENDABOT: &str = include_str!("../scaffold/common/dependabot.yml");
/// Scheduled: daily `goalbook pull` into one rolling pull request (SPEC §7).
const PULL_WORKFLOW: &str = include_str!("../scaffold/common/goalbook-pull.yml");
/// Scheduled: weekly `goalbook remind` into one open issue.
const REMIND_WORKFLOW: &str = include_str!("../scaffold/common/goalbook-remind.yml");

/// The comments of the workflow and the Dependabot file in Vietnamese: the
/// YAML is the same in every language, only what a person reads differs.
const VI_COMMENTS: &[(&str, &str)] = &[
    ("# Written by `goalbook init` (goalbook", "# Do `goalbook init` viết (goalbook"),
    (
        "# Pull requests: check the goals (problems show as annotations on the changed\n\
         # lines), summarise the goal changes in the job summary and in one comment on\n\
         # the pull request (updated on every push, never repeated), and warn when\n\
         # .github/CODEOWNERS no longer matches the teams' leads.\n\
         # The default branch, and every day (so \"as of\" and the numbers move on):\n\
         # build the site and publish it on GitHub Pages\n",
        "# Pull request: kiểm tra các mục tiêu (lỗi hiện thành chú thích trên các dòng\n\
         # đã đổi), tóm tắt thay đổi của mục tiêu trong job summary và trong một bình\n\
         # luận trên pull request (cập nhật sau mỗi lần push, không lặp lại), và cảnh\n\
         # báo khi .github/CODEOWNERS không còn khớp với trưởng nhóm.\n\
         # Nhánh mặc định, và mỗi ngày (để ngày \"tính đến\" và các con số được cập\n\
         # nhật): dựng trang và xuất bản lên GitHub Pages\n",
    ),
    ("# the one comment with the goal changes", "# một bình luận duy nhất với các thay đổi của mục tiêu"),
    ("# the base branch, for `goalbook diff`", "# nhánh gốc, cho `goalbook diff`"),
    (
        "# The release binary of the goalbook that ran `goalbook init`; change both together.",
        "# Bản phát hành của goalbook đã chạy `goalbook init`; đổi cả hai cùng lúc.",
    ),
    (
        "# Exit code 1 means \"out of date\": a warning on the pull request, not a failure.",
        "# Mã thoát 1 nghĩa là \"đã cũ\": một cảnh báo trên pull request, không phải lỗi.",
    ),
    (
        "# A pull request from a fork gets a read-only token: the summary has to do.",
        "# Pull request từ một fork chỉ có token chỉ đọc: khi đó chỉ có bản tóm tắt.",
    ),
    (
        "# The scheduled run has no repository in its event; it always runs on the default branch.",
        "# Lần chạy theo lịch không có repository trong sự kiện; nó luôn chạy trên nhánh mặc định.",
    ),
    ("# configure-pages reads the site's address", "# configure-pages đọc địa chỉ của trang"),
    (
        "# the history of hand-edited `current` values, for the charts",
        "# lịch sử các giá trị `current` sửa tay, cho biểu đồ",
    ),
    (
        "# \"/<repository>\" for a project site, \"\" for a user site or a custom domain.",
        "# \"/<repository>\" cho trang của dự án, \"\" cho trang người dùng hoặc tên miền riêng.",
    ),
    (
        "# Written by `goalbook init`: keeps the actions of .github/workflows current,\n\
         # goalbook's own setup action included, one pull request per update.",
        "# Do `goalbook init` viết: giữ các action trong .github/workflows luôn mới,\n\
         # kể cả action cài đặt của goalbook, mỗi bản cập nhật một pull request.",
    ),
    (
        "# Every day: read the [source] of each goal (`goalbook pull`) and, when a value\n\
         # changed, propose the new check-ins as one pull request from the branch\n\
         # `goalbook/pull`, with `goalbook diff` as its description. The next run\n\
         # updates that pull request instead of opening another; merge it to record\n\
         # the values. A source that fails is shown in the log and fails the run, after\n\
         # the values of the other sources have been proposed.\n\
         #\n\
         # Two GitHub settings this needs:\n\
         # - Settings → Actions → General → Workflow permissions: tick \"Allow GitHub\n\
         #   Actions to create and approve pull requests\", or `gh pr create` is refused.\n\
         # - A pull request opened with the default GITHUB_TOKEN does not start other\n\
         #   workflows, so the check of goalbook.yml does not run on it. To have it run,\n\
         #   add a repository secret GOALBOOK_PULL_TOKEN: a fine-grained personal access\n\
         #   token (Contents and Pull requests: read and write) or a GitHub App\n\
         #   installation token. It is used instead of GITHUB_TOKEN when it is set.\n",
        "# Mỗi ngày: đọc [source] của từng mục tiêu (`goalbook pull`) và, khi một giá trị\n\
         # thay đổi, đề xuất các lần cập nhật mới trong một pull request từ nhánh\n\
         # `goalbook/pull`, với `goalbook diff` làm mô tả. Lần chạy sau cập nhật pull\n\
         # request đó thay vì mở cái mới; merge nó để ghi nhận các giá trị. Một nguồn\n\
         # bị lỗi được ghi trong log và làm lần chạy thất bại, sau khi giá trị của các\n\
         # nguồn khác đã được đề xuất.\n\
         #\n\
         # Hai thiết lập GitHub cần có:\n\
         # - Settings → Actions → General → Workflow permissions: đánh dấu \"Allow GitHub\n\
         #   Actions to create and approve pull requests\", nếu không `gh pr create` bị từ chối.\n\
         # - Pull request mở bằng GITHUB_TOKEN mặc định không khởi động workflow khác,\n\
         #   nên bước kiểm tra của goalbook.yml không chạy trên nó. Muốn nó chạy, thêm\n\
         #   secret GOALBOOK_PULL_TOKEN cho repository: một fine-grained personal access\n\
         #   token (Contents và Pull requests: đọc và ghi) hoặc token cài đặt của một\n\
         #   GitHub App. Khi có, nó được dùng thay cho GITHUB_TOKEN.\n",
    ),
    ("# daily at 05:17 UTC", "# hằng ngày lúc 05:17 UTC"),
    ("# push the branch goalbook/pull", "# đẩy nhánh goalbook/pull"),
    ("# open and update its pull request", "# mở và cập nhật pull request của nó"),
    ("# the default branch, for `goalbook diff`", "# nhánh mặc định, cho `goalbook diff`"),
    (
        "# The secrets your [source] tables name as ${NAME}, for example:",
        "# Các secret mà bảng [source] của bạn gọi bằng ${NAME}, ví dụ:",
    ),
    (
        "# A failing source is remembered; the values of the others are still proposed.",
        "# Một nguồn lỗi được ghi nhớ; giá trị của các nguồn khác vẫn được đề xuất.",
    ),
    (
        "# A scheduled run checks out the default branch; its event names no repository.",
        "# Lần chạy theo lịch lấy nhánh mặc định; sự kiện của nó không có repository.",
    ),
    (
        "# Every Monday: list the goals that need their owners (`goalbook remind`: a\n\
         # check-in older than `status.stale-after-days` or missing, due within 14\n\
         # days, or off track) in one open issue labelled `goalbook-remind`, updated\n\
         # each week, with a comment that mentions the owners who have a `github`\n\
         # handle in `[people]` of book.toml. When nothing is due, the issue is closed.\n",
        "# Mỗi thứ Hai: liệt kê các mục tiêu cần người phụ trách (`goalbook remind`: lần\n\
         # cập nhật cũ hơn `status.stale-after-days` hoặc chưa có, đến hạn trong 14 ngày,\n\
         # hoặc chậm tiến độ) trong một issue mở có nhãn `goalbook-remind`, cập nhật mỗi\n\
         # tuần, kèm một bình luận nhắc tên những người phụ trách có `github` trong\n\
         # `[people]` của book.toml. Khi không còn gì đến hạn, issue được đóng.\n",
    ),
    ("# Mondays at 07:00 UTC", "# thứ Hai lúc 07:00 UTC"),
    ("# open, update and close the one issue", "# mở, cập nhật và đóng issue duy nhất"),
    ("# the history of hand-edited `current` values\n", "# lịch sử các giá trị `current` sửa tay\n"),
    (
        "# Mentions notify only in new text: one comment a week names the owners.",
        "# Chỉ văn bản mới mới gửi thông báo khi nhắc tên: mỗi tuần một bình luận nêu tên người phụ trách.",
    ),
];

/// `text` with its comments in `lang`.
fn localise(text: &str, lang: &str) -> String {
    let mut text = text.to_string();
    if lang == "vi" {
        for (en, vi) in VI_COMMENTS {
            text = text.replace(en, vi);
        }
    }
    text
}

/// The workflow `init` writes, pinned to this goalbook's release (`{{version}}`),
/// its comments in `lang`.
pub fn workflow(lang: &str) -> String {
    pinned(WORKFLOW, lang)
}

/// A workflow of `init` pinned to this goalbook's release, its comments in `lang`.
fn pinned(text: &str, lang: &str) -> String {
    localise(text, lang).replace("{{version}}", env!("CARGO_PKG_VERSION"))
}

/// The files of a new repository in `lang`, dated from `today`: (path, bytes).
pub fn scaffold(lang: &str, today: NaiveDate) -> Result<Vec<(String, Vec<u8>)>> {
    let (files, revenue) = match lang {
        "en" => (EN, (80_000.0, 120_000.0, 1_000.0)),
        "vi" => (VI, (2_000_000_000.0, 3_000_000_000.0, 10_000_000.0)),
        _ => bail!("unknown language `{lang}`; use one of: {}", LANGS.join(", ")),
    };
    let quarter0 = today.month0() / 3;
    let q_start = NaiveDate::from_ymd_opt(today.year(), quarter0 * 3 + 1, 1).context("date out of range")?;
    let q_next = q_start.checked_add_months(chrono::Months::new(3)).context("date out of range")?;
    let span = (q_next - q_start).num_days() - 1;
    let elapsed = (today - q_start).num_days() as f64 / span.max(1) as f64;
    // On the expected pace, and a little behind it: one on-track, one at-risk goal.
    let on_pace = |baseline: f64, target: f64, pace: f64, step: f64| {
        let v = baseline + (target - baseline) * elapsed * pace;
        format!("{}", ((v / step).ceil() * step) as i64)
    };
    let vars = [
        ("{{year}}", today.year().to_string()),
        ("{{quarter}}", format!("{}-Q{}", today.year(), quarter0 + 1)),
        ("{{today}}", today.format("%Y-%m-%d").to_string()),
        ("{{revenue}}", on_pace(revenue.0, revenue.1, 1.0, revenue.2)),
        ("{{subscribers}}", on_pace(2_000.0, 5_000.0, 0.8, 10.0)),
    ];
    let mut out = Vec::new();
    for (path, text) in files {
        let mut text = text.to_string();
        for (key, value) in &vars {
            text = text.replace(key, value);
        }
        out.push((path.to_string(), text.into_bytes()));
    }
    out.push((".gitignore".to_string(), GITIGNORE.as_bytes().to_vec()));
    out.push((".github/workflows/goalbook.yml".to_string(), workflow(lang).into_bytes()));
    out.push((".github/workflows/goalbook-pull.yml".to_string(), pinned(PULL_WORKFLOW, lang).into_bytes()));
    out.push((".github/workflows/goalbook-remind.yml".to_string(), pinned(REMIND_WORKFLOW, lang).into_bytes()));
    out.push((".github/dependabot.yml".to_string(), localise(DEPENDABOT, lang).into_bytes()));
    Ok(out)
}

/// The built-in templates and theme files, as `init --templates` writes them.
pub fn templates() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = crate::render::theme::TEMPLATES
        .iter()
        .map(|(name, text)| (format!("templates/{name}"), text.as_bytes().to_vec()))
        .collect();
    out.extend(
        crate::render::theme::THEME_FILES
            .iter()
            .map(|(name, bytes)| (format!("themes/default/{name}"), bytes.to_vec())),
    );
    out
}

/// Writes the files that do not exist yet; returns (written, skipped) paths.
pub fn write_new(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<(Vec<String>, Vec<String>)> {
    let mut written = Vec::new();
    let mut skipped = Vec::new();
    for (rel, bytes) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            crate::fs::create_dir_all(parent)?;
        }
        // `create_new` fails on an existing file, so nothing is ever overwritten.
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut f) => {
                f.write_all(bytes).with_context(|| format!("failed to write `{}`", path.display()))?;
                written.push(rel.clone());
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => skipped.push(rel.clone()),
            Err(e) => return Err(e).with_context(|| format!("failed to create `{}`", path.display())),
        }
    }
    Ok((written, skipped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vietnamese_comment_replaces_one_english_one() {
        for (en, vi) in VI_COMMENTS {
            let found = [WORKFLOW, DEPENDABOT, PULL_WORKFLOW, REMIND_WORKFLOW]
                .iter()
                .map(|f| f.matches(en).count())
                .sum::<usize>();
            assert!(found >= 1, "`{en}` is no longer in a workflow or dependabot.yml; update VI_COMMENTS");
            assert!(!vi.is_empty());
        }
        let vi = workflow("vi")
            + &localise(DEPENDABOT, "vi")
            + &pinned(PULL_WORKFLOW, "vi")
            + &pinned(REMIND_WORKFLOW, "vi");
        for line in vi.lines().filter(|l| l.trim_start().starts_with('#') && !l.contains("Settings →")) {
            assert!(!line.contains(" the "), "an English comment left in the Vietnamese workflow: {line}");
        }
    }

    #[test]
    fn example_values_follow_the_date() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let files = scaffold("en", day(2026, 11, 15)).unwrap();
        let text = |p: &str| String::from_utf8(files.iter().find(|f| f.0 == p).unwrap().1.clone()).unwrap();
        let kr = text("goals/sales/online-revenue.md");
        assert!(kr.contains("period = \"2026-Q4\"\n"), "{kr}");
        assert!(kr.contains("date = 2026-11-15\nvalue = 100000\n"), "{kr}");
        assert!(text("book.toml").contains("title = \"Acme goals 2026\"\n"));
        let start = scaffold("vi", day(2027, 1, 1)).unwrap();
        let kr = String::from_utf8(start.iter().find(|f| f.0.ends_with("doanh-thu-truc-tuyen.md")).unwrap().1.clone());
        assert!(kr.unwrap().contains("date = 2027-01-01\nvalue = 2000000000\n"));
        assert!(scaffold("fr", day(2026, 1, 1)).is_err());
    }
}
