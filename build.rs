//! Compiles the built-in templates (`templates/*.html`) to Rust: see
//! `build/templates/`. A template outside the supported subset of Tera
//! fails the build with its name and line.

#[path = "build/templates/mod.rs"]
mod templates;

use std::collections::BTreeMap;

fn main() {
    println!("cargo::rerun-if-changed=templates");
    println!("cargo::rerun-if-changed=build/templates");
    let mut sources = BTreeMap::new();
    let mut names: Vec<_> = std::fs::read_dir("templates")
        .expect("the templates/ folder")
        .map(|e| e.expect("an entry of templates/").path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    names.sort();
    for path in names {
        let name = path.file_name().expect("a file name").to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        sources.insert(name, text);
    }
    match templates::generate(&sources) {
        Ok(code) => {
            let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("templates.rs");
            std::fs::write(&out, code).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
        }
        Err(e) => {
            println!("cargo::error={e}");
            std::process::exit(1);
        }
    }
}
