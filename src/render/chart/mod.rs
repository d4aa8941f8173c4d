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
//! stylesheet), so it reads the same in the site and in the handout; only
//! which of its two sizes shows is the stylesheet's (see [`ChartSize`]).
//! Everything written here is SVG markup; a page's HTML comes from its
//! template.

mod backend;
mod legend;
mod series;
mod sparkline;
mod style;

pub use sparkline::sparkline;

use crate::compute::Numbers;
use crate::i18n::Locale;
use crate::model::{Goal, Repo};
use crate::render::svg::escape;
use backend::Svg;
use chrono::NaiveDate;
use legend::{draw_legend, layout_legend, legend_entries};
use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use series::{Series, date_ticks};
use std::fmt::Write as _;
use style::{
    ACTUAL, FAMILY, FORECAST, FORECAST_TEXT, INK, MILESTONE, PACE, TARGET, TEXT_SIZE, WARNING, font, register_fonts,
};

/// The two sizes a chart is drawn in, in CSS pixels: the wide one for a
/// desktop page and for print, the narrow one for a phone, where the wide one
/// would shrink its 12-pixel text to 6 (the theme shows one or the other,
/// `svg.progress-chart.narrow` in `goalbook.css`). The narrow one keeps its
/// text at 12 pixels on a 320-pixel column: fewer date ticks, fewer value
/// ticks, its legend wrapped into more rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartSize {
    Wide,
    Narrow,
}

/// What differs between the sizes.
struct Frame {
    width: u32,
    height: u32,
    /// The extra class of the `<svg>`.
    class: &'static str,
    date_ticks: usize,
    value_ticks: usize,
    caption_chars: usize,
    /// The size of the "Today" label.
    today_px: f64,
}

impl ChartSize {
    fn frame(self) -> Frame {
        match self {
            ChartSize::Wide => Frame {
                width: 720,
                height: 320,
                class: "",
                date_ticks: 8,
                value_ticks: 6,
                caption_chars: 90,
                today_px: 11.0,
            },
            ChartSize::Narrow => Frame {
                width: 320,
                height: 300,
                class: " narrow",
                date_ticks: 4,
                value_ticks: 5,
                caption_chars: 40,
                today_px: 12.0,
            },
        }
    }
}

/// The progress chart of goal `i`: actual values, ideal pace, target,
/// milestones, forecast to the deadline and today, in both sizes (wide, then
/// narrow; see [`ChartSize`]). `None` when the goal has nothing to plot (no
/// target, or no dates and no check-ins).
pub fn progress_chart(repo: &Repo, numbers: &[Numbers], i: usize, as_of: NaiveDate, locale: &Locale) -> Option<String> {
    let mut svg = progress_chart_sized(repo, numbers, i, as_of, locale, ChartSize::Wide)?;
    svg.push_str(&progress_chart_sized(repo, numbers, i, as_of, locale, ChartSize::Narrow)?);
    Some(svg)
}

/// The wide chart of what [`progress_chart`] returned: paper needs no narrow
/// one, and a handout would pay for it in bytes (SPEC §5 caps a page at 1 MB).
pub fn wide_part(chart: &str) -> &str {
    chart.find("</svg>\n").map_or(chart, |k| &chart[..k + "</svg>\n".len()])
}

/// [`progress_chart`] in one size.
pub fn progress_chart_sized(
    repo: &Repo,
    numbers: &[Numbers],
    i: usize,
    as_of: NaiveDate,
    locale: &Locale,
    size: ChartSize,
) -> Option<String> {
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
    let f = size.frame();
    let (width, height, class) = (f.width, f.height, f.class);
    // Fit to inline in HTML5: no XML prolog, `role="img"`, an accessible
    // name and a `<title>`; the text defaults the elements leave out.
    let mut svg = String::with_capacity(4096);
    let _ = write!(
        svg,
        "<svg class=\"chart progress-chart{class}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" \
         xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{label}\" style=\"max-width:100%;height:auto\" \
         font-family=\"{FAMILY}\" font-size=\"{TEXT_SIZE}\" fill=\"currentColor\">\n<title>{label}</title>\n"
    );
    draw(&mut svg, &s, g, locale, &f).ok()?;
    svg.push_str("</svg>\n");
    Some(svg)
}

type DrawResult = Result<(), Box<dyn std::error::Error>>;
type Plot<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Lays the chart out in `f` and draws it: legend, axes and grid, the
/// lines, the direct labels, the points.
fn draw(svg: &mut String, s: &Series, g: &Goal, locale: &Locale, f: &Frame) -> DrawResult {
    let unit = g.unit.as_deref();
    let text = |px: f64| font(px).color(&INK);
    let root = Svg::new(svg, (f.width, f.height)).into_drawing_area();

    let legend = legend_entries(s, locale);
    let legend_rows = layout_legend(&root, &legend, f.width as i32 - 24)?;
    let legend_height = 8 + 20 * legend_rows.iter().map(|r| r.0 + 1).max().unwrap_or(0) as u32;
    let (plot_area, legend_area) = root.split_vertically(f.height - legend_height);

    let x_of = |d: NaiveDate| (d - s.x.0).num_days() as f64;
    let x_range = 0.0..x_of(s.x.1).max(1.0);
    let y_label = |v: &f64| axis_value(locale, *v, unit, s.y.1 - s.y.0);
    let y_width = {
        let probe = RangedCoordf64::from(s.y.0..s.y.1).key_points(f.value_ticks);
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
    let caption = g.metric.as_deref().map(|m| truncate(m, f.caption_chars)).unwrap_or_default();
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
        .y_labels(f.value_ticks)
        .y_label_formatter(&y_label)
        .light_line_style(TRANSPARENT)
        .bold_line_style(INK.mix(0.12))
        .axis_style(INK.mix(0.45))
        .label_style(text(12.0))
        .draw()?;
    date_axis(&root, &mut chart, s, locale, f.date_ticks)?;
    lines(&mut chart, s, locale, f)?;
    direct_labels(&root, &chart, s, locale, unit)?;
    points(&mut chart, s)?;
    draw_legend(&legend_area, &legend, &legend_rows)?;
    root.present()?;
    Ok(())
}

/// The x grid, tick marks and date labels: each set becomes one element.
fn date_axis<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    chart: &mut Plot<DB>,
    s: &Series,
    locale: &Locale,
    max_ticks: usize,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let x_of = |d: NaiveDate| (d - s.x.0).num_days() as f64;
    let ticks = date_ticks(s.x.0, s.x.1, max_ticks);
    let grid = ticks.iter().map(|&d| PathElement::new(vec![(x_of(d), s.y.0), (x_of(d), s.y.1)], INK.mix(0.12)));
    chart.draw_series(grid)?;
    let bottom = |d: NaiveDate| chart.backend_coord(&(x_of(d), s.y.0));
    for &d in &ticks {
        let (px, py) = bottom(d);
        root.draw(&PathElement::new(vec![(px, py), (px, py + 5)], INK.mix(0.45)))?;
    }
    for &d in &ticks {
        let (px, py) = bottom(d);
        let style = font(12.0).color(&INK).pos(Pos::new(HPos::Center, VPos::Top));
        root.draw(&Text::new(locale.date_short(d), (px, py + 8), style))?;
    }
    Ok(())
}

/// `(days since the first date shown, value)` of a dated value.
fn at(s: &Series, (d, v): (NaiveDate, f64)) -> (f64, f64) {
    ((d - s.x.0).num_days() as f64, v)
}

/// The right end of the x range.
fn x_end(s: &Series) -> f64 {
    ((s.x.1 - s.x.0).num_days() as f64).max(1.0)
}

/// Today (labelled), the warning level, the target, the ideal pace and the
/// forecast with its end point.
fn lines<DB: DrawingBackend>(chart: &mut Plot<DB>, s: &Series, locale: &Locale, f: &Frame) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (x0, x1) = (0.0, x_end(s));
    if let Some(today) = s.today {
        let x = at(s, (today, 0.0)).0;
        chart.draw_series(std::iter::once(PathElement::new(vec![(x, s.y.0), (x, s.y.1)], INK.mix(0.55))))?;
        let label = Text::new(
            locale.t("chart.today").to_string(),
            (x, s.y.1),
            font(f.today_px).color(&INK).pos(Pos::new(HPos::Center, VPos::Bottom)),
        );
        chart.draw_series(std::iter::once(label))?;
    }
    if let Some(w) = s.warning {
        chart.draw_series(std::iter::once(PathElement::new(vec![(x0, w), (x1, w)], WARNING.stroke_width(2))))?;
    }
    chart
        .draw_series(std::iter::once(PathElement::new(vec![(x0, s.target), (x1, s.target)], TARGET.stroke_width(2))))?;
    if let Some(p) = s.pace {
        let pace = PathElement::new(vec![at(s, p[0]), at(s, p[1])], PACE.mix(0.7).stroke_width(2));
        chart.draw_series(std::iter::once(pace))?;
    }
    if let Some(f) = s.forecast {
        chart
            .draw_series(std::iter::once(PathElement::new(vec![at(s, f[0]), at(s, f[1])], FORECAST.stroke_width(2))))?;
        chart.draw_series(std::iter::once(Circle::new(at(s, f[1]), 4, FORECAST_TEXT.stroke_width(2))))?;
    }
    Ok(())
}

/// Labels at the right end: the target, and the forecast at the deadline,
/// pushed apart when they would overlap.
fn direct_labels<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    chart: &Plot<DB>,
    s: &Series,
    locale: &Locale,
    unit: Option<&str>,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let x1 = x_end(s);
    let target_y = chart.backend_coord(&(x1, s.target)).1;
    let mut labels = vec![(target_y, axis_value(locale, s.target, unit, s.y.1 - s.y.0), TARGET)];
    if let Some(f) = s.forecast {
        let value = format!("≈{}", axis_value(locale, f[1].1, unit, s.y.1 - s.y.0));
        labels.push((chart.backend_coord(&at(s, f[1])).1, value, FORECAST_TEXT));
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
    Ok(())
}

/// The milestones, then the measured values as a line with their points.
fn points<DB: DrawingBackend>(chart: &mut Plot<DB>, s: &Series) -> DrawResult
where
    DB::ErrorType: 'static,
{
    chart.draw_series(s.milestones.iter().map(|&m| {
        EmptyElement::at(at(s, m)) + Polygon::new(vec![(0, -7), (7, 0), (0, 7), (-7, 0)], MILESTONE.filled())
    }))?;
    if s.actual.len() > 1 {
        chart.draw_series(std::iter::once(PathElement::new(
            s.actual.iter().map(|&p| at(s, p)).collect::<Vec<_>>(),
            ACTUAL.stroke_width(3),
        )))?;
    }
    chart.draw_series(s.actual.iter().map(|&p| Circle::new(at(s, p), 4, ACTUAL.filled())))?;
    Ok(())
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
