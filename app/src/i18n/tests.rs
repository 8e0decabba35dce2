//! Language negotiation and lookup, and translation completeness: every language has exactly the keys English has, every file parses,
//! and every key the code refers to exists.

use super::*;
use fluent_syntax::ast::Entry;
use std::collections::BTreeSet;

fn message_ids(lang: Lang, source: &str) -> BTreeSet<String> {
    let resource = fluent_syntax::parser::parse(source)
        .unwrap_or_else(|(_, errors)| panic!("locales/{}/main.ftl does not parse: {errors:?}", lang.code()));
    resource
        .body
        .iter()
        .filter_map(|entry| match entry {
            Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

#[test]
fn every_language_has_every_key() {
    let english = message_ids(Lang::En, SOURCES[0]);
    assert!(english.len() > 100, "suspiciously few keys: {}", english.len());
    for lang in [Lang::Es, Lang::Ar] {
        let ids = message_ids(lang, SOURCES[lang as usize]);
        let missing: Vec<_> = english.difference(&ids).collect();
        let extra: Vec<_> = ids.difference(&english).collect();
        assert!(missing.is_empty() && extra.is_empty(), "{}: missing {missing:?}, extra {extra:?}", lang.code());
    }
}

#[test]
fn no_translation_is_a_copy_of_the_english_text_by_accident() {
    // Brand names and e-mail addresses legitimately stay the same; sentences must not.
    let same: Vec<_> = message_ids(Lang::En, SOURCES[0])
        .into_iter()
        .filter(|k| !["site-name"].contains(&k.as_str()))
        .filter(|k| {
            let en = crate::i18n::translate(Lang::En, k, None);
            en.split_whitespace().count() > 3
                && [Lang::Es, Lang::Ar].iter().any(|l| crate::i18n::translate(*l, k, None) == en)
        })
        .collect();
    assert!(same.is_empty(), "untranslated: {same:?}");
}

/// String literals that follow a translation call in the source code.
fn keys_used_in_code() -> BTreeSet<String> {
    const CALLS: [&str; 5] = ["t(\"", ".t(\"", "title=\"", "description=\"", "invalid(\""];
    let mut keys = BTreeSet::new();
    let mut dirs = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") || path.ends_with("translations_test.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for call in &CALLS {
                for (i, _) in text.match_indices(call) {
                    // `t("` must be a call of `t`, not the end of `get("`.
                    let before = text[..i].chars().next_back().unwrap_or(' ');
                    if *call == "t(\"" && (before.is_alphanumeric() || before == '_' || before == '.') {
                        continue;
                    }
                    let rest = &text[i + call.len()..];
                    let key = &rest[..rest.find('"').unwrap()];
                    if key.contains('-')
                        && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    {
                        keys.insert(key.to_owned());
                    }
                }
            }
        }
    }
    keys
}

#[test]
fn every_key_used_by_the_code_exists() {
    let english = message_ids(Lang::En, SOURCES[0]);
    let mut used = keys_used_in_code();
    assert!(used.contains("hero-title") && used.contains("error-contact-email"), "scanner broke: {used:?}");
    used.extend(crate::pages::legal_keys());
    used.extend(crate::pages::landing_keys());
    used.extend([crate::error::AppError::INTERNAL.to_owned(), crate::error::AppError::BAD_REQUEST.to_owned()]);
    let missing: Vec<_> = used.difference(&english).collect();
    assert!(missing.is_empty(), "keys used but not defined: {missing:?}");
}

#[test]
fn negotiates_by_quality_then_order() {
    assert_eq!(Lang::negotiate("es-MX,es;q=0.9,en;q=0.8"), Lang::Es);
    assert_eq!(Lang::negotiate("fr-FR, ar;q=0.5, en;q=0.4"), Lang::Ar);
    assert_eq!(Lang::negotiate("en;q=0.2, es;q=0.9"), Lang::Es);
    assert_eq!(Lang::negotiate("de, fr"), Lang::En);
    assert_eq!(Lang::negotiate("es;q=0"), Lang::En);
    assert_eq!(Lang::negotiate(""), Lang::En);
}

#[test]
fn paths_carry_and_lose_prefixes() {
    assert_eq!(Lang::from_path("/es/privacy"), Some(Lang::Es));
    assert_eq!(Lang::from_path("/ar"), Some(Lang::Ar));
    assert_eq!(Lang::from_path("/privacy"), None);
    assert_eq!(Lang::from_path("/estate"), None);
    assert_eq!(strip_lang_prefix("/es/privacy"), "/privacy");
    assert_eq!(strip_lang_prefix("/es"), "/");
    assert_eq!(localized_path(Lang::Ar, "/es/terms"), "/ar/terms");
    assert_eq!(localized_path(Lang::En, "/"), "/en");
}

#[test]
fn translates_and_falls_back_visibly() {
    assert_eq!(translate(Lang::Es, "nav-features", None), "Funciones");
    assert_eq!(translate(Lang::Ar, "no-such-key", None), "no-such-key");
}
