//! WhatsApp message templates as the page and the server both read them: the parts a person sees,
//! the body's `{{1}}`, `{{2}}`… placeholders, and the checks Meta applies to their values (so a
//! refusal such as 132000 never reaches Meta because of us).

use serde::{Deserialize, Serialize};

/// Longest value of one parameter we accept.
pub const PARAM_MAX: usize = 1024;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateView {
    pub name: String,
    /// e.g. `es_MX`.
    pub language: String,
    /// MARKETING, UTILITY or AUTHENTICATION.
    pub category: String,
    /// APPROVED, PENDING, REJECTED, PAUSED…
    pub status: String,
    pub header: Option<String>,
    pub body: String,
    pub footer: Option<String>,
    pub buttons: Vec<String>,
}

impl TemplateView {
    pub fn approved(&self) -> bool {
        self.status == "APPROVED"
    }

    /// How many values the body takes: its highest `{{n}}`.
    pub fn params(&self) -> usize {
        placeholders(&self.body)
    }

    /// The body with `values` in place of `{{1}}`, `{{2}}`… (missing ones left as they are).
    pub fn fill(&self, values: &[String]) -> String {
        fill(&self.body, values)
    }

    /// Meta's rules for the values: one per placeholder, none empty, no new lines or tabs, no more
    /// than four spaces in a row. The error code says which.
    pub fn check(&self, values: &[String]) -> Result<(), &'static str> {
        if !self.approved() {
            return Err("error-template-not-approved");
        }
        if values.len() != self.params() {
            return Err("error-template-params");
        }
        for value in values {
            if value.trim().is_empty() {
                return Err("error-template-param-empty");
            }
            if value.chars().count() > PARAM_MAX || value.contains(['\n', '\r', '\t']) || value.contains("    ") {
                return Err("error-template-param-format");
            }
        }
        Ok(())
    }
}

/// The highest `{{n}}` in `text`.
pub fn placeholders(text: &str) -> usize {
    let mut highest = 0;
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        rest = &rest[start + 2..];
        if let Some(end) = rest.find("}}") {
            if let Ok(n) = rest[..end].trim().parse::<usize>() {
                highest = highest.max(n);
            }
            rest = &rest[end + 2..];
        }
    }
    highest
}

pub fn fill(text: &str, values: &[String]) -> String {
    let mut out = text.to_owned();
    for (i, value) in values.iter().enumerate() {
        out = out.replace(&format!("{{{{{}}}}}", i + 1), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(body: &str) -> TemplateView {
        TemplateView { name: "t".into(), status: "APPROVED".into(), body: body.into(), ..Default::default() }
    }

    #[test]
    fn values_fill_the_placeholders_in_order() {
        let t = template("Hola {{1}}, tu pedido {{2}} llega {{2}}.");
        assert_eq!(t.params(), 2);
        assert_eq!(t.fill(&["Ana".into(), "#42".into()]), "Hola Ana, tu pedido #42 llega #42.");
        assert_eq!(template("Sin variables").params(), 0);
        assert_eq!(template("{{ 3 }} y {{1}}").params(), 3);
    }

    #[test]
    fn metas_rules_for_values_are_checked_before_sending() {
        let t = template("Hola {{1}}, tu código es {{2}}");
        let ok = ["Ana".to_owned(), "X1".to_owned()];
        assert_eq!(t.check(&ok), Ok(()));
        assert_eq!(t.check(&ok[..1]), Err("error-template-params"));
        assert_eq!(t.check(&["Ana".into(), " ".into()]), Err("error-template-param-empty"));
        assert_eq!(t.check(&["Ana\nPérez".into(), "X1".into()]), Err("error-template-param-format"));
        assert_eq!(t.check(&["Ana     Pérez".into(), "X1".into()]), Err("error-template-param-format"));
        assert_eq!(t.check(&["A".repeat(PARAM_MAX + 1), "X1".into()]), Err("error-template-param-format"));
        let pending = TemplateView { status: "PENDING".into(), ..t };
        assert_eq!(pending.check(&ok), Err("error-template-not-approved"));
    }
}
