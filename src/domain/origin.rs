//! Where a mover moves from, as a class the reports can count after the
//! free text is erased: the municipality itself, the rest of the region,
//! abroad, or unknown. The word lists come from the configuration
//! (`[privacy.moving_from]`).

use serde::Serialize;

/// The class of a free-text "moving from".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// A town or place in this municipality (moving within it).
    Municipality,
    /// Another place in the same region.
    Region,
    /// Another country.
    Abroad,
    /// Empty, elsewhere in Denmark, or not recognised.
    Unknown,
}

impl Origin {
    pub const ALL: [Origin; 4] = [Origin::Municipality, Origin::Region, Origin::Abroad, Origin::Unknown];

    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Municipality => "municipality",
            Origin::Region => "region",
            Origin::Abroad => "abroad",
            Origin::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == s)
    }
}

/// The word lists, lowercased when matched.
#[derive(Debug, Clone, Default)]
pub struct OriginWords<'a> {
    pub municipality: &'a [String],
    pub region: &'a [String],
    pub abroad: &'a [String],
}

/// Classifies `text`: the first list (municipality, then region, then
/// abroad) with an entry that stands in the text as whole words wins, so
/// "Næstved, Danmark" is the region and "Berlin, Tyskland" abroad.
pub fn classify(text: Option<&str>, words: &OriginWords<'_>) -> Origin {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else { return Origin::Unknown };
    let said = tokens(text);
    let hit = |list: &[String]| {
        list.iter().any(|entry| {
            let want = tokens(entry);
            !want.is_empty() && said.windows(want.len()).any(|w| w == want.as_slice())
        })
    };
    if hit(words.municipality) {
        Origin::Municipality
    } else if hit(words.region) {
        Origin::Region
    } else if hit(words.abroad) {
        Origin::Abroad
    } else {
        Origin::Unknown
    }
}

fn tokens(s: &str) -> Vec<String> {
    s.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| (*w).to_string()).collect()
    }

    #[test]
    fn first_matching_list_wins_on_whole_words() {
        let (m, r, a) = (v(&["Stege", "Vordingborg"]), v(&["Næstved", "Køge"]), v(&["Tyskland", "United Kingdom"]));
        let w = OriginWords { municipality: &m, region: &r, abroad: &a };
        assert_eq!(classify(Some("stege"), &w), Origin::Municipality);
        assert_eq!(classify(Some("Næstved, Danmark"), &w), Origin::Region);
        assert_eq!(classify(Some("Berlin, TYSKLAND"), &w), Origin::Abroad);
        assert_eq!(classify(Some("London, United  Kingdom"), &w), Origin::Abroad);
        assert_eq!(classify(Some("Køgevej 3, Aarhus"), &w), Origin::Unknown, "whole words only");
        assert_eq!(classify(Some("  "), &w), Origin::Unknown);
        assert_eq!(classify(None, &w), Origin::Unknown);
    }

    #[test]
    fn round_trips() {
        for o in Origin::ALL {
            assert_eq!(Origin::parse(o.as_str()), Some(o));
        }
    }
}
