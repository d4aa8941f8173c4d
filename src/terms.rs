//! The shared words of the domain: what a goal is ([`Kind`]), its scorecard
//! [`Perspective`], [`Commitment`] and kpi [`Direction`], and the [`Status`] of
//! SPEC §3. A leaf: it depends on nothing else in goalbook, so every stage
//! (config, model, compute, i18n, render) can name these without importing
//! the stage that produces them.

use serde::Serialize;

macro_rules! named_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const NAMES: &'static [&'static str] = &[$($text),+];
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

named_enum!(
    /// What a goal is (SPEC §1).
    Kind { Objective = "objective", KeyResult = "key-result", Initiative = "initiative", Kpi = "kpi" }
);
named_enum!(
    /// Balanced-scorecard perspective, in strategy-map order from the top.
    Perspective { Finance = "finance", Customer = "customer", Process = "process", Learning = "learning" }
);
named_enum!(
    /// Committed OKRs must reach 100%; aspirational ones succeed at 70%.
    Commitment { Committed = "committed", Aspirational = "aspirational" }
);
named_enum!(
    /// Which way a kpi should move.
    Direction { Increase = "increase", Decrease = "decrease" }
);

/// Status of SPEC §3, in the order the rules are tried.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Achieved,
    Upcoming,
    Missed,
    OnTrack,
    AtRisk,
    OffTrack,
    Undated,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::OnTrack,
        Status::AtRisk,
        Status::OffTrack,
        Status::Achieved,
        Status::Missed,
        Status::Upcoming,
        Status::Undated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Achieved => "achieved",
            Status::Upcoming => "upcoming",
            Status::Missed => "missed",
            Status::OnTrack => "on-track",
            Status::AtRisk => "at-risk",
            Status::OffTrack => "off-track",
            Status::Undated => "undated",
        }
    }
}
