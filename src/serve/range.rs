//! Byte ranges (RFC 9110 §14): a browser asks for part of a video or an
//! audio file when the reader seeks in it. One range is answered with 206
//! and that part; several ranges, another unit or a header that does not
//! parse are answered with the whole file (which the RFC allows); a range
//! that starts past the end gets 416.

/// What a `Range` header asks of a file of `len` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    Whole,
    /// Bytes `start..=end`, both within the file.
    Part {
        start: u64,
        end: u64,
    },
    Unsatisfiable,
}

impl Wanted {
    /// `header` is the `Range` header's value, if the request had one.
    pub fn of(header: Option<&str>, len: u64) -> Wanted {
        let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
            return Wanted::Whole;
        };
        if spec.contains(',') {
            return Wanted::Whole;
        }
        let Some((first, last)) = spec.trim().split_once('-') else {
            return Wanted::Whole;
        };
        match (number(first), number(last)) {
            // `bytes=-500`: the last 500 bytes.
            (None, Some(suffix)) if first.is_empty() => match suffix {
                0 => Wanted::Unsatisfiable,
                _ if len == 0 => Wanted::Unsatisfiable,
                _ => Wanted::Part { start: len.saturating_sub(suffix), end: len - 1 },
            },
            (Some(start), None) if last.is_empty() => Wanted::from(start, u64::MAX, len),
            (Some(start), Some(end)) if start <= end => Wanted::from(start, end, len),
            _ => Wanted::Whole,
        }
    }

    fn from(start: u64, end: u64, len: u64) -> Wanted {
        if start >= len {
            return Wanted::Unsatisfiable;
        }
        Wanted::Part { start, end: end.min(len - 1) }
    }
}

/// Digits only: `+5`, ` 5` or `5x` are not numbers here.
fn number(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::Wanted::{self, *};

    #[test]
    fn single_ranges_are_parts_of_the_file() {
        assert_eq!(Wanted::of(Some("bytes=0-99"), 1000), Part { start: 0, end: 99 });
        assert_eq!(Wanted::of(Some("bytes=500-"), 1000), Part { start: 500, end: 999 });
        assert_eq!(Wanted::of(Some("bytes=-100"), 1000), Part { start: 900, end: 999 });
        assert_eq!(Wanted::of(Some("bytes=-5000"), 1000), Part { start: 0, end: 999 }, "a suffix longer than the file");
        assert_eq!(Wanted::of(Some("bytes=990-5000"), 1000), Part { start: 990, end: 999 }, "an end past the end");
        assert_eq!(Wanted::of(Some("bytes=999-999"), 1000), Part { start: 999, end: 999 });
    }

    #[test]
    fn ranges_past_the_end_cannot_be_satisfied() {
        assert_eq!(Wanted::of(Some("bytes=1000-"), 1000), Unsatisfiable);
        assert_eq!(Wanted::of(Some("bytes=1000-2000"), 1000), Unsatisfiable);
        assert_eq!(Wanted::of(Some("bytes=-0"), 1000), Unsatisfiable);
        assert_eq!(Wanted::of(Some("bytes=0-"), 0), Unsatisfiable);
        assert_eq!(Wanted::of(Some("bytes=-1"), 0), Unsatisfiable);
    }

    #[test]
    fn anything_else_gets_the_whole_file() {
        for header in
            [None, Some("bytes=0-1,5-6"), Some("items=0-1"), Some("bytes=5-1"), Some("bytes=a-b"), Some("bytes=")]
        {
            assert_eq!(Wanted::of(header, 1000), Whole, "{header:?}");
        }
        assert_eq!(Wanted::of(Some("bytes=+1-2"), 1000), Whole);
    }
}
