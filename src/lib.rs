//! infrared: a static site generator for multilingual knowledge bases that
//! work on any mirror and from disk.
//!
//! The pipeline, each module using only those before it:
//! config → content → markdown → site → templates → output, driven by `build`.

pub mod archive;
pub mod build;
pub mod check;
pub mod collisions;
pub mod config;
pub mod content;
pub mod digest;
pub mod error;
pub mod feeds;
pub mod freshness;
pub mod front_matter;
pub mod fuzz_entry;
pub mod git;
pub mod highlight;
pub mod i18n;
pub mod keep;
pub mod lock;
pub mod markdown;
pub mod mirror;
pub mod offline;
pub mod output;
pub mod pack;
pub mod sanitize;
pub mod scope;
pub mod search;
pub mod serve;
pub mod shared_partials;
pub mod site;
pub mod stamp;
pub mod status;
pub mod template_ast;
pub mod template_probe;
pub mod template_sources;
pub mod templates;
pub mod term_pairs;
pub mod translate;
pub mod translations_page;
pub mod urls;

/// The default theme and UI strings, embedded at compile time (see build.rs).
pub mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}
