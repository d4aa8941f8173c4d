//! URL slugs of SPEC §5: lower-case ASCII, diacritics transliterated.

/// Slugs one path segment: `Kinh doanh miền Nam` → `kinh-doanh-mien-nam`.
pub fn slugify(s: &str) -> String {
    let ascii = deunicode::deunicode(s);
    let mut out = String::with_capacity(ascii.len());
    let mut dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    if out.is_empty() {
        // Titles of only punctuation or unmapped symbols still need a path.
        out.push('_');
    }
    out
}

/// Slugs every `/`-separated segment of an id, keeping the `/`.
pub fn slugify_path(id: &str) -> String {
    id.split('/').map(slugify).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_and_latin_diacritics() {
        assert_eq!(slugify("Kinh doanh miền Nam"), "kinh-doanh-mien-nam");
        assert_eq!(slugify("Mục tiêu"), "muc-tieu");
        assert_eq!(slugify("đường"), "duong");
        assert_eq!(slugify("Đà Nẵng"), "da-nang");
        assert_eq!(slugify("Crème brûlée à la Ñandú"), "creme-brulee-a-la-nandu");
        assert_eq!(slugify("lan.nguyen"), "lan-nguyen");
        assert_eq!(slugify("  Q4 -- MQLs!  "), "q4-mqls");
        assert_eq!(slugify("!!!"), "_");
        assert_eq!(slugify_path("Sales/Miền Nam/q4"), "sales/mien-nam/q4");
    }
}
