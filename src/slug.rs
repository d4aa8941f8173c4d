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
    cut(out)
}

/// SPEC §5: the longest slug, in bytes; a longer one is cut and ends in a
/// short hash of the whole, so it stays a valid file name and stays unique.
pub const MAX_SLUG: usize = 100;

/// The longest slugged id path, in bytes: past it the rest of the id becomes
/// one hashed segment (file systems refuse paths of about 4 KB).
pub const MAX_SLUG_PATH: usize = 1000;

fn cut(slug: String) -> String {
    if slug.len() <= MAX_SLUG {
        return slug;
    }
    let hash = format!("{:08x}", fnv1a(slug.as_bytes()) as u32);
    // Slugs are ASCII, so any byte offset is a character boundary.
    let keep = slug[..MAX_SLUG - hash.len() - 1].trim_end_matches('-');
    format!("{keep}-{hash}")
}

/// FNV-1a: a stable hash (the same on every platform and release).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// Slugs every `/`-separated segment of an id, keeping the `/`. An id whose
/// slug path is longer than [`MAX_SLUG_PATH`] keeps its first segments and
/// ends in one segment hashed from the whole.
pub fn slugify_path(id: &str) -> String {
    let segments: Vec<String> = id.split('/').map(slugify).collect();
    let whole = segments.join("/");
    if whole.len() <= MAX_SLUG_PATH {
        return whole;
    }
    let mut out = String::new();
    for s in &segments {
        if out.len() + s.len() + 1 > MAX_SLUG_PATH - 10 {
            break;
        }
        out.push_str(s);
        out.push('/');
    }
    out.push_str(&format!("{:08x}", fnv1a(whole.as_bytes()) as u32));
    out
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

    #[test]
    fn long_slugs_are_cut_to_100_bytes_and_end_in_a_hash() {
        let exact = "a".repeat(100);
        assert_eq!(slugify(&exact), exact);
        let long = slugify(&"Mục tiêu ".repeat(40));
        assert_eq!(long.len(), 100, "{long}");
        assert!(long.starts_with("muc-tieu-muc-tieu"));
        let (_, hash) = long.rsplit_once('-').unwrap();
        assert_eq!(hash.len(), 8);
        assert!(hash.chars().all(|c| c.is_ascii_hexdigit()));
        // The hash is of the whole: two long slugs that share their first
        // 100 bytes differ.
        assert_ne!(slugify(&format!("{}x", "b".repeat(200))), slugify(&format!("{}y", "b".repeat(200))));
        assert_eq!(slugify(&"Mục tiêu ".repeat(40)), long);
        let deep = slugify_path(&vec!["segment"; 500].join("/"));
        assert!(deep.len() <= MAX_SLUG_PATH, "{}", deep.len());
        assert!(deep.split('/').all(|s| !s.is_empty() && s.len() <= MAX_SLUG));
    }
}
