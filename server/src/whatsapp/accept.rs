//! Taking webhook deliveries durably, many at a time: each request hands its body to one writer
//! task and waits; the writer stores every delivery waiting at that moment in one transaction
//! and queues one processing job for all of them, then answers each request. One commit per
//! batch instead of two per delivery is what lets the embedded store acknowledge thousands of
//! deliveries a second; a request is answered only once its delivery is stored.

use super::DELIVERY_JOB;
use crate::storage::whatsapp::DeliveryRecord;
use crate::storage::{StoreError, StoreResult, Stores};
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot};

/// Most deliveries stored in one transaction (and processed by one job).
const BATCH: usize = 256;

type Reply = oneshot::Sender<StoreResult<String>>;

#[derive(Clone)]
pub struct Acceptor {
    queue: mpsc::Sender<(Vec<u8>, Reply)>,
}

impl Acceptor {
    /// Starts the writer on a thread of its own, so that background jobs busy on the main
    /// runtime never delay an acknowledgement (it ends when the last `Acceptor` is dropped).
    pub fn spawn(stores: Stores) -> Self {
        let (queue, mut waiting) = mpsc::channel::<(Vec<u8>, Reply)>(BATCH * 8);
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        let writer = async move {
            let mut batch = Vec::with_capacity(BATCH);
            while waiting.recv_many(&mut batch, BATCH).await > 0 {
                let (bodies, replies): (Vec<_>, Vec<_>) = std::mem::take(&mut batch).into_iter().unzip();
                match store(&stores, bodies).await {
                    Ok(ids) => replies.into_iter().zip(ids).for_each(|(r, id)| drop(r.send(Ok(id)))),
                    Err(e) => {
                        let cause = e.to_string();
                        replies.into_iter().for_each(|r| drop(r.send(Err(StoreError::Backend(cause.clone())))));
                    }
                }
            }
        };
        std::thread::Builder::new()
            .name("webhook-writer".into())
            .spawn(move || runtime.block_on(writer))
            .expect("the webhook writer thread");
        Self { queue }
    }

    /// Keeps a signed delivery as received and queues its processing; the delivery's id once
    /// both are stored.
    pub async fn accept(&self, body: &[u8]) -> StoreResult<String> {
        let (reply, answer) = oneshot::channel();
        let gone = || StoreError::Backend("the delivery writer has stopped".into());
        self.queue.send((body.to_vec(), reply)).await.map_err(|_| gone())?;
        answer.await.map_err(|_| gone())?
    }
}

async fn store(stores: &Stores, bodies: Vec<Vec<u8>>) -> StoreResult<Vec<String>> {
    let received_at = OffsetDateTime::now_utc();
    let deliveries: Vec<DeliveryRecord> = bodies
        .into_iter()
        .map(|body| DeliveryRecord {
            id: uuid::Uuid::now_v7().to_string(),
            body: String::from_utf8_lossy(&body).into_owned(),
            received_at,
            outcome: None,
            processed_at: None,
        })
        .collect();
    stores.whatsapp.insert_deliveries(&deliveries).await?;
    let ids: Vec<String> = deliveries.into_iter().map(|d| d.id).collect();
    let payload = serde_json::json!({ "deliveries": ids });
    crate::jobs::enqueue(stores.jobs.as_ref(), DELIVERY_JOB, payload, Some(format!("deliveries:{}", ids[0]))).await?;
    Ok(ids)
}
