//! A proposal in plain words. Claude writes it from an anonymised summary — campaigns as letters,
//! numbers, the rails and the decision record; never a campaign's or account's name, an id, ad
//! text or anything a customer wrote — and its answer is shown only if every number in it is one
//! the summary states. Otherwise (no key, Claude unavailable, an empty, overlong or unfaithful
//! answer) the explanation is built from the same record, labelled as such.

use crate::integrations::anthropic::AnthropicClient;
use app::budgets::model::{Explanation, Proposal, ProposalRow};
use app::campaigns::money;
use app::i18n::{Lang, translate_with};

/// The longest answer kept (characters); Claude is asked for about 120 words.
const MAX_CHARS: usize = 1600;
const MAX_TOKENS: u32 = 400;

/// "Campaign A", "Campaign B", … "Campaign Z", "Campaign AA", …
pub fn alias(index: usize) -> String {
    let letters = |mut n: usize| {
        let mut s = Vec::new();
        loop {
            s.push((b'A' + (n % 26) as u8) as char);
            if n < 26 {
                break;
            }
            n = n / 26 - 1;
        }
        s.iter().rev().collect::<String>()
    };
    format!("Campaign {}", letters(index))
}

fn plain_ratio(v: f64) -> String {
    format!("{v:.2}")
}

fn pct(v: f64) -> String {
    format!("{:.0}", v * 100.0)
}

fn change_pct(row: &ProposalRow) -> String {
    if row.budget_before == 0 {
        return "0".into();
    }
    let c = (row.budget_after - row.budget_before) as f64 * 100.0 / row.budget_before as f64;
    format!("{c:+.0}")
}

fn rail(bound: &str) -> &'static str {
    match bound {
        "floor" => "at the floor",
        "cap" => "at the cap",
        "max_increase" => "at the largest increase allowed today",
        "max_decrease" => "at the largest decrease allowed today",
        "thin" => "kept as it is: not enough data yet",
        "manual" => "set by hand by an admin",
        _ => "inside the rails",
    }
}

/// What Claude is told: numbers and letters only (the caller's test reads it back exactly).
pub fn summary(p: &Proposal) -> String {
    let c = p.currency.as_str();
    let m = |v: i64| money::plain(v, c);
    let mut out = format!(
        "Currency: {c}. Daily budget shared by {} campaigns: {}. Rails: each campaign's budget may change by at most {} % a day.\n",
        p.rows.len(),
        m(p.budget),
        p.max_change_pct
    );
    for (i, r) in p.rows.iter().enumerate() {
        out.push_str(&format!(
            "{}: budget {} -> {} ({} %), {}; ROAS {} (90 % interval {} to {}); probability of being the best {} %; {} days observed, spend {}.\n",
            alias(i),
            m(r.budget_before),
            m(r.budget_after),
            change_pct(r),
            rail(&r.bound_by),
            plain_ratio(r.roas),
            plain_ratio(r.roas_low),
            plain_ratio(r.roas_high),
            pct(r.p_best),
            r.days_observed,
            m(r.spend_observed),
        ));
    }
    let signed = |share: Option<f64>| share.map(|u| format!("{:+.1}", u * 100.0)).unwrap_or_else(|| "0".into());
    out.push_str(&format!(
        "Expected revenue per day: {} with this split, {} keeping today's budgets ({} %), {} with an equal split ({} %), which the daily change limit may not allow yet.",
        m(p.expected_revenue),
        m(p.expected_unchanged),
        signed(p.gain()),
        m(p.expected_equal_split),
        signed(p.uplift())
    ));
    out
}

fn language(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "English",
        Lang::Es => "Spanish",
        Lang::Ar => "Arabic",
    }
}

pub fn system_prompt(lang: Lang) -> String {
    format!(
        "You explain an advertising budget decision to a small business owner, in {}. In at most 120 words \
         and plain sentences, say where the money moves and why, and what is uncertain. Refer to campaigns \
         exactly as they are named (Campaign A, Campaign B…). Use only numbers that appear in the summary, \
         written the same way; never calculate, round or invent one. No headings, lists or markdown.",
        language(lang)
    )
}

/// Every number `text` states, read in each way its separators allow (`1,200.50`, `1.200,50`,
/// Arabic-Indic digits).
fn numbers(text: &str) -> Vec<Vec<f64>> {
    let western = money::western_digits(text);
    let mut found = Vec::new();
    let mut token = String::new();
    for ch in western.chars().chain(std::iter::once(' ')) {
        if ch.is_ascii_digit() || (!token.is_empty() && matches!(ch, '.' | ',' | '٫' | '٬')) {
            token.push(ch);
            continue;
        }
        let t = token.trim_end_matches(['.', ',', '٫', '٬']).to_owned();
        token.clear();
        if t.is_empty() {
            continue;
        }
        let t = t.replace('٫', ".").replace('٬', ",");
        let readings = [t.replace(',', ""), t.replace('.', "").replace(',', "."), t.replace(['.', ','], "")];
        found.push(readings.iter().filter_map(|r| r.parse::<f64>().ok()).collect());
    }
    found
}

/// Whether every number in `answer` is one `summary` states.
pub fn faithful(answer: &str, summary: &str) -> bool {
    let allowed: Vec<f64> = numbers(summary).into_iter().flatten().collect();
    let known = |v: f64| allowed.iter().any(|a| (a - v).abs() <= 1e-9 * a.abs().max(1.0));
    numbers(answer).iter().all(|readings| readings.iter().any(|v| known(*v)))
}

/// Asks Claude; `None` when its answer cannot be shown (the reason is logged).
pub async fn by_claude(client: &AnthropicClient, p: &Proposal, lang: Lang) -> Option<String> {
    let summary = summary(p);
    match client.complete(&system_prompt(lang), &summary, MAX_TOKENS).await {
        Ok(text) => {
            let text = text.trim().to_owned();
            if text.chars().count() > MAX_CHARS {
                tracing::warn!(chars = text.chars().count(), "Claude's explanation is too long; using the record's");
                None
            } else if !faithful(&text, &summary) {
                tracing::warn!("Claude's explanation states a number the decision does not; using the record's");
                None
            } else {
                Some(text)
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, "Claude did not explain the proposal; using the record's");
            None
        }
    }
}

/// The explanation built from the record, in the page's language.
pub fn by_rules(p: &Proposal, lang: Lang) -> Explanation {
    let c = p.currency.as_str();
    let t = |key: &str, args: &[(&str, String)]| translate_with(lang, key, args);
    let mut moved: Vec<(usize, &ProposalRow)> =
        p.rows.iter().enumerate().filter(|(_, r)| r.budget_after != r.budget_before).collect();
    moved.sort_by_key(|(_, r)| std::cmp::Reverse((r.budget_after - r.budget_before).abs()));
    let mut parts = Vec::new();
    for (_, r) in moved.iter().take(4) {
        let key = if r.budget_after > r.budget_before { "budget-explain-up" } else { "budget-explain-down" };
        parts.push(t(
            key,
            &[
                ("campaign", r.name.clone()),
                ("before", money::money(r.budget_before, c, lang)),
                ("after", money::money(r.budget_after, c, lang)),
                ("roas", money::ratio(r.roas, 2, lang)),
                ("low", money::ratio(r.roas_low, 2, lang)),
                ("high", money::ratio(r.roas_high, 2, lang)),
                ("best", money::ratio(r.p_best * 100.0, 0, lang)),
            ],
        ));
    }
    if moved.is_empty() {
        parts.push(t("budget-explain-steady", &[]));
    }
    let held = p.rows.iter().filter(|r| r.bound_by == "thin").count();
    if held > 0 {
        parts.push(t("budget-explain-thin", &[("count", money::count(held as i64, lang))]));
    }
    parts.push(t(
        "budget-explain-expected",
        &[
            ("expected", money::money(p.expected_revenue, c, lang)),
            ("unchanged", money::money(p.expected_unchanged, c, lang)),
            ("equal", money::money(p.expected_equal_split, c, lang)),
        ],
    ));
    Explanation { text: parts.join(" "), source: "rules".into(), lang: lang.code().into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proposal() -> Proposal {
        let row = |id: &str, name: &str, before, after, roas, best, bound: &str| ProposalRow {
            id: id.into(),
            name: name.into(),
            level: "campaign".into(),
            budget_before: before,
            budget_after: after,
            roas,
            roas_low: roas - 0.4,
            roas_high: roas + 0.5,
            p_best: best,
            days_observed: 60,
            spend_observed: before * 60,
            bound_by: bound.into(),
            curve: Vec::new(),
        };
        Proposal {
            id: "d1".into(),
            day: "2026-11-28".into(),
            currency: "MXN".into(),
            budget: 300_000,
            max_change_pct: 20,
            rows: vec![
                row("120330000000001", "Rebajas Navidad — Ñ", 100_000, 120_000, 3.1, 0.72, "max_increase"),
                row("120330000000002", "Retargeting", 100_000, 85_000, 1.4, 0.03, "none"),
                row("120330000000003", "Nueva colección", 100_000, 95_000, 2.2, 0.25, "thin"),
            ],
            expected_revenue: 740_000,
            expected_equal_split: 700_000,
            expected_unchanged: 720_000,
            ..Default::default()
        }
    }

    #[test]
    fn the_summary_names_no_campaign_and_no_id() {
        let s = summary(&proposal());
        assert!(s.contains("Campaign A: budget 1000.00 -> 1200.00 (+20 %), at the largest increase allowed today"));
        assert!(s.contains("Campaign C") && s.contains("not enough data yet"));
        assert!(s.contains("7400.00 with this split, 7200.00 keeping today's budgets (+2.8 %), 7000.00 with an equal split (+5.7 %)"), "{s}");
        for secret in ["Rebajas", "Retargeting", "colección", "1203300000000", "d1", "2026"] {
            assert!(!s.contains(secret), "{secret} leaked: {s}");
        }
        assert_eq!(alias(25), "Campaign Z");
        assert_eq!(alias(26), "Campaign AA");
    }

    #[test]
    fn an_answer_is_faithful_only_when_each_of_its_numbers_is_in_the_summary() {
        let s = summary(&proposal());
        assert!(faithful("Campaign A rises from 1000.00 to 1200.00 MXN (+20 %): ROAS 3.10.", &s));
        assert!(faithful("La campaña A sube de 1.000,00 a 1.200,00 MXN, un 20 %.", &s), "Spanish separators");
        assert!(faithful("الحملة A ترتفع إلى ١٢٠٠٫٠٠ MXN.", &s), "Arabic-Indic digits");
        assert!(!faithful("Campaign A rises by 200.00 MXN.", &s), "a difference Claude worked out");
        assert!(!faithful("Campaign A should earn 3.5 times its spend.", &s), "an invented figure");
    }

    #[test]
    fn the_rules_explanation_states_the_records_numbers_in_the_pages_language() {
        let en = by_rules(&proposal(), Lang::En);
        assert_eq!(en.source, "rules");
        assert!(en.text.contains("Rebajas Navidad — Ñ") && en.text.contains("1,200.00 MXN"), "{}", en.text);
        let ar = by_rules(&proposal(), Lang::Ar);
        assert!(ar.text.contains("١٬٢٠٠٫٠٠"), "{}", ar.text);
    }
}
