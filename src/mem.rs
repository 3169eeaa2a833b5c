//! Byte copies for the static musl binary, which exports them as `memcpy` and `memmove`
//! (`src/main.rs`).
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

#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::{__m128i, _mm_loadu_si128, _mm_storeu_si128};

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
    use super::copy;

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
