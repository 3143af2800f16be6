//! What a build publishes for mirrors, checked with the stock tools:
//! `sha256sum -c` and `minisign -V` accept a signed build; keys made by
//! either tool work with the other; host files and the footer's mirror list.

mod common;
mod mirror_common;

use std::process::Command;

use mirror_common::*;

fn built(key: Option<&std::path::Path>) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write_site(&root, SITE_TOML);
    let out = dir.path().join("public");
    build_into(&root, &out, key);
    (dir, out)
}

#[test]
fn sha256sum_and_minisign_accept_a_signed_build() {
    let keys = tempfile::tempdir().unwrap();
    let (secret, public) = keygen(keys.path(), "network");
    let (_dir, out) = built(Some(&secret));
    if require_tool("sha256sum") {
        let check =
            Command::new("sha256sum").args(["-c", "--strict", "SHA256SUMS"]).current_dir(&out).output().unwrap();
        assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    }
    if require_tool("minisign") {
        let check =
            Command::new("minisign").args(["-Vm", "SHA256SUMS", "-p", s(&public)]).current_dir(&out).output().unwrap();
        let said = String::from_utf8_lossy(&check.stdout);
        assert!(check.status.success(), "{said}{}", String::from_utf8_lossy(&check.stderr));
        assert!(said.contains("site: Mirror test"), "trusted comment: {said}");
    }
}

#[test]
fn sha256sums_lists_every_file_sorted_and_the_manifest_their_sizes() {
    let (_dir, out) = built(None);
    let sums = std::fs::read_to_string(out.join("SHA256SUMS")).unwrap();
    let listed: Vec<&str> = sums.lines().map(|l| &l[66..]).collect();
    let mut expected: Vec<String> =
        common::files(&out).iter().map(|p| p.to_string_lossy().into_owned()).filter(|p| p != "SHA256SUMS").collect();
    expected.sort();
    assert_eq!(listed, expected);
    assert!(listed.contains(&"manifest.json") && listed.contains(&"_headers"));
    assert!(!out.join("SHA256SUMS.minisig").exists(), "no key, no signature");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["version"], 1);
    assert_eq!(manifest["title"], "Mirror test");
    let files = manifest["files"].as_array().unwrap();
    assert_eq!(files.len(), listed.len() - 1, "all but manifest.json itself");
    let hello = files.iter().find(|f| f["path"] == "en/hello/index.html").unwrap();
    let bytes = std::fs::read(out.join("en/hello/index.html")).unwrap();
    assert_eq!(hello["size"], bytes.len());
    assert!(sums.contains(&format!("{}  en/hello/index.html\n", hello["sha256"].as_str().unwrap())));
}

#[test]
fn the_source_commit_is_recorded_from_git() {
    // The fixture lives inside this repository: its commit is HEAD's.
    let fixture = common::build_ok(&common::fixture("minimal"), &[]);
    let manifest: serde_json::Value = serde_json::from_str(&fixture.read("manifest.json")).unwrap();
    let head = Command::new("git").args(["rev-parse", "HEAD"]).current_dir(common::repo_root()).output();
    match head {
        Ok(head) if head.status.success() => {
            assert_eq!(manifest["source_commit"], String::from_utf8_lossy(&head.stdout).trim(),)
        }
        _ => eprintln!("git is missing or this is not a clone: not comparing the commit"),
    }
    let (_dir, out) = built(None);
    let outside: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert!(outside["source_commit"].is_null(), "a site outside git has no commit");
}

#[test]
fn two_signed_builds_publish_identical_lists() {
    let keys = tempfile::tempdir().unwrap();
    let (secret, _) = keygen(keys.path(), "k");
    let (_a, first) = built(Some(&secret));
    let (_b, second) = built(Some(&secret));
    for file in ["SHA256SUMS", "manifest.json", "_headers", "_redirects"] {
        assert_eq!(
            std::fs::read(first.join(file)).unwrap(),
            std::fs::read(second.join(file)).unwrap(),
            "{file} differs between two builds"
        );
    }
}

#[test]
fn keys_made_by_minisign_sign_builds_and_ours_sign_for_minisign() {
    if !require_tool("minisign") {
        return;
    }
    let keys = tempfile::tempdir().unwrap();
    let (secret, public) = (keys.path().join("cli.key"), keys.path().join("cli.pub"));
    let made = Command::new("minisign").args(["-G", "-W", "-p", s(&public), "-s", s(&secret)]).output().unwrap();
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let (_dir, out) = built(Some(&secret));
    ok(&["verify", s(&out), "--public-key", s(&public)]);
    // And the other way: minisign signs with a key from `infrared keygen`.
    let (ours, ours_pub) = keygen(keys.path(), "ours");
    let signed = Command::new("minisign")
        .args(["-S", "-s", s(&ours), "-m", "SHA256SUMS", "-x", "/dev/null"])
        .current_dir(&out)
        .output()
        .unwrap();
    assert!(signed.status.success(), "minisign reads our secret key: {}", String::from_utf8_lossy(&signed.stderr));
    assert!(std::fs::read_to_string(&ours_pub).unwrap().contains("minisign public key"));
}

#[test]
fn a_password_protected_key_is_unlocked_from_the_environment() {
    let keys = tempfile::tempdir().unwrap();
    let (secret, public) = (keys.path().join("p.key"), keys.path().join("p.pub"));
    let password = [("INFRARED_KEY_PASSWORD", "a long passphrase")];
    let made = run(&["keygen", "--password", "--secret-key", s(&secret), "--public-key", s(&public)], &password);
    assert!(made.status.success(), "{}", text(&made));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&secret).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the secret key is private");
    }
    let again = run(&["keygen", "--secret-key", s(&secret), "--public-key", s(&public)], &[]);
    assert!(!again.status.success() && text(&again).contains("already exists"));

    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write_site(&root, SITE_TOML);
    let out = dir.path().join("public");
    let build = ["build", "--root", s(&root), "--out", s(&out)];
    let wrong = run(&build, &[("INFRARED_SIGN_KEY", s(&secret)), ("INFRARED_KEY_PASSWORD", "wrong")]);
    assert!(!wrong.status.success(), "{}", text(&wrong));
    assert!(text(&wrong).contains("cannot unlock") && !out.exists(), "{}", text(&wrong));
    assert!(text(&wrong).contains("check the password"), "a hint about the password: {}", text(&wrong));
    let none = run(&build, &[("INFRARED_SIGN_KEY", s(&secret))]);
    assert!(text(&none).contains("INFRARED_KEY_PASSWORD"), "says how to give it: {}", text(&none));
    let right = run(&build, &[("INFRARED_SIGN_KEY", s(&secret)), password[0]]);
    assert!(right.status.success(), "{}", text(&right));
    ok(&["verify", s(&out), "--public-key", s(&public)]);
}

/// The same file for both halves: the public key overwrote the secret one.
#[test]
fn keygen_refuses_one_file_for_both_keys() {
    let keys = tempfile::tempdir().unwrap();
    let secret = keys.path().join("network.key");
    let same = keys.path().join(".").join("network.key");
    let made = run(&["keygen", "--secret-key", s(&secret), "--public-key", s(&same)], &[]);
    assert_eq!(made.status.code(), Some(1), "{}", text(&made));
    assert!(text(&made).contains("over the secret key"), "{}", text(&made));
    assert!(!secret.exists(), "no key written");
}

/// `INFRARED_KEY_PASSWORD=$PW` with PW unset made a key announced as
/// "password-protected" whose password is empty.
#[test]
fn keygen_refuses_an_empty_password() {
    let keys = tempfile::tempdir().unwrap();
    let (secret, public) = (keys.path().join("p.key"), keys.path().join("p.pub"));
    let made = run(
        &["keygen", "--password", "--secret-key", s(&secret), "--public-key", s(&public)],
        &[("INFRARED_KEY_PASSWORD", "")],
    );
    assert_eq!(made.status.code(), Some(1), "{}", text(&made));
    assert!(text(&made).contains("password is empty"), "{}", text(&made));
    assert!(!secret.exists() && !public.exists(), "no key written");
}

#[test]
fn sign_signs_a_built_folder_that_matches_its_list_and_refuses_one_that_does_not() {
    let keys = tempfile::tempdir().unwrap();
    let (secret, public) = keygen(keys.path(), "k");
    let (_dir, out) = built(None);
    ok(&["sign", s(&out), "--sign-key", s(&secret)]);
    ok(&["verify", s(&out), "--public-key", s(&public)]);
    std::fs::write(out.join("en/hello/index.html"), "defaced").unwrap();
    std::fs::remove_file(out.join("SHA256SUMS.minisig")).unwrap();
    let refused = fails(&["sign", s(&out), "--sign-key", s(&secret)]);
    assert!(refused.contains("changed: en/hello/index.html"), "{refused}");
    assert!(refused.contains("refusing to sign: 1 problem in the folder:"), "{refused}");
    assert!(!out.join("SHA256SUMS.minisig").exists());
    // Ten problems are shown, and how many more there are.
    let pages: Vec<_> =
        common::files(&out).into_iter().filter(|f| f.extension().is_some_and(|e| e == "html")).collect();
    assert!(pages.len() > 12, "{pages:?}");
    for page in &pages[..12] {
        std::fs::write(out.join(page), "defaced").unwrap();
    }
    let refused = fails(&["sign", s(&out), "--sign-key", s(&secret)]);
    assert!(refused.contains("refusing to sign: 12 problems in the folder:"), "{refused}");
    assert!(refused.contains("  … and 2 more (infrared verify lists them all)"), "{refused}");
}

#[test]
fn signing_with_a_key_the_site_does_not_list_is_an_error() {
    let keys = tempfile::tempdir().unwrap();
    let (listed, listed_pub) = keygen(keys.path(), "listed");
    let (other, _) = keygen(keys.path(), "other");
    let public = std::fs::read_to_string(&listed_pub).unwrap();
    let key = public.lines().nth(1).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write_site(&root, &format!("{SITE_TOML}[mirror]\npublic_keys = [\"{key}\"]\n"));
    let out = dir.path().join("public");
    let err = fails(&["build", "--root", s(&root), "--out", s(&out), "--sign-key", s(&other)]);
    assert!(err.contains("not among [mirror] public_keys") && err.contains("site.toml"), "{err}");
    assert!(!out.exists(), "nothing published");
    build_into(&root, &out, Some(&listed));
    // The site's own list of keys is what verify trusts without --public-key.
    let said = ok(&["verify", s(&out), "--root", s(&root)]);
    assert!(said.contains("signature: good"), "{said}");
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains(key), "the site says which keys sign it");
}

#[test]
fn netlify_headers_and_redirects_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write_site(&root, SITE_TOML);
    std::fs::write(root.join("content/hello.md"), "+++\ntitle = \"Hello\"\naliases = [\"/old/hi/\"]\n+++\nHello.\n")
        .unwrap();
    let out = dir.path().join("public");
    build_into(&root, &out, None);
    let headers = std::fs::read_to_string(out.join("_headers")).unwrap();
    assert!(headers.contains("  Content-Security-Policy: default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'\n"), "{headers}");
    assert!(headers.contains("/assets/*\n  Cache-Control: public, max-age=31536000, immutable\n"), "{headers}");
    // The signed lists have no extension a host knows: they are named text.
    assert!(
        headers.contains("/SHA256SUMS\n  Cache-Control: no-cache\n  Content-Type: text/plain; charset=utf-8\n"),
        "{headers}"
    );
    let redirects = std::fs::read_to_string(out.join("_redirects")).unwrap();
    let lines: Vec<&str> = redirects.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        lines,
        [
            "/ca/old/hi  /ca/hello/  301!",
            "/en/old/hi  /en/hello/  301!",
            "/old/hi  /en/hello/  301!",
            "/en/*  /en/404.html  404",
            "/ca/*  /ca/404.html  404",
            "/*  /404.html  404",
        ]
    );
    assert!(out.join("en/old/hi/index.html").is_file(), "other servers still get the redirect page");
    assert!(out.join("old/hi/index.html").is_file(), "at the old address itself too");
}

#[test]
fn pages_list_the_known_mirrors_linking_to_the_same_page() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let toml = "title = \"T\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n[languages.ca]\nname = \"Català\"\n[languages.ar]\nname = \"العربية\"\n\n[[mirror.sites]]\nname = \"Alpha coop\"\nurl = \"https://alpha.example.net/kb/\"\n\n[[mirror.sites]]\nname = \"Beta\"\nurl = \"http://beta.example.org\"\n";
    write_site(&root, toml);
    let out = dir.path().join("public");
    build_into(&root, &out, None);
    let read = |p: &str| std::fs::read_to_string(out.join(p)).unwrap();
    let hello = read("en/hello/index.html");
    assert!(
        hello
            .contains("<a href=\"https://alpha.example.net/kb/en/hello/\" hreflang=\"en\" dir=\"auto\">Alpha coop</a>"),
        "{hello}"
    );
    assert!(hello.contains("href=\"http://beta.example.org/en/hello/\""));
    assert!(hello.contains("one of the 2 copies kept by network members"), "{hello}");
    let ar = read("ar/bundle/index.html");
    assert!(ar.contains("href=\"https://alpha.example.net/kb/ar/bundle/\""), "{ar}");
    assert!(ar.contains("إحدى النسختين"), "Arabic dual form: {ar}");
    let home = read("en/index.html");
    assert!(home.contains("href=\"https://alpha.example.net/kb/en/\""), "{home}");
    let not_found = read("ar/404.html");
    assert!(not_found.contains("href=\"https://alpha.example.net/kb/ar/\""), "{not_found}");

    let plain = tempfile::tempdir().unwrap();
    let plain_root = plain.path().join("site");
    write_site(&plain_root, SITE_TOML);
    build_into(&plain_root, &plain.path().join("out"), None);
    let page = std::fs::read_to_string(plain.path().join("out/en/hello/index.html")).unwrap();
    assert!(!page.contains("class=\"mirrors\""), "no list without mirrors");
}

#[test]
fn a_mirror_url_that_is_not_http_names_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write_site(&root, &format!("{SITE_TOML}[[mirror.sites]]\nname = \"x\"\nurl = \"javascript:alert(1)\"\n"));
    let err = fails(&["build", "--root", s(&root), "--out", s(&dir.path().join("o"))]);
    assert!(err.contains("site.toml:9") && err.contains("not an http(s):// URL"), "{err}");
}

#[test]
fn help_explains_the_mirror_commands() {
    let help = ok(&["--help"]);
    for command in ["keygen", "sign", "verify", "mirror"] {
        assert!(help.contains(command), "--help lacks {command}:\n{help}");
    }
    let build = ok(&["build", "--help"]);
    assert!(build.contains("--sign-key") && build.contains("INFRARED_SIGN_KEY"), "{build}");
    let pull = ok(&["mirror", "pull", "--help"]);
    for flag in ["--public-key", "--jobs", "--timeout", "exactly as it was"] {
        assert!(pull.contains(flag), "mirror pull --help lacks {flag}:\n{pull}");
    }
    let keygen = ok(&["keygen", "--help"]);
    assert!(keygen.contains("INFRARED_KEY_PASSWORD") && keygen.contains("0600"), "{keygen}");
    let not_url = fails(&["mirror", "pull", "/var/www/x", "x", "--public-key", "k.pub"]);
    assert!(not_url.contains("not an http(s):// URL"), "{not_url}");
}
