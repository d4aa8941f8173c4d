//! The template compiler: every built-in template (`templates/*.html`) turned
//! into Rust from Tera's own parse of it, the way askama compiles templates.
//! `build.rs` runs it; the output (`$OUT_DIR/templates.rs`) is included by
//! `src/render/compiled/mod.rs`, whose module doc and `docs/templates.md`
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

/// The parameter types of recursive macros (`'t` is the lifetime of the
/// views), by template and macro: a recursive macro cannot be expanded
/// where it is called, so it is a function, and a function names its types.
pub const MACRO_TYPES: &[(&str, &str, &[(&str, &str)])] =
    &[("macros.html", "outline_node", &[("n", "crate::render::views::OutlineNode<'t>"), ("root", "str")])];

/// A build error: the template, the line (when the construct is found in
/// the source) and what is outside the subset.
fn fail(sources: &BTreeMap<String, String>, template: &str, needle: &str, what: &str) -> String {
    let line = sources.get(template).and_then(|src| {
        (!needle.is_empty()).then(|| src.lines().position(|l| l.contains(needle)).map(|n| n + 1)).flatten()
    });
    match line {
        Some(n) => format!("templates/{template}:{n}: {what} (outside the subset of Tera the compiler supports, see docs/templates.md)"),
        None => format!("templates/{template}: {what} (outside the subset of Tera the compiler supports, see docs/templates.md)"),
    }
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
            return Err(self.err(&p.template, name, &format!("`{name}` read in a recursive macro, which sees only its arguments")));
        }
        Ok(Var { code: format!("(&rt::W(&ctx.{name})).lift()"), maybe_missing: false })
    }

    /// The value of a dotted path as `Option<&T>`; in a condition an
    /// undefined part gives `None`, elsewhere an error (as in Tera).
    fn path(&mut self, p: &Place, path: &str, cond: bool, pre: &mut String) -> R<String> {
        if path.contains('[') {
            return Err(self.err(&p.template, path, &format!("`{path}`: square-bracket indexing")));
        }
        let parts: Vec<&str> = path.split('.').collect();
        if parts[0] == "loop" {
            let lp = p.frames.iter().rev().take_while(|f| !f.is_macro).find_map(|f| f.lp.clone());
            let Some((i, len)) = lp else { return Err(self.err(&p.template, path, "`loop` outside a for loop")) };
            let value = match parts.get(1).copied() {
                Some("index") if parts.len() == 2 => format!("({i} + 1)"),
                Some("index0") if parts.len() == 2 => i.to_string(),
                Some("first") if parts.len() == 2 => format!("({i} == 0)"),
                Some("last") if parts.len() == 2 => format!("({i} + 1 == {len})"),
                _ => return Err(self.err(&p.template, path, &format!("`{path}`"))),
            };
            let t = self.tmp();
            let _ = writeln!(pre, "let {t} = {value};");
            return Ok(format!("Some(&{t})"));
        }
        let root = self.lookup(p, parts[0])?;
        if parts.len() == 1 {
            if root.maybe_missing && !cond {
                return Ok(format!("rt::defined({}, {})?", root.code, lit(path)));
            }
            return Ok(root.code);
        }
        let mut parent = root.code;
        for seg in &parts[1..parts.len() - 1] {
            parent = format!("{parent}.and_then(|v| (&rt::W(&v.{seg})).lift())");
        }
        let last = parts[parts.len() - 1];
        if cond {
            return Ok(format!("{parent}.and_then(|v| (&rt::W(&v.{last})).lift())"));
        }
        let t = self.tmp();
        let _ = writeln!(pre, "let {t} = match {parent} {{ Some(v) => (&rt::W(&v.{last})).lift(), None => return Err(rt::missing({})) }};", lit(path));
        Ok(t)
    }

    /// An expression as `Option<&T>`, its temporaries written to `pre`;
    /// the flag says whether Tera would escape it when printed.
    fn value(&mut self, p: &mut Place, e: &Expr, cond: bool, pre: &mut String) -> R<(String, bool)> {
        if e.negated {
            let b = self.cond(p, e)?;
            let t = self.tmp();
            let _ = writeln!(pre, "let {t} = {b};");
            return Ok((format!("Some(&{t})"), false));
        }
        let filters: Vec<&FunctionCall> = e.filters.iter().filter(|f| f.name != "safe").collect();
        let has_default = e.filters.first().is_some_and(|f| f.name == "default");
        // The temporary `Dyn` the value is, once a filter or `default` made it.
        let mut made: Option<String> = None;
        let (mut code, mut escape) = match &e.val {
            ExprVal::Ident(name) if has_default => {
                let v = self.path(p, name, true, pre)?;
                let Some(d) = e.filters[0].args.get("value") else {
                    return Err(self.err(&p.template, "default", "`default` without `value`"));
                };
                let (d, _) = self.value(p, d, false, pre)?;
                let t = self.tmp();
                let _ = writeln!(pre, "let {t} = rt::Dyn::or_default({v}.map(|x| (&rt::W(x)).scalar()), {d}.map(|x| (&rt::W(x)).scalar()))?;");
                made = Some(t.clone());
                (format!("Some(&{t})"), true)
            }
            ExprVal::Ident(name) => (self.path(p, name, cond, pre)?, true),
            ExprVal::String(s) => (format!("Some({})", lit(s)), true),
            ExprVal::Int(n) => (format!("Some(&{n}i64)"), false),
            ExprVal::Float(x) => (format!("Some(&{x:?}f64)"), false),
            ExprVal::Bool(b) => (format!("Some(&{b})"), false),
            ExprVal::FunctionCall(f) => (self.call(p, f, pre)?, true),
            ExprVal::StringConcat(c) => {
                let t = self.tmp();
                let mut escape = false;
                let _ = writeln!(pre, "let mut {t} = String::new();");
                for v in &c.values {
                    let part = match v {
                        ExprVal::String(s) => format!("Some({})", lit(s)),
                        ExprVal::Int(n) => format!("Some({:?})", n.to_string()),
                        ExprVal::Float(x) => format!("Some({:?})", x.to_string()),
                        ExprVal::Ident(name) => self.path(p, name, false, pre)?,
                        ExprVal::FunctionCall(f) => {
                            escape = true;
                            self.call(p, f, pre)?
                        }
                        _ => return Err(self.err(&p.template, "~", "this part of a `~` concatenation")),
                    };
                    let _ = writeln!(pre, "rt::concat(&mut {t}, {part}.map(|x| (&rt::W(x)).scalar()))?;");
                }
                (format!("Some(&{t})"), escape)
            }
            ExprVal::Logic(_) | ExprVal::In(_) | ExprVal::Test(_) => {
                let b = self.cond(p, e)?;
                let t = self.tmp();
                let _ = writeln!(pre, "let {t} = {b};");
                (format!("Some(&{t})"), false)
            }
            ExprVal::MacroCall(m) => {
                return Err(self.err(&p.template, &m.name, &format!("the macro call `{}::{}` inside an expression", m.namespace, m.name)));
            }
            ExprVal::Math(_) => return Err(self.err(&p.template, "", "arithmetic")),
            ExprVal::Array(_) => return Err(self.err(&p.template, "[", "an array literal")),
        };
        let rest = if has_default { &filters[1..] } else { &filters[..] };
        for f in rest {
            let mut args = String::new();
            let mut names: Vec<&String> = f.args.keys().collect();
            names.sort();
            for name in names {
                let (a, _) = self.value(p, &f.args[name], false, pre)?;
                let _ = write!(args, "({}, {a}.map(|x| (&rt::W(x)).scalar())), ", lit(name));
            }
            let known = ["length", "split", "nth", "trim_end_matches", "default"];
            if !known.contains(&f.name.as_str()) {
                return Err(self.err(&p.template, &f.name, &format!("the filter `{}`", f.name)));
            }
            let t = self.tmp();
            let input = match made.take() {
                Some(d) => d,
                None => format!("rt::Dyn::from_scalar({code}.map(|x| (&rt::W(x)).scalar()).unwrap_or(rt::Scalar::Null))"),
            };
            let _ = writeln!(pre, "let {t} = rt::filter({}, {input}, &[{args}])?;", lit(&f.name));
            code = format!("Some(&{t})");
            made = Some(t.clone());
            escape = true;
        }
        if e.is_marked_safe() {
            escape = false;
        }
        Ok((code, escape))
    }

    /// A function call (`t`) as `Option<&T>`.
    fn call(&mut self, p: &mut Place, f: &FunctionCall, pre: &mut String) -> R<String> {
        if f.name != "t" {
            return Err(self.err(&p.template, &format!("{}(", f.name), &format!("the function `{}`", f.name)));
        }
        let Some(key) = f.args.get("key") else {
            return Err(self.err(&p.template, "t(", "`t` without `key`"));
        };
        if let (ExprVal::String(k), true, 1) = (&key.val, key.filters.is_empty() && !key.negated, f.args.len()) {
            return Ok(format!("Some(env.l.t({}))", lit(k)));
        }
        let (k, _) = self.value(p, key, false, pre)?;
        let mut args = String::new();
        let mut names: Vec<&String> = f.args.keys().filter(|n| n.as_str() != "key").collect();
        names.sort();
        for name in names {
            let (a, _) = self.value(p, &f.args[name], false, pre)?;
            let _ = write!(args, "({}, {a}.map(|x| (&rt::W(x)).scalar())), ", lit(name));
        }
        let t = self.tmp();
        let _ = writeln!(pre, "let {t} = rt::t(env, {k}.map(|x| (&rt::W(x)).scalar()), &[{args}])?;");
        Ok(format!("Some(&{t})"))
    }

    /// An expression as a Rust `bool` expression (a block with its temporaries).
    fn cond(&mut self, p: &mut Place, e: &Expr) -> R<String> {
        let mut pre = String::new();
        let b = match &e.val {
            ExprVal::Logic(l) => match l.operator {
                LogicOperator::And => format!("({} && {})", self.cond(p, &l.lhs)?, self.cond(p, &l.rhs)?),
                LogicOperator::Or => format!("({} || {})", self.cond(p, &l.lhs)?, self.cond(p, &l.rhs)?),
                op @ (LogicOperator::Eq | LogicOperator::NotEq) => {
                    let (a, _) = self.value(p, &l.lhs, false, &mut pre)?;
                    let (b, _) = self.value(p, &l.rhs, false, &mut pre)?;
                    let eq = format!("rt::eq({a}.map(|x| (&rt::W(x)).scalar()), {b}.map(|x| (&rt::W(x)).scalar()))?");
                    if op == LogicOperator::Eq { eq } else { format!("!{eq}") }
                }
                op => {
                    let a = self.number(p, &l.lhs, &mut pre)?;
                    let b = self.number(p, &l.rhs, &mut pre)?;
                    let sym = match op {
                        LogicOperator::Gt => ">",
                        LogicOperator::Gte => ">=",
                        LogicOperator::Lt => "<",
                        _ => "<=",
                    };
                    format!("({a} {sym} {b})")
                }
            },
            ExprVal::Ident(_) => {
                let inner = Expr { val: e.val.clone(), negated: false, filters: e.filters.clone() };
                let (v, _) = self.value(p, &inner, true, &mut pre)?;
                format!("rt::truthy({v}.map(|x| (&rt::W(x)).scalar()))")
            }
            ExprVal::Bool(b) => b.to_string(),
            ExprVal::String(s) => (!s.is_empty()).to_string(),
            ExprVal::Int(n) => (*n != 0).to_string(),
            ExprVal::Float(x) => (*x != 0.0).to_string(),
            ExprVal::StringConcat(_) => {
                let inner = Expr { val: e.val.clone(), negated: false, filters: e.filters.clone() };
                let (v, _) = self.value(p, &inner, false, &mut pre)?;
                format!("rt::truthy({v}.map(|x| (&rt::W(x)).scalar()))")
            }
            ExprVal::In(_) => return Err(self.err(&p.template, " in ", "the `in` operator")),
            ExprVal::Test(t) => return Err(self.err(&p.template, &t.name, &format!("the test `{}`", t.name))),
            ExprVal::FunctionCall(f) => {
                return Err(self.err(&p.template, &f.name, &format!("the function `{}` in a condition", f.name)));
            }
            ExprVal::MacroCall(m) => {
                return Err(self.err(&p.template, &m.name, &format!("the macro `{}` in a condition", m.name)));
            }
            ExprVal::Math(_) | ExprVal::Array(_) => return Err(self.err(&p.template, "", "arithmetic or an array in a condition")),
        };
        let b = if e.negated { format!("!{b}") } else { b };
        Ok(if pre.is_empty() { b } else { format!("{{ {pre}{b} }}") })
    }

    /// A comparison operand as an `f64` expression.
    fn number(&mut self, p: &mut Place, e: &Expr, pre: &mut String) -> R<String> {
        match &e.val {
            ExprVal::Int(n) if e.filters.is_empty() => Ok(format!("{n}f64")),
            ExprVal::Float(x) if e.filters.is_empty() => Ok(format!("{x:?}f64")),
            ExprVal::Ident(name) if e.filters.is_empty() => {
                let v = self.path(p, name, false, pre)?;
                Ok(format!("rt::number({v}.map(|x| (&rt::W(x)).scalar()), {})?", lit(name)))
            }
            _ if !e.filters.is_empty() => {
                let (v, _) = self.value(p, e, false, pre)?;
                Ok(format!("rt::number({v}.map(|x| (&rt::W(x)).scalar()), \"a filtered value\")?"))
            }
            _ => Err(self.err(&p.template, "", "this operand of a comparison")),
        }
    }

    /// The names a frame's body sets: `(set once at its top level, set otherwise)`.
    fn sets(body: &[Node], top: bool, once: &mut BTreeMap<String, usize>, other: &mut BTreeSet<String>, global: &mut BTreeSet<String>) {
        for n in body {
            match n {
                Node::Set(_, s) if s.global => {
                    global.insert(s.key.clone());
                }
                Node::Set(_, s) if top => *once.entry(s.key.clone()).or_default() += 1,
                Node::Set(_, s) => {
                    other.insert(s.key.clone());
                }
                Node::If(i, _) => {
                    for (_, _, b) in &i.conditions {
                        Self::sets(b, false, once, other, global);
                    }
                    if let Some((_, b)) = &i.otherwise {
                        Self::sets(b, false, once, other, global);
                    }
                }
                Node::Forloop(_, f, _) => {
                    let (mut o, mut x) = (BTreeMap::new(), BTreeSet::new());
                    Self::sets(&f.body, true, &mut o, &mut x, global);
                }
                _ => {}
            }
        }
    }

    /// Declares the frame's variables set in a branch or more than once.
    fn declare(&mut self, p: &mut Place, body: &[Node], out: &mut String) -> BTreeSet<String> {
        let (mut once, mut other, mut global) = (BTreeMap::new(), BTreeSet::new(), BTreeSet::new());
        Self::sets(body, true, &mut once, &mut other, &mut global);
        for (k, n) in once {
            if n > 1 {
                other.insert(k);
            }
        }
        for k in &other {
            let _ = writeln!(out, "let mut s_{k}: Option<rt::Dyn> = None;");
            let f = p.frames.last_mut().expect("a frame");
            f.vars.push((k.clone(), Var { code: format!("s_{k}.as_ref()"), maybe_missing: true }));
        }
        other
    }

    fn body(&mut self, p: &mut Place, body: &[Node], blocks: &Blocks, dynamic: &BTreeSet<String>, out: &mut String) -> R<()> {
        for n in body {
            self.node(p, n, blocks, dynamic, out)?;
        }
        Ok(())
    }

    fn node(&mut self, p: &mut Place, n: &Node, blocks: &Blocks, dynamic: &BTreeSet<String>, out: &mut String) -> R<()> {
        match n {
            Node::Text(s) | Node::Raw(_, s, _) => {
                if !s.is_empty() {
                    let _ = writeln!(out, "out.push_str({});", lit(s));
                }
            }
            Node::Comment(..) | Node::ImportMacro(..) | Node::MacroDefinition(..) | Node::Extends(..) => {}
            Node::VariableBlock(_, e) => {
                if let ExprVal::MacroCall(m) = &e.val {
                    if e.filters.iter().any(|f| f.name != "safe") || e.negated {
                        return Err(self.err(&p.template, &m.name, "a filter on a macro call"));
                    }
                    return self.macro_call(p, m, out);
                }
                let mut pre = String::new();
                let (v, escape) = self.value(p, e, false, &mut pre)?;
                out.push_str(&pre);
                let _ = writeln!(out, "rt::write(out, {v}.map(|x| (&rt::W(x)).scalar()), {escape})?;");
            }
                Node::Set(_, s) => {
                let mut pre = String::new();
                let (v, _) = self.value(p, &s.value, false, &mut pre)?;
                let first = p.frames.len() == 1;
                if s.global && p.frames.iter().any(|f| f.is_macro) {
                    return Err(self.err(&p.template, "set_global", "`set_global` in a macro"));
                }
                let target = if s.global || (first && p.globals.contains(&s.key)) {
                    Some(format!("g_{}", s.key))
                } else if dynamic.contains(&s.key) {
                    Some(format!("s_{}", s.key))
                } else {
                    None
                };
                match target {
                    Some(t) => {
                        let _ = writeln!(out, "{{\n{pre}{t} = Some(rt::Dyn::of({v}.map(|x| (&rt::W(x)).scalar()))?);\n}}");
                    }
                    None => {
                        // Set once at the frame's top level: a typed binding
                        // for the rest of the frame.
                        out.push_str(&pre);
                        let t = format!("v_{}_{}", s.key, self.tmp());
                        let _ = writeln!(out, "let {t} = {v};");
                        let f = p.frames.last_mut().expect("a frame");
                        f.vars.push((s.key.clone(), Var { code: t, maybe_missing: false }));
                    }
                }
            }
            Node::If(i, _) => {
                let mut closes = 0;
                for (k, (_, c, b)) in i.conditions.iter().enumerate() {
                    let c = self.cond(p, c)?;
                    if k > 0 {
                        out.push_str(" else {\n");
                        closes += 1;
                    }
                    let _ = writeln!(out, "if {c} {{");
                    self.scoped(p, |g, p| g.body(p, b, blocks, dynamic, out))?;
                    out.push('}');
                }
                if let Some((_, b)) = &i.otherwise {
                    out.push_str(" else {\n");
                    self.scoped(p, |g, p| g.body(p, b, blocks, dynamic, out))?;
                    out.push('}');
                }
                for _ in 0..closes {
                    out.push('}');
                }
                out.push('\n');
            }
            Node::Forloop(_, f, _) => {
                if f.key.is_some() {
                    return Err(self.err(&p.template, &f.value, "a for loop over the keys of a map"));
                }
                let mut pre = String::new();
                let items = match &f.container.val {
                    ExprVal::FunctionCall(fc) if fc.name == "range" => {
                        if fc.args.keys().any(|k| k != "end") {
                            return Err(self.err(&p.template, "range(", "`range` with more than `end`"));
                        }
                        let end = self.number(p, &fc.args["end"], &mut pre)?;
                        format!("rt::range({end})")
                    }
                    ExprVal::Ident(name) if f.container.filters.is_empty() => {
                        let v = self.path(p, name, false, &mut pre)?;
                        format!("rt::items({v}, {})?", lit(name))
                    }
                    _ => return Err(self.err(&p.template, &f.value, "this for-loop container")),
                };
                let (i, len, x) = (self.tmp(), self.tmp(), self.tmp());
                let _ = write!(out, "{{\n{pre}let items = {items};\nlet {len} = items.len();\n");
                let mut frame = Frame { lp: Some((i.clone(), len.clone())), ..Frame::default() };
                frame.vars.push((f.value.clone(), Var { code: format!("(&rt::W({x})).lift()"), maybe_missing: false }));
                p.frames.push(frame);
                let mut decl = String::new();
                let inner = self.declare(p, &f.body, &mut decl);
                out.push_str(&decl);
                let _ = writeln!(out, "#[allow(unused_variables)]\nfor ({i}, {x}) in items.iter().enumerate() {{");
                let r = self.body(p, &f.body, blocks, &inner, out);
                p.frames.pop();
                r?;
                out.push_str("}\n");
                if let Some(empty) = &f.empty_body {
                    let _ = writeln!(out, "if {len} == 0 {{");
                    self.scoped(p, |g, p| g.body(p, empty, blocks, dynamic, out))?;
                    out.push('}');
                }
                out.push_str("}\n");
            }
            Node::Break(_) => out.push_str("break;\n"),
            Node::Continue(_) => out.push_str("continue;\n"),
            Node::Block(_, b, _) => {
                let (template, body) = blocks.get(&b.name).cloned().unwrap_or((p.template.clone(), b.body.clone()));
                let saved = std::mem::replace(&mut p.template, template);
                out.push_str("{\n");
                let r = self.body(p, &body, blocks, dynamic, out);
                out.push_str("}\n");
                p.template = saved;
                r?;
            }
            Node::Super => return Err(self.err(&p.template, "super()", "`super()`")),
            Node::Include(..) => return Err(self.err(&p.template, "include", "`include`")),
            Node::FilterSection(_, f, _) => {
                return Err(self.err(&p.template, "filter", &format!("the filter section `{}`", f.filter.name)));
            }
        }
        Ok(())
    }

    /// Compiles `f` in a scope whose typed bindings end with it (an `if` branch).
    fn scoped(&mut self, p: &mut Place, f: impl FnOnce(&mut Self, &mut Place) -> R<()>) -> R<()> {
        let len = p.frames.last().map_or(0, |f| f.vars.len());
        let r = f(self, p);
        if let Some(fr) = p.frames.last_mut() {
            fr.vars.truncate(len);
        }
        r
    }

    fn find_macro(&self, p: &Place, ns: &str, name: &str) -> R<(String, &'a MacroDefinition)> {
        let here = self.template(&p.template, &p.template)?;
        let file = if ns == "self" {
            p.template.clone()
        } else {
            match here.imported_macro_files.iter().find(|(_, n)| n == ns) {
                Some((file, _)) => file.clone(),
                None => return Err(self.err(&p.template, &format!("{ns}::"), &format!("the macro namespace `{ns}` is not imported"))),
            }
        };
        let t = self.template(&file, &p.template)?;
        match t.macros.get(name) {
            Some(m) => Ok((file, m)),
            None => Err(self.err(&p.template, name, &format!("no macro `{name}` in `{file}`"))),
        }
    }

    fn macro_call(&mut self, p: &mut Place, m: &tera::ast::MacroCall, out: &mut String) -> R<()> {
        let (file, def) = self.find_macro(p, &m.namespace, &m.name)?;
        let mut params: Vec<&String> = def.args.keys().collect();
        params.sort();
        let mut pre = String::new();
        let mut args = Vec::new();
        for name in &params {
            let e = match (m.args.get(*name), &def.args[*name]) {
                (Some(e), _) => e,
                (None, Some(d)) => d,
                (None, None) => {
                    return Err(self.err(&p.template, &m.name, &format!("the call of `{}` misses the argument `{name}`", m.name)));
                }
            };
            let (v, _) = self.value(p, e, false, &mut pre)?;
            args.push(((*name).clone(), v));
        }
        let typed = MACRO_TYPES.iter().find(|(t, n, _)| *t == file && *n == m.name);
        if let Some((_, _, types)) = typed {
            let fname = format!("macro_{}_{}", ident(&file), m.name);
            if !self.fns.contains_key(&fname) && !self.fn_stack.contains(&fname) {
                self.macro_fn(&file, def, &fname, types)?;
            }
            let list: Vec<String> = args.iter().map(|(_, v)| v.clone()).collect();
            let _ = writeln!(out, "{{\n{pre}{fname}(out, env, {})?;\n}}", list.join(", "));
            return Ok(());
        }
        if self.expanding.iter().any(|(t, n)| *t == file && *n == m.name) {
            return Err(self.err(&file, &m.name, &format!("the macro `{}` is recursive: name its parameter types in MACRO_TYPES (build/templates.rs)", m.name)));
        }
        let _ = write!(out, "{{\n{pre}");
        let mut frame = Frame { is_macro: true, ..Frame::default() };
        for (name, v) in args {
            let t = self.tmp();
            let _ = writeln!(out, "let {t} = {v};");
            frame.vars.push((name, Var { code: t, maybe_missing: false }));
        }
        let saved = std::mem::replace(&mut p.template, file.clone());
        p.frames.push(frame);
        self.expanding.push((file, m.name.clone()));
        let mut decl = String::new();
        let dynamic = self.declare(p, &def.body, &mut decl);
        out.push_str(&decl);
        let r = self.body(p, &def.body, &Blocks::new(), &dynamic, out);
        self.expanding.pop();
        p.frames.pop();
        p.template = saved;
        r?;
        out.push_str("}\n");
        Ok(())
    }

    /// A recursive macro as a function of its own.
    fn macro_fn(&mut self, file: &str, def: &MacroDefinition, fname: &str, types: &[(&str, &str)]) -> R<()> {
        self.fn_stack.push(fname.to_string());
        let mut params: Vec<&String> = def.args.keys().collect();
        params.sort();
        let mut generics = vec!["'t".to_string()];
        let mut sig = Vec::new();
        let mut frame = Frame { is_macro: true, ..Frame::default() };
        let mut prologue = String::new();
        for (k, name) in params.iter().enumerate() {
            let Some((_, ty)) = types.iter().find(|(n, _)| n == name) else {
                return Err(self.err(file, &def.name, &format!("MACRO_TYPES names no type for `{name}` of `{}`", def.name)));
            };
            generics.push(format!("P{k}: std::borrow::Borrow<{ty}> + ?Sized"));
            sig.push(format!("a_{name}: Option<&P{k}>"));
            let _ = writeln!(prologue, "let a_{name}: Option<&{ty}> = a_{name}.map(|v| v.borrow());");
            frame.vars.push(((*name).clone(), Var { code: format!("a_{name}"), maybe_missing: false }));
        }
        let mut p = Place { template: file.to_string(), frames: vec![frame], globals: BTreeSet::new() };
        let saved = std::mem::replace(&mut self.has_ctx, false);
        let mut code = String::new();
        let dynamic = self.declare(&mut p, &def.body, &mut code);
        let r = self.body(&mut p, &def.body, &Blocks::new(), &dynamic, &mut code);
        self.has_ctx = saved;
        self.fn_stack.pop();
        r?;
        let f = format!(
            "/// The macro `{}` of `{file}`.\n#[allow(unused_variables, unused_mut, clippy::all)]\nfn {fname}<{}>(out: &mut String, env: &rt::Env, {}) -> rt::Result {{\n{prologue}{code}Ok(())\n}}\n",
            def.name,
            generics.join(", "),
            sig.join(", ")
        );
        self.fns.insert(fname.to_string(), f);
        Ok(())
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
    let mut out = String::from("// @generated by build/templates.rs from templates/*.html: do not edit.\n\n");
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
        fn walk(body: &[Node], blocks: &Blocks, acc: &mut (BTreeMap<String, usize>, BTreeSet<String>, BTreeSet<String>)) {
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
    let _ = writeln!(out, "/// Each page template and the templates it is made of.\npub const DEPENDENCIES: &[(&str, &[&str])] = &[\n{deps}];");
    Ok(out)
}
