//! View structs: what each template sees, built from the model and numbers.
//!
//! Templates never see [`Repo`] or [`Numbers`]: they get these serialisable
//! structs, with every number and date already formatted for the locale and
//! every link relative to the site root (templates prefix `root`). The model
//! can change without breaking a user's template override. Building views is
//! linear in the number of goals and check-ins; nothing here writes files.

mod cascade;
pub mod ctx;
mod dashboard;
mod goal;
mod groups;

pub use cascade::*;
pub use ctx::*;
pub use dashboard::*;
pub use goal::*;
pub use groups::*;
