//! The OneMap desktop host: one window, the `tiles://` scheme serving the offline basemap,
//! and one `rpc` command forwarding to `onemap_api`. Nothing else lives here.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tauri::http::{Response, StatusCode, header};
use tauri::{Manager, State};

use onemap_api::node::{self, NodePaths};
use onemap_api::{Api, ApiError, Request, Response as ApiResponse};
use onemap_tiles::TilePack;

struct Node {
    api: Arc<Api>,
    tiles: Option<Arc<TilePack>>,
}

#[tauri::command]
async fn rpc(node: State<'_, Node>, request: Request) -> Result<ApiResponse, ApiError> {
    let api = node.api.clone();
    tauri::async_runtime::spawn_blocking(move || api.handle(request))
        .await
        .map_err(|e| ApiError::new("internal", format!("the handler failed: {e}")))?
}

/// `tiles://localhost/{z}/{x}/{y}.pbf` → the tile from the pack (204 where it has none).
pub fn tile_response(tiles: Option<&TilePack>, path: &str) -> Response<Vec<u8>> {
    let reply = |status: StatusCode, body: Vec<u8>| {
        Response::builder()
            .status(status)
            .header(header::CONTENT_TYPE, "application/x-protobuf")
            .header(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")
            .body(body)
            .expect("static response parts are valid")
    };
    let Some(pack) = tiles else { return reply(StatusCode::NOT_FOUND, Vec::new()) };
    let parts: Vec<&str> = path.trim_start_matches('/').trim_end_matches(".pbf").split('/').collect();
    let parsed = match parts.as_slice() {
        [z, x, y] => z.parse().ok().zip(x.parse().ok()).zip(y.parse().ok()),
        _ => None,
    };
    let Some(((z, x), y)) = parsed else {
        return reply(StatusCode::BAD_REQUEST, b"expected /{z}/{x}/{y}.pbf".to_vec());
    };
    match pack.tile(z, x, y) {
        Ok(Some(bytes)) => reply(StatusCode::OK, bytes),
        Ok(None) => reply(StatusCode::NO_CONTENT, Vec::new()),
        Err(e) => reply(StatusCode::BAD_REQUEST, e.to_string().into_bytes()),
    }
}

/// Resource directories to look in: beside the installed app, then the source checkout.
pub fn resource_candidates(app: &tauri::App, rel: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(dir) = app.path().resource_dir() {
        out.push(dir.join(rel));
    }
    out.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel));
    out
}

pub fn env_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name).map(PathBuf::from)
}

fn open_node(app: &tauri::App) -> Result<Node, String> {
    let fixtures = node::find_fixtures(env_path("ONEMAP_FIXTURES").as_deref(), &resource_candidates(app, "fixtures"))
        .ok_or("no fixtures directory found (set ONEMAP_FIXTURES)")?;
    let data = match env_path("ONEMAP_DATA") {
        Some(d) => d,
        None => app.path().app_data_dir().map_err(|e| format!("no data directory: {e}"))?,
    };
    // A console of a deployment signs with, and is granted by, its files from `onemap-hub
    // cert issue` (ONEMAP_TLS, with its name ONEMAP_NODE_NAME), and syncs over TLS with them.
    let member = match (env_path("ONEMAP_TLS"), std::env::var("ONEMAP_NODE_NAME").ok()) {
        (Some(dir), Some(name)) => Some((dir, name)),
        (None, None) => None,
        _ => return Err("ONEMAP_TLS and ONEMAP_NODE_NAME go together".into()),
    };
    let (api, loaded) =
        node::open(&NodePaths { data, fixtures, database: None, member: member.clone() }).map_err(|e| e.to_string())?;
    if let Some(r) = loaded {
        eprintln!("loaded demo data: {} ops", r.ops);
    }
    let api = Arc::new(api);
    // A console syncs with its centre's hub when one is configured.
    if let Some(url) = std::env::var("ONEMAP_UPSTREAM").ok().filter(|u| !u.is_empty()) {
        let tls = member
            .map(|(dir, name)| onemap_sync::tls::client_config(&dir, &name))
            .transpose()
            .map_err(|e| format!("ONEMAP_TLS: {e}"))?;
        let api = api.clone();
        std::thread::spawn(move || onemap_api::links::keep_linked(&api, &url, tls));
    }
    Ok(Node { api, tiles: open_tiles(app) })
}

/// The basemap pack: `ONEMAP_TILES`, else the installed resource, else the checkout's.
pub fn open_tiles(app: &tauri::App) -> Option<Arc<TilePack>> {
    let path = env_path("ONEMAP_TILES")
        .into_iter()
        .chain(resource_candidates(app, "offline-tiles/onemap-basemap.mbtiles"))
        .find(|p| p.is_file());
    match path.map(|p| TilePack::open(&p)) {
        Some(Ok(pack)) => Some(Arc::new(pack)),
        Some(Err(e)) => {
            eprintln!("warning: basemap unavailable: {e}");
            None
        }
        None => {
            eprintln!("warning: no basemap pack found (set ONEMAP_TILES)");
            None
        }
    }
}

/// Serves `tiles://` from the pack the closure finds in the app's state.
pub fn with_tiles<R: tauri::Runtime>(
    builder: tauri::Builder<R>,
    pack: fn(&tauri::AppHandle<R>) -> Option<Arc<TilePack>>,
) -> tauri::Builder<R> {
    builder.register_asynchronous_uri_scheme_protocol("tiles", move |ctx, request, responder| {
        let tiles = pack(ctx.app_handle());
        let path = request.uri().path().to_owned();
        std::thread::spawn(move || responder.respond(tile_response(tiles.as_deref(), &path)));
    })
}

/// Runs the console.
pub fn run() {
    with_tiles(tauri::Builder::default(), |app| app.try_state::<Node>().and_then(|n| n.tiles.clone()))
        .setup(|app| {
            let node = open_node(app).map_err(|e| {
                eprintln!("onemap-desktop: {e}");
                e
            })?;
            app.manage(node);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![rpc])
        .run(tauri::generate_context!())
        .expect("the OneMap window could not start");
}
