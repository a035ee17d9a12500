//! The OneMap centre server: serves the console UI, the API and the tile pack over HTTP, so
//! any PC or wall controller in the hall can show the console without installing the app.
//!
//! Architecture invariant: the hub adds transport only; every request is answered by the
//! same `onemap_api::Api::handle` the desktop app calls.

pub mod server;
