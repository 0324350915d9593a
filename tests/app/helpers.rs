//! The test harness: a real app on a random port over a fresh database
//! (SQLite by default; PostgreSQL when VELKOMST_TEST_DATABASE_URL names a
//! server), driven over HTTP like a browser (cookies, forms, CSRF) or a
//! JSON client.

use std::collections::HashMap;
use std::sync::OnceLock;

use diesel::{Connection, RunQueryDsl};
use reqwest::redirect::Policy;
use reqwest::StatusCode;
use serde_json::Value;
use velkomst::config::Settings;
use velkomst::startup::Application;

pub const PASSWORD: &str = "a long and memorable passphrase";

/// Every log line of the app, kept (up to a few MiB) so tests can assert
/// what never reaches the logs; with TEST_LOG set also printed.
static LOGS: std::sync::Mutex<String> = std::sync::Mutex::new(String::new());

#[derive(Clone, Copy)]
struct Capture;

impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        if std::env::var("TEST_LOG").is_ok() {
            eprint!("{text}");
        }
        let mut logs = LOGS.lock().unwrap_or_else(|p| p.into_inner());
        if logs.len() > 8 << 20 {
            let cut = logs.len() / 2;
            let cut = (cut..logs.len()).find(|i| logs.is_char_boundary(*i)).unwrap_or(0);
            logs.drain(..cut);
        }
        logs.push_str(&text);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Capture {
        Capture
    }
}

/// The log lines written so far (by every test in this process).
pub fn captured_logs() -> String {
    LOGS.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

fn init_logs() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let _ = tracing_subscriber::fmt().with_env_filter("info").with_ansi(false).with_writer(Capture).try_init();
    });
}

/// A database that exists for one test and is removed after it.
enum TestDb {
    Sqlite { dir: std::path::PathBuf },
    Postgres { server: String, name: String },
}

impl TestDb {
    fn create() -> (Self, String) {
        let id = uuid::Uuid::new_v4().simple().to_string();
        match std::env::var("VELKOMST_TEST_DATABASE_URL") {
            Ok(server) if server.starts_with("postgres") => {
                let name = format!("velkomst_test_{id}");
                let template = pg_template(&server);
                let mut conn = diesel::PgConnection::establish(&server).expect("PostgreSQL test server reachable");
                diesel::sql_query(format!("CREATE DATABASE {name} TEMPLATE {template}"))
                    .execute(&mut conn)
                    .expect("create test database from the template");
                (TestDb::Postgres { server: server.clone(), name: name.clone() }, pg_url(&server, &name))
            }
            _ => {
                let dir = std::env::temp_dir().join(format!("velkomst-test-{id}"));
                let url = format!("sqlite://{}", dir.join("velkomst.db").display());
                (TestDb::Sqlite { dir }, url)
            }
        }
    }
}

fn pg_url(server: &str, name: &str) -> String {
    let base = server.rsplit_once('/').map_or(server, |(b, _)| b);
    format!("{base}/{name}")
}

/// A migrated PostgreSQL database that every test copies with `CREATE
/// DATABASE … TEMPLATE`, instead of running every migration per test.
///
/// It is named after a hash of the PostgreSQL migrations, so test runs of
/// different branches (other worktrees, other helpers) never share one that
/// does not fit them, and runs of the same tree reuse it across processes.
/// It is built under a temporary name and renamed only when complete, under
/// a server-wide advisory lock, and nothing stays connected to it: a
/// template may have no other sessions while it is copied. Should a
/// template ever lag behind (a migration added), the app still runs the
/// pending ones on its copy at start, as in production.
fn pg_template(server: &str) -> String {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE
        .get_or_init(|| {
            let name = format!("velkomst_tpl_{}", migrations_hash());
            let mut conn = diesel::PgConnection::establish(server).expect("PostgreSQL test server reachable");
            // Session-level: released when `conn` closes, also on a panic.
            diesel::sql_query("SELECT pg_advisory_lock(7465737401)").execute(&mut conn).expect("template lock");
            if !pg_database_exists(&mut conn, &name) {
                let building = format!("{name}_{}", uuid::Uuid::new_v4().simple());
                diesel::sql_query(format!("CREATE DATABASE {building}")).execute(&mut conn).expect("create template");
                {
                    let db = velkomst::db::Db::connect(&pg_url(server, &building), 1).expect("template reachable");
                    db.migrate().expect("template migrated");
                }
                // The pool is gone; end any session it may have left behind.
                diesel::sql_query(format!(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                     WHERE datname = '{building}' AND pid <> pg_backend_pid()"
                ))
                .execute(&mut conn)
                .expect("template sessions ended");
                diesel::sql_query(format!("ALTER DATABASE {building} RENAME TO {name}"))
                    .execute(&mut conn)
                    .expect("template renamed");
                diesel::sql_query(format!("ALTER DATABASE {name} IS_TEMPLATE true"))
                    .execute(&mut conn)
                    .expect("marked as a template");
            }
            diesel::sql_query("SELECT pg_advisory_unlock(7465737401)").execute(&mut conn).expect("template unlock");
            name
        })
        .clone()
}

fn pg_database_exists(conn: &mut diesel::PgConnection, name: &str) -> bool {
    #[derive(diesel::QueryableByName)]
    struct Found {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query("SELECT count(*) AS n FROM pg_database WHERE datname = $1")
        .bind::<diesel::sql_types::Text, _>(name)
        .get_result::<Found>(conn)
        .expect("pg_database readable")
        .n
        > 0
}

/// The first 16 hex digits of a SHA-256 over every PostgreSQL migration
/// (folder names and file contents, in order).
fn migrations_hash() -> String {
    use sha2::Digest;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/postgres");
    let mut dirs: Vec<_> = std::fs::read_dir(&root).expect("migrations folder").flatten().map(|e| e.path()).collect();
    dirs.sort();
    let mut hash = sha2::Sha256::new();
    for dir in dirs {
        let mut files: Vec<_> = std::fs::read_dir(&dir).expect("migration").flatten().map(|e| e.path()).collect();
        files.sort();
        for file in files {
            hash.update(file.strip_prefix(&root).expect("inside").to_string_lossy().as_bytes());
            hash.update(std::fs::read(&file).expect("migration file"));
        }
    }
    hex::encode(&hash.finalize()[..8])
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match self {
            TestDb::Sqlite { dir } => {
                let _ = std::fs::remove_dir_all(dir);
            }
            TestDb::Postgres { server, name } => {
                if let Ok(mut conn) = diesel::PgConnection::establish(server) {
                    let _ =
                        diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut conn);
                }
            }
        }
    }
}

pub struct TestApp {
    pub address: String,
    pub first_admin_link: Option<String>,
    pub db: velkomst::db::Db,
    pub settings: Settings,
    _db: TestDb,
}

/// The app with test settings: no intake limit, one HTTP worker.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    init_logs();
    let (guard, url) = TestDb::create();
    let env: HashMap<String, String> = [
        ("VELKOMST_DATABASE_URL".to_string(), url),
        ("VELKOMST_LISTEN".to_string(), "127.0.0.1:0".to_string()),
        ("VELKOMST_INTAKE_LIMIT".to_string(), "0".to_string()),
    ]
    .into();
    let mut settings = Settings::load_from(None, &env).expect("test settings");
    settings.http_workers = 1;
    settings.database_pool_size = 4;
    settings.secret_key = Some(vec![42; 64]);
    settings.data_dir = std::env::temp_dir().join(format!("velkomst-test-data-{}", uuid::Uuid::new_v4().simple()));
    configure(&mut settings);
    let app = Application::build(settings.clone()).expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    settings.public_url = address.clone();
    let first_admin_link = app.first_admin_link.clone().map(|l| {
        // The app prints links with its configured public URL; tests reach it on the random port.
        let path = l.split_once("/setup/").map(|(_, t)| format!("/setup/{t}")).unwrap_or(l);
        format!("{address}{path}")
    });
    let db = app.db.clone();
    tokio::spawn(app.run_until_stopped());
    TestApp { address, first_admin_link, db, settings, _db: guard }
}

/// A response, read whole.
pub struct Page {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Page {
    async fn read(resp: reqwest::Response) -> Self {
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = resp.text().await.expect("body");
        Page { status, headers, body }
    }

    pub fn location(&self) -> String {
        self.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
    }

    /// The first hidden CSRF token on the page.
    pub fn csrf_token(&self) -> String {
        hidden_value(&self.body, "csrf_token").expect("page has a csrf_token field")
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("JSON body ({e}): {}", self.body))
    }

    pub fn contains(&self, s: &str) -> bool {
        self.body.contains(s)
    }
}

pub fn hidden_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_string())
}

/// Un-escapes what tera escaped, to compare page text with what was typed.
pub fn html_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

/// A browser: its own cookie jar; follows no redirects by itself so tests
/// see every 303.
pub struct Browser {
    pub base: String,
    client: reqwest::Client,
}

impl TestApp {
    pub fn browser(&self) -> Browser {
        Browser {
            base: self.address.clone(),
            client: reqwest::Client::builder().cookie_store(true).redirect(Policy::none()).build().expect("client"),
        }
    }

    /// A JSON client (no cookies).
    pub fn api(&self, token: Option<&str>) -> ApiClient {
        ApiClient { base: self.address.clone(), token: token.map(str::to_string), client: reqwest::Client::new() }
    }

    /// An active user created as `velkomst user add --password-stdin` does.
    pub async fn add_user(&self, role: &str, name: &str, email: &str) -> String {
        let (role, name, email) = (role.to_string(), name.to_string(), email.to_string());
        self.db
            .write(move |conn| {
                let hash = velkomst::crypto::hash_password(PASSWORD)?;
                let role = velkomst::domain::user::Role::parse(&role).expect("role");
                let user = velkomst::db::users::create(conn, &email, &name, role, Some(&hash))?.expect("new email");
                Ok(user.id)
            })
            .await
            .expect("user added")
    }

    /// A bearer token, as `velkomst token create` makes.
    pub async fn token_for(&self, user_id: &str) -> String {
        let token = format!("vk_{}", velkomst::crypto::random_token());
        let (hash, id) = (velkomst::crypto::token_hash(&token), user_id.to_string());
        self.db
            .write(move |conn| velkomst::db::users::create_api_token(conn, &id, "test", &hash))
            .await
            .expect("token");
        token
    }

    /// A consultant, logged in, with an API token.
    pub async fn consultant(&self, name: &str, email: &str) -> Staff {
        self.staff("consultant", name, email).await
    }

    pub async fn admin(&self, name: &str, email: &str) -> Staff {
        self.staff("admin", name, email).await
    }

    async fn staff(&self, role: &str, name: &str, email: &str) -> Staff {
        let id = self.add_user(role, name, email).await;
        let token = self.token_for(&id).await;
        let browser = self.browser();
        let page = browser.login(email, PASSWORD).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "login works");
        Staff { id, browser, api: self.api(Some(&token)) }
    }

    /// A mover sends the inquiry form; returns the case reference.
    pub async fn mover_submits(&self, fields: &[(&str, &str)]) -> String {
        let page = self.browser().submit_inquiry(fields).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "inquiry accepted: {}", page.body);
        page.location().rsplit('/').next().expect("reference").to_string()
    }

    pub async fn api_inquiry(&self, body: &Value) -> Page {
        self.api(None).post_json("/api/v1/inquiries", body).await
    }
}

impl Browser {
    pub async fn get(&self, path: &str) -> Page {
        Page::read(self.client.get(format!("{}{path}", self.base)).send().await.expect("GET")).await
    }

    /// Posts a form as is (the caller supplies any csrf_token).
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = encode(fields);
        let resp = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("POST");
        Page::read(resp).await
    }

    /// Opens `page_path`, takes its CSRF token, and posts `fields` to `action`.
    pub async fn submit(&self, page_path: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        let page = self.get(page_path).await;
        assert_eq!(page.status, StatusCode::OK, "{page_path} opens");
        let token = page.csrf_token();
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form(action, &all).await
    }

    pub async fn submit_inquiry(&self, fields: &[(&str, &str)]) -> Page {
        self.submit("/", "/inquiry", fields).await
    }

    pub async fn login(&self, email: &str, password: &str) -> Page {
        self.submit("/login", "/login", &[("email", email), ("password", password)]).await
    }
}

fn encode(fields: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        s.append_pair(k, v);
    }
    s.finish()
}

/// A logged-in staff member: a browser session and an API token.
pub struct Staff {
    pub id: String,
    pub browser: Browser,
    pub api: ApiClient,
}

impl Staff {
    /// Posts an action form from the case page.
    pub async fn on_case(&self, reference: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        self.browser.submit(&format!("/cases/{reference}"), &format!("/cases/{reference}/{action}"), fields).await
    }

    pub async fn move_case(&self, reference: &str, action: &str, note: &str) -> Page {
        self.on_case(reference, "transition", &[("action", action), ("note", note)]).await
    }

    pub async fn case_json(&self, reference: &str) -> Value {
        let page = self.api.get(&format!("/api/v1/cases/{reference}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        page.json()
    }

    pub async fn queue(&self, query: &str) -> Page {
        self.browser.get(&format!("/cases{query}")).await
    }
}

pub struct ApiClient {
    base: String,
    token: Option<String>,
    client: reqwest::Client,
}

impl ApiClient {
    fn auth(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.token {
            Some(t) => req.bearer_auth(t),
            None => req,
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        Page::read(self.auth(self.client.get(format!("{}{path}", self.base))).send().await.expect("GET")).await
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Page {
        self.post_raw(path, "application/json", body.to_string()).await
    }

    pub async fn post_raw(&self, path: &str, content_type: &str, body: impl Into<reqwest::Body>) -> Page {
        let req = self.client.post(format!("{}{path}", self.base)).header("content-type", content_type).body(body);
        Page::read(self.auth(req).send().await.expect("POST")).await
    }
}

impl Browser {
    /// Posts a body exactly as given (malformed encodings, raw bytes), with
    /// this browser's cookies.
    pub async fn post_body(&self, path: &str, content_type: &str, body: impl Into<reqwest::Body>) -> Page {
        let req = self.client.post(format!("{}{path}", self.base)).header("content-type", content_type).body(body);
        Page::read(req.send().await.expect("POST")).await
    }
}

impl TestApp {
    /// The background worker, driven by the test with its own clock.
    pub fn worker(&self) -> velkomst::jobs::Worker {
        velkomst::jobs::Worker::new(self.db.clone(), std::sync::Arc::new(self.settings.clone())).expect("worker")
    }
}

/// The text of a message in locales/{lang}/*.ftl, as the app shows it, so a
/// test asserts that the page shows *that message* without pinning its
/// wording (a copy edit in the locale file then needs no test edit). Only
/// for messages without placeables.
pub fn l10n(lang: &str, key: &str) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(lang);
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("locale folder").flatten().map(|e| e.path()).collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("locale file");
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            let Some((k, v)) = line.split_once('=') else { continue };
            if k.trim() != key || line.starts_with([' ', '#']) {
                continue;
            }
            // Continuation lines are indented.
            let mut value = v.trim().to_string();
            for more in lines.by_ref().take_while(|l| l.starts_with(' ')) {
                value = format!("{value}\n{}", more.trim());
            }
            assert!(!value.contains('{'), "{lang}/{key} has placeables; assert on a part of it");
            return value.trim().to_string();
        }
    }
    panic!("no message {key} in locales/{lang}")
}

/// Every `id` on an HTML page is unique (labels and anchors reach one element).
pub fn assert_unique_ids(page: &Page) {
    let mut seen = std::collections::HashSet::new();
    for part in page.body.split(" id=\"").skip(1) {
        let id = part.split('"').next().unwrap_or("");
        assert!(seen.insert(id.to_string()), "id {id:?} appears twice on the page");
    }
}
