//! CSS text of a handout's `@page` boxes.

use std::fmt::Write as _;

/// A CSS string token of `s`: quoted, with quotes, backslashes, line breaks
/// and `<` escaped (so no text can close the `<style>` element).
pub fn css_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' | '>' | '&' => {
                let _ = write!(out, "\\{:x} ", c as u32);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\{:x} ", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// CSS `content` for the page numbers from a pattern such as
/// `Page {n} of {total}`: `"Page " counter(page) " of " counter(pages)`.
pub fn page_counter_css(pattern: &str) -> String {
    let mut parts = Vec::new();
    let mut rest = pattern;
    while !rest.is_empty() {
        let next = [("{n}", "counter(page)"), ("{total}", "counter(pages)")]
            .iter()
            .filter_map(|&(p, css)| rest.find(p).map(|k| (k, p, css)))
            .min_by_key(|t| t.0);
        match next {
            Some((k, p, css)) => {
                if k > 0 {
                    parts.push(css_string(&rest[..k]));
                }
                parts.push(css.to_string());
                rest = &rest[k + p.len()..];
            }
            None => {
                parts.push(css_string(rest));
                rest = "";
            }
        }
    }
    if parts.is_empty() { "counter(page)".to_string() } else { parts.join(" ") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_strings_cannot_break_out_of_the_style_element() {
        assert_eq!(css_string("Sao Mai"), "\"Sao Mai\"");
        assert_eq!(css_string("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(css_string("</style>"), "\"\\3c /style\\3e \"");
        assert_eq!(css_string("x\ny"), "\"x\\a y\"");
    }

    #[test]
    fn page_counters_follow_the_locale_pattern() {
        assert_eq!(page_counter_css("Page {n} of {total}"), "\"Page \" counter(page) \" of \" counter(pages)");
        assert_eq!(page_counter_css("Trang {n}/{total}"), "\"Trang \" counter(page) \"/\" counter(pages)");
        assert_eq!(page_counter_css("{n}"), "counter(page)");
        assert_eq!(page_counter_css(""), "counter(page)");
    }
}
