//! Meta Marketing API: the ad account behind a connection.

use super::graph::{GraphClient, GraphError};
use secrecy::SecretString;
use serde::Deserialize;

#[derive(Clone)]
pub struct MarketingClient(pub GraphClient);

/// `GET /{version}/act_{ad-account-id}`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct AdAccount {
    /// `act_<digits>`.
    pub id: String,
    pub name: String,
    /// ISO 4217, e.g. `USD`; every figure of the account is in it.
    pub currency: String,
    /// IANA name, e.g. `America/Mexico_City`; days of insights are its days.
    pub timezone_name: String,
    /// 1 active, 2 disabled, 3 unsettled, 7 pending risk review, 9 in grace period, 101 closed…
    pub account_status: i64,
}

impl MarketingClient {
    /// `account_id` with or without its `act_` prefix.
    pub async fn ad_account(&self, account_id: &str, token: &SecretString) -> Result<AdAccount, GraphError> {
        let id = account_id.trim_start_matches("act_");
        let fields = [("fields", "id,name,currency,timezone_name,account_status")];
        self.0.get(&format!("act_{id}"), &fields, token).await
    }
}
