//! WhatsApp Cloud API: the calls that connect a number (its details, and subscribing our app to
//! the business account's webhooks).

use super::graph::{GraphClient, GraphError};
use secrecy::SecretString;
use serde::Deserialize;

#[derive(Clone)]
pub struct WhatsAppClient(pub GraphClient);

/// `GET /{version}/{phone-number-id}`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct PhoneNumber {
    pub id: String,
    pub display_phone_number: String,
    pub verified_name: String,
    /// GREEN, YELLOW, RED or UNKNOWN.
    pub quality_rating: Option<String>,
}

#[derive(Deserialize)]
struct Success {
    success: bool,
}

impl WhatsAppClient {
    pub async fn phone_number(&self, phone_number_id: &str, token: &SecretString) -> Result<PhoneNumber, GraphError> {
        let fields = [("fields", "id,display_phone_number,verified_name,quality_rating")];
        self.0.get(phone_number_id, &fields, token).await
    }

    /// `POST /{version}/{waba-id}/subscribed_apps`: deliveries for this account reach our webhook.
    pub async fn subscribe_app(&self, waba_id: &str, token: &SecretString) -> Result<bool, GraphError> {
        let answer: Success = self.0.post(&format!("{waba_id}/subscribed_apps"), &serde_json::json!({}), token).await?;
        Ok(answer.success)
    }
}

/// `GET /{version}/{media-id}`: where a customer's file can be downloaded (for five minutes).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct MediaInfo {
    pub url: String,
    pub mime_type: String,
    /// Hex SHA-256 of the file.
    pub sha256: Option<String>,
    pub file_size: Option<u64>,
}

impl WhatsAppClient {
    pub async fn media_info(&self, media_id: &str, token: &SecretString) -> Result<MediaInfo, GraphError> {
        self.0.get(media_id, &[], token).await
    }
}

#[derive(Deserialize)]
struct Sent {
    messages: Vec<SentId>,
}

#[derive(Deserialize)]
struct SentId {
    id: String,
}

impl WhatsAppClient {
    /// `POST /{version}/{phone-number-id}/messages` with a prepared message object (`type` and
    /// its body); Meta's wamid for it.
    pub async fn send(
        &self,
        phone_number_id: &str,
        to: &str,
        message: serde_json::Value,
        token: &SecretString,
    ) -> Result<String, GraphError> {
        let mut body = serde_json::json!({ "messaging_product": "whatsapp", "recipient_type": "individual", "to": to });
        if let (Some(body), serde_json::Value::Object(fields)) = (body.as_object_mut(), message) {
            body.extend(fields);
        }
        let sent: Sent = self.0.post(&format!("{phone_number_id}/messages"), &body, token).await?;
        sent.messages.into_iter().next().map(|m| m.id).ok_or_else(|| GraphError::Api {
            status: 200,
            code: 0,
            subcode: None,
            message: "no message id in Meta's answer".into(),
            fbtrace_id: None,
        })
    }
}

#[derive(Deserialize)]
struct TemplatePage {
    #[serde(default)]
    data: Vec<serde_json::Value>,
    paging: Option<Paging>,
}

#[derive(Deserialize)]
struct Paging {
    cursors: Option<Cursors>,
    next: Option<String>,
}

#[derive(Deserialize)]
struct Cursors {
    after: Option<String>,
}

impl WhatsAppClient {
    /// `GET /{version}/{waba-id}/message_templates`, every page (Meta's `paging.cursors.after`).
    pub async fn templates(&self, waba_id: &str, token: &SecretString) -> Result<Vec<serde_json::Value>, GraphError> {
        let path = format!("{waba_id}/message_templates");
        let mut all = Vec::new();
        let mut after: Option<String> = None;
        // A bound on pages, should a server keep answering with a next page.
        for _ in 0..50 {
            let mut query = vec![("fields", "name,language,status,category,components"), ("limit", "100")];
            if let Some(cursor) = &after {
                query.push(("after", cursor));
            }
            let page: TemplatePage = self.0.get(&path, &query, token).await?;
            all.extend(page.data);
            match page.paging {
                Some(Paging { next: Some(_), cursors: Some(Cursors { after: Some(cursor) }) }) => after = Some(cursor),
                _ => break,
            }
        }
        Ok(all)
    }
}
