#![no_main]
//! Fuzz target: see `infrared::fuzz_entry::search_query`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| infrared::fuzz_entry::search_query(data));
