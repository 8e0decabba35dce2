//! Phone numbers to E.164, the one form a contact is keyed by.
//!
//! The numbering plan comes from the `phonenumber` crate's copy of Google's libphonenumber
//! metadata; the parsing around it is ours, because the crate (0.3.x) differs from libphonenumber
//! in ways that would split or merge customers:
//! - its patterns only have to match the *beginning* of a number (whisperfish/rust-phonenumber#31),
//!   so a Spanish `wa_id` could pass as a Brazilian national number — we match whole numbers;
//! - it does not reliably apply Argentina's national-prefix transform (`0 11 15 …` → `9 11 …`) —
//!   we apply every region's `national_prefix_for_parsing` / transform rule as libphonenumber does;
//! - it reads no Eastern Arabic digits — we fold them (and full-width digits) to ASCII first.
//!
//! On top of libphonenumber we fold the forms WhatsApp itself writes for one subscriber: Brazil's
//! mobiles without the ninth digit, Mexico's old `521` mobile prefix. Numbers a spreadsheet turned
//! into scientific notation are refused, never guessed.

use phonenumber::metadata::{DATABASE, Metadata};
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Why a phone number was refused; `code()` is the translated message's key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhoneProblem {
    Empty,
    /// `4.91512E+11`: the digits a spreadsheet dropped cannot be recovered.
    Spreadsheet,
    /// Letters or symbols that are not part of any way of writing a number.
    Characters,
    /// A national number, and no default country to read it in.
    NeedsCountry,
    /// Not a number any numbering plan assigns (wrong length, unknown range or country code).
    Invalid,
}

impl PhoneProblem {
    pub fn code(self) -> &'static str {
        match self {
            PhoneProblem::Empty => "error-phone-empty",
            PhoneProblem::Spreadsheet => "error-phone-spreadsheet",
            PhoneProblem::Characters => "error-phone-characters",
            PhoneProblem::NeedsCountry => "error-phone-needs-country",
            PhoneProblem::Invalid => "error-phone-invalid",
        }
    }
}

/// A number in E.164 and the region it belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phone {
    /// `+` and digits, e.g. `+5511987654321`.
    pub e164: String,
    /// ISO 3166 region, e.g. `BR` (`001` for non-geographic numbers).
    pub region: String,
}

impl Phone {
    /// The WhatsApp id of the number: its digits without `+`.
    pub fn wa_id(&self) -> &str {
        &self.e164[1..]
    }
}

/// Reads `raw` as written by a person, a spreadsheet or Meta (`wa_id`), with `default_region`
/// (ISO 3166 alpha-2) for numbers written without a country code.
pub fn normalise(raw: &str, default_region: Option<&str>) -> Result<Phone, PhoneProblem> {
    let folded = fold_digits(raw.trim());
    let text = folded.trim().trim_start_matches("tel:");
    if text.is_empty() {
        return Err(PhoneProblem::Empty);
    }
    if looks_scientific(text) {
        return Err(PhoneProblem::Spreadsheet);
    }
    let (international, digits) = strip_punctuation(text)?;
    if digits.is_empty() {
        return Err(PhoneProblem::Empty);
    }
    let default = default_region.and_then(|r| DATABASE.by_id(r.to_ascii_uppercase().as_str()));
    if international {
        return from_international(&digits).ok_or(PhoneProblem::Invalid);
    }
    match default {
        // A national number in the default region; failing that, digits with their country code
        // and no `+` (how Meta writes a `wa_id`, and how many exports store numbers).
        Some(meta) => from_national(meta, &digits).or_else(|| from_international(&digits)).ok_or(PhoneProblem::Invalid),
        None => from_international(&digits).ok_or(PhoneProblem::NeedsCountry),
    }
}

/// Eastern Arabic (U+0660…), Persian (U+06F0…) and full-width (U+FF10…) digits to ASCII.
fn fold_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            '\u{FF10}'..='\u{FF19}' => char::from(b'0' + (c as u32 - 0xFF10) as u8),
            '\u{FF0B}' => '+',
            _ => c,
        })
        .collect()
}

/// `4.91512E+11`, `4,91512e11`, `491512E+3`.
fn looks_scientific(s: &str) -> bool {
    static SCIENTIFIC: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$").expect("valid pattern"));
    SCIENTIFIC.is_match(s)
}

/// Drops what people put between digits; `+` or `00` in front means a country code follows.
fn strip_punctuation(s: &str) -> Result<(bool, String), PhoneProblem> {
    let mut digits = String::with_capacity(s.len());
    let mut plus = false;
    for (i, c) in s.char_indices() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if digits.is_empty() && !plus => plus = true,
            ' '
            | '.'
            | '-'
            | '('
            | ')'
            | '/'
            | '\u{00A0}'
            | '\u{2007}'
            | '\u{202F}'
            | '\u{2010}'..='\u{2015}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{061C}' => {}
            _ if i == 0 && c == '\'' => {} // a spreadsheet's "keep as text" mark
            _ => return Err(PhoneProblem::Characters),
        }
    }
    if !plus && digits.starts_with("00") {
        return Ok((true, digits[2..].to_owned()));
    }
    Ok((plus, digits))
}

/// Digits starting with a country code.
fn from_international(digits: &str) -> Option<Phone> {
    // Country calling codes are prefix-free: at most one of the first 1–3 digits is one.
    let (code, national) = (1..=3.min(digits.len())).find_map(|n| {
        let code: u16 = digits[..n].parse().ok()?;
        DATABASE.by_code(&code).filter(|m| !m.is_empty()).map(|_| (code, &digits[n..]))
    })?;
    let regions = DATABASE.by_code(&code)?;
    // The region's national prefix rules apply to what follows the country code too
    // (`+54 11 15 …`), as in libphonenumber.
    let main = regions.iter().copied().find(|m| m.is_main_country_for_code()).unwrap_or(regions[0]);
    let national = strip_national_prefix(main, national);
    resolve(code, &national)
}

fn from_national(meta: &Metadata, digits: &str) -> Option<Phone> {
    let national = strip_national_prefix(meta, digits);
    resolve(meta.country_code(), &national)
}

/// libphonenumber's `maybeStripNationalPrefixAndCarrierCode`: removes a national (trunk) prefix
/// and carrier code, or rewrites them with the region's transform rule — unless the number only
/// fitted the plan before.
fn strip_national_prefix(meta: &Metadata, number: &str) -> String {
    // Absent, the pattern is the national prefix itself (libphonenumber's inheritance rule).
    let pattern = match (meta.national_prefix_for_parsing(), meta.national_prefix()) {
        (Some(pattern), _) => pattern.as_str(),
        (None, Some(prefix)) => prefix,
        (None, None) => return number.to_owned(),
    };
    let rule = meta.national_prefix_transform_rule();
    let stripped = with_regex(pattern, Anchor::Start, |re| {
        let caps = re?.captures(number)?;
        let whole = caps.get(0).expect("group 0");
        let last_group = (1..caps.len()).rev().find_map(|i| caps.get(i));
        Some(match (rule, last_group) {
            (Some(rule), Some(_)) => {
                let mut out = String::new();
                caps.expand(rule, &mut out);
                out + &number[whole.end()..]
            }
            _ => number[whole.end()..].to_owned(),
        })
    });
    let Some(candidate) = stripped else { return number.to_owned() };
    let fits_before = matches_general(meta, number);
    if candidate == number || (fits_before && !matches_general(meta, &candidate)) {
        return number.to_owned();
    }
    candidate
}

/// The phone for `national` under `code`, after folding WhatsApp's older forms, if a region of
/// that code assigns it in full.
fn resolve(code: u16, national: &str) -> Option<Phone> {
    let national = fold_whatsapp_forms(code, national);
    let regions = DATABASE.by_code(&code)?;
    let region = regions.into_iter().find(|meta| is_assigned(meta, &national))?;
    Some(Phone { e164: format!("+{code}{national}"), region: region.id().to_owned() })
}

/// One subscriber, one key: Brazil's mobiles gained a ninth digit (older WhatsApp ids lack it),
/// Mexico's mobiles lost the `1` after the country code in 2019 (older ids keep it).
fn fold_whatsapp_forms(code: u16, national: &str) -> String {
    let b = national.as_bytes();
    match code {
        // Area code (2 digits) + 8-digit subscriber starting 6–9: a mobile without its 9.
        55 if b.len() == 10 && (b'6'..=b'9').contains(&b[2]) => format!("{}9{}", &national[..2], &national[2..]),
        52 if b.len() == 11 && b[0] == b'1' => national[1..].to_owned(),
        _ => national.to_owned(),
    }
}

/// Whether the region's plan assigns `national` in full (not just a prefix of it) to a kind of
/// line: fixed, mobile, toll-free and so on.
fn is_assigned(meta: &Metadata, national: &str) -> bool {
    let d = meta.descriptors();
    matches_general(meta, national)
        && [
            d.fixed_line(),
            d.mobile(),
            d.toll_free(),
            d.premium_rate(),
            d.shared_cost(),
            d.personal_number(),
            d.voip(),
            d.pager(),
            d.uan(),
            d.voicemail(),
        ]
        .into_iter()
        .flatten()
        .any(|desc| full_match(desc, national))
}

fn matches_general(meta: &Metadata, national: &str) -> bool {
    full_match(meta.descriptors().general(), national)
}

fn full_match(desc: &phonenumber::metadata::Descriptor, value: &str) -> bool {
    let lengths = desc.possible_length();
    if !lengths.is_empty() && !lengths.contains(&(value.len() as u16)) {
        return false;
    }
    whole_match(desc.national_number().as_str(), value)
}

/// Whether `pattern` matches the whole of `value`.
fn whole_match(pattern: &str, value: &str) -> bool {
    with_regex(pattern, Anchor::Whole, |re| re.is_some_and(|re| re.is_match(value)))
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Anchor {
    /// `^(?:pattern)$`
    Whole,
    /// `^(?:pattern)`
    Start,
}

/// Runs `f` with `pattern` compiled under `anchor`, compiling each pattern once per thread. The
/// metadata's patterns live as long as the program, so their address is their key (no hashing of
/// the text on every lookup — an import asks tens of these per row); their line breaks and
/// indentation are layout, not part of the pattern.
fn with_regex<T>(pattern: &str, anchor: Anchor, f: impl FnOnce(Option<&Regex>) -> T) -> T {
    thread_local! {
        static CACHE: std::cell::RefCell<HashMap<(usize, usize, Anchor), Option<Regex>>> = Default::default();
    }
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        let re = cache.entry((pattern.as_ptr() as usize, pattern.len(), anchor)).or_insert_with(|| {
            let compact: String = pattern.split_whitespace().collect();
            let source = match anchor {
                Anchor::Whole => format!("^(?:{compact})$"),
                Anchor::Start => format!("^(?:{compact})"),
            };
            Regex::new(&source).ok()
        });
        f(re.as_ref())
    })
}

#[cfg(test)]
mod tests;
