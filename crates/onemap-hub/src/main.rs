//! `onemap-hub serve`: run a centre's console server on this machine.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use onemap_api::node::{self, NodePaths};
use onemap_hub::server::{Hub, router};
use onemap_tiles::TilePack;

const USAGE: &str =
    "usage: onemap-hub serve [--fixtures DIR] [--data DIR] [--ui DIR] [--tiles FILE] [--bind ADDR] [--port N]

  --fixtures DIR  reference data and demo set            (default: ./fixtures)
  --data DIR      where the node's store lives             (default: ./.onemap/hub)
  --ui DIR        the built console UI                     (default: ./ui/dist)
  --tiles FILE    the MBTiles basemap pack                 (default: ./offline-tiles/onemap-basemap.mbtiles)
  --bind ADDR     address to listen on                     (default: 127.0.0.1)
  --port N        port; 0 picks a free one                 (default: 8787)";

struct Options {
    fixtures: PathBuf,
    data: PathBuf,
    database: Option<String>,
    upstream: Option<String>,
    ui: PathBuf,
    tiles: PathBuf,
    bind: String,
    port: u16,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    match args.next().as_deref() {
        Some("serve") => {}
        Some("--help" | "-h") | None => return Err(USAGE.to_owned()),
        Some(other) => return Err(format!("unknown command `{other}`\n\n{USAGE}")),
    }
    let mut o = Options {
        fixtures: "fixtures".into(),
        data: ".onemap/hub".into(),
        database: None,
        upstream: None,
        ui: "ui/dist".into(),
        tiles: "offline-tiles/onemap-basemap.mbtiles".into(),
        bind: "127.0.0.1".into(),
        port: 8787,
    };
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value\n\n{USAGE}"));
        match flag.as_str() {
            "--fixtures" => o.fixtures = value()?.into(),
            "--data" => o.data = value()?.into(),
            "--database" => o.database = Some(value()?),
            "--upstream" => o.upstream = Some(value()?),
            "--ui" => o.ui = value()?.into(),
            "--tiles" => o.tiles = value()?.into(),
            "--bind" => o.bind = value()?,
            "--port" => o.port = value()?.parse().map_err(|e| format!("--port: {e}"))?,
            "--help" | "-h" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown option `{other}`\n\n{USAGE}")),
        }
    }
    Ok(o)
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let opts = match parse(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(msg) => {
            eprintln!("{msg}");
            return std::process::ExitCode::from(2);
        }
    };
    match serve(opts).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("onemap-hub: {msg}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn serve(o: Options) -> Result<(), String> {
    if !o.ui.join("index.html").is_file() {
        return Err(format!("{} has no index.html; build the UI first (npm run build in ui/)", o.ui.display()));
    }
    let paths = NodePaths { data: o.data.clone(), fixtures: o.fixtures.clone(), database: o.database.clone() };
    let (api, loaded) = tokio::task::spawn_blocking(move || node::open(&paths))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    if let Some(report) = loaded {
        eprintln!(
            "loaded demo data: {} ops ({})",
            report.ops,
            report.files.iter().map(|(f, n)| format!("{f} {n}")).collect::<Vec<_>>().join(", ")
        );
    }
    let tiles = match TilePack::open(&o.tiles) {
        Ok(p) => Some(Arc::new(p)),
        Err(e) => {
            eprintln!("warning: no basemap ({e}); the map shows situation layers only");
            None
        }
    };
    let api = Arc::new(api);
    if let Some(url) = o.upstream.clone() {
        let api = api.clone();
        std::thread::spawn(move || sync_forever(&api, &url));
    }
    let app = router(Hub { api, tiles }, o.ui);
    let addr: SocketAddr = format!("{}:{}", o.bind, o.port).parse().map_err(|e| format!("--bind/--port: {e}"))?;
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    // Scripts wait for this exact line.
    println!("OneMap console: http://{local}/");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| e.to_string())
}

/// Keeps the link to the upstream hub: a round every second while it answers, backing off
/// (1 s doubling to 30 s) while it does not. Never gives up: links come back.
fn sync_forever(api: &onemap_api::Api, url: &str) {
    let upstream = onemap_sync::client::Upstream::new(url, 1000);
    let mut backoff = std::time::Duration::from_secs(1);
    loop {
        match upstream.round(api.shared_store()) {
            Ok(r) => {
                if r.pulled + r.pushed > 0 {
                    eprintln!("sync {url}: pulled {} ops, pushed {} ops", r.pulled, r.pushed);
                }
                backoff = std::time::Duration::from_secs(1);
                std::thread::sleep(backoff);
            }
            Err(e) => {
                eprintln!("sync {url}: {e}; retrying in {} s", backoff.as_secs());
                std::thread::sleep(backoff);
                backoff = (backoff * 2).min(std::time::Duration::from_secs(30));
            }
        }
    }
}
