//! Crash safety: a child process commits ops and reports each acknowledgement; it is killed
//! with SIGKILL at random moments. After every kill the file must open, pass
//! `PRAGMA integrity_check`, and hold every op that had been acknowledged.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use onemap_store::{NodeId, SqliteStore, Store};

const KILLS: usize = 60;

/// A small deterministic generator (SplitMix64) so a failing run can be reproduced.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[test]
fn acknowledged_ops_survive_sigkill() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("crash.db");
    let seed: u64 = std::env::var("ONEMAP_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x0e3a_2026);
    let mut rng = seed;
    let mut node: Option<NodeId> = None;
    let mut total_acked = 0u64;
    for round in 0..KILLS {
        let batch = 1 + splitmix(&mut rng) % 50;
        let mut child = Command::new(env!("CARGO_BIN_EXE_onemap-store-crashwriter"))
            .arg(&path)
            .arg(batch.to_string())
            .stdout(Stdio::piped())
            .spawn()
            .expect("spawn writer");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel::<String>();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Let it write for a random 5–120 ms after it has started acknowledging.
        let first = rx.recv_timeout(Duration::from_secs(30)).expect("writer started");
        assert!(first.starts_with("node "), "unexpected first line {first}");
        let deadline = Instant::now() + Duration::from_millis(5 + splitmix(&mut rng) % 115);
        let mut max_acked = 0u64;
        while Instant::now() < deadline {
            if let Ok(line) = rx.recv_timeout(Duration::from_millis(1)) {
                max_acked = max_acked.max(line.trim_start_matches("ack ").parse().expect("ack line"));
            }
        }
        child.kill().expect("SIGKILL");
        child.wait().expect("reap");
        // Lines already written to the pipe before the kill are acknowledgements too.
        reader.join().expect("reader");
        for line in rx.try_iter() {
            max_acked = max_acked.max(line.trim_start_matches("ack ").parse().expect("ack line"));
        }

        let store =
            SqliteStore::open(&path).unwrap_or_else(|e| panic!("round {round} (seed {seed}): reopen failed: {e}"));
        assert_eq!(store.integrity_check().expect("check"), "ok", "round {round} (seed {seed})");
        let me = *node.get_or_insert(store.node());
        assert_eq!(store.node(), me, "the replica identity survives crashes");
        if max_acked > 0 {
            assert!(
                store.contains(me, max_acked).expect("contains"),
                "round {round} (seed {seed}): acknowledged op {max_acked} lost"
            );
            total_acked = total_acked.max(max_acked);
        }
        // Sequence numbers are gap-free, so holding the highest means holding all before it.
        assert!(
            store.op_count().expect("count") >= total_acked,
            "round {round}: ops missing below the acknowledged head"
        );
    }
    assert!(total_acked > 0, "the writer never got an acknowledgement out; the test proved nothing");
}
