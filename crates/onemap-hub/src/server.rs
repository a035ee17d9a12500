//! The HTTP routes: `POST /api/rpc`, `GET /tiles/{z}/{x}/{y}.pbf`, the sync endpoints
//! under `/sync/v1/`, and the UI files — the console at `/` and `/console/`, the wall at
//! `/wall/`, whose `api/rpc` answers only requests that change nothing.

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use onemap_api::{Api, ApiError, Request};
use onemap_tiles::TilePack;

/// The content security policy of every page the hub serves: nothing but this origin.
pub const CSP: &str = "default-src 'self'; script-src 'self'; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; \
img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

#[derive(Debug, Clone)]
pub struct Hub {
    pub api: Arc<Api>,
    pub tiles: Option<Arc<TilePack>>,
}

/// The sync endpoints, for a peer centre's hub or console.
pub fn sync_router(hub: Hub) -> Router {
    Router::new()
        .route("/sync/v1/hello", get(sync_hello))
        .route("/sync/v1/cursor", get(sync_cursor))
        .route("/sync/v1/pull", post(sync_read))
        .route("/sync/v1/pages", post(sync_write))
        .with_state(hub)
}

/// Serves `app` over TLS on `listener`: only peers with a certificate the configuration
/// accepts get past the handshake; refused handshakes are logged with the peer address.
pub async fn serve_tls(listener: tokio::net::TcpListener, config: Arc<rustls::ServerConfig>, app: Router) {
    let acceptor = tokio_rustls::TlsAcceptor::from(config);
    loop {
        let Ok((tcp, peer)) = listener.accept().await else { continue };
        let (acceptor, app) = (acceptor.clone(), app.clone());
        tokio::spawn(async move {
            let tls = match acceptor.accept(tcp).await {
                Ok(tls) => tls,
                Err(e) => {
                    eprintln!("sync: refused {peer}: {e}");
                    return;
                }
            };
            // The node the client certificate's key stands for: it may act only as itself.
            let node = tls.get_ref().1.peer_certificates().and_then(|c| c.first()).and_then(|c| certified_node(c));
            let Some(node) = node else {
                eprintln!("sync: refused {peer}: its certificate holds no Ed25519 node key");
                return;
            };
            let service =
                hyper_util::service::TowerToHyperService::new(app.layer(axum::Extension(CertifiedPeer(node))));
            let _ = hyper_util::server::conn::auto::Builder::new(hyper_util::rt::TokioExecutor::new())
                .serve_connection(hyper_util::rt::TokioIo::new(tls), service)
                .await;
        });
    }
}

/// The node id a TLS client certificate was issued to, when sync runs behind TLS.
#[derive(Debug, Clone)]
struct CertifiedPeer(String);

/// The node id of the Ed25519 key a certificate certifies. An Ed25519 SubjectPublicKeyInfo
/// is fixed (RFC 8410): this prefix, then the 32-byte key; a certificate holds exactly one
/// (its subject's — the issuer appears only as a name and a signature).
fn certified_node(cert: &[u8]) -> Option<String> {
    const SPKI: [u8; 12] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];
    let at = cert.windows(SPKI.len()).position(|w| w == SPKI)? + SPKI.len();
    let key: [u8; 32] = cert.get(at..at + 32)?.try_into().ok()?;
    Some(onemap_store::identity::node_of(&key).to_string())
}

/// Refuses a peer that names itself as another node than its certificate's.
fn impersonation(certified: Option<&CertifiedPeer>, named: &str) -> Option<Response> {
    let CertifiedPeer(node) = certified?;
    (node != named).then(|| {
        eprintln!("sync: refused a peer certified as {node} acting as {named}");
        (StatusCode::FORBIDDEN, format!("this certificate is node {node}; it may not act as {named}")).into_response()
    })
}

/// Builds the router serving `ui_dir` (the built UI) beside the API and tiles. The same UI
/// is served under `/console/` and `/wall/` (it picks its layout from the path); relative
/// requests from those pages (`api/rpc`, `assets/…`) stay under their prefix.
pub fn router(hub: Hub, ui_dir: PathBuf) -> Router {
    let index = ui_dir.join("index.html");
    let ui = || ServeDir::new(&ui_dir).fallback(ServeFile::new(&index));
    Router::new()
        .route("/api/rpc", post(rpc))
        .route("/console/api/rpc", post(rpc))
        .route("/wall/api/rpc", post(rpc_read_only))
        .route("/tiles/{z}/{x}/{y}", get(tile))
        .route("/console", get(|| async { axum::response::Redirect::permanent("/console/") }))
        .route("/wall", get(|| async { axum::response::Redirect::permanent("/wall/") }))
        .with_state(hub)
        .nest_service("/console/", ui())
        .nest_service("/wall/", ui())
        .fallback_service(ui())
        .layer(SetResponseHeaderLayer::overriding(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
}

fn status_of(e: &ApiError) -> StatusCode {
    match e.code.as_str() {
        "not_found" => StatusCode::NOT_FOUND,
        // Orders beyond this centre's authority: ask up the hierarchy.
        "dispatch.authority" | "allocation.authority" => StatusCode::FORBIDDEN,
        // The record is not in a state that allows it (busy team, stage out of order, full
        // or closed shelter, reserve not yet available).
        c if c.starts_with("dispatch.")
            || c.starts_with("allocation.")
            || c.starts_with("shelter.")
            || c == "request.not_yours" =>
        {
            StatusCode::CONFLICT
        }
        "import.too_large" => StatusCode::PAYLOAD_TOO_LARGE,
        c if c.starts_with("validation")
            || c.starts_with("ledger")
            || c.starts_with("fixtures")
            || c.starts_with("import.")
            || c == "export.unsupported"
            || c == "request.invalid" =>
        {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

async fn rpc(State(hub): State<Hub>, body: axum::body::Bytes) -> Response {
    serve_rpc(hub, &body, false).await
}

/// The wall's API: it may read everything and change nothing.
async fn rpc_read_only(State(hub): State<Hub>, body: axum::body::Bytes) -> Response {
    serve_rpc(hub, &body, true).await
}

async fn serve_rpc(hub: Hub, body: &[u8], read_only: bool) -> Response {
    let req: Request = match serde_json::from_slice(body) {
        Ok(r) => r,
        Err(e) => {
            let err = ApiError::new("request.invalid", format!("the request is not a valid command: {e}"));
            return (StatusCode::BAD_REQUEST, Json(err)).into_response();
        }
    };
    if read_only && req.writes() {
        let err = ApiError::new("auth.read_only", "the wall view is read-only; make changes from a console");
        return (StatusCode::FORBIDDEN, Json(err)).into_response();
    }
    let api = hub.api.clone();
    match tokio::task::spawn_blocking(move || api.handle(req)).await {
        Ok(Ok(resp)) => Json(resp).into_response(),
        Ok(Err(e)) => (status_of(&e), Json(e)).into_response(),
        Err(join) => {
            let err = ApiError::new("internal", format!("the handler failed: {join}"));
            (StatusCode::INTERNAL_SERVER_ERROR, Json(err)).into_response()
        }
    }
}

async fn tile(State(hub): State<Hub>, Path((z, x, y)): Path<(u8, u32, String)>) -> Response {
    let Some(pack) = hub.tiles else { return StatusCode::NOT_FOUND.into_response() };
    let Some(y) = y.strip_suffix(".pbf").and_then(|y| y.parse::<u32>().ok()) else {
        return (StatusCode::BAD_REQUEST, "tile path must be /tiles/{z}/{x}/{y}.pbf").into_response();
    };
    match tokio::task::spawn_blocking(move || pack.tile(z, x, y)).await {
        Ok(Ok(Some(bytes))) => ([(header::CONTENT_TYPE, "application/x-protobuf")], bytes).into_response(),
        Ok(Ok(None)) => StatusCode::NO_CONTENT.into_response(),
        Ok(Err(e)) => (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

/// Largest inflated page accepted from a peer.
const PAGE_LIMIT: u64 = 64 << 20;

#[derive(Debug, serde::Deserialize)]
struct PeerQuery {
    peer: String,
}

fn sync_body(bytes: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, onemap_sync::wire::CONTENT_TYPE)], bytes).into_response()
}

/// Runs `f` on the node's store on a blocking thread; maps failures to 500/422 responses.
async fn with_store<T: serde::Serialize + Send + 'static>(
    hub: &Hub,
    f: impl FnOnce(&mut dyn onemap_store::Store) -> Result<T, (StatusCode, String)> + Send + 'static,
) -> Response {
    let api = hub.api.clone();
    match tokio::task::spawn_blocking(move || {
        let mut store = api.shared_store().lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut **store)
    })
    .await
    {
        Ok(Ok(value)) => sync_body(onemap_sync::wire::encode(&value)),
        Ok(Err((status, msg))) => (status, msg).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

fn internal(e: impl std::fmt::Display) -> (StatusCode, String) {
    (StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
}

async fn sync_hello(State(hub): State<Hub>) -> Response {
    with_store(&hub, |s| {
        let versions = s.versions().map_err(internal)?;
        Ok(onemap_sync::wire::Hello { node: s.node().to_string(), head: s.head().map_err(internal)?, versions })
    })
    .await
}

async fn sync_cursor(
    State(hub): State<Hub>,
    certified: Option<axum::Extension<CertifiedPeer>>,
    Query(q): Query<PeerQuery>,
) -> Response {
    if let Some(refused) = impersonation(certified.as_deref(), &q.peer) {
        return refused;
    }
    with_store(&hub, move |s| s.cursor(&q.peer).map(|cursor| onemap_sync::wire::Cursor { cursor }).map_err(internal))
        .await
}

async fn sync_read(State(hub): State<Hub>, body: axum::body::Bytes) -> Response {
    let pull: onemap_sync::wire::Pull = match onemap_sync::wire::decode(&body, PAGE_LIMIT) {
        Ok(p) => p,
        Err(e) => return (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
    };
    let limit = pull.limit.clamp(1, 10_000);
    with_store(&hub, move |s| onemap_sync::link::read_page(s, pull.after, limit, &pull.have).map_err(internal)).await
}

async fn sync_write(
    State(hub): State<Hub>,
    certified: Option<axum::Extension<CertifiedPeer>>,
    Query(q): Query<PeerQuery>,
    body: axum::body::Bytes,
) -> Response {
    if let Some(refused) = impersonation(certified.as_deref(), &q.peer) {
        return refused;
    }
    let page: onemap_sync::link::Page = match onemap_sync::wire::decode(&body, PAGE_LIMIT) {
        Ok(p) => p,
        Err(e) => return (StatusCode::BAD_REQUEST, format!("from {}: {e}", q.peer)).into_response(),
    };
    let reply = with_store(&hub, move |s| {
        let r = onemap_sync::link::apply_page(s, &q.peer, &page)
            .map_err(|e| (StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?;
        if r.quarantined > 0 {
            eprintln!("sync: page from {}: {} ops refused, kept in the quarantine", q.peer, r.quarantined);
        }
        if !page.ops.is_empty() && r.duplicates == page.ops.len() {
            eprintln!(
                "sync: page from {}: all {} ops already here (resent or replayed); nothing applied",
                q.peer, r.duplicates
            );
        }
        s.cursor(&q.peer).map(|cursor| onemap_sync::wire::Cursor { cursor }).map_err(internal)
    })
    .await;
    hub.api.notify_changed();
    reply
}
