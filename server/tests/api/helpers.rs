use adronx::config::Config;
use adronx::startup::Application;
use adronx::storage::Stores;
use serde_json::Value;

pub struct TestApp {
    pub address: String,
    pub store: Stores,
    pub client: reqwest::Client,
    _data_dir: tempfile::TempDir,
}

/// Starts the app with these extra environment variables; redirects are not followed so tests
/// can see them.
pub async fn spawn_app_with(vars: &[(&str, &str)]) -> TestApp {
    let (app, data_dir) = build_app(vars).await;
    let test_app = TestApp::new(&app, data_dir);
    tokio::spawn(app.run_until_stopped());
    test_app
}

/// The application built (not yet serving) with these extra environment variables, and its data
/// directory.
pub async fn build_app(vars: &[(&str, &str)]) -> (Application, tempfile::TempDir) {
    adronx::telemetry::init(false, None);
    let data_dir = tempfile::tempdir().unwrap();
    let dir = data_dir.path().to_string_lossy().into_owned();
    let mut all: Vec<(String, String)> = vec![
        ("ADRONX_ADDR".into(), "127.0.0.1:0".into()),
        ("ADRONX_DATA_DIR".into(), dir),
        ("LEPTOS_SITE_ROOT".into(), data_dir.path().join("site").to_string_lossy().into_owned()),
        // The lowest cost the server accepts, to keep the suite quick.
        ("ADRONX_BCRYPT_COST".into(), "10".into()),
    ];
    all.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let config = Config::from_lookup(|k| all.iter().rev().find(|(key, _)| key == k).map(|(_, v)| v.clone())).unwrap();
    (Application::build(config).await.expect("app builds"), data_dir)
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

impl TestApp {
    pub fn new(app: &Application, data_dir: tempfile::TempDir) -> Self {
        let address = format!("http://127.0.0.1:{}", app.port());
        // A request that never gets an answer fails its test by name instead of hanging the suite.
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .unwrap();
        TestApp { address, store: app.store(), client, _data_dir: data_dir }
    }

    pub fn data_dir(&self) -> &std::path::Path {
        self._data_dir.path()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_with_lang(&self, path: &str, accept_language: &str) -> reqwest::Response {
        self.client.get(self.url(path)).header("accept-language", accept_language).send().await.unwrap()
    }
}

pub fn header<'a>(res: &'a reqwest::Response, name: &str) -> &'a str {
    res.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_else(|| panic!("missing header {name}"))
}

/// The token after `marker` in an e-mail (quoted-printable soft breaks and `=3D` undone).
pub fn token_after(mail: &str, marker: &str) -> String {
    let unfolded = mail.replace("=\r\n", "").replace("=\n", "").replace("=3D", "=");
    let at = unfolded.find(marker).unwrap_or_else(|| panic!("no {marker} in {unfolded}"));
    unfolded[at + marker.len()..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

/// The newest e-mail to `to` in the outbox (runs without SMTP) that contains `marker`.
pub async fn outbox_mail(app: &TestApp, to: &str, marker: &str) -> String {
    let dir = app.data_dir().join("outbox");
    for _ in 0..100 {
        if let Ok(entries) = std::fs::read_dir(&dir) {
            let mut found: Vec<_> = entries.flatten().map(|e| e.path()).collect();
            found.sort();
            for path in found.iter().rev() {
                let text = std::fs::read_to_string(path).unwrap_or_default();
                if text.contains(&format!("To: {to}")) && text.replace("=\n", "").replace("=3D", "=").contains(marker) {
                    return text;
                }
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no e-mail to {to} containing {marker}");
}

/// Signs up and confirms through the e-mailed link; returns the confirmation response (the
/// session). With an SMTP sink, the confirmation e-mail is taken out of it.
pub async fn sign_up(app: &TestApp, smtp: Option<&crate::smtp::SmtpSink>, form: &[(&str, &str)]) -> reqwest::Response {
    let res = app.client.post(app.url("/api/auth/register")).form(form).send().await.unwrap();
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    let email = form.iter().find(|(k, _)| *k == "email").unwrap().1.trim().to_lowercase();
    let mail = match smtp {
        Some(sink) => {
            let mail = sink.wait_for(1).await.pop().unwrap().data;
            sink.messages.lock().unwrap().clear();
            mail
        }
        None => outbox_mail(app, &email, "/confirm?token=").await,
    };
    let token = token_after(&mail, "/confirm?token=");
    let password = form.iter().find(|(k, _)| *k == "password").unwrap().1;
    app.client
        .post(app.url("/api/auth/confirm"))
        .form(&[("token", token.as_str()), ("password", password)])
        .send()
        .await
        .unwrap()
}

pub const PASSWORD: &str = "correct horse battery staple";

/// A signed-in member: their session cookie, an access token, and who they are.
pub struct Session {
    pub cookie: String,
    pub access: String,
    pub user_id: String,
    pub org_id: String,
}

/// Signs up `email` as the owner of a new organisation (from a browser in Mexico, in Spanish).
pub async fn owner(app: &TestApp, email: &str) -> Session {
    let form = [
        ("first_name", "Ana"),
        ("last_name", "Owner"),
        ("email", email),
        ("password", PASSWORD),
        ("organisation", "Tienda"),
        ("lang", "es"),
    ];
    let res = sign_up(app, None, &form).await;
    let cookie = res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let grant: Value = res.json().await.unwrap();
    Session {
        cookie,
        access: grant["access_token"].as_str().unwrap().to_owned(),
        user_id: grant["viewer"]["user_id"].as_str().unwrap().to_owned(),
        org_id: grant["viewer"]["org_id"].as_str().unwrap().to_owned(),
    }
}

/// `who` joins `org` as a plain member and switches to it.
pub async fn member_of(app: &TestApp, who: Session, org: &str) -> Session {
    let at = time::OffsetDateTime::now_utc();
    let (org_id, user) = (app::ids::OrgId::new(org), app::ids::UserId::new(who.user_id.clone()));
    app.store.members.add_member(&org_id, &user, app::accounts::model::Role::Member, at).await.unwrap();
    let res = call(app, &who, "auth/switch", &[("org_id", org)]).await;
    assert_eq!(res.status(), 200);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let grant: Value = res.json().await.unwrap();
    Session { cookie, access: grant["access_token"].as_str().unwrap().to_owned(), org_id: org.to_owned(), ..who }
}

/// A call from one of our pages (session cookie), from a browser in Mexico.
pub async fn call(app: &TestApp, who: &Session, endpoint: &str, form: &[(&str, &str)]) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/{endpoint}")))
        .header("cookie", &who.cookie)
        .header("sec-fetch-site", "same-origin")
        .header("accept-language", "es-MX,es;q=0.9")
        .form(form)
        .send()
        .await
        .unwrap()
}

/// A page as a signed-in browser without JavaScript gets it, in `lang` (an `Accept-Language`);
/// `path` may also be a whole URL (a redirect's `Location`).
pub async fn page(app: &TestApp, who: &Session, path: &str, lang: &str) -> String {
    let url = if path.starts_with("http") { path.to_owned() } else { app.url(path) };
    let req = app.client.get(url).header("cookie", &who.cookie).header("accept", "text/html");
    req.header("accept-language", lang).send().await.unwrap().text().await.unwrap()
}

/// The status and the JSON body (null when there is none).
pub async fn json(res: reqwest::Response) -> (u16, Value) {
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Polls `check` (every 50 ms, up to 10 s) until it gives a value.
pub async fn eventually<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    for _ in 0..200 {
        if let Some(found) = check().await {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("gave up waiting for {what}");
}

/// A chart's drawing as the page's `<img>` fetches it (the visitor's cookie): status, content
/// type, body.
pub async fn drawing(app: &TestApp, who: &Session, src: &Value) -> (u16, String, String) {
    let src = src.as_str().unwrap_or_else(|| panic!("a chart address: {src}"));
    let req = app.client.get(app.url(src)).header("cookie", &who.cookie).header("sec-fetch-site", "same-origin");
    let res = req.send().await.unwrap();
    let kind = header(&res, "content-type").to_owned();
    (res.status().as_u16(), kind, res.text().await.unwrap())
}
