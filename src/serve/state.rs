//! What `serve` currently serves, shared by the request threads, the watcher
//! and the handout worker.

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// How long a reload request waits for a new build before answering anyway.
pub(super) const LONG_POLL: Duration = Duration::from_secs(25);
pub(super) const RELOAD_PATH: &str = "/__goalbook/reload";

/// What the server currently serves.
pub(super) struct Site {
    /// Bumped on every build, failed or not; pages reload when it changes.
    pub(super) generation: u64,
    /// Files of the last successful build, by `/`-separated path.
    pub(super) files: Arc<HashMap<String, Arc<Vec<u8>>>>,
    /// Problems of the last build; when set, HTML requests get the error page.
    pub(super) errors: Option<Vec<String>>,
    /// The handouts and goals.json are being rendered again; their requests wait for them.
    pub(super) handouts_pending: bool,
    /// Counts the handout jobs started; only the latest one's result is used.
    pub(super) rest_seq: u64,
}

pub(super) struct Shared {
    pub(super) site: Mutex<Site>,
    pub(super) rebuilt: Condvar,
}
