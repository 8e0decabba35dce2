//! Pacing sends per WhatsApp number under Meta's throughput (80 messages a second by default):
//! each send takes the next free slot of its number and waits for it, so a burst (a broadcast,
//! many agents at once) goes out evenly instead of drawing error 130429. The pace is per
//! instance: with several instances, set `ADRONX_WHATSAPP_MPS` to the number's throughput divided
//! by their count (130429, should it come anyway, is retried with backoff).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

#[derive(Clone)]
pub struct Pacer {
    gap: Duration,
    next: Arc<Mutex<HashMap<String, Instant>>>,
}

impl Pacer {
    pub fn new(per_second: u32) -> Self {
        Self { gap: Duration::from_secs(1) / per_second.max(1), next: Arc::default() }
    }

    /// Waits until `number` may send again, and takes that slot.
    pub async fn wait(&self, number: &str) {
        let slot = {
            let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            // Forget numbers idle for a while, so the map stays small.
            if next.len() > 10_000 {
                next.retain(|_, at| *at > now);
            }
            let slot = next.get(number).copied().filter(|at| *at > now).unwrap_or(now);
            next.insert(number.to_owned(), slot + self.gap);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_burst_goes_out_at_the_numbers_pace_and_other_numbers_do_not_wait() {
        let pacer = Pacer::new(80);
        let start = Instant::now();
        for _ in 0..161 {
            pacer.wait("1001").await;
        }
        assert_eq!(start.elapsed(), Duration::from_secs(1) / 80 * 160, "161 sends: the last 2 s after the first");
        let other = Instant::now();
        pacer.wait("2002").await;
        assert_eq!(other.elapsed(), Duration::ZERO);
    }
}
