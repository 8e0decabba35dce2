//! Meta ads: connecting an ad account, the background sync of its campaigns and daily insights,
//! the dashboard's figures and charts, and the sandbox's simulated ad account.

pub mod cache;
pub mod charts;
pub mod connect;
pub mod dashboard;
pub mod messaging;
pub mod parse;
pub mod sandbox;
pub mod service;
pub mod simulate;
pub mod sync;

pub use connect::Clients;
pub use service::AdsService;
pub use simulate::{SIMULATE_JOB, SimulateDays};
pub use sync::{ADS_SYNC_JOB, SyncAds};
