//! Templates and theme files, layered as Zola does: the repository's own
//! `templates/<name>.html` over `themes/<theme>/templates/<name>.html` over the
//! built-in template of that name, embedded in the binary.
//!
//! Static files (CSS, icons) work the same way: files of
//! `themes/<theme>/` (outside its `templates/`) replace or add to the built-in
//! theme. This module also registers the `t` function and the locale filters
//! templates use; it does not know which pages exist.

use crate::i18n::Locale;
use anyhow::{Context, Result, bail};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use tera::{Tera, Value};

/// The built-in templates (the goalbook repository's own `templates/`).
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("goal.html", include_str!("../../templates/goal.html")),
    ("cascade.html", include_str!("../../templates/cascade.html")),
    ("scorecard.html", include_str!("../../templates/scorecard.html")),
    ("list.html", include_str!("../../templates/list.html")),
    ("directory.html", include_str!("../../templates/directory.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("handout.html", include_str!("../../templates/handout.html")),
    ("all_goals.html", include_str!("../../templates/all_goals.html")),
    ("handouts.html", include_str!("../../templates/handouts.html")),
    ("cascade_part.html", include_str!("../../templates/cascade_part.html")),
];

/// The built-in theme's static files (`themes/default/`), written under `theme/`.
pub const THEME_FILES: &[(&str, &[u8])] = &[
    ("goalbook.css", include_bytes!("../../themes/default/goalbook.css")),
    ("favicon.svg", include_bytes!("../../themes/default/favicon.svg")),
    ("handout.css", include_bytes!("../../themes/default/handout.css")),
    ("search.js", include_bytes!("../../themes/default/search.js")),
    ("goals.js", include_bytes!("../../themes/default/goals.js")),
];

/// The folder of the site that holds the theme's static files.
pub const THEME_DIR: &str = "theme";

/// Reads `*.html` under `dir` (any depth) as `(name, text)`, names with `/`.
fn read_templates(dir: &Path) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("failed to read `{}`", dir.display()))?;
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let rel = path.strip_prefix(dir).unwrap_or(path);
        let name = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        let text = std::fs::read_to_string(path).with_context(|| format!("failed to read `{}`", path.display()))?;
        out.insert(name, text);
    }
    Ok(out)
}

/// The theme folder of the repository, checked: a theme other than the
/// built-in `default` must exist.
pub fn theme_dir(root: &Path, theme: &str) -> Result<Option<std::path::PathBuf>> {
    let dir = root.join("themes").join(theme);
    if dir.is_dir() {
        return Ok(Some(dir));
    }
    if theme == "default" {
        return Ok(None);
    }
    bail!(
        "theme `{theme}` not found: create `themes/{theme}/` in the repository or set `[build] theme = \"default\"` in book.toml"
    )
}

/// Every template source after layering, by name.
pub fn template_sources(root: &Path, theme: &str) -> Result<BTreeMap<String, String>> {
    let mut sources: BTreeMap<String, String> = TEMPLATES.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
    if let Some(dir) = theme_dir(root, theme)? {
        sources.extend(read_templates(&dir.join("templates"))?);
    }
    sources.extend(read_templates(&root.join("templates"))?);
    Ok(sources)
}

/// The theme's static files after layering, by path under `theme/`.
pub fn theme_files(root: &Path, theme: &str) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut files: BTreeMap<String, Vec<u8>> = THEME_FILES.iter().map(|(n, b)| (n.to_string(), b.to_vec())).collect();
    let Some(dir) = theme_dir(root, theme)? else { return Ok(files) };
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("failed to read `{}`", dir.display()))?;
        let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
        if !entry.file_type().is_file() || rel.starts_with("templates") {
            continue;
        }
        let name = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        if name.starts_with('.') {
            continue;
        }
        let bytes =
            std::fs::read(entry.path()).with_context(|| format!("failed to read `{}`", entry.path().display()))?;
        files.insert(name, bytes);
    }
    Ok(files)
}

/// The error chain of a Tera error on one line, which names the template.
fn tera_error(e: tera::Error) -> anyhow::Error {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    anyhow::anyhow!(msg)
}

/// Renders `name` with `context`, naming the template in errors.
pub fn render(tera: &Tera, name: &str, context: &tera::Context) -> Result<String> {
    tera.render(name, context).map_err(tera_error).with_context(|| format!("failed to render template `{name}`"))
}

/// Which renders a page whose templates are all the built-in ones.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Engine {
    /// The built-in templates compiled to Rust ([`super::compiled`]); Tera
    /// for the pages whose templates a user or a theme overrides.
    #[default]
    Compiled,
    /// Tera for every page: the reference the compiled templates are equal
    /// to (the equivalence tests and the benchmark's comparison use it).
    Tera,
}

/// The templates of a build: Tera with the layered templates, and the page
/// templates that are compiled (all their templates are the built-in ones).
pub struct Templates {
    /// `None` when every template is the built-in one and every page is
    /// compiled: Tera would never run, so its parse is not paid for.
    tera: Option<Tera>,
    compiled: std::collections::BTreeSet<&'static str>,
    locale: Locale,
    /// The largest page each compiled template has written so far, by its
    /// place in [`super::compiled::DEPENDENCIES`]: the next page's buffer
    /// starts that big, so a page is not copied as its buffer grows.
    sizes: Vec<std::sync::atomic::AtomicUsize>,
}

impl Templates {
    /// Renders a page of the site, compiled when its templates are built-in.
    pub fn render<T: super::compiled::View>(&self, context: &super::compiled::Page<'_, T>) -> Result<String> {
        if self.compiled.contains(T::TEMPLATE) {
            return self.compiled(T::TEMPLATE, |out, env| T::compiled(out, env, context));
        }
        render(self.tera(T::TEMPLATE)?, T::TEMPLATE, &tera::Context::from_serialize(context)?)
    }

    /// Renders a handout, compiled when `handout.html` is the built-in one.
    pub fn handout(&self, context: &super::compiled::Handout<'_>) -> Result<String> {
        const TEMPLATE: &str = "handout.html";
        if self.compiled.contains(TEMPLATE) {
            return self.compiled(TEMPLATE, |out, env| super::compiled::render_handout_html(out, env, context));
        }
        render(self.tera(TEMPLATE)?, TEMPLATE, &tera::Context::from_serialize(context)?)
    }

    /// Tera, for a page that is not compiled; it is loaded whenever one can be.
    fn tera(&self, name: &str) -> Result<&Tera> {
        self.tera.as_ref().with_context(|| format!("template `{name}` is neither compiled nor loaded into Tera"))
    }

    /// Runs the compiled template `name` into a buffer sized by its pages so far.
    fn compiled(
        &self,
        name: &str,
        write: impl FnOnce(&mut String, &super::compiled::rt::Env) -> super::compiled::rt::Result,
    ) -> Result<String> {
        use std::sync::atomic::Ordering::Relaxed;
        let size = super::compiled::DEPENDENCIES.iter().position(|(n, _)| *n == name).and_then(|k| self.sizes.get(k));
        let mut out = String::with_capacity(size.map_or(0, |s| s.load(Relaxed)).max(4096));
        write(&mut out, &super::compiled::rt::Env { l: &self.locale })
            .map_err(|e| anyhow::anyhow!("failed to render template `{name}`: {e}"))?;
        if let Some(s) = size {
            s.fetch_max(out.len(), Relaxed);
        }
        Ok(out)
    }

    /// Whether `template` (a page template) is rendered by compiled code.
    pub fn is_compiled(&self, template: &str) -> bool {
        self.compiled.contains(template)
    }
}

/// [`templates_with`] the default engine.
pub fn templates(root: &Path, theme: &str, locale: &Locale) -> Result<Templates> {
    templates_with(root, theme, locale, Engine::default())
}

/// The layered templates of `root` and which pages are compiled.
pub fn templates_with(root: &Path, theme: &str, locale: &Locale, engine: Engine) -> Result<Templates> {
    let sources = template_sources(root, theme)?;
    let compiled = match engine {
        Engine::Compiled => unchanged(&sources),
        Engine::Tera => Default::default(),
    };
    let sizes = super::compiled::DEPENDENCIES.iter().map(|_| Default::default()).collect();
    // Only the built-in templates, untouched, and every page compiled: no
    // page goes to Tera. Anything of the user's or a theme's is parsed (and
    // its errors reported) before the build starts, as before.
    let all_builtin = sources.iter().all(|(n, s)| TEMPLATES.iter().any(|(t, b)| t == n && b == s));
    let tera = if all_builtin && compiled.len() == super::compiled::DEPENDENCIES.len() {
        None
    } else {
        Some(tera_from(&sources, locale)?)
    };
    Ok(Templates { tera, compiled, locale: locale.clone(), sizes })
}

/// Builds the Tera instance: layered templates, autoescape, `t` and filters.
pub fn tera(root: &Path, theme: &str, locale: &Locale) -> Result<Tera> {
    tera_from(&template_sources(root, theme)?, locale)
}

/// [`tera`] over sources already layered by [`template_sources`].
pub fn tera_from(sources: &BTreeMap<String, String>, locale: &Locale) -> Result<Tera> {
    let mut tera = Tera::default();
    // SPEC: all user text is escaped; only HTML goalbook made is `| safe`.
    tera.autoescape_on(vec![".html", ".svg", ".xml"]);
    tera.set_escape_fn(escape_html);
    tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect::<Vec<_>>())
        .map_err(tera_error)
        .context("a template in `templates/` or the theme has an error")?;
    register(&mut tera, locale);
    Ok(tera)
}

/// The page templates whose templates (the page's, its parents', the
/// macro files it imports) are all the built-in ones in `sources`.
pub fn unchanged(sources: &BTreeMap<String, String>) -> std::collections::BTreeSet<&'static str> {
    let builtin = |name: &str| {
        let ours = TEMPLATES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t);
        ours.is_some() && sources.get(name).map(String::as_str) == ours
    };
    super::compiled::DEPENDENCIES
        .iter()
        .filter(|(_, deps)| deps.iter().all(|d| builtin(d)))
        .map(|(page, _)| *page)
        .collect()
}

pub use super::escape::{escape_html, escape_html_into};

fn arg_text(v: &Value, locale: &Locale) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => match n.as_f64() {
            Some(x) if n.is_i64() || n.is_u64() => locale.number(x, 0),
            Some(x) => locale.value(x, None),
            None => n.to_string(),
        },
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn number_arg(v: &Value, filter: &str) -> tera::Result<f64> {
    match v {
        Value::Number(n) => n.as_f64().ok_or_else(|| tera::Error::msg(format!("`{filter}` needs a number"))),
        Value::String(s) => s.parse().map_err(|_| tera::Error::msg(format!("`{filter}` needs a number, not `{s}`"))),
        _ => Err(tera::Error::msg(format!("`{filter}` needs a number"))),
    }
}

fn date_arg(v: &Value, filter: &str) -> tera::Result<chrono::NaiveDate> {
    let s = v.as_str().unwrap_or_default();
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| tera::Error::msg(format!("`{filter}` needs a date written YYYY-MM-DD, not `{v}`")))
}

/// `t(key="nav.dashboard", n=3)` and the filters `number`, `percent`,
/// `value(unit="₫")`, `short(unit="₫")`, `date` and `date_short`.
fn register(tera: &mut Tera, locale: &Locale) {
    let l = locale.clone();
    tera.register_function("t", move |args: &HashMap<String, Value>| -> tera::Result<Value> {
        let key = args.get("key").and_then(Value::as_str).ok_or_else(|| tera::Error::msg("`t` needs `key=\"…\"`"))?;
        let mut named: Vec<(&str, String)> =
            args.iter().filter(|(k, _)| k.as_str() != "key").map(|(k, v)| (k.as_str(), arg_text(v, &l))).collect();
        named.sort();
        let pairs: Vec<(&str, &str)> = named.iter().map(|(k, v)| (*k, v.as_str())).collect();
        Ok(Value::String(l.tf(key, &pairs)))
    });
    let l = locale.clone();
    tera.register_filter("number", move |v: &Value, args: &HashMap<String, Value>| -> tera::Result<Value> {
        let decimals = args.get("decimals").and_then(Value::as_u64).unwrap_or(0) as usize;
        Ok(Value::String(l.number(number_arg(v, "number")?, decimals.min(10))))
    });
    let l = locale.clone();
    tera.register_filter("percent", move |v: &Value, _: &HashMap<String, Value>| -> tera::Result<Value> {
        Ok(Value::String(l.percent(number_arg(v, "percent")?)))
    });
    let l = locale.clone();
    tera.register_filter("value", move |v: &Value, args: &HashMap<String, Value>| -> tera::Result<Value> {
        let unit = args.get("unit").and_then(Value::as_str);
        Ok(Value::String(l.value(number_arg(v, "value")?, unit)))
    });
    let l = locale.clone();
    tera.register_filter("short", move |v: &Value, args: &HashMap<String, Value>| -> tera::Result<Value> {
        let unit = args.get("unit").and_then(Value::as_str);
        Ok(Value::String(l.short(number_arg(v, "short")?, unit)))
    });
    let l = locale.clone();
    tera.register_filter("date", move |v: &Value, _: &HashMap<String, Value>| -> tera::Result<Value> {
        Ok(Value::String(l.date(date_arg(v, "date")?)))
    });
    let l = locale.clone();
    tera.register_filter("date_short", move |v: &Value, _: &HashMap<String, Value>| -> tera::Result<Value> {
        Ok(Value::String(l.date_short(date_arg(v, "date_short")?)))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_raw(tera: &mut Tera, text: &str) -> String {
        tera.add_raw_template("probe.html", text).unwrap();
        render(tera, "probe.html", &tera::Context::new()).unwrap()
    }

    #[test]
    fn t_and_filters_use_the_locale() {
        let dir = tempfile::tempdir().unwrap();
        let vi = Locale::new("vi");
        let mut tera = tera(dir.path(), "default", &vi).unwrap();
        assert_eq!(render_raw(&mut tera, "{{ 1234.5 | number(decimals=1) }}"), "1.234,5");
        assert_eq!(render_raw(&mut tera, "{{ 0.457 | percent }}"), "46%");
        assert_eq!(render_raw(&mut tera, "{{ 1500 | value(unit=\"₫\") }}"), "1.500 ₫");
        assert_eq!(render_raw(&mut tera, "{{ \"2026-11-24\" | date }}"), "24/11/2026");
        let en = Locale::new("en");
        let mut tera = super::tera(dir.path(), "default", &en).unwrap();
        assert_eq!(render_raw(&mut tera, "{{ t(key=\"nav.dashboard\") }}"), "Dashboard");
        assert_eq!(render_raw(&mut tera, "{{ t(key=\"goal.days-left\", n=37) }}"), "37 days left");
    }

    #[test]
    fn user_templates_override_theme_templates_override_builtins() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("themes/corp/templates")).unwrap();
        std::fs::create_dir_all(root.join("templates")).unwrap();
        std::fs::write(root.join("themes/corp/templates/404.html"), "theme 404").unwrap();
        std::fs::write(root.join("themes/corp/templates/list.html"), "theme list").unwrap();
        std::fs::write(root.join("templates/404.html"), "user 404").unwrap();
        std::fs::write(root.join("themes/corp/goalbook.css"), "body{}").unwrap();
        let sources = template_sources(root, "corp").unwrap();
        assert_eq!(sources["404.html"], "user 404");
        assert_eq!(sources["list.html"], "theme list");
        assert_eq!(sources["goal.html"], include_str!("../../templates/goal.html"));
        let files = theme_files(root, "corp").unwrap();
        assert_eq!(files["goalbook.css"], b"body{}");
        assert!(files.contains_key("favicon.svg"));
        assert!(!files.keys().any(|k| k.starts_with("templates")));
        let err = template_sources(root, "missing").unwrap_err().to_string();
        assert!(err.contains("theme `missing` not found"), "{err}");
    }

    #[test]
    fn autoescape_is_on() {
        let dir = tempfile::tempdir().unwrap();
        let mut tera = tera(dir.path(), "default", &Locale::new("en")).unwrap();
        tera.add_raw_template("x.html", "{{ v }}").unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("v", "<script>");
        assert_eq!(render(&tera, "x.html", &ctx).unwrap(), "&lt;script&gt;");
        ctx.insert("v", "\"><img src=x onerror='a'>../x/");
        assert_eq!(render(&tera, "x.html", &ctx).unwrap(), "&quot;&gt;&lt;img src=x onerror=&#39;a&#39;&gt;../x/");
    }
}
