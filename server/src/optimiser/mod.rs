//! The budget optimiser: pure computation, no I/O.
//!
//! Model. Each campaign k turns daily spend s into revenue r_k(s) = a_k·s^b_k with 0 < b_k < 1
//! (diminishing returns), observed with multiplicative noise. The optimiser keeps a Gaussian
//! posterior over (ln a_k, b_k) per campaign, tracked day by day with a Kalman filter (the level
//! ln a_k follows a random walk and is re-opened after a shock; the elasticity b_k is fixed), after
//! dividing immature recent days by the conversion-maturity curve, estimated from how the same
//! days' revenue grew between syncs ([`maturity`]). It decides by tempered Thompson
//! sampling over allocations: for each posterior draw it computes the split that equalises
//! *marginal* ROAS inside today's rails, and averages the splits.
//!
//! Assumptions. Campaigns are independent; the response curve changes slowly (or in rare jumps
//! that forgetting absorbs); revenue is attributed to the day its spend happened; budgets move at
//! most 20 % a day (Meta restarts learning on larger moves), never below a floor nor above a cap,
//! and always sum to the account budget exactly, in minor currency units.
//!
//! [`tsbench`] is the benchmark every policy is scored on; [`decide`] is the product's entry point.

pub mod decide;
pub mod maturity;
pub mod plan;
pub mod posterior;
pub mod rails;
pub mod rng;
pub mod thompson;
pub mod tsbench;

pub use decide::{CampaignDecision, CampaignInput, Decision, DecisionInput, OptimiserError, Rail, decide};
