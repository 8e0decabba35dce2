//! Text checks shared by every form: one line of text, and a plausible e-mail address.

const EMAIL_MAX: usize = 254;

/// Trims and collapses control characters (a name is one line of text).
pub fn clean_line(raw: &str) -> String {
    raw.trim().chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// A deliberately simple check (one `@`, a dotted domain, no spaces): the real proof that an
/// address works is that our reply arrives.
pub fn is_plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    email.len() <= EMAIL_MAX
        && !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// `None` for an empty string. A view must not render an empty text node: the server writes
/// nothing for it, the browser's DOM then has no node there, and hydration fails to find it.
pub fn non_empty(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

/// At most `max` characters of `text`, with an ellipsis when cut (never inside a character).
pub fn truncate_chars(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_owned(),
        Some((cut, _)) => format!("{}…", &text[..cut]),
    }
}

/// The calendar date (`YYYY-MM-DD`) of a Unix time in seconds, in UTC (Howard Hinnant's
/// civil_from_days).
pub fn civil_date(secs: i64) -> String {
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// "2026-11-26 21:15 UTC" from Unix seconds (proleptic Gregorian; no time zone data needed).
pub fn utc_timestamp(secs: i64) -> String {
    let rem = secs.rem_euclid(86_400);
    format!("{} {:02}:{:02} UTC", civil_date(secs), rem / 3600, rem % 3600 / 60)
}

/// The entries of an HTTP list with weights (`Accept-Language`, `Accept-Encoding`; RFC 9110 §12.4.2),
/// in order: `"br;q=0.5, gzip"` → `("br", 0.5)`, `("gzip", 1.0)`. A missing or unreadable weight
/// counts as 1.
pub fn weighted(header: &str) -> impl Iterator<Item = (&str, f32)> {
    header.split(',').map(|part| {
        let mut pieces = part.trim().split(';');
        let name = pieces.next().unwrap_or("").trim();
        let q = pieces.find_map(|p| p.trim().strip_prefix("q=")).and_then(|q| q.trim().parse::<f32>().ok());
        (name, q.unwrap_or(1.0))
    })
}

/// `text` for a URL's query: every byte but ASCII letters and digits percent-encoded.
pub fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}
