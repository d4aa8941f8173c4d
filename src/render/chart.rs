//! Charts of a goal's metric over time, as SVG to inline in a page.
//!
//! The progress chart is drawn with plotters; the sparkline is a few
//! hand-written elements (plotters adds nothing at 80×20 pixels). Both are
//! deterministic: the same goal, numbers and `as_of` give the same bytes.
//!
//! plotters lays the chart out (scales, mesh, key points, text measuring) and
//! draws through [`Svg`], a backend of this module that writes compact SVG:
//! plotters' own SVG backend writes every attribute on every element, and a
//! goal page carries its chart inline (issue 8). plotters has no dashed
//! strokes or `currentColor`, so the chart draws those series in reserved
//! "sentinel" colours that the backend writes as SVG attributes. Text is
//! measured with DejaVu Sans, registered once from the embedded `dejavu`
//! crate, never from system fonts. The chart styles itself (no class from a
//! stylesheet), so it reads the same in the site and in the handout.

use crate::compute::Numbers;
use crate::i18n::Locale;
use crate::model::{Goal, Kind, Repo};
use crate::render::diagram::{escape, push_num, push_uint, status_color};
use chrono::{Datelike, Days, Months, NaiveDate};
use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
// `BackendStyle` is named by path: imported, its `stroke_width` would clash with `Color`'s.
use plotters_backend::{
    BackendColor, BackendCoord, BackendTextStyle, DrawingBackend, DrawingErrorKind, FontStyle, FontTransform,
};
use std::fmt::Write as _;
use std::sync::Once;

/// The font family written into the SVG; the name under which DejaVu Sans
/// is registered, so text is measured with the font the reader most likely
/// gets (and a close fallback when it is not installed).
const FAMILY: &str = "DejaVu Sans, Verdana, sans-serif";

/// Chart size in CSS pixels (the SVG scales down with `max-width: 100%`).
const WIDTH: u32 = 720;
const HEIGHT: u32 = 320;

// Colours that read on light and dark backgrounds.
const ACTUAL: RGBColor = RGBColor(0x25, 0x63, 0xeb);
const TARGET: RGBColor = RGBColor(0x16, 0xa3, 0x4a);
const MILESTONE: RGBColor = RGBColor(0xd9, 0x77, 0x06);
const FORECAST_TEXT: RGBColor = RGBColor(0x8b, 0x5c, 0xf6);

// Sentinel colours, written as `currentColor` and dashes by [`Svg`] (see
// the module comment).
const INK: RGBColor = RGBColor(1, 1, 1);
const PACE: RGBColor = RGBColor(2, 2, 2);
const FORECAST: RGBColor = RGBColor(3, 3, 3);
const WARNING: RGBColor = RGBColor(4, 4, 4);

/// The SVG paint of a colour and the dashes of its strokes.
fn paint(rgb: (u8, u8, u8)) -> (Option<&'static str>, &'static str) {
    match rgb {
        (1, 1, 1) => (Some("currentColor"), ""),
        (2, 2, 2) => (Some("currentColor"), " stroke-dasharray=\"3 4\""),
        (3, 3, 3) => (Some("#8b5cf6"), " stroke-dasharray=\"7 5\""),
        (4, 4, 4) => (Some("#d97706"), " stroke-dasharray=\"4 3\""),
        _ => (None, ""),
    }
}

/// The text defaults set once on the chart's `<svg>`.
const TEXT_SIZE: f64 = 12.0;

/// A font of `px` CSS pixels: plotters writes `font-size` as size / 1.24.
fn font(px: f64) -> FontDesc<'static> {
    (FAMILY, px * 1.24).into_font()
}

fn register_fonts() {
    static FONTS: Once = Once::new();
    FONTS.call_once(|| {
        // Both calls only fail on a corrupt font file; the crate embeds a good one.
        let _ = plotters::style::register_font(FAMILY, FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font(FAMILY, FontStyle::Bold, dejavu::sans::bold());
    });
}

/// What a goal's chart shows, in values and dates (no pixels yet).
struct Series {
    target: f64,
    warning: Option<f64>,
    /// Measured values: the baseline at the start, check-ins up to `as_of`,
    /// and `current` at `as_of` when the file gives it.
    actual: Vec<(NaiveDate, f64)>,
    /// The ideal pace, from (start, baseline) to (due, target).
    pace: Option<[(NaiveDate, f64); 2]>,
    /// From the last actual point to (due, forecast).
    forecast: Option<[(NaiveDate, f64); 2]>,
    milestones: Vec<(NaiveDate, f64)>,
    /// `as_of`, when it falls in (or near) the dates shown.
    today: Option<NaiveDate>,
    x: (NaiveDate, NaiveDate),
    y: (f64, f64),
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

impl Series {
    fn of(g: &Goal, n: &Numbers, as_of: NaiveDate) -> Option<Series> {
        let target = finite(g.target?)?;
        let baseline = finite(n.baseline.or(g.baseline).unwrap_or(0.0)).unwrap_or(0.0);
        let kpi = g.kind == Kind::Kpi;
        let mut actual = Vec::new();
        if !kpi && let Some(start) = g.start.filter(|&s| s <= as_of) {
            actual.push((start, baseline));
        }
        actual.extend(g.checkins.iter().filter(|c| c.date <= as_of && c.value.is_finite()).map(|c| (c.date, c.value)));
        if let Some(cur) = g.current.and_then(finite) {
            actual.push((as_of, cur));
        }
        if kpi && actual.is_empty() {
            actual.push((as_of, n.current.and_then(finite).unwrap_or(baseline)));
        }
        actual.sort_by_key(|p| p.0);
        let dated = if kpi { None } else { g.start.zip(g.due).filter(|(s, d)| s < d) };
        if dated.is_none() && actual.is_empty() {
            return None;
        }
        let pace = dated.map(|(s, d)| [(s, baseline), (d, target)]);
        let forecast = match (dated, n.forecast.and_then(finite), actual.last()) {
            (Some((_, due)), Some(f), Some(&last)) if as_of < due && last.0 < due => Some([last, (due, f)]),
            _ => None,
        };
        let milestones: Vec<(NaiveDate, f64)> =
            g.milestones.iter().filter(|m| m.target.is_finite()).map(|m| (m.date, m.target)).collect();

        let dates = actual.iter().map(|p| p.0).chain(milestones.iter().map(|m| m.0)).chain(g.start).chain(g.due);
        let (mut lo, mut hi) = dates.fold((NaiveDate::MAX, NaiveDate::MIN), |(lo, hi), d| (lo.min(d), hi.max(d)));
        if lo > hi {
            (lo, hi) = (as_of, as_of);
        }
        // Show today unless it lies far beyond the goal's dates (an old goal
        // seen years later would shrink to a sliver on the left).
        let span = (hi - lo).num_days().max(1);
        let today = if as_of >= lo && (as_of - hi).num_days() <= span / 4 {
            hi = hi.max(as_of);
            Some(as_of)
        } else {
            None
        };
        if (hi - lo).num_days() < 14 {
            lo = hi.checked_sub_days(Days::new(30)).unwrap_or(lo);
        }

        let mut values: Vec<f64> = vec![target];
        // A kpi's baseline defaults to 0, which would flatten a 99.5–99.9% uptime.
        if !kpi || g.baseline.is_some() {
            values.push(baseline);
        }
        values.extend(actual.iter().map(|p| p.1));
        values.extend(milestones.iter().map(|m| m.1));
        values.extend(forecast.iter().map(|f| f[1].1));
        let warning = if kpi { g.warning.and_then(finite) } else { None };
        values.extend(warning);
        let (mut ylo, mut yhi) = values.iter().fold((f64::MAX, f64::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v)));
        if ylo >= 0.0 && ylo < 0.35 * yhi {
            ylo = 0.0;
        }
        let pad = if yhi > ylo { (yhi - ylo) * 0.08 } else { yhi.abs().max(1.0) * 0.1 };
        yhi += pad;
        ylo = if ylo == 0.0 || (ylo > 0.0 && ylo - pad < 0.0) { 0.0 } else { ylo - pad };
        // Beyond what a chart can show (and what plotters' tick search can
        // handle): no chart rather than a hang or a panic.
        let (span, size) = (yhi - ylo, ylo.abs().max(yhi.abs()));
        if !(span.is_finite() && span > size * 1e-9 && size < 1e100) {
            return None;
        }
        Some(Series { target, warning, actual, pace, forecast, milestones, today, x: (lo, hi), y: (ylo, yhi) })
    }
}

/// Tick dates between `lo` and `hi`: days, weeks, half months, months,
/// quarters or years, whichever first gives at most `max` ticks.
fn date_ticks(lo: NaiveDate, hi: NaiveDate, max: usize) -> Vec<NaiveDate> {
    let days = |step: u64, align_monday: bool| -> Vec<NaiveDate> {
        let mut d = lo;
        if align_monday {
            while d.weekday() != chrono::Weekday::Mon {
                d = d.succ_opt().unwrap_or(d);
            }
        }
        let mut out = Vec::new();
        while d <= hi && out.len() <= max {
            out.push(d);
            d = match d.checked_add_days(Days::new(step)) {
                Some(n) => n,
                None => break,
            };
        }
        out
    };
    for (step, monday) in [(1, false), (2, false), (7, true)] {
        let t = days(step, monday);
        if t.len() <= max {
            return t;
        }
    }
    let month_starts = |every: u32, half: bool| -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let mut m = NaiveDate::from_ymd_opt(lo.year(), lo.month(), 1).unwrap_or(lo);
        while m <= hi && out.len() <= max {
            let index = m.year() as i64 * 12 + m.month0() as i64;
            if index.rem_euclid(every as i64) == 0 {
                for d in [Some(m), if half { m.with_day(15) } else { None }].into_iter().flatten() {
                    if d >= lo && d <= hi {
                        out.push(d);
                    }
                }
            }
            m = match m.checked_add_months(Months::new(1)) {
                Some(n) => n,
                None => break,
            };
        }
        out
    };
    let t = month_starts(1, true);
    if t.len() <= max {
        return t;
    }
    for every in [1, 2, 3, 6, 12, 24, 60, 120, 240, 600] {
        let t = month_starts(every, false);
        if t.len() <= max {
            return t;
        }
    }
    vec![lo, hi]
}

/// The progress chart of goal `i`: actual values, ideal pace, target,
/// milestones, forecast to the deadline and today. `None` when the goal has
/// nothing to plot (no target, or no dates and no check-ins).
pub fn progress_chart(repo: &Repo, numbers: &[Numbers], i: usize, as_of: NaiveDate, locale: &Locale) -> Option<String> {
    let g = repo.goals.get(i)?;
    let n = numbers.get(i)?;
    let s = Series::of(g, n, as_of)?;
    register_fonts();
    let current = n.current.unwrap_or(s.target);
    let unit = g.unit.as_deref();
    let label = format!(
        "{}: {}",
        locale.tf("chart.aria", &[("title", &g.title)]),
        locale.tf(
            "goal.value-of-target",
            &[("current", &locale.value(current, unit)), ("target", &locale.value(s.target, unit))]
        )
    );
    let label = escape(&label);
    // Fit to inline in HTML5: no XML prolog, `role="img"`, an accessible
    // name and a `<title>`; the text defaults the elements leave out.
    let mut svg = String::with_capacity(4096);
    let _ = write!(
        svg,
        "<svg class=\"chart progress-chart\" width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" \
         xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{label}\" style=\"max-width:100%;height:auto\" \
         font-family=\"{FAMILY}\" font-size=\"{TEXT_SIZE}\" fill=\"currentColor\">\n<title>{label}</title>\n"
    );
    draw(&mut svg, &s, g, locale).ok()?;
    svg.push_str("</svg>\n");
    Some(svg)
}

type DrawResult = Result<(), Box<dyn std::error::Error>>;

fn draw(svg: &mut String, s: &Series, g: &Goal, locale: &Locale) -> DrawResult {
    let unit = g.unit.as_deref();
    let text = |px: f64| font(px).color(&INK);
    let root = Svg::new(svg, (WIDTH, HEIGHT)).into_drawing_area();

    let legend = legend_entries(s, locale);
    let legend_rows = layout_legend(&root, &legend, WIDTH as i32 - 24)?;
    let legend_height = 8 + 20 * legend_rows.iter().map(|r| r.0 + 1).max().unwrap_or(0) as u32;
    let (plot_area, legend_area) = root.split_vertically(HEIGHT - legend_height);

    let x_of = |d: NaiveDate| (d - s.x.0).num_days() as f64;
    let ticks = date_ticks(s.x.0, s.x.1, 8);
    let x_range = 0.0..x_of(s.x.1).max(1.0);
    let y_label = |v: &f64| axis_value(locale, *v, unit, s.y.1 - s.y.0);
    let y_width = {
        let probe = RangedCoordf64::from(s.y.0..s.y.1).key_points(6);
        let widest = probe.iter().map(|v| root.estimate_text_size(&y_label(v), &text(12.0)).map(|t| t.0).unwrap_or(40));
        widest.max().unwrap_or(40) + 12
    };

    let label_width = [Some(s.target), s.forecast.map(|f| f[1].1)]
        .into_iter()
        .flatten()
        .map(|v| format!("≈{}", axis_value(locale, v, unit, s.y.1 - s.y.0)))
        .map(|t| root.estimate_text_size(&t, &text(12.0)).map(|t| t.0).unwrap_or(40))
        .max()
        .unwrap_or(40);
    let caption = g.metric.as_deref().map(|m| truncate(m, 90)).unwrap_or_default();
    let mut builder = ChartBuilder::on(&plot_area);
    builder
        .margin_left(8)
        .margin_right(label_width + 16)
        .margin_top(if caption.is_empty() { 22 } else { 30 })
        .margin_bottom(4);
    builder.x_label_area_size(26).y_label_area_size(y_width);
    let mut chart = builder.build_cartesian_2d(x_range, s.y.0..s.y.1)?;
    if !caption.is_empty() {
        plot_area.draw(&Text::new(caption, (8, 6), text(12.0).pos(Pos::new(HPos::Left, VPos::Top))))?;
    }
    // Dates are ticked on calendar boundaries (month starts, Mondays), which
    // plotters' numeric key points cannot express: the x grid is drawn here.
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(6)
        .y_label_formatter(&y_label)
        .light_line_style(TRANSPARENT)
        .bold_line_style(INK.mix(0.12))
        .axis_style(INK.mix(0.45))
        .label_style(text(12.0))
        .draw()?;

    let (x0, x1) = (0.0, x_of(s.x.1).max(1.0));
    // Grid lines, then tick marks, then labels: each set becomes one element.
    let grid = ticks.iter().map(|&d| PathElement::new(vec![(x_of(d), s.y.0), (x_of(d), s.y.1)], INK.mix(0.12)));
    chart.draw_series(grid)?;
    let bottom = |d: NaiveDate| chart.backend_coord(&(x_of(d), s.y.0));
    for &d in &ticks {
        let (px, py) = bottom(d);
        root.draw(&PathElement::new(vec![(px, py), (px, py + 5)], INK.mix(0.45)))?;
    }
    for &d in &ticks {
        let (px, py) = bottom(d);
        let style = text(12.0).pos(Pos::new(HPos::Center, VPos::Top));
        root.draw(&Text::new(locale.date_short(d), (px, py + 8), style))?;
    }
    let pt = |(d, v): (NaiveDate, f64)| (x_of(d), v);

    if let Some(today) = s.today {
        let x = x_of(today);
        chart.draw_series(std::iter::once(PathElement::new(vec![(x, s.y.0), (x, s.y.1)], INK.mix(0.55))))?;
        let label = Text::new(
            locale.t("chart.today").to_string(),
            (x, s.y.1),
            text(11.0).pos(Pos::new(HPos::Center, VPos::Bottom)),
        );
        chart.draw_series(std::iter::once(label))?;
    }
    if let Some(w) = s.warning {
        chart.draw_series(std::iter::once(PathElement::new(vec![(x0, w), (x1, w)], WARNING.stroke_width(2))))?;
    }
    chart
        .draw_series(std::iter::once(PathElement::new(vec![(x0, s.target), (x1, s.target)], TARGET.stroke_width(2))))?;
    if let Some(p) = s.pace {
        chart
            .draw_series(std::iter::once(PathElement::new(vec![pt(p[0]), pt(p[1])], PACE.mix(0.7).stroke_width(2))))?;
    }
    // Direct labels at the right end: the target, and the forecast at the
    // deadline, pushed apart when they would overlap.
    let target_y = chart.backend_coord(&(x1, s.target)).1;
    let mut labels = vec![(target_y, axis_value(locale, s.target, unit, s.y.1 - s.y.0), TARGET)];
    if let Some(f) = s.forecast {
        chart.draw_series(std::iter::once(PathElement::new(vec![pt(f[0]), pt(f[1])], FORECAST.stroke_width(2))))?;
        let end = pt(f[1]);
        chart.draw_series(std::iter::once(Circle::new(end, 4, FORECAST_TEXT.stroke_width(2))))?;
        let value = format!("≈{}", axis_value(locale, f[1].1, unit, s.y.1 - s.y.0));
        labels.push((chart.backend_coord(&end).1, value, FORECAST_TEXT));
    }
    if labels.len() == 2 && (labels[0].0 - labels[1].0).abs() < 15 {
        let (upper, lower) = if labels[0].0 <= labels[1].0 { (0, 1) } else { (1, 0) };
        let mid = (labels[0].0 + labels[1].0) / 2;
        labels[upper].0 = mid - 8;
        labels[lower].0 = mid + 8;
    }
    let right = chart.backend_coord(&(x1, s.target)).0;
    for (y, text, colour) in labels {
        let style = font(12.0).color(&colour).pos(Pos::new(HPos::Left, VPos::Center));
        root.draw(&Text::new(text, (right + 9, y), style))?;
    }
    chart.draw_series(s.milestones.iter().map(|&m| {
        EmptyElement::at(pt(m)) + Polygon::new(vec![(0, -7), (7, 0), (0, 7), (-7, 0)], MILESTONE.filled())
    }))?;
    if s.actual.len() > 1 {
        chart.draw_series(std::iter::once(PathElement::new(
            s.actual.iter().map(|&p| pt(p)).collect::<Vec<_>>(),
            ACTUAL.stroke_width(3),
        )))?;
    }
    chart.draw_series(s.actual.iter().map(|&p| Circle::new(pt(p), 4, ACTUAL.filled())))?;

    draw_legend(&legend_area, &legend, &legend_rows)?;
    root.present()?;
    Ok(())
}

/// One legend entry: its label and how its sample is drawn.
struct LegendEntry {
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

fn legend_entries(s: &Series, locale: &Locale) -> Vec<LegendEntry> {
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
fn layout_legend<DB: DrawingBackend>(
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

fn draw_legend<DB: DrawingBackend>(
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

/// A plotters backend that writes compact SVG into a string: integer
/// coordinates, defaults left out (the caller's `<svg>` sets the font, its
/// size and the text colour), lines drawn one after another in one style as
/// one `<path>`, and the sentinel colours as `currentColor` and dashes.
/// Texts are written after all shapes, so that no line covers a label and
/// the shapes between two labels can join.
struct Svg<'a> {
    out: &'a mut String,
    size: (u32, u32),
    /// Texts not yet written (see [`Svg::present`]).
    texts: String,
    /// The stroke attributes and path data of the lines not yet written.
    line_style: String,
    line_d: String,
    /// A pending line has more than two points, so its fill must be `none`.
    line_fill_none: bool,
    scratch: String,
}

type SvgResult = Result<(), DrawingErrorKind<std::fmt::Error>>;

impl<'a> Svg<'a> {
    fn new(out: &'a mut String, size: (u32, u32)) -> Self {
        Svg {
            out,
            size,
            texts: String::new(),
            line_style: String::new(),
            line_d: String::new(),
            line_fill_none: false,
            scratch: String::new(),
        }
    }

    fn flush_lines(&mut self) {
        if !self.line_d.is_empty() {
            self.out.push_str("<path");
            if self.line_fill_none {
                self.out.push_str(" fill=\"none\"");
            }
            self.out.push_str(&self.line_style);
            self.out.push_str(" d=\"");
            self.out.push_str(&self.line_d);
            self.out.push_str("\"/>\n");
        }
        self.line_d.clear();
        self.line_style.clear();
        self.line_fill_none = false;
    }

    /// Adds a line through `points`, joining the pending path when the style is the same.
    fn line(&mut self, points: impl IntoIterator<Item = BackendCoord>, color: BackendColor, width: u32) {
        let mut style = std::mem::take(&mut self.scratch);
        style.clear();
        push_stroke(&mut style, color, width);
        if style != self.line_style {
            self.flush_lines();
            std::mem::swap(&mut self.line_style, &mut style);
        }
        self.scratch = style;
        let start = self.line_d.len();
        let mut count = 0;
        for (x, y) in points {
            self.line_d.push(if count == 0 { 'M' } else { ' ' });
            push_int(&mut self.line_d, x);
            self.line_d.push(' ');
            push_int(&mut self.line_d, y);
            count += 1;
        }
        if count < 2 {
            self.line_d.truncate(start);
        }
        self.line_fill_none |= count > 2;
    }
}

fn push_int(out: &mut String, v: i32) {
    if v < 0 {
        out.push('-');
    }
    push_uint(out, u64::from(v.unsigned_abs()));
}

/// Appends a colour as SVG paint: a sentinel's meaning or `#rrggbb`.
fn push_paint(out: &mut String, rgb: (u8, u8, u8)) {
    if let (Some(p), _) = paint(rgb) {
        out.push_str(p);
        return;
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('#');
    for c in [rgb.0, rgb.1, rgb.2] {
        out.push(char::from(HEX[usize::from(c >> 4)]));
        out.push(char::from(HEX[usize::from(c & 15)]));
    }
}

/// Appends ` opacity="…"` (in hundredths) unless the colour is opaque.
fn push_opacity(out: &mut String, alpha: f64) {
    let h = (alpha.clamp(0.0, 1.0) * 100.0).round() as u8;
    if h < 100 {
        out.push_str(" opacity=\"0.");
        out.push(char::from(b'0' + h / 10));
        if !h.is_multiple_of(10) {
            out.push(char::from(b'0' + h % 10));
        }
        out.push('"');
    }
}

fn push_stroke(out: &mut String, color: BackendColor, width: u32) {
    out.push_str(" stroke=\"");
    push_paint(out, color.rgb);
    out.push('"');
    out.push_str(paint(color.rgb).1);
    if width != 1 {
        out.push_str(" stroke-width=\"");
        push_uint(out, u64::from(width));
        out.push('"');
    }
    push_opacity(out, color.alpha);
}

impl Svg<'_> {
    /// A `rect` or `circle` with integer attributes, filled or outlined.
    fn shape(&mut self, element: &str, attrs: &[(&str, i32)], color: BackendColor, width: u32, fill: bool) {
        self.flush_lines();
        let out = &mut *self.out;
        out.push('<');
        out.push_str(element);
        for &(name, v) in attrs {
            out.push(' ');
            out.push_str(name);
            out.push_str("=\"");
            push_int(out, v);
            out.push('"');
        }
        if fill {
            push_fill(out, color);
        } else {
            out.push_str(" fill=\"none\"");
            push_stroke(out, color, width);
        }
        out.push_str("/>\n");
    }
}

fn push_fill(out: &mut String, color: BackendColor) {
    out.push_str(" fill=\"");
    push_paint(out, color.rgb);
    out.push('"');
    push_opacity(out, color.alpha);
}

impl DrawingBackend for Svg<'_> {
    type ErrorType = std::fmt::Error;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> SvgResult {
        Ok(())
    }

    fn present(&mut self) -> SvgResult {
        self.flush_lines();
        self.out.push_str(&self.texts);
        self.texts.clear();
        Ok(())
    }

    fn draw_pixel(&mut self, (x, y): BackendCoord, color: BackendColor) -> SvgResult {
        self.draw_rect((x, y), (x + 1, y + 1), &color, true)
    }

    fn draw_line<S: plotters_backend::BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> SvgResult {
        if style.color().alpha > 0.0 {
            self.line([from, to], style.color(), style.stroke_width());
        }
        Ok(())
    }

    fn draw_path<S: plotters_backend::BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> SvgResult {
        if style.color().alpha > 0.0 {
            self.line(path, style.color(), style.stroke_width());
        }
        Ok(())
    }

    fn draw_rect<S: plotters_backend::BackendStyle>(
        &mut self,
        (x0, y0): BackendCoord,
        (x1, y1): BackendCoord,
        style: &S,
        fill: bool,
    ) -> SvgResult {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let size = [("x", x0), ("y", y0), ("width", x1 - x0), ("height", y1 - y0)];
        self.shape("rect", &size, style.color(), style.stroke_width(), fill);
        Ok(())
    }

    fn draw_circle<S: plotters_backend::BackendStyle>(
        &mut self,
        (x, y): BackendCoord,
        r: u32,
        style: &S,
        fill: bool,
    ) -> SvgResult {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let r = i32::try_from(r).unwrap_or(i32::MAX);
        self.shape("circle", &[("cx", x), ("cy", y), ("r", r)], style.color(), style.stroke_width(), fill);
        Ok(())
    }

    fn fill_polygon<S: plotters_backend::BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> SvgResult {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        self.flush_lines();
        let out = &mut *self.out;
        out.push_str("<path");
        push_fill(out, style.color());
        out.push_str(" d=\"");
        for (k, (x, y)) in vert.into_iter().enumerate() {
            out.push(if k == 0 { 'M' } else { ' ' });
            push_int(out, x);
            out.push(' ');
            push_int(out, y);
        }
        out.push_str("Z\"/>\n");
        Ok(())
    }

    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, style: &S, (x, y): BackendCoord) -> SvgResult {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let out = &mut self.texts;
        out.push_str("<text x=\"");
        push_int(out, x);
        out.push_str("\" y=\"");
        push_int(out, y);
        out.push('"');
        // Where plotters' own SVG backend puts the anchor, so labels sit where it measured them.
        out.push_str(match style.anchor().v_pos {
            VPos::Top => " dy=\"0.76em\"",
            VPos::Center => " dy=\"0.5ex\"",
            VPos::Bottom => " dy=\"-0.5ex\"",
        });
        out.push_str(match style.anchor().h_pos {
            HPos::Left => "",
            HPos::Center => " text-anchor=\"middle\"",
            HPos::Right => " text-anchor=\"end\"",
        });
        let family = style.family();
        if family.as_str() != FAMILY {
            out.push_str(" font-family=\"");
            super::theme::escape_html_into(out, family.as_str());
            out.push('"');
        }
        // plotters sizes fonts in its own unit (see `font`).
        let size = style.size() / 1.24;
        if (size * 10.0).round() != TEXT_SIZE * 10.0 {
            out.push_str(" font-size=\"");
            push_num(out, size);
            out.push('"');
        }
        match style.style() {
            FontStyle::Normal => {}
            FontStyle::Bold => out.push_str(" font-weight=\"bold\""),
            other => {
                out.push_str(" font-style=\"");
                out.push_str(other.as_str());
                out.push('"');
            }
        }
        if color.rgb != (INK.0, INK.1, INK.2) {
            out.push_str(" fill=\"");
            push_paint(out, color.rgb);
            out.push('"');
        }
        push_opacity(out, color.alpha);
        let angle = match style.transform() {
            FontTransform::Rotate90 => Some(90),
            FontTransform::Rotate180 => Some(180),
            FontTransform::Rotate270 => Some(270),
            _ => None,
        };
        if let Some(a) = angle {
            let _ = write!(out, " transform=\"rotate({a} {x} {y})\"");
        }
        out.push('>');
        super::theme::escape_html_into(out, text);
        out.push_str("</text>\n");
        Ok(())
    }
}

/// A value as precise as the chart's scale needs: whole numbers when the
/// values span 20 or more, else up to 2 decimals; large values shortened.
fn axis_value(locale: &Locale, v: f64, unit: Option<&str>, span: f64) -> String {
    if v.abs() >= 10_000.0 {
        return locale.short(v, unit);
    }
    let v = if span >= 20.0 {
        v.round()
    } else if span >= 2.0 {
        (v * 10.0).round() / 10.0
    } else {
        v
    };
    locale.value(v, unit)
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max { s.to_string() } else { format!("{}…", s.chars().take(max - 1).collect::<String>()) }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_and_opacities_are_written_short() {
        let mut s = String::new();
        for alpha in [1.0, 0.999, 0.7, 0.55, 0.12, 0.05] {
            push_opacity(&mut s, alpha);
        }
        assert_eq!(s, " opacity=\"0.7\" opacity=\"0.55\" opacity=\"0.12\" opacity=\"0.05\"");
        let mut s = String::new();
        push_stroke(&mut s, BackendColor { alpha: 1.0, rgb: (0x25, 0x63, 0xeb) }, 3);
        push_stroke(&mut s, BackendColor { alpha: 0.7, rgb: (2, 2, 2) }, 1);
        push_fill(&mut s, BackendColor { alpha: 1.0, rgb: (1, 1, 1) });
        assert_eq!(
            s,
            " stroke=\"#2563eb\" stroke-width=\"3\" stroke=\"currentColor\" stroke-dasharray=\"3 4\" opacity=\"0.7\" fill=\"currentColor\""
        );
    }
}
