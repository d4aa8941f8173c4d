//! Status icons, CSS classes and hues: the one place that says how a status
//! looks, shared by pages, charts and diagrams. A leaf: it knows the status
//! enum and nothing of pages.

use crate::compute::Status;

/// The icon shown beside a status everywhere, so status is never colour alone.
pub fn status_icon(s: Status) -> &'static str {
    match s {
        Status::OnTrack => "✓",
        Status::AtRisk => "!",
        Status::OffTrack => "✕",
        Status::Achieved => "★",
        Status::Missed => "✕",
        Status::Upcoming => "○",
        Status::Undated => "–",
    }
}

/// The CSS class of a status (`on-track`), shared with the site's theme.
pub fn status_class(s: Status) -> &'static str {
    s.as_str()
}

/// The colour of a status where CSS cannot reach (charts), matching the theme.
pub fn status_color(s: Status) -> &'static str {
    match s {
        Status::OnTrack => "#16a34a",
        Status::AtRisk => "#d97706",
        Status::OffTrack => "#dc2626",
        Status::Achieved => "#2563eb",
        Status::Missed | Status::Upcoming | Status::Undated => "#6b7280",
    }
}
