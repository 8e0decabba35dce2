//! How records meet the adapters: times as UTC Unix milliseconds (the precision every adapter
//! keeps exactly), for serde (MongoDB) and sqlx (SQLite); JSON kept as text.

use time::OffsetDateTime;

pub fn to_millis(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

pub fn from_millis(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000).expect("stored times are in range")
}

/// `t` truncated to what storage keeps.
pub fn millis_precision(t: OffsetDateTime) -> OffsetDateTime {
    from_millis(to_millis(t))
}

/// Records' times in MongoDB documents (`#[serde(with = "millis")]`).
pub mod millis {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::OffsetDateTime;

    pub fn serialize<S: Serializer>(t: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(super::to_millis(*t))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<OffsetDateTime, D::Error> {
        Ok(super::from_millis(i64::deserialize(d)?))
    }
}

/// Optional times in MongoDB documents (`#[serde(with = "option_millis", default)]`).
pub mod option_millis {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::OffsetDateTime;

    pub fn serialize<S: Serializer>(t: &Option<OffsetDateTime>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_i64(super::to_millis(*t)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<OffsetDateTime>, D::Error> {
        Ok(Option::<i64>::deserialize(d)?.map(super::from_millis))
    }
}

/// A time column in SQLite (`#[sqlx(try_from = "Millis")]`).
#[derive(sqlx::Type)]
#[sqlx(transparent)]
pub struct Millis(i64);

impl From<Millis> for OffsetDateTime {
    fn from(m: Millis) -> Self {
        from_millis(m.0)
    }
}

/// A nullable time column in SQLite (`#[sqlx(try_from = "OptionMillis")]`).
#[derive(sqlx::Type)]
#[sqlx(transparent)]
pub struct OptionMillis(Option<i64>);

impl From<OptionMillis> for Option<OffsetDateTime> {
    fn from(m: OptionMillis) -> Self {
        m.0.map(from_millis)
    }
}

/// A nullable organisation id column in SQLite (`#[sqlx(try_from = "OptionOrgId")]`).
#[derive(sqlx::Type)]
#[sqlx(transparent)]
pub struct OptionOrgId(Option<String>);

impl From<OptionOrgId> for Option<app::ids::OrgId> {
    fn from(id: OptionOrgId) -> Self {
        id.0.map(app::ids::OrgId::new)
    }
}

/// A JSON value kept as JSON text in a MongoDB document, so payloads round-trip exactly whatever
/// their numbers (`#[serde(deserialize_with = "json_text")]`).
pub fn json_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<serde_json::Value, D::Error> {
    use serde::Deserialize;
    serde_json::from_str(&String::deserialize(d)?).map_err(serde::de::Error::custom)
}
