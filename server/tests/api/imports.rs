//! CSV imports over HTTP: upload → preview and suggested mapping → start → progress → report and
//! e-mail; a second import of the same file changes nothing; bad files are refused with a reason.

use crate::helpers::{TestApp, outbox_mail, sign_up, spawn_app};
use serde_json::Value;
use std::time::Duration;

pub struct Owner {
    pub cookie: String,
}

pub async fn owner(app: &TestApp, email: &str) -> Owner {
    let form = [
        ("first_name", "Ana"),
        ("last_name", "Owner"),
        ("email", email),
        ("password", "correct horse battery staple"),
        ("organisation", "Tienda"),
        ("lang", "es"),
    ];
    let res = sign_up(app, None, &form).await;
    Owner { cookie: res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned() }
}

fn same_origin(app: &TestApp, method: reqwest::Method, path: &str, who: &Owner) -> reqwest::RequestBuilder {
    app.client
        .request(method, app.url(path))
        .header("cookie", &who.cookie)
        .header("sec-fetch-site", "same-origin")
        .header("accept-language", "es-MX,es;q=0.9")
}

pub async fn upload(app: &TestApp, who: &Owner, name: &str, bytes: Vec<u8>) -> (u16, Value) {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
    let form = reqwest::multipart::Form::new().part("file", part);
    let res = same_origin(app, reqwest::Method::POST, "/api/contacts/import/upload", who)
        .multipart(form)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap_or(Value::Null))
}

async fn call(app: &TestApp, who: &Owner, endpoint: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let res =
        same_origin(app, reqwest::Method::POST, &format!("/api/{endpoint}"), who).form(form).send().await.unwrap();
    (res.status().as_u16(), res.json().await.unwrap_or(Value::Null))
}

/// Starts the import with its suggested mapping, and waits until it ends.
async fn run(app: &TestApp, who: &Owner, import: &Value, tags: &str) -> Value {
    let id = import["id"].as_str().unwrap();
    let keys: Vec<String> = import["mapping"].as_array().unwrap().iter().map(target_key).collect();
    let mut form: Vec<(String, String)> =
        keys.iter().enumerate().map(|(i, k)| (format!("mapping[{i}]"), k.clone())).collect();
    form.extend([
        ("id".into(), id.into()),
        ("mode".into(), "create_and_update".into()),
        ("tags".into(), tags.into()),
        ("country".into(), "MX".into()),
    ]);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, started) = call(app, who, "contacts/import/start", &form).await;
    assert_eq!(status, 200, "{started}");
    for _ in 0..300 {
        let (_, now) = call(app, who, "contacts/import/status", &[("id", id)]).await;
        if now["status"] == "done" || now["status"] == "failed" {
            return now;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the import did not end");
}

/// The form key of a mapping target as the API answers it (`"Phone"`, `{"Attribute": "x"}`).
fn target_key(target: &Value) -> String {
    match target {
        Value::String(s) => match s.as_str() {
            "DisplayName" => "display_name",
            "FirstName" => "first_name",
            "LastName" => "last_name",
            "Phone" => "phone",
            "Email" => "email",
            "Tags" => "tags",
            "OptOut" => "opt_out",
            _ => "ignore",
        }
        .to_owned(),
        Value::Object(o) => format!("attr:{}", o["Attribute"].as_str().unwrap()),
        _ => "ignore".into(),
    }
}

const FILE: &str = "\u{feff}Nombre;Apellidos;Celular;Correo electrónico;Ciudad\n\
Ana;Pérez;55 1234 5678;ana@example.com;CDMX\n\
Luis;García;+52 1 55 8765 4321;;Monterrey\n\
Ana bis;Pérez;5215512345678;;CDMX\n\
Hoja;Cálculo;4.91512E+11;;Puebla\n\
Sin;Contacto;;;León\n\
=HYPERLINK(\"http://evil\");x;+34 612 34 56 78;;Madrid\n\
;;;;\n";

#[tokio::test]
async fn an_import_runs_end_to_end_and_a_second_run_changes_nothing() {
    let app = spawn_app().await;
    let ana = owner(&app, "ana@tienda.mx").await;
    let (status, import) = upload(&app, &ana, "clientes.csv", FILE.as_bytes().to_vec()).await;
    assert_eq!(status, 200, "{import}");
    assert_eq!(import["encoding"], "utf-8");
    assert_eq!(import["delimiter"], ";");
    assert_eq!(import["headers"][0], "Nombre");
    assert_eq!(import["preview"].as_array().unwrap().len(), 5);
    assert_eq!(import["status"], "uploaded");
    assert_eq!(
        import["mapping"],
        serde_json::json!(["FirstName", "LastName", "Phone", "Email", {"Attribute": "Ciudad"}])
    );
    let done = run(&app, &ana, &import, "feria").await;
    assert_eq!(done["status"], "done", "{done}");
    let counts = &done["counts"];
    assert_eq!((counts["created"].as_u64(), counts["rejected"].as_u64()), (Some(3), Some(3)), "{done}");
    assert_eq!(done["total_rows"], 7, "every record, the blank one included");
    // The rejected rows, each with its reason, in the caller's language.
    let report = same_origin(
        &app,
        reqwest::Method::GET,
        &format!("/api/contacts/import/rejected?id={}", import["id"].as_str().unwrap()),
        &ana,
    )
    .send()
    .await
    .unwrap();
    assert_eq!(report.status(), 200);
    assert!(crate::helpers::header(&report, "content-disposition").contains("rejected-clientes.csv"));
    let report = report.text().await.unwrap();
    assert!(report.contains("Ana bis") && report.contains(",4,"), "the duplicate of row 2, at row 4: {report}");
    assert!(report.contains("4.91512E+11") && report.contains("notación científica"), "{report}");
    assert!(report.contains("Sin,Contacto"), "{report}");
    // The contacts, with the import's tag and the file's attribute.
    let (_, page) = call(&app, &ana, "contacts/list", &[("search", "55 1234 5678")]).await;
    let ana_contact = &page["contacts"][0];
    assert_eq!(ana_contact["display_name"], "Ana Pérez");
    assert_eq!(ana_contact["tags"], serde_json::json!(["feria"]));
    assert_eq!(ana_contact["attributes"]["Ciudad"], "CDMX");
    // The completion e-mail to the person who started it.
    let mail = outbox_mail(&app, "ana@tienda.mx", "clientes.csv").await;
    let mail = mail.replace("=\r\n", "").replace("=\n", "");
    assert!(mail.contains("3 contactos creados"), "{mail}");
    // The same file again: nothing new, nothing changed.
    let (_, again) = upload(&app, &ana, "clientes.csv", FILE.as_bytes().to_vec()).await;
    let second = run(&app, &ana, &again, "feria").await;
    assert_eq!(
        (second["counts"]["created"].as_u64(), second["counts"]["unchanged"].as_u64()),
        (Some(0), Some(3)),
        "{second}"
    );
    let (_, history) = call(&app, &ana, "contacts/import/history", &[]).await;
    assert_eq!(history.as_array().unwrap().len(), 2);
    // The export neutralises the formula that came in with the file.
    let csv = same_origin(&app, reqwest::Method::GET, "/api/contacts/export?format=csv", &ana)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert_eq!(csv.lines().count(), 4, "header and three contacts");
    let json: Value = same_origin(&app, reqwest::Method::GET, "/api/contacts/export?format=json&tag=feria", &ana)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(json.as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn files_that_cannot_be_imported_are_refused_with_their_reason() {
    let app = spawn_app().await;
    let ana = owner(&app, "ana@tienda.mx").await;
    for (bytes, code) in [
        (vec![], "error-import-empty"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0".to_vec(), "error-import-binary"),
        (b"name,phone\n".to_vec(), "error-import-no-rows"),
    ] {
        let (status, body) = upload(&app, &ana, "x.csv", bytes).await;
        assert_eq!((status, body["code"].as_str()), (422, Some(code)));
    }
    let huge = vec![b'a'; (50 << 20) + 1];
    let (status, body) = upload(&app, &ana, "big.csv", huge).await;
    assert_eq!((status, body["code"].as_str()), (413, Some("error-import-too-large")));
    assert!(std::fs::read_dir(app.data_dir().join("imports")).map(|d| d.count()).unwrap_or(0) == 0, "nothing kept");
    // A mapping without a phone or e-mail column cannot start.
    let (_, import) = upload(&app, &ana, "ok.csv", b"name,city\nAna,Lima\n".to_vec()).await;
    let id = import["id"].as_str().unwrap();
    let form = [
        ("id", id),
        ("mapping[0]", "display_name"),
        ("mapping[1]", "attr:city"),
        ("mode", "create_only"),
        ("country", "PE"),
    ];
    let (status, body) = call(&app, &ana, "contacts/import/start", &form).await;
    assert_eq!((status, body["code"].as_str()), (422, Some("error-import-mapping-reach")));
}

#[tokio::test]
async fn windows_1252_and_utf16_files_are_read() {
    let app = spawn_app().await;
    let ana = owner(&app, "ana@tienda.mx").await;
    let latin1 = b"nombre;tel\xe9fono\nJos\xe9;+34 612 34 56 78\n".to_vec();
    let (_, import) = upload(&app, &ana, "latin1.csv", latin1).await;
    assert_eq!(import["encoding"], "windows-1252");
    assert_eq!(import["headers"][1], "teléfono");
    let done = run(&app, &ana, &import, "").await;
    assert_eq!(done["counts"]["created"], 1, "{done}");
    let text = "name\tphone\nخالد\t+971 50 123 4567\n";
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let (_, import) = upload(&app, &ana, "utf16.csv", utf16).await;
    assert_eq!((import["encoding"].as_str(), import["delimiter"].as_str()), (Some("utf-16le"), Some("\t")));
    let done = run(&app, &ana, &import, "").await;
    assert_eq!(done["counts"]["created"], 1, "{done}");
    let (_, page) = call(&app, &ana, "contacts/list", &[("search", "خالد")]).await;
    assert_eq!(page["contacts"][0]["phone"], "+971501234567");
}

#[tokio::test]
async fn the_wizard_pages_are_rendered_on_the_server() {
    let app = spawn_app().await;
    let ana = owner(&app, "ana@tienda.mx").await;
    let start = same_origin(&app, reqwest::Method::GET, "/app/contacts/import", &ana)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(start.contains("enctype=\"multipart/form-data\"") && start.contains("Importar contactos"), "{start}");
    let (_, import) = upload(&app, &ana, "clientes.csv", FILE.as_bytes().to_vec()).await;
    let id = import["id"].as_str().unwrap();
    let page =
        same_origin(&app, reqwest::Method::GET, &format!("/app/contacts/import/{id}"), &ana).send().await.unwrap();
    let page = page.text().await.unwrap();
    assert!(page.contains("Revisa las columnas") && page.contains("55 1234 5678"), "preview");
    assert!(page.contains("name=\"mapping[2]\"") && page.contains("value=\"phone\" selected"), "the suggested mapping");
    // A plain form post (no JavaScript) goes on to that page.
    let part = reqwest::multipart::Part::bytes(FILE.as_bytes().to_vec()).file_name("again.csv");
    let res = same_origin(&app, reqwest::Method::POST, "/api/contacts/import/upload", &ana)
        .header("accept", "text/html")
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert!(crate::helpers::header(&res, "location").starts_with("/app/contacts/import/"));
}

#[tokio::test]
async fn members_cannot_import_or_export() {
    let app = spawn_app().await;
    let ana = owner(&app, "ana@tienda.mx").await;
    let pepe = owner(&app, "pepe@tienda.mx").await;
    let (ana_org, pepe_user) = {
        let ana_user = app.store.accounts.user_by_email("ana@tienda.mx").await.unwrap().unwrap();
        let org = app.store.accounts.memberships(&ana_user.id).await.unwrap()[0].org.id.clone();
        (org, app.store.accounts.user_by_email("pepe@tienda.mx").await.unwrap().unwrap().id)
    };
    app.store
        .members
        .add_member(&ana_org, &pepe_user, app::accounts::model::Role::Member, time::OffsetDateTime::now_utc())
        .await
        .unwrap();
    let res = same_origin(&app, reqwest::Method::POST, "/api/auth/switch", &pepe)
        .form(&[("org_id", ana_org.as_str())])
        .send()
        .await
        .unwrap();
    let pepe = Owner { cookie: res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned() };
    let (status, _) = upload(&app, &pepe, "x.csv", FILE.as_bytes().to_vec()).await;
    assert_eq!(status, 403);
    let export = same_origin(&app, reqwest::Method::GET, "/api/contacts/export", &pepe).send().await.unwrap();
    assert_eq!(export.status(), 403);
    let (_, import) = upload(&app, &ana, "x.csv", FILE.as_bytes().to_vec()).await;
    let (status, _) = call(&app, &pepe, "contacts/import/status", &[("id", import["id"].as_str().unwrap())]).await;
    assert_eq!(status, 403);
}
