//! The sync endpoints refuse what a broken or hostile peer might send — a body that is not
//! gzip, gzip that is not a page, a decompression bomb — with a 400 that says why, and
//! nothing is applied; a replayed page changes nothing.

mod common;

use std::io::Write;

use common::{Hub, placeholder_ui};

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes).expect("gzip");
    gz.finish().expect("gzip")
}

#[test]
fn bad_pages_are_refused_and_replays_change_nothing() {
    let ui = placeholder_ui();
    let data = tempfile::tempdir().expect("dir");
    let hub = Hub::start(&["--ui", ui.path().to_str().expect("utf-8"), "--data", data.path().to_str().expect("utf-8")]);
    let before = hub.head();

    let (status, body) = hub.http_bytes("POST", "/sync/v1/pages?peer=p1", b"not gzip at all");
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("gzip"), "{body}");

    let (status, body) = hub.http_bytes("POST", "/sync/v1/pages?peer=p1", &gzip(br#"{"ops": "nope"}"#));
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("JSON"), "{body}");

    // 128 MiB of zeros compresses to a few hundred kilobytes; the hub stops inflating at
    // its 64 MiB limit.
    let bomb = {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..128 {
            gz.write_all(&zeros).expect("gzip");
        }
        gz.finish().expect("gzip")
    };
    let (status, _) = hub.http_bytes("POST", "/sync/v1/pages?peer=p1", &bomb);
    assert_eq!(status, 400, "a decompression bomb is refused");
    assert_eq!(hub.head(), before, "nothing of a refused page is applied");

    // A valid page from another node, sent twice: the second changes nothing.
    let other = tempfile::tempdir().expect("dir");
    let mut store = onemap_store::SqliteStore::open(&other.path().join("o.db")).expect("store");
    use onemap_store::Store;
    let team = onemap_domain::EntityRef { kind: onemap_domain::EntityKind::Team, id: uuid::Uuid::now_v7() };
    let fields = serde_json::json!({"name": "重放测试队"}).as_object().expect("object").clone();
    store.commit("t", "t", vec![(team, onemap_store::Change::Set(fields))]).expect("commit");
    let page = onemap_sync::link::read_page(&store, 0, 100, &Default::default()).expect("page");
    let body = onemap_sync::wire::encode(&page);
    for _ in 0..2 {
        let (status, text) = hub.http_bytes("POST", &format!("/sync/v1/pages?peer={}", store.node()), &body);
        assert_eq!(status, 200, "{text}");
    }
    assert_eq!(hub.head(), before + 1, "the replayed page applied once");
    hub.kill();
}
