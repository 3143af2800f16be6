//! SHA-256 of many messages at once, sixteen side by side in the lanes of
//! AVX-512 registers.
//!
//! A processor without SHA extensions hashes one message at about twelve
//! cycles a byte, most of it spent waiting on the previous step of the same
//! round. A build hashes thousands of pages, so sixteen of them can take the
//! rounds together: each instruction works on one 32-bit word of sixteen
//! messages, and the whole output is hashed several times faster. Written
//! from FIPS 180-4; `tests` check it against ring byte for byte.
//!
//! Compiled where its intrinsics are stable (x86-64, Rust 1.89 or newer:
//! build.rs sets `avx512_lanes`); elsewhere [`digest_many`] declines.

// Clippy measures against the crate's oldest Rust (1.85); this code is only
// compiled by 1.89 or newer.
#![cfg_attr(all(target_arch = "x86_64", avx512_lanes), allow(clippy::incompatible_msrv))]
#![cfg_attr(not(all(target_arch = "x86_64", avx512_lanes)), allow(dead_code))]

#[cfg(all(target_arch = "x86_64", avx512_lanes))]
use std::arch::x86_64::*;

use super::Digest;

/// Messages hashed side by side.
const LANES: usize = 16;

/// The first 32 bits of the fractional parts of the cube roots of the
/// first 64 primes (FIPS 180-4, 4.2.2).
const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
    0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
    0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
    0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2,
];

/// The initial hash value (FIPS 180-4, 5.3.3).
const INITIAL: [u32; 8] =
    [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/// Below this many messages, lanes would mostly idle: one at a time is faster.
pub const WORTH_IT: usize = 4;

/// The SHA-256 of each of `messages`, in their order; `None` when this
/// processor lacks AVX-512 or has SHA extensions (one message at a time
/// with them is as fast), or this build has no lanes.
pub fn digest_many(messages: &[&[u8]]) -> Option<Vec<Digest>> {
    #[cfg(all(target_arch = "x86_64", avx512_lanes))]
    if std::arch::is_x86_feature_detected!("avx512f") && !std::arch::is_x86_feature_detected!("sha") {
        // SAFETY: the processor runs AVX-512F, checked just above.
        return Some(unsafe { digest_in_lanes(messages) });
    }
    let _ = messages;
    None
}

/// Where a lane is: which message, and its next block of how many.
#[derive(Clone, Copy)]
struct Lane {
    message: usize,
    block: usize,
    blocks: usize,
}

/// How many 64-byte blocks a message takes once padded: the message, a
/// 0x80 byte, and its length in bits as the last eight bytes.
fn blocks_of(len: usize) -> usize {
    (len + 9).div_ceil(64)
}

/// Block `k` of `message` as padded, as big-endian words, into column `lane`
/// of `words` (row `t` holds word `t` of every lane's block).
fn load_block(message: &[u8], k: usize, words: &mut [[u32; LANES]; 16], lane: usize) {
    let start = k * 64;
    let mut padded = [0u8; 64];
    let block: &[u8] = if start + 64 <= message.len() {
        &message[start..start + 64]
    } else {
        let tail = &message[start.min(message.len())..];
        padded[..tail.len()].copy_from_slice(tail);
        if start <= message.len() {
            padded[tail.len()] = 0x80;
        }
        if k + 1 == blocks_of(message.len()) {
            padded[56..].copy_from_slice(&(message.len() as u64 * 8).to_be_bytes());
        }
        &padded
    };
    for (t, row) in words.iter_mut().enumerate() {
        row[lane] = u32::from_be_bytes([block[4 * t], block[4 * t + 1], block[4 * t + 2], block[4 * t + 3]]);
    }
}

/// # Safety
/// The processor must run AVX-512F.
#[cfg(all(target_arch = "x86_64", avx512_lanes))]
#[target_feature(enable = "avx512f")]
unsafe fn digest_in_lanes(messages: &[&[u8]]) -> Vec<Digest> {
    let mut digests = vec![[0u8; 32]; messages.len()];
    // Longest first, so that the lanes run dry together at the end, on the
    // shortest messages.
    let mut order: Vec<usize> = (0..messages.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(messages[i].len()));
    let mut waiting = order.into_iter();
    let mut lanes: [Option<Lane>; LANES] = [None; LANES];
    let mut state = [[0u32; LANES]; 8];
    let mut words = [[0u32; LANES]; 16];
    loop {
        let mut busy = false;
        for (at, lane) in lanes.iter_mut().enumerate() {
            if lane.is_none() {
                if let Some(message) = waiting.next() {
                    *lane = Some(Lane { message, block: 0, blocks: blocks_of(messages[message].len()) });
                    for (row, initial) in state.iter_mut().zip(INITIAL) {
                        row[at] = initial;
                    }
                }
            }
            if let Some(lane) = lane {
                load_block(messages[lane.message], lane.block, &mut words, at);
                busy = true;
            }
        }
        if !busy {
            return digests;
        }
        compress(&mut state, &words);
        for (at, slot) in lanes.iter_mut().enumerate() {
            let Some(lane) = slot else { continue };
            lane.block += 1;
            if lane.block == lane.blocks {
                for (j, row) in state.iter().enumerate() {
                    digests[lane.message][4 * j..4 * j + 4].copy_from_slice(&row[at].to_be_bytes());
                }
                *slot = None;
            }
        }
    }
}

/// One block of every lane into its state (FIPS 180-4, 6.2.2). A lane with
/// no message computes on whatever its column holds, and nobody reads it.
#[cfg(all(target_arch = "x86_64", avx512_lanes))]
#[target_feature(enable = "avx512f")]
fn compress(state: &mut [[u32; LANES]; 8], words: &[[u32; LANES]; 16]) {
    // Ternary logic tables: bit (a << 2 | b << 1 | c) of the result.
    macro_rules! xor3 {
        ($a:expr, $b:expr, $c:expr) => {
            _mm512_ternarylogic_epi32::<0x96>($a, $b, $c)
        };
    }
    let mut w: [__m512i; 16] = [_mm512_setzero_si512(); 16];
    for (vector, row) in w.iter_mut().zip(words) {
        // SAFETY: a row is sixteen u32s, one 512-bit load.
        *vector = unsafe { _mm512_loadu_epi32(row.as_ptr().cast()) };
    }
    let mut v: [__m512i; 8] = [_mm512_setzero_si512(); 8];
    for (vector, row) in v.iter_mut().zip(state.iter()) {
        // SAFETY: as above.
        *vector = unsafe { _mm512_loadu_epi32(row.as_ptr().cast()) };
    }
    let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = v;
    for (t, k) in K.iter().enumerate() {
        if t >= 16 {
            let w15 = w[(t + 1) % 16];
            let w2 = w[(t + 14) % 16];
            let s0 = xor3!(_mm512_ror_epi32::<7>(w15), _mm512_ror_epi32::<18>(w15), _mm512_srli_epi32::<3>(w15));
            let s1 = xor3!(_mm512_ror_epi32::<17>(w2), _mm512_ror_epi32::<19>(w2), _mm512_srli_epi32::<10>(w2));
            let w7 = w[(t + 9) % 16];
            w[t % 16] = _mm512_add_epi32(_mm512_add_epi32(w[t % 16], s0), _mm512_add_epi32(w7, s1));
        }
        let big_sigma1 = xor3!(_mm512_ror_epi32::<6>(e), _mm512_ror_epi32::<11>(e), _mm512_ror_epi32::<25>(e));
        // Ch: e ? f : g.
        let choose = _mm512_ternarylogic_epi32::<0xca>(e, f, g);
        let t1 = _mm512_add_epi32(
            _mm512_add_epi32(h, big_sigma1),
            _mm512_add_epi32(choose, _mm512_add_epi32(_mm512_set1_epi32(*k as i32), w[t % 16])),
        );
        let big_sigma0 = xor3!(_mm512_ror_epi32::<2>(a), _mm512_ror_epi32::<13>(a), _mm512_ror_epi32::<22>(a));
        // Maj: at least two of a, b, c.
        let majority = _mm512_ternarylogic_epi32::<0xe8>(a, b, c);
        let t2 = _mm512_add_epi32(big_sigma0, majority);
        h = g;
        g = f;
        f = e;
        e = _mm512_add_epi32(d, t1);
        d = c;
        c = b;
        b = a;
        a = _mm512_add_epi32(t1, t2);
    }
    for ((row, before), after) in state.iter_mut().zip(v).zip([a, b, c, d, e, f, g, h]) {
        // SAFETY: a row is sixteen u32s, one 512-bit store.
        unsafe { _mm512_storeu_epi32(row.as_mut_ptr().cast(), _mm512_add_epi32(before, after)) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_at_a_time(message: &[u8]) -> Digest {
        ring::digest::digest(&ring::digest::SHA256, message).as_ref().try_into().unwrap()
    }

    /// Messages of every length around the block and padding edges, and
    /// long ones that outlast the short ones in their lanes.
    fn messages() -> Vec<Vec<u8>> {
        let mut seed = 0x2545_f491_u32;
        let mut byte = move || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed as u8
        };
        let mut lengths: Vec<usize> = (0..=200).collect();
        lengths.extend([1000, 4095, 4096, 4097, 70_000, 3, 0, 55, 56, 64]);
        lengths.iter().map(|&n| (0..n).map(|_| byte()).collect()).collect()
    }

    #[test]
    fn lanes_agree_with_one_message_at_a_time() {
        let messages = messages();
        let slices: Vec<&[u8]> = messages.iter().map(Vec::as_slice).collect();
        let Some(digests) = digest_many(&slices) else {
            // Without lanes the build hashes one at a time: nothing to compare.
            #[cfg(all(target_arch = "x86_64", avx512_lanes))]
            assert!(!std::arch::is_x86_feature_detected!("avx512f") || std::arch::is_x86_feature_detected!("sha"));
            return;
        };
        assert_eq!(digests.len(), messages.len());
        for (message, digest) in messages.iter().zip(&digests) {
            assert_eq!(*digest, one_at_a_time(message), "length {}", message.len());
        }
    }

    #[test]
    fn padding_takes_a_block_of_its_own_when_the_length_does_not_fit() {
        assert_eq!(blocks_of(0), 1);
        assert_eq!(blocks_of(55), 1);
        assert_eq!(blocks_of(56), 2);
        assert_eq!(blocks_of(64), 2);
        assert_eq!(blocks_of(119), 2);
        assert_eq!(blocks_of(120), 3);
    }
}
