//! The messages of diagnostics and commands, in `book.language` (SPEC §4):
//! one flat table per language in `i18n/messages.<lang>.toml`, the same keys
//! in each (tested like the interface tables), `{name}` placeholders filled
//! by [`text`]. English is the fallback for an unknown language or a key a
//! table lacks.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Every language with a message table; English first.
pub const TABLES: &[(&str, &str)] =
    &[("en", include_str!("../i18n/messages.en.toml")), ("vi", include_str!("../i18n/messages.vi.toml"))];

fn tables() -> &'static Vec<(&'static str, BTreeMap<String, String>)> {
    static T: OnceLock<Vec<(&'static str, BTreeMap<String, String>)>> = OnceLock::new();
    // A broken table is caught by the tests; at run time it must not panic.
    T.get_or_init(|| {
        TABLES.iter().map(|(code, text)| (*code, crate::i18n::parse_table(text).unwrap_or_default())).collect()
    })
}

/// The message `key` in `lang` with its placeholders filled; English when
/// `lang` has no table or no such key, the key itself when none has it.
pub fn text(lang: &str, key: &str, args: &[(&str, &str)]) -> String {
    let t = tables();
    let find = |code: &str| t.iter().find(|(c, _)| *c == code).and_then(|(_, m)| m.get(key));
    match find(lang).or_else(|| find("en")) {
        Some(s) => crate::i18n::fill(s, args),
        None => key.to_string(),
    }
}

/// [`text`] with owned argument values; an argument that names a piece of
/// the interface (`context` = the table a message is about, `want` and
/// `found` = value types) is said in `lang` too, through the key
/// `<argument> <value>` (`context the front matter`, `found integer`).
pub fn text_owned(lang: &str, key: &str, args: &[(&'static str, String)]) -> String {
    let contexts: Vec<Option<String>> = args
        .iter()
        .map(|(k, v)| {
            let piece = format!("{k} {v}");
            (matches!(*k, "context" | "want" | "found") && has(&piece)).then(|| text(lang, &piece, &[]))
        })
        .collect();
    let args: Vec<(&str, &str)> =
        args.iter().zip(&contexts).map(|((k, v), c)| (*k, c.as_deref().unwrap_or(v.as_str()))).collect();
    text(lang, key, &args)
}

/// Whether the English table has `key` (every table has the same keys).
pub fn has(key: &str) -> bool {
    tables().first().is_some_and(|(_, m)| m.contains_key(key))
}
