//! How much text fits in a diagram node: widths measured from DejaVu Sans
//! advances, titles wrapped at word boundaries and cut with `…`.

/// Approximate advance of a character in DejaVu Sans (the diagrams' font in
/// `goalbook.css`), in ems. Wide glyphs
/// count more so that truncation errs on the short side.
pub(super) fn char_em(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'ı' | 'í' | 'ì' | 'ỉ' | 'ĩ' | 'ị' => 0.3,
        ' ' | 'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '/' => 0.4,
        'm' | 'w' | 'M' | 'W' | '%' | '@' | '—' => 0.95,
        c if c.is_uppercase() => 0.72,
        c if c.is_ascii_digit() => 0.64,
        _ => 0.62,
    }
}

pub(super) fn text_width(s: &str, size: f64) -> f64 {
    s.chars().map(char_em).sum::<f64>() * size
}

/// Bold DejaVu Sans runs about 10% wider than regular.
pub(super) const BOLD: f64 = 1.1;

/// Cuts `s` to fit `width` pixels at `size`, ending with `…` when cut.
pub(super) fn fit(s: &str, width: f64, size: f64) -> String {
    cut(s, width, size, false)
}

/// Like [`fit`], but cuts at a word boundary, so that a title never ends
/// mid-number ("from 62 to 5…"); a single word wider than `width` is still
/// cut within it.
pub(super) fn fit_words(s: &str, width: f64, size: f64) -> String {
    cut(s, width, size, true)
}

/// [`fit`] and [`fit_words`]: the text that fits before `…`, backed off to the
/// last word boundary when `whole_words`.
fn cut(s: &str, width: f64, size: f64, whole_words: bool) -> String {
    if text_width(s, size) <= width {
        return s.to_string();
    }
    let budget = width - text_width("…", size);
    let mut used = 0.0;
    let mut out = String::new();
    for c in s.chars() {
        used += char_em(c) * size;
        if used > budget {
            // `c` does not fit: unless it is a space, the cut is inside a word,
            // so drop that word's first part (when an earlier word remains).
            if whole_words
                && !c.is_whitespace()
                && !out.ends_with(char::is_whitespace)
                && let Some(k) = out.trim_end().rfind(char::is_whitespace)
            {
                out.truncate(k);
            }
            break;
        }
        out.push(c);
    }
    format!("{}…", out.trim_end())
}

/// Word-wraps `s` into at most `lines` lines of `width` pixels; the last
/// line is cut at a word boundary with `…` when the text does not fit.
pub(super) fn wrap(s: &str, width: f64, size: f64, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    // The width of `line` in ems, summed character by character as
    // `text_width` does, so that a line is measured once, not once per word.
    let mut line_em = 0.0;
    let words: Vec<&str> = s.split_whitespace().collect();
    for (k, w) in words.iter().enumerate() {
        let mut candidate_em = if line.is_empty() { 0.0 } else { line_em + char_em(' ') };
        for c in w.chars() {
            candidate_em += char_em(c);
        }
        if candidate_em * size <= width || line.is_empty() && out.len() + 1 < lines {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(w);
            line_em = candidate_em;
            if line_em * size > width {
                out.push(fit(&line, width, size));
                line.clear();
                line_em = 0.0;
            }
            continue;
        }
        if out.len() + 1 == lines {
            out.push(fit_words(&format!("{line} {}", words[k..].join(" ")), width, size));
            return out;
        }
        out.push(std::mem::replace(&mut line, w.to_string()));
        line_em = w.chars().map(char_em).sum();
    }
    if !line.is_empty() {
        if out.len() < lines {
            out.push(fit(&line, width, size));
        } else if let Some(last) = out.last_mut() {
            *last = fit_words(&format!("{last} {line}"), width, size);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_and_fitting() {
        assert_eq!(wrap("Generate 400 leads", 400.0, 12.0, 2), vec!["Generate 400 leads"]);
        let lines = wrap("Generate 400 marketing-qualified leads in Q4 from three campaigns", 150.0, 12.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'), "{lines:?}");
        assert_eq!(fit("abc", 100.0, 12.0), "abc");
        assert!(fit(&"x".repeat(100), 100.0, 12.0).ends_with('…'));
        // Cuts fall between words, never inside a number.
        let lines = wrap("Cut days sales outstanding from 62 to 50 days in Q4", 80.0, 12.0, 2);
        assert_eq!(lines.len(), 2, "{lines:?}");
        let words: Vec<&str> = "Cut days sales outstanding from 62 to 50 days in Q4".split(' ').collect();
        for w in lines[1].trim_end_matches('…').split(' ') {
            assert!(words.contains(&w), "{w:?} of {lines:?} is a cut word");
        }
        assert!(lines[1].ends_with('…'), "{lines:?}");
        assert_eq!(fit_words("from 62 to 50 days", text_width("from 62 to 5…", 12.0), 12.0), "from 62 to…");
        assert!(fit_words(&"x".repeat(100), 100.0, 12.0).ends_with("x…"));
    }

    /// `wrap` as it was before it summed widths incrementally: every
    /// candidate line measured whole.
    fn wrap_measuring_whole_lines(s: &str, width: f64, size: f64, lines: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut line = String::new();
        let words: Vec<&str> = s.split_whitespace().collect();
        for (k, w) in words.iter().enumerate() {
            let candidate = if line.is_empty() { w.to_string() } else { format!("{line} {w}") };
            if text_width(&candidate, size) <= width || line.is_empty() && out.len() + 1 < lines {
                line = candidate;
                if text_width(&line, size) > width {
                    out.push(fit(&line, width, size));
                    line.clear();
                }
                continue;
            }
            if out.len() + 1 == lines {
                out.push(fit_words(&format!("{line} {}", words[k..].join(" ")), width, size));
                return out;
            }
            out.push(std::mem::replace(&mut line, w.to_string()));
        }
        if !line.is_empty() {
            if out.len() < lines {
                out.push(fit(&line, width, size));
            } else if let Some(last) = out.last_mut() {
                *last = fit_words(&format!("{last} {line}"), width, size);
            }
        }
        out
    }

    #[test]
    fn wrapping_sums_widths_as_measuring_whole_lines_does() {
        let words =
            ["a", "Generate", "400", "marketing-qualified", "leads", "in", "Q4", "WWWWWWWWWWWWWWWWWWWW", "ịí", "—"];
        // A fixed pseudo-random walk over the words, so the test is the same every run.
        let mut seed = 7u64;
        for _ in 0..2000 {
            let mut title = Vec::new();
            for _ in 0..(seed % 12) {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                title.push(words[(seed >> 33) as usize % words.len()]);
            }
            let title = title.join(" ");
            for (width, lines) in [(190.0 / BOLD, 2), (148.0, 2), (122.0, 3), (40.0, 2), (400.0, 1)] {
                assert_eq!(wrap(&title, width, 12.5, lines), wrap_measuring_whole_lines(&title, width, 12.5, lines));
            }
            seed = seed.wrapping_add(1);
        }
    }
}
