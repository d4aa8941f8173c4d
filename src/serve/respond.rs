//! The answer to one request from what [`super::state::Site`] serves: a file
//! of the last build (HTML with the live-reload script), the error page while
//! the goals have errors, a redirect to a folder's slash, or the long poll that
//! tells a page to reload.

use super::state::{LONG_POLL, RELOAD_PATH, Shared};
use crate::http::Response;

pub(super) fn respond(request: &crate::http::Request, shared: &Shared) -> Response {
    let url = request.target.as_str();
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    if path == RELOAD_PATH {
        let since: Option<u64> = query.split('&').find_map(|kv| kv.strip_prefix("since=")).and_then(|v| v.parse().ok());
        let generation = wait_for_build(shared, since);
        return Response::text(200, &generation.to_string()).with_header("Cache-Control", "no-store");
    }
    let Some(rel) = decode_path(path) else {
        return Response::text(400, "bad path");
    };
    let (generation, files, errors) = {
        let mut site = match shared.site.lock() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        };
        if rel.starts_with("handouts/") || rel == "goals.json" {
            site = match shared.rebuilt.wait_timeout_while(site, LONG_POLL, |s| s.handouts_pending) {
                Ok((s, _)) => s,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
        (site.generation, site.files.clone(), site.errors.clone())
    };
    let rel = if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel };
    let found = files.get(&rel);
    if found.is_none() && files.contains_key(&format!("{rel}/index.html")) {
        // Relative links need the trailing slash. The location is built from
        // the decoded path (leading slashes dropped), so `//host` cannot
        // send the browser to another host.
        return Response::text(301, "").with_header("Location", &redirect_location(&rel));
    }
    let is_html = rel.ends_with(".html") || (found.is_none() && !rel.rsplit('/').next().unwrap_or("").contains('.'));
    if let (Some(errors), true) = (&errors, is_html) {
        return html_response(500, &error_page(errors), generation);
    }
    match found {
        Some(bytes) if rel.ends_with(".html") => html_response(200, &String::from_utf8_lossy(bytes), generation),
        Some(bytes) => Response::new(200, content_type(&rel), bytes.clone()).with_header("Cache-Control", "no-store"),
        None => match files.get("404.html") {
            Some(page) => html_response(404, &String::from_utf8_lossy(page), generation),
            None => html_response(404, "<!doctype html><title>Not found</title><h1>Not found</h1>", generation),
        },
    }
}

/// `/<rel>/`, percent-encoded: always a path on this server.
fn redirect_location(rel: &str) -> String {
    let mut out = String::from("/");
    for b in rel.trim_start_matches('/').bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out.push('/');
    out
}

/// Waits until the generation differs from `since` (or the long poll times out).
fn wait_for_build(shared: &Shared, since: Option<u64>) -> u64 {
    let site = match shared.site.lock() {
        Ok(s) => s,
        Err(poisoned) => poisoned.into_inner(),
    };
    let site = match shared.rebuilt.wait_timeout_while(site, LONG_POLL, |s| Some(s.generation) == since) {
        Ok((s, _)) => s,
        Err(poisoned) => poisoned.into_inner().0,
    };
    site.generation
}

fn html_response(status: u16, html: &str, generation: u64) -> Response {
    Response::new(status, "text/html; charset=utf-8", with_reload_script(html, generation).into_bytes())
        .with_header("Cache-Control", "no-store")
}

/// Adds the live-reload script before `</body>` (or at the end).
///
/// HTML written here, not in a template, on purpose: the script and the two
/// pages below belong to `serve` only (never to a built site), must work when
/// the templates themselves are broken, and are not for users to override.
pub fn with_reload_script(html: &str, generation: u64) -> String {
    let script = format!(
        "<script>(function(){{var g={generation};function wait(){{fetch(\"{RELOAD_PATH}?since=\"+g,{{cache:\"no-store\"}})\
.then(function(r){{return r.text()}}).then(function(t){{if(Number(t)!==g){{location.reload()}}else{{wait()}}}})\
.catch(function(){{setTimeout(wait,1000)}})}}wait()}})();</script>"
    );
    match html.to_ascii_lowercase().rfind("</body>") {
        Some(at) => format!("{}{script}{}", &html[..at], &html[at..]),
        None => format!("{html}{script}"),
    }
}

/// The page every HTML request gets while the goals have errors.
pub fn error_page(errors: &[String]) -> String {
    let mut items = String::new();
    for e in errors {
        items.push_str(&format!("<li><code>{}</code></li>\n", crate::render::theme::escape_html(e)));
    }
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>goalbook: the goals have errors</title>\n\
<style>body{{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem}}\
h1{{color:#b42318}}li{{margin:.4rem 0}}code{{white-space:pre-wrap;overflow-wrap:anywhere}}</style></head>\n\
<body>\n<h1>The goals have errors</h1>\n<p>Fix these and this page reloads by itself.</p>\n<ul class=\"goalbook-errors\">\n{items}</ul>\n</body>\n</html>\n"
    )
}

/// The site path of a request path: percent-decoded, without the leading
/// `/`; `None` for paths that try to leave the site.
fn decode_path(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let decoded = String::from_utf8(out).ok()?;
    let rel = decoded.trim_start_matches('/');
    if rel.split('/').any(|s| s == ".." || s == "." || s.contains('\\')) {
        return None;
    }
    Some(rel.to_string())
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "webp" => "image/webp",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "pdf" => "application/pdf",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::header_value;

    #[test]
    fn paths_decode_and_stay_inside() {
        assert_eq!(decode_path("/goals/a%20b/index.html").as_deref(), Some("goals/a b/index.html"));
        assert_eq!(decode_path("/").as_deref(), Some(""));
        assert_eq!(decode_path("/../etc/passwd"), None);
        assert_eq!(decode_path("/%2e%2e/x"), None);
        assert_eq!(decode_path("/a%2"), Some("a%2".to_string()));
        assert_eq!(decode_path("/a%zz"), None);
    }

    #[test]
    fn script_goes_before_body_end() {
        let html = with_reload_script("<html><body><p>x</p></BODY></html>", 3);
        assert!(html.starts_with("<html><body><p>x</p><script>(function(){var g=3;"));
        assert!(html.ends_with("</script></BODY></html>"));
    }

    #[test]
    fn headers_carry_any_path() {
        assert_eq!(header_value("/mục-tiêu/"), "/m%E1%BB%A5c-ti%C3%AAu/");
        assert_eq!(redirect_location("mục tiêu"), "/m%E1%BB%A5c%20ti%C3%AAu/");
        assert_eq!(redirect_location("//evil.example/teams"), "/evil.example/teams/");
    }

    #[test]
    fn error_page_escapes() {
        let page = error_page(&["goals/a.md:2: error[parse]: bad <b>&</b>".into()]);
        assert!(page.contains("<li><code>goals/a.md:2: error[parse]: bad &lt;b&gt;&amp;&lt;/b&gt;</code></li>"));
        assert!(!page.contains("<b>"));
    }
}
