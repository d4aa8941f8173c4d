//! The `goalbook` command line: parse arguments, call the library, set the exit code.

use clap::{Parser, Subcommand, ValueEnum};
use goalbook::diagnostic::Format;
use std::path::PathBuf;
use std::process::ExitCode;

// A build allocates and frees millions of small strings on two threads;
// glibc's allocator spent ~10 % of a 10,000-goal build in malloc/free and
// its large pages were unmapped and faulted in again (bench/RESULTS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "goalbook",
    version,
    about = "Goals as code: a git repository of goals → a static site and review handouts"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Text,
    Json,
    Github,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site (and goals.json) into the build folder
    Build {
        /// The goals repository (default: current folder)
        dir: Option<PathBuf>,
        /// Output folder (default: `[build] build-dir` of book.toml)
        #[arg(long)]
        dest: Option<PathBuf>,
        /// Compute numbers as of this date (YYYY-MM-DD)
        #[arg(long)]
        as_of: Option<String>,
        /// Path prefix the site is served under, e.g. /acme-goals/ (overrides `[output.html] site-url`)
        #[arg(long)]
        site_url: Option<String>,
    },
    /// Validate the goals and report every problem
    Check {
        dir: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: FormatArg,
        /// Fail on warnings too
        #[arg(long)]
        strict: bool,
        #[arg(long)]
        as_of: Option<String>,
    },
    /// Start a goals repository: book.toml, example goals, .gitignore, GitHub workflow
    Init {
        /// Folder to create it in (default: current folder); existing files are kept
        dir: Option<PathBuf>,
        /// Language of the example goals
        #[arg(long, value_enum, default_value = "en")]
        lang: LangArg,
        /// Write only the built-in templates and theme, for editing
        #[arg(long)]
        templates: bool,
    },
    /// Build, serve on 127.0.0.1, rebuild and reload pages on change
    #[cfg(feature = "serve")]
    Serve {
        dir: Option<PathBuf>,
        /// Port on 127.0.0.1 (0 picks a free one)
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
        #[arg(long)]
        as_of: Option<String>,
    },
    /// Record progress: append a [[checkin]] to a goal's file, keeping its formatting
    Checkin {
        /// The goal's id, e.g. marketing/q4-mqls
        goal: String,
        /// The measured value, e.g. 260
        #[arg(allow_negative_numbers = true)]
        value: String,
        /// Date of the measurement, YYYY-MM-DD (default: today)
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        note: Option<String>,
        /// How sure the owner is of reaching the target, 0 to 1
        #[arg(long)]
        confidence: Option<String>,
        /// The goals repository (default: current folder)
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Write .github/CODEOWNERS: each team's goal files need its lead's review
    Codeowners {
        /// The goals repository (default: current folder)
        dir: Option<PathBuf>,
        /// Write nothing; exit 1 when the file is out of date
        #[arg(long)]
        check: bool,
        /// `github` prints the out-of-date message as a workflow warning
        #[arg(long, value_enum, default_value = "text")]
        format: CodeownersFormatArg,
    },
    /// Goal changes between two git revisions, as Markdown for a PR comment
    Diff {
        /// The revision before, e.g. origin/main
        base: String,
        /// The revision after
        #[arg(default_value = "HEAD")]
        head: String,
        #[arg(long, value_enum, default_value = "markdown")]
        format: DiffFormatArg,
        /// The goals repository (default: current folder)
        #[arg(long)]
        dir: Option<PathBuf>,
        #[arg(long)]
        as_of: Option<String>,
    },
    /// Printable review handout of a period: HTML, or PDF printed by headless Chromium
    Handout {
        /// The period, e.g. 2026-Q4, 2026-H2, 2026 or 2026-11
        period: String,
        /// Only the goals of this team
        #[arg(long)]
        team: Option<String>,
        /// Output file (default: handout-PERIOD[-TEAM].html, or .pdf with --pdf, in the build folder)
        #[arg(long)]
        dest: Option<PathBuf>,
        /// Print to PDF with Chromium (GOALBOOK_CHROMIUM, else chromium or google-chrome on PATH)
        #[arg(long)]
        pdf: bool,
        /// Paper size (default: `[output.handout] paper` of book.toml, else a4)
        #[arg(long, value_parser = ["a4", "letter"], ignore_case = true)]
        paper: Option<String>,
        /// Compute numbers as of this date (YYYY-MM-DD)
        #[arg(long)]
        as_of: Option<String>,
        /// The goals repository (default: current folder)
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Read each goal's [source] and record changed values as check-ins
    Pull {
        /// The goals repository (default: current folder)
        dir: Option<PathBuf>,
        /// Only this goal
        #[arg(long)]
        goal: Option<String>,
        /// Date of the check-ins, YYYY-MM-DD (default: today)
        #[arg(long)]
        date: Option<String>,
        /// Print what would be written; write nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Who owes a check-in, what is due soon, what is off track
    Remind {
        /// The goals repository (default: current folder)
        dir: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: RemindFormatArg,
        /// Goals due within this many days
        #[arg(long, default_value_t = 14)]
        within: u32,
        #[arg(long)]
        as_of: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum RemindFormatArg {
    Text,
    Markdown,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    En,
    Vi,
}

#[derive(Clone, Copy, ValueEnum)]
enum CodeownersFormatArg {
    Text,
    Github,
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormatArg {
    Markdown,
    Json,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            // SPEC §2: 2 for usage errors; help and version are not errors.
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let here = PathBuf::from(".");
    let result = match cli.command {
        Command::Build { dir, dest, as_of, site_url } => goalbook::cmd::build::run(
            dir.as_ref().unwrap_or(&here),
            dest.as_deref(),
            as_of.as_deref(),
            site_url.as_deref(),
        ),
        Command::Check { dir, format, strict, as_of } => {
            let format = match format {
                FormatArg::Text => Format::Text,
                FormatArg::Json => Format::Json,
                FormatArg::Github => Format::Github,
            };
            goalbook::cmd::check::run(dir.as_ref().unwrap_or(&here), format, strict, as_of.as_deref())
        }
        Command::Init { dir, lang, templates } => {
            let lang = match lang {
                LangArg::En => "en",
                LangArg::Vi => "vi",
            };
            goalbook::cmd::init::run(dir.as_ref().unwrap_or(&here), lang, templates)
        }
        #[cfg(feature = "serve")]
        Command::Serve { dir, port, open, as_of } => {
            goalbook::cmd::serve::run(dir.as_ref().unwrap_or(&here), port, open, as_of.as_deref())
        }
        Command::Checkin { goal, value, date, note, confidence, dir } => {
            let args = goalbook::cmd::checkin::Args {
                goal: &goal,
                value: &value,
                date: date.as_deref(),
                note: note.as_deref(),
                confidence: confidence.as_deref(),
            };
            goalbook::cmd::checkin::run(dir.as_ref().unwrap_or(&here), &args)
        }
        Command::Codeowners { dir, check, format } => {
            let format = match format {
                CodeownersFormatArg::Text => Format::Text,
                CodeownersFormatArg::Github => Format::Github,
            };
            goalbook::cmd::codeowners::run(dir.as_ref().unwrap_or(&here), check, format)
        }
        Command::Diff { base, head, format, dir, as_of } => {
            let format = match format {
                DiffFormatArg::Markdown => goalbook::cmd::diff::DiffFormat::Markdown,
                DiffFormatArg::Json => goalbook::cmd::diff::DiffFormat::Json,
            };
            goalbook::cmd::diff::run(dir.as_ref().unwrap_or(&here), &base, &head, format, as_of.as_deref())
        }
        Command::Handout { period, team, dest, pdf, paper, as_of, dir } => {
            let args = goalbook::cmd::handout::Args {
                period: &period,
                team: team.as_deref(),
                dest: dest.as_deref(),
                pdf,
                paper: paper.as_deref(),
                as_of: as_of.as_deref(),
            };
            goalbook::cmd::handout::run(dir.as_ref().unwrap_or(&here), &args)
        }
        Command::Pull { dir, goal, date, dry_run } => {
            goalbook::cmd::pull::run(dir.as_ref().unwrap_or(&here), goal.as_deref(), date.as_deref(), dry_run)
        }
        Command::Remind { dir, format, within, as_of } => {
            let format = match format {
                RemindFormatArg::Text => goalbook::remind::Format::Text,
                RemindFormatArg::Markdown => goalbook::remind::Format::Markdown,
                RemindFormatArg::Json => goalbook::remind::Format::Json,
            };
            goalbook::cmd::remind::run(dir.as_ref().unwrap_or(&here), format, within, as_of.as_deref())
        }
    };
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            // Values quoted in a message (an id, a path) may hold control characters.
            let shown = |m: String| {
                m.split('\n').map(|l| goalbook::diagnostic::printable(l).into_owned()).collect::<Vec<_>>().join("\n")
            };
            eprintln!("error: {}", shown(e.to_string()));
            for cause in e.chain().skip(1) {
                eprintln!("  caused by: {}", shown(cause.to_string()));
            }
            ExitCode::from(2)
        }
    }
}
