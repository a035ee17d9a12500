//! A real PostgreSQL server for tests (the conformance suite, the hub's process tests):
//! initdb into a temporary directory and start it on loopback; `runuser -u postgres` when
//! run as root, since initdb refuses root.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use sqlx::Connection;

/// A throw-away PostgreSQL server on loopback, stopped when dropped.
#[derive(Debug)]
pub struct TestServer {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    as_root: bool,
    next_db: AtomicUsize,
}

fn run(cmd: &mut Command) {
    let shown = format!("{cmd:?}");
    let out = cmd.output().unwrap_or_else(|e| panic!("{shown}: {e}"));
    assert!(
        out.status.success(),
        "{shown} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl TestServer {
    /// initdb into a temporary directory and start on a free loopback port.
    pub fn start() -> Self {
        let mut bins: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .map(|d| {
                d.filter_map(|e| e.ok().map(|e| e.path().join("bin"))).filter(|p| p.join("initdb").is_file()).collect()
            })
            .unwrap_or_default();
        bins.sort();
        let bin = bins
            .pop()
            .expect("PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)");
        let as_root =
            Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
        let dir = tempfile::tempdir().expect("tempdir");
        if as_root {
            // initdb refuses to run as root: the cluster belongs to the postgres user.
            run(Command::new("chown").arg("-R").arg("postgres:postgres").arg(dir.path()));
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port();
        let server = Self { dir, bin, port, as_root, next_db: AtomicUsize::new(0) };
        let data = server.data();
        server.pg("initdb", &["-D", &data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
        let opts = format!(
            "-c listen_addresses=127.0.0.1 -p {port} -k {} -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            server.dir.path().display()
        );
        server.pg("pg_ctl", &["-D", &data, "-l", &format!("{data}/log"), "-w", "-o", &opts, "start"]);
        server
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn pg(&self, tool: &str, args: &[&str]) {
        let exe = self.bin.join(tool);
        let mut cmd = if self.as_root {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        run(cmd.args(args).current_dir(Path::new("/")));
    }

    /// A new, empty database; returns its URL.
    pub fn fresh_db(&self) -> String {
        let name = format!("onemap_{}", self.next_db.fetch_add(1, Ordering::SeqCst));
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(async {
            let mut c = sqlx::PgConnection::connect(&self.url("postgres")).await.expect("connect to the test server");
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut c)
                .await
                .expect("create database");
        });
        self.url(&name)
    }

    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let data = self.data();
        self.pg("pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"]);
    }
}
