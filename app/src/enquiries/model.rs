//! An enquiry sent from the public contact form, parsed from raw form fields ("parse, don't validate").

use crate::error::AppError;
use crate::i18n::Lang;
use crate::text::{clean_line, is_plausible_email};
use serde::{Deserialize, Serialize};

pub const NAME_MAX: usize = 100;
pub const COMPANY_MAX: usize = 120;
pub const MESSAGE_MIN: usize = 10;
pub const MESSAGE_MAX: usize = 5000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enquiry {
    pub name: String,
    pub email: String,
    pub company: Option<String>,
    pub message: String,
    pub lang: Lang,
}

impl Enquiry {
    /// Checks every field and returns the first problem as a translatable error code.
    pub fn parse(name: &str, email: &str, company: &str, message: &str, lang: &str) -> Result<Self, AppError> {
        let name = clean_line(name);
        if name.is_empty() || name.chars().count() > NAME_MAX {
            return Err(AppError::invalid("error-contact-name"));
        }
        let email = email.trim();
        if !is_plausible_email(email) {
            return Err(AppError::invalid("error-contact-email"));
        }
        let company = clean_line(company);
        if company.chars().count() > COMPANY_MAX {
            return Err(AppError::invalid("error-contact-company"));
        }
        let message = message.trim();
        let length = message.chars().count();
        if length < MESSAGE_MIN {
            return Err(AppError::invalid("error-contact-message-short"));
        }
        if length > MESSAGE_MAX {
            return Err(AppError::invalid("error-contact-message-long"));
        }
        Ok(Self {
            name,
            email: email.to_owned(),
            company: (!company.is_empty()).then_some(company),
            message: message.to_owned(),
            lang: Lang::from_code(lang).unwrap_or(Lang::En),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(name: &str, email: &str, message: &str) -> Result<Enquiry, String> {
        Enquiry::parse(name, email, "", message, "es").map_err(|e| e.code)
    }

    #[test]
    fn accepts_a_good_message() {
        let msg = Enquiry::parse(" Ana ", "ana@shop.mx", " Tienda ", "Quiero una demo, por favor", "es").unwrap();
        assert_eq!(msg.name, "Ana");
        assert_eq!(msg.company.as_deref(), Some("Tienda"));
        assert_eq!(msg.lang, Lang::Es);
    }

    #[test]
    fn rejects_each_bad_field_with_its_code() {
        assert_eq!(parse("", "a@b.co", "long enough text").unwrap_err(), "error-contact-name");
        assert_eq!(parse(&"x".repeat(101), "a@b.co", "long enough text").unwrap_err(), "error-contact-name");
        for bad in ["", "no-at", "a@b", "a@@b.co", "a b@c.co", "a@.co", "a@b.co.", "@b.co"] {
            assert_eq!(parse("Ana", bad, "long enough text").unwrap_err(), "error-contact-email", "{bad}");
        }
        assert_eq!(parse("Ana", "a@b.co", "too short").unwrap_err(), "error-contact-message-short");
        assert_eq!(parse("Ana", "a@b.co", &"x".repeat(5001)).unwrap_err(), "error-contact-message-long");
        let company = "c".repeat(121);
        let err = Enquiry::parse("Ana", "a@b.co", &company, "long enough text", "en").unwrap_err();
        assert_eq!(err.code, "error-contact-company");
    }

    #[test]
    fn counts_characters_not_bytes_and_defaults_language() {
        // 10 Arabic letters are 20 bytes but exactly the minimum length.
        let msg = Enquiry::parse("ليلى", "l@x.sa", "", "مرحبامرحبا", "xx").unwrap();
        assert_eq!(msg.lang, Lang::En);
        assert_eq!(parse("Ana\u{7}", "a@b.co", "long enough text").unwrap().name, "Ana ");
    }
}
