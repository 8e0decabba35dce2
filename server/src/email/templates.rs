//! E-mail templates: every sentence comes from `locales/` in the recipient's language; the HTML
//! part escapes every value and mirrors for right-to-left languages.

use app::i18n::{Lang, translate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Template {
    /// Confirms to a visitor that their contact-form message arrived.
    ContactAck,
    /// A link to choose a new password (vars: name, link).
    PasswordReset,
    /// Tells the owner of an account that its password changed (vars: name).
    PasswordChanged,
    /// Invites someone to an organisation (vars: inviter, org, link).
    Invitation,
    /// Confirms a new sign-up's address (vars: name, link).
    ConfirmEmail,
    /// Answers a sign-up for an address that already has an account (vars: name, link).
    AccountExists,
    /// An import ended (vars: name, file, status, created, updated, unchanged, rejected, link).
    ImportDone,
    /// A sign-in link for an account under attack, signing in from a new place (vars: name, link).
    SignInLink,
    /// The budget optimiser's automatic mode paused itself (vars: name, reason, link).
    OptimiserPaused,
}

impl Template {
    pub const ALL: [Template; 9] = [
        Template::ContactAck,
        Template::PasswordReset,
        Template::PasswordChanged,
        Template::Invitation,
        Template::ConfirmEmail,
        Template::AccountExists,
        Template::SignInLink,
        Template::ImportDone,
        Template::OptimiserPaused,
    ];

    fn prefix(self) -> &'static str {
        match self {
            Template::ContactAck => "email-contact-ack",
            Template::PasswordReset => "email-reset",
            Template::PasswordChanged => "email-changed",
            Template::Invitation => "email-invite",
            Template::ConfirmEmail => "email-confirm",
            Template::AccountExists => "email-exists",
            Template::SignInLink => "email-signin",
            Template::ImportDone => "email-import",
            Template::OptimiserPaused => "email-optimiser-paused",
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

    /// A call to action: the label's key and the variable holding its URL.
    fn action(self) -> Option<(&'static str, &'static str)> {
        match self {
            Template::PasswordReset => Some(("email-reset-action", "link")),
            Template::Invitation => Some(("email-invite-action", "link")),
            Template::ConfirmEmail => Some(("email-confirm-action", "link")),
            Template::AccountExists => Some(("email-exists-action", "link")),
            Template::SignInLink => Some(("email-signin-action", "link")),
            Template::ImportDone => Some(("email-import-action", "link")),
            Template::OptimiserPaused => Some(("email-optimiser-paused-action", "link")),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub fn render(template: Template, lang: Lang, vars: &BTreeMap<String, String>) -> Rendered {
    let args: Vec<(&str, String)> = vars.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    let mut parts = template.keys().into_iter().map(|key| translate(lang, &key, Some(&args)));
    let subject = parts.next().unwrap_or_default();
    let mut paragraphs: Vec<String> = parts.collect();
    let mut html_paragraphs: Vec<String> = paragraphs.iter().map(|p| format!("<p>{}</p>", escape(p))).collect();
    if let Some((label, var)) = template.action()
        && let Some(url) = vars.get(var)
    {
        // Right after the body paragraph: a link in HTML, the bare URL in the text part.
        let label = translate(lang, label, None);
        html_paragraphs.insert(2, format!("<p><a href=\"{}\">{}</a></p>", escape(url), escape(&label)));
        paragraphs.insert(2, format!("{label}: {url}"));
    }
    let body = html_paragraphs.concat();
    let text = paragraphs.join("\n\n");
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
            for key in Template::ALL.iter().flat_map(|t| t.keys()).chain(
                [
                    "email-reset-action",
                    "email-invite-action",
                    "email-confirm-action",
                    "email-exists-action",
                    "email-signin-action",
                    "email-import-action",
                ]
                .map(String::from),
            ) {
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

#[cfg(test)]
mod action_tests {
    use super::*;

    #[test]
    fn a_reset_email_carries_its_link_in_both_parts() {
        let vars = BTreeMap::from([
            ("name".to_owned(), "Ana".to_owned()),
            ("link".to_owned(), "https://app.example.com/reset-password?token=abc&x=1".to_owned()),
        ]);
        let r = render(Template::PasswordReset, Lang::En, &vars);
        assert!(r.text.contains("https://app.example.com/reset-password?token=abc&x=1"));
        assert_eq!(r.html.matches("href=\"https://app.example.com/reset-password?token=abc&amp;x=1\"").count(), 1);
        assert_eq!(r.text.matches("https://app.example.com/reset-password").count(), 1);
    }
}
