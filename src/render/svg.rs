//! SVG writing primitives shared by the diagrams and charts: numbers to a
//! tenth without float formatting, attributes, escaped text elements and
//! transforms. A leaf: it writes into a `String` and knows no page.

/// Appends `v` rounded to a tenth, without a trailing `.0` (`12`, `12.5`,
/// `-3.2`). No drawing needs finer steps, and `{:.1}` of an `f64` takes the
/// slow exact path of `core::fmt`, where a whole number prints in a few
/// divisions. Non-finite and absurdly large values print as `0`.
pub(crate) fn push_num(out: &mut String, v: f64) {
    let t = tenths(v);
    if t < 0 {
        out.push('-');
    }
    let a = t.unsigned_abs();
    push_uint(out, a / 10);
    if !a.is_multiple_of(10) {
        out.push('.');
        out.push(char::from(b'0' + (a % 10) as u8));
    }
}

fn tenths(v: f64) -> i64 {
    let t = (v * 10.0).round();
    if t.is_finite() && t.abs() < 1e15 { t as i64 } else { 0 }
}

/// Appends the decimal digits of `n`.
pub(crate) fn push_uint(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut k = buf.len();
    loop {
        k -= 1;
        buf[k] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // ASCII digits: always valid UTF-8.
    out.push_str(std::str::from_utf8(&buf[k..]).unwrap_or_default());
}

/// Appends numbers as [`push_num`] writes them, separated by a space where
/// the next one has no minus sign (path data needs no more).
pub(crate) fn push_nums(out: &mut String, values: &[f64]) {
    for (k, &v) in values.iter().enumerate() {
        if k > 0 && tenths(v) >= 0 {
            out.push(' ');
        }
        push_num(out, v);
    }
}

/// Appends ` name="v"` with `v` as [`push_num`] writes it.
pub(crate) fn attr(out: &mut String, name: &str, v: f64) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    push_num(out, v);
    out.push('"');
}

/// Appends `<text class="…" [x] y>content</text>`, escaping the content.
pub(crate) fn text(out: &mut String, class: &str, x: Option<f64>, y: f64, content: &str) {
    out.push_str("<text");
    if !class.is_empty() {
        out.push_str(" class=\"");
        out.push_str(class);
        out.push('"');
    }
    if let Some(x) = x {
        attr(out, "x", x);
    }
    attr(out, "y", y);
    out.push('>');
    escape_into(out, content);
    out.push_str("</text>\n");
}

/// Appends `s` escaped as [`escape`] does.
pub(crate) fn escape_into(out: &mut String, s: &str) {
    super::escape::escape_html_into(out, s);
}

/// Escapes text for SVG/HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    super::escape::escape_html(s)
}

/// Appends ` transform="translate(x y)"`.
pub(crate) fn translate(out: &mut String, x: f64, y: f64) {
    out.push_str(" transform=\"translate(");
    push_num(out, x);
    out.push(' ');
    push_num(out, y);
    out.push_str(")\"");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(v: f64) -> String {
        let mut s = String::new();
        push_num(&mut s, v);
        s
    }

    #[test]
    fn numbers_are_written_to_a_tenth_without_trailing_zeros() {
        let cases = [
            (0.0, "0"),
            (-0.0, "0"),
            (12.0, "12"),
            (12.25, "12.3"),
            (151.84, "151.8"),
            (190.0 * 0.999, "189.8"),
            (-3.04, "-3"),
            (-3.05, "-3.1"),
            (-0.04, "0"),
            (0.05, "0.1"),
            (1_000_000.5, "1000000.5"),
            (f64::NAN, "0"),
            (f64::INFINITY, "0"),
            (1e300, "0"),
        ];
        for (v, text) in cases {
            assert_eq!(num(v), text, "{v}");
        }
        let mut d = String::new();
        push_nums(&mut d, &[20.0, 0.0, 20.0, -100.0, 40.0, -0.04, 1.5]);
        assert_eq!(d, "20 0 20-100 40 0 1.5", "a space only where no minus sign separates");
        let mut u = String::new();
        push_uint(&mut u, 0);
        push_uint(&mut u, u64::MAX);
        assert_eq!(u, "018446744073709551615");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
