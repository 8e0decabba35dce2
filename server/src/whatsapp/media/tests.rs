//! Fetching a customer's file from a local server that answers as Meta does.

use super::*;
use crate::integrations::api::ApiConfig;
use crate::integrations::graph::GraphClient;
use axum::extract::Path;
use axum::routing::get;
use serde_json::json;

const FILE: &[u8] = b"\x89PNG\r\n\x1a\n a small picture";

/// Serves `/v21.0/{media-id}` (the file's details) and `/file/{media-id}` (its bytes), as Meta's
/// Graph API and its download host do. `big` claims 20 MiB; `sneaky` claims little but sends
/// more; `wrong` reports another SHA-256; `elsewhere` points at a plain-HTTP foreign host.
async fn meta() -> WhatsAppClient {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let url = base.clone();
    let app = axum::Router::new()
        .route(
            "/v21.0/{id}",
            get(move |Path(id): Path<String>| {
                let url = url.clone();
                async move {
                    let sha = match id.as_str() {
                        "wrong" => "00".repeat(32),
                        _ => hex::encode(Sha256::digest(FILE)),
                    };
                    let size = if id == "big" { 20 * 1024 * 1024 } else { FILE.len() };
                    let at = match id.as_str() {
                        "elsewhere" => "http://203.0.113.9/file".to_owned(),
                        _ => format!("{url}/file/{id}"),
                    };
                    axum::Json(json!({ "messaging_product": "whatsapp", "url": at, "mime_type": "image/png",
                                       "sha256": sha, "file_size": size, "id": id }))
                }
            }),
        )
        .route(
            "/file/{id}",
            get(|Path(id): Path<String>| async move { if id == "sneaky" { vec![7u8; 4096] } else { FILE.to_vec() } }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await });
    WhatsAppClient(GraphClient::new(ApiConfig::new(base), "v21.0"))
}

#[tokio::test]
async fn a_file_is_fetched_checked_and_held_to_its_size() {
    let client = meta().await;
    let token = SecretString::from("token");
    let file = fetch(&client, "ok", &token, 1024).await.unwrap();
    assert_eq!((file.bytes.as_slice(), file.mime_type.as_str()), (FILE, "image/png"));
    assert!(matches!(
        fetch(&client, "big", &token, MAX_MEDIA).await,
        Err(FetchError::Download(DownloadError::TooLarge(_)))
    ));
    assert!(
        matches!(fetch(&client, "sneaky", &token, 1024).await, Err(FetchError::Download(DownloadError::TooLarge(_)))),
        "a file longer than it claimed is cut off at the limit"
    );
    assert!(matches!(fetch(&client, "wrong", &token, 1024).await, Err(FetchError::Corrupt)));
    assert!(
        matches!(fetch(&client, "elsewhere", &token, 1024).await, Err(FetchError::Download(DownloadError::Address))),
        "the token never goes over plain HTTP to another host"
    );
}
