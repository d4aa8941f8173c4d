//! The chart's font and colours, shared by its drawing, legend and backend.

use plotters::prelude::*;
use plotters_backend::FontStyle;
use std::sync::Once;

/// The font family written into the SVG; the name under which DejaVu Sans
/// is registered, so text is measured with the font the reader most likely
/// gets (and a close fallback when it is not installed).
pub(super) const FAMILY: &str = "DejaVu Sans, Verdana, sans-serif";

// Colours that read on light and dark backgrounds.
pub(super) const ACTUAL: RGBColor = RGBColor(0x25, 0x63, 0xeb);
pub(super) const TARGET: RGBColor = RGBColor(0x16, 0xa3, 0x4a);
pub(super) const MILESTONE: RGBColor = RGBColor(0xd9, 0x77, 0x06);
pub(super) const FORECAST_TEXT: RGBColor = RGBColor(0x8b, 0x5c, 0xf6);

// Sentinel colours, written as `currentColor` and dashes by the backend
// (`backend::Svg`; see the chart module's comment).
pub(super) const INK: RGBColor = RGBColor(1, 1, 1);
pub(super) const PACE: RGBColor = RGBColor(2, 2, 2);
pub(super) const FORECAST: RGBColor = RGBColor(3, 3, 3);
pub(super) const WARNING: RGBColor = RGBColor(4, 4, 4);

/// The text defaults set once on the chart's `<svg>`.
pub(super) const TEXT_SIZE: f64 = 12.0;

/// A font of `px` CSS pixels: plotters writes `font-size` as size / 1.24.
pub(super) fn font(px: f64) -> FontDesc<'static> {
    (FAMILY, px * 1.24).into_font()
}

pub(super) fn register_fonts() {
    static FONTS: Once = Once::new();
    FONTS.call_once(|| {
        // Both calls only fail on a corrupt font file; the crate embeds a good one.
        let _ = plotters::style::register_font(FAMILY, FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font(FAMILY, FontStyle::Bold, dejavu::sans::bold());
    });
}
