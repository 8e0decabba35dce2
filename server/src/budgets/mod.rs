//! The budget optimiser in the product: the organisation's settings (daily budget and rails), a
//! proposal computed by the engine (`crate::optimiser`) from the synced insights with the
//! maturity curve estimated from the account's own history, and its explanation by Claude.
//!
//! Rooms: `inputs` reads what a proposal is computed from; `service` is the port the server
//! functions call; `explain` writes the proposal in words; `apply` sets the budgets on Meta;
//! `whatif` values a plan changed by hand; `history` judges applied plans on later days; `auto`
//! proposes daily after each sync and runs the automatic mode.

pub mod apply;
pub mod auto;
pub mod explain;
pub mod history;
pub mod inputs;
pub mod service;
pub mod whatif;

pub use apply::{APPLY_JOB, ApplyBudgets};
pub use auto::{DAILY_JOB, DailyBudgets};
pub use service::BudgetService;
