#![no_main]
//! Fuzz target: see `infrared::fuzz_entry::markdown`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| infrared::fuzz_entry::markdown(data));
