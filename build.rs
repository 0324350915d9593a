//! Build script: fetches the Danish public design system (npm package
//! `dkfds`, pinned in package.json / package-lock.json) when it is missing and
//! generates `$OUT_DIR/assets.rs`, a static table of every file the web UI
//! serves under `/static/...`, embedded into the binary with `include_bytes!`.
//!
//! Embedded set:
//! * from `node_modules/dkfds/dist`: the minified CSS and JS, the SVG icon
//!   sprite, and every file the CSS references through `url(...)` (fonts,
//!   icons, logos), served under `/static/dkfds/` with the package's relative
//!   layout so the CSS's `../fonts/...` and `../img/...` urls resolve;
//! * every file under the crate's own `static/` folder, served under
//!   `/static/`.
//!
//! Each entry carries its content type and a strong ETag (SHA-256 of the
//! bytes, computed here); `ASSET_VERSION` hashes the whole set for
//! cache-busting query strings.

use std::collections::{BTreeMap, BTreeSet};
use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

/// The stylesheet the pages link (the neutral theme, not borger.dk/virk.dk).
const DKFDS_CSS: &str = "css/dkfds.min.css";
/// Files served in addition to the ones the CSS references.
const DKFDS_EXTRA: &[&str] = &["js/dkfds.min.js", "img/all-svg-icons.svg"];

fn main() {
    let manifest_dir = PathBuf::from(env_var("CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env_var("OUT_DIR"));

    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=package.json");
    println!("cargo:rerun-if-changed=package-lock.json");
    println!("cargo:rerun-if-changed=static");
    // A missing file counts as changed, so deleting node_modules reruns us.
    println!("cargo:rerun-if-changed=node_modules/dkfds/package.json");

    ensure_dkfds(&manifest_dir);

    let dist = manifest_dir.join("node_modules/dkfds/dist");
    // url path -> file on disk
    let mut files: BTreeMap<String, PathBuf> = BTreeMap::new();

    for rel in dkfds_files(&dist) {
        let abs = dist.join(&rel);
        if !abs.is_file() {
            fail(&format!(
                "dkfds file {} is missing (referenced by {DKFDS_CSS} or listed in build.rs); \
                 delete node_modules and build again",
                abs.display()
            ));
        }
        files.insert(format!("/static/dkfds/{rel}"), abs);
    }

    let own = manifest_dir.join("static");
    if own.is_dir() {
        let mut own_files = Vec::new();
        walk(&own, &mut own_files);
        for abs in own_files {
            let rel = rel_url(&own, &abs);
            let url = format!("/static/{rel}");
            if files.contains_key(&url) {
                fail(&format!("static/{rel} clashes with the embedded dkfds file {url}"));
            }
            files.insert(url, abs);
        }
    }

    let generated = generate(&files);
    let target = out_dir.join("assets.rs");
    if let Err(e) = fs::write(&target, generated) {
        fail(&format!("cannot write {}: {e}", target.display()));
    }
}

/// Runs `npm ci` when `node_modules/dkfds/dist` is missing or the installed
/// version differs from the one locked in package-lock.json.
fn ensure_dkfds(manifest_dir: &Path) {
    let dist = manifest_dir.join("node_modules/dkfds/dist");
    let locked =
        read_opt(&manifest_dir.join("package-lock.json")).and_then(|lock| locked_version(&lock, "node_modules/dkfds"));
    let installed = read_opt(&manifest_dir.join("node_modules/dkfds/package.json"))
        .and_then(|pkg| json_string_field(&pkg, "version"));
    let up_to_date = dist.is_dir() && (locked.is_none() || locked == installed);
    if up_to_date {
        return;
    }

    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    let help = "Velkomst embeds the Danish design system (npm package dkfds) and fetches it \
                with npm while building. Install Node.js with npm (https://nodejs.org/, or \
                `apt-get install nodejs npm`), make sure `npm` is on PATH and the npm registry \
                is reachable, then run the build again";
    let status = Command::new(npm)
        .args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"])
        .current_dir(manifest_dir)
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => fail(&format!("`npm ci` failed ({s}). {help}.")),
        Err(e) => fail(&format!("could not run `{npm}` ({e}). {help}.")),
    }
    if !dist.is_dir() {
        fail(&format!("`npm ci` finished but {} does not exist. {help}.", dist.display()));
    }
    // npm stamps the file it just wrote with the current time, which cargo
    // would read as "changed since the build script ran" and rerun it (and
    // rebuild the crate) once more. Back-date it, as npm's tarballs do.
    let marker = manifest_dir.join("node_modules/dkfds/package.json");
    if let Ok(file) = fs::File::options().write(true).open(&marker) {
        let npm_epoch = std::time::UNIX_EPOCH + std::time::Duration::from_secs(499_162_500);
        let _ = file.set_modified(npm_epoch);
    }
}

/// The dkfds files to embed, relative to `dist`, with `/` separators.
fn dkfds_files(dist: &Path) -> BTreeSet<String> {
    let css_path = dist.join(DKFDS_CSS);
    let css = match fs::read_to_string(&css_path) {
        Ok(s) => s,
        Err(e) => fail(&format!("cannot read {}: {e}", css_path.display())),
    };
    let css_dir = match Path::new(DKFDS_CSS).parent() {
        Some(p) => p.to_path_buf(),
        None => PathBuf::new(),
    };

    let mut out = BTreeSet::new();
    out.insert(DKFDS_CSS.to_string());
    for extra in DKFDS_EXTRA {
        out.insert((*extra).to_string());
    }
    for reference in css_urls(&css) {
        match resolve(&css_dir, &reference) {
            Some(rel) => {
                out.insert(rel);
            }
            None => println!(
                "cargo:warning={DKFDS_CSS} references {reference}, which is outside the dkfds \
                 dist folder; not embedded"
            ),
        }
    }
    out
}

/// The local `url(...)` targets in a stylesheet (no data:, http:, fragment-only).
fn css_urls(css: &str) -> Vec<String> {
    let mut urls = Vec::new();
    let mut rest = css;
    while let Some(start) = rest.find("url(") {
        rest = &rest[start + 4..];
        let Some(end) = rest.find(')') else { break };
        let raw = rest[..end].trim().trim_matches(|c| c == '"' || c == '\'').trim();
        rest = &rest[end + 1..];
        let path = raw.split(['?', '#']).next().unwrap_or_default();
        let lower = raw.to_ascii_lowercase();
        if path.is_empty()
            || lower.starts_with("data:")
            || lower.starts_with("http:")
            || lower.starts_with("https:")
            || raw.starts_with("//")
            || raw.starts_with('/')
        {
            continue;
        }
        urls.push(path.to_string());
    }
    urls
}

/// Resolves a relative url against `base` (a folder inside dist); `None` if it
/// would leave dist.
fn resolve(base: &Path, reference: &str) -> Option<String> {
    let mut parts: Vec<String> = base
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => s.to_str().map(str::to_string),
            _ => None,
        })
        .collect();
    for seg in reference.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s.to_string()),
        }
    }
    if parts.is_empty() {
        None
    } else {
        Some(parts.join("/"))
    }
}

/// All regular files below `dir`, skipping hidden files and folders.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => fail(&format!("cannot list {}: {e}", dir.display())),
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let hidden = path.file_name().and_then(|n| n.to_str()).is_none_or(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(&path, out);
        } else if path.is_file() {
            out.push(path);
        }
    }
}

fn rel_url(root: &Path, file: &Path) -> String {
    let rel = match file.strip_prefix(root) {
        Ok(r) => r,
        Err(_) => fail(&format!("{} is not under {}", file.display(), root.display())),
    };
    let parts: Vec<&str> = rel
        .components()
        .map(|c| match c.as_os_str().to_str() {
            Some(s) => s,
            None => fail(&format!("file name is not UTF-8: {}", file.display())),
        })
        .collect();
    parts.join("/")
}

fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "html" | "htm" => "text/html; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "eot" => "application/vnd.ms-fontobject",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

fn generate(files: &BTreeMap<String, PathBuf>) -> String {
    let mut code = String::new();
    let mut all = Sha256::new();
    code.push_str("// @generated by build.rs: embedded static assets, sorted by path.\n");
    code.push_str("static ASSETS: &[EmbeddedAsset] = &[\n");
    for (url, abs) in files {
        let bytes = match fs::read(abs) {
            Ok(b) => b,
            Err(e) => fail(&format!("cannot read {}: {e}", abs.display())),
        };
        let hash = hex(&Sha256::digest(&bytes));
        all.update(url.as_bytes());
        all.update(&[0]);
        all.update(hash.as_bytes());
        all.update(&[0]);
        let abs_str = match abs.to_str() {
            Some(s) => s,
            None => fail(&format!("path is not UTF-8: {}", abs.display())),
        };
        let etag = format!("\"{}\"", &hash[..32]);
        // `{:?}` yields a Rust string literal with any needed escapes.
        let _ = writeln!(
            code,
            "    EmbeddedAsset {{ path: {url:?}, body: include_bytes!({abs_str:?}), \
             content_type: {ct:?}, etag: {etag:?} }},",
            ct = content_type(url),
        );
    }
    code.push_str("];\n");
    let version = hex(&all.finalize());
    let _ = writeln!(
        code,
        "/// Short hash of every embedded asset (paths and contents).\n\
         const ASSET_VERSION: &str = {:?};",
        &version[..12]
    );
    code
}

// --- small helpers -----------------------------------------------------------

fn fail(msg: &str) -> ! {
    panic!("\n\nvelkomst build: {msg}\n\n");
}

fn env_var(name: &str) -> String {
    match env::var(name) {
        Ok(v) => v,
        Err(_) => fail(&format!("environment variable {name} is not set (run through cargo)")),
    }
}

fn read_opt(path: &Path) -> Option<String> {
    fs::read_to_string(path).ok()
}

/// Version of `package` ("node_modules/x") in an npm v2/v3 lockfile, without a
/// JSON parser: the first `"version"` after the package's key.
fn locked_version(lock: &str, package: &str) -> Option<String> {
    let key = format!("\"{package}\"");
    let start = lock.find(&key)? + key.len();
    json_string_field(&lock[start..], "version")
}

/// The first `"field": "value"` string in `text`.
fn json_string_field(text: &str, field: &str) -> Option<String> {
    let key = format!("\"{field}\"");
    let after = &text[text.find(&key)? + key.len()..];
    let after = after.trim_start().strip_prefix(':')?.trim_start();
    let after = after.strip_prefix('"')?;
    Some(after[..after.find('"')?].to_string())
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Minimal SHA-256 (FIPS 180-4), so the build needs no extra dependency.
struct Sha256 {
    state: [u32; 8],
    buf: Vec<u8>,
    len: u64,
}

const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
    0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
    0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
    0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2,
];

impl Sha256 {
    fn new() -> Self {
        Sha256 {
            state: [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19],
            buf: Vec::with_capacity(64),
            len: 0,
        }
    }

    fn digest(data: &[u8]) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(data);
        h.finalize()
    }

    fn update(&mut self, mut data: &[u8]) {
        self.len = self.len.wrapping_add(data.len() as u64);
        if !self.buf.is_empty() {
            let take = (64 - self.buf.len()).min(data.len());
            self.buf.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.buf.len() == 64 {
                let block = std::mem::take(&mut self.buf);
                self.compress(&block);
                self.buf = block;
                self.buf.clear();
            }
        }
        let mut chunks = data.chunks_exact(64);
        for block in &mut chunks {
            self.compress(block);
        }
        self.buf.extend_from_slice(chunks.remainder());
    }

    fn finalize(mut self) -> [u8; 32] {
        let bit_len = self.len.wrapping_mul(8);
        let mut tail = std::mem::take(&mut self.buf);
        tail.push(0x80);
        while tail.len() % 64 != 56 {
            tail.push(0);
        }
        tail.extend_from_slice(&bit_len.to_be_bytes());
        for block in tail.chunks_exact(64) {
            self.compress(block);
        }
        let mut out = [0u8; 32];
        for (i, word) in self.state.iter().enumerate() {
            out[i * 4..i * 4 + 4].copy_from_slice(&word.to_be_bytes());
        }
        out
    }

    fn compress(&mut self, block: &[u8]) {
        let mut w = [0u32; 64];
        for (i, chunk) in block.chunks_exact(4).enumerate().take(16) {
            w[i] = u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = self.state;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = h.wrapping_add(s1).wrapping_add(ch).wrapping_add(K[i]).wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            h = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (s, v) in self.state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
            *s = s.wrapping_add(v);
        }
    }
}
