//! Numbers as people and spreadsheets write them (SPEC §7), in the separators
//! of `book.language`.

/// A number as a person or a spreadsheet writes it (SPEC §7): the thousands
/// and decimal separators of `language`, an optional `%` dropped. A text that
/// is not grouped by thousands correctly is read as a plain number
/// (`12.5` in Vietnamese is 12.5, `1.234` is 1234).
pub fn parse_number(text: &str, language: &str) -> Result<f64, String> {
    let t = text.trim();
    let t = t.strip_suffix('%').map_or(t, str::trim_end);
    let (group, decimal) = if language == "vi" { ('.', ',') } else { (',', '.') };
    let bad = || {
        if text.trim().is_empty() {
            "the cell is empty, not a number".to_string()
        } else {
            format!("`{}` is not a number", text.trim())
        }
    };
    if t.is_empty() {
        return Err(bad());
    }
    let finite = |v: f64| if v.is_finite() { Ok(v) } else { Err(bad()) };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (sign, body) = match t.strip_prefix('-') {
        Some(b) => ("-", b),
        None => ("", t.strip_prefix('+').unwrap_or(t)),
    };
    let (int, frac) = match body.split_once(decimal) {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let groups: Vec<&str> = int.split(group).collect();
    let grouped = groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups.iter().all(|g| digits(g))
        && groups[1..].iter().all(|g| g.len() == 3);
    if (grouped || digits(int)) && frac.is_none_or(digits) {
        let mut s = format!("{sign}{}", groups.concat());
        if let Some(f) = frac {
            s.push('.');
            s.push_str(f);
        }
        return s.parse::<f64>().map_err(|_| bad()).and_then(finite);
    }
    // Plain machine notation (`12.5`, `1e3`), whatever the language.
    let plain = t.bytes().all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b));
    if plain && let Ok(v) = t.parse::<f64>() {
        return finite(v);
    }
    Err(bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_language() {
        assert_eq!(parse_number("1,234.5", "en"), Ok(1234.5));
        assert_eq!(parse_number("1.234,5", "vi"), Ok(1234.5));
        assert_eq!(parse_number("1.234", "vi"), Ok(1234.0));
        assert_eq!(parse_number("12.5", "vi"), Ok(12.5));
        assert_eq!(parse_number(" 45% ", "en"), Ok(45.0));
        assert_eq!(parse_number("-3", "en"), Ok(-3.0));
        assert_eq!(parse_number("1e3", "en"), Ok(1000.0));
        assert!(parse_number("1,23", "en").is_err());
        assert!(parse_number("abc", "en").is_err());
        assert!(parse_number("", "en").is_err());
        assert!(parse_number("inf", "en").is_err());
        assert!(parse_number("NaN", "en").is_err());
        assert!(parse_number("1e999", "en").is_err());
    }
}
