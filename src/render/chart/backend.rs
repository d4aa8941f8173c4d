//! [`Svg`], the plotters backend that writes the chart's compact SVG.

use super::style::{FAMILY, INK, TEXT_SIZE};
use crate::render::svg::{escape_into, push_num, push_uint};
use plotters::style::text_anchor::{HPos, VPos};
// `BackendStyle` is named by path: imported, its `stroke_width` would clash with `Color`'s.
use plotters_backend::{
    BackendColor, BackendCoord, BackendTextStyle, DrawingBackend, DrawingErrorKind, FontStyle, FontTransform,
};
use std::fmt::Write as _;

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

/// A plotters backend that writes compact SVG into a string: integer
/// coordinates, defaults left out (the caller's `<svg>` sets the font, its
/// size and the text colour), lines drawn one after another in one style as
/// one `<path>`, and the sentinel colours as `currentColor` and dashes.
/// Texts are written after all shapes, so that no line covers a label and
/// the shapes between two labels can join.
pub(super) struct Svg<'a> {
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
    pub(super) fn new(out: &'a mut String, size: (u32, u32)) -> Self {
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
            escape_into(out, family.as_str());
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
        escape_into(out, text);
        out.push_str("</text>\n");
        Ok(())
    }
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
