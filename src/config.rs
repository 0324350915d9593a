//! Settings: `config/default.toml` (embedded, so the binary runs from any
//! folder) → optional file from `--config`/`VELKOMST_CONFIG` → `VELKOMST_*`
//! environment variables. Validated once at start; a bad value is reported
//! as one line naming the setting.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::domain::inquiry::Language;
use serde::Deserialize;

mod reports;
pub use reports::{AreaGroup, Reports, Target};

const DEFAULTS: &str = include_str!("../config/default.toml");

#[derive(Debug, thiserror::Error)]
#[error("{setting}: {message}")]
pub struct ConfigError {
    pub setting: String,
    pub message: String,
}

impl ConfigError {
    pub fn new(setting: impl Into<String>, message: impl Into<String>) -> Self {
        Self { setting: setting.into(), message: message.into() }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Env {
    Development,
    Production,
}

/// How log lines look (`VELKOMST_LOG_FORMAT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One readable line per event.
    Text,
    /// One JSON object per line.
    Json,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Area {
    pub slug: String,
    pub name: String,
    pub postcode: String,
    /// The area's own page, linked in the information pack.
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Interest {
    pub slug: String,
    pub da: String,
    pub en: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Mail {
    pub smtp_url: Option<String>,
    pub from: String,
    pub timeout_seconds: u64,
    pub retry_base_seconds: u64,
    pub give_up_hours: u64,
    pub batch_size: u32,
    pub lease_seconds: u64,
    pub senders: usize,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FollowupRule {
    pub name: String,
    pub stage: String,
    pub after_days: u32,
    pub template: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Followups {
    pub rules: Vec<FollowupRule>,
    pub visit_reminder_time: String,
    pub visit_thanks_time: String,
    pub digest_time: String,
}

/// One link in the information pack.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct Link {
    pub da: String,
    pub en: String,
    pub url: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Referrals {
    pub signin_link_days: u32,
    /// Once opened, a sign-in link lives at most this many hours more.
    pub signin_link_opened_hours: u32,
    pub reminder_after_days: u32,
    pub flag_after_days: u32,
}

/// `[privacy]`: how personal data is classified and kept.
#[derive(Debug, Clone, Deserialize)]
pub struct Privacy {
    pub moving_from: MovingFrom,
    pub retention: Retention,
}

/// `[privacy.retention]`: the retention schedule (`workflow::retention`);
/// each number is explained in config/default.toml.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct Retention {
    pub open_inactive_months: u32,
    pub closed_months: u32,
    pub answer_window_days: u32,
    pub email_body_days: u32,
    pub undelivered_email_days: u32,
    pub access_log_months: u32,
}

/// Word lists that classify where a mover moves from (`domain::origin`).
#[derive(Debug, Clone, Deserialize)]
pub struct MovingFrom {
    pub municipality: Vec<String>,
    pub region: Vec<String>,
    pub abroad: Vec<String>,
}

impl Privacy {
    pub fn origin_words(&self) -> crate::domain::origin::OriginWords<'_> {
        let m = &self.moving_from;
        crate::domain::origin::OriginWords { municipality: &m.municipality, region: &m.region, abroad: &m.abroad }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Packages {
    pub overdue_after_days: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Information {
    pub general: Vec<Link>,
    pub children: Vec<Link>,
    pub jobs: Vec<Link>,
    pub build: Vec<Link>,
    /// Where each item of the welcome email's checklist links to.
    #[serde(default)]
    pub checklist: Checklist,
}

/// The links of the welcome email's checklist (`[information.checklist]`),
/// one per item; an empty address leaves that item without a link.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Checklist {
    pub register_move: String,
    pub doctor: String,
    pub daycare: String,
    pub waste: String,
    pub library: String,
    pub associations: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Intake {
    pub limit_per_hour: u32,
    /// Inquiries per hour from one integration token (intake scope); 0: no limit.
    pub integration_limit_per_hour: u32,
    pub max_body_bytes: usize,
    /// A request body must arrive within this many seconds (else 408).
    pub body_timeout_seconds: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Queue {
    pub first_contact_goal_working_days: u32,
    pub page_size: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Auth {
    pub session_idle_minutes: u32,
    pub session_max_hours: u32,
    pub setup_link_minutes: u32,
    /// Password hashes (argon2id, 19 MiB each) run at most this many at a
    /// time; 0 = one per CPU core.
    pub password_hash_threads: usize,
    /// How long an attempt waits for a hashing turn before 503 + Retry-After.
    pub password_hash_wait_ms: u64,
    /// Growing delays after failed logins (per account and per client).
    pub login_throttle: bool,
    /// API tokens expire after this many days unless made with
    /// `--expires-days`; 0 = never.
    pub api_token_days: u32,
    pub throttle_account_free: u32,
    pub throttle_client_free: u32,
    pub throttle_base_seconds: u64,
    pub throttle_max_seconds: u64,
    /// Who must use a second factor (TOTP): `auto` (staff in production,
    /// nobody in development), `none`, `admins`, `staff`.
    pub mfa_required: MfaRequired,
    /// Security events (the audit trail) are kept this many days.
    pub security_events_days: u32,
    /// "Forgot password" links stay valid this many minutes.
    pub reset_link_minutes: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MfaRequired {
    Auto,
    None,
    Admins,
    Staff,
}

impl Settings {
    /// Whether a user of `role` must have a second factor enrolled.
    /// Ambassadors never: they sign in with single-use email links.
    pub fn mfa_required_for(&self, role: crate::domain::user::Role) -> bool {
        use crate::domain::user::Role;
        match (self.auth.mfa_required, role) {
            (_, Role::Ambassador) => false,
            (MfaRequired::Auto, r) => self.is_production() && r.is_staff(),
            (MfaRequired::None, _) => false,
            (MfaRequired::Admins, r) => r == Role::Admin,
            (MfaRequired::Staff, r) => r.is_staff(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Municipality {
    pub name: String,
    /// The name in English emails and pages ("Vordingborg Municipality");
    /// unset: `name` in both languages.
    #[serde(default)]
    pub name_en: Option<String>,
    pub reference_prefix: String,
    pub time_zone: String,
    pub welcome_package_pickup: String,
    /// The public pages' footer and error pages: how to reach the service.
    #[serde(default)]
    pub contact: Contact,
    /// Optional logo image (SVG or PNG file on disk) shown in the header
    /// beside the name; unset: the name alone.
    #[serde(default)]
    pub logo_file: Option<PathBuf>,
}

impl Municipality {
    /// The municipality's name as a page or email in `lang` ("da"|"en")
    /// says it: one name per language, never a mix.
    pub fn name_in(&self, lang: &str) -> &str {
        match (lang, &self.name_en) {
            ("en", Some(en)) if !en.trim().is_empty() => en,
            _ => &self.name,
        }
    }
}

/// Contact details and the legally required links of the public pages.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
pub struct Contact {
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    /// Opening hours, one line per day range, in each language.
    #[serde(default)]
    pub opening_hours_da: Vec<String>,
    #[serde(default)]
    pub opening_hours_en: Vec<String>,
    /// The municipality's privacy notice (privatlivspolitik).
    #[serde(default)]
    pub privacy_url: String,
    /// The accessibility statement (tilgængelighedserklæring) published by
    /// Digitaliseringsstyrelsen's WAS-Tool at its own address.
    #[serde(default)]
    pub accessibility_url: String,
}

/// The raw file shape; [`Settings`] is the validated form.
#[derive(Debug, Deserialize)]
struct Raw {
    database_url: String,
    database_pool_size: u32,
    listen: String,
    public_url: Option<String>,
    env: Env,
    cookie_secure: Option<bool>,
    secret_key: Option<String>,
    data_dir: PathBuf,
    log: String,
    log_format: LogFormat,
    http_workers: usize,
    trusted_proxies: String,
    mail: Mail,
    intake: Intake,
    queue: Queue,
    auth: Auth,
    municipality: Municipality,
    followups: Followups,
    referrals: Referrals,
    packages: Packages,
    reports: Reports,
    privacy: Privacy,
    information: Information,
    surveys: Surveys,
    areas: Vec<Area>,
    interests: Vec<Interest>,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    pub database_pool_size: u32,
    pub listen: String,
    pub public_url: String,
    /// `public_url` was not set: it follows the address the server binds
    /// ([`Settings::follow_listener`]).
    pub public_url_from_listen: bool,
    pub env: Env,
    pub cookie_secure: bool,
    /// Raw key material; see [`Settings::secret_key_bytes`].
    pub secret_key: Option<Vec<u8>>,
    pub data_dir: PathBuf,
    pub log: String,
    pub log_format: LogFormat,
    pub http_workers: usize,
    /// Peers whose `X-Forwarded-For` is believed (`VELKOMST_TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<crate::domain::net::Cidr>,
    pub mail: Mail,
    pub intake: Intake,
    pub queue: Queue,
    pub auth: Auth,
    pub municipality: Municipality,
    pub followups: Followups,
    pub referrals: Referrals,
    pub packages: Packages,
    pub reports: Reports,
    pub privacy: Privacy,
    pub information: Information,
    pub surveys: Surveys,
    pub areas: Vec<Area>,
    pub interests: Vec<Interest>,
    pub time_zone: chrono_tz::Tz,
}

impl Settings {
    /// Loads the layered settings from the process environment.
    pub fn load(config_file: Option<&Path>) -> Result<Self, ConfigError> {
        let env: HashMap<String, String> = std::env::vars().collect();
        Self::load_from(config_file, &env)
    }

    /// Loads with an explicit environment, so tests never touch the process's.
    pub fn load_from(config_file: Option<&Path>, env: &HashMap<String, String>) -> Result<Self, ConfigError> {
        let mut value: toml::Value =
            DEFAULTS.parse().map_err(|e| ConfigError::new("config/default.toml", format!("{e}")))?;
        let file = config_file.map(Path::to_path_buf).or_else(|| env.get("VELKOMST_CONFIG").map(PathBuf::from));
        if let Some(path) = file {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| ConfigError::new("--config", format!("cannot read {}: {e}", path.display())))?;
            let overlay: toml::Value =
                text.parse().map_err(|e| ConfigError::new(path.display().to_string(), format!("{e}")))?;
            merge(&mut value, overlay);
        }
        apply_env(&mut value, env)?;
        let raw: Raw = value.try_into().map_err(|e: toml::de::Error| ConfigError::new("configuration", e.message()))?;
        Self::validate(raw)
    }

    fn validate(raw: Raw) -> Result<Self, ConfigError> {
        let scheme_ok = raw.database_url.starts_with("sqlite://")
            || raw.database_url.starts_with("postgres://")
            || raw.database_url.starts_with("postgresql://");
        if !scheme_ok {
            return Err(ConfigError::new("VELKOMST_DATABASE_URL", "must start with sqlite:// or postgres://"));
        }
        let listen: std::net::SocketAddr = raw
            .listen
            .parse()
            .map_err(|_| ConfigError::new("VELKOMST_LISTEN", "must be HOST:PORT, e.g. 127.0.0.1:8080"))?;
        let public_url_from_listen = raw.public_url.is_none();
        let public_url = raw.public_url.unwrap_or_else(|| url_of(listen));
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(ConfigError::new("VELKOMST_PUBLIC_URL", "must start with http:// or https://"));
        }
        if lettre::message::Mailbox::from_str(&raw.mail.from).is_err() {
            return Err(ConfigError::new(
                "VELKOMST_MAIL_FROM",
                "must be an address such as Velkomst <velkomst@example.dk>",
            ));
        }
        for t in [&raw.followups.visit_reminder_time, &raw.followups.visit_thanks_time, &raw.followups.digest_time] {
            if chrono::NaiveTime::parse_from_str(t, "%H:%M").is_err() {
                return Err(ConfigError::new("followups", format!("{t:?} is not a time HH:MM")));
            }
        }
        for r in &raw.followups.rules {
            if crate::domain::case::Stage::parse(&r.stage).is_none_or(|s| !s.is_open()) {
                return Err(ConfigError::new("followups.rules", format!("{}: unknown stage {}", r.name, r.stage)));
            }
        }
        if raw.mail.senders == 0 || raw.mail.batch_size == 0 {
            return Err(ConfigError::new("mail", "senders and batch_size must be at least 1"));
        }
        let secret_key = match raw.secret_key.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(text) => Some(decode_key(text)?),
            None if raw.env == Env::Production => {
                return Err(ConfigError::new(
                    "VELKOMST_SECRET_KEY",
                    "is required when VELKOMST_ENV=production (at least 64 bytes, hex or base64)",
                ))
            }
            None => None,
        };
        if let Some(url) = &raw.mail.smtp_url {
            if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
                return Err(ConfigError::new("VELKOMST_SMTP_URL", "must start with smtp:// or smtps://"));
            }
            let tls = url.starts_with("smtps://") || url.contains("tls=required");
            if raw.env == Env::Production && !tls {
                return Err(ConfigError::new(
                    "VELKOMST_SMTP_URL",
                    "production needs TLS: smtps://HOST:PORT or smtp://HOST:PORT?tls=required",
                ));
            }
        } else if raw.env == Env::Production {
            return Err(ConfigError::new(
                "VELKOMST_SMTP_URL",
                "is required when VELKOMST_ENV=production (file mail is for development only)",
            ));
        }
        if raw.areas.iter().any(|a| !crate::domain::inquiry::is_slug(&a.slug)) {
            return Err(ConfigError::new("areas", "every slug must be 1–40 of a-z, 0-9 and -"));
        }
        raw.surveys.check()?;
        raw.reports.validate(&raw.areas)?;
        if raw.database_pool_size == 0 {
            return Err(ConfigError::new("database_pool_size", "must be at least 1"));
        }
        if !(1..=200).contains(&raw.queue.page_size) {
            return Err(ConfigError::new("queue.page_size", "must be 1–200"));
        }
        let time_zone: chrono_tz::Tz = raw.municipality.time_zone.parse().map_err(|_| {
            ConfigError::new("municipality.time_zone", "must be an IANA zone such as Europe/Copenhagen")
        })?;
        let trusted_proxies = crate::domain::net::parse_list(&raw.trusted_proxies)
            .map_err(|m| ConfigError::new("VELKOMST_TRUSTED_PROXIES", m))?;
        Ok(Settings {
            trusted_proxies,
            cookie_secure: raw.cookie_secure.unwrap_or(raw.env == Env::Production),
            database_url: raw.database_url,
            database_pool_size: raw.database_pool_size,
            listen: raw.listen,
            public_url: public_url.trim_end_matches('/').to_string(),
            public_url_from_listen,
            env: raw.env,
            secret_key,
            data_dir: raw.data_dir,
            log: raw.log,
            log_format: raw.log_format,
            http_workers: raw.http_workers,
            mail: raw.mail,
            intake: raw.intake,
            queue: raw.queue,
            auth: raw.auth,
            municipality: raw.municipality,
            followups: raw.followups,
            referrals: raw.referrals,
            packages: raw.packages,
            reports: raw.reports,
            privacy: raw.privacy,
            information: raw.information,
            surveys: raw.surveys,
            areas: raw.areas,
            interests: raw.interests,
            time_zone,
        })
    }

    /// With no public URL set, links use the port really bound (port 0
    /// picks one only at bind time).
    pub fn follow_listener(&mut self, bound: std::net::SocketAddr) {
        if self.public_url_from_listen {
            self.public_url = url_of(bound);
        }
    }

    pub fn is_production(&self) -> bool {
        self.env == Env::Production
    }

    pub fn area(&self, slug: &str) -> Option<&Area> {
        self.areas.iter().find(|a| a.slug == slug)
    }

    /// The area's name, or the slug of one no longer configured.
    pub fn area_name(&self, slug: &str) -> String {
        self.area(slug).map_or_else(|| slug.to_string(), |a| a.name.clone())
    }

    /// An interest's label in `lang`, or the slug of one no longer configured.
    pub fn interest_label(&self, slug: &str, lang: crate::domain::inquiry::Language) -> String {
        let found = self.interests.iter().find(|x| x.slug == slug);
        found.map_or_else(|| slug.to_string(), |x| if lang == Language::En { x.en.clone() } else { x.da.clone() })
    }
}

/// `http://HOST:PORT` for a listening address; an unspecified host
/// (0.0.0.0, ::) is reached locally as the loopback address.
fn url_of(addr: std::net::SocketAddr) -> String {
    let ip = match addr.ip() {
        std::net::IpAddr::V4(ip) if ip.is_unspecified() => std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
        std::net::IpAddr::V6(ip) if ip.is_unspecified() => std::net::IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", std::net::SocketAddr::new(ip, addr.port()))
}

/// The fixed environment variables of CONTRACT.md and where each lands.
const ENV_KEYS: &[(&str, &[&str])] = &[
    ("VELKOMST_DATABASE_URL", &["database_url"]),
    ("VELKOMST_LISTEN", &["listen"]),
    ("VELKOMST_PUBLIC_URL", &["public_url"]),
    ("VELKOMST_SMTP_URL", &["mail", "smtp_url"]),
    ("VELKOMST_MAIL_FROM", &["mail", "from"]),
    ("VELKOMST_SECRET_KEY", &["secret_key"]),
    ("VELKOMST_ENV", &["env"]),
    ("VELKOMST_COOKIE_SECURE", &["cookie_secure"]),
    ("VELKOMST_LOG", &["log"]),
    ("VELKOMST_LOG_FORMAT", &["log_format"]),
    ("VELKOMST_INTAKE_LIMIT", &["intake", "limit_per_hour"]),
    ("VELKOMST_TRUSTED_PROXIES", &["trusted_proxies"]),
];

fn apply_env(value: &mut toml::Value, env: &HashMap<String, String>) -> Result<(), ConfigError> {
    for (name, path) in ENV_KEYS {
        let Some(text) = env.get(*name) else { continue };
        let parsed = match *name {
            "VELKOMST_COOKIE_SECURE" => match text.as_str() {
                "true" | "1" => toml::Value::Boolean(true),
                "false" | "0" => toml::Value::Boolean(false),
                _ => return Err(ConfigError::new(*name, "must be true or false")),
            },
            "VELKOMST_INTAKE_LIMIT" => toml::Value::Integer(
                text.parse::<u32>().map_err(|_| ConfigError::new(*name, "must be a whole number ≥ 0"))?.into(),
            ),
            "VELKOMST_LOG_FORMAT" => match text.as_str() {
                "text" | "json" => toml::Value::String(text.clone()),
                _ => return Err(ConfigError::new(*name, "must be text or json")),
            },
            "VELKOMST_ENV" => match text.as_str() {
                "development" | "production" => toml::Value::String(text.clone()),
                _ => return Err(ConfigError::new(*name, "must be development or production")),
            },
            _ => toml::Value::String(text.clone()),
        };
        set_path(value, path, parsed);
    }
    Ok(())
}

fn set_path(value: &mut toml::Value, path: &[&str], new: toml::Value) {
    let mut cursor = value;
    for key in &path[..path.len() - 1] {
        let Some(table) = cursor.as_table_mut() else { return };
        cursor = table.entry(key.to_string()).or_insert_with(|| toml::Value::Table(Default::default()));
    }
    if let (Some(table), Some(last)) = (cursor.as_table_mut(), path.last()) {
        table.insert(last.to_string(), new);
    }
}

/// Tables merge key by key; anything else (including arrays such as
/// `areas`) is replaced whole, so a municipality's own list replaces ours.
fn merge(base: &mut toml::Value, overlay: toml::Value) {
    match (base, overlay) {
        (toml::Value::Table(base), toml::Value::Table(overlay)) => {
            for (key, value) in overlay {
                match base.get_mut(&key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (base, overlay) => *base = overlay,
    }
}

fn decode_key(text: &str) -> Result<Vec<u8>, ConfigError> {
    use base64::Engine;
    let bytes = hex::decode(text)
        .ok()
        .or_else(|| base64::engine::general_purpose::STANDARD.decode(text).ok())
        .ok_or_else(|| ConfigError::new("VELKOMST_SECRET_KEY", "must be hex or base64"))?;
    if bytes.len() < 64 {
        return Err(ConfigError::new("VELKOMST_SECRET_KEY", "must be at least 64 bytes"));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn defaults_load_with_vordingborg_areas() {
        let s = Settings::load_from(None, &env(&[])).expect("defaults are valid");
        assert_eq!(s.database_url, "sqlite://data/velkomst.db");
        assert_eq!(s.listen, "127.0.0.1:8080");
        assert_eq!(s.areas.len(), 15);
        assert_eq!(s.area("praestoe").map(|a| a.name.as_str()), Some("Præstø"));
        assert!(!s.cookie_secure);
        assert_eq!(s.intake.limit_per_hour, 10);
        assert!(s.trusted_proxies.is_empty());
    }

    #[test]
    fn trusted_proxies_parse_and_a_bad_one_is_named() {
        let s =
            Settings::load_from(None, &env(&[("VELKOMST_TRUSTED_PROXIES", "10.0.0.1, 172.16.0.0/12")])).expect("valid");
        assert_eq!(s.trusted_proxies.len(), 2);
        let err = Settings::load_from(None, &env(&[("VELKOMST_TRUSTED_PROXIES", "10.0.0.1,proxy")])).expect_err("bad");
        assert_eq!(err.setting, "VELKOMST_TRUSTED_PROXIES");
    }

    #[test]
    fn env_overrides_and_names_the_bad_setting() {
        let s = Settings::load_from(None, &env(&[("VELKOMST_INTAKE_LIMIT", "0")])).expect("valid");
        assert_eq!(s.intake.limit_per_hour, 0);
        let err = Settings::load_from(None, &env(&[("VELKOMST_DATABASE_URL", "mysql://x")])).expect_err("bad scheme");
        assert_eq!(err.setting, "VELKOMST_DATABASE_URL");
        let err =
            Settings::load_from(None, &env(&[("VELKOMST_ENV", "production")])).expect_err("production needs a key");
        assert_eq!(err.setting, "VELKOMST_SECRET_KEY");
    }

    #[test]
    fn production_with_key_has_secure_cookies() {
        let key = "ab".repeat(64);
        let s = Settings::load_from(
            None,
            &env(&[
                ("VELKOMST_ENV", "production"),
                ("VELKOMST_SECRET_KEY", &key),
                ("VELKOMST_SMTP_URL", "smtps://mail.example.dk:465"),
            ]),
        )
        .expect("valid");
        assert!(s.cookie_secure);
        assert_eq!(s.secret_key.map(|k| k.len()), Some(64));
    }
}

/// `[surveys]`: the welcome survey and the one-year check after the move
/// (issue 10). The statements and help options are data, in both languages.
#[derive(Debug, Clone, Deserialize)]
pub struct Surveys {
    /// Send anything at all (off: nothing is started; open surveys can
    /// still be answered).
    pub enabled: bool,
    /// The welcome survey this many days after the recorded move-in (0:
    /// on the move-in date).
    pub welcome_after_days: u32,
    /// The one-year check this many months after the move-in.
    pub one_year_after_months: u32,
    /// A survey more than this many days overdue is never sent.
    pub window_days: u32,
    /// One reminder this many days after the email, if unanswered.
    pub reminder_after_days: u32,
    /// The answer can be given and changed this many days after the email.
    pub open_days: u32,
    /// The figures hide every count from 1 to `min_group - 1`.
    pub min_group: usize,
    pub statements: Vec<SurveyChoice>,
    pub help: Vec<SurveyChoice>,
}

/// A statement or help option: a key the answers store, and its words.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct SurveyChoice {
    pub key: String,
    pub da: String,
    pub en: String,
}

impl SurveyChoice {
    pub fn text(&self, lang: &str) -> &str {
        if lang == "en" {
            &self.en
        } else {
            &self.da
        }
    }
}

impl Surveys {
    pub fn statement_keys(&self) -> Vec<&str> {
        self.statements.iter().map(|c| c.key.as_str()).collect()
    }

    pub fn help_keys(&self) -> Vec<&str> {
        self.help.iter().map(|c| c.key.as_str()).collect()
    }

    fn check(&self) -> Result<(), ConfigError> {
        for c in self.statements.iter().chain(&self.help) {
            if !crate::domain::inquiry::is_slug(&c.key) {
                return Err(ConfigError::new("surveys", format!("{:?}: a key is a-z, 0-9, - and _", c.key)));
            }
        }
        if self.statements.is_empty() {
            return Err(ConfigError::new("surveys.statements", "at least one statement"));
        }
        if self.open_days <= self.reminder_after_days {
            return Err(ConfigError::new("surveys", "open_days must be more than reminder_after_days"));
        }
        Ok(())
    }
}
