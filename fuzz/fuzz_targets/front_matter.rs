#![no_main]
//! Fuzz target: see `infrared::fuzz_entry::front_matter`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| infrared::fuzz_entry::front_matter(data));
