//! Starting the real `adronx` binary on a free port with a data directory, and signing up on it.

use serde_json::Value;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    pub child: Child,
    pub base: String,
}

/// A failing test still stops its server.
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start(data: &std::path::Path, port: u16) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_adronx"))
        .env("ADRONX_ADDR", format!("127.0.0.1:{port}"))
        .env("ADRONX_DATA_DIR", data)
        .env("LEPTOS_SITE_ROOT", data.join("site"))
        .env("ADRONX_BCRYPT_COST", "10")
        // A killed worker's job is taken over once its lease lapses: 2 s here instead of 30.
        .env("ADRONX_JOB_LEASE_SECS", "2")
        .env("RUST_LOG", "info")
        .stdout(log(data, port, "out"))
        .stderr(log(data, port, "err"))
        .spawn()
        .expect("the adronx binary starts");
    Server { child, base: format!("http://127.0.0.1:{port}") }
}

pub async fn wait_ready(client: &reqwest::Client, server: &Server) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(res) = client.get(format!("{}/readyz", server.base)).send().await
            && res.status() == 200
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not start");
}

/// Where a run's output goes (read when a test fails).
fn log(data: &std::path::Path, port: u16, stream: &str) -> Stdio {
    let name = format!(
        "server-{}-{stream}.log",
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
    );
    let _ = port;
    std::fs::File::create(data.join(name)).map(Stdio::from).unwrap_or_else(|_| Stdio::null())
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The token in the newest outbox e-mail containing `marker`.
fn outbox_token(data: &std::path::Path, marker: &str) -> Option<String> {
    for entry in std::fs::read_dir(data.join("outbox")).ok()? {
        let text = std::fs::read_to_string(entry.ok()?.path()).ok()?;
        let text = text.replace("=\r\n", "").replace("=\n", "").replace("=3D", "=");
        if let Some(at) = text.find(marker) {
            return Some(
                text[at + marker.len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect(),
            );
        }
    }
    None
}

/// A signed-in owner: the session cookie (`name=value`) and a bearer token.
pub struct Owner {
    pub cookie: String,
    pub access: String,
    pub org_id: String,
}

/// Signs up as the owner of a new organisation and confirms through the e-mailed link.
pub async fn sign_up(client: &reqwest::Client, server: &Server, data: &std::path::Path) -> Owner {
    let password = "correct horse battery staple";
    let form = [
        ("first_name", "Ana"),
        ("last_name", "Owner"),
        ("email", "ana@tienda.mx"),
        ("password", password),
        ("organisation", "Tienda"),
        ("lang", "en"),
    ];
    client.post(format!("{}/api/auth/register", server.base)).form(&form).send().await.unwrap();
    let mut token = None;
    for _ in 0..200 {
        token = outbox_token(data, "/confirm?token=");
        if token.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let confirm = [("token", token.expect("a confirmation e-mail")), ("password", password.to_owned())];
    let res = client.post(format!("{}/api/auth/confirm", server.base)).form(&confirm).send().await.unwrap();
    let cookie = res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let grant: Value = res.json().await.unwrap();
    Owner {
        cookie,
        access: grant["access_token"].as_str().unwrap().to_owned(),
        org_id: grant["viewer"]["org_id"].as_str().unwrap().to_owned(),
    }
}
