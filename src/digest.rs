//! SHA-256, the one hash the project publishes (`SHA256SUMS`, manifests,
//! fingerprints, stamps). ring's implementation picks the fastest code the
//! processor runs (SHA extensions, AVX2…): hashing every output file is a
//! build step of its own, and about twice as fast this way as portable Rust.
//! Many messages at once go sixteen side by side where AVX-512 allows
//! ([`digest_all`]), four times faster again.

mod lanes;

/// A SHA-256 computation fed piece by piece.
#[derive(Clone)]
pub struct Sha256(ring::digest::Context);

/// A finished SHA-256: 32 bytes.
pub type Digest = [u8; 32];

impl Sha256 {
    pub fn new() -> Sha256 {
        Sha256(ring::digest::Context::new(&ring::digest::SHA256))
    }

    pub fn update(&mut self, bytes: impl AsRef<[u8]>) {
        self.0.update(bytes.as_ref());
    }

    pub fn finalize(self) -> Digest {
        self.0.finish().as_ref().try_into().expect("SHA-256 is 32 bytes")
    }

    /// The SHA-256 of `bytes` at once.
    pub fn digest(bytes: impl AsRef<[u8]>) -> Digest {
        ring::digest::digest(&ring::digest::SHA256, bytes.as_ref()).as_ref().try_into().expect("SHA-256 is 32 bytes")
    }
}

impl Default for Sha256 {
    fn default() -> Sha256 {
        Sha256::new()
    }
}

/// The SHA-256 of each of `messages`, in their order: side by side when
/// there are enough of them and the processor has AVX-512 but no SHA
/// extensions, else one at a time.
pub fn digest_all(messages: &[&[u8]]) -> Vec<Digest> {
    if messages.len() >= lanes::WORTH_IT {
        if let Some(digests) = lanes::digest_many(messages) {
            return digests;
        }
    }
    messages.iter().map(Sha256::digest).collect()
}

/// Lowercase hexadecimal, as `sha256sum` prints it.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_published_test_vectors() {
        // FIPS 180-2, appendix B.1 and B.2.
        assert_eq!(hex(&Sha256::digest(b"abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        let mut hasher = Sha256::new();
        hasher.update("abcdbcdecdefdefgefghfghighij");
        hasher.update("hijkijkljklmklmnlmnomnopnopq");
        assert_eq!(hex(&hasher.finalize()), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    }
}
