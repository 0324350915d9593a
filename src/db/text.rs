//! The SQL side of the domain's text values ([`TextValue`]): each is stored
//! as TEXT, binds as its text, and reads back through its parser, so a row
//! holding a value the code does not know is an error naming the value.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;

use crate::domain::text::TextValue;

/// Reads a stored text value, refusing anything the type does not know.
pub fn from_text<T: TextValue>(s: &str) -> deserialize::Result<T> {
    T::from_text(s).ok_or_else(|| format!("corrupt {} in the database: {s:?}", T::WHAT).into())
}

macro_rules! sql_text {
    ($($ty:ty),+ $(,)?) => {$(
        const _: () = {
            // The derives' foreign form: the impls are for `$ty`, not the proxy.
            #[derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)]
            #[diesel(foreign_derive)]
            #[diesel(sql_type = Text)]
            #[allow(dead_code)]
            struct Proxy($ty);
        };

        impl<DB> FromSql<Text, DB> for $ty
        where
            DB: Backend,
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                from_text(&String::from_sql(bytes)?)
            }
        }

        impl<DB> ToSql<Text, DB> for $ty
        where
            DB: Backend,
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                <str as ToSql<Text, DB>>::to_sql(TextValue::as_text(self), out)
            }
        }
    )+};
}

use crate::domain::case::{EventKind, Outcome, Stage};
use crate::domain::event::GuestState;
use crate::domain::inquiry::{Housing, Language, Timeframe};
use crate::domain::reference::Reference;
use crate::domain::referral::State as ReferralState;
use crate::domain::report::{CloseReason, Household};
use crate::domain::survey::{Kind as SurveyKind, Residence};
use crate::domain::text::{CaseId, UserId};
use crate::domain::token::Scope;
use crate::domain::user::Role;

sql_text!(
    Stage,
    Outcome,
    EventKind,
    Role,
    ReferralState,
    Housing,
    Timeframe,
    Language,
    Scope,
    CaseId,
    UserId,
    Reference,
    SurveyKind,
    Residence,
    GuestState,
    Household,
    CloseReason
);
