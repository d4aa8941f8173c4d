//! What the compiled templates call: Tera's meaning of a value (printing,
//! truthiness, comparison, `~`, the filters and `t`) over typed views.
//!
//! A template variable is an `Option<&T>` of the field it names, `None` for
//! null. `(&W(x)).lift()` flattens an `Option` field and `(&W(x)).scalar()`
//! reads a value as Tera would see it once serialised ([`Scalar`]); both pick
//! their impl by the type of `x` (autoref specialisation), so a struct is an
//! object and an `Option<String>` a string or null, as through serde_json.

use crate::i18n::Locale;
use std::borrow::Cow;

/// An error of a page being rendered, in Tera's words.
#[derive(Debug)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

pub type Result<T = ()> = std::result::Result<T, Error>;

/// What every compiled template needs beside its context: the language.
pub struct Env<'a> {
    pub l: &'a Locale,
}

/// A value being looked at (see the module doc).
pub struct W<'a, T: ?Sized>(pub &'a T);

/// `lift` of an `Option` field: its value, `None` for null.
pub trait LiftOption<'a> {
    type Inner: ?Sized;
    fn lift(&self) -> Option<&'a Self::Inner>;
}

impl<'a, T> LiftOption<'a> for W<'a, Option<T>> {
    type Inner = T;
    fn lift(&self) -> Option<&'a T> {
        self.0.as_ref()
    }
}

/// `lift` of any other field: the value.
pub trait LiftAny<'a> {
    type Inner: ?Sized;
    fn lift(&self) -> Option<&'a Self::Inner>;
}

impl<'a, T: ?Sized> LiftAny<'a> for &W<'a, T> {
    type Inner = T;
    fn lift(&self) -> Option<&'a T> {
        Some(self.0)
    }
}

/// A value as a template sees it after serialisation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar<'a> {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(&'a str),
    /// A list of this many items.
    Seq(usize),
    /// A struct (an object).
    Obj,
}

/// Types that serialise as a scalar or a list.
pub trait Val {
    fn scalar(&self) -> Scalar<'_>;
}

macro_rules! int_val {
    ($($t:ty),*) => {$(
        impl Val for $t {
            fn scalar(&self) -> Scalar<'_> {
                Scalar::Int(*self as i128)
            }
        }
    )*};
}
int_val!(i8, i16, i32, i64, u8, u16, u32, u64, usize, isize);

impl Val for f64 {
    fn scalar(&self) -> Scalar<'_> {
        Scalar::Float(*self)
    }
}
impl Val for f32 {
    fn scalar(&self) -> Scalar<'_> {
        Scalar::Float(*self as f64)
    }
}
impl Val for bool {
    fn scalar(&self) -> Scalar<'_> {
        Scalar::Bool(*self)
    }
}
impl Val for str {
    fn scalar(&self) -> Scalar<'_> {
        Scalar::Str(self)
    }
}
impl Val for String {
    fn scalar(&self) -> Scalar<'_> {
        Scalar::Str(self)
    }
}
impl Val for Cow<'_, str> {
    fn scalar(&self) -> Scalar<'_> {
        Scalar::Str(self)
    }
}
impl Val for () {
    fn scalar(&self) -> Scalar<'_> {
        Scalar::Null
    }
}
/// As serde writes it (`rename_all = "lowercase"`): what templates compare
/// `page.kind` with.
impl Val for crate::sets::GroupKind {
    fn scalar(&self) -> Scalar<'_> {
        Scalar::Str(match self {
            crate::sets::GroupKind::Team => "team",
            crate::sets::GroupKind::Person => "person",
            crate::sets::GroupKind::Period => "period",
        })
    }
}

impl<T: Val + ?Sized> Val for &T {
    fn scalar(&self) -> Scalar<'_> {
        (**self).scalar()
    }
}
impl<T: Val> Val for Option<T> {
    fn scalar(&self) -> Scalar<'_> {
        self.as_ref().map_or(Scalar::Null, Val::scalar)
    }
}
impl<T> Val for Vec<T> {
    fn scalar(&self) -> Scalar<'_> {
        Scalar::Seq(self.len())
    }
}
impl<T> Val for [T] {
    fn scalar(&self) -> Scalar<'_> {
        Scalar::Seq(self.len())
    }
}

/// `scalar` of a [`Val`].
pub trait ScalarOf<'a> {
    fn scalar(&self) -> Scalar<'a>;
}

impl<'a, T: Val + ?Sized> ScalarOf<'a> for W<'a, T> {
    fn scalar(&self) -> Scalar<'a> {
        self.0.scalar()
    }
}

/// `scalar` of anything else: a struct, an object.
pub trait ScalarAny<'a> {
    fn scalar(&self) -> Scalar<'a>;
}

impl<'a, T: ?Sized> ScalarAny<'a> for &W<'a, T> {
    fn scalar(&self) -> Scalar<'a> {
        Scalar::Obj
    }
}

/// A value a template made: `set` in a branch, a filter's result, `~`.
#[derive(Clone, Debug, PartialEq)]
pub enum Dyn {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    List(Vec<Dyn>),
    /// A list of views, known by its length only.
    Seq(usize),
    Obj,
}

impl Val for Dyn {
    fn scalar(&self) -> Scalar<'_> {
        match self {
            Dyn::Null => Scalar::Null,
            Dyn::Bool(b) => Scalar::Bool(*b),
            Dyn::Int(n) => Scalar::Int(*n),
            Dyn::Float(x) => Scalar::Float(*x),
            Dyn::Str(s) => Scalar::Str(s),
            Dyn::List(l) => Scalar::Seq(l.len()),
            Dyn::Seq(n) => Scalar::Seq(*n),
            Dyn::Obj => Scalar::Obj,
        }
    }
}

impl Dyn {
    pub fn from_scalar(s: Scalar) -> Dyn {
        match s {
            Scalar::Null => Dyn::Null,
            Scalar::Bool(b) => Dyn::Bool(b),
            Scalar::Int(n) => Dyn::Int(n),
            Scalar::Float(x) => Dyn::Float(x),
            Scalar::Str(s) => Dyn::Str(s.to_string()),
            Scalar::Seq(n) => Dyn::Seq(n),
            Scalar::Obj => Dyn::Obj,
        }
    }

    /// The value of a `set` that may run or not (in a branch, in a loop):
    /// text, a number, a boolean or null.
    pub fn of(v: Option<Scalar>) -> Result<Dyn> {
        match v.unwrap_or(Scalar::Null) {
            Scalar::Seq(_) | Scalar::Obj => Err(Error(
                "a variable set in a branch, in a loop or more than once must hold text, a number or a boolean"
                    .to_string(),
            )),
            s => Ok(Dyn::from_scalar(s)),
        }
    }

    /// `v | default(value=d)`: `d` when `v` is undefined or null.
    pub fn or_default(v: Option<Scalar>, d: Option<Scalar>) -> Result<Dyn> {
        match v {
            Some(s) if s != Scalar::Null => Ok(Dyn::from_scalar(s)),
            _ => Ok(Dyn::from_scalar(d.unwrap_or(Scalar::Null))),
        }
    }
}

/// Tera's error for an undefined variable.
pub fn missing(path: &str) -> Error {
    Error(format!("Variable `{path}` not found in context"))
}

/// A variable that must be defined (printed, passed, compared).
pub fn defined<'a, T: ?Sized>(v: Option<&'a T>, path: &str) -> Result<Option<&'a T>> {
    v.map(Some).ok_or_else(|| missing(path))
}

/// `{{ v }}`: text escaped (when Tera would), numbers as Tera prints them.
pub fn write(out: &mut String, v: Option<Scalar>, escape: bool) -> Result {
    match v.unwrap_or(Scalar::Null) {
        Scalar::Null => {}
        Scalar::Bool(b) => out.push_str(if b { "true" } else { "false" }),
        Scalar::Int(n) => {
            use std::fmt::Write as _;
            let _ = write!(out, "{n}");
        }
        Scalar::Float(x) => {
            use std::fmt::Write as _;
            let _ = write!(out, "{x}");
        }
        Scalar::Str(s) if escape => crate::render::escape::escape_html_into(out, s),
        Scalar::Str(s) => out.push_str(s),
        Scalar::Seq(_) | Scalar::Obj => {
            return Err(Error("the compiled templates print text and numbers, not lists or objects".to_string()));
        }
    }
    Ok(())
}

/// Tera's truthiness: empty text, zero, null, false and empty lists are false.
pub fn truthy(v: Option<Scalar>) -> bool {
    match v {
        None | Some(Scalar::Null) => false,
        Some(Scalar::Bool(b)) => b,
        Some(Scalar::Int(n)) => n != 0,
        Some(Scalar::Float(x)) => x != 0.0 && !x.is_nan(),
        Some(Scalar::Str(s)) => !s.is_empty(),
        Some(Scalar::Seq(n)) => n > 0,
        Some(Scalar::Obj) => true,
    }
}

fn as_f64(s: Scalar) -> Option<f64> {
    match s {
        Scalar::Int(n) => Some(n as f64),
        Scalar::Float(x) => Some(x),
        _ => None,
    }
}

/// `a == b`: numbers by value, a number never equal to anything else.
pub fn eq(a: Option<Scalar>, b: Option<Scalar>) -> Result<bool> {
    let (a, b) = (a.unwrap_or(Scalar::Null), b.unwrap_or(Scalar::Null));
    if let (Some(x), Some(y)) = (as_f64(a), as_f64(b)) {
        return Ok(x == y);
    }
    match (a, b) {
        (Scalar::Seq(_) | Scalar::Obj, _) | (_, Scalar::Seq(_) | Scalar::Obj) => {
            Err(Error("the compiled templates compare text, numbers and booleans, not lists or objects".to_string()))
        }
        _ => Ok(a == b),
    }
}

/// An operand of `<`, `>`, `<=`, `>=`.
pub fn number(v: Option<Scalar>, name: &str) -> Result<f64> {
    v.and_then(as_f64)
        .ok_or_else(|| Error(format!("Variable `{name}` was used in a math operation but is not a number")))
}

/// One part of `a ~ b`.
pub fn concat(out: &mut String, v: Option<Scalar>) -> Result {
    match v.unwrap_or(Scalar::Null) {
        Scalar::Str(s) => out.push_str(s),
        Scalar::Int(n) => out.push_str(&n.to_string()),
        // serde_json's `Number` display, as Tera's `~` uses.
        Scalar::Float(x) => {
            out.push_str(&serde_json::Number::from_f64(x).map_or("null".to_string(), |n| n.to_string()))
        }
        _ => return Err(Error("Tried to concat a value that is not a string or a number".to_string())),
    }
    Ok(())
}

/// Lists a for loop walks over.
pub trait Seq {
    type Item;
    fn items(&self) -> &[Self::Item];
}

impl<T> Seq for Vec<T> {
    type Item = T;
    fn items(&self) -> &[T] {
        self
    }
}
impl<T> Seq for [T] {
    type Item = T;
    fn items(&self) -> &[T] {
        self
    }
}
impl<S: Seq + ?Sized> Seq for &S {
    type Item = S::Item;
    fn items(&self) -> &[S::Item] {
        (**self).items()
    }
}

/// The items of a for loop's container.
pub fn items<'a, S: Seq + ?Sized>(v: Option<&'a S>, name: &str) -> Result<&'a [S::Item]> {
    v.map(Seq::items)
        .ok_or_else(|| Error(format!("Tried to iterate on a container (`{name}`) that has a unsupported type")))
}

/// `range(end=n)`.
pub fn range(end: f64) -> Vec<usize> {
    (0..end.max(0.0) as usize).collect()
}

fn text_arg<'a>(filter: &str, name: &str, args: &[(&str, Option<Scalar<'a>>)]) -> Result<String> {
    match args.iter().find(|(n, _)| *n == name).and_then(|(_, v)| *v) {
        Some(Scalar::Str(s)) => Ok(s.replace("\\n", "\n").replace("\\t", "\t")),
        _ => Err(Error(format!("Filter `{filter}` expected an arg called `{name}`"))),
    }
}

/// The built-in filters the compiled templates support, as Tera's.
pub fn filter(name: &str, v: Dyn, args: &[(&str, Option<Scalar>)]) -> Result<Dyn> {
    let wrong = || Error(format!("Filter `{name}` received an incorrect type for arg `value`"));
    Ok(match name {
        "length" => match v {
            Dyn::Str(s) => Dyn::Int(s.chars().count() as i128),
            Dyn::List(l) => Dyn::Int(l.len() as i128),
            Dyn::Seq(n) => Dyn::Int(n as i128),
            _ => {
                return Err(Error(
                    "Filter `length` was used on a value that isn't an array, an object, or a string.".to_string(),
                ));
            }
        },
        "split" => match v {
            Dyn::Str(s) => {
                let pat = text_arg(name, "pat", args)?;
                Dyn::List(s.split(pat.as_str()).map(|p| Dyn::Str(p.to_string())).collect())
            }
            _ => return Err(wrong()),
        },
        "trim_end_matches" => match v {
            Dyn::Str(s) => {
                let pat = text_arg(name, "pat", args)?;
                Dyn::Str(s.trim_end_matches(pat.as_str()).to_string())
            }
            _ => return Err(wrong()),
        },
        "nth" => match v {
            Dyn::List(l) => {
                let n = match args.iter().find(|(k, _)| *k == "n").and_then(|(_, v)| *v) {
                    Some(Scalar::Int(n)) if n >= 0 => n as usize,
                    _ => return Err(Error("The `nth` filter has to have an `n` argument".to_string())),
                };
                l.into_iter().nth(n).unwrap_or(Dyn::Str(String::new()))
            }
            _ => return Err(wrong()),
        },
        _ => return Err(Error(format!("the filter `{name}` is not compiled"))),
    })
}

/// `t(key=…, name=value…)`, the arguments sorted by name; the same text as
/// the `t` Tera function of [`crate::render::theme`].
pub fn t(env: &Env, key: Option<Scalar>, args: &[(&str, Option<Scalar>)]) -> Result<String> {
    let Some(Scalar::Str(key)) = key else { return Err(Error("`t` needs `key=\"…\"`".to_string())) };
    let mut named: Vec<(&str, String)> = Vec::with_capacity(args.len());
    for (name, v) in args {
        let text = match v.unwrap_or(Scalar::Null) {
            Scalar::Str(s) => s.to_string(),
            Scalar::Int(n) => env.l.number(n as f64, 0),
            Scalar::Float(x) => env.l.value(x, None),
            Scalar::Null => String::new(),
            Scalar::Bool(b) => b.to_string(),
            Scalar::Seq(_) | Scalar::Obj => {
                return Err(Error(format!("`t`: the argument `{name}` is not text or a number")));
            }
        };
        named.push((name, text));
    }
    named.sort();
    let pairs: Vec<(&str, &str)> = named.iter().map(|(k, v)| (*k, v.as_str())).collect();
    Ok(env.l.tf(key, &pairs))
}
