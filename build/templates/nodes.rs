//! Statements: text, `{{ }}`, `set`, `if`, `for`, blocks and macro calls.

use super::*;

impl<'a> Gen<'a> {
    /// The names a frame's body sets: `(set once at its top level, set otherwise)`.
    pub(super) fn sets(
        body: &[Node],
        top: bool,
        once: &mut BTreeMap<String, usize>,
        other: &mut BTreeSet<String>,
        global: &mut BTreeSet<String>,
    ) {
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
    pub(super) fn declare(&mut self, p: &mut Place, body: &[Node], out: &mut String) -> BTreeSet<String> {
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

    pub(super) fn body(
        &mut self,
        p: &mut Place,
        body: &[Node],
        blocks: &Blocks,
        dynamic: &BTreeSet<String>,
        out: &mut String,
    ) -> R<()> {
        for n in body {
            self.node(p, n, blocks, dynamic, out)?;
        }
        Ok(())
    }

    pub(super) fn node(
        &mut self,
        p: &mut Place,
        n: &Node,
        blocks: &Blocks,
        dynamic: &BTreeSet<String>,
        out: &mut String,
    ) -> R<()> {
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
                        let _ =
                            writeln!(out, "{{\n{pre}{t} = Some(rt::Dyn::of({v}.map(|x| (&rt::W(x)).scalar()))?);\n}}");
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
    pub(super) fn scoped(&mut self, p: &mut Place, f: impl FnOnce(&mut Self, &mut Place) -> R<()>) -> R<()> {
        let len = p.frames.last().map_or(0, |f| f.vars.len());
        let r = f(self, p);
        if let Some(fr) = p.frames.last_mut() {
            fr.vars.truncate(len);
        }
        r
    }

    pub(super) fn find_macro(&self, p: &Place, ns: &str, name: &str) -> R<(String, &'a MacroDefinition)> {
        let here = self.template(&p.template, &p.template)?;
        let file = if ns == "self" {
            p.template.clone()
        } else {
            match here.imported_macro_files.iter().find(|(_, n)| n == ns) {
                Some((file, _)) => file.clone(),
                None => {
                    return Err(self.err(
                        &p.template,
                        &format!("{ns}::"),
                        &format!("the macro namespace `{ns}` is not imported"),
                    ));
                }
            }
        };
        let t = self.template(&file, &p.template)?;
        match t.macros.get(name) {
            Some(m) => Ok((file, m)),
            None => Err(self.err(&p.template, name, &format!("no macro `{name}` in `{file}`"))),
        }
    }

    pub(super) fn macro_call(&mut self, p: &mut Place, m: &tera::ast::MacroCall, out: &mut String) -> R<()> {
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
                    return Err(self.err(
                        &p.template,
                        &m.name,
                        &format!("the call of `{}` misses the argument `{name}`", m.name),
                    ));
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
            return Err(self.err(
                &file,
                &m.name,
                &format!(
                    "the macro `{}` is recursive: name its parameter types in MACRO_TYPES (build/templates/mod.rs)",
                    m.name
                ),
            ));
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
    pub(super) fn macro_fn(&mut self, file: &str, def: &MacroDefinition, fname: &str, types: &[(&str, &str)]) -> R<()> {
        self.fn_stack.push(fname.to_string());
        let mut params: Vec<&String> = def.args.keys().collect();
        params.sort();
        let mut generics = vec!["'t".to_string()];
        let mut sig = Vec::new();
        let mut frame = Frame { is_macro: true, ..Frame::default() };
        let mut prologue = String::new();
        for (k, name) in params.iter().enumerate() {
            let Some((_, ty)) = types.iter().find(|(n, _)| n == name) else {
                return Err(self.err(
                    file,
                    &def.name,
                    &format!("MACRO_TYPES names no type for `{name}` of `{}`", def.name),
                ));
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
