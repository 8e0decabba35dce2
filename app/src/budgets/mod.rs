//! The budget optimiser in the product (Campaigns → Optimiser): the account's daily budget and
//! rails, the proposed split with the evidence behind each number, its explanation, what-if plans
//! and the history of applied plans.

pub mod api;
mod clock;
mod history;
pub mod model;
#[cfg(feature = "ssr")]
pub mod port;
pub mod views;
mod whatif;
