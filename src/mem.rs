//! Byte copies and comparisons for the static musl binary, which exports them as
//! `memcpy`, `memmove`, `memcmp` and `bcmp` (`src/main.rs`).
//!
//! Why: musl's `memcpy` moves eight bytes at a time with `rep movsq` whatever the size,
//! and a render copies mostly short strings: on the largest charts it took 6 % of the
//! time instead of glibc's 2 %, which made the musl binary 5–19 % slower there than a
//! static glibc one (while starting ~0.3 ms sooner). These copies use overlapping
//! unaligned 16-byte moves up to 128 bytes, without a loop, and `rep movsb` above (fast
//! on CPUs with ERMS, which x86-64 CPUs of the last decade have).
//!
//! There is no loop in the short paths on purpose: the compiler turns copy loops into
//! calls to `memcpy`, which would be these functions themselves.
//!
//! musl's `memcmp` compares a byte at a time; a render compares mostly map keys (every
//! lookup in a values map), 2 % of the corpus's time. [`compare`] compares up to 16
//! bytes with two overlapping word loads, longer ranges 16 bytes at a time.

#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::{
    __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_storeu_si128,
};

/// Copies `n` bytes from `src` to `dest`; the ranges may overlap (`memmove`).
///
/// # Safety
/// `src` must be readable and `dest` writable for `n` bytes.
#[cfg(target_arch = "x86_64")]
#[inline]
pub unsafe fn copy(dest: *mut u8, src: *const u8, n: usize) {
    // SAFETY: the caller's guarantee; every load below happens before any store of the
    // same size class, so overlapping ranges are copied as if through a buffer.
    unsafe {
        if n <= 16 {
            copy_16(dest, src, n);
        } else if n <= 32 {
            let (a, b) = (load(src), load(src.add(n - 16)));
            store(dest, a);
            store(dest.add(n - 16), b);
        } else if n <= 64 {
            let (a, b) = (load(src), load(src.add(16)));
            let (c, d) = (load(src.add(n - 32)), load(src.add(n - 16)));
            store(dest, a);
            store(dest.add(16), b);
            store(dest.add(n - 32), c);
            store(dest.add(n - 16), d);
        } else if n <= 128 {
            let (a, b, c, d) = (
                load(src),
                load(src.add(16)),
                load(src.add(32)),
                load(src.add(48)),
            );
            let (e, f) = (load(src.add(n - 64)), load(src.add(n - 48)));
            let (g, h) = (load(src.add(n - 32)), load(src.add(n - 16)));
            store(dest, a);
            store(dest.add(16), b);
            store(dest.add(32), c);
            store(dest.add(48), d);
            store(dest.add(n - 64), e);
            store(dest.add(n - 48), f);
            store(dest.add(n - 32), g);
            store(dest.add(n - 16), h);
        } else if (dest as usize).wrapping_sub(src as usize) >= n {
            // `dest` is not inside `(src, src + n)`: a forward copy is safe.
            std::arch::asm!(
                "rep movsb",
                inout("rcx") n => _,
                inout("rdi") dest => _,
                inout("rsi") src => _,
                options(nostack, preserves_flags)
            );
        } else {
            // Overlap with `dest` after `src`: copy backwards.
            std::arch::asm!(
                "std",
                "rep movsb",
                "cld",
                inout("rcx") n => _,
                inout("rdi") dest.add(n - 1) => _,
                inout("rsi") src.add(n - 1) => _,
                options(nostack)
            );
        }
    }
}

/// Up to 16 bytes, with two possibly overlapping moves of the largest fitting width.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn copy_16(dest: *mut u8, src: *const u8, n: usize) {
    use std::ptr::{read_unaligned as get, write_unaligned as put};
    // SAFETY: the caller's guarantee for `n` bytes; each pair of loads precedes its stores.
    unsafe {
        if n >= 8 {
            let (a, b) = (get(src as *const u64), get(src.add(n - 8) as *const u64));
            put(dest as *mut u64, a);
            put(dest.add(n - 8) as *mut u64, b);
        } else if n >= 4 {
            let (a, b) = (get(src as *const u32), get(src.add(n - 4) as *const u32));
            put(dest as *mut u32, a);
            put(dest.add(n - 4) as *mut u32, b);
        } else if n >= 2 {
            let (a, b) = (get(src as *const u16), get(src.add(n - 2) as *const u16));
            put(dest as *mut u16, a);
            put(dest.add(n - 2) as *mut u16, b);
        } else if n == 1 {
            *dest = *src;
        }
    }
}

/// C's `memcmp`: the sign of the difference of the first differing bytes (as unsigned)
/// of `a` and `b`, or 0 if their first `n` bytes are equal.
///
/// # Safety
/// `a` and `b` must be readable for `n` bytes.
#[cfg(target_arch = "x86_64")]
#[inline]
pub unsafe fn compare(a: *const u8, b: *const u8, n: usize) -> i32 {
    use std::ptr::read_unaligned as get;
    // Big-endian words compare as the bytes they hold do, first byte first. Of two
    // overlapping loads, the second starts inside the first: where the first found no
    // difference, the second's first difference is the range's.
    fn order<T: Ord>(x: T, y: T) -> Option<i32> {
        (x != y).then_some(if x < y { -1 } else { 1 })
    }
    // SAFETY: every load below is inside the first `n` bytes of `a` and of `b`.
    unsafe {
        if n >= 16 {
            let mut i = 0;
            loop {
                let at = i.min(n - 16);
                let equal = _mm_movemask_epi8(_mm_cmpeq_epi8(load(a.add(at)), load(b.add(at))));
                if equal != 0xFFFF {
                    let j = at + (!equal as u32).trailing_zeros() as usize;
                    return i32::from(*a.add(j)) - i32::from(*b.add(j));
                }
                if at == n - 16 {
                    return 0;
                }
                i += 16;
            }
        }
        let pair = if n >= 8 {
            let word = |p: *const u8, at| u64::from_be(get(p.add(at) as *const u64));
            order(word(a, 0), word(b, 0)).or_else(|| order(word(a, n - 8), word(b, n - 8)))
        } else if n >= 4 {
            let word = |p: *const u8, at| u32::from_be(get(p.add(at) as *const u32));
            order(word(a, 0), word(b, 0)).or_else(|| order(word(a, n - 4), word(b, n - 4)))
        } else if n >= 2 {
            let word = |p: *const u8, at| u16::from_be(get(p.add(at) as *const u16));
            order(word(a, 0), word(b, 0)).or_else(|| order(word(a, n - 2), word(b, n - 2)))
        } else if n == 1 {
            order(*a, *b)
        } else {
            None
        };
        pair.unwrap_or(0)
    }
}

#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn load(p: *const u8) -> __m128i {
    // SAFETY: the caller's guarantee; the load is unaligned.
    unsafe { _mm_loadu_si128(p as *const __m128i) }
}

#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn store(p: *mut u8, v: __m128i) {
    // SAFETY: the caller's guarantee; the store is unaligned.
    unsafe { _mm_storeu_si128(p as *mut __m128i, v) }
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::{compare, copy};

    /// Every length up to 100 and a few large ones, equal or differing at every position
    /// (by bytes on both sides of 0x80), against slice order.
    #[test]
    fn compares_like_slices_at_every_size_and_difference() {
        let base: Vec<u8> = (0..5000u32).map(|i| (i * 13 + 5) as u8).collect();
        for n in (0..=100).chain([255, 1000, 4096]) {
            let a = &base[3..3 + n];
            assert_eq!(unsafe { compare(a.as_ptr(), a.to_vec().as_ptr(), n) }, 0);
            for at in 0..n {
                for byte in [0u8, 1, 0x7f, 0x80, 0xff] {
                    let mut b = a.to_vec();
                    if b[at] == byte {
                        continue;
                    }
                    b[at] = byte;
                    let ours = unsafe { compare(a.as_ptr(), b.as_ptr(), n) };
                    assert_eq!(
                        ours.signum(),
                        a.cmp(&b[..]) as i32,
                        "n {n} at {at} byte {byte}"
                    );
                    let back = unsafe { compare(b.as_ptr(), a.as_ptr(), n) };
                    assert_eq!(back.signum(), -ours.signum());
                }
            }
        }
    }

    /// Every length up to 300 and a few large ones, at every offset pair in a 16-byte
    /// window, forwards and backwards overlapping, against `ptr::copy`.
    #[test]
    fn copies_like_ptr_copy_at_every_size_and_overlap() {
        let pattern: Vec<u8> = (0..5000u32).map(|i| (i * 7 + 3) as u8).collect();
        for n in (0..=300).chain([1000, 4095, 4096]) {
            for src_off in 0..16 {
                for dest_off in [0, 1, 7, 15, 16, 33, 100, 200] {
                    // Disjoint buffers.
                    let mut dest = vec![0u8; n + 64];
                    unsafe {
                        copy(
                            dest.as_mut_ptr().add(dest_off % 64),
                            pattern.as_ptr().add(src_off),
                            n,
                        )
                    };
                    assert_eq!(
                        &dest[dest_off % 64..dest_off % 64 + n],
                        &pattern[src_off..src_off + n]
                    );
                    // Overlapping, in one buffer, both directions.
                    for (from, to) in [(src_off, src_off + dest_off), (src_off + dest_off, src_off)]
                    {
                        let mut ours = pattern[..n + 300].to_vec();
                        let mut theirs = ours.clone();
                        unsafe {
                            copy(ours.as_mut_ptr().add(to), ours.as_ptr().add(from), n);
                            std::ptr::copy(
                                theirs.as_ptr().add(from),
                                theirs.as_mut_ptr().add(to),
                                n,
                            );
                        }
                        assert_eq!(ours, theirs, "n {n} from {from} to {to}");
                    }
                }
            }
        }
    }
}
