//! Message templates: synced from the account (`GET /{waba-id}/message_templates`) on connecting,
//! on demand and every day; read into what the page shows; and turned into the send call's
//! `template` object.

use crate::integrations::graph::GraphError;
use crate::integrations::whatsapp::WhatsAppClient;
use crate::storage::StoreError;
use crate::storage::whatsapp::{TemplateRecord, WhatsAppStore};
use app::ids::OrgId;
use app::inbox::templates::TemplateView;
use secrecy::SecretString;
use serde_json::{Value, json};
use time::OffsetDateTime;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Graph(#[from] GraphError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// What a person sees of a template, from Meta's components.
pub fn view(t: &TemplateRecord) -> TemplateView {
    let components = t.components.as_array().cloned().unwrap_or_default();
    let part = |kind: &str| components.iter().find(|c| text(c, "type").is_some_and(|t| t.eq_ignore_ascii_case(kind)));
    TemplateView {
        name: t.name.clone(),
        language: t.language.clone(),
        category: t.category.clone(),
        status: t.status.clone(),
        header: part("HEADER").filter(|h| text(h, "format").is_none_or(|f| f == "TEXT")).and_then(|h| text(h, "text")),
        body: part("BODY").and_then(|b| text(b, "text")).unwrap_or_default(),
        footer: part("FOOTER").and_then(|f| text(f, "text")),
        buttons: part("BUTTONS")
            .and_then(|b| b.get("buttons"))
            .and_then(Value::as_array)
            .map(|b| b.iter().filter_map(|b| text(b, "text")).collect())
            .unwrap_or_default(),
    }
}

/// The `template` message the Cloud API takes: name, language, and the body's values in order.
pub fn message(name: &str, language: &str, params: &[String]) -> Value {
    let mut template = json!({ "name": name, "language": { "code": language } });
    if !params.is_empty() {
        let parameters: Vec<Value> = params.iter().map(|p| json!({ "type": "text", "text": p })).collect();
        template["components"] = json!([{ "type": "body", "parameters": parameters }]);
    }
    json!({ "type": "template", "template": template })
}

/// Reads every template of the account (following Meta's paging) and keeps them for `org`.
pub async fn sync(
    store: &dyn WhatsAppStore,
    client: &WhatsAppClient,
    org: &OrgId,
    waba_id: &str,
    token: &SecretString,
) -> Result<usize, SyncError> {
    let now = OffsetDateTime::now_utc();
    let records: Vec<TemplateRecord> = client
        .templates(waba_id, token)
        .await?
        .into_iter()
        .filter_map(|t| {
            Some(TemplateRecord {
                org_id: org.clone(),
                name: text(&t, "name")?,
                language: text(&t, "language")?,
                category: text(&t, "category").unwrap_or_default(),
                status: text(&t, "status").unwrap_or_default(),
                components: t.get("components").cloned().unwrap_or(Value::Array(vec![])),
                synced_at: now,
            })
        })
        .collect();
    store.replace_templates(org, &records).await?;
    Ok(records.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metas_components_become_what_the_page_shows_and_what_the_send_call_takes() {
        let record = TemplateRecord {
            org_id: OrgId::new("o"),
            name: "welcome_back".into(),
            language: "en_US".into(),
            category: "MARKETING".into(),
            status: "APPROVED".into(),
            components: json!([
                { "type": "HEADER", "format": "TEXT", "text": "Welcome back!" },
                { "type": "BODY", "text": "Hi {{1}}, use {{2}} for 10% off." },
                { "type": "FOOTER", "text": "Reply STOP to opt out" },
                { "type": "BUTTONS", "buttons": [{ "type": "QUICK_REPLY", "text": "Shop now" }] }
            ]),
            synced_at: OffsetDateTime::now_utc(),
        };
        let v = view(&record);
        assert_eq!(v.header.as_deref(), Some("Welcome back!"));
        assert_eq!((v.body.as_str(), v.params()), ("Hi {{1}}, use {{2}} for 10% off.", 2));
        assert_eq!((v.footer.as_deref(), v.buttons), (Some("Reply STOP to opt out"), vec!["Shop now".to_owned()]));
        assert_eq!(
            message("welcome_back", "en_US", &["Ana".into(), "SAVE10".into()]),
            json!({ "type": "template", "template": { "name": "welcome_back", "language": { "code": "en_US" },
                "components": [{ "type": "body", "parameters": [{ "type": "text", "text": "Ana" }, { "type": "text", "text": "SAVE10" }] }] } })
        );
        assert_eq!(
            message("hello", "es", &[]),
            json!({ "type": "template", "template": { "name": "hello", "language": { "code": "es" } } })
        );
    }
}
