//! `book.toml` → [`Config`]: every key of SPEC §1 with its default.
//!
//! Read with [`crate::fields`] rather than serde so that every unknown key and
//! bad value is reported at once, with its line and a "did you mean" hint.

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::fields::{self, Fields, Source};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// What a `[lint]` rule does when it finds a problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Off,
    Warn,
    Error,
}

/// Paper size of the review handouts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paper {
    A4,
    Letter,
}

impl Paper {
    pub fn as_str(self) -> &'static str {
        match self {
            Paper::A4 => "A4",
            Paper::Letter => "letter",
        }
    }
}

/// A person of `[people]`: how an owner is shown and reached.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Person {
    pub name: Option<String>,
    /// GitHub user name, without `@`.
    pub github: Option<String>,
    pub email: Option<String>,
}

/// A team of `[teams]`: how a team is shown and who leads it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Team {
    pub name: Option<String>,
    /// The lead's owner id (a key of `[people]` or any owner id).
    pub lead: Option<String>,
}

/// The typed `book.toml`.
#[derive(Clone, Debug)]
pub struct Config {
    pub title: String,
    pub language: String,
    pub description: String,
    pub goals_dir: String,
    pub build_dir: String,
    pub theme: String,
    pub git_history: bool,
    /// `[build] as-of`: the pinned date the numbers are computed for.
    pub as_of: Option<NaiveDate>,
    pub org_name: String,
    pub fiscal_year_start: u32,
    pub on_track: f64,
    pub at_risk: f64,
    pub stale_after_days: i64,
    pub max_growth: f64,
    /// Level per lintable diagnostic code; codes not listed keep their default.
    pub lint_levels: BTreeMap<Code, Level>,
    pub site_url: String,
    pub allow_html: bool,
    pub paper: Paper,
    /// Custom labels of the four perspectives, keyed by perspective name.
    pub perspective_labels: BTreeMap<String, String>,
    /// `[output.html] edit-url-template`, with `{path}` for the goal file's path.
    pub edit_url_template: Option<String>,
    /// `[people]`, keyed by owner id.
    pub people: BTreeMap<String, Person>,
    /// `[teams]`, keyed by team id.
    pub teams: BTreeMap<String, Team>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Goals".to_string(),
            language: "en".to_string(),
            description: String::new(),
            goals_dir: "goals".to_string(),
            build_dir: "book".to_string(),
            theme: "default".to_string(),
            git_history: true,
            as_of: None,
            org_name: String::new(),
            fiscal_year_start: 1,
            on_track: 0.9,
            at_risk: 0.7,
            stale_after_days: 21,
            max_growth: 3.0,
            lint_levels: BTreeMap::new(),
            site_url: "/".to_string(),
            allow_html: false,
            paper: Paper::A4,
            perspective_labels: BTreeMap::new(),
            edit_url_template: None,
            people: BTreeMap::new(),
            teams: BTreeMap::new(),
        }
    }
}

/// The rules `[lint]` can set, by their diagnostic code name.
const LINT_RULES: [(&str, Code); 6] = [
    ("smart-specific", Code::SmartSpecific),
    ("smart-measurable", Code::SmartMeasurable),
    ("smart-achievable", Code::SmartAchievable),
    ("smart-relevant", Code::SmartRelevant),
    ("smart-time-bound", Code::SmartTimeBound),
    ("stale-checkin", Code::StaleCheckin),
];

impl Config {
    /// The organisation shown on handouts: `org.name`, else the book title.
    pub fn organisation(&self) -> &str {
        if self.org_name.is_empty() { &self.title } else { &self.org_name }
    }

    /// How an owner is shown: its `[people]` name, else the id.
    pub fn person_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.people.get(id).and_then(|p| p.name.as_deref()).unwrap_or(id)
    }

    /// How a team is shown: its `[teams]` name, else the id.
    pub fn team_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.teams.get(id).and_then(|t| t.name.as_deref()).unwrap_or(id)
    }

    /// Applies `[lint]` levels to a diagnostic; `None` when the rule is off.
    pub fn apply_level(&self, mut d: Diagnostic) -> Option<Diagnostic> {
        match self.lint_levels.get(&d.code) {
            Some(Level::Off) => None,
            Some(Level::Warn) => {
                d.severity = Severity::Warning;
                Some(d)
            }
            Some(Level::Error) => {
                d.severity = Severity::Error;
                Some(d)
            }
            None => Some(d),
        }
    }

    /// Parses `book.toml` text. Problems come back as diagnostics; the config
    /// returned always holds usable values (defaults where a key was bad).
    pub fn parse(file: &str, text: &str) -> (Config, Vec<Diagnostic>) {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let src = Source { file, text, offset: 0 };
        let mut config = Config::default();
        let table = match fields::parse(src, text) {
            Ok(t) => t,
            Err(d) => return (config, vec![d]),
        };
        let mut root = Fields::new(src, table.get_ref(), table.span(), "book.toml");
        let mut diags = Vec::new();
        type Section = fn(&mut Config, &mut Fields, &mut Vec<Diagnostic>);
        let sections: [(&str, &str, Section); 9] = [
            ("book", "[book]", Config::read_book),
            ("build", "[build]", Config::read_build),
            ("org", "[org]", Config::read_org),
            ("status", "[status]", Config::read_status),
            ("lint", "[lint]", Config::read_lint),
            ("output", "[output]", Config::read_output),
            ("perspectives", "[perspectives]", Config::read_perspectives),
            ("people", "[people]", Config::read_people),
            ("teams", "[teams]", Config::read_teams),
        ];
        for (key, example, read) in sections {
            if let Some(mut t) = root.table(key, example) {
                read(&mut config, &mut t, &mut diags);
                diags.extend(t.finish());
            }
        }
        diags.extend(root.finish());
        (config, diags)
    }

    /// `[book]`: title, language, description.
    fn read_book(&mut self, t: &mut Fields, _: &mut Vec<Diagnostic>) {
        if let Some(v) = t.string("title", "\"Acme 2026 goals\"") {
            self.title = v;
        }
        if let Some(v) = t.string("language", "\"en\"") {
            let known: Vec<&str> = crate::i18n::LANGUAGES.iter().map(|(code, _)| *code).collect();
            if known.contains(&v.as_str()) {
                self.language = v;
            } else {
                let list = known.iter().map(|k| format!("\"{k}\"")).collect::<Vec<_>>().join(", ");
                t.error("language", Code::BadValue, format!("unknown language `{v}`; use one of {list}"));
            }
        }
        if let Some(v) = t.string("description", "\"…\"") {
            self.description = v;
        }
        // mdBook's keys, accepted so an mdBook `book.toml` is familiar.
        t.string_list("authors", "[\"Lan Nguyen\"]");
    }

    /// `[build]`: folders, theme, git history, a pinned date.
    fn read_build(&mut self, t: &mut Fields, _: &mut Vec<Diagnostic>) {
        for (key, slot) in
            [("goals-dir", &mut self.goals_dir), ("build-dir", &mut self.build_dir), ("theme", &mut self.theme)]
        {
            if let Some(v) = t.string(key, "\"…\"") {
                if v.trim().is_empty() {
                    t.error(key, Code::BadValue, format!("`{key}` must not be empty"));
                } else {
                    *slot = v;
                }
            }
        }
        if let Some(v) = t.boolean("git-history") {
            self.git_history = v;
        }
        if let Some(v) = t.date("as-of") {
            self.as_of = Some(v);
        }
    }

    /// `[org]`: name and the month the fiscal year starts.
    fn read_org(&mut self, t: &mut Fields, _: &mut Vec<Diagnostic>) {
        if let Some(v) = t.string("name", "\"Acme Corp\"") {
            self.org_name = v;
        }
        if let Some(v) = t.integer("fiscal-year-start", "4") {
            if (1..=12).contains(&v) {
                self.fiscal_year_start = v as u32;
            } else {
                t.error(
                    "fiscal-year-start",
                    Code::BadValue,
                    format!("`fiscal-year-start` is a month from 1 to 12, not {v}"),
                );
            }
        }
    }

    /// `[status]`: the pace thresholds and when a check-in is stale.
    fn read_status(&mut self, t: &mut Fields, _: &mut Vec<Diagnostic>) {
        for (key, slot) in [("on-track", &mut self.on_track), ("at-risk", &mut self.at_risk)] {
            if let Some(v) = t.number(key, "0.9") {
                if (0.0..=10.0).contains(&v) {
                    *slot = v;
                } else {
                    t.error(
                        key,
                        Code::BadValue,
                        format!("`{key}` is a ratio of progress to expected pace, like 0.9; {v} is out of range"),
                    );
                }
            }
        }
        if let Some(v) = t.integer("stale-after-days", "21") {
            if (1..=3660).contains(&v) {
                self.stale_after_days = v;
            } else {
                t.error(
                    "stale-after-days",
                    Code::BadValue,
                    format!("`stale-after-days` must be between 1 and 3660 days, not {v}"),
                );
            }
        }
    }

    /// `[lint]`: the growth limit and the level of each rule.
    fn read_lint(&mut self, t: &mut Fields, _: &mut Vec<Diagnostic>) {
        if let Some(v) = t.number("max-growth", "3.0") {
            if v > 1.0 {
                self.max_growth = v;
            } else {
                t.error(
                    "max-growth",
                    Code::BadValue,
                    format!("`max-growth` is a target/baseline ratio above 1, like 3.0; {v} is not"),
                );
            }
        }
        for (key, code) in LINT_RULES {
            if let Some(v) = t.string(key, "\"warn\"") {
                let level = match v.as_str() {
                    "off" => Level::Off,
                    "warn" => Level::Warn,
                    "error" => Level::Error,
                    _ => {
                        t.error(
                            key,
                            Code::BadValue,
                            format!("`{key}` must be \"off\", \"warn\" or \"error\", not \"{v}\""),
                        );
                        continue;
                    }
                };
                self.lint_levels.insert(code, level);
            }
        }
    }

    /// `[output.html]` and `[output.handout]`.
    fn read_output(&mut self, output: &mut Fields, diags: &mut Vec<Diagnostic>) {
        if let Some(mut t) = output.table("html", "[output.html]") {
            if let Some(v) = t.string("site-url", "\"/acme-goals/\"") {
                // A path on the site's own host: `https://…` or `//host/`
                // here would make `404.html` load its CSS from elsewhere.
                if site_url_is_a_path(&v) {
                    self.site_url = v;
                } else {
                    t.error_msg(
                        "site-url",
                        Code::BadValue,
                        "site-url-not-path",
                        &[("value", crate::diagnostic::printable(&v).into_owned())],
                    );
                }
            }
            if let Some(v) = t.boolean("allow-html") {
                self.allow_html = v;
            }
            if let Some(v) = t.string("edit-url-template", "\"https://github.com/acme/goals/edit/main/{path}\"") {
                if v.contains("{path}") {
                    self.edit_url_template = Some(v);
                } else {
                    t.error(
                        "edit-url-template",
                        Code::BadValue,
                        "`edit-url-template` must contain `{path}`, where the goal file's path goes; write it like \
                     `edit-url-template = \"https://github.com/acme/goals/edit/main/{path}\"`",
                    );
                }
            }
            diags.extend(t.finish());
        }
        if let Some(mut t) = output.table("handout", "[output.handout]") {
            if let Some(v) = t.string("paper", "\"a4\"") {
                match v.to_ascii_lowercase().as_str() {
                    "a4" => self.paper = Paper::A4,
                    "letter" => self.paper = Paper::Letter,
                    _ => t.error("paper", Code::BadValue, format!("`paper` must be \"a4\" or \"letter\", not \"{v}\"")),
                }
            }
            diags.extend(t.finish());
        }
    }

    /// `[perspectives]`: the labels of the four perspectives.
    fn read_perspectives(&mut self, t: &mut Fields, _: &mut Vec<Diagnostic>) {
        for key in crate::terms::Perspective::NAMES {
            if let Some(v) = t.string(key, "\"Financial\"") {
                self.perspective_labels.insert(key.to_string(), v);
            }
        }
    }

    /// `[people]`: names and handles of owners.
    fn read_people(&mut self, t: &mut Fields, diags: &mut Vec<Diagnostic>) {
        for (id, mut p) in t.named_tables("{ name = \"Nguyễn Thị Lan\", github = \"lan-nguyen\" }") {
            let person = Person {
                name: non_empty(p.string("name", "\"Nguyễn Thị Lan\"")),
                github: non_empty(p.string("github", "\"lan-nguyen\"")).map(|g| g.trim_start_matches('@').to_string()),
                email: non_empty(p.string("email", "\"lan@acme.vn\"")),
            };
            diags.extend(p.finish());
            self.people.insert(id.trim().to_string(), person);
        }
    }

    /// `[teams]`: names and leads of teams.
    fn read_teams(&mut self, t: &mut Fields, diags: &mut Vec<Diagnostic>) {
        for (id, mut team) in t.named_tables("{ name = \"Marketing\", lead = \"lan.nguyen\" }") {
            let entry = Team {
                name: non_empty(team.string("name", "\"Marketing\"")),
                lead: non_empty(team.string("lead", "\"lan.nguyen\"")),
            };
            diags.extend(team.finish());
            self.teams.insert(id.trim().to_string(), entry);
        }
    }
}

/// `[output.html] site-url`: a path that starts and ends with `/`, names no
/// host (`//…`) and holds nothing a URL would read as another part.
pub fn site_url_is_a_path(v: &str) -> bool {
    v.starts_with('/')
        && v.ends_with('/')
        && !v.starts_with("//")
        && !v.chars().any(|c| c.is_control() || c.is_whitespace() || matches!(c, '\\' | '?' | '#' | '"' | '<' | '>'))
}

/// A trimmed string, `None` when empty.
fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_book_toml_gives_defaults() {
        let (c, d) = Config::parse("book.toml", "");
        assert!(d.is_empty());
        assert_eq!(c.build_dir, "book");
        assert_eq!(c.goals_dir, "goals");
        assert_eq!(c.fiscal_year_start, 1);
        assert_eq!(c.on_track, 0.9);
        assert_eq!(c.at_risk, 0.7);
        assert_eq!(c.stale_after_days, 21);
        assert_eq!(c.max_growth, 3.0);
        assert_eq!(c.language, "en");
    }

    #[test]
    fn unknown_keys_suggest_the_nearest() {
        let text = "[book]\ntitle = \"x\"\nlangauge = \"vi\"\n\n[org]\nfiscal-year-strat = 4\n[bulid]\n";
        let (_, d) = Config::parse("book.toml", text);
        let msgs: Vec<String> = d.iter().map(|d| format!("{}:{}", d.line, d.message)).collect();
        assert_eq!(d.len(), 3, "{msgs:?}");
        assert!(msgs[0].starts_with("3:unknown key `langauge` in [book]; did you mean `language`?"), "{msgs:?}");
        assert!(
            msgs[1].starts_with("6:unknown key `fiscal-year-strat` in [org]; did you mean `fiscal-year-start`?"),
            "{msgs:?}"
        );
        assert!(msgs[2].starts_with("7:unknown key `bulid` in book.toml; did you mean `build`?"), "{msgs:?}");
    }

    #[test]
    fn bad_values_are_reported_with_lines() {
        let text = "[org]\nfiscal-year-start = 13\n[lint]\nsmart-specific = \"loud\"\n";
        let (c, d) = Config::parse("book.toml", text);
        assert_eq!(c.fiscal_year_start, 1);
        assert_eq!(d.len(), 2);
        assert_eq!((d[0].code, d[0].line), (Code::BadValue, 2));
        assert_eq!((d[1].code, d[1].line), (Code::BadValue, 4));
    }

    #[test]
    fn lint_levels_apply() {
        let (c, d) = Config::parse("book.toml", "[lint]\nsmart-specific = \"off\"\nstale-checkin = \"error\"\n");
        assert!(d.is_empty());
        assert!(c.apply_level(Diagnostic::new(Code::SmartSpecific, "f", 1, "m")).is_none());
        let e = c.apply_level(Diagnostic::new(Code::StaleCheckin, "f", 1, "m")).unwrap();
        assert_eq!(e.severity, Severity::Error);
    }

    #[test]
    fn people_teams_edit_url_and_as_of() {
        let text = r#"
[build]
as-of = 2026-11-24

[output.html]
edit-url-template = "https://github.com/acme/goals/edit/main/{path}"

[people]
"lan.nguyen" = { name = " Nguyễn Thị Lan ", github = "@lan-nguyen", email = "lan@acme.vn" }
minh = { github = "" }

[teams]
marketing = { name = "Marketing", lead = "lan.nguyen" }
"#;
        let (c, d) = Config::parse("book.toml", text);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.as_of, NaiveDate::from_ymd_opt(2026, 11, 24));
        assert_eq!(c.edit_url_template.as_deref(), Some("https://github.com/acme/goals/edit/main/{path}"));
        let lan = &c.people["lan.nguyen"];
        assert_eq!(lan.name.as_deref(), Some("Nguyễn Thị Lan"));
        assert_eq!(lan.github.as_deref(), Some("lan-nguyen"));
        assert_eq!(lan.email.as_deref(), Some("lan@acme.vn"));
        assert_eq!(c.people["minh"], Person::default());
        assert_eq!(c.person_name("lan.nguyen"), "Nguyễn Thị Lan");
        assert_eq!(c.person_name("minh"), "minh");
        assert_eq!(c.team_name("marketing"), "Marketing");
        assert_eq!(c.team_name("sales"), "sales");
        assert_eq!(c.teams["marketing"].lead.as_deref(), Some("lan.nguyen"));
    }

    #[test]
    fn people_and_teams_report_bad_entries() {
        let text = "[people]\nlan = \"Lan\"\nminh = { nmae = \"Minh\" }\n[teams]\nsales = { lead = 3 }\n\
                    [output.html]\nedit-url-template = \"https://x/edit\"\n";
        let (_, d) = Config::parse("book.toml", text);
        let lines: Vec<(u32, Code)> = d.iter().map(|d| (d.line, d.code)).collect();
        assert!(lines.contains(&(2, Code::BadValue)), "{d:?}");
        assert!(lines.contains(&(3, Code::UnknownField)), "{d:?}");
        assert!(d.iter().any(|d| d.code == Code::UnknownField && d.message.contains("did you mean `name`")), "{d:?}");
        assert!(lines.contains(&(5, Code::BadValue)), "{d:?}");
        assert!(lines.contains(&(7, Code::BadValue)), "{d:?}");
    }
}
