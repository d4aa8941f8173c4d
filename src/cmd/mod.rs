//! One module per subcommand; each is a thin layer over the library.

pub mod build;
pub mod check;
pub mod checkin;
pub mod codeowners;
pub mod diff;
pub mod handout;
pub mod init;
pub mod pull;
pub mod remind;
#[cfg(feature = "serve")]
pub mod serve;
