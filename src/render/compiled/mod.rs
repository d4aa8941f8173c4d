//! The built-in templates compiled to Rust (by `build.rs` and
//! `build/templates/`): the fast path of every page whose templates are
//! all the built-in ones. A page any of whose templates a user or a theme
//! overrides goes through Tera ([`super::theme`]); either way the bytes are
//! the same, which `tests/compiled.rs` checks on whole sites and on random
//! views.
//!
//! # The subset of Tera that compiles
//!
//! The compiler reads Tera's own parse of each template. It supports text,
//! comments and raw blocks; `{{ … }}` with Tera's autoescape (and `| safe`);
//! whitespace control (`{%-`, `-%}`, done by Tera's parser); `if`/`elif`/`else`
//! with `and`, `or`, `not`, `==`, `!=`, `<`, `<=`, `>`, `>=`; `for x in list`
//! and `for i in range(end=n)` with `loop.index`, `loop.index0`,
//! `loop.first`, `loop.last`, an `else` branch, `break` and `continue`;
//! `set` and `set_global` (a variable set in a branch, in a loop or more
//! than once holds text, a number or a boolean); `extends` and `block`
//! (no `super()`); `import … as` and macros with default arguments
//! (expanded where they are called; a recursive macro names its parameter
//! types in `MACRO_TYPES` of `build/templates/`); string concatenation
//! `~`; the function `t(key=…, …)`; the filters `default(value=…)`,
//! `length`, `split(pat=…)`, `nth(n=…)` and `trim_end_matches(pat=…)`.
//! Anything else — `include`, arithmetic, `in`, tests (`is …`), other
//! filters or functions, filter sections, indexing with `[…]` — fails the
//! build with the template's name and line. A field a template reads that
//! its view does not have fails the build too (rustc checks every access).

pub mod rt;

use super::views::ctx::SiteView;
use serde::Serialize;

/// What a site page's template sees: the site, the way to the root, the
/// page's view.
#[derive(Serialize)]
pub struct Page<'a, T: ?Sized> {
    pub site: &'a SiteView,
    /// Relative path from this page's folder to the site root (`""`, `"../../"`).
    pub root: &'a str,
    /// The navigation entry to mark as current.
    pub section: &'a str,
    /// The page's own URL relative to the root, for the period switcher and links.
    pub path: &'a str,
    pub page: &'a T,
}

/// What `handout.html` sees.
#[derive(Serialize)]
pub struct Handout<'a> {
    pub page: &'a super::handout::view::HandoutView<'a>,
}

/// A view with a compiled page template.
pub trait View: Serialize {
    /// The template's name.
    const TEMPLATE: &'static str;
    /// Writes the page from the compiled template.
    fn compiled(out: &mut String, env: &rt::Env, ctx: &Page<'_, Self>) -> rt::Result;
}

/// The generated code (`$OUT_DIR/templates.rs`).
#[allow(unused_parens, unused_variables, unused_mut, unused_braces, unused_assignments, clippy::all)]
mod generated {
    use super::rt::{self, LiftAny as _, LiftOption as _, ScalarAny as _, ScalarOf as _};
    include!(concat!(env!("OUT_DIR"), "/templates.rs"));
}

pub use generated::*;
