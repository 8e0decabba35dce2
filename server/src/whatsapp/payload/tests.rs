//! Message and status shapes as Meta's webhook reference documents them.

use super::*;
use serde_json::json;

fn message(kind: &str, body: Value) -> Value {
    let mut m = json!({ "from": "16505551234", "id": "wamid.ID", "timestamp": "1749416383", "type": kind });
    m[kind] = body;
    m
}

#[test]
fn every_documented_message_type_is_read() {
    let cases = [
        (
            message("text", json!({ "body": "¿Lo tienen en azul?" })),
            MessageContent::Text { body: "¿Lo tienen en azul?".into() },
        ),
        (
            message("image", json!({ "caption": "Este", "mime_type": "image/jpeg", "sha256": "x", "id": "MEDIA1" })),
            MessageContent::Media {
                kind: MediaKind::Image,
                media_id: "MEDIA1".into(),
                mime_type: Some("image/jpeg".into()),
                caption: Some("Este".into()),
                filename: None,
                state: MediaState::Fetching,
            },
        ),
        (
            message("document", json!({ "filename": "factura.pdf", "mime_type": "application/pdf", "id": "MEDIA2" })),
            MessageContent::Media {
                kind: MediaKind::Document,
                media_id: "MEDIA2".into(),
                mime_type: Some("application/pdf".into()),
                caption: None,
                filename: Some("factura.pdf".into()),
                state: MediaState::Fetching,
            },
        ),
        (
            message(
                "location",
                json!({ "latitude": 19.4326, "longitude": -99.1332, "name": "Zócalo", "address": "CDMX" }),
            ),
            MessageContent::Location {
                latitude: 19.4326,
                longitude: -99.1332,
                name: Some("Zócalo".into()),
                address: Some("CDMX".into()),
            },
        ),
        (
            message(
                "contacts",
                json!([{ "name": { "formatted_name": "Ana Pérez" }, "phones": [{ "phone": "+52 55 1234 5678", "wa_id": "5215512345678" }] }]),
            ),
            MessageContent::Contacts { cards: vec![("Ana Pérez".into(), vec!["+52 55 1234 5678".into()])] },
        ),
        (
            message("interactive", json!({ "type": "button_reply", "button_reply": { "id": "yes", "title": "Sí" } })),
            MessageContent::Choice { id: Some("yes".into()), title: "Sí".into() },
        ),
        (
            message(
                "interactive",
                json!({ "type": "list_reply", "list_reply": { "id": "m", "title": "Talla M", "description": "" } }),
            ),
            MessageContent::Choice { id: Some("m".into()), title: "Talla M".into() },
        ),
        (
            message("button", json!({ "payload": "STOP", "text": "Parar" })),
            MessageContent::Choice { id: Some("STOP".into()), title: "Parar".into() },
        ),
        (
            message("reaction", json!({ "message_id": "wamid.OURS", "emoji": "❤️" })),
            MessageContent::Reaction { to: "wamid.OURS".into(), emoji: "❤️".into() },
        ),
        (message("order", json!({ "catalog_id": "1" })), MessageContent::Unsupported { kind: "order".into() }),
        (message("text", json!({ "no_body": true })), MessageContent::Unsupported { kind: "text".into() }),
    ];
    for (raw, expected) in cases {
        let read = Inbound::read(&raw).unwrap();
        assert_eq!(read.content, expected, "{raw}");
        assert_eq!((read.wamid.as_str(), read.from.as_str(), read.timestamp), ("wamid.ID", "16505551234", 1749416383));
    }
    let unknown = json!({ "from": "1", "id": "wamid.U", "timestamp": "1", "type": "unsupported", "errors": [{ "code": 131051 }] });
    assert_eq!(Inbound::read(&unknown).unwrap().content, MessageContent::Unsupported { kind: "unsupported".into() });
    assert_eq!(Inbound::read(&json!({ "id": "wamid.X", "type": "text" })), None, "no sender, no time");
}

#[test]
fn quotes_and_ad_referrals_are_kept() {
    let mut m = message("text", json!({ "body": "Vi su anuncio" }));
    m["context"] = json!({ "from": "15550783881", "id": "wamid.QUOTED" });
    m["referral"] = json!({
        "source_url": "https://fb.me/x", "source_id": "120210000000", "source_type": "ad",
        "headline": "Rebajas de invierno", "body": "…", "media_type": "image", "ctwa_clid": "ARAkLkA"
    });
    let read = Inbound::read(&m).unwrap();
    assert_eq!(read.context_wamid.as_deref(), Some("wamid.QUOTED"));
    assert_eq!(
        read.referral,
        Some(Referral {
            source_id: "120210000000".into(),
            source_type: "ad".into(),
            ctwa_clid: Some("ARAkLkA".into()),
            headline: Some("Rebajas de invierno".into()),
        })
    );
}

#[test]
fn statuses_keep_a_failures_code_title_and_details() {
    let failed = json!({
        "id": "wamid.OUT", "status": "failed", "timestamp": "1749416400", "recipient_id": "16505551234",
        "errors": [{ "code": 131026, "title": "Message undeliverable", "message": "Message undeliverable",
                     "error_data": { "details": "Message could not be delivered" } }]
    });
    assert_eq!(
        StatusUpdate::read(&failed),
        Some(StatusUpdate {
            wamid: "wamid.OUT".into(),
            status: MessageStatus::Failed,
            timestamp: 1749416400,
            error: Some(MessageError {
                code: 131026,
                title: "Message undeliverable".into(),
                details: Some("Message could not be delivered".into()),
            }),
        })
    );
    let read = json!({ "id": "wamid.OUT", "status": "read", "timestamp": "1749416500", "recipient_id": "1" });
    assert_eq!(StatusUpdate::read(&read).unwrap().status, MessageStatus::Read);
    assert_eq!(StatusUpdate::read(&json!({ "id": "w", "status": "deleted", "timestamp": "1" })), None);
}

#[test]
fn a_whole_delivery_reads_with_missing_parts() {
    let raw = json!({
        "object": "whatsapp_business_account",
        "entry": [{ "id": "WABA", "changes": [
            { "field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": { "display_phone_number": "15550783881", "phone_number_id": "106540352242922" },
                "contacts": [{ "profile": { "name": "Sheena" }, "wa_id": "16505551234" }],
                "messages": [message("text", json!({ "body": "hi" }))]
            }},
            { "field": "account_update" }
        ]}]
    });
    let d: Delivery = serde_json::from_value(raw).unwrap();
    let value = d.entry[0].changes[0].value.as_ref().unwrap();
    assert_eq!(value.metadata.as_ref().unwrap().phone_number_id, "106540352242922");
    assert_eq!(value.contacts[0].profile.as_ref().unwrap().name, "Sheena");
    assert!(d.entry[0].changes[1].value.is_none());
}
