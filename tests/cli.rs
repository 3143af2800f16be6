//! The command line as a user meets it: help, version, defaults, exit codes.

mod common;

use common::{fixture, infrared};

fn stdout(args: &[&str]) -> String {
    let output = infrared(args);
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn help_lists_commands_and_every_build_option() {
    let help = stdout(&["--help"]);
    assert!(help.contains("build") && help.contains("--root"), "{help}");
    let build = stdout(&["build", "--help"]);
    for flag in ["--root", "--out", "--offline", "--strict", "--drafts", "--timings", "--no-cache"] {
        assert!(build.contains(flag), "build --help lacks {flag}:\n{build}");
    }
    assert!(build.contains("file://"), "explains --offline: {build}");
}

#[test]
fn version_is_printed() {
    assert!(stdout(&["--version"]).starts_with("infrared "));
}

#[test]
fn usage_errors_exit_with_status_two() {
    assert_eq!(infrared(&["no-such-command"]).status.code(), Some(2));
    assert_eq!(infrared(&["build", "--no-such-flag"]).status.code(), Some(2));
}

#[test]
fn numbers_out_of_range_are_usage_errors_not_panics() {
    let huge = u64::MAX.to_string();
    for args in [
        vec!["search", "x", "--limit", "0"],
        vec!["search", "x", "--limit", huge.as_str()],
        vec!["verify", "http://127.0.0.1:9/", "--timeout", huge.as_str()],
        vec!["mirror", "pull", "http://127.0.0.1:9/", "copy", "--timeout", huge.as_str()],
        vec!["mirror", "pull", "http://127.0.0.1:9/", "copy", "--jobs", "0"],
    ] {
        let output = infrared(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("is not in 1..="), "{args:?} names the range: {stderr}");
    }
}

#[test]
fn build_defaults_to_the_current_folder_and_its_public_folder() {
    let dir = tempfile::tempdir().unwrap();
    for file in common::files(&fixture("minimal")) {
        let target = dir.path().join(&file);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(fixture("minimal").join(&file), target).unwrap();
    }
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_infrared"))
        .arg("build")
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(dir.path().join("public/en/hello/index.html").is_file());
    assert!(stderr.contains("Built 2 pages in 1 language") && stderr.contains("0 warnings"), "{stderr}");
}

#[test]
fn timings_report_each_step() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let output = infrared(&[
        "build",
        "--timings",
        "--root",
        fixture("minimal").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    for step in ["read content", "render markdown", "render templates", "write output"] {
        assert!(stderr.contains(step), "{stderr}");
    }
}

#[test]
fn the_report_counts_every_file_written_and_its_size() {
    let site = common::build_ok(&fixture("multilingual"), &[]);
    let written = common::files(&site.out);
    let bytes: u64 = written.iter().map(|f| std::fs::metadata(site.out.join(f)).unwrap().len()).sum();
    let summary = site.stderr.lines().find(|l| l.starts_with("Built ")).expect("a summary line");
    let (count, size) = summary
        .split_once(" files, ")
        .and_then(|(before, after)| {
            let count: usize = before.rsplit(' ').next()?.parse().ok()?;
            let size: f64 = after.split_once(" MiB")?.0.parse().ok()?;
            Some((count, size))
        })
        .unwrap_or_else(|| panic!("no file count and size in: {summary}"));
    assert_eq!(count, written.len(), "{summary}");
    // The summary rounds to a tenth of a MiB.
    let actual = bytes as f64 / (1024.0 * 1024.0);
    assert!((size - actual).abs() <= 0.05 + 1e-9, "{summary}: the files hold {actual:.3} MiB");
}

/// An I/O error names its file and the system's reason once: the reason
/// used to be printed again as the error's cause
/// (`key: No such file or directory (os error 2): No such file or directory (os error 2)`).
#[test]
fn an_io_error_gives_its_reason_once() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("no-such.key");
    let output = infrared(&["sign", dir.path().to_str().unwrap(), "--sign-key", key.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(said.starts_with(&format!("error: {}: ", key.display())), "{said}");
    assert_eq!(said.matches("os error 2").count(), 1, "{said}");
}

/// A damaged search index beside the output says what to do about it.
#[test]
fn search_over_a_damaged_index_says_to_build_again() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let root = fixture("minimal");
    let (root, out) = (root.to_str().unwrap(), out.to_str().unwrap());
    assert!(infrared(&["build", "--root", root, "--out", out]).status.success());
    let index = dir.path().join(".public-cache/search/en");
    for file in common::files(&index) {
        std::fs::write(index.join(file), "junk").unwrap();
    }
    let output = infrared(&["search", "hello", "--root", root, "--out", out]);
    let said = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(said.contains("search index cannot be read") && said.contains("run `infrared build`"), "{said}");
}

/// A web server running as another user cannot read what a build writes
/// under `umask 077`: the build says so, and writes the site all the same.
#[test]
fn a_umask_that_hides_files_from_other_users_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let root = fixture("minimal");
    for (mask, warned) in [("077", true), ("022", false)] {
        let out = dir.path().join(format!("public-{mask}"));
        let command = format!("umask {mask} && exec \"$0\" build --root \"$1\" --out \"$2\"",);
        let output = std::process::Command::new("sh")
            .args(["-c", &command, env!("CARGO_BIN_EXE_infrared"), root.to_str().unwrap(), out.to_str().unwrap()])
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(output.status.success(), "{said}");
        assert_eq!(
            said.contains(&format!("warning: the umask ({mask}) keeps other users from reading")),
            warned,
            "{said}"
        );
    }
}
