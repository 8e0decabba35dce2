//! The WhatsApp connections contract: every adapter must pass these (see `storage/contract.rs`).

use super::*;
use crate::storage::{StoreError, Stores, millis_precision};

pub(crate) fn connection(org: &str, number: &str) -> ConnectionRecord {
    let now = millis_precision(OffsetDateTime::now_utc());
    ConnectionRecord {
        org_id: OrgId::new(org),
        kind: ConnectionKind::Sandbox,
        waba_id: format!("waba-{org}"),
        phone_number_id: number.into(),
        display_phone: "+1 555 010 0000".into(),
        verified_name: "Tienda Ñ — متجر".into(),
        quality_rating: Some("GREEN".into()),
        token: "sealed-token".into(),
        status: ConnectionStatus::Connected,
        status_detail: None,
        connected_at: now,
        updated_at: now,
    }
}

pub async fn a_connection_is_found_by_organisation_and_by_number(s: Stores) {
    let c = connection("org-a", "1001");
    s.whatsapp.save_connection(&c).await.unwrap();
    assert_eq!(s.whatsapp.connection(&OrgId::new("org-a")).await.unwrap(), Some(c.clone()));
    assert_eq!(s.whatsapp.connection_for_number("1001").await.unwrap(), Some(c.clone()));
    assert_eq!(s.whatsapp.connection_for_number("1002").await.unwrap(), None);
    assert_eq!(s.whatsapp.connection(&OrgId::new("org-b")).await.unwrap(), None);

    // Reconnecting replaces the organisation's number.
    let mut moved = connection("org-a", "1002");
    moved.kind = ConnectionKind::Meta;
    s.whatsapp.save_connection(&moved).await.unwrap();
    assert_eq!(s.whatsapp.connection_for_number("1001").await.unwrap(), None);
    assert_eq!(s.whatsapp.connection(&OrgId::new("org-a")).await.unwrap(), Some(moved));
}

pub async fn a_number_belongs_to_one_organisation(s: Stores) {
    s.whatsapp.save_connection(&connection("org-a", "2001")).await.unwrap();
    let taken = s.whatsapp.save_connection(&connection("org-b", "2001")).await;
    assert!(matches!(taken, Err(StoreError::Duplicate)), "{taken:?}");
    assert_eq!(s.whatsapp.connection_for_number("2001").await.unwrap().unwrap().org_id, OrgId::new("org-a"));
    assert_eq!(s.whatsapp.connection(&OrgId::new("org-b")).await.unwrap(), None);
}

pub async fn a_connection_turns_to_reauthorise_and_is_removed(s: Stores) {
    let org = OrgId::new("org-a");
    s.whatsapp.save_connection(&connection("org-a", "3001")).await.unwrap();
    let later = millis_precision(OffsetDateTime::now_utc());
    assert!(s.whatsapp.set_connection_status(&org, ConnectionStatus::Reauthorise, Some("190"), later).await.unwrap());
    let got = s.whatsapp.connection(&org).await.unwrap().unwrap();
    assert_eq!((got.status, got.status_detail.as_deref(), got.updated_at), (ConnectionStatus::Reauthorise, Some("190"), later));
    assert!(!s.whatsapp.set_connection_status(&OrgId::new("nobody"), ConnectionStatus::Connected, None, later).await.unwrap());
    assert!(s.whatsapp.remove_connection(&org).await.unwrap());
    assert!(!s.whatsapp.remove_connection(&org).await.unwrap());
    assert_eq!(s.whatsapp.connection_for_number("3001").await.unwrap(), None);
}

pub async fn deliveries_are_kept_as_received_and_marked_processed(s: Stores) {
    let at = millis_precision(OffsetDateTime::now_utc());
    let body = r#"{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"text":"¿Qué tal? مرحبا"}}]}]}"#;
    let d = DeliveryRecord { id: "d1".into(), body: body.into(), received_at: at, outcome: None, processed_at: None };
    s.whatsapp.insert_delivery(&d).await.unwrap();
    assert!(matches!(s.whatsapp.insert_delivery(&d).await, Err(StoreError::Duplicate)));
    assert_eq!(s.whatsapp.delivery("d1").await.unwrap(), Some(d.clone()));
    assert!(s.whatsapp.finish_delivery("d1", "processed", at).await.unwrap());
    assert!(!s.whatsapp.finish_delivery("d2", "processed", at).await.unwrap());
    let done = s.whatsapp.delivery("d1").await.unwrap().unwrap();
    assert_eq!((done.body.as_str(), done.outcome.as_deref(), done.processed_at), (body, Some("processed"), Some(at)));
}

pub async fn deliveries_are_stored_together(s: Stores) {
    let at = millis_precision(OffsetDateTime::now_utc());
    let d = |id: &str| DeliveryRecord { id: id.into(), body: format!("{{\"n\":\"{id}\"}}"), received_at: at, outcome: None, processed_at: None };
    s.whatsapp.insert_deliveries(&[d("b1"), d("b2"), d("b3")]).await.unwrap();
    s.whatsapp.insert_deliveries(&[]).await.unwrap();
    for id in ["b1", "b2", "b3"] {
        assert_eq!(s.whatsapp.delivery(id).await.unwrap(), Some(d(id)));
    }
}

pub async fn a_sync_replaces_an_organisations_templates(s: Stores) {
    let at = millis_precision(OffsetDateTime::now_utc());
    let template = |org: &str, name: &str, language: &str| TemplateRecord {
        org_id: OrgId::new(org),
        name: name.into(),
        language: language.into(),
        category: "UTILITY".into(),
        status: "APPROVED".into(),
        components: serde_json::json!([{ "type": "BODY", "text": "Hola {{1}}, tu pedido {{2}} va en camino." }]),
        synced_at: at,
    };
    let (a, b) = (OrgId::new("org-a"), OrgId::new("org-b"));
    let first = vec![template("org-a", "order_update", "es_MX"), template("org-a", "order_update", "en_US")];
    s.whatsapp.replace_templates(&a, &first).await.unwrap();
    s.whatsapp.replace_templates(&b, &[template("org-b", "welcome", "ar")]).await.unwrap();
    let got = s.whatsapp.templates(&a).await.unwrap();
    assert_eq!(got, vec![first[1].clone(), first[0].clone()], "by name, then language");
    let second = vec![template("org-a", "welcome_back", "es_MX")];
    s.whatsapp.replace_templates(&a, &second).await.unwrap();
    assert_eq!(s.whatsapp.templates(&a).await.unwrap(), second, "templates gone from Meta are gone here");
    assert_eq!(s.whatsapp.templates(&b).await.unwrap().len(), 1, "another organisation's stay");
}

pub async fn media_is_kept_per_organisation_and_a_retried_fetch_replaces_it(s: Stores) {
    let at = millis_precision(OffsetDateTime::now_utc());
    let photo = MediaRecord {
        org_id: OrgId::new("org-a"),
        message_id: "m1".into(),
        mime_type: "image/jpeg".into(),
        filename: None,
        sha256: "ab".into(),
        bytes: (0..=255u8).cycle().take(70_000).collect(),
        stored_at: at,
    };
    s.whatsapp.put_media(&photo).await.unwrap();
    assert_eq!(s.whatsapp.media(&OrgId::new("org-a"), "m1").await.unwrap(), Some(photo.clone()));
    assert_eq!(s.whatsapp.media(&OrgId::new("org-b"), "m1").await.unwrap(), None, "another organisation's");
    let again = MediaRecord { filename: Some("factura.pdf".into()), bytes: vec![1, 2, 3], ..photo };
    s.whatsapp.put_media(&again).await.unwrap();
    assert_eq!(s.whatsapp.media(&OrgId::new("org-a"), "m1").await.unwrap(), Some(again));
}

pub async fn quick_replies_are_per_organisation_with_one_shortcut_each(s: Stores) {
    let at = millis_precision(OffsetDateTime::now_utc());
    let reply = |id: &str, org: &str, shortcut: &str| QuickReplyRecord {
        id: id.into(),
        org_id: OrgId::new(org),
        shortcut: shortcut.into(),
        text: format!("Texto de {shortcut} — نص"),
        updated_at: at,
    };
    let (a, b) = (OrgId::new("org-a"), OrgId::new("org-b"));
    s.whatsapp.save_quick_reply(&reply("q1", "org-a", "envio")).await.unwrap();
    s.whatsapp.save_quick_reply(&reply("q2", "org-a", "horario")).await.unwrap();
    s.whatsapp.save_quick_reply(&reply("q3", "org-b", "envio")).await.unwrap();
    assert!(matches!(s.whatsapp.save_quick_reply(&reply("q4", "org-a", "envio")).await, Err(StoreError::Duplicate)));
    let shortcuts = |list: Vec<QuickReplyRecord>| list.into_iter().map(|r| r.shortcut).collect::<Vec<_>>();
    assert_eq!(shortcuts(s.whatsapp.quick_replies(&a).await.unwrap()), ["envio", "horario"]);
    // Changed by id; another organisation's id is not theirs to change.
    let changed = QuickReplyRecord { text: "Enviamos en 24 h".into(), ..reply("q1", "org-a", "envios") };
    s.whatsapp.save_quick_reply(&changed).await.unwrap();
    assert_eq!(s.whatsapp.quick_replies(&a).await.unwrap()[0], changed);
    assert!(s.whatsapp.save_quick_reply(&reply("q3", "org-a", "robado")).await.is_err());
    assert_eq!(shortcuts(s.whatsapp.quick_replies(&b).await.unwrap()), ["envio"]);
    assert!(!s.whatsapp.remove_quick_reply(&a, "q3").await.unwrap(), "another organisation's");
    assert!(s.whatsapp.remove_quick_reply(&a, "q2").await.unwrap());
    assert_eq!(shortcuts(s.whatsapp.quick_replies(&a).await.unwrap()), ["envios"]);
}
