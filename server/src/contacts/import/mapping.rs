//! Which column feeds which field: suggested from header names in English, Spanish and Arabic,
//! then confirmed (or changed) by the person importing.

use app::contacts::import::ColumnTarget;

/// Header words (lower case, accents kept) that name each field.
const NAMES: &[(&[&str], ColumnTarget)] = &[
    (
        &[
            "phone",
            "phone number",
            "mobile",
            "mobile phone",
            "cell",
            "cell phone",
            "whatsapp",
            "whatsapp number",
            "telephone",
            "tel",
            "wa_id",
            "msisdn",
            "teléfono",
            "telefono",
            "celular",
            "móvil",
            "movil",
            "número",
            "numero",
            "número de teléfono",
            "whatsapp id",
            "هاتف",
            "الهاتف",
            "جوال",
            "الجوال",
            "موبايل",
            "رقم",
            "رقم الهاتف",
            "رقم الجوال",
            "واتساب",
        ],
        ColumnTarget::Phone,
    ),
    (
        &[
            "email",
            "e-mail",
            "mail",
            "email address",
            "e-mail address",
            "correo",
            "correo electrónico",
            "correo electronico",
            "email address 1",
            "البريد",
            "البريد الإلكتروني",
            "الايميل",
            "ايميل",
            "إيميل",
        ],
        ColumnTarget::Email,
    ),
    (
        &["first name", "firstname", "first_name", "given name", "forename", "primer nombre", "الاسم الأول", "الإسم الأول"],
        ColumnTarget::FirstName,
    ),
    (
        &[
            "last name",
            "lastname",
            "last_name",
            "surname",
            "family name",
            "apellido",
            "apellidos",
            "اسم العائلة",
            "الكنية",
            "اللقب",
        ],
        ColumnTarget::LastName,
    ),
    (
        &[
            "name",
            "full name",
            "fullname",
            "display name",
            "contact",
            "contact name",
            "customer",
            "nombre completo",
            "nombre",
            "cliente",
            "contacto",
            "الاسم",
            "الإسم",
            "الاسم الكامل",
            "العميل",
        ],
        ColumnTarget::DisplayName,
    ),
    (&["tags", "tag", "labels", "label", "etiquetas", "etiqueta", "الوسوم", "وسوم", "التصنيفات"], ColumnTarget::Tags),
    (
        &[
            "opt out",
            "opt-out",
            "opted out",
            "optout",
            "unsubscribed",
            "do not contact",
            "baja",
            "dado de baja",
            "no contactar",
            "إلغاء الاشتراك",
            "عدم التواصل",
        ],
        ColumnTarget::OptOut,
    ),
];

fn normalise_header(header: &str) -> String {
    let trimmed = header.trim().trim_start_matches('\u{feff}').to_lowercase();
    trimmed.split(|c: char| c.is_whitespace() || c == '_').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// A target for every column: a known field the first time its name appears (a second "phone"
/// column is kept as an attribute, not mapped twice), otherwise a custom attribute named after
/// the header (an empty header is ignored).
pub fn suggest(headers: &[String]) -> Vec<ColumnTarget> {
    let names: Vec<String> = headers.iter().map(|h| normalise_header(h)).collect();
    let has_last_name = names.iter().any(|n| lookup(n) == Some(ColumnTarget::LastName));
    let mut taken = Vec::new();
    names
        .iter()
        .zip(headers)
        .map(|(name, header)| {
            let mut target = lookup(name);
            // "Nombre" beside "Apellidos" is a first name; alone, the whole name.
            if target == Some(ColumnTarget::DisplayName) && has_last_name && (name == "nombre" || name == "name") {
                target = Some(ColumnTarget::FirstName);
            }
            match target {
                Some(t) if !taken.contains(&t) => {
                    taken.push(t.clone());
                    t
                }
                _ if name.is_empty() => ColumnTarget::Ignore,
                _ => ColumnTarget::Attribute(app::text::clean_line(header).chars().take(60).collect()),
            }
        })
        .collect()
}

fn lookup(name: &str) -> Option<ColumnTarget> {
    NAMES.iter().find(|(names, _)| names.contains(&name)).map(|(_, t)| t.clone())
}

/// Checks a mapping: one column per field, something to reach the contact by, sane attribute
/// names. The error's code says what is wrong.
pub fn check(mapping: &[ColumnTarget], columns: usize) -> Result<(), &'static str> {
    if mapping.len() != columns {
        return Err("error-import-mapping-columns");
    }
    let mut seen: Vec<&ColumnTarget> = Vec::new();
    for target in mapping.iter().filter(|t| **t != ColumnTarget::Ignore) {
        if let ColumnTarget::Attribute(name) = target
            && (name.trim().is_empty() || name.chars().count() > 60)
        {
            return Err("error-import-mapping-attribute");
        }
        if seen.contains(&target) {
            return Err("error-import-mapping-duplicate");
        }
        seen.push(target);
    }
    if !mapping.iter().any(|t| matches!(t, ColumnTarget::Phone | ColumnTarget::Email)) {
        return Err("error-import-mapping-reach");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ColumnTarget::*;

    fn headers(h: &[&str]) -> Vec<String> {
        h.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn headers_in_three_languages_are_recognised() {
        assert_eq!(
            suggest(&headers(&["Full Name", "Mobile", "E-mail", "Tags", "City"])),
            vec![DisplayName, Phone, Email, Tags, Attribute("City".into())]
        );
        assert_eq!(
            suggest(&headers(&["\u{feff}Nombre", "Apellidos", "Celular", "Correo electrónico", "Etiquetas"])),
            vec![FirstName, LastName, Phone, Email, Tags]
        );
        assert_eq!(suggest(&headers(&["الاسم", "جوال", "البريد الإلكتروني"])), vec![DisplayName, Phone, Email]);
        assert_eq!(
            suggest(&headers(&["phone", "Phone", ""])),
            vec![Phone, Attribute("Phone".into()), Ignore],
            "a duplicate header is not mapped twice"
        );
    }

    #[test]
    fn a_mapping_needs_a_way_to_reach_and_one_column_per_field() {
        assert_eq!(check(&[DisplayName, Phone], 2), Ok(()));
        assert_eq!(check(&[DisplayName, Ignore], 2), Err("error-import-mapping-reach"));
        assert_eq!(check(&[Phone, Phone], 2), Err("error-import-mapping-duplicate"));
        assert_eq!(check(&[Phone], 2), Err("error-import-mapping-columns"));
        assert_eq!(check(&[Phone, Attribute(" ".into())], 2), Err("error-import-mapping-attribute"));
    }
}
