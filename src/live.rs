//! The in-memory site of `goalbook serve`, rebuilt incrementally.
//!
//! [`Live`] keeps, between rebuilds, each goal file's read result (keyed by
//! modification time and size), the computed project, the goal rows and the
//! compiled templates. On a change it re-reads and re-parses only the goal
//! files that changed, rebuilds the model and recomputes numbers and lint for
//! all goals (linear and cheap), then renders again only the pages whose
//! content can change:
//!
//! - the goal pages of every goal whose file data or numbers changed (`C`),
//!   of their parents, children and siblings, of their grandparents and the
//!   grandparents' children (whose cascade diagrams show them), of the goals
//!   they support or that support them and, when a title changed, of all
//!   their descendants (breadcrumbs);
//! - the team, person and period pages that list a goal of `C`;
//! - the shared pages (dashboard, cascade, scorecard, 404) and, when a
//!   status or progress changed, the team, person and period directories;
//! - then, in a second step that `serve` runs after telling pages to reload
//!   ([`Live::update_rest`]), `goals.json` and the handouts.
//!
//! A change of the tree or the grouping (ids, files, parents, supports,
//! teams, owners, periods), of `book.toml`, `templates/` or `themes/`, or of
//! the date renders everything, as `goalbook build` does. The result is
//! byte-identical to a full build (tested in `tests/serve_incremental.rs`).

use crate::Project;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Format};
use crate::i18n::Locale;
use crate::model::Goal;
use crate::render::pages::{Only, Out};
use crate::render::views::{Ctx, GoalRow};
use crate::site::Rendered;
use anyhow::Result;
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A file's content hash and size: an edit that keeps the size and the
/// modification time (a restored mtime, a coarse clock) is still seen.
type Stamp = (Option<u64>, u64);
type Read = (Option<Goal>, Vec<Diagnostic>);
/// Site files by `/`-separated path.
pub type Files = HashMap<String, Arc<Vec<u8>>>;

/// What one [`Live::update`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Rebuilt {
    /// Every file rendered again.
    Full,
    /// Only these many files rendered again.
    Partial(usize),
}

struct State {
    as_of: NaiveDate,
    config: Config,
    config_diags: Vec<Diagnostic>,
    /// `book.toml`, `templates/` and `themes/`: any change means a full build.
    others: BTreeMap<PathBuf, Stamp>,
    /// Each goal file's stamp and read result.
    cache: HashMap<PathBuf, (Stamp, Read)>,
    /// The goal files of the last update, sorted, with their stamps.
    order: Vec<(PathBuf, Stamp)>,
    /// The project the served files were rendered from, with its rows.
    built: Option<Built>,
}

struct Built {
    project: Arc<Project>,
    rendered: Rendered,
}

/// The handouts, `goals.json` and the search index's word shards of one
/// project (see [`Live::rest_job`]).
pub struct RestJob {
    project: Arc<Project>,
    root: PathBuf,
}

impl RestJob {
    /// The files, by path.
    pub fn run(&self) -> Result<Vec<(String, Vec<u8>)>, Vec<String>> {
        let out = Mutex::new(Vec::new());
        crate::site::later(&self.project, &self.root, &Out::Memory(&out)).map_err(|e| {
            let msg = e.chain().map(ToString::to_string).collect::<Vec<_>>().join(": ");
            eprintln!("error: {msg}");
            vec![format!("error: {msg}")]
        })?;
        Ok(out.into_inner().unwrap_or_else(|p| p.into_inner()))
    }
}

/// The served site of one repository, kept up to date by [`Live::update`].
pub struct Live {
    root: PathBuf,
    as_of: Option<String>,
    state: Option<State>,
    /// Whether the handouts and `goals.json` are older than the pages ([`Live::update_pages`]).
    rest_stale: bool,
    /// The site's files by `/`-separated path, as `goalbook build` writes them
    /// (shared, so a server can hold a copy of the map cheaply).
    pub files: HashMap<String, Arc<Vec<u8>>>,
    /// The diagnostics of the last update as text, for [`Live::take_report`].
    report: String,
}

fn stamp(p: &Path) -> Stamp {
    match std::fs::metadata(p) {
        Ok(m) if m.is_file() => match std::fs::read(p) {
            Ok(bytes) => (Some(content_hash(&bytes)), bytes.len() as u64),
            Err(_) => (None, u64::MAX),
        },
        Ok(m) => (None, m.len()),
        Err(_) => (None, u64::MAX),
    }
}

/// FNV-1a over a file's bytes: cheap, and enough to tell two saves apart.
pub fn content_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

fn stamps(root: &Path, tops: &[&str]) -> BTreeMap<PathBuf, Stamp> {
    let mut out = BTreeMap::new();
    for top in tops {
        for entry in walkdir::WalkDir::new(root.join(top)).into_iter().flatten() {
            out.insert(entry.path().to_path_buf(), stamp(entry.path()));
        }
    }
    out
}

/// Whether goal `i` has the same place in the tree and in the groups in
/// both projects (a change renders everything).
fn same_place(a: &Project, b: &Project, i: usize) -> bool {
    let (x, y) = (&a.repo.goals[i], &b.repo.goals[i]);
    x.id == y.id
        && x.file == y.file
        && x.slug == y.slug
        && x.parent == y.parent
        && x.supports == y.supports
        && x.team == y.team
        && x.owner == y.owner
        && x.period == y.period
        && x.due == y.due
        && x.kind == y.kind
        && a.repo.parent[i] == b.repo.parent[i]
        && a.repo.supports[i] == b.repo.supports[i]
}

impl Live {
    pub fn new(root: &Path, as_of: Option<&str>) -> Live {
        Live {
            root: root.to_path_buf(),
            as_of: as_of.map(str::to_string),
            state: None,
            rest_stale: false,
            files: HashMap::new(),
            report: String::new(),
        }
    }

    /// The goals folder of the last build (`goals` before the first).
    pub fn goals_dir(&self) -> &str {
        self.state.as_ref().map_or("goals", |s| s.config.goals_dir.as_str())
    }

    /// Brings [`Live::files`] up to date with the sources; on errors (in the
    /// goals, or I/O) returns their lines and keeps the files of the last good build.
    pub fn update(&mut self) -> Result<Rebuilt, Vec<String>> {
        let rebuilt = self.update_pages()?;
        self.update_rest()?;
        Ok(rebuilt)
    }

    /// The diagnostics of the last update, as `check` prints them (empty
    /// when there were none); taken once.
    pub fn take_report(&mut self) -> String {
        std::mem::take(&mut self.report)
    }

    /// Whether [`Live::update_rest`] has work to do.
    pub fn rest_stale(&self) -> bool {
        self.rest_stale
    }

    /// The second half of [`Live::update`], after [`Live::update_pages`]: the
    /// handouts (each lists a whole period, so they are the slow part) and `goals.json`.
    pub fn update_rest(&mut self) -> Result<(), Vec<String>> {
        if let Some(job) = self.rest_job() {
            let files = job.run()?;
            self.files.extend(files.into_iter().map(|(k, v)| (k, Arc::new(v))));
            self.rest_stale = false;
        }
        Ok(())
    }

    /// The work of [`Live::update_rest`], to run on another thread (`serve`
    /// does, so a save right after another is not held up by it); `None`
    /// when there is none.
    pub fn rest_job(&self) -> Option<RestJob> {
        let built = self.state.as_ref().and_then(|s| s.built.as_ref()).filter(|_| self.rest_stale)?;
        Some(RestJob { project: built.project.clone(), root: self.root.clone() })
    }

    /// The first half of [`Live::update`]: everything but the handouts when
    /// only some pages change (then [`Live::rest_stale`] is true).
    pub fn update_pages(&mut self) -> Result<Rebuilt, Vec<String>> {
        self.update_pages_hinted(None)
    }

    /// With a hint of the goal files that changed (see
    /// [`Live::update_pages_hinted`]), the stamps of the last update with just
    /// those stamped again; `None` when the hint cannot be trusted.
    fn hinted_stamps(&self, changed: Option<&[PathBuf]>, as_of: NaiveDate) -> Option<Vec<(PathBuf, Stamp)>> {
        let (changed, state) = (changed?, self.state.as_ref()?);
        if state.as_of != as_of || state.built.is_none() {
            return None;
        }
        let mut order = state.order.clone();
        for p in changed {
            let now = stamp(p);
            match state.order.binary_search_by(|(q, _)| q.as_path().cmp(p)) {
                Ok(k) if now.1 != u64::MAX && p.extension().is_some_and(|e| e == "md") => order[k].1 = now,
                _ => return None,
            }
        }
        Some(order)
    }

    /// [`Live::update_pages`] when the caller knows (from file-system events)
    /// that only the goal files `changed` (absolute paths, as [`Live::new`]'s
    /// root joined with the file's path) can have changed: only those are
    /// looked at. A path that is new, gone or not a goal file makes it look
    /// at everything, as without a hint.
    pub fn update_pages_hinted(&mut self, changed: Option<&[PathBuf]>) -> Result<Rebuilt, Vec<String>> {
        let fail = |e: anyhow::Error| -> Vec<String> {
            let msg = e.chain().map(ToString::to_string).collect::<Vec<_>>().join(": ");
            eprintln!("error: {msg}");
            vec![format!("error: {msg}")]
        };
        let root = self.root.clone();
        let as_of = crate::resolve_as_of_for(self.as_of.as_deref(), &root).map_err(fail)?;
        if !root.is_dir() {
            return Err(fail(anyhow::anyhow!("`{}` is not a folder", root.display())));
        }
        let hinted = self.hinted_stamps(changed, as_of);
        let others = match (&hinted, &self.state) {
            (Some(_), Some(state)) => state.others.clone(),
            _ => stamps(&root, &["book.toml", "templates", "themes"]),
        };
        let fresh = match &self.state {
            Some(s) => s.as_of != as_of || s.others != others,
            None => true,
        };
        if fresh {
            let (config, config_diags) = crate::load::read_config(&root).map_err(fail)?;
            self.state = Some(State {
                as_of,
                config,
                config_diags,
                others,
                cache: HashMap::new(),
                order: Vec::new(),
                built: None,
            });
        }
        let Some(state) = self.state.as_mut() else { return Err(fail(anyhow::anyhow!("no state"))) };

        let (reads, reread) = self::reread(state, &root, hinted).map_err(fail)?;
        let (repo, model_diags) = crate::model::assemble(state.config.clone(), reads);
        let history = |repo: &crate::Repo| {
            if repo.config.git_history { crate::git::history(&root, repo) } else { HashMap::new() }
        };
        let mut config_diags = state.config_diags.clone();
        config_diags.extend(crate::load::missing_goals_dir(&root, &state.config));
        let project = crate::project_from_repo(repo, model_diags, as_of, config_diags, history);
        // Printed by the caller once the pages are served: hundreds of
        // warnings take a terminal longer to show than the pages to render.
        self.report = if project.diagnostics.is_empty() {
            String::new()
        } else {
            crate::diagnostic::render_in(&project.diagnostics, Format::Text, &project.repo.config.language)
        };
        if project.has_errors() {
            return Err(project.diagnostics.iter().map(ToString::to_string).collect());
        }

        let locale = Locale::new(&project.repo.config.language);
        let old = state.built.take();
        let same_shape = old.as_ref().is_some_and(|b| {
            b.project.repo.goals.len() == project.repo.goals.len()
                && (0..project.repo.goals.len()).into_par_iter().all(|i| same_place(&b.project, &project, i))
        });
        let (built, rebuilt) = match old {
            Some(old) if same_shape => {
                let (built, n) = self::partial(old, project, &reread, &locale, &mut self.files).map_err(fail)?;
                self.rest_stale = true;
                (built, Rebuilt::Partial(n))
            }
            _ => {
                let (built, files) = self::full(&root, project).map_err(fail)?;
                self.files = files;
                self.rest_stale = false;
                (built, Rebuilt::Full)
            }
        };
        state.built = Some(built);
        Ok(rebuilt)
    }
}

/// The read result of every goal file of the repository at `root`, reading
/// again only the files whose stamp changed (all of them, or those of
/// `hinted`), and the files read again.
fn reread(
    state: &mut State,
    root: &Path,
    hinted: Option<Vec<(PathBuf, Stamp)>>,
) -> Result<(Vec<Read>, BTreeSet<String>)> {
    let goals_dir = state.config.goals_dir.clone();
    let stamped: Vec<(PathBuf, Stamp)> = match hinted {
        Some(order) => order,
        None => {
            let paths = crate::load::goal_paths(root, &goals_dir)?;
            paths
                .into_par_iter()
                .map(|p| {
                    let s = stamp(&p);
                    (p, s)
                })
                .collect()
        }
    };
    state.order = stamped.clone();
    let config = &state.config;
    let cache = &state.cache;
    let fresh_reads: Vec<Option<(Stamp, Read)>> = stamped
        .par_iter()
        .map(|(p, s)| -> Result<Option<(Stamp, Read)>> {
            if cache.get(p).is_some_and(|(old, _)| old == s) {
                return Ok(None);
            }
            let file = crate::load::read_goal_file(root, &goals_dir, p)?;
            Ok(Some((*s, crate::model::read_goal(&file, config))))
        })
        .collect::<Result<_>>()?;
    let mut cache: HashMap<PathBuf, (Stamp, Read)> = std::mem::take(&mut state.cache);
    let mut entries: Vec<(PathBuf, (Stamp, Read))> = Vec::with_capacity(stamped.len());
    let mut reread: BTreeSet<String> = BTreeSet::new();
    for ((p, _), fresh_read) in stamped.into_iter().zip(fresh_reads) {
        let entry = match fresh_read {
            Some(e) => {
                reread.extend(e.1.0.as_ref().map(|g| g.file.clone()));
                e
            }
            None => match cache.remove(&p) {
                Some(e) => e,
                None => continue,
            },
        };
        entries.push((p, entry));
    }
    let reads: Vec<Read> = entries.par_iter().map(|(_, e)| e.1.clone()).collect();
    state.cache = entries.into_iter().collect();
    Ok((reads, reread))
}

/// Renders the whole site into memory, as `goalbook build` writes it.
fn full(root: &Path, project: Project) -> Result<(Built, Files)> {
    let out = Mutex::new(Vec::new());
    let rendered = crate::site::render(&project, root, &Out::Memory(&out))?;
    let files =
        out.into_inner().unwrap_or_else(|p| p.into_inner()).into_iter().map(|(k, v)| (k, Arc::new(v))).collect();
    Ok((Built { project: Arc::new(project), rendered }, files))
}

/// Renders again the pages that can differ between `old` and `project`
/// (which have the same goals in the same tree and groups) into `files`.
fn partial(
    old: Built,
    project: Project,
    reread: &BTreeSet<String>,
    locale: &Locale,
    files: &mut HashMap<String, Arc<Vec<u8>>>,
) -> Result<(Built, usize)> {
    let Built { project: before, mut rendered } = old;
    let Rendered { templates: tera, rows, html } = &mut rendered;
    let repo = &project.repo;
    let n = repo.goals.len();
    let changed: Vec<usize> = (0..n)
        .into_par_iter()
        .filter(|&i| {
            let (a, b) = (&before.repo.goals[i], &repo.goals[i]);
            before.numbers[i] != project.numbers[i]
                || a.checkins != b.checkins
                || (reread.contains(&b.file) && format!("{a:?}") != format!("{b:?}"))
        })
        .collect();
    let ctx = Ctx { repo, numbers: &project.numbers, locale, as_of: project.as_of };
    let fresh: Vec<GoalRow> = changed.par_iter().map(|&i| ctx.row(i)).collect();
    for (&i, row) in changed.iter().zip(fresh) {
        rows[i] = row;
    }
    if let Some(html) = html.as_mut() {
        let fresh = crate::render::pages::row_html(tera, locale, rows, &changed)?.unwrap_or_default();
        for (&i, row) in changed.iter().zip(fresh) {
            html[i] = row;
        }
    }

    let supported_by = crate::render::views::supported_by(repo);
    let mut goals = vec![false; n];
    let mut lists = BTreeSet::new();
    let periods = crate::sets::periods(repo);
    for &c in &changed {
        let mut mark = |j: usize| goals[j] = true;
        crate::site::pages_showing(repo, c).into_iter().for_each(&mut mark);
        repo.supports[c].iter().for_each(|&j| mark(j));
        supported_by[c].iter().for_each(|&j| mark(j));
        if before.repo.goals[c].title != repo.goals[c].title {
            let mut stack = repo.children[c].clone();
            // The parent links form a forest (model cuts cycles), so this ends.
            while let Some(j) = stack.pop() {
                goals[j] = true;
                stack.extend(&repo.children[j]);
            }
        }
        let g = &repo.goals[c];
        if let Some(t) = &g.team {
            lists.insert(crate::render::views::team_url(t));
        }
        if let Some(o) = &g.owner {
            lists.insert(crate::render::views::person_url(o));
        }
        // Every period page that lists it (SPEC §3 sets: its own period and
        // the longer ones holding it).
        for p in periods.iter().filter(|&&p| crate::sets::in_period(repo, c, p)) {
            lists.insert(crate::render::views::period_url(*p));
        }
    }
    // The directories show each group's status counts and average progress.
    let directories = changed.iter().any(|&c| {
        let (a, b) = (&before.numbers[c], &project.numbers[c]);
        a.status != b.status || a.progress != b.progress
    });
    let only = Only { goals, lists, directories };
    let out = Mutex::new(Vec::new());
    crate::site::render_pages(&project, &rendered, locale, &only, &Out::Memory(&out))?;
    let written = out.into_inner().unwrap_or_else(|p| p.into_inner());
    let count = written.len();
    files.extend(written.into_iter().map(|(k, v)| (k, Arc::new(v))));
    // The old project (every goal, its strings) is freed on another thread:
    // the reload waits for this function.
    std::thread::spawn(move || drop(before));
    Ok((Built { project: Arc::new(project), rendered }, count))
}
