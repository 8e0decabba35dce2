//! Campaigns: the organisation's Meta ad account, what its money did, and the charts of it.

pub mod api;
pub mod model;
pub mod money;
#[cfg(feature = "ssr")]
pub mod port;
pub mod views;
