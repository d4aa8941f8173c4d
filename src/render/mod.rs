//! Rendering: the model and its numbers turned into what a reader sees —
//! HTML pages, charts and diagrams as inline SVG.
//!
//! [`views`] builds what templates see, [`theme`] layers the templates and
//! theme files, [`compiled`] is the built-in templates compiled to Rust (by
//! `build.rs`), [`pages`] renders and writes every page, [`markdown`] turns
//! goal bodies into safe HTML; [`chart`] and [`diagram`] draw the SVGs.

pub mod cascade_parts;
pub mod chart;
pub mod compiled;
pub mod diagram;
pub mod escape;
pub mod handout;
pub mod lists;
pub mod markdown;
pub mod pages;
pub mod search;
pub mod status;
pub mod svg;
pub mod theme;
pub mod views;
