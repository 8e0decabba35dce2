//! Contacts over HTTP: the server functions with a session cookie or a bearer token, phone
//! normalisation with the organisation's default country, roles and tenant isolation.

use crate::helpers::{Session, TestApp, call, json, member_of, owner, spawn_app};
use serde_json::Value;

async fn create(app: &TestApp, who: &Session, name: &str, phone: &str) -> Value {
    let (status, body) =
        json(call(app, who, "contacts/create", &[("display_name", name), ("phone", phone)]).await).await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn one_customer_is_one_contact_however_the_number_is_written() {
    let app = spawn_app().await;
    let ana = owner(&app, "ana@tienda.mx").await;
    // No default country set yet: the browser's (es-MX) reads national numbers.
    let created = create(&app, &ana, "Luis", "55 1234 5678").await;
    assert_eq!(created["phone"], "+525512345678");
    assert_eq!(created["wa_id"], "525512345678");
    for same in ["+52 1 55 1234 5678", "5215512345678", "+52 (55) 1234-5678"] {
        let (status, body) =
            json(call(&app, &ana, "contacts/create", &[("display_name", "Luis"), ("phone", same)]).await).await;
        assert_eq!((status, body["code"].as_str()), (409, Some("error-contact-phone-taken")), "{same}");
    }
    let (status, body) =
        json(call(&app, &ana, "contacts/create", &[("display_name", "X"), ("phone", "4.91512E+11")]).await).await;
    assert_eq!((status, body["code"].as_str()), (422, Some("error-phone-spreadsheet")));
    let (_, page) = json(call(&app, &ana, "contacts/list", &[("search", "+52 1 55 1234-5678")]).await).await;
    assert_eq!(page["contacts"].as_array().unwrap().len(), 1, "found by the number in another form");
    assert_eq!(page["default_country"], "MX");
    // Setting the default country changes how national numbers are read.
    let (status, _) = json(call(&app, &ana, "contacts/default-country", &[("country", "es")]).await).await;
    assert_eq!(status, 200);
    let (_, country) = json(call(&app, &ana, "contacts/default-country/get", &[]).await).await;
    assert_eq!(country, "ES", "the organisation's setting wins over the browser's region");
    let spain = create(&app, &ana, "Marta", "612 34 56 78").await;
    assert_eq!(spain["phone"], "+34612345678");
    let (status, body) = json(call(&app, &ana, "contacts/default-country", &[("country", "XX")]).await).await;
    assert_eq!((status, body["code"].as_str()), (422, Some("error-country")));
}

#[tokio::test]
async fn edit_tag_opt_out_delete_and_undo() {
    let app = spawn_app().await;
    let ana = owner(&app, "ana@tienda.mx").await;
    let luis = create(&app, &ana, "Luis", "+52 55 1234 5678").await;
    let id = luis["id"].as_str().unwrap();
    let fields = [
        ("id", id),
        ("first_name", "Luis"),
        ("last_name", "García"),
        ("phone", "+52 55 1234 5678"),
        ("email", "Luis@Example.com"),
        ("tags", "vip, lead"),
        ("attributes", "city: Monterrey"),
    ];
    let (status, edited) = json(call(&app, &ana, "contacts/update", &fields).await).await;
    assert_eq!(status, 200, "{edited}");
    assert_eq!(edited["display_name"], "Luis García", "named from first and last name");
    assert_eq!(edited["email"], "luis@example.com");
    assert_eq!(edited["tags"], serde_json::json!(["lead", "vip"]));
    assert_eq!(edited["attributes"]["city"], "Monterrey");
    let (_, opted) = json(call(&app, &ana, "contacts/opt-out", &[("id", id), ("opted_out", "true")]).await).await;
    assert_eq!(opted["opt_out"]["source"], "manual");
    let marta = create(&app, &ana, "Marta", "+34 612 34 56 78").await;
    let both = format!("{id},{}", marta["id"].as_str().unwrap());
    let (_, tagged) = json(call(&app, &ana, "contacts/tag", &[("ids", &both), ("tag", "feria")]).await).await;
    assert_eq!(tagged, 2);
    let (_, page) = json(call(&app, &ana, "contacts/list", &[("tag", "feria")]).await).await;
    assert_eq!(page["contacts"].as_array().unwrap().len(), 2);
    let (_, deleted) = json(call(&app, &ana, "contacts/delete", &[("ids", &both)]).await).await;
    assert_eq!(deleted, 2);
    let (_, page) = json(call(&app, &ana, "contacts/list", &[]).await).await;
    assert!(page["contacts"].as_array().unwrap().is_empty());
    let (_, restored) = json(call(&app, &ana, "contacts/restore", &[("ids", &both)]).await).await;
    assert_eq!(restored, 2);
    let (_, page) = json(call(&app, &ana, "contacts/list", &[]).await).await;
    assert_eq!(page["contacts"].as_array().unwrap().len(), 2, "undo brings both back");
    // A deleted contact's number, created again, brings that contact back rather than a second one.
    call(&app, &ana, "contacts/delete", &[("ids", id)]).await;
    let again = create(&app, &ana, "Luis again", "5215512345678").await;
    assert_eq!(again["id"], id);
    assert_eq!(again["opt_out"]["source"], "manual", "the opt-out is kept");
}

#[tokio::test]
async fn members_edit_admins_bulk_delete_and_other_organisations_see_nothing() {
    let app = spawn_app().await;
    let ana = owner(&app, "ana@tienda.mx").await;
    let a = create(&app, &ana, "A", "+34 612 34 56 71").await;
    let b = create(&app, &ana, "B", "+34 612 34 56 72").await;
    let both = format!("{},{}", a["id"].as_str().unwrap(), b["id"].as_str().unwrap());
    let pepe = member_of(&app, owner(&app, "pepe@tienda.mx").await, &ana.org_id).await;
    let (status, _) = json(
        call(
            &app,
            &pepe,
            "contacts/update",
            &[("id", a["id"].as_str().unwrap()), ("display_name", "A2"), ("phone", "+34612345671")],
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "members edit");
    let (status, body) = json(call(&app, &pepe, "contacts/delete", &[("ids", &both)]).await).await;
    assert_eq!((status, body["code"].as_str()), (403, Some("error-forbidden")), "bulk delete is for admins");
    let (status, _) = json(call(&app, &pepe, "contacts/default-country", &[("country", "ES")]).await).await;
    assert_eq!(status, 403);
    let (status, _) = json(call(&app, &pepe, "contacts/delete", &[("ids", a["id"].as_str().unwrap())]).await).await;
    assert_eq!(status, 200, "one contact, any member");
    // Another organisation: its id answers exactly like a missing one, lists are separate.
    let eve = owner(&app, "eve@otra.mx").await;
    let missing = json(call(&app, &eve, "contacts/get", &[("id", "no-such-id")]).await).await;
    let foreign = json(call(&app, &eve, "contacts/get", &[("id", b["id"].as_str().unwrap())]).await).await;
    assert_eq!(foreign.0, 404);
    assert_eq!(foreign.1["code"], missing.1["code"]);
    let (_, changed) = json(call(&app, &eve, "contacts/tag", &[("ids", &both), ("tag", "stolen")]).await).await;
    assert_eq!(changed, 0);
    let (_, page) = json(call(&app, &eve, "contacts/list", &[]).await).await;
    assert!(page["contacts"].as_array().unwrap().is_empty());
    let (status, _) = json(call(&app, &ana, "contacts/default-country", &[("country", "AR")]).await).await;
    assert_eq!(status, 200);
    let (_, country) = json(call(&app, &eve, "contacts/default-country/get", &[]).await).await;
    assert_eq!(country, "MX", "another organisation's setting is not Eve's (hers: her browser's region)");
    let eve_copy = create(&app, &eve, "B at Eve's", "+34 612 34 56 72").await;
    assert_ne!(eve_copy["id"], b["id"], "the same number is another organisation's own contact");
}

#[tokio::test]
async fn a_bearer_token_works_and_pages_follow_the_cursor() {
    let app = spawn_app().await;
    let ana = owner(&app, "ana@tienda.mx").await;
    for n in 0..120 {
        create(&app, &ana, &format!("Contact {n:03}"), &format!("+1 415 555 {n:04}")).await;
    }
    let mut seen = vec![];
    let mut after = String::new();
    loop {
        let res = app
            .client
            .post(app.url("/api/contacts/list"))
            .bearer_auth(&ana.access)
            .form(&[("after", after.as_str())])
            .send()
            .await
            .unwrap();
        let (status, page) = json(res).await;
        assert_eq!(status, 200, "{page}");
        seen.extend(
            page["contacts"].as_array().unwrap().iter().map(|c| c["display_name"].as_str().unwrap().to_owned()),
        );
        match page["next"].as_str() {
            Some(next) => after = next.to_owned(),
            None => break,
        }
    }
    let expected: Vec<String> = (0..120).map(|n| format!("Contact {n:03}")).collect();
    assert_eq!(seen, expected, "every contact once, in name order, over three pages");
    let (status, body) = json(call(&app, &ana, "contacts/list", &[("after", "n.not-base64!.x")]).await).await;
    assert_eq!((status, body["code"].as_str()), (422, Some("error-bad-request")));
}

#[tokio::test]
async fn the_contacts_pages_are_rendered_on_the_server() {
    let app = spawn_app().await;
    let ana = owner(&app, "ana@tienda.mx").await;
    let luis = create(&app, &ana, "Luis <b>García</b>", "+52 55 1234 5678").await;
    let page = |path: String| {
        app.client.get(app.url(&path)).header("cookie", &ana.cookie).header("sec-fetch-site", "same-origin").send()
    };
    let list = page("/app/contacts?q=luis".into()).await.unwrap().text().await.unwrap();
    assert!(list.contains("Luis &lt;b&gt;García&lt;/b&gt;"), "names are text");
    assert!(list.contains("+525512345678"));
    assert!(list.contains("id=\"new-contact-phone\""), "the new-contact form is rendered");
    let id = luis["id"].as_str().unwrap();
    let detail = page(format!("/app/contacts/{id}")).await.unwrap().text().await.unwrap();
    assert!(detail.contains("525512345678"), "the WhatsApp id");
}

/// The caller a request authenticated is kept for that request only (`CallerMemo`): once the
/// session ends, the next call and the next page render no longer see the organisation's contacts.
#[tokio::test]
async fn a_session_ended_between_requests_is_seen_by_the_next_one() {
    let app = spawn_app().await;
    let ana = owner(&app, "ana@tienda.mx").await;
    create(&app, &ana, "Luis Torres", "+52 55 1234 5678").await;
    let page = || app.client.get(app.url("/app/contacts")).header("cookie", &ana.cookie).send();
    assert!(page().await.unwrap().text().await.unwrap().contains("Luis Torres"));
    assert_eq!(call(&app, &ana, "contacts/list", &[]).await.status(), 200);
    assert_eq!(call(&app, &ana, "auth/logout", &[]).await.status(), 200);
    assert_eq!(call(&app, &ana, "contacts/list", &[]).await.status(), 401);
    assert!(!page().await.unwrap().text().await.unwrap().contains("Luis Torres"));
}
