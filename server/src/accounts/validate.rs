//! Checks of the registration form beyond the password policy.

use app::accounts::model::Registration;
use app::accounts::port::AccountsError;
use app::text::is_plausible_email;

const NAME_MAX: usize = 100;
const ORG_MAX: usize = 120;

fn line(raw: &str, max: usize, code: &'static str) -> Result<String, AccountsError> {
    let cleaned = app::text::clean_line(raw);
    if cleaned.is_empty() || cleaned.chars().count() > max {
        return Err(AccountsError::Invalid(code));
    }
    Ok(cleaned)
}

/// First and last name, trimmed and checked.
pub fn names(first: &str, last: &str) -> Result<(String, String), AccountsError> {
    Ok((line(first, NAME_MAX, "error-first-name")?, line(last, NAME_MAX, "error-last-name")?))
}

pub fn registration(form: Registration) -> Result<Registration, AccountsError> {
    let email = form.email.trim().to_owned();
    if !is_plausible_email(&email) {
        return Err(AccountsError::Invalid("error-contact-email"));
    }
    Ok(Registration {
        first_name: line(&form.first_name, NAME_MAX, "error-first-name")?,
        last_name: line(&form.last_name, NAME_MAX, "error-last-name")?,
        email,
        organisation: line(&form.organisation, ORG_MAX, "error-organisation")?,
        lang: app::i18n::Lang::from_code(&form.lang).unwrap_or(app::i18n::Lang::En).code().to_owned(),
        password: form.password,
    })
}
