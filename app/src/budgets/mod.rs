//! The budget optimiser in the product (Campaigns → Optimiser): the account's daily budget and
//! rails, the proposed split with the evidence behind each number, and its explanation.

pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod port;
pub mod views;
