//! minisign keys and signatures, interoperable with the `minisign` tool:
//! `infrared keygen` writes a key pair, builds sign `SHA256SUMS` with the
//! secret key, and `verify`/`mirror pull` check the signature with the
//! network's public keys.

use std::fmt;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use minisign::{KeyPair, PublicKey, PublicKeyBox, SecretKey, SecretKeyBox, SignatureBox};

use crate::error::{Error, Result};

/// The 8-byte key id minisign prints, as `{:016X}` of its little-endian value.
pub fn key_id(keynum: &[u8]) -> String {
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&keynum[..8]);
    format!("{:016X}", u64::from_le_bytes(bytes))
}

/// A secret key ready to sign. Its `Debug` shows only the key id.
#[derive(Clone)]
pub struct SigningKey {
    secret: SecretKey,
    public: PublicKey,
    pub path: PathBuf,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SigningKey({} from {})", self.id(), self.path.display())
    }
}

impl SigningKey {
    /// Reads a minisign secret key. `password` is asked for only when the key
    /// is password-protected.
    pub fn load(path: &Path, password: impl FnOnce() -> Result<String>) -> Result<SigningKey> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let bad = |message: String| {
            Error::input(
                path,
                None,
                message,
                "pass a minisign secret key, as written by `infrared keygen` or `minisign -G`",
            )
        };
        let boxed = || SecretKeyBox::from_string(&text).expect("any text makes a box");
        let secret = match SecretKey::from_unencrypted_box(boxed()) {
            Ok(key) => key,
            Err(e) if e.to_string().contains("encrypted") => {
                SecretKey::from_box(boxed(), Some(password()?)).map_err(|e| {
                    Error::input(
                        path,
                        None,
                        format!("cannot unlock the key: {e}"),
                        "check the password, read from INFRARED_KEY_PASSWORD, else asked for on the terminal",
                    )
                })?
            }
            Err(e) => match unencrypted_without_checksum(&text) {
                Some(key) => key,
                None => return Err(bad(format!("not a minisign secret key: {e}"))),
            },
        };
        let public = PublicKey::from_secret_key(&secret).map_err(|e| bad(e.to_string()))?;
        let key = SigningKey { secret, public, path: path.to_path_buf() };
        // Signing checks the signature with the public half: a damaged key
        // fails here rather than in the middle of a build.
        key.sign(b"", "").map_err(|_| bad("the key is damaged: it does not verify its own signature".into()))?;
        Ok(key)
    }

    pub fn id(&self) -> String {
        key_id(self.public.keynum())
    }

    /// The public key as site.toml lists it: `RW…`.
    pub fn public_key_base64(&self) -> String {
        self.public.to_base64()
    }

    /// A `.minisig` file for `data`, with `trusted_comment` signed along.
    pub fn sign(&self, data: &[u8], trusted_comment: &str) -> Result<String> {
        let comment: String = trusted_comment.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        let signature = minisign::sign(
            Some(&self.public),
            &self.secret,
            Cursor::new(data),
            Some(&comment),
            Some(&format!("signature from infrared secret key {}", self.id())),
        )
        .map_err(|e| Error::input(&self.path, None, format!("signing failed: {e}"), "check the key"))?;
        Ok(signature.into_string())
    }
}

/// minisign 0.11 writes unencrypted keys (`minisign -G -W`) with an empty
/// checksum, which the minisign crate refuses as corrupted. Such a key is
/// read as it is; `load` then proves it by signing and verifying.
fn unencrypted_without_checksum(text: &str) -> Option<SecretKey> {
    use ct_codecs::{Base64, Decoder};
    let line = text.lines().nth(1)?.trim();
    let bytes = Base64::decode_to_vec(line, None).ok()?;
    // sig_alg, kdf_alg, chk_alg, salt, opslimit, memlimit, keynum, sk, chk
    let (kdf_alg, checksum) = (bytes.get(2..4)?, bytes.get(bytes.len().checked_sub(32)?..)?);
    let unencrypted = bytes.len() == 158 && kdf_alg == [0, 0] && checksum.iter().all(|b| *b == 0);
    unencrypted.then(|| SecretKey::from_bytes(&bytes).ok()).flatten()
}

/// A public key the caller trusts, and where it came from (for messages).
#[derive(Clone)]
pub struct TrustedKey {
    pub key: PublicKey,
    pub origin: String,
}

impl TrustedKey {
    pub fn id(&self) -> String {
        key_id(self.key.keynum())
    }

    /// A key as site.toml lists it (`RW…`) or as a `.pub` file holds it (an
    /// `untrusted comment:` line, then the key).
    pub fn parse(text: &str, origin: impl Into<String>) -> std::result::Result<TrustedKey, String> {
        let line = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with("untrusted comment:"))
            .ok_or("no key in it")?;
        let key = PublicKey::from_base64(line).map_err(|e| format!("not a minisign public key: {e}"))?;
        Ok(TrustedKey { key, origin: origin.into() })
    }

    pub fn from_file(path: &Path) -> Result<TrustedKey> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        TrustedKey::parse(&text, path.display().to_string()).map_err(|message| {
            Error::input(
                path,
                None,
                message,
                "pass the network's public key file (as written by `infrared keygen` or `minisign -G`)",
            )
        })
    }
}

/// Who signed: the key id and the signed comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    pub key_id: String,
    pub trusted_comment: String,
}

/// Checks a `.minisig` for `data` against the trusted keys.
pub fn verify(data: &[u8], signature: &[u8], keys: &[TrustedKey]) -> std::result::Result<Signer, String> {
    let text = std::str::from_utf8(signature).map_err(|_| "the signature is not text".to_string())?;
    let signature = SignatureBox::from_string(text).map_err(|e| format!("unreadable signature: {e}"))?;
    let signed_by = key_id(signature.keynum());
    let Some(key) = keys.iter().find(|k| k.key.keynum() == signature.keynum()) else {
        let known: Vec<String> = keys.iter().map(|k| format!("{} ({})", k.id(), k.origin)).collect();
        return Err(format!("signed by key {signed_by}, which is not a trusted key: {}", known.join(", ")));
    };
    minisign::verify(&key.key, &signature, Cursor::new(data), true, false, false)
        .map_err(|e| format!("BAD signature for key {signed_by} ({}): {e}", key.origin))?;
    Ok(Signer { key_id: signed_by, trusted_comment: signature.trusted_comment().unwrap_or_default() })
}

/// What `infrared keygen` made.
#[derive(Debug)]
pub struct NewKey {
    pub id: String,
    pub public_key: String,
}

/// Writes a new key pair: the secret key readable only by its owner (0600),
/// protected by `password` when given; never over an existing file unless
/// `force`.
pub fn generate(secret_path: &Path, public_path: &Path, password: Option<String>, force: bool) -> Result<NewKey> {
    if same_file(secret_path, public_path) {
        return Err(Error::input(
            public_path,
            None,
            "the public key would be written over the secret key",
            "give the two keys different files, e.g. --secret-key network.key --public-key network.pub",
        ));
    }
    for path in [secret_path, public_path] {
        if path.exists() && !force {
            return Err(Error::input(
                path,
                None,
                "already exists",
                "keep the existing key, pick another file name, or pass --force to replace it",
            ));
        }
    }
    if password.as_deref() == Some("") {
        return Err(Error::input(
            secret_path,
            None,
            "the password is empty, so it would protect nothing",
            "set INFRARED_KEY_PASSWORD to a password (or type one), or leave out --password for a key without one",
        ));
    }
    let failed = |e: minisign::PError| Error::input(secret_path, None, format!("cannot make a key: {e}"), "try again");
    let pair = match &password {
        Some(p) => KeyPair::generate_encrypted_keypair(Some(p.clone())).map_err(failed)?,
        None => KeyPair::generate_unencrypted_keypair().map_err(failed)?,
    };
    let comment = if password.is_some() {
        "infrared secret key (password-protected)"
    } else {
        "infrared secret key (unencrypted: keep this file private)"
    };
    let secret_box: SecretKeyBox = pair.sk.to_box(Some(comment)).map_err(failed)?;
    let public_box: PublicKeyBox = pair.pk.to_box().map_err(failed)?;
    write_private(secret_path, secret_box.into_string().as_bytes())?;
    std::fs::write(public_path, public_box.into_string()).map_err(|e| Error::io(public_path, e))?;
    Ok(NewKey { id: key_id(pair.pk.keynum()), public_key: pair.pk.to_base64() })
}

/// Whether two paths name one file, made yet or not (their folders resolved).
fn same_file(a: &Path, b: &Path) -> bool {
    let resolved = |path: &Path| {
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        Some(std::fs::canonicalize(parent).ok()?.join(path.file_name()?))
    };
    matches!((resolved(a), resolved(b)), (Some(a), Some(b)) if a == b)
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    if path.exists() {
        std::fs::remove_file(path).map_err(|e| Error::io(path, e))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| Error::io(path, e))?;
    file.write_all(bytes).map_err(|e| Error::io(path, e))?;
    file.sync_all().map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_password() -> Result<String> {
        panic!("no password should be asked for")
    }

    #[test]
    fn a_new_key_signs_and_its_public_key_verifies() {
        let dir = tempfile::tempdir().unwrap();
        let (sk, pk) = (dir.path().join("k.key"), dir.path().join("k.pub"));
        let made = generate(&sk, &pk, None, false).unwrap();
        let key = SigningKey::load(&sk, no_password).unwrap();
        assert_eq!(key.id(), made.id);
        let signature = key.sign(b"data", "site: T\tcommit: none").unwrap();
        let trusted = TrustedKey::from_file(&pk).unwrap();
        let signer = verify(b"data", signature.as_bytes(), std::slice::from_ref(&trusted)).unwrap();
        assert_eq!(signer.key_id, made.id);
        assert_eq!(signer.trusted_comment, "site: T commit: none");
        let err = verify(b"dat4", signature.as_bytes(), &[trusted]).unwrap_err();
        assert!(err.contains("BAD signature"), "{err}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&sk).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(generate(&sk, &pk, None, false).is_err(), "never overwrites a key");
    }

    #[test]
    fn a_password_protected_key_needs_its_password() {
        let dir = tempfile::tempdir().unwrap();
        let (sk, pk) = (dir.path().join("k.key"), dir.path().join("k.pub"));
        generate(&sk, &pk, Some("correct horse".into()), false).unwrap();
        assert!(SigningKey::load(&sk, || Ok("wrong".into())).is_err());
        let key = SigningKey::load(&sk, || Ok("correct horse".into())).unwrap();
        assert_eq!(TrustedKey::from_file(&pk).unwrap().id(), key.id());
    }

    #[test]
    fn a_signature_from_another_key_names_both() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        generate(&a.with_extension("key"), &a.with_extension("pub"), None, false).unwrap();
        let made_b = generate(&b.with_extension("key"), &b.with_extension("pub"), None, false).unwrap();
        let signature = SigningKey::load(&a.with_extension("key"), no_password).unwrap().sign(b"x", "c").unwrap();
        let trusted_b = TrustedKey::parse(&made_b.public_key, "site.toml").unwrap();
        let err = verify(b"x", signature.as_bytes(), &[trusted_b]).unwrap_err();
        assert!(err.contains("not a trusted key") && err.contains(&made_b.id), "{err}");
    }
}
