//! `onemap-hub serve`: run a centre's console server on this machine; `onemap-hub bundle`:
//! carry a change set on a file where no link exists.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use onemap_api::node::{self, NodePaths};
use onemap_hub::server::{Hub, router, serve_tls, sync_router};
use onemap_tiles::TilePack;

const USAGE: &str = "usage:
  onemap-hub serve [--fixtures DIR] [--data DIR | --database URL] [--upstream URL]
                   [--ui DIR] [--tiles FILE] [--bind ADDR] [--port N]
  onemap-hub bundle export [--data DIR | --database URL] --out FILE [--after N]
  onemap-hub bundle import [--data DIR | --database URL] FILE
  onemap-hub ca init --dir DIR [--name NAME]
  onemap-hub cert issue --ca DIR --name NODE --code CODE --role ROLE --out DIR [--host HOST]...

  --fixtures DIR  reference data and demo set            (default: ./fixtures)
  --data DIR      where the node's store lives             (default: ./.onemap/hub)
  --database URL  keep the store in PostgreSQL instead     (postgres://user@host:port/db)
  --upstream URL  sync with the parent centre's hub        (http://host:port)
  --ui DIR        the built console UI                     (default: ./ui/dist)
  --tiles FILE    the MBTiles basemap pack                 (default: ./offline-tiles/onemap-basemap.mbtiles)
  --bind ADDR     address to listen on                     (default: 127.0.0.1)
  --port N        port; 0 picks a free one                 (default: 8787)
  --tls DIR       join the deployment with this node's files from `cert issue` (ca.pem,
                  ca.pub, NODE.pem, NODE.key, NODE.grant): the store signs with NODE.key,
                  admits only ops its origin's grant allows, and sync moves to --sync-port
                  behind TLS, accepting only peers of the same CA; --upstream uses it too
  --name NODE     this node's certificate name in --tls DIR (and the name to issue)
  --sync-port N   port of the TLS sync endpoints; 0 picks a free one (default: 8788)
  --host HOST     a DNS name or IP address the issued certificate is valid for
  --code CODE     the jurisdiction (admin code) the issued node acts for
  --role ROLE     its role, a key of fixtures/roles.toml (command, duty, viewer)
  --out FILE      the bundle file to write (a change set to carry to another centre)
  --after N       export only this node's log after position N (default: all of it)";

/// What to do.
enum Task {
    Serve,
    Export { out: PathBuf, after: u64 },
    Import { file: PathBuf },
    CaInit { dir: PathBuf },
    CertIssue { ca: PathBuf, out: PathBuf, hosts: Vec<String>, code: Option<String>, role: Option<String> },
}

struct Options {
    task: Task,
    fixtures: PathBuf,
    data: PathBuf,
    database: Option<String>,
    upstream: Option<String>,
    ui: PathBuf,
    tiles: PathBuf,
    bind: String,
    port: u16,
    tls: Option<PathBuf>,
    name: Option<String>,
    sync_port: u16,
}

fn parse(args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut args = args.peekable();
    let usage = |msg: String| format!("{msg}\n\n{USAGE}");
    let task = match (args.next().as_deref(), args.peek().map(String::as_str)) {
        (Some("serve"), _) => Task::Serve,
        (Some("bundle"), Some("export")) => Task::Export { out: PathBuf::new(), after: 0 },
        (Some("bundle"), Some("import")) => Task::Import { file: PathBuf::new() },
        (Some("ca"), Some("init")) => Task::CaInit { dir: PathBuf::new() },
        (Some("cert"), Some("issue")) => {
            Task::CertIssue { ca: PathBuf::new(), out: PathBuf::new(), hosts: Vec::new(), code: None, role: None }
        }
        (Some("--help" | "-h") | None, _) => return Err(USAGE.to_owned()),
        (Some(other), _) => return Err(usage(format!("unknown command `{other}`"))),
    };
    if !matches!(task, Task::Serve) {
        args.next();
    }
    let mut o = Options {
        task,
        fixtures: "fixtures".into(),
        data: ".onemap/hub".into(),
        database: None,
        upstream: None,
        ui: "ui/dist".into(),
        tiles: "offline-tiles/onemap-basemap.mbtiles".into(),
        bind: "127.0.0.1".into(),
        port: 8787,
        tls: None,
        name: None,
        sync_port: 8788,
    };
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| usage(format!("{flag} needs a value")));
        match (flag.as_str(), &mut o.task) {
            ("--fixtures", _) => o.fixtures = value()?.into(),
            ("--data", _) => o.data = value()?.into(),
            ("--database", _) => o.database = Some(value()?),
            ("--upstream", Task::Serve) => o.upstream = Some(value()?),
            ("--ui", Task::Serve) => o.ui = value()?.into(),
            ("--tiles", Task::Serve) => o.tiles = value()?.into(),
            ("--bind", Task::Serve) => o.bind = value()?,
            ("--port", Task::Serve) => o.port = value()?.parse().map_err(|e| format!("--port: {e}"))?,
            ("--out", Task::Export { out, .. } | Task::CertIssue { out, .. }) => *out = value()?.into(),
            ("--tls", Task::Serve) => o.tls = Some(value()?.into()),
            ("--name", _) => o.name = Some(value()?),
            ("--sync-port", Task::Serve) => o.sync_port = value()?.parse().map_err(|e| format!("--sync-port: {e}"))?,
            ("--dir", Task::CaInit { dir }) => *dir = value()?.into(),
            ("--ca", Task::CertIssue { ca, .. }) => *ca = value()?.into(),
            ("--host", Task::CertIssue { hosts, .. }) => hosts.push(value()?),
            ("--code", Task::CertIssue { code, .. }) => *code = Some(value()?),
            ("--role", Task::CertIssue { role, .. }) => *role = Some(value()?),
            ("--after", Task::Export { after, .. }) => {
                *after = value()?.parse().map_err(|e| format!("--after: {e}"))?
            }
            ("--help" | "-h", _) => return Err(USAGE.to_owned()),
            (file, Task::Import { file: f }) if !file.starts_with("--") && f.as_os_str().is_empty() => *f = file.into(),
            (other, _) => return Err(usage(format!("unexpected `{other}`"))),
        }
    }
    match &o.task {
        Task::Export { out, .. } if out.as_os_str().is_empty() => Err(usage("bundle export needs --out FILE".into())),
        Task::Import { file } if file.as_os_str().is_empty() => {
            Err(usage("bundle import needs the bundle FILE".into()))
        }
        _ => Ok(o),
    }
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
    let result = match opts.task {
        Task::Serve => serve(opts).await,
        Task::CaInit { .. } | Task::CertIssue { .. } => certificates(opts),
        Task::Export { .. } | Task::Import { .. } => {
            tokio::task::spawn_blocking(move || bundle(opts)).await.map_err(|e| e.to_string()).and_then(|r| r)
        }
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("onemap-hub: {msg}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// `bundle export` / `bundle import`: a change set on a file, for when no link exists.
fn bundle(o: Options) -> Result<(), String> {
    let paths = NodePaths {
        data: o.data.clone(),
        fixtures: o.fixtures.clone(),
        database: o.database.clone(),
        member: o.tls.clone().zip(o.name.clone()),
    };
    let (api, _) = node::open(&paths).map_err(|e| e.to_string())?;
    let mut store = api.shared_store().lock().map_err(|e| e.to_string())?;
    match o.task {
        Task::Export { out, after } => {
            let bytes = onemap_sync::bundle::export(&**store, after, &Default::default()).map_err(|e| e.to_string())?;
            std::fs::write(&out, &bytes).map_err(|e| format!("{}: {e}", out.display()))?;
            eprintln!("wrote {} ({} bytes) from node {}", out.display(), bytes.len(), store.node());
        }
        Task::Import { file } => {
            let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let (from, r) =
                onemap_sync::bundle::import(&mut **store, &bytes).map_err(|e| format!("{}: {e}", file.display()))?;
            eprintln!(
                "imported {}: {} ops applied, {} already here, {} waiting for earlier ops (from node {from})",
                file.display(),
                r.applied,
                r.duplicates,
                r.parked
            );
        }
        _ => unreachable!("only bundle tasks come here"),
    }
    Ok(())
}

/// `ca init` / `cert issue`: the deployment CA and the node certificates sync links use.
fn certificates(o: Options) -> Result<(), String> {
    match o.task {
        Task::CaInit { dir } => {
            let name = o.name.unwrap_or_else(|| "OneMap deployment CA".into());
            onemap_sync::tls::ca_init(&dir, &name).map_err(|e| e.to_string())?;
            eprintln!("created the CA \"{name}\" in {} (keep ca.key safe; hand out ca.pem)", dir.display());
        }
        Task::CertIssue { ca, out, mut hosts, code, role } => {
            let name = o.name.ok_or("cert issue needs --name NODE")?;
            let code = code.ok_or("cert issue needs --code CODE (the jurisdiction the node acts for)")?;
            let role = role.ok_or("cert issue needs --role ROLE (a key of fixtures/roles.toml)")?;
            let roles = onemap_api::fixtures::load_roles(&o.fixtures).map_err(|e| e.to_string())?;
            if !roles.contains_key(&role) {
                let known = roles.keys().cloned().collect::<Vec<_>>().join(", ");
                return Err(format!("--role {role}: not a role of this deployment ({known})"));
            }
            let jurisdiction = onemap_domain::AdminCode::parse(&code).map_err(|e| format!("--code: {e}"))?;
            if hosts.is_empty() {
                hosts = vec!["localhost".into(), "127.0.0.1".into()];
            }
            let grant = onemap_sync::tls::Role { jurisdiction, role };
            onemap_sync::tls::issue(&ca, &name, &hosts, &grant, &out).map_err(|e| e.to_string())?;
            eprintln!(
                "issued {name} ({} as {}, valid for {}) into {}",
                grant.jurisdiction,
                grant.role,
                hosts.join(", "),
                out.display()
            );
        }
        _ => unreachable!("only certificate tasks come here"),
    }
    Ok(())
}

async fn serve(o: Options) -> Result<(), String> {
    if !o.ui.join("index.html").is_file() {
        return Err(format!("{} has no index.html; build the UI first (npm run build in ui/)", o.ui.display()));
    }
    let paths = NodePaths {
        data: o.data.clone(),
        fixtures: o.fixtures.clone(),
        database: o.database.clone(),
        member: o.tls.clone().zip(o.name.clone()),
    };
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
    let identity = o.tls.as_deref().zip(o.name.as_deref());
    if let Some(url) = o.upstream.clone() {
        let tls = identity
            .map(|(dir, name)| onemap_sync::tls::client_config(dir, name))
            .transpose()
            .map_err(|e| e.to_string())?;
        let api = api.clone();
        std::thread::spawn(move || onemap_api::links::keep_linked(&api, &url, tls));
    }
    let hub = Hub { api, tiles };
    let sync = sync_router(hub.clone());
    let app = router(hub, o.ui);
    let app = match identity {
        None => app.merge(sync),
        Some((dir, name)) => {
            // Sync moves to its own port, behind TLS with client certificates.
            let config = onemap_sync::tls::server_config(dir, name).map_err(|e| e.to_string())?;
            let addr: SocketAddr =
                format!("{}:{}", o.bind, o.sync_port).parse().map_err(|e| format!("--sync-port: {e}"))?;
            let listener =
                tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
            let local = listener.local_addr().map_err(|e| e.to_string())?;
            tokio::spawn(serve_tls(listener, config, sync));
            // Printed before the console line, which scripts take as "ready".
            println!("OneMap sync (TLS, client certificates): https://{local}/");
            app.route(
                "/sync/{*rest}",
                axum::routing::any(|| async {
                    (
                        axum::http::StatusCode::NOT_FOUND,
                        "sync is served on the TLS sync port, to peers with certificates",
                    )
                }),
            )
        }
    };
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
