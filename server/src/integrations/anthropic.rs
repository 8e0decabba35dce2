//! Anthropic Messages API (`POST /v1/messages`), for plain-language explanations.

use super::api::{ApiClient, ApiConfig, ApiError};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

pub const API_VERSION: &str = "2023-06-01";

#[derive(Clone)]
pub struct AnthropicClient {
    api: ApiClient,
    key: SecretString,
    model: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AnthropicError {
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The answer held no text (or only whitespace).
    #[error("the answer held no text")]
    Empty,
}

#[derive(Deserialize)]
struct MessageResponse {
    content: Vec<ContentBlock>,
}

#[derive(Deserialize)]
struct ContentBlock {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    text: String,
}

/// 529 (overloaded), 5xx and rate-limit 429s are temporary; a 429 about the spend limit is not —
/// retrying only burns attempts until someone raises the limit.
fn retryable(status: u16, body: &str) -> bool {
    let spend_limit = body.contains("spend limit") || body.contains("credit balance");
    (status == 429 && !spend_limit) || status == 529 || status >= 500
}

impl AnthropicClient {
    pub fn new(config: ApiConfig, key: SecretString, model: impl Into<String>) -> Self {
        Self { api: ApiClient::new(config), key, model: model.into() }
    }

    /// One user turn under `system`; returns the answer's text blocks joined.
    pub async fn complete(&self, system: &str, user: &str, max_tokens: u32) -> Result<String, AnthropicError> {
        let url = self.api.url("/v1/messages");
        let body = serde_json::json!({
            "model": self.model,
            "max_tokens": max_tokens,
            "system": system,
            "messages": [{ "role": "user", "content": user }],
        });
        let answer: MessageResponse = self
            .api
            .send(
                |http| {
                    http.post(&url)
                        .header("x-api-key", self.key.expose_secret())
                        .header("anthropic-version", API_VERSION)
                        .json(&body)
                },
                retryable,
            )
            .await?;
        let text: String = answer.content.iter().filter(|b| b.kind == "text").map(|b| b.text.as_str()).collect();
        if text.trim().is_empty() { Err(AnthropicError::Empty) } else { Ok(text) }
    }
}
