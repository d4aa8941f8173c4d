//! HTML escaping, for pages and the SVG inlined in them. A leaf: templates,
//! diagrams and charts all escape through it, and it knows none of them.

/// HTML escaping for text and quoted attribute values. Unlike Tera's default
/// it leaves `/` alone, so relative links stay readable (`../goals/x/index.html`)
/// and pages smaller; every template quotes its attribute values.
pub fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    escape_html_into(&mut out, input);
    out
}

/// [`escape_html`] appending to `out`.
pub fn escape_html_into(out: &mut String, input: &str) {
    // Copies the runs between special bytes whole: all five are ASCII, so
    // every cut falls on a character boundary.
    let mut start = 0;
    for (k, b) in input.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&input[start..k]);
        out.push_str(entity);
        start = k + 1;
    }
    out.push_str(&input[start..]);
}
