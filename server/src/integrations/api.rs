//! The HTTP core every integration uses: JSON requests to `base_url`, a timeout per attempt, and
//! retries with exponential backoff for answers that say "try again" (429, 5xx, 529), waiting at
//! least what `Retry-After` asks.

use std::time::Duration;

/// How a client talks to one API.
#[derive(Clone, Debug)]
pub struct ApiConfig {
    /// e.g. `https://graph.facebook.com`; tests point it at a local server.
    pub base_url: String,
    pub timeout: Duration,
    /// Attempts in all, the first included.
    pub attempts: u32,
    /// First backoff; doubles per attempt, capped at `max_backoff`.
    pub backoff: Duration,
    pub max_backoff: Duration,
}

impl ApiConfig {
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            timeout: Duration::from_secs(20),
            attempts: 4,
            backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
        }
    }
}

/// What went wrong talking to an API, after any retries.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The API answered with an error status; `body` is its error document (never a token).
    #[error("{status}: {body}")]
    Status { status: u16, body: String, retry_after: Option<Duration> },
    #[error("timed out")]
    Timeout,
    #[error("network: {0}")]
    Network(String),
    #[error("unexpected answer: {0}")]
    Decode(String),
}

impl ApiError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// Whether an answer is worth another attempt.
pub type RetryRule = fn(status: u16, body: &str) -> bool;

/// 429 (throttled), 5xx and Anthropic's 529 (overloaded).
pub fn transient(status: u16, _body: &str) -> bool {
    status == 429 || status >= 500
}

#[derive(Clone)]
pub struct ApiClient {
    http: reqwest::Client,
    config: ApiConfig,
}

impl ApiClient {
    pub fn new(config: ApiConfig) -> Self {
        // One TLS provider for the whole process (ring); a no-op when start-up installed it.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .user_agent(concat!("adronx/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("HTTP client");
        Self { http, config }
    }

    /// The underlying client, for requests that are not JSON (file downloads).
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.config.base_url)
    }

    /// Sends the request `build` makes (once per attempt) and decodes a JSON answer.
    pub async fn send<T: serde::de::DeserializeOwned>(
        &self,
        build: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
        retry: RetryRule,
    ) -> Result<T, ApiError> {
        self.send_with_headers(build, retry).await.map(|(answer, _)| answer)
    }

    /// As [`send`](Self::send), with the answer's headers (Meta reports its rate-limit usage in
    /// them).
    pub async fn send_with_headers<T: serde::de::DeserializeOwned>(
        &self,
        build: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
        retry: RetryRule,
    ) -> Result<(T, reqwest::header::HeaderMap), ApiError> {
        let mut attempt = 1;
        loop {
            let outcome = self.attempt(&build).await;
            let wait = match &outcome {
                Err(ApiError::Status { status, body, retry_after }) if retry(*status, body) => {
                    Some(retry_after.unwrap_or_default().max(self.backoff(attempt)))
                }
                Err(ApiError::Timeout | ApiError::Network(_)) => Some(self.backoff(attempt)),
                _ => None,
            };
            match (outcome, wait) {
                (Err(e), Some(wait)) if attempt < self.config.attempts => {
                    tracing::warn!(attempt, wait_ms = wait.as_millis() as u64, error = %e, "API call failed; retrying");
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                (Ok((bytes, headers)), _) => {
                    let answer = serde_json::from_slice(&bytes).map_err(|e| ApiError::Decode(e.to_string()))?;
                    return Ok((answer, headers));
                }
                (Err(e), _) => return Err(e),
            }
        }
    }

    async fn attempt(
        &self,
        build: &impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> Result<(Vec<u8>, reqwest::header::HeaderMap), ApiError> {
        let res = build(&self.http).send().await.map_err(network)?;
        let status = res.status().as_u16();
        let retry_after = res
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(|s| Duration::from_secs_f64(s.min(3600.0)));
        let headers = res.headers().clone();
        let bytes = res.bytes().await.map_err(network)?.to_vec();
        if (200..300).contains(&status) {
            return Ok((bytes, headers));
        }
        let body = String::from_utf8_lossy(&bytes[..bytes.len().min(2000)]).into_owned();
        Err(ApiError::Status { status, body, retry_after })
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let doubled = self.config.backoff.saturating_mul(1 << (attempt - 1).min(16));
        doubled.min(self.config.max_backoff)
    }
}

pub(crate) fn network(e: reqwest::Error) -> ApiError {
    if e.is_timeout() { ApiError::Timeout } else { ApiError::Network(e.without_url().to_string()) }
}
