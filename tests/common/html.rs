//! Reading the HTML goalbook writes, as a browser tokenises it: entities,
//! the end of a tag, the attributes of a start tag. Shared by the site and
//! language tests.

/// Decodes character references (`&amp;`, `&#39;`, `&#x1F;`, `&nbsp;` …);
/// a `&` that starts none stays as it is.
pub fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let entity = after.find(';').filter(|&k| k <= 10).map(|semi| (&after[1..semi], semi));
        let c = entity.and_then(|(e, _)| match e {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            e if e.starts_with("#x") || e.starts_with("#X") => {
                u32::from_str_radix(&e[2..], 16).ok().and_then(char::from_u32)
            }
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        });
        match (c, entity) {
            (Some(c), Some((_, semi))) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            _ => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The index of the `>` that ends the tag opening at `tag[0]` (`<`): a `>`
/// inside a quoted attribute value does not; `tag.len()` when none does.
pub fn tag_end(tag: &str) -> usize {
    let mut quote = None;
    for (k, c) in tag.char_indices().skip(1) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '>' => return k,
            None => {}
        }
    }
    tag.len()
}

/// The attributes of a start tag's inside after its name
/// (` href="x" title='y' hidden`), names lowercased, values decoded.
pub fn attributes(inside: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let b = inside.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'/' {
            i += 1;
        }
        let name = inside[start..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let end = inside[i + 1..].bytes().position(|c| c == q).map_or(b.len(), |k| i + 1 + k);
                value = decode(&inside[i + 1..end]);
                i = end + 1;
            } else {
                let end = inside[i..].bytes().position(|c| c.is_ascii_whitespace()).map_or(b.len(), |k| i + k);
                value = decode(&inside[i..end]);
                i = end;
            }
        }
        if !name.is_empty() {
            out.push((name, value));
        }
    }
    out
}
