//! Accounts: password policy and hashing, session tokens, and the service behind sign-up,
//! sign-in, refresh and sign-out.

pub mod members;
pub mod password;
#[cfg(test)]
mod round_trips;
mod rules;
pub mod service;
pub mod session;
mod validate;

pub use members::MemberService;
pub use service::{AccountService, RESET_REQUEST};

use crate::jobs::{JobError, JobHandler};
use crate::storage::Stores;
use crate::storage::accounts::AccountStore;
use crate::storage::jobs::Job;
use crate::storage::jobs::JobStore;
use crate::storage::members::MemberStore;
use crate::storage::tokens::TokenStore;
use std::sync::Arc;

/// The background half of "forgot password".
pub struct SendResetLink(pub Arc<AccountService>);

#[async_trait::async_trait]
impl JobHandler for SendResetLink {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        let email = job.payload["email"].as_str().ok_or_else(|| JobError::permanent("no e-mail in the job"))?;
        self.0.send_reset_link(email).await.map_err(JobError::retry)
    }
}

/// The stores the accounts services use, and no others.
#[derive(Clone)]
pub struct AccountStores {
    pub accounts: Arc<dyn AccountStore>,
    pub tokens: Arc<dyn TokenStore>,
    pub members: Arc<dyn MemberStore>,
    /// E-mails go out through the job queue.
    pub jobs: Arc<dyn JobStore>,
}

impl From<&Stores> for AccountStores {
    fn from(s: &Stores) -> Self {
        Self {
            accounts: s.accounts.clone(),
            tokens: s.tokens.clone(),
            members: s.members.clone(),
            jobs: s.jobs.clone(),
        }
    }
}
