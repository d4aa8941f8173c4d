//! The chart's legend: which series it shows and their samples, wrapped
//! into rows.

use super::series::Series;
use super::style::{ACTUAL, FORECAST, INK, MILESTONE, PACE, TARGET, WARNING, font};
use crate::i18n::Locale;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One legend entry: its label and how its sample is drawn.
pub(super) struct LegendEntry {
    label: String,
    sample: Sample,
}

#[derive(Clone, Copy)]
enum Sample {
    Line(RGBColor),
    LineWithDot(RGBColor),
    Diamond,
    Vertical,
}

pub(super) fn legend_entries(s: &Series, locale: &Locale) -> Vec<LegendEntry> {
    let mut out = Vec::new();
    let mut add = |key: &str, sample: Sample| out.push(LegendEntry { label: locale.t(key).to_string(), sample });
    if !s.actual.is_empty() {
        add("chart.actual", Sample::LineWithDot(ACTUAL));
    }
    if s.pace.is_some() {
        add("chart.ideal", Sample::Line(PACE));
    }
    add("chart.target", Sample::Line(TARGET));
    if s.warning.is_some() {
        add("chart.warning", Sample::Line(WARNING));
    }
    if !s.milestones.is_empty() {
        add("chart.milestone", Sample::Diamond);
    }
    if s.forecast.is_some() {
        add("chart.forecast", Sample::Line(FORECAST));
    }
    if s.today.is_some() {
        add("chart.today", Sample::Vertical);
    }
    out
}

const SAMPLE_WIDTH: i32 = 26;

/// (row, x) of every legend entry, wrapping at `width`.
pub(super) fn layout_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    entries: &[LegendEntry],
    width: i32,
) -> Result<Vec<(usize, i32)>, Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    let (mut row, mut x) = (0, 0);
    for e in entries {
        let w = area.estimate_text_size(&e.label, &font(12.0).into_text_style(area)).map(|t| t.0 as i32).unwrap_or(60);
        let item = SAMPLE_WIDTH + 6 + w + 18;
        if x > 0 && x + item > width {
            row += 1;
            x = 0;
        }
        out.push((row, x));
        x += item;
    }
    Ok(out)
}

pub(super) fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    entries: &[LegendEntry],
    rows: &[(usize, i32)],
) -> Result<(), Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    for (e, &(row, x)) in entries.iter().zip(rows) {
        let (x, y) = (12 + x, 12 + 20 * row as i32);
        match e.sample {
            Sample::Line(c) => area.draw(&PathElement::new(vec![(x, y), (x + SAMPLE_WIDTH, y)], c.stroke_width(2)))?,
            Sample::LineWithDot(c) => {
                area.draw(&PathElement::new(vec![(x, y), (x + SAMPLE_WIDTH, y)], c.stroke_width(3)))?;
                area.draw(&Circle::new((x + SAMPLE_WIDTH / 2, y), 4, c.filled()))?;
            }
            Sample::Diamond => {
                let (cx, r) = (x + SAMPLE_WIDTH / 2, 6);
                area.draw(&Polygon::new(vec![(cx, y - r), (cx + r, y), (cx, y + r), (cx - r, y)], MILESTONE.filled()))?
            }
            Sample::Vertical => {
                let cx = x + SAMPLE_WIDTH / 2;
                area.draw(&PathElement::new(vec![(cx, y - 7), (cx, y + 7)], INK.mix(0.55)))?
            }
        }
        let style = font(12.0).color(&INK).pos(Pos::new(HPos::Left, VPos::Center));
        area.draw(&Text::new(e.label.clone(), (x + SAMPLE_WIDTH + 6, y), style))?;
    }
    Ok(())
}
