//! One module per subcommand; each is a thin layer over the library.

pub mod build;
pub mod check;
