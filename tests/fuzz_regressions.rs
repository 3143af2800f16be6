//! Replays every input the fuzzers found (fuzz/regressions/) and their seeds
//! (fuzz/seeds/) through the same entry points: none may panic again.

mod common;

use common::repo_root;

fn replay(target: &str, run: fn(&[u8])) -> usize {
    let mut count = 0;
    for folder in ["regressions", "seeds"] {
        let dir = repo_root().join("fuzz").join(folder).join(target);
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|n| n == ".keep") {
                continue;
            }
            let data = std::fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| run(&data));
            assert!(outcome.is_ok(), "{} panics again", path.display());
            count += 1;
        }
    }
    count
}

#[test]
fn front_matter_inputs_found_by_fuzzing_stay_fixed() {
    assert!(replay("front_matter", infrared::fuzz_entry::front_matter) > 0);
}

#[test]
fn markdown_inputs_found_by_fuzzing_stay_fixed() {
    assert!(replay("markdown", infrared::fuzz_entry::markdown) > 0);
}

#[test]
fn search_query_inputs_found_by_fuzzing_stay_fixed() {
    assert!(replay("search_query", infrared::fuzz_entry::search_query) > 0);
}
