//! The sparkline: a goal's values as a tiny line for tables and cards.

use super::series::Series;
use crate::compute::Numbers;
use crate::model::Repo;
use crate::render::status::status_color;
use crate::render::svg::push_num;
use chrono::NaiveDate;
use std::fmt::Write as _;

/// A tiny line of the goal's values for tables and cards: 80×20, no text,
/// hidden from screen readers (the row beside it says the same in words).
/// `None` when there are fewer than two values to join.
pub fn sparkline(repo: &Repo, numbers: &[Numbers], i: usize, as_of: NaiveDate) -> Option<String> {
    let g = repo.goals.get(i)?;
    let n = numbers.get(i)?;
    let s = Series::of(g, n, as_of)?;
    if s.actual.len() < 2 {
        return None;
    }
    // 80×20 with a 2 pixel margin (written out as numbers below).
    let (w, h, pad) = (80.0, 20.0, 2.0);
    let (lo, hi) = s.x;
    let span = (hi - lo).num_days().max(1) as f64;
    let (ylo, yhi) = s.y;
    let px = |d: NaiveDate| pad + (d - lo).num_days() as f64 / span * (w - 2.0 * pad);
    let py = |v: f64| h - pad - (v - ylo) / (yhi - ylo) * (h - 2.0 * pad);
    let colour = status_color(n.status);
    let mut out = String::with_capacity(400 + 12 * s.actual.len());
    out.push_str(
        "<svg class=\"sparkline\" width=\"80\" height=\"20\" viewBox=\"0 0 80 20\" xmlns=\"http://www.w3.org/2000/svg\" aria-hidden=\"true\" focusable=\"false\">",
    );
    let ty = py(s.target);
    out.push_str("<line x1=\"2\" y1=\"");
    push_num(&mut out, ty);
    out.push_str("\" x2=\"78\" y2=\"");
    push_num(&mut out, ty);
    out.push_str("\" stroke=\"currentColor\" stroke-opacity=\"0.35\" stroke-dasharray=\"2 2\"/><polyline points=\"");
    for (k, &(d, v)) in s.actual.iter().enumerate() {
        if k > 0 {
            out.push(' ');
        }
        push_num(&mut out, px(d));
        out.push(',');
        push_num(&mut out, py(v));
    }
    let _ = write!(
        out,
        "\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>"
    );
    if let Some(&(d, v)) = s.actual.last() {
        out.push_str("<circle cx=\"");
        push_num(&mut out, px(d));
        out.push_str("\" cy=\"");
        push_num(&mut out, py(v));
        let _ = write!(out, "\" r=\"2\" fill=\"{colour}\"/>");
    }
    out.push_str("</svg>");
    Some(out)
}
