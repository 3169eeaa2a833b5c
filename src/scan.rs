//! Byte searches that never ask the CPU what it supports.
//!
//! Why: the `memchr` crate's top-level functions pick AVX2 or SSE2 at run time through
//! std's feature detection, whose first use runs the CPUID instruction about eight times.
//! In a virtual machine each CPUID traps to the hypervisor (~4 µs measured here), so the
//! first search of a process cost it ~35 µs: 2–5 % of rendering a small chart. SSE2 is
//! part of x86-64 itself, so on x86-64 these use memchr's SSE2 searchers directly; other
//! targets keep memchr's own choice. A render's searches are short (the text between two
//! template actions, one YAML line), where SSE2 is as fast as AVX2.

/// The first `needle` in `haystack`.
pub fn find_byte(needle: u8, haystack: &[u8]) -> Option<usize> {
    imp::find_byte(needle, haystack)
}

/// The first `a` or `b` in `haystack`.
pub fn find_either(a: u8, b: u8, haystack: &[u8]) -> Option<usize> {
    imp::find_either(a, b, haystack)
}

/// How many `needle` bytes `haystack` holds.
pub fn count_byte(needle: u8, haystack: &[u8]) -> usize {
    imp::count_byte(needle, haystack)
}

/// Whether `text` starts with the short constant `prefix`, compared in place byte by
/// byte. `str::starts_with` calls the library comparison (ours: `crate::mem`) once per
/// call, and a YAML reader asks whether each line of a big document starts with `---`
/// or `...`: nearly all differ in their first byte.
#[inline(always)]
pub fn has_prefix<const N: usize>(text: &str, prefix: &[u8; N]) -> bool {
    let b = text.as_bytes();
    b.len() >= N && (0..N).all(|i| b[i] == prefix[i])
}

/// How many bytes `haystack` starts with that are ASCII letters, digits or `_` (the
/// identifier bytes of Go templates; a template lexer spends most of its time on them).
pub fn ascii_word_len(haystack: &[u8]) -> usize {
    imp::ascii_word_len(haystack)
}

/// One byte of [`ascii_word_len`]'s set.
fn is_ascii_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Every position of `needle` in `haystack`, in order.
pub fn byte_positions(needle: u8, haystack: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        let at = from + find_byte(needle, haystack.get(from..)?)?;
        from = at + 1;
        Some(at)
    })
}

/// A searcher for a short byte string (a delimiter), built once and reused.
#[derive(Clone, Copy, Debug)]
pub struct Finder {
    needle: &'static [u8],
    imp: imp::Finder,
}

impl Finder {
    /// A finder for `needle`, at least two bytes long.
    pub fn new(needle: &'static [u8]) -> Finder {
        assert!(
            needle.len() >= 2,
            "a finder needs a needle of two bytes or more"
        );
        Finder {
            needle,
            imp: imp::Finder::new(needle),
        }
    }

    /// Where `needle` first occurs in `haystack`.
    pub fn find(&self, haystack: &[u8]) -> Option<usize> {
        self.imp.find(haystack, self.needle)
    }

    /// Every occurrence of `needle` in `haystack`, not overlapping, in order.
    pub fn find_iter<'h>(&self, haystack: &'h [u8]) -> impl Iterator<Item = usize> + 'h {
        let finder = *self;
        let mut from = 0;
        std::iter::from_fn(move || {
            let at = from + finder.find(haystack.get(from..)?)?;
            from = at + finder.needle.len();
            Some(at)
        })
    }
}

#[cfg(target_arch = "x86_64")]
mod imp {
    use memchr::arch::x86_64::sse2::memchr::{One, Two};
    use memchr::arch::x86_64::sse2::packedpair;

    const SSE2: &str = "SSE2 is part of x86-64";

    /// Sixteen bytes at a time: a byte is a letter when, with bit 5 set (lower case), it
    /// lies in `a..=z`, a digit when it lies in `0..=9`; each range test is one signed
    /// comparison after shifting the range's start to -128 (SSE2 has no unsigned one).
    /// Bytes from 0x80 land outside both ranges, so non-ASCII text ends the run.
    pub(super) fn ascii_word_len(haystack: &[u8]) -> usize {
        use std::arch::x86_64::*;
        let mut at = 0;
        while at + 16 <= haystack.len() {
            // SAFETY: the 16 bytes from `at` are inside `haystack`; SSE2 is part of x86-64.
            let word = unsafe {
                let v = _mm_loadu_si128(haystack.as_ptr().add(at) as *const __m128i);
                let lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
                let letter = _mm_cmplt_epi8(
                    _mm_add_epi8(lower, _mm_set1_epi8((128 - 97) as i8)),
                    _mm_set1_epi8((-128 + 26) as i8),
                );
                let digit = _mm_cmplt_epi8(
                    _mm_add_epi8(v, _mm_set1_epi8((128 - 48) as i8)),
                    _mm_set1_epi8((-128 + 10) as i8),
                );
                let underscore = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'_' as i8));
                _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(letter, digit), underscore)) as u32
            };
            if word != 0xFFFF {
                return at + (!word).trailing_zeros() as usize;
            }
            at += 16;
        }
        at + haystack[at..]
            .iter()
            .position(|&b| !super::is_ascii_word(b))
            .unwrap_or(haystack.len() - at)
    }

    pub(super) fn find_byte(needle: u8, haystack: &[u8]) -> Option<usize> {
        One::new(needle).expect(SSE2).find(haystack)
    }

    pub(super) fn find_either(a: u8, b: u8, haystack: &[u8]) -> Option<usize> {
        Two::new(a, b).expect(SSE2).find(haystack)
    }

    pub(super) fn count_byte(needle: u8, haystack: &[u8]) -> usize {
        One::new(needle).expect(SSE2).count(haystack)
    }

    /// memchr's SSE2 "packed pair" searcher; it needs a haystack of some minimum length,
    /// below which the needle is compared at each position.
    #[derive(Clone, Copy, Debug)]
    pub(super) struct Finder(Option<packedpair::Finder>);

    impl Finder {
        pub(super) fn new(needle: &[u8]) -> Finder {
            Finder(packedpair::Finder::new(needle))
        }

        pub(super) fn find(&self, haystack: &[u8], needle: &[u8]) -> Option<usize> {
            match self.0 {
                Some(finder) if haystack.len() >= finder.min_haystack_len() => {
                    finder.find(haystack, needle)
                }
                _ => haystack.windows(needle.len()).position(|w| w == needle),
            }
        }
    }
}

#[cfg(not(target_arch = "x86_64"))]
mod imp {
    pub(super) fn ascii_word_len(haystack: &[u8]) -> usize {
        haystack
            .iter()
            .position(|&b| !super::is_ascii_word(b))
            .unwrap_or(haystack.len())
    }

    pub(super) fn find_byte(needle: u8, haystack: &[u8]) -> Option<usize> {
        memchr::memchr(needle, haystack)
    }

    pub(super) fn find_either(a: u8, b: u8, haystack: &[u8]) -> Option<usize> {
        memchr::memchr2(a, b, haystack)
    }

    pub(super) fn count_byte(needle: u8, haystack: &[u8]) -> usize {
        memchr::memchr_iter(needle, haystack).count()
    }

    #[derive(Clone, Copy, Debug)]
    pub(super) struct Finder;

    impl Finder {
        pub(super) fn new(_: &[u8]) -> Finder {
            Finder
        }

        pub(super) fn find(&self, haystack: &[u8], needle: &[u8]) -> Option<usize> {
            memchr::memmem::find(haystack, needle)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_prefix_is_starts_with() {
        for text in [
            "", "-", "--", "---", "----", "--x", "-x-", "...", "é--", "- a",
        ] {
            assert_eq!(
                has_prefix(text, b"---"),
                text.starts_with("---"),
                "{text:?}"
            );
            assert_eq!(has_prefix(text, b"- "), text.starts_with("- "), "{text:?}");
        }
    }

    /// Every byte value, as the first non-word byte at every offset around the vector
    /// width, and runs that end the input, against the byte-by-byte definition.
    #[test]
    fn ascii_word_len_stops_at_the_first_other_byte() {
        let word: Vec<u8> = b"abyzABYZ0189_xQ"
            .iter()
            .copied()
            .cycle()
            .take(70)
            .collect();
        for len in 0..word.len() {
            assert_eq!(ascii_word_len(&word[..len]), len);
            for stop in 0..=255u8 {
                let mut text = word[..len].to_vec();
                text.push(stop);
                text.extend_from_slice(b"more_words");
                let expected = if is_ascii_word(stop) {
                    len + 1 + 10
                } else {
                    len
                };
                assert_eq!(ascii_word_len(&text), expected, "len {len} stop {stop:#x}");
            }
        }
    }

    /// Texts with needles at every offset around the vector widths, and none.
    fn texts() -> Vec<Vec<u8>> {
        let mut out = vec![Vec::new(), b"a".to_vec(), b"{{".to_vec(), b"\n---".to_vec()];
        for len in [1usize, 2, 3, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 257] {
            for at in [0, 1, len / 2, len.saturating_sub(2), len.saturating_sub(1)] {
                for insert in [&b"{{"[..], b"\n---", b"{", b"\n", b"-", b"\t"] {
                    let mut text = vec![b'x'; len];
                    let at = at.min(len);
                    text.splice(at..at, insert.iter().copied());
                    text.extend_from_slice(b"y{z\n-\r");
                    out.push(text);
                }
            }
        }
        out
    }

    #[test]
    fn searches_agree_with_plain_iteration() {
        for text in texts() {
            for needle in [b'{', b'\n', b'-', b'x', b'\t', b'q'] {
                let plain: Vec<usize> = (0..text.len()).filter(|&i| text[i] == needle).collect();
                assert_eq!(find_byte(needle, &text), plain.first().copied());
                assert_eq!(count_byte(needle, &text), plain.len());
                assert_eq!(byte_positions(needle, &text).collect::<Vec<_>>(), plain);
            }
            let either = text.iter().position(|&c| c == b'\t' || c == b'\r');
            assert_eq!(find_either(b'\t', b'\r', &text), either);
            for needle in [&b"{{"[..], b"\n---", b"}}"] {
                let finder = Finder::new(needle);
                let mut plain = Vec::new();
                let mut i = 0;
                while i + needle.len() <= text.len() {
                    if &text[i..i + needle.len()] == needle {
                        plain.push(i);
                        i += needle.len();
                    } else {
                        i += 1;
                    }
                }
                assert_eq!(finder.find(&text), plain.first().copied(), "{text:?}");
                assert_eq!(finder.find_iter(&text).collect::<Vec<_>>(), plain);
            }
        }
    }
}
