//! Empty: the comparators are in `benches/peers.rs`.
