//! The client side of a link to an upstream hub over HTTP: pull the upstream's log into
//! the local store, then push the local log to the upstream, each page committed with its
//! cursor, so an interrupted round resumes where it stopped.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use onemap_store::Store;

use crate::link::{Page, apply_page, read_page};
use crate::wire::{self, CONTENT_TYPE, Cursor, Hello, Pull};

/// Largest inflated sync body accepted.
const BODY_LIMIT: u64 = 64 << 20;

#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("{url}: {source}")]
    Http { url: String, source: Box<ureq::Error> },
    #[error("{url}: {source}")]
    Wire { url: String, source: wire::WireError },
    #[error("store: {0}")]
    Store(#[from] onemap_store::StoreError),
}

/// What one round moved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Round {
    pub pulled: usize,
    pub pushed: usize,
    /// The upstream's node id.
    pub peer: String,
    /// Ops of the upstream's log not read yet here, as of the round's start.
    pub behind: u64,
    /// Ops of the local log the upstream has not read yet, at the round's end.
    pub ahead: u64,
}

/// A link to one upstream hub.
#[derive(Debug)]
pub struct Upstream {
    base: String,
    agent: ureq::Agent,
    page: usize,
    /// Body bytes sent and received, for link status and the benchmark.
    sent: AtomicU64,
    received: AtomicU64,
}

impl Upstream {
    /// `base` is the hub's URL (`http://host:port`, or `https://` with `tls` — the
    /// deployment CA to trust and this node's certificate); `page` the ops per page.
    pub fn new(base: &str, page: usize, tls: Option<ureq::tls::TlsConfig>) -> Self {
        let mut builder = ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(30)));
        if let Some(tls) = tls {
            builder = builder.tls_config(tls);
        }
        let config = builder.build();
        Self {
            base: base.trim_end_matches('/').to_owned(),
            agent: config.into(),
            page,
            sent: AtomicU64::new(0),
            received: AtomicU64::new(0),
        }
    }

    /// Body bytes (sent, received) over this link so far.
    pub fn bytes(&self) -> (u64, u64) {
        (self.sent.load(Ordering::Relaxed), self.received.load(Ordering::Relaxed))
    }

    fn get<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T, LinkError> {
        self.exchange(path, |agent, url| agent.get(url).call())
    }

    fn post<T: serde::de::DeserializeOwned>(&self, path: &str, body: Vec<u8>) -> Result<T, LinkError> {
        self.sent.fetch_add(body.len() as u64, Ordering::Relaxed);
        self.exchange(path, |agent, url| agent.post(url).header("content-type", CONTENT_TYPE).send(&body[..]))
    }

    /// Sends one request and decodes its answer, counting the body bytes received.
    fn exchange<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        send: impl FnOnce(&ureq::Agent, &str) -> Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<T, LinkError> {
        let url = format!("{}{path}", self.base);
        let http = |e: ureq::Error| LinkError::Http { url: url.clone(), source: Box::new(e) };
        let mut resp = send(&self.agent, &url).map_err(http)?;
        let body = resp.body_mut().read_to_vec().map_err(http)?;
        self.received.fetch_add(body.len() as u64, Ordering::Relaxed);
        wire::decode(&body, BODY_LIMIT).map_err(|source| LinkError::Wire { url, source })
    }

    /// One full round: pull until the upstream has nothing new, then push likewise.
    pub fn round(&self, store: &Mutex<Box<dyn Store + Send>>) -> Result<Round, LinkError> {
        let lock = || store.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let peer: Hello = self.get("/sync/v1/hello")?;
        let me = lock().node().to_string();
        let mut round = Round { peer: peer.node.clone(), ..Round::default() };
        loop {
            let request = {
                let store = lock();
                Pull { after: store.cursor(&peer.node)?, limit: self.page, have: store.versions()? }
            };
            let page: Page = self.post("/sync/v1/pull", wire::encode(&request))?;
            round.pulled += apply_page(&mut **lock(), &peer.node, &page)?.logged;
            if !page.more {
                break;
            }
        }
        let mut theirs: Cursor = self.get(&format!("/sync/v1/cursor?peer={me}"))?;
        // What the upstream has: its version vector, plus what this round has pushed.
        let mut have = peer.versions.clone();
        loop {
            let page = read_page(&**lock(), theirs.cursor, self.page, &have)?;
            for op in &page.ops {
                let seq = have.entry(op.origin).or_insert(0);
                *seq = (*seq).max(op.seq);
            }
            if page.cursor == theirs.cursor {
                break;
            }
            // A page may be empty (everything in it they had): it still moves their cursor.
            round.pushed += page.ops.len();
            let more = page.more;
            theirs = self.post(&format!("/sync/v1/pages?peer={me}"), wire::encode(&page))?;
            if !more {
                break;
            }
        }
        let store = lock();
        round.behind = peer.head.saturating_sub(store.cursor(&peer.node)?);
        round.ahead = store.head()?.saturating_sub(theirs.cursor);
        Ok(round)
    }
}
