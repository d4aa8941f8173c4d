//! Hand-written SVG diagrams: the goal cascade and the strategy map.
//!
//! Both are plain strings built in linear time over the goals they show, so
//! a page stays cheap even in a repository of 100,000 goals: the caller caps
//! what is drawn and the rest is summarised as "+N more" nodes. Every node is
//! a link to its goal page and carries its status as an icon and a word, not
//! as colour alone. Colours are fixed hues that read on light and dark pages;
//! text and lines use `currentColor`, so the page's theme decides them.
//!
//! The elements carry geometry and class names only: font, fills, strokes and
//! status hues are the `svg.diagram` rules of the theme's `goalbook.css`, and
//! the frame every node shares is drawn once and `<use>`d. A goal page embeds
//! its cascade inline, so each repeated attribute would be paid for on every
//! page (issue 8). Charts of one goal over time live in
//! [`crate::render::chart`].
//!
//! [`cascade`](cascade()) lays out a goal tree left to right, [`strategy_map`](strategy_map())
//! the scorecard's perspectives with their `supports` links routed by [`route`];
//! [`node`] draws what their nodes share and [`words`] fits titles into them.
//!
//! The markup written here is SVG, not HTML: a node's `<a>` and `<title>`
//! are SVG elements of the inline drawing. A page's HTML comes from its
//! template.

mod cascade;
mod node;
mod route;
mod strategy_map;
mod words;

pub use super::status::{status_class, status_color, status_icon};
pub use super::svg::escape;
pub use cascade::cascade;
pub use strategy_map::strategy_map;
