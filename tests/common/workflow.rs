//! Runs the steps of one job of a GitHub Actions workflow on this machine, in
//! order, the way a GitHub-hosted Ubuntu runner does: each `run:` script by
//! `bash --noprofile --norc -eo pipefail`, with the step's `env:` (its
//! `${{ … }}` expressions looked up in a table the test gives), the GitHub
//! variables the test sets, fresh `GITHUB_OUTPUT` files whose values become
//! `steps.<id>.outputs.<name>`, and the `if:` semantics of a step (none:
//! only after success; `!cancelled()`: always). A `uses:` step is handed to
//! the test, which does what the action would (e.g. put the binary under test
//! on `PATH`). Any expression the table does not know fails the test, so a
//! workflow that starts reading something new cannot pass unnoticed; so does
//! a `${{ … }}` inside a `run:` script (an injection risk: pass it by `env:`).
//!
//! Usable for any workflow file: `Runner::new(dir).job(path, "check")`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use yaml_rust2::{Yaml, YamlLoader};

/// One step as the workflow file writes it.
#[derive(Clone, Debug)]
pub struct Step {
    pub name: Option<String>,
    pub id: Option<String>,
    pub condition: Option<String>,
    pub uses: Option<String>,
    pub run: Option<String>,
    pub env: Vec<(String, String)>,
    pub with: Vec<(String, String)>,
    pub working_directory: Option<String>,
}

/// What happened to a step.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub label: String,
    /// `None`: skipped by its `if:`.
    pub exit: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// The steps of `job` in the workflow at `path`, and the job's own `if:`.
pub fn job_steps(path: &Path, job: &str) -> (Option<String>, Vec<Step>) {
    let text = std::fs::read_to_string(path).unwrap();
    let docs = YamlLoader::load_from_str(&text).unwrap();
    let j = &docs[0]["jobs"][job];
    assert!(!j.is_badvalue(), "{} has no job `{job}`", path.display());
    (j["if"].as_str().map(str::to_string), steps_of(j))
}

/// The steps of the composite action whose `action.yml` is at `path`.
pub fn action_steps(path: &Path) -> Vec<Step> {
    let text = std::fs::read_to_string(path).unwrap();
    let docs = YamlLoader::load_from_str(&text).unwrap();
    assert_eq!(docs[0]["runs"]["using"].as_str(), Some("composite"), "{} is not a composite action", path.display());
    steps_of(&docs[0]["runs"])
}

fn steps_of(j: &Yaml) -> Vec<Step> {
    let s = |y: &Yaml| y.as_str().map(str::to_string).or_else(|| y.as_i64().map(|i| i.to_string()));
    let map = |y: &Yaml| -> Vec<(String, String)> {
        y.as_hash()
            .map(|h| {
                h.iter()
                    .map(|(k, v)| {
                        (k.as_str().unwrap().to_string(), s(v).or_else(|| v.as_bool().map(|b| b.to_string())).unwrap())
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    j["steps"]
        .as_vec()
        .unwrap()
        .iter()
        .map(|y| Step {
            name: s(&y["name"]),
            id: s(&y["id"]),
            condition: s(&y["if"]),
            uses: s(&y["uses"]),
            run: s(&y["run"]),
            env: map(&y["env"]),
            with: map(&y["with"]),
            working_directory: s(&y["working-directory"]),
        })
        .collect()
}

/// The runner: a workspace, the environment GitHub sets and the values of
/// the expressions the workflow may read.
pub struct Runner {
    pub workspace: PathBuf,
    pub temp: PathBuf,
    pub summary: PathBuf,
    pub env: BTreeMap<String, String>,
    pub expressions: BTreeMap<String, String>,
    /// Prepended to `PATH` (what a setup action adds through `GITHUB_PATH`).
    pub path: Vec<PathBuf>,
}

impl Runner {
    /// A runner for `workspace`, with RUNNER_TEMP and the job summary in `scratch`.
    pub fn new(workspace: &Path, scratch: &Path) -> Runner {
        let temp = scratch.join("runner-temp");
        std::fs::create_dir_all(&temp).unwrap();
        let summary = scratch.join("step-summary.md");
        std::fs::write(&summary, "").unwrap();
        let mut env = BTreeMap::new();
        for (k, v) in [("CI", "true"), ("GITHUB_ACTIONS", "true"), ("RUNNER_OS", "Linux"), ("RUNNER_ARCH", "X64")] {
            env.insert(k.to_string(), v.to_string());
        }
        env.insert("GITHUB_WORKSPACE".into(), workspace.display().to_string());
        env.insert("RUNNER_TEMP".into(), temp.display().to_string());
        env.insert("GITHUB_STEP_SUMMARY".into(), summary.display().to_string());
        let mut expressions = BTreeMap::new();
        expressions.insert("!cancelled()".to_string(), "true".to_string());
        Runner { workspace: workspace.to_path_buf(), temp, summary, env, expressions, path: Vec::new() }
    }

    /// `${{ expr }}` → its value from the table; any other text is kept.
    pub fn expand(&self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(i) = rest.find("${{") {
            out.push_str(&rest[..i]);
            let end = rest[i..].find("}}").expect("unclosed ${{") + i;
            let expr = rest[i + 3..end].trim();
            match self.expressions.get(expr) {
                Some(v) => out.push_str(v),
                None => panic!("the workflow reads `${{{{ {expr} }}}}`, which the test does not set"),
            }
            rest = &rest[end + 2..];
        }
        out.push_str(rest);
        out
    }

    fn condition(&self, condition: &str) -> bool {
        let c = condition.trim();
        let c = c.strip_prefix("${{").and_then(|c| c.strip_suffix("}}")).unwrap_or(c).trim();
        match self.expressions.get(c).map(String::as_str) {
            Some("true") => true,
            Some("false") => false,
            other => panic!("the condition `{c}` is {other:?} in the test's table; give it \"true\" or \"false\""),
        }
    }

    /// Runs the steps in order; `uses` does what an action step would and
    /// may set expressions (its outputs). Returns every step's outcome.
    pub fn run(&mut self, steps: &[Step], mut uses: impl FnMut(&mut Runner, &Step)) -> Vec<Outcome> {
        let mut failed = false;
        let mut outcomes = Vec::new();
        for (n, step) in steps.iter().enumerate() {
            let label = step.name.clone().or_else(|| step.uses.clone()).unwrap_or_else(|| format!("step {n}"));
            let go = match &step.condition {
                None => !failed,
                Some(c) => self.condition(c),
            };
            if !go {
                outcomes.push(Outcome { label, exit: None, stdout: String::new(), stderr: String::new() });
                continue;
            }
            if step.uses.is_some() {
                uses(self, step);
                outcomes.push(Outcome { label, exit: Some(0), stdout: String::new(), stderr: String::new() });
                continue;
            }
            let script = step.run.as_deref().expect("a step with neither `run` nor `uses`");
            assert!(!script.contains("${{"), "step `{label}` puts an expression into its script; pass it through env:");
            let file = self.temp.join(format!("step-{n}.sh"));
            std::fs::write(&file, script).unwrap();
            let output = self.temp.join(format!("output-{n}"));
            std::fs::write(&output, "").unwrap();
            let mut cmd = Command::new("bash");
            cmd.args(["--noprofile", "--norc", "-eo", "pipefail"]).arg(&file);
            let dir = match &step.working_directory {
                Some(d) => self.workspace.join(d),
                None => self.workspace.clone(),
            };
            cmd.current_dir(dir).envs(&self.env).env("GITHUB_OUTPUT", &output);
            let mut path = std::env::join_paths(&self.path).unwrap();
            let base = self.env.get("PATH").map(std::ffi::OsString::from).or_else(|| std::env::var_os("PATH"));
            if let Some(p) = base {
                if !self.path.is_empty() {
                    path.push(":");
                }
                path.push(p);
            }
            cmd.env("PATH", path);
            for (k, v) in &step.env {
                cmd.env(k, self.expand(v));
            }
            let out = cmd.output().unwrap();
            let exit = out.status.code().unwrap_or(-1);
            if exit != 0 {
                failed = true;
            }
            if let Some(id) = &step.id {
                for line in std::fs::read_to_string(&output).unwrap().lines() {
                    if let Some((k, v)) = line.split_once('=') {
                        self.expressions.insert(format!("steps.{id}.outputs.{k}"), v.to_string());
                    }
                }
            }
            outcomes.push(Outcome {
                label,
                exit: Some(exit),
                stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            });
        }
        outcomes
    }
}
