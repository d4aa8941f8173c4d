//! Which of the sources a build reads (`book.toml`, the goals folder,
//! `templates/`, `themes/`) changed: from a batch of file-system events, or
//! by comparing snapshots of their contents where events are not available.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The sources a build reads, for change detection by content.
pub(super) struct Sources {
    root: PathBuf,
    pub(super) goals_dir: String,
}

/// Each source's content hash and size (by content, not modification time).
pub(super) type Snapshot = BTreeMap<PathBuf, (Option<u64>, u64)>;

/// What a batch of file-system events changed.
pub(super) enum Change {
    /// Nothing a build reads.
    None,
    /// Only these goal files (`*.md` under the goals folder).
    Goals(Vec<PathBuf>),
    /// Something else a build reads (`book.toml`, templates, themes, folders).
    Other,
}

impl Sources {
    pub(super) fn new(root: &Path) -> Sources {
        let goals_dir = crate::load::read_config(root).map(|(c, _)| c.goals_dir).unwrap_or_else(|_| "goals".into());
        Sources { root: root.to_path_buf(), goals_dir }
    }

    pub(super) fn classify(&self, events: &[notify::Result<notify::Event>]) -> Change {
        let mut goals: Vec<PathBuf> = Vec::new();
        for event in events {
            let Ok(event) = event else { return Change::Other };
            if matches!(event.kind, notify::EventKind::Access(_)) {
                continue;
            }
            for p in &event.paths {
                let Ok(rel) = p.strip_prefix(&self.root) else { continue };
                if rel == Path::new("book.toml") || rel.starts_with("templates") || rel.starts_with("themes") {
                    return Change::Other;
                }
                if !rel.starts_with(&self.goals_dir) {
                    continue;
                }
                if p.extension().is_some_and(|e| e == "md") {
                    if !goals.contains(p) {
                        goals.push(p.clone());
                    }
                } else if p.is_dir() || (!p.exists() && p.extension().is_none()) {
                    // A folder came, went or moved: its goal files with it.
                    return Change::Other;
                }
            }
        }
        if goals.is_empty() { Change::None } else { Change::Goals(goals) }
    }

    pub(super) fn snapshot(&self) -> Snapshot {
        let mut out = Snapshot::new();
        for top in ["book.toml", self.goals_dir.as_str(), "templates", "themes"] {
            for entry in walkdir::WalkDir::new(self.root.join(top)).into_iter().flatten() {
                if let Ok(meta) = entry.metadata() {
                    let hash = if meta.is_file() {
                        std::fs::read(entry.path()).ok().map(|b| crate::live::content_hash(&b))
                    } else {
                        None
                    };
                    out.insert(entry.path().to_path_buf(), (hash, meta.len()));
                }
            }
        }
        out
    }
}
