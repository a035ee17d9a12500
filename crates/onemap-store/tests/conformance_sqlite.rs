//! The store conformance suite on the embedded SQLite backend, plus what only a file-backed
//! store can show (reopen, integrity check).

use onemap_store::{SqliteStore, Store, conformance};

#[test]
fn sqlite_in_memory_passes_the_conformance_suite() {
    conformance::run_all(|| SqliteStore::open_in_memory().expect("open"));
}

#[test]
fn sqlite_file_passes_the_conformance_suite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut n = 0;
    conformance::run_all(|| {
        n += 1;
        SqliteStore::open(&dir.path().join(format!("s{n}.db"))).expect("open")
    });
}

#[test]
fn reopening_keeps_identity_sequence_and_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("replica.db");
    let (node, last) = {
        let mut s = SqliteStore::open(&path).expect("open");
        let team = onemap_domain::EntityRef { kind: onemap_domain::EntityKind::Team, id: uuid::Uuid::now_v7() };
        let mut f = serde_json::Map::new();
        f.insert("name".into(), "金厂镇综合应急救援队".into());
        let ops = s.commit("a", "t", vec![(team, onemap_store::Change::Set(f))]).expect("commit");
        (s.node(), ops[0].clone())
    };
    let mut s = SqliteStore::open(&path).expect("reopen");
    assert_eq!(s.node(), node, "a replica keeps its identity");
    assert_eq!(s.integrity_check().expect("check"), "ok");
    let next = s
        .commit(
            "a",
            "t",
            vec![(
                last.entity,
                onemap_store::Change::Set(serde_json::Map::from_iter([("headcount".to_owned(), 30.into())])),
            )],
        )
        .expect("commit");
    assert_eq!(next[0].seq, last.seq + 1, "the sequence continues after reopen");
    assert!(next[0].hlc > last.hlc, "the clock does not go back after reopen");
}

#[test]
fn a_corrupt_file_is_refused_on_open() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bad.db");
    std::fs::write(&path, b"this is not a database, just text that happens to be here").expect("write");
    let err = SqliteStore::open(&path).expect_err("garbage must not open");
    assert!(matches!(err.code(), "store.sqlite" | "store.corrupt"), "{err}");
}
