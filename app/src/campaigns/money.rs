//! Amounts and counts as people read them: money kept in the currency's minor units (ISO 4217:
//! JPY has none, KWD three), written with the page language's digits and separators — Arabic
//! with Arabic-Indic digits, `٬` and `٫`. Shared by the server's charts and the browser.

use crate::i18n::Lang;

/// Digits after the decimal point in ISO 4217 (0 for JPY, 3 for KWD, else 2).
pub fn exponent(currency: &str) -> u32 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX" | "UYI" | "VND"
        | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// `minor` units of `currency`, e.g. `1.234,50 MXN` in Spanish.
pub fn money(minor: i64, currency: &str, lang: Lang) -> String {
    format!("{} {currency}", decimal(minor, exponent(currency), lang))
}

/// Money without its fraction (chart axes, big totals).
pub fn money_whole(minor: i64, currency: &str, lang: Lang) -> String {
    let whole = minor / 10i64.pow(exponent(currency));
    format!("{} {currency}", decimal(whole, 0, lang))
}

/// `minor` units as a plain decimal in major units, for files and form fields: `1234.56` (no
/// grouping, a decimal point, Western digits, whatever the language).
pub fn plain(minor: i64, currency: &str) -> String {
    decimal(minor, exponent(currency), Lang::En).replace(',', "")
}

/// A count with grouping: `12,345`.
pub fn count(n: i64, lang: Lang) -> String {
    decimal(n, 0, lang)
}

/// `value` with `places` decimals (ratios: ROAS 3.25, CTR 1.80 %).
pub fn ratio(value: f64, places: u32, lang: Lang) -> String {
    if !value.is_finite() {
        return "—".into();
    }
    let scaled = (value * 10f64.powi(places as i32)).round() as i64;
    decimal(scaled, places, lang)
}

/// `units` / 10^`places`, grouped by thousands, in `lang`'s digits.
pub fn decimal(units: i64, places: u32, lang: Lang) -> String {
    let (group, point) = match lang {
        Lang::En => (',', '.'),
        Lang::Es => ('.', ','),
        Lang::Ar => ('٬', '٫'),
    };
    let negative = units < 0;
    let digits = units.unsigned_abs().to_string();
    let places = places as usize;
    let digits =
        if digits.len() <= places { format!("{}{digits}", "0".repeat(places + 1 - digits.len())) } else { digits };
    let (int, frac) = digits.split_at(digits.len() - places);
    let mut out = String::with_capacity(digits.len() + 8);
    if negative {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(point);
        out.push_str(frac);
    }
    if lang == Lang::Ar { arabic_digits(&out) } else { out }
}

/// Western digits as Arabic-Indic ones (٠١٢٣٤٥٦٧٨٩).
pub fn arabic_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(0x0660 + (c as u32 - '0' as u32)).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Arabic-Indic digits as Western ones (what [`arabic_digits`] undoes).
pub fn western_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{0660}'..='\u{0669}' => char::from_u32('0' as u32 + (c as u32 - 0x0660)).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// A day (`YYYY-MM-DD`) as `27 Nov`, in `lang` (Arabic digits and month names for Arabic).
pub fn short_day(day: &str, lang: Lang) -> String {
    const EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    const ES: [&str; 12] = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"];
    const AR: [&str; 12] =
        ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"];
    let mut parts = day.split('-').skip(1);
    let (Some(month), Some(dom)) = (parts.next().and_then(|m| m.parse::<usize>().ok()), parts.next()) else {
        return day.to_owned();
    };
    let Some(index) = month.checked_sub(1).filter(|m| *m < 12) else { return day.to_owned() };
    let dom = dom.trim_start_matches('0');
    match lang {
        Lang::En => format!("{} {dom}", EN[index]),
        Lang::Es => format!("{dom} {}", ES[index]),
        Lang::Ar => format!("{} {}", arabic_digits(dom), AR[index]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_written_with_the_currencys_decimals_and_the_languages_separators() {
        assert_eq!(money(123_456_789, "USD", Lang::En), "1,234,567.89 USD");
        assert_eq!(money(123_450, "MXN", Lang::Es), "1.234,50 MXN");
        assert_eq!(money(5_000, "JPY", Lang::En), "5,000 JPY");
        assert_eq!(money(1_234, "KWD", Lang::En), "1.234 KWD");
        assert_eq!(money(7, "USD", Lang::En), "0.07 USD");
        assert_eq!(money(-150, "EUR", Lang::Es), "-1,50 EUR");
        assert_eq!(money(123_450, "AED", Lang::Ar), "١٬٢٣٤٫٥٠ AED");
        assert_eq!(money_whole(123_499, "USD", Lang::En), "1,234 USD");
    }

    #[test]
    fn amounts_are_written_in_major_units_with_the_currencys_decimals() {
        assert_eq!(plain(123_456, "USD"), "1234.56");
        assert_eq!(plain(5, "USD"), "0.05");
        assert_eq!(plain(5_000, "JPY"), "5000");
        assert_eq!(plain(1_234, "KWD"), "1.234");
        assert_eq!(plain(-150, "EUR"), "-1.50");
    }

    #[test]
    fn counts_ratios_and_days_follow_the_language() {
        assert_eq!(count(1_234_567, Lang::En), "1,234,567");
        assert_eq!(count(999, Lang::Es), "999");
        assert_eq!(ratio(3.256, 2, Lang::En), "3.26");
        assert_eq!(ratio(3.256, 2, Lang::Ar), "٣٫٢٦");
        assert_eq!(ratio(f64::NAN, 2, Lang::En), "—");
        assert_eq!(short_day("2026-11-07", Lang::En), "Nov 7");
        assert_eq!(short_day("2026-11-07", Lang::Es), "7 nov");
        assert_eq!(short_day("2026-11-27", Lang::Ar), "٢٧ نوفمبر");
        assert_eq!(short_day("not a day", Lang::En), "not a day");
    }
}
