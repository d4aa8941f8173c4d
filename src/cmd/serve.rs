//! `goalbook serve`: the site in memory on 127.0.0.1, rebuilt on change ([`crate::serve`]).

use anyhow::Result;
use std::path::Path;

/// Serves the repository at `root` until Ctrl-C (or SIGTERM); returns exit code 0.
pub fn run(root: &Path, port: u16, open: bool, as_of: Option<&str>) -> Result<i32> {
    crate::serve::serve(root, port, open, as_of)?;
    Ok(0)
}
