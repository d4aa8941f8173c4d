//! Expressions: paths, values with their filters, `t`, conditions.

use super::*;

impl<'a> Gen<'a> {
    /// The value of a dotted path as `Option<&T>`; in a condition an
    /// undefined part gives `None`, elsewhere an error (as in Tera).
    pub(super) fn path(&mut self, p: &Place, path: &str, cond: bool, pre: &mut String) -> R<String> {
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
        let _ = writeln!(
            pre,
            "let {t} = match {parent} {{ Some(v) => (&rt::W(&v.{last})).lift(), None => return Err(rt::missing({})) }};",
            lit(path)
        );
        Ok(t)
    }

    /// An expression as `Option<&T>`, its temporaries written to `pre`;
    /// the flag says whether Tera would escape it when printed.
    pub(super) fn value(&mut self, p: &mut Place, e: &Expr, cond: bool, pre: &mut String) -> R<(String, bool)> {
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
                let _ = writeln!(
                    pre,
                    "let {t} = rt::Dyn::or_default({v}.map(|x| (&rt::W(x)).scalar()), {d}.map(|x| (&rt::W(x)).scalar()))?;"
                );
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
                return Err(self.err(
                    &p.template,
                    &m.name,
                    &format!("the macro call `{}::{}` inside an expression", m.namespace, m.name),
                ));
            }
            ExprVal::Math(m) => {
                return Err(self.err(&p.template, &format!(" {} ", m.operator), "arithmetic"));
            }
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
                None => {
                    format!("rt::Dyn::from_scalar({code}.map(|x| (&rt::W(x)).scalar()).unwrap_or(rt::Scalar::Null))")
                }
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
    pub(super) fn call(&mut self, p: &mut Place, f: &FunctionCall, pre: &mut String) -> R<String> {
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
    pub(super) fn cond(&mut self, p: &mut Place, e: &Expr) -> R<String> {
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
            ExprVal::Math(m) => return Err(self.err(&p.template, &format!(" {} ", m.operator), "arithmetic")),
            ExprVal::Array(_) => {
                return Err(self.err(&p.template, "", "an array in a condition"));
            }
        };
        let b = if e.negated { format!("!{b}") } else { b };
        Ok(if pre.is_empty() { b } else { format!("{{ {pre}{b} }}") })
    }

    /// A comparison operand as an `f64` expression.
    pub(super) fn number(&mut self, p: &mut Place, e: &Expr, pre: &mut String) -> R<String> {
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
}
