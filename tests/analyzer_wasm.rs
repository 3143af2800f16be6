//! The browser analyses queries with the WebAssembly build of the analyzer;
//! it must give exactly the native analyzer's terms, and the committed modules
//! must have been built from the analyzer's current sources.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Command, Stdio};

use common::{fixture, repo_root, tool_available};
use infrared_analyzer::Analyzer;

#[test]
fn analyzer_wasm_is_fresh() {
    let output = Command::new("bash").arg(repo_root().join("scripts/analyzer-source-hash")).output().unwrap();
    assert!(output.status.success());
    let now = String::from_utf8(output.stdout).unwrap();
    let built = std::fs::read_to_string(repo_root().join("crates/analyzer/wasm/SOURCES.sha256")).unwrap();
    assert_eq!(now.trim(), built.trim(), "the analyzer changed since its WebAssembly was built: run scripts/build-analyzer-wasm and commit crates/analyzer/wasm/");
}

/// Lines and distinct words of every Markdown file in a language, by language.
fn vocabulary() -> BTreeMap<String, BTreeSet<String>> {
    let mut texts: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for root in [fixture("search"), repo_root()] {
        for file in common::files(&root.join("content")) {
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            let Some(stem) = name.strip_suffix(".md") else {
                continue;
            };
            let lang = stem.rsplit_once('.').map_or("en", |(_, l)| l).to_string();
            let text = std::fs::read_to_string(root.join("content").join(&file)).unwrap();
            let entry = texts.entry(lang).or_default();
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                entry.insert(line.to_string());
                entry.extend(line.split_whitespace().map(str::to_string));
            }
        }
    }
    texts
}

#[test]
fn wasm_and_native_analyzers_give_identical_terms() {
    if !tool_available("node", &["--version"]) {
        return;
    }
    for (lang, texts) in vocabulary() {
        let analyzer = Analyzer::for_language(&lang);
        let module = analyzer.stemmer_name().unwrap_or("plain");
        let wasm = repo_root().join(format!("crates/analyzer/wasm/{module}.wasm"));
        let texts: Vec<&String> = texts.iter().collect();
        let input = serde_json::json!({ "wasm": wasm, "lang": lang, "texts": texts });
        let mut child = Command::new("node")
            .arg(repo_root().join("tests/browser/analyze.mjs"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(child.stdin.as_mut().unwrap(), input.to_string().as_bytes()).unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "node failed for {lang}");
        let from_wasm: Vec<Vec<String>> = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(from_wasm.len(), texts.len());
        let mut compared = 0;
        for (text, wasm_terms) in texts.iter().zip(&from_wasm) {
            assert_eq!(&analyzer.terms(text), wasm_terms, "{lang} ({module}.wasm) differs on {text:?}");
            compared += 1;
        }
        assert!(compared > 50, "{lang}: only {compared} texts");
    }
}
