//! The `onemap-desktop` binary.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    onemap_desktop::run();
}
