//! The shape of the crate: no import cycle between its modules (ARCHITECTURE.md).
//!
//! A module is a file (`src/render/views.rs` is `render::views`, `src/cmd/mod.rs`
//! is `cmd`). Module `a` depends on `b` when `a`'s code names `b` by a path
//! (`crate::b::…`, `super::…`, `self::…`, a child module's name, or a name a
//! `use` bound to a module). `mod` declarations and `#[cfg(test)]` code are not
//! dependencies.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module path (`["render", "views"]`, `[]` for the crate root) of a file below `src/`.
fn module_of(rel: &str) -> Vec<String> {
    let rel = rel.strip_suffix(".rs").unwrap_or(rel);
    let mut parts: Vec<String> = rel.split('/').map(str::to_string).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib" | "main")) {
        parts.pop();
    }
    parts
}

/// The code of a file without comments, string literals and `#[cfg(test)]` items.
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            let mut depth = 0;
            while i < b.len() {
                if b[i..].starts_with(b"/*") {
                    depth += 1;
                    i += 2;
                } else if b[i..].starts_with(b"*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if b[i] == b'"' || (b[i] == b'r' && raw_string_at(b, i)) {
            i = skip_string(b, i);
            out.push_str("\"\"");
        } else if b[i] == b'\'' && b.get(i + 2) == Some(&b'\'') {
            i += 3;
        } else if b[i] == b'\'' && b.get(i + 1) == Some(&b'\\') {
            i += 2;
            while i < b.len() && b[i] != b'\'' {
                i += 1;
            }
            i += 1;
        } else {
            let c = text[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    strip_cfg_test(&out)
}

/// Whether `r"` or `r#…#"` (not a raw identifier `r#name`) starts at `i`.
fn raw_string_at(b: &[u8], i: usize) -> bool {
    if ident_byte(prev(b, i)) {
        return false;
    }
    let mut j = i + 1;
    while b.get(j) == Some(&b'#') {
        j += 1;
    }
    b.get(j) == Some(&b'"')
}

fn prev(b: &[u8], i: usize) -> u8 {
    if i == 0 { b' ' } else { b[i - 1] }
}

fn ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The index after the string literal starting at `i` (`"…"` or `r#"…"#`).
fn skip_string(b: &[u8], mut i: usize) -> usize {
    if b[i] == b'r' {
        i += 1;
        let mut hashes = 0;
        while b.get(i) == Some(&b'#') {
            hashes += 1;
            i += 1;
        }
        i += 1;
        while i < b.len() {
            if b[i] == b'"' && b[i + 1..].iter().take(hashes).filter(|&&c| c == b'#').count() == hashes {
                return i + 1 + hashes;
            }
            i += 1;
        }
        return i;
    }
    i += 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    i
}

/// `code` without each `#[cfg(test)]` item (up to its closing brace or semicolon).
fn strip_cfg_test(code: &str) -> String {
    let mut out = String::new();
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let item = &rest[at..];
        let mut depth = 0;
        let mut end = item.len();
        for (j, c) in item.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = j + 1;
                        break;
                    }
                }
                ';' if depth == 0 => {
                    end = j + 1;
                    break;
                }
                _ => {}
            }
        }
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

/// The paths a `use` tree or path expression at the start of `s` names, expanded
/// (`a::{b, c::d}` → `a::b`, `a::c::d`), each with the name it binds (`as` or last).
fn paths_at(s: &str) -> Vec<(Vec<String>, String)> {
    let mut out = Vec::new();
    let mut pos = 0;
    tree(s.as_bytes(), &mut pos, Vec::new(), &mut out);
    out
}

fn tree(b: &[u8], pos: &mut usize, prefix: Vec<String>, out: &mut Vec<(Vec<String>, String)>) {
    let mut path = prefix;
    loop {
        skip_ws(b, pos);
        if b.get(*pos) == Some(&b'{') {
            *pos += 1;
            loop {
                skip_ws(b, pos);
                if b.get(*pos) == Some(&b'}') || *pos >= b.len() {
                    *pos += 1;
                    return;
                }
                tree(b, pos, path.clone(), out);
                skip_ws(b, pos);
                if b.get(*pos) == Some(&b',') {
                    *pos += 1;
                }
            }
        }
        let start = *pos;
        while *pos < b.len() && (ident_byte(b[*pos]) || b[*pos] == b'*') {
            *pos += 1;
        }
        if start == *pos {
            break;
        }
        path.push(String::from_utf8_lossy(&b[start..*pos]).into_owned());
        skip_ws(b, pos);
        if b[*pos..].starts_with(b"::") {
            *pos += 2;
        } else {
            break;
        }
    }
    if path.is_empty() {
        return;
    }
    let mut name = path.last().cloned().unwrap_or_default();
    skip_ws(b, pos);
    if b[*pos..].starts_with(b"as ") {
        *pos += 3;
        skip_ws(b, pos);
        let start = *pos;
        while *pos < b.len() && ident_byte(b[*pos]) {
            *pos += 1;
        }
        name = String::from_utf8_lossy(&b[start..*pos]).into_owned();
    }
    out.push((path, name));
}

fn skip_ws(b: &[u8], pos: &mut usize) {
    while *pos < b.len() && b[*pos].is_ascii_whitespace() {
        *pos += 1;
    }
}

/// The module graph of a crate given as (path below `src/`, text) pairs.
fn module_graph(files: &[(String, String)]) -> BTreeMap<String, BTreeSet<String>> {
    let modules: BTreeSet<Vec<String>> = files.iter().map(|(p, _)| module_of(p)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (rel, text) in files {
        let here = module_of(rel);
        let code = code_only(text);
        // The longest prefix of an absolute path that is a module.
        let resolve = |abs: &[String]| -> Option<Vec<String>> {
            (0..=abs.len()).rev().map(|n| abs[..n].to_vec()).find(|m| modules.contains(m))
        };
        // Turns a written path into an absolute one: `crate::`, `super::`, `self::`,
        // a child module of `here`, or a name bound by a `use` to a module.
        let absolute = |path: &[String], aliases: &BTreeMap<String, Vec<String>>| -> Option<Vec<String>> {
            let first = path.first()?;
            match first.as_str() {
                "crate" => Some(path[1..].to_vec()),
                "self" => Some([here.clone(), path[1..].to_vec()].concat()),
                "super" => {
                    let mut base = here.clone();
                    let mut rest = path;
                    while rest.first().map(String::as_str) == Some("super") {
                        base.pop();
                        rest = &rest[1..];
                    }
                    Some([base, rest.to_vec()].concat())
                }
                _ => {
                    let child = [here.clone(), vec![first.clone()]].concat();
                    if modules.contains(&child) {
                        Some([here.clone(), path.to_vec()].concat())
                    } else {
                        aliases.get(first).map(|m| [m.clone(), path[1..].to_vec()].concat())
                    }
                }
            }
        };
        // Every place a path starts: after `use`, or a `::`-joined path not preceded by `::`.
        let bytes = code.as_bytes();
        let mut starts = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if ident_byte(bytes[i]) && !ident_byte(prev(bytes, i)) {
                let before = code[..i].trim_end();
                let after_colons = before.ends_with("::");
                let mut j = i;
                while j < bytes.len() && ident_byte(bytes[j]) {
                    j += 1;
                }
                let word = &code[i..j];
                if word == "use" {
                    starts.push((j, true));
                } else if !after_colons && code[j..].trim_start().starts_with("::") {
                    starts.push((i, false));
                }
                i = j;
            } else {
                i += 1;
            }
        }
        let mut aliases: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut targets = BTreeSet::new();
        // Two passes: `use` statements first (they bind aliases), then every path.
        for pass in [true, false] {
            for &(at, is_use) in &starts {
                if is_use != pass {
                    continue;
                }
                for (path, name) in paths_at(&code[at..]) {
                    let Some(abs) = absolute(&path, &aliases) else { continue };
                    if is_use && modules.contains(&abs) {
                        aliases.insert(name, abs.clone());
                    }
                    if let Some(m) = resolve(&abs) {
                        targets.insert(m);
                    }
                }
            }
        }
        let name = |m: &[String]| if m.is_empty() { "crate".to_string() } else { m.join("::") };
        let entry = graph.entry(name(&here)).or_default();
        for t in targets {
            if t != here {
                entry.insert(name(&t));
            }
        }
    }
    graph
}

/// Every cycle of the graph, one per strongly connected component of more than one
/// module, written `a → b → … → a` along a shortest loop.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let mut found = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for start in graph.keys() {
        if seen.contains(start) {
            continue;
        }
        // Breadth-first from `start`: the shortest path back to `start`, if any.
        let mut parent: BTreeMap<&String, &String> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        let mut back = None;
        while let Some(m) = queue.pop_front() {
            for n in graph.get(m).into_iter().flatten() {
                if n == start {
                    back = Some(m);
                    break;
                }
                if !parent.contains_key(n) {
                    parent.insert(n, m);
                    queue.push_back(n);
                }
            }
            if back.is_some() {
                break;
            }
        }
        if let Some(mut m) = back {
            let mut lp = vec![start.clone()];
            while m != start {
                lp.push(m.clone());
                m = parent[m];
            }
            lp[1..].reverse();
            seen.extend(lp.iter().cloned());
            lp.push(start.clone());
            found.push(lp.join(" → "));
        }
    }
    found
}

fn read_src(dir: &Path, rel: &str, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let rel_name = if rel.is_empty() { name.clone() } else { format!("{rel}/{name}") };
        if p.is_dir() {
            read_src(&p, &rel_name, out);
        } else if name.ends_with(".rs") {
            out.push((rel_name, std::fs::read_to_string(&p).unwrap()));
        }
    }
}

#[test]
fn no_import_cycle_between_modules() {
    let mut files = Vec::new();
    read_src(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), "", &mut files);
    // main.rs is the binary, a crate of its own over the library.
    files.retain(|(p, _)| p != "main.rs");
    let graph = module_graph(&files);
    assert!(
        graph.contains_key("render::views") && graph["cmd::build"].contains("site"),
        "the graph is read: {graph:?}"
    );
    let found = cycles(&graph);
    assert!(found.is_empty(), "import cycles between modules:\n{}", found.join("\n"));
}

fn crate_of(files: &[(&str, &str)]) -> Vec<(String, String)> {
    files.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect()
}

#[test]
fn the_cycle_check_finds_a_cycle_through_use_super_and_inline_paths() {
    let files = crate_of(&[
        ("lib.rs", "pub mod a;\npub mod b;\npub mod c;\npub mod d;"),
        ("a.rs", "use crate::{b::{self, Thing}, d};\nfn f() -> Thing { b::make() }"),
        ("b/mod.rs", "pub mod inner;\npub use inner::Thing;"),
        ("b/inner.rs", "pub struct Thing;\nfn g() { super::super::c::h() }"),
        ("c.rs", "// crate::d is not named here\nfn h() { let s = \"crate::d::x\"; crate::a::f(); }"),
        ("d.rs", "#[cfg(test)]\nmod tests { use crate::a; }\npub fn x() {}"),
    ]);
    let graph = module_graph(&files);
    assert_eq!(graph["a"], BTreeSet::from(["b".to_string(), "d".to_string()]));
    assert_eq!(graph["b"], BTreeSet::from(["b::inner".to_string()]));
    assert_eq!(graph["b::inner"], BTreeSet::from(["c".to_string()]));
    assert_eq!(graph["c"], BTreeSet::from(["a".to_string()]));
    assert!(graph["d"].is_empty());
    assert_eq!(cycles(&graph), vec!["a → b → b::inner → c → a".to_string()]);
}

#[test]
fn the_cycle_check_follows_a_module_bound_by_use() {
    let files = crate_of(&[
        ("lib.rs", "pub mod x;\npub mod y;"),
        ("x.rs", "use crate::y as why;\nfn f() { why::g() }"),
        ("y.rs", "fn g() { crate::x::f() }"),
    ]);
    assert_eq!(cycles(&module_graph(&files)), vec!["x → y → x".to_string()]);
    let acyclic =
        crate_of(&[("lib.rs", "pub mod x;\npub mod y;"), ("x.rs", "fn f() { crate::y::g() }"), ("y.rs", "fn g() {}")]);
    assert!(cycles(&module_graph(&acyclic)).is_empty());
}
