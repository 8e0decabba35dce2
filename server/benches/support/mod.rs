//! What the benchmarks share: a module of each bench that uses it, not a bench of its own (cargo
//! takes only `benches/*.rs` and `benches/*/main.rs` as targets).

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The `p` quantile (0–1) of sorted latencies, in milliseconds.
pub fn percentile(sorted: &[Duration], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1e3
}

/// `tasks` loops sharing `total` calls `call(0)`, `call(1)`, …, each loop starting its next call
/// as soon as its last one is answered: the calls a second, and every call's latency, sorted.
pub async fn load<F, Fut>(tasks: usize, total: usize, call: F) -> (f64, Vec<Duration>)
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let (call, next) = (Arc::new(call), Arc::new(AtomicUsize::new(0)));
    let started = Instant::now();
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            let (call, next) = (call.clone(), next.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= total {
                        return latencies;
                    }
                    let at = Instant::now();
                    call(n).await;
                    latencies.push(at.elapsed());
                }
            })
        })
        .collect();
    let mut all = Vec::with_capacity(total);
    for h in handles {
        all.extend(h.await.unwrap());
    }
    all.sort();
    (total as f64 / started.elapsed().as_secs_f64(), all)
}
