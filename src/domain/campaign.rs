//! The campaign register: what a campaign is and what makes one valid.

use chrono::NaiveDate;
use serde::Serialize;

use super::inquiry::FieldError;
use super::text::text_enum;

text_enum!(
    /// How a campaign reaches people.
    pub enum Channel as "channel" {
        Digital = "digital", Print = "print", Event = "event", HandCarried = "handbaaret",
    }
);

/// A registered campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Campaign {
    pub slug: String,
    pub name: String,
    pub target_areas: Vec<String>,
    pub target_group: String,
    pub channel: Channel,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    /// Whole kroner.
    pub budget: Option<i64>,
    pub notes: String,
}

/// A campaign as typed into the admin form.
#[derive(Debug, Clone, Default)]
pub struct CampaignDraft {
    pub slug: String,
    pub name: String,
    pub target_areas: Vec<String>,
    pub target_group: String,
    pub channel: String,
    pub starts_on: String,
    pub ends_on: String,
    pub budget: String,
    pub notes: String,
}

fn text(s: &str, max: usize) -> Result<String, &'static str> {
    let s = s.trim();
    if s.chars().count() > max {
        Err("too-long")
    } else if s.chars().any(|c| c.is_control() && c != '\n' && c != '\r') {
        Err("control-chars")
    } else {
        Ok(s.to_string())
    }
}

impl Campaign {
    /// Validates a draft against the configured `areas`; every problem at
    /// its field.
    pub fn parse(d: &CampaignDraft, areas: &[&str]) -> Result<Campaign, Vec<FieldError>> {
        let mut errors = Vec::new();
        let slug = d.slug.trim().to_lowercase();
        if !super::inquiry::is_slug(&slug) {
            errors.push(FieldError::new("slug", "slug-invalid"));
        }
        let name = match text(&d.name, 200) {
            Ok(n) if n.is_empty() => {
                errors.push(FieldError::new("name", "required"));
                n
            }
            Ok(n) => n,
            Err(code) => {
                errors.push(FieldError::new("name", code));
                String::new()
            }
        };
        if d.target_areas.iter().any(|a| !areas.contains(&a.as_str())) {
            errors.push(FieldError::new("target_areas", "area-invalid"));
        }
        let target_group = text(&d.target_group, 200).unwrap_or_else(|code| {
            errors.push(FieldError::new("target_group", code));
            String::new()
        });
        let notes = text(&d.notes, 4000).unwrap_or_else(|code| {
            errors.push(FieldError::new("notes", code));
            String::new()
        });
        let channel = Channel::parse(d.channel.trim());
        if channel.is_none() {
            errors.push(FieldError::new("channel", "choice-invalid"));
        }
        let date = |field: &'static str, s: &str, errors: &mut Vec<FieldError>| match s.trim() {
            "" => None,
            s => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| errors.push(FieldError::new(field, "date-invalid")))
                .ok(),
        };
        let starts_on = date("starts_on", &d.starts_on, &mut errors);
        let ends_on = date("ends_on", &d.ends_on, &mut errors);
        if let (Some(a), Some(b)) = (starts_on, ends_on) {
            if b < a {
                errors.push(FieldError::new("ends_on", "ends-before-start"));
            }
        }
        let budget = match d.budget.trim().replace(['.', ' '], "").as_str() {
            "" => None,
            s => match s.parse::<i64>() {
                Ok(n) if (0..=1_000_000_000).contains(&n) => Some(n),
                _ => {
                    errors.push(FieldError::new("budget", "budget-invalid"));
                    None
                }
            },
        };
        match channel {
            Some(channel) if errors.is_empty() => Ok(Campaign {
                slug,
                name,
                target_areas: d.target_areas.clone(),
                target_group,
                channel,
                starts_on,
                ends_on,
                budget,
                notes,
            }),
            _ => Err(errors),
        }
    }
}

/// What a moved-in household cost: the budget over the households that
/// moved in (none moved in: no figure).
pub fn cost_per_moved_in(budget: Option<i64>, moved_in: u32) -> Option<i64> {
    let b = budget?;
    (moved_in > 0).then(|| (b as f64 / f64::from(moved_in)).round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> CampaignDraft {
        CampaignDraft {
            slug: "Sommer-2026".into(),
            name: "Sommer på Møn".into(),
            target_areas: vec!["stege".into()],
            target_group: "Børnefamilier i København".into(),
            channel: "handbaaret".into(),
            starts_on: "2026-05-01".into(),
            ends_on: "2026-08-31".into(),
            budget: "25.000".into(),
            notes: String::new(),
        }
    }

    #[test]
    fn a_campaign_is_checked_at_every_field() {
        let c = Campaign::parse(&draft(), &["stege"]).expect("valid");
        assert_eq!(c.slug, "sommer-2026");
        assert_eq!(c.channel, Channel::HandCarried);
        assert_eq!(c.budget, Some(25_000));
        let mut bad = draft();
        bad.slug = "no spaces".into();
        bad.channel = "radio".into();
        bad.ends_on = "2026-04-01".into();
        bad.target_areas = vec!["atlantis".into()];
        bad.budget = "lots".into();
        let errors = Campaign::parse(&bad, &["stege"]).expect_err("refused");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["slug", "target_areas", "channel", "ends_on", "budget"]);
    }

    #[test]
    fn cost_per_household() {
        assert_eq!(cost_per_moved_in(Some(25_000), 4), Some(6_250));
        assert_eq!(cost_per_moved_in(Some(25_000), 0), None);
        assert_eq!(cost_per_moved_in(None, 3), None);
    }
}
