//! Benchmark baseline: a bare Tauri window opening `bare.html` — the same MapLibre map,
//! basemap style and number of point features as the console, with no store, no API and no
//! console UI. `cargo xtask bench` compares the console's cold start against this.

use std::sync::{Arc, OnceLock};

use onemap_tiles::TilePack;

static TILES: OnceLock<Option<Arc<TilePack>>> = OnceLock::new();

fn main() {
    let mut context = tauri::generate_context!();
    // The page query (feature counts per layer) comes as the first argument.
    let query = std::env::args().nth(1).unwrap_or_default();
    for window in &mut context.config_mut().app.windows {
        window.url = tauri::WebviewUrl::App(format!("bare.html{query}").into());
    }
    onemap_desktop::with_tiles(tauri::Builder::default(), |_| TILES.get().cloned().flatten())
        .setup(|app| {
            let _ = TILES.set(onemap_desktop::open_tiles(app));
            Ok(())
        })
        .run(context)
        .expect("the bare window could not start");
}
