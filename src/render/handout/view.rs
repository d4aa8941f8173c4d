//! What `handout.html` sees: the view of one handout (built by [`super::Renderer`]).

use crate::render::views::{CheckinRow, GoalRow, MilestoneRow, SmartItem, Summary};
use serde::Serialize;

/// One fact of a goal block: `Progress 46%`, with an optional second line.
#[derive(Serialize)]
pub struct Fact {
    pub label: String,
    pub value: String,
    pub sub: Option<String>,
}

/// Everything a handout shows of one goal; built once per goal and shared
/// by every handout it appears in.
#[derive(Serialize)]
pub struct GoalBlock<'a> {
    pub goal: &'a GoalRow,
    pub commitment: String,
    pub metric: Option<String>,
    pub facts: Vec<Fact>,
    pub chart: Option<String>,
    pub checkins: Vec<CheckinRow>,
    /// Check-ins before the ones listed.
    pub checkins_more: Option<String>,
    pub milestones: Vec<MilestoneRow>,
    pub smart: Vec<SmartItem>,
    pub smart_ok: bool,
}

/// A goal placed in a section: its block, its depth below the section's
/// objective (0 for a direct key result) and, when its parent is not that
/// objective, the parent it contributes to.
#[derive(Serialize)]
pub struct Placed<'a> {
    pub block: &'a GoalBlock<'a>,
    pub depth: usize,
    pub parent: Option<String>,
}

/// The goals of one objective. `objective` is the objective's own block
/// when it belongs to the handout; `context` is its row when it does not
/// (a yearly objective above this quarter's key results).
#[derive(Serialize)]
pub struct Section<'a> {
    pub objective: Option<&'a GoalBlock<'a>>,
    pub context: Option<&'a GoalRow>,
    pub context_note: Option<String>,
    /// The objective's parent, for a line "Contributes to …".
    pub parent: Option<String>,
    /// The heading of the section of goals under no objective.
    pub heading: Option<String>,
    pub goals: Vec<Placed<'a>>,
}

/// The summary table of one team.
#[derive(Serialize)]
pub struct TeamTable<'a> {
    pub name: String,
    /// Over all the team's goals in the handout, listed or not.
    pub summary: Summary,
    /// The team's goals listed.
    pub goals: Vec<&'a GoalRow>,
    /// The goals left out of a huge handout's table (see [`SUMMARY_ROWS`]),
    /// and where to find them.
    pub more: Option<String>,
}

/// SPEC §5 caps a page at 1 MB: a handout of more goals than this lists at
/// most this many rows in its team tables, shared among the teams (at least
/// one each), objectives first, then key results; each team's figures still
/// cover all its goals, and the rest are in the team's own handout.
pub const SUMMARY_ROWS: usize = 300;

/// A goal on the closing page, with why it is there.
#[derive(Serialize)]
pub struct Attention<'a> {
    pub goal: &'a GoalRow,
    pub reason: Option<String>,
}

/// What `handout.html` sees as `page`.
#[derive(Serialize)]
pub struct HandoutView<'a> {
    pub lang: String,
    /// `<title>`: `Q4 2026 review · Sao Mai Networks`.
    pub doc_title: String,
    pub organisation: String,
    pub heading: String,
    pub period: String,
    pub period_key: String,
    pub dates: Option<String>,
    pub team: Option<String>,
    pub as_of: String,
    pub as_of_iso: String,
    /// The theme's `handout.css`, inlined.
    pub css: String,
    /// CSS `size` of `@page`: `A4` or `letter`.
    pub paper: &'static str,
    /// CSS `content` values (quoted and escaped) of the running header and
    /// the page numbers, ready for the `@page` margin boxes.
    pub header_left: String,
    pub header_right: String,
    pub page_counter: String,
    pub summary: Summary,
    pub teams: Vec<TeamTable<'a>>,
    pub sections: Vec<Section<'a>>,
    /// Goals left out of the sections by [`DETAIL_LIMIT`](super::DETAIL_LIMIT), said in words.
    pub hidden: Option<String>,
    pub attention: Vec<Attention<'a>>,
    /// "+N more" when more goals need attention than the page lists.
    pub attention_more: Option<String>,
    pub decision_lines: usize,
    pub next_step_rows: usize,
}
