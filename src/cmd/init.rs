//! `goalbook init [DIR] [--lang en|vi] [--templates]`: start a goals repository
//! ([`crate::scaffold`]); existing files are never touched, they are listed as skipped.

use anyhow::{Result, bail};
use std::path::Path;

/// Runs `goalbook init`; returns exit code 0.
pub fn run(dir: &Path, lang: &str, templates_only: bool) -> Result<i32> {
    if dir.exists() && !dir.is_dir() {
        bail!("`{}` is a file; give a folder to create the goals repository in", dir.display());
    }
    crate::fs::create_dir_all(dir)?;
    let files = if templates_only {
        crate::scaffold::templates()
    } else {
        crate::scaffold::scaffold(lang, crate::resolve_as_of(None)?)?
    };
    let (written, skipped) = crate::scaffold::write_new(dir, &files)?;
    // SPEC §4: the messages follow the language of the new repository.
    let say = |key: &str, args: &[(&str, &str)]| println!("{}", crate::messages::text(lang, key, args));
    for rel in &written {
        say("init-created", &[("path", rel)]);
    }
    for rel in &skipped {
        say("init-skipped", &[("path", rel)]);
    }
    if templates_only {
        say("init-templates-next", &[]);
    } else {
        let cd = if dir == Path::new(".") { String::new() } else { format!("cd {} && ", dir.display()) };
        say("init-next", &[("cd", &cd)]);
        say("init-then", &[]);
    }
    Ok(0)
}
