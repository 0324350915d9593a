//! Values that travel as text — in the database, in JSON, in forms — but
//! are types everywhere else: the pipeline's enums and the ids. One macro
//! makes each kind; `db::text` gives every [`TextValue`] its SQL mapping,
//! so a corrupt stored value is an error, never a silent default.

/// A value with one text form.
pub trait TextValue: Sized {
    /// What the value is, for error messages ("stage", "case id").
    const WHAT: &'static str;
    fn as_text(&self) -> &str;
    fn from_text(s: &str) -> Option<Self>;
}

/// An enum whose variants each have one text form:
/// `text_enum!(pub enum Stage { Information = "information", … })`.
/// It gets `as_str`, `parse`, `ALL`, `Display`, and serde as that text.
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident as $what:literal {
            $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl $crate::domain::text::TextValue for $name {
            const WHAT: &'static str = $what;
            fn as_text(&self) -> &str {
                self.as_str()
            }
            fn from_text(s: &str) -> Option<Self> {
                Self::parse(s)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                Self::parse(&s).ok_or_else(|| {
                    let known: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                    ::serde::de::Error::custom(format!("unknown {} {:?}; one of: {}", $what, s, known.join(", ")))
                })
            }
        }
    };
}
pub(crate) use text_enum;

/// An id or reference that is text with a known shape:
/// `text_id!(pub struct CaseId as "case id", |s| uuid::Uuid::parse_str(s).is_ok())`.
/// It can only be made from text of that shape.
macro_rules! text_id {
    ($(#[$meta:meta])* $vis:vis struct $name:ident as $what:literal, $valid:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis struct $name(String);

        impl $name {
            /// The id if `s` has the right shape.
            pub fn parse(s: &str) -> Option<Self> {
                let valid: fn(&str) -> bool = $valid;
                valid(s).then(|| $name(s.to_string()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl $crate::domain::text::TextValue for $name {
            const WHAT: &'static str = $what;
            fn as_text(&self) -> &str {
                &self.0
            }
            fn from_text(s: &str) -> Option<Self> {
                Self::parse(s)
            }
        }

        impl ::std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                Self::parse(&s).ok_or_else(|| ::serde::de::Error::custom(format!("not a valid {}", $what)))
            }
        }
    };
}
pub(crate) use text_id;

/// A uuid in its hyphenated text form (how every id is stored).
pub fn is_uuid(s: &str) -> bool {
    s.len() == 36 && uuid::Uuid::parse_str(s).is_ok()
}

text_id!(
    /// A case's internal id (a uuid; never shown to people).
    pub struct CaseId as "case id", is_uuid
);
text_id!(
    /// A user's id (staff, ambassadors).
    pub struct UserId as "user id", is_uuid
);

impl CaseId {
    /// A new, time-ordered id (UUIDv7).
    pub fn fresh() -> Self {
        CaseId(uuid::Uuid::now_v7().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    text_enum!(
        enum Colour as "colour" {
            Red = "red",
            DarkBlue = "dark_blue",
        }
    );

    #[test]
    fn enums_round_trip_through_text_and_json() {
        for c in Colour::ALL {
            assert_eq!(Colour::parse(c.as_str()), Some(*c));
            let json = serde_json::to_string(c).expect("serialises");
            assert_eq!(serde_json::from_str::<Colour>(&json).expect("parses"), *c);
        }
        assert_eq!(serde_json::to_string(&Colour::DarkBlue).expect("serialises"), "\"dark_blue\"");
    }

    #[test]
    fn unknown_text_is_refused_with_the_known_values() {
        assert_eq!(Colour::parse("Red"), None);
        let err = serde_json::from_str::<Colour>("\"green\"").expect_err("green is unknown").to_string();
        assert!(err.contains("unknown colour \"green\"; one of: red, dark_blue"), "{err}");
    }

    #[test]
    fn ids_only_exist_in_their_shape() {
        let id = uuid::Uuid::now_v7().to_string();
        assert_eq!(CaseId::parse(&id).map(|c| c.to_string()), Some(id.clone()));
        assert!(CaseId::parse("not-a-uuid").is_none());
        assert!(CaseId::parse(&id.replace('-', "")).is_none());
        assert!(serde_json::from_str::<UserId>("\"x\"").is_err());
    }
}
