//! Keeping a node linked to its parent centre's hub: sync rounds while the hub answers,
//! backoff while it does not, and the link's state reported for the console to show.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use onemap_sync::client::Upstream;

use crate::handlers::Api;
use crate::types::LinkStatus;

/// Keeps the link to the upstream hub: a round every second while it answers, backing off
/// (1 s doubling to 30 s) while it does not. Never gives up: links come back.
pub fn keep_linked(api: &Api, url: &str, tls: Option<ureq::tls::TlsConfig>) {
    let upstream = Upstream::new(url, 1000, tls);
    let mut backoff = Duration::from_secs(1);
    let mut status = LinkStatus {
        peer: url.to_owned(),
        node: None,
        up: false,
        last_ok_ms: None,
        error: None,
        behind: 0,
        ahead: 0,
        sent_bytes: 0,
        received_bytes: 0,
    };
    loop {
        let result = upstream.round(api.shared_store());
        (status.sent_bytes, status.received_bytes) = upstream.bytes();
        match result {
            Ok(r) => {
                if r.pulled + r.pushed > 0 {
                    eprintln!("sync {url}: pulled {} ops, pushed {} ops", r.pulled, r.pushed);
                }
                if r.pulled > 0 {
                    api.notify_changed();
                }
                let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis());
                status = LinkStatus {
                    node: Some(r.peer),
                    up: true,
                    last_ok_ms: i64::try_from(now).ok(),
                    error: None,
                    behind: r.behind,
                    ahead: r.ahead,
                    ..status
                };
                api.report_link(status.clone());
                backoff = Duration::from_secs(1);
                std::thread::sleep(backoff);
            }
            Err(e) => {
                eprintln!("sync {url}: {e}; retrying in {} s", backoff.as_secs());
                status.up = false;
                status.error = Some(e.to_string());
                api.report_link(status.clone());
                std::thread::sleep(backoff);
                backoff = (backoff * 2).min(Duration::from_secs(30));
            }
        }
    }
}
