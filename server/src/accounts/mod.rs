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
use crate::storage::jobs::Job;
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
