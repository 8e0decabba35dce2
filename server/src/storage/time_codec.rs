//! Times in storage: UTC Unix milliseconds, the precision every adapter keeps exactly.

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
