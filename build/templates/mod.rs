//! The template compiler: every built-in template (`templates/*.html`) turned
//! into Rust from Tera's own parse of it, the way askama compiles templates.
//! `build.rs` runs it; the output (`$OUT_DIR/templates.rs`) is included by
//! `src/render/compiled/mod.rs`, whose module doc and `docs/site.md`
//! list the subset of Tera it supports. Anything outside the subset is a
//! build error naming the template and line.
//!
//! One function per page template (`render_goal_html` for `goal.html`), with
//! the template's inheritance (`extends`, blocks) resolved and its macros
//! expanded where they are called, writes into a `String` from the typed
//! view structs: every variable is an `Option<&T>` of the field it names
//! (`None` for a null or, in a condition, an undefined value), and the
//! traits of `render::compiled::rt` give Tera's meaning of printing,
//! truthiness, comparison and filters, so rustc checks every field a
//! template reads. A recursive macro becomes a function of its own, whose
//! parameter types are named in [`MACRO_TYPES`].

mod expr;
mod nodes;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use tera::Template;
use tera::ast::{Expr, ExprVal, FunctionCall, LogicOperator, MacroDefinition, Node};

/// The page templates of the site and the view each gets as `page`
/// (beside `site`, `root`, `section` and `path`: `compiled::Page`).
pub const PAGES: &[(&str, &str)] = &[
    ("index.html", "crate::render::views::Dashboard<'_>"),
    ("goal.html", "crate::render::views::GoalPage<'_>"),
    ("cascade.html", "crate::render::views::CascadePage<'_>"),
    ("cascade_part.html", "crate::render::cascade_parts::PartPage"),
    ("scorecard.html", "crate::render::views::ScorecardPage<'_>"),
    ("list.html", "crate::render::views::ListPage<'_>"),
    ("directory.html", "crate::render::views::DirectoryPage"),
    ("all_goals.html", "crate::render::lists::AllGoalsPage<'_>"),
    ("handouts.html", "crate::render::lists::HandoutsPage"),
    ("404.html", "()"),
];

/// Self-contained templates and the type of their whole context.
pub const DOCUMENTS: &[(&str, &str)] = &[("handout.html", "crate::render::compiled::Handout<'_>")];

/// `(template, macro, [(parameter, Rust type)])`.
pub type MacroTypes = (&'static str, &'static str, &'static [(&'static str, &'static str)]);

/// The parameter types of recursive macros (`'t` is the lifetime of the
/// views), by template and macro: a recursive macro cannot be expanded
/// where it is called, so it is a function, and a function names its types.
pub const MACRO_TYPES: &[MacroTypes] =
    &[("macros.html", "outline_node", &[("n", "crate::render::views::OutlineNode<'t>"), ("root", "str")])];

/// A build error: the template, the line (when the construct is found in
/// the source) and what is outside the subset.
fn fail(sources: &BTreeMap<String, String>, template: &str, needle: &str, what: &str) -> String {
    let line = sources.get(template).filter(|_| !needle.is_empty()).and_then(|src| {
        // The first line with `needle` inside a tag, else anywhere.
        let in_tag = |l: &str| {
            let mut rest = l;
            while let Some(open) = rest.find("{{").into_iter().chain(rest.find("{%")).min() {
                let after = &rest[open + 2..];
                let close = after.find("}}").into_iter().chain(after.find("%}")).min().unwrap_or(after.len());
                if after[..close].contains(needle) {
                    return true;
                }
                rest = &after[close..];
            }
            false
        };
        let lines: Vec<&str> = src.lines().collect();
        lines.iter().position(|l| in_tag(l)).or_else(|| lines.iter().position(|l| l.contains(needle))).map(|n| n + 1)
    });
    let place = line.map_or(format!("templates/{template}"), |n| format!("templates/{template}:{n}"));
    format!(
        "{place}: {what} (outside the subset of Tera the compiler supports: see docs/site.md, \"Templates and themes\")"
    )
}

type R<T> = Result<T, String>;

/// A name in scope: the Rust expression of its value (`Option<&T>`), and
/// whether `None` means undefined (a `set` not run yet) rather than null.
#[derive(Clone)]
struct Var {
    code: String,
    maybe_missing: bool,
}

/// One Tera frame (the page, a macro call, a for loop): its names.
#[derive(Default)]
struct Frame {
    vars: Vec<(String, Var)>,
    /// A macro's frame: names outside it are the context's.
    is_macro: bool,
    /// `(index, length)` Rust names of a for loop's frame.
    lp: Option<(String, String)>,
}

struct Gen<'a> {
    sources: &'a BTreeMap<String, String>,
    templates: &'a BTreeMap<String, Template>,
    n: usize,
    /// Recursive macros compiled as functions, by Rust name.
    fns: BTreeMap<String, String>,
    /// Recursive macros being compiled (to find a cycle).
    fn_stack: Vec<String>,
    /// Macros being expanded, innermost last: `(template, macro)`.
    expanding: Vec<(String, String)>,
    /// Whether `ctx` (the page's context) is reachable (not in a macro function).
    has_ctx: bool,
}

/// Where code is being compiled: the template whose imports resolve
/// macro namespaces, and the frames.
struct Place {
    template: String,
    frames: Vec<Frame>,
    /// Names set with `set_global` (and `set` at the page's level) live in the first frame.
    globals: BTreeSet<String>,
}

fn lit(s: &str) -> String {
    format!("{s:?}")
}

/// A Rust identifier for a template name.
pub fn ident(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect()
}

impl<'a> Gen<'a> {
    fn tmp(&mut self) -> String {
        self.n += 1;
        format!("t{}", self.n)
    }

    fn err(&self, template: &str, needle: &str, what: &str) -> String {
        fail(self.sources, template, needle, what)
    }

    fn template(&self, name: &str, from: &str) -> R<&'a Template> {
        self.templates.get(name).ok_or_else(|| self.err(from, name, &format!("template `{name}` not found")))
    }

    fn lookup(&self, p: &Place, name: &str) -> R<Var> {
        for f in p.frames.iter().rev() {
            if let Some((_, v)) = f.vars.iter().rev().find(|(n, _)| n == name) {
                return Ok(v.clone());
            }
            if f.is_macro {
                break;
            }
        }
        if p.globals.contains(name) && !p.frames.iter().any(|f| f.is_macro) {
            return Ok(Var { code: format!("g_{name}.as_ref()"), maybe_missing: true });
        }
        if !self.has_ctx {
            return Err(self.err(
                &p.template,
                name,
                &format!("`{name}` read in a recursive macro, which sees only its arguments"),
            ));
        }
        Ok(Var { code: format!("(&rt::W(&ctx.{name})).lift()"), maybe_missing: false })
    }
}

/// The block bodies in force: `name → (template defining it, body)`.
type Blocks = HashMap<String, (String, Vec<Node>)>;

/// The templates (name → source) a page is made of: itself, its parents
/// and every macro file they import, transitively.
pub fn dependencies(templates: &BTreeMap<String, Template>, page: &str) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![page.to_string()];
    while let Some(t) = todo.pop() {
        if !seen.insert(t.clone()) {
            continue;
        }
        if let Some(tpl) = templates.get(&t) {
            todo.extend(tpl.parent.clone());
            todo.extend(tpl.imported_macro_files.iter().map(|(f, _)| f.clone()));
        }
    }
    seen.into_iter().collect()
}

/// The Rust source of every page template of `sources`.
pub fn generate(sources: &BTreeMap<String, String>) -> R<String> {
    let mut templates = BTreeMap::new();
    for (name, src) in sources {
        let t = Template::new(name, None, src).map_err(|e| format!("templates/{name}: {e}"))?;
        templates.insert(name.clone(), t);
    }
    let mut g = Gen {
        sources,
        templates: &templates,
        n: 0,
        fns: BTreeMap::new(),
        fn_stack: Vec::new(),
        expanding: Vec::new(),
        has_ctx: true,
    };
    let mut out = String::from("// @generated by build/templates/ from templates/*.html: do not edit.\n\n");
    let mut deps = String::new();
    let pages = PAGES.iter().map(|(p, v)| (*p, format!("crate::render::compiled::Page<'_, {v}>"), Some(*v)));
    let documents = DOCUMENTS.iter().map(|(p, t)| (*p, t.to_string(), None));
    for (page, ty, view) in pages.chain(documents) {
        let tpl = g.template(page, page)?;
        // The chain from the page up to the template that extends nothing.
        let mut chain = vec![tpl];
        while let Some(parent) = &chain[chain.len() - 1].parent {
            if chain.len() > 8 {
                return Err(fail(sources, page, "extends", "an inheritance chain deeper than 8"));
            }
            chain.push(g.template(parent, page)?);
        }
        let mut blocks = Blocks::new();
        for t in chain.iter().rev() {
            fn collect(t: &str, body: &[Node], blocks: &mut Blocks) {
                for n in body {
                    if let Node::Block(_, b, _) = n {
                        blocks.insert(b.name.clone(), (t.to_string(), b.body.clone()));
                        collect(t, &b.body, blocks);
                    }
                }
            }
            collect(&t.name, &t.ast, &mut blocks);
        }
        let top = chain[chain.len() - 1];
        // The page's own frame: `set` once at the top level of the page or
        // of a block is a typed binding; `set_global`, and `set` in a branch
        // or more than once, live in the frame as dynamic values.
        let mut acc = (BTreeMap::new(), BTreeSet::new(), BTreeSet::new());
        fn walk(
            body: &[Node],
            blocks: &Blocks,
            acc: &mut (BTreeMap<String, usize>, BTreeSet<String>, BTreeSet<String>),
        ) {
            Gen::sets(body, true, &mut acc.0, &mut acc.1, &mut acc.2);
            for n in body {
                if let Node::Block(_, b, _) = n {
                    let body = blocks.get(&b.name).map_or(&b.body, |(_, body)| body);
                    walk(body, blocks, acc);
                }
            }
        }
        walk(&top.ast, &blocks, &mut acc);
        let mut globals: BTreeSet<String> = acc.1.clone();
        globals.extend(acc.2.iter().cloned());
        globals.extend(acc.0.iter().filter(|(_, n)| **n > 1).map(|(k, _)| k.clone()));
        let mut p = Place { template: top.name.clone(), frames: vec![Frame::default()], globals: globals.clone() };
        let mut code = String::new();
        for k in &globals {
            let _ = writeln!(code, "let mut g_{k}: Option<rt::Dyn> = None;");
        }
        g.body(&mut p, &top.ast, &blocks, &BTreeSet::new(), &mut code)?;
        let fname = format!("render_{}", ident(page));
        let _ = writeln!(
            out,
            "/// `{page}`: writes the page into `out`.\n#[allow(unused_variables, unused_mut, unused_braces, clippy::all)]\npub fn {fname}(out: &mut String, env: &rt::Env, ctx: &{ty}) -> rt::Result {{\n{code}Ok(())\n}}\n"
        );
        if let Some(view) = view {
            let _ = writeln!(
                out,
                "impl crate::render::compiled::View for {view} {{\n    const TEMPLATE: &'static str = {};\n    fn compiled(out: &mut String, env: &rt::Env, ctx: &crate::render::compiled::Page<'_, Self>) -> rt::Result {{\n        {fname}(out, env, ctx)\n    }}\n}}\n",
                lit(page)
            );
        }
        let list: Vec<String> = dependencies(&templates, page).iter().map(|d| lit(d)).collect();
        let _ = writeln!(deps, "    ({}, &[{}]),", lit(page), list.join(", "));
    }
    for f in g.fns.values() {
        out.push_str(f);
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "/// Each page template and the templates it is made of.\npub const DEPENDENCIES: &[(&str, &[&str])] = &[\n{deps}];"
    );
    Ok(out)
}
