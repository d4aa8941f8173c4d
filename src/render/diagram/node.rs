//! What the diagrams share: the opening `<svg>` element, and the pieces of
//! their nodes (the link to the goal with its tooltip, the status line, the
//! dashed "+N more" node).

use crate::compute::Numbers;
use crate::i18n::Locale;
use crate::model::Repo;
use crate::render::status::{status_class, status_icon};
use crate::render::svg::{attr, escape_into, push_num, text, translate};
use std::fmt::Write as _;

/// A node's status line: icon and word, plus the progress when known.
pub(super) fn status_words(n: &Numbers, locale: &Locale) -> String {
    format!("{} {}", status_icon(n.status), status_words_without_icon(n, locale))
}

/// The tooltip of a goal node: full title, kind, owner, status and progress.
pub(super) fn tooltip(repo: &Repo, numbers: &[Numbers], i: usize, locale: &Locale) -> String {
    let g = &repo.goals[i];
    let n = &numbers[i];
    let mut t = format!("{} ({})", g.title, locale.kind(g.kind));
    if let Some(o) = &g.owner {
        let _ = write!(t, "\n{}: {}", locale.t("goal.owner"), repo.config.person_name(o));
    }
    let _ = write!(t, "\n{}: {}", locale.t("status.label"), status_words(n, locale));
    t
}

/// `<text>` of a node's status: the icon in the status hue, then the words.
pub(super) fn status_line(out: &mut String, class: &str, y: f64, n: &Numbers, words: &str) {
    out.push_str("<text class=\"");
    out.push_str(class);
    out.push('"');
    attr(out, "y", y);
    out.push_str("><tspan class=\"icon\">");
    out.push_str(status_icon(n.status));
    out.push_str("</tspan> ");
    escape_into(out, words);
    out.push_str("</text>\n");
}

pub(super) fn status_words_without_icon(n: &Numbers, locale: &Locale) -> String {
    let mut s = locale.status(n.status).to_string();
    if let Some(p) = n.progress {
        s.push_str(" · ");
        s.push_str(&locale.percent(p));
    }
    s
}

/// A dashed "+N more" node at `(x, y)` of `w × h` saying `text`, a link to
/// `prefix` + `link` when given.
pub(super) fn more_node(
    out: &mut String,
    (x, y, w, h): (f64, f64, f64, f64),
    text: &str,
    link: Option<&str>,
    prefix: &str,
) {
    if let Some(link) = link {
        out.push_str("<a href=\"");
        escape_into(out, prefix);
        escape_into(out, link);
        out.push_str("\" class=\"node more\"");
    } else {
        out.push_str("<g class=\"node more\"");
    }
    translate(out, x, y);
    out.push_str(">\n<rect");
    attr(out, "width", w);
    attr(out, "height", h);
    out.push_str(" rx=\"6\"/>\n");
    self::text(out, "", Some(w / 2.0), h / 2.0 + 4.0, text);
    out.push_str(if link.is_some() { "</a>\n" } else { "</g>\n" });
}

/// Opens a node's link to its goal page, with the full title as tooltip,
/// translated to `origin` (where the node's text starts).
pub(super) fn open_node_link(
    out: &mut String,
    repo: &Repo,
    numbers: &[Numbers],
    i: usize,
    locale: &Locale,
    root_prefix: &str,
    (x, y): (f64, f64),
) {
    out.push_str("<a href=\"");
    escape_into(out, root_prefix);
    escape_into(out, &repo.goals[i].url());
    out.push_str("\" class=\"node ");
    out.push_str(status_class(numbers[i].status));
    out.push('"');
    translate(out, x, y);
    out.push_str(">\n<title>");
    escape_into(out, &tooltip(repo, numbers, i, locale));
    out.push_str("</title>\n");
}

/// Opens a diagram. Its presentation (font, fills, strokes, status hues)
/// comes from the `svg.diagram` rules of the theme's `goalbook.css`: a goal
/// page carries its cascade inline, so attributes repeated on every element
/// would be paid for on every page.
pub(super) fn open_svg(out: &mut String, class: &str, w: f64, h: f64, label: &str) {
    out.push_str("<svg class=\"diagram ");
    out.push_str(class);
    out.push('"');
    attr(out, "width", w);
    attr(out, "height", h);
    out.push_str(" viewBox=\"0 0 ");
    push_num(out, w);
    out.push(' ');
    push_num(out, h);
    out.push_str("\" xmlns=\"http://www.w3.org/2000/svg\" role=\"group\" aria-label=\"");
    escape_into(out, label);
    out.push_str("\" style=\"max-width:100%;height:auto\">\n<title>");
    escape_into(out, label);
    out.push_str("</title>\n");
}
