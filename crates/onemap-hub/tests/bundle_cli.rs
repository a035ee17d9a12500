//! `onemap-hub bundle export|import` as an operator runs them: a change set carried on a
//! file applies once, a second import changes nothing, a foreign file is refused by name.

use std::process::{Command, Output};

mod common;

fn hub(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_onemap-hub"))
        .args(args)
        .arg("--fixtures")
        .arg(common::repo().join("fixtures"))
        .output()
        .expect("run onemap-hub")
}

#[test]
fn a_change_set_travels_on_a_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = |name: &str| dir.path().join(name).to_str().expect("utf-8").to_owned();
    let out = hub(&["bundle", "export", "--data", &p("county"), "--out", &p("county.bundle")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let first = hub(&["bundle", "import", "--data", &p("city"), &p("county.bundle")]);
    let text = String::from_utf8_lossy(&first.stderr);
    assert!(first.status.success(), "{text}");
    let applied: u64 =
        text.split(": ").nth(1).and_then(|s| s.split(' ').next()).and_then(|n| n.parse().ok()).expect("count");
    assert!(applied > 800, "{text}");

    let second = hub(&["bundle", "import", "--data", &p("city"), &p("county.bundle")]);
    assert!(
        String::from_utf8_lossy(&second.stderr).contains(": 0 ops applied"),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );

    std::fs::write(p("photo.jpg"), b"\xff\xd8\xff\xe0 not a bundle").expect("write");
    let foreign = hub(&["bundle", "import", "--data", &p("city"), &p("photo.jpg")]);
    let err = String::from_utf8_lossy(&foreign.stderr);
    assert!(!foreign.status.success() && err.contains("photo.jpg") && err.contains("not a OneMap bundle"), "{err}");
}
