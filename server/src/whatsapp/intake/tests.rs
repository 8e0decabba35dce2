//! One job's batch of deliveries, as the webhook writer queues them: organisations kept apart,
//! bad deliveries reported without costing the good ones, a redelivery adding nothing.

use super::*;
use crate::storage::inbox::ConversationFilter;
use crate::storage::whatsapp::DeliveryRecord;
use crate::storage::whatsapp::contract::connection;
use serde_json::json;

fn body(number: &str, wamid: &str, text: &str) -> String {
    json!({ "object": "whatsapp_business_account", "entry": [{ "id": "1", "changes": [{ "field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": { "display_phone_number": "15550100", "phone_number_id": number },
        "contacts": [{ "profile": { "name": "Lucía" }, "wa_id": "5215550001111" }],
        "messages": [{ "from": "5215550001111", "id": wamid, "timestamp": "1795800000", "type": "text", "text": { "body": text } }]
    } }] }] })
    .to_string()
}

/// Stores the bodies as the webhook writer does and runs them as one job; their ids.
async fn run_batch(stores: &Stores, bodies: &[String]) -> Vec<String> {
    let now = OffsetDateTime::now_utc();
    let deliveries: Vec<DeliveryRecord> = bodies
        .iter()
        .map(|b| DeliveryRecord {
            id: uuid::Uuid::now_v7().to_string(),
            body: b.clone(),
            received_at: now,
            outcome: None,
            processed_at: None,
        })
        .collect();
    stores.whatsapp.insert_deliveries(&deliveries).await.unwrap();
    let ids: Vec<String> = deliveries.into_iter().map(|d| d.id).collect();
    crate::jobs::enqueue(stores.jobs.as_ref(), DELIVERY_JOB, json!({ "deliveries": ids }), None).await.unwrap();
    let due = OffsetDateTime::now_utc();
    let job = stores.jobs.claim_job("test", due, due + time::Duration::minutes(1)).await.unwrap().unwrap();
    Intake::new(stores.clone()).run(&job).await.unwrap();
    ids
}

async fn outcome(stores: &Stores, id: &str) -> String {
    stores.whatsapp.delivery(id).await.unwrap().unwrap().outcome.unwrap()
}

#[tokio::test]
async fn a_batch_keeps_organisations_apart_reports_bad_deliveries_and_never_files_twice() {
    let dir = tempfile::tempdir().unwrap();
    let stores = Stores::sqlite(&dir.path().join("t.db")).await.unwrap();
    for (org, number) in [("org-a", "1001"), ("org-b", "2002")] {
        stores.whatsapp.save_connection(&connection(org, number)).await.unwrap();
    }
    // The same customer writes to two organisations' numbers; one delivery is not JSON; one is
    // the first again (Meta delivers at least once).
    let first = body("1001", "wamid.A", "Hola");
    let ids =
        run_batch(&stores, &[first.clone(), body("2002", "wamid.B", "Hello"), "{not json".into(), first.clone()]).await;

    let phone = vec!["+525550001111".to_owned()];
    let mut contacts = Vec::new();
    for org in ["org-a", "org-b"] {
        let org = OrgId::new(org);
        let found = stores.contacts.contacts_matching(&org, &phone, &[]).await.unwrap();
        assert_eq!(found.len(), 1, "one contact in {org}");
        let list = stores.inbox.list_conversations(&org, &ConversationFilter::default(), None, 10).await.unwrap();
        assert_eq!(list.len(), 1, "one conversation in {org}");
        assert_eq!(list[0].contact_id, found[0].id, "its own organisation's contact");
        let messages = stores.inbox.messages(&org, &list[0].id, None, 10).await.unwrap();
        assert_eq!(messages.len(), 1, "one message in {org}");
        assert!(stores.inbox.inbox_version(&org).await.unwrap() > 0, "{org}'s open inboxes are told");
        contacts.push(found[0].id.clone());
    }
    assert_ne!(contacts[0], contacts[1]);
    assert!(outcome(&stores, &ids[0]).await.starts_with("messages 1 (repeated 0)"));
    assert!(outcome(&stores, &ids[1]).await.starts_with("messages 1 (repeated 0)"));
    assert!(outcome(&stores, &ids[2]).await.starts_with("malformed"), "kept and reported");
    assert!(outcome(&stores, &ids[3]).await.starts_with("messages 0 (repeated 1)"));

    // Delivered again in a later batch: still one message.
    let again = run_batch(&stores, &[first]).await;
    assert!(outcome(&stores, &again[0]).await.starts_with("messages 0 (repeated 1)"));
    let org = OrgId::new("org-a");
    let list = stores.inbox.list_conversations(&org, &ConversationFilter::default(), None, 10).await.unwrap();
    assert_eq!(stores.inbox.messages(&org, &list[0].id, None, 10).await.unwrap().len(), 1);
}
