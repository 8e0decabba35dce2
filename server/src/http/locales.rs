//! The browser's strings: `GET /locales/{lang}.ftl`, the very Fluent file this server renders
//! pages with (compiled into the binary, so the browser can never hydrate a page with other
//! words than the server wrote). The wasm carries no strings of its own.

use super::AppState;
use app::i18n::{Lang, SOURCES, strings_version};
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::io::Write;
use std::sync::OnceLock;

pub fn router() -> Router<AppState> {
    Router::new().route("/locales/{file}", get(strings))
}

#[derive(serde::Deserialize)]
struct Version {
    v: Option<String>,
}

async fn strings(Path(file): Path<String>, Query(asked): Query<Version>, headers: HeaderMap) -> Response {
    let Some(lang) = file.strip_suffix(".ftl").and_then(Lang::from_code) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let version = strings_version();
    let etag = format!("\"{version}-{}\"", lang.code());
    // The URL the pages link names this build's strings: it may be kept for good. Any other
    // (an old page after a deploy, or none) is checked again each time.
    let cache = if asked.v.as_deref() == Some(version) { "public, max-age=31536000, immutable" } else { "no-cache" };
    let mut response = if headers.get(header::IF_NONE_MATCH).is_some_and(|v| v.as_bytes() == etag.as_bytes()) {
        StatusCode::NOT_MODIFIED.into_response()
    } else if accepts_brotli(&headers) {
        let mut r = brotli_of(lang).into_response();
        r.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
        r
    } else {
        // Left to the compression layer (gzip) for a browser without brotli.
        SOURCES[lang as usize].into_response()
    };
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    h.insert(header::ETAG, HeaderValue::from_str(&etag).expect("hex and a language code"));
    response
}

fn accepts_brotli(headers: &HeaderMap) -> bool {
    let accepted = headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or("");
    app::text::weighted(accepted).any(|(coding, q)| coding.eq_ignore_ascii_case("br") && q > 0.0)
}

/// A language's file at brotli's best quality, made once (about 0.1 s) and kept: it is served
/// to every first visit.
fn brotli_of(lang: Lang) -> &'static [u8] {
    static COMPRESSED: [OnceLock<Vec<u8>>; 3] = [const { OnceLock::new() }; 3];
    COMPRESSED[lang as usize].get_or_init(|| {
        let mut out = Vec::new();
        {
            let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
            writer.write_all(SOURCES[lang as usize].as_bytes()).expect("writing to memory");
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brotli_is_offered_only_when_accepted() {
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::ACCEPT_ENCODING, v.parse().unwrap());
            accepts_brotli(&h)
        };
        assert!(with("gzip, deflate, br, zstd"));
        assert!(with("BR;q=0.5"));
        assert!(!with("gzip, deflate"));
        assert!(!with("br;q=0, gzip"));
        assert!(!accepts_brotli(&HeaderMap::new()));
    }

    #[test]
    fn the_compressed_file_is_the_file() {
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut brotli_of(Lang::Ar), &mut back).unwrap();
        assert_eq!(back, SOURCES[Lang::Ar as usize].as_bytes());
        assert!(brotli_of(Lang::Ar).len() * 3 < back.len());
    }
}
