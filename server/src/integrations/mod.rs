//! Clients of the external APIs: one small type per API over a shared HTTP core with a
//! configurable base URL, timeouts, and retries that honour `Retry-After`. Tokens are
//! `SecretString`s: they reach a request header and nothing else (no `Debug`, no log line).
//! Tests replace the APIs with local HTTP servers on port 0.

pub mod anthropic;
pub mod api;
pub mod graph;
pub mod meta_ads;
pub mod whatsapp;

#[cfg(test)]
mod tests;

use crate::config::Config;
use crate::secrets::Secrets;

/// The external APIs this instance talks to, configured from the environment.
#[derive(Clone)]
pub struct Integrations {
    pub whatsapp: whatsapp::WhatsAppClient,
    pub marketing: meta_ads::MarketingClient,
    /// `None` without `ADRONX_ANTHROPIC_API_KEY`: explanations are then built without Claude.
    pub anthropic: Option<anthropic::AnthropicClient>,
}

impl Integrations {
    pub fn from_config(config: &Config, secrets: &Secrets) -> Self {
        let graph = graph::GraphClient::new(api::ApiConfig::new(&config.graph_api_base), &config.graph_api_version);
        let anthropic = secrets.anthropic_api_key.clone().map(|key| {
            anthropic::AnthropicClient::new(
                api::ApiConfig::new(&config.anthropic_base_url),
                key,
                &config.anthropic_model,
            )
        });
        Self {
            whatsapp: whatsapp::WhatsAppClient(graph.clone()),
            marketing: meta_ads::MarketingClient(graph),
            anthropic,
        }
    }
}
