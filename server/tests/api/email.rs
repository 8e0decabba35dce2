use crate::helpers::{spawn_app, spawn_app_with};
use crate::smtp::SmtpSink;

const FORM: [(&str, &str); 6] = [
    ("name", "Ana Pérez"),
    ("email", "ana@tienda.mx"),
    ("company", ""),
    ("message", "Queremos una demostración de la bandeja."),
    ("website", ""),
    ("lang", "es"),
];

#[tokio::test]
async fn a_contact_message_is_acknowledged_by_email_in_the_senders_language_over_smtp() {
    let smtp = SmtpSink::start().await;
    let app =
        spawn_app_with(&[("ADRONX_SMTP_URL", &smtp.url), ("ADRONX_SMTP_FROM", "Adronx <hello@adronx.test>")]).await;
    let res = app.client.post(app.url("/api/contact")).form(&FORM).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let mail = &smtp.wait_for(1).await[0];
    assert_eq!(mail.to, vec!["ana@tienda.mx"]);
    assert!(mail.data.contains("Subject: Hemos recibido tu mensaje"), "{}", mail.data);
    assert!(mail.data.contains("From: Adronx <hello@adronx.test>"));
    assert!(mail.data.contains("multipart/alternative"));
    assert!(mail.data.contains("text/plain") && mail.data.contains("text/html"));
    assert!(mail.data.contains("Hola"));
    // Posting the same message again is a new message, but a retried job never sends twice:
    // exactly one e-mail per stored message.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(smtp.messages.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn without_smtp_emails_land_in_the_outbox_folder() {
    let app = spawn_app().await;
    app.client.post(app.url("/api/contact")).form(&FORM).send().await.unwrap();
    let outbox = app.data_dir().join("outbox");
    for _ in 0..100 {
        if let Some(Ok(entry)) = std::fs::read_dir(&outbox).ok().and_then(|mut entries| entries.next()) {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            assert!(text.contains("To: ana@tienda.mx") && text.contains("Hemos recibido tu mensaje"));
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no e-mail in {}", outbox.display());
}
