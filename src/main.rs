//! The `goalbook` command line: parse arguments, call the library, set the exit code.

use clap::{Parser, Subcommand, ValueEnum};
use goalbook::diagnostic::Format;
use std::path::PathBuf;
use std::process::ExitCode;

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
        Command::Build { dir, dest, as_of } => {
            goalbook::cmd::build::run(dir.as_ref().unwrap_or(&here), dest.as_deref(), as_of.as_deref())
        }
        Command::Check { dir, format, strict, as_of } => {
            let format = match format {
                FormatArg::Text => Format::Text,
                FormatArg::Json => Format::Json,
                FormatArg::Github => Format::Github,
            };
            goalbook::cmd::check::run(dir.as_ref().unwrap_or(&here), format, strict, as_of.as_deref())
        }
    };
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            eprintln!("error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(2)
        }
    }
}
