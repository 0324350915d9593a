//! Static assets embedded into the binary at build time (see `build.rs`):
//! the Danish design system (dkfds) under `/static/dkfds/...` and the crate's
//! own `static/` folder under `/static/...`.
//!
//! Register with `.route("/static/{path:.*}", web::get().to(assets::serve))`
//! and link assets with `?v={{ asset_v }}` (from [`asset_version`]) so a new
//! build busts browser caches.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};

/// One embedded file.
#[derive(Debug)]
pub struct EmbeddedAsset {
    /// URL path, e.g. `/static/css/app.css`.
    pub path: &'static str,
    pub body: &'static [u8],
    pub content_type: &'static str,
    /// Strong ETag, quoted (`"<hex>"`), computed from the bytes at build time.
    pub etag: &'static str,
}

// Defines `static ASSETS: &[EmbeddedAsset]` (sorted by path) and
// `const ASSET_VERSION: &str`.
include!(concat!(env!("OUT_DIR"), "/assets.rs"));

/// `Cache-Control` for every asset: a day, revalidated cheaply via the ETag;
/// pages add `?v=<asset_version>` so new builds are picked up at once.
const CACHE_CONTROL: &str = "public, max-age=86400";

/// Short hash of all embedded assets, for cache-busting query strings.
pub fn asset_version() -> &'static str {
    ASSET_VERSION
}

/// The embedded asset served at `path` (a URL path starting with `/static/`).
pub fn get(path: &str) -> Option<&'static EmbeddedAsset> {
    ASSETS.binary_search_by(|a| a.path.cmp(path)).ok().and_then(|i| ASSETS.get(i))
}

/// All embedded assets, sorted by path.
pub fn all() -> &'static [EmbeddedAsset] {
    ASSETS
}

/// Handler for `GET /static/{path:.*}`.
pub async fn serve(req: HttpRequest) -> HttpResponse {
    let Some(asset) = get(req.path()) else {
        return HttpResponse::NotFound().finish();
    };

    let etag = HeaderValue::from_static(asset.etag);
    let cache_control = HeaderValue::from_static(CACHE_CONTROL);

    if if_none_match_hits(&req, asset.etag) {
        return HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .insert_header((header::CACHE_CONTROL, cache_control))
            .finish();
    }

    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, HeaderValue::from_static(asset.content_type)))
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, cache_control))
        .body(asset.body)
}

/// True if any `If-None-Match` header matches `etag` (weak comparison, as
/// RFC 9110 prescribes for If-None-Match) or is `*`.
fn if_none_match_hits(req: &HttpRequest, etag: &str) -> bool {
    req.headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|candidate| candidate == "*" || candidate.strip_prefix("W/").unwrap_or(candidate) == etag)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::MessageBody;
    use actix_web::http::StatusCode;
    use actix_web::test::TestRequest;
    use sha2::{Digest, Sha256};

    const CSS: &str = "/static/dkfds/css/dkfds.min.css";

    #[test]
    fn dkfds_css_is_embedded_as_css() {
        let asset = get(CSS).expect("dkfds css embedded");
        assert_eq!(asset.content_type, "text/css; charset=utf-8");
        assert!(asset.body.len() > 10_000);
    }

    #[test]
    fn dkfds_js_fonts_and_icons_are_embedded() {
        let js = get("/static/dkfds/js/dkfds.min.js").expect("dkfds js embedded");
        assert_eq!(js.content_type, "text/javascript; charset=utf-8");
        let font = get("/static/dkfds/fonts/IBMPlexSans/complete/woff2/IBMPlexSans-Regular.woff2")
            .expect("regular woff2 embedded");
        assert_eq!(font.content_type, "font/woff2");
        let icon = get("/static/dkfds/img/svg-icons/check.svg").expect("icon embedded");
        assert_eq!(icon.content_type, "image/svg+xml");
        assert!(get("/static/dkfds/img/all-svg-icons.svg").is_some());
    }

    #[test]
    fn own_static_files_are_embedded() {
        let js = get("/static/js/app.js").expect("app.js embedded");
        assert_eq!(js.content_type, "text/javascript; charset=utf-8");
        let css = get("/static/css/app.css").expect("app.css embedded");
        assert_eq!(css.content_type, "text/css; charset=utf-8");
    }

    #[test]
    fn every_css_url_reference_resolves_to_an_embedded_file() {
        let css = std::str::from_utf8(get(CSS).expect("css").body).expect("utf-8 css");
        let mut checked = 0;
        for part in css.split("url(").skip(1) {
            let Some(end) = part.find(')') else { continue };
            let raw = part[..end].trim_matches(|c| c == '"' || c == '\'');
            if let Some(rel) = raw.strip_prefix("../") {
                let path = format!("/static/dkfds/{}", rel.split(['?', '#']).next().unwrap_or(""));
                assert!(get(&path).is_some(), "{path} referenced by the CSS is not embedded");
                checked += 1;
            }
        }
        assert!(checked > 20, "expected many url() references, found {checked}");
    }

    #[test]
    fn no_source_maps_or_unreferenced_formats() {
        assert!(all().iter().all(|a| !a.path.ends_with(".map")));
        assert!(all().iter().all(|a| !a.path.ends_with(".otf")));
        assert!(all().iter().all(|a| !a.path.contains("/split/")));
    }

    #[test]
    fn unknown_paths_are_none() {
        assert!(get("/static/nope.css").is_none());
        assert!(get("/static/dkfds/css/dkfds.min.css.map").is_none());
        assert!(get("/static/dkfds/css/../css/dkfds.min.css").is_none());
        assert!(get("").is_none());
    }

    #[test]
    fn table_is_sorted_and_unique() {
        assert!(all().windows(2).all(|w| w[0].path < w[1].path));
    }

    #[test]
    fn etags_are_sha256_prefixes_of_the_bytes() {
        for asset in all() {
            let full = hex::encode(Sha256::digest(asset.body));
            assert_eq!(asset.etag, format!("\"{}\"", &full[..32]), "{}", asset.path);
        }
    }

    #[test]
    fn asset_version_is_short_hex() {
        let v = asset_version();
        assert_eq!(v.len(), 12);
        assert!(v.bytes().all(|b| b.is_ascii_hexdigit()));
    }

    #[actix_web::test]
    async fn serve_answers_200_with_headers() {
        let req = TestRequest::get().uri("/static/css/app.css?v=abc").to_http_request();
        let resp = serve(req).await;
        assert_eq!(resp.status(), StatusCode::OK);
        let h = resp.headers();
        assert_eq!(h.get(header::CONTENT_TYPE).expect("ct"), "text/css; charset=utf-8");
        assert_eq!(h.get(header::CACHE_CONTROL).expect("cc"), CACHE_CONTROL);
        let asset = get("/static/css/app.css").expect("asset");
        assert_eq!(h.get(header::ETAG).expect("etag"), asset.etag);
        let body = resp.into_body().try_into_bytes().expect("bytes body");
        assert_eq!(&body[..], asset.body);
    }

    #[actix_web::test]
    async fn serve_answers_304_on_matching_if_none_match() {
        let asset = get(CSS).expect("asset");
        for value in [asset.etag.to_string(), format!("\"other\", W/{}", asset.etag), "*".to_string()] {
            let req =
                TestRequest::get().uri(CSS).insert_header((header::IF_NONE_MATCH, value.as_str())).to_http_request();
            let resp = serve(req).await;
            assert_eq!(resp.status(), StatusCode::NOT_MODIFIED, "{value}");
            assert_eq!(resp.headers().get(header::ETAG).expect("etag"), asset.etag);
        }
        let req = TestRequest::get().uri(CSS).insert_header((header::IF_NONE_MATCH, "\"stale\"")).to_http_request();
        assert_eq!(serve(req).await.status(), StatusCode::OK);
    }

    #[actix_web::test]
    async fn serve_answers_404_with_empty_body() {
        let req = TestRequest::get().uri("/static/missing.js").to_http_request();
        let resp = serve(req).await;
        assert_eq!(resp.status(), StatusCode::NOT_FOUND);
        let body = resp.into_body().try_into_bytes().expect("bytes body");
        assert!(body.is_empty());
    }
}
