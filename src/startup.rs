//! Building the application: database, migrations, secret, listener. The
//! listener is bound before anything runs, so port 0 works and tests learn
//! the real port from [`Application::port`].

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::{middleware, App, HttpServer};

use crate::config::Settings;
use crate::db::{users, Db};
use crate::error::Error;
use crate::web::{intake::RateLimiter, AppState};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// A setting is wrong: exit 2.
    #[error("{0}")]
    Config(String),
    /// Something failed at run time: exit 1.
    #[error("{0}")]
    Runtime(String),
}

impl From<Error> for StartError {
    fn from(e: Error) -> Self {
        StartError::Runtime(match e {
            Error::Internal(inner) => format!("{inner:#}"),
            Error::Unavailable(detail) => detail,
            other => other.to_string(),
        })
    }
}

/// Connects, migrates and brings the areas in line with the configuration.
pub fn prepare_database(settings: &Settings) -> Result<Db, StartError> {
    let db = Db::connect(&settings.database_url, settings.database_pool_size)
        .map_err(|e| StartError::Config(e.to_string()))?;
    let applied = db.migrate()?;
    if applied > 0 {
        tracing::info!(applied, "migrations applied");
    }
    let mut conn = db.direct()?;
    users::sync_areas(&mut conn, &settings.areas)?;
    Ok(db)
}

/// The signing key: from the settings, or in development generated once
/// and kept in `data/secret.key` so sessions survive restarts.
pub fn secret_key(settings: &Settings) -> Result<Vec<u8>, StartError> {
    if let Some(k) = &settings.secret_key {
        return Ok(k.clone());
    }
    let path = settings.data_dir.join("secret.key");
    if let Ok(text) = std::fs::read_to_string(&path) {
        if let Ok(bytes) = hex::decode(text.trim()) {
            if bytes.len() >= 64 {
                return Ok(bytes);
            }
        }
        return Err(StartError::Config(format!(
            "VELKOMST_SECRET_KEY: {} is not a valid key; delete it to make a new one",
            path.display()
        )));
    }
    let mut bytes = vec![0u8; 64];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
    crate::files::private_dir(&settings.data_dir)
        .and_then(|_| write_private(&path, &hex::encode(&bytes)))
        .map_err(|e| StartError::Runtime(format!("cannot write {}: {e}", path.display())))?;
    tracing::info!(path = %path.display(), "generated a development secret key");
    Ok(bytes)
}

fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    opts.open(path)?.write_all(text.as_bytes())
}

/// With no user yet, a one-time link to create the first admin.
pub fn first_admin_link(db: &Db, settings: &Settings) -> Result<Option<String>, StartError> {
    let mut conn = db.direct()?;
    if users::count(&mut conn)? > 0 {
        return Ok(None);
    }
    let token = crate::crypto::random_token();
    let expires = crate::db::now() + chrono::Duration::minutes(i64::from(settings.auth.setup_link_minutes));
    users::create_setup_link(&mut conn, &crate::crypto::token_hash(&token), None, expires)?;
    Ok(Some(format!("{}/setup/{token}", settings.public_url)))
}

pub struct Application {
    port: u16,
    server: Server,
    pub db: Db,
    pub first_admin_link: Option<String>,
    /// The base of links as served: the configured public URL, or (unset)
    /// the address really bound.
    pub public_url: String,
}

impl Application {
    pub fn build(mut settings: Settings) -> Result<Self, StartError> {
        crate::web::pages::init()?;
        let db = prepare_database(&settings)?;
        let secret = secret_key(&settings)?;
        let listener = TcpListener::bind(&settings.listen)
            .map_err(|e| StartError::Config(format!("VELKOMST_LISTEN: cannot bind {}: {e}", settings.listen)))?;
        let bound = listener.local_addr().map_err(|e| StartError::Runtime(e.to_string()))?;
        let port = bound.port();
        settings.follow_listener(bound);
        let public_url = settings.public_url.clone();
        let first_admin_link = first_admin_link(&db, &settings)?;
        let secure = settings.cookie_secure;
        let workers = if settings.http_workers == 0 {
            std::thread::available_parallelism().map_or(2, usize::from)
        } else {
            settings.http_workers
        };
        crate::web::BODY_TIMEOUT_SECS
            .store(settings.intake.body_timeout_seconds.max(1), std::sync::atomic::Ordering::Relaxed);
        let a = &settings.auth;
        let policy = |free| crate::web::throttle::Policy {
            free,
            base: std::time::Duration::from_secs(a.throttle_base_seconds),
            cap: std::time::Duration::from_secs(a.throttle_max_seconds),
        };
        let throttle = crate::web::throttle::LoginThrottle::new(
            a.login_throttle,
            policy(a.throttle_account_free),
            policy(a.throttle_client_free),
        );
        let state = actix_web::web::Data::new(AppState {
            throttle,
            db: db.clone(),
            limiter: RateLimiter::with_integrations(
                settings.intake.limit_per_hour,
                settings.intake.integration_limit_per_hour,
            ),
            hasher: crate::hashing::HashPool::new(
                settings.auth.password_hash_threads,
                std::time::Duration::from_millis(settings.auth.password_hash_wait_ms),
            ),
            settings: Arc::new(settings),
            secret: Arc::new(secret),
        });
        let metrics = actix_web::web::Data::new(crate::web::metrics::Metrics::default());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(metrics.clone())
                // Innermost: sees the handler's answer; keeps a form whose
                // session had ended, for after the login.
                .wrap(middleware::from_fn(crate::web::resume::keep_on_login_redirect))
                .wrap(crate::web::error_pages::error_pages())
                .wrap(crate::web::security_headers(secure))
                .wrap(middleware::Compress::default())
                // Path only: query strings can hold search terms (names);
                // token-bearing paths with the token redacted.
                .wrap(
                    middleware::Logger::new("%{method}xi %{path}xi %s %Dms")
                        .custom_request_replace("method", |req| req.method().to_string())
                        .custom_request_replace("path", |req| crate::web::redact_path(req.path()).into_owned()),
                )
                // Outermost: times the whole request, counted by route template.
                .wrap(middleware::from_fn(crate::web::metrics::record))
                .configure(crate::web::routes)
        })
        .workers(workers)
        // Responses leave in several writes (headers, then compressed
        // chunks); with Nagle on, a later small write waits for the client's
        // delayed ACK of the first, about 40 ms on every gzip response over a
        // reused connection. Each write is a whole frame, so send at once.
        .tcp_nodelay(true)
        .listen(listener)
        .map_err(|e| StartError::Runtime(e.to_string()))?
        .run();
        Ok(Self { port, server, db, first_admin_link, public_url })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
