//! `[reports]`: small-group suppression, area groups and the strategy's
//! targets (issue 9). Validated with the rest of the settings.

use serde::Deserialize;

use super::ConfigError;

#[derive(Debug, Clone, Deserialize)]
pub struct Reports {
    /// Reporters see counts from 1 to `min_group_size` − 1 as "< N".
    pub min_group_size: u32,
    #[serde(default)]
    pub area_groups: Vec<AreaGroup>,
    #[serde(default)]
    pub targets: Vec<Target>,
}

/// Local areas counted together (Møn = Stege, Borre, …).
#[derive(Debug, Clone, Deserialize)]
pub struct AreaGroup {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub name_en: Option<String>,
    pub areas: Vec<String>,
}

/// One goal of the strategy the case data can measure: cases that moved in
/// (entered move-in) in a calendar year, optionally only one household shape
/// and one area or area group, against `baseline` (the count in
/// `baseline_year`) grown by `growth_percent` a year.
#[derive(Debug, Clone, Deserialize)]
pub struct Target {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub name_en: Option<String>,
    #[serde(default)]
    pub household: Option<String>,
    /// An area slug or an area group's slug.
    #[serde(default)]
    pub area: Option<String>,
    pub baseline: u32,
    pub baseline_year: i32,
    pub growth_percent: f64,
    /// The years the target applies to (inclusive).
    pub from_year: i32,
    pub to_year: i32,
}

impl Reports {
    /// Checks what refers to areas and household shapes.
    pub fn validate(&self, areas: &[super::Area]) -> Result<(), ConfigError> {
        if self.min_group_size == 0 {
            return Err(ConfigError::new("reports.min_group_size", "must be at least 1"));
        }
        let known = |slug: &str| areas.iter().any(|a| a.slug == slug);
        for g in &self.area_groups {
            if let Some(bad) = g.areas.iter().find(|a| !known(a)) {
                return Err(ConfigError::new("reports.area_groups", format!("{}: unknown area {bad}", g.slug)));
            }
        }
        for t in &self.targets {
            let area_ok = t.area.as_deref().is_none_or(|a| known(a) || self.group(a).is_some());
            if !area_ok {
                return Err(ConfigError::new("reports.targets", format!("{}: unknown area or group", t.slug)));
            }
            let household_ok =
                t.household.as_deref().is_none_or(|h| crate::domain::report::Household::parse(h).is_some());
            if !household_ok {
                return Err(ConfigError::new("reports.targets", format!("{}: unknown household", t.slug)));
            }
            if t.from_year > t.to_year || !(-100.0..=1000.0).contains(&t.growth_percent) {
                return Err(ConfigError::new("reports.targets", format!("{}: years or growth out of range", t.slug)));
            }
        }
        Ok(())
    }

    pub fn group(&self, slug: &str) -> Option<&AreaGroup> {
        self.area_groups.iter().find(|g| g.slug == slug)
    }

    /// The groups as the domain takes them: `(slug, member areas)`.
    pub fn group_members(&self) -> Vec<(String, Vec<String>)> {
        self.area_groups.iter().map(|g| (g.slug.clone(), g.areas.clone())).collect()
    }
}
