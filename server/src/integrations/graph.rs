//! Meta's Graph API (WhatsApp Cloud API and Marketing API share it): versioned paths, bearer
//! tokens, and its error document `{"error": {"message", "type", "code", "error_subcode",
//! "fbtrace_id"}}`.

use super::api::{ApiClient, ApiConfig, ApiError, transient};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

#[derive(Clone)]
pub struct GraphClient {
    api: ApiClient,
    version: String,
}

/// A Graph API failure, with Meta's code when it sent one.
#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    #[error("Graph API error {code} (subcode {subcode:?}, HTTP {status}): {message}")]
    Api { status: u16, code: i64, subcode: Option<i64>, message: String, fbtrace_id: Option<String> },
    #[error(transparent)]
    Transport(ApiError),
}

impl GraphError {
    pub fn code(&self) -> Option<i64> {
        match self {
            GraphError::Api { code, .. } => Some(*code),
            GraphError::Transport(_) => None,
        }
    }

    /// The token is invalid or expired (190): the connection needs re-authorisation.
    pub fn needs_reauthorisation(&self) -> bool {
        self.code() == Some(190)
    }

    /// Meta's rate limits (4, 17, 32, 613, and the ads management limits 80000–80014): wait and
    /// resume, the answer will come.
    pub fn throttled(&self) -> bool {
        self.code().is_some_and(|c| matches!(c, 4 | 17 | 32 | 613 | 80000..=80014))
    }
}

#[derive(Deserialize)]
struct ErrorDocument {
    error: ErrorBody,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    message: String,
    code: i64,
    error_subcode: Option<i64>,
    fbtrace_id: Option<String>,
}

fn meta_code(body: &str) -> Option<i64> {
    serde_json::from_str::<ErrorDocument>(body).ok().map(|d| d.error.code)
}

/// A Graph object id as an admin types it: digits (at most 32), an `act_` in front dropped.
pub fn object_id(value: &str) -> Option<String> {
    let value = value.trim();
    let value = value.strip_prefix("act_").unwrap_or(value);
    (!value.is_empty() && value.len() <= 32 && value.bytes().all(|b| b.is_ascii_digit())).then(|| value.to_owned())
}

/// An access token as pasted: trimmed, at most 1,024 characters, no whitespace inside.
pub fn access_token(value: &str) -> Option<SecretString> {
    let token = value.trim();
    (!token.is_empty() && token.len() <= 1024 && !token.chars().any(char::is_whitespace))
        .then(|| SecretString::from(token.to_owned()))
}

/// Temporary failures worth another attempt: HTTP 429/5xx, Graph's "unknown"/"temporarily
/// unavailable" (1, 2), the API and ads rate limits (4, 17, 32, 613, 80000–80014), and WhatsApp's
/// throughput and pair-rate limits (130429, 131056).
fn retryable(status: u16, body: &str) -> bool {
    transient(status, body)
        || meta_code(body).is_some_and(|c| matches!(c, 1 | 2 | 4 | 17 | 32 | 613 | 80000..=80014 | 130429 | 131056))
}

impl GraphClient {
    pub fn new(config: ApiConfig, version: impl Into<String>) -> Self {
        Self { api: ApiClient::new(config), version: version.into() }
    }

    fn url(&self, path: &str) -> String {
        self.api.url(&format!("/{}/{}", self.version, path.trim_start_matches('/')))
    }

    pub async fn get<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
        token: &SecretString,
    ) -> Result<T, GraphError> {
        let url = self.url(path);
        let sent = self.api.send(|http| http.get(&url).query(query).bearer_auth(token.expose_secret()), retryable);
        sent.await.map_err(graph_error)
    }

    /// A GET that also answers the headers (rate-limit usage).
    pub async fn get_with_headers<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
        token: &SecretString,
    ) -> Result<(T, reqwest::header::HeaderMap), GraphError> {
        let url = self.url(path);
        let build = |http: &reqwest::Client| http.get(&url).query(query).bearer_auth(token.expose_secret());
        self.api.send_with_headers(build, retryable).await.map_err(graph_error)
    }

    pub async fn post<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        body: &serde_json::Value,
        token: &SecretString,
    ) -> Result<T, GraphError> {
        let url = self.url(path);
        let sent = self.api.send(|http| http.post(&url).json(body).bearer_auth(token.expose_secret()), retryable);
        sent.await.map_err(graph_error)
    }
}

/// Why a file could not be downloaded.
#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    #[error("larger than {0} bytes")]
    TooLarge(usize),
    /// The address is neither HTTPS nor the API's own (the token is never sent in clear text
    /// to another host).
    #[error("refused to send the token to this address")]
    Address,
    #[error(transparent)]
    Graph(#[from] GraphError),
}

impl GraphClient {
    /// Downloads `url` (an address Meta answered with, e.g. a media URL) with the bearer token,
    /// reading at most `max` bytes.
    pub async fn download(&self, url: &str, token: &SecretString, max: usize) -> Result<Vec<u8>, DownloadError> {
        let parsed = reqwest::Url::parse(url).map_err(|_| DownloadError::Address)?;
        let ours = reqwest::Url::parse(&self.api.url("")).ok().map(|u| u.origin());
        if parsed.scheme() != "https" && ours != Some(parsed.origin()) {
            return Err(DownloadError::Address);
        }
        let too_large = || DownloadError::TooLarge(max);
        let mut res = self
            .api
            .http()
            .get(parsed)
            .bearer_auth(token.expose_secret())
            .send()
            .await
            .map_err(|e| GraphError::Transport(super::api::network(e)))?;
        let status = res.status().as_u16();
        if !(200..300).contains(&status) {
            let body = res.text().await.unwrap_or_default();
            return Err(graph_error(ApiError::Status { status, body, retry_after: None }).into());
        }
        if res.content_length().is_some_and(|n| n > max as u64) {
            return Err(too_large());
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = res.chunk().await.map_err(|e| GraphError::Transport(super::api::network(e)))? {
            if bytes.len() + chunk.len() > max {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }
}

fn graph_error(e: ApiError) -> GraphError {
    if let ApiError::Status { status, body, .. } = &e
        && let Ok(doc) = serde_json::from_str::<ErrorDocument>(body)
    {
        let ErrorBody { message, code, error_subcode, fbtrace_id } = doc.error;
        return GraphError::Api { status: *status, code, subcode: error_subcode, message, fbtrace_id };
    }
    GraphError::Transport(e)
}
