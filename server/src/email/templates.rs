//! E-mail templates: every sentence comes from `locales/` in the recipient's language; the HTML
//! part escapes every value and mirrors for right-to-left languages.

use app::i18n::{Lang, translate};
use fluent_bundle::FluentArgs;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Template {
    /// Confirms to a visitor that their contact-form message arrived.
    ContactAck,
}

impl Template {
    fn prefix(self) -> &'static str {
        match self {
            Template::ContactAck => "email-contact-ack",
        }
    }

    /// Fluent keys of the template: subject, then paragraphs.
    pub fn keys(self) -> Vec<String> {
        let p = self.prefix();
        vec![
            format!("{p}-subject"),
            format!("{p}-greeting"),
            format!("{p}-body"),
            "email-signature".into(),
            format!("{p}-footer"),
        ]
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub fn render(template: Template, lang: Lang, vars: &BTreeMap<String, String>) -> Rendered {
    let mut args = FluentArgs::new();
    for (k, v) in vars {
        args.set(k.as_str(), v.as_str());
    }
    let mut parts = template.keys().into_iter().map(|key| translate(lang, &key, Some(&args)));
    let subject = parts.next().unwrap_or_default();
    let paragraphs: Vec<String> = parts.collect();
    let text = paragraphs.join("\n\n");
    let body: String = paragraphs.iter().map(|p| format!("<p>{}</p>", escape(p))).collect();
    let html = format!(
        "<!DOCTYPE html><html lang=\"{lang}\" dir=\"{dir}\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body style=\"font-family:sans-serif;line-height:1.5;color:#14201a\">{body}</body></html>",
        lang = lang.code(),
        dir = lang.dir(),
        title = escape(&subject),
    );
    Rendered { subject, text, html }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_is_translated_in_every_language() {
        for lang in Lang::ALL {
            for key in Template::ContactAck.keys() {
                assert_ne!(translate(lang, &key, None), key, "{key} missing in {}", lang.code());
            }
        }
    }

    #[test]
    fn renders_in_the_recipients_language_and_escapes_values() {
        let vars = BTreeMap::from([("name".to_owned(), "<b>Ana</b>".to_owned())]);
        let r = render(Template::ContactAck, Lang::Ar, &vars);
        assert!(r.html.contains("dir=\"rtl\"") && r.html.contains("&lt;b&gt;Ana&lt;/b&gt;"));
        assert!(!r.html.contains("<b>Ana"));
        assert!(r.text.contains("<b>Ana</b>"), "plain text keeps the name as written");
        let es = render(Template::ContactAck, Lang::Es, &vars);
        assert_ne!(es.subject, r.subject);
    }
}
