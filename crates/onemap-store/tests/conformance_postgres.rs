//! The store conformance suite on PostgreSQL, against a real server this test starts on
//! loopback.

use onemap_store::postgres::PgStore;
use onemap_store::postgres::testing::TestServer;
use onemap_store::{Change, Store, conformance};

#[test]
fn postgres_passes_the_conformance_suite_and_keeps_identity_across_reconnects() {
    let server = TestServer::start();
    conformance::run_all(|| PgStore::connect(&server.fresh_db(), None).expect("connect"));

    // A reconnect keeps the replica's identity, sequence and clock.
    let url = server.fresh_db();
    let (node, last) = {
        let mut s = PgStore::connect(&url, None).expect("connect");
        let team = onemap_domain::EntityRef { kind: onemap_domain::EntityKind::Team, id: uuid::Uuid::now_v7() };
        let fields = serde_json::Map::from_iter([("name".to_owned(), "通化市消防救援支队".into())]);
        let ops = s.commit("a", "t", vec![(team, Change::Set(fields))]).expect("commit");
        (s.node(), ops[0].clone())
    };
    let mut s = PgStore::connect(&url, None).expect("reconnect");
    assert_eq!(s.node(), node);
    let next = s
        .commit(
            "a",
            "t",
            vec![(last.entity, Change::Set(serde_json::Map::from_iter([("headcount".to_owned(), 62.into())])))],
        )
        .expect("commit");
    assert_eq!(next[0].seq, last.seq + 1);
    assert!(next[0].hlc > last.hlc);
    assert_eq!(s.get(last.entity).expect("get").expect("present").fields.len(), 2);
}
