//! The allocator (`rstack::heap`) as the global allocator of this test binary, with the
//! behaviour that depends on which thread frees what. No test harness: the tests run one
//! after another on the main thread, so no other thread's memory moves between a test's
//! steps (the library's unit tests cover the single-thread rules).

#![cfg(all(target_os = "linux", target_pointer_width = "64"))]

use std::alloc::{GlobalAlloc, Layout};
use std::process::ExitCode;

use rstack::heap::Heap;

#[global_allocator]
static GLOBAL: Heap = Heap;

fn fill(p: *mut u8, len: usize, byte: u8) {
    // SAFETY: callers pass blocks of at least `len` bytes.
    unsafe { std::ptr::write_bytes(p, byte, len) };
}

fn holds(p: *const u8, len: usize, byte: u8) -> bool {
    // SAFETY: callers pass blocks of at least `len` initialised bytes.
    unsafe { std::slice::from_raw_parts(p, len) }
        .iter()
        .all(|&b| b == byte)
}

/// A thread's newest block grows without moving. Runs first: no thread has ended yet,
/// so the new thread has no adopted free blocks and its block comes from its chunk.
fn newest_block_grows_in_place() {
    std::thread::spawn(|| {
        let layout = Layout::from_size_align(2000, 8).unwrap();
        let p = unsafe { GLOBAL.alloc(layout) };
        fill(p, 2000, 5);
        let q = unsafe { GLOBAL.realloc(p, layout, 8000) };
        assert_eq!(p, q, "the last carved block grows in place");
        assert!(holds(q, 2000, 5));
        unsafe { GLOBAL.dealloc(q, Layout::from_size_align(8000, 8).unwrap()) };
    })
    .join()
    .unwrap();
}

/// What a thread freed is not lost when it ends: the next thread adopts it.
fn ended_threads_hand_over_their_free_blocks() {
    let layout = Layout::from_size_align(4321, 8).unwrap();
    let freed = std::thread::spawn(move || {
        let p = unsafe { GLOBAL.alloc(layout) };
        fill(p, 4321, 3);
        unsafe { GLOBAL.dealloc(p, layout) };
        p as usize
    })
    .join()
    .unwrap();
    let adopted = std::thread::spawn(move || {
        let p = unsafe { GLOBAL.alloc(layout) };
        unsafe { GLOBAL.dealloc(p, layout) };
        p as usize
    })
    .join()
    .unwrap();
    assert_eq!(adopted, freed, "an ended thread's free block is adopted");
}

/// A block allocated on one thread and freed on another serves the second.
fn blocks_freed_elsewhere_serve_the_freeing_thread() {
    let layout = Layout::from_size_align(777, 8).unwrap();
    let p = unsafe { GLOBAL.alloc(layout) } as usize;
    std::thread::spawn(move || {
        unsafe { GLOBAL.dealloc(p as *mut u8, layout) };
        let q = unsafe { GLOBAL.alloc(layout) } as usize;
        assert_eq!(q, p);
        unsafe { GLOBAL.dealloc(q as *mut u8, layout) };
    })
    .join()
    .unwrap();
}

/// Four threads allocate, grow, shrink and free at random, each block filled with its
/// own byte; any two blocks sharing memory would change a byte another block checks.
/// Blocks cross threads: each thread frees some of the previous thread's blocks.
fn threads_never_share_a_block() {
    type Live = Vec<(usize, Layout, u8)>;
    let mut handed: Live = Vec::new();
    for round in 0..3u32 {
        let threads: Vec<_> = (0..4u32)
            .map(|t| {
                let inherited: Live = if t == 0 {
                    std::mem::take(&mut handed)
                } else {
                    Vec::new()
                };
                std::thread::spawn(move || run_random(round * 4 + t, inherited))
            })
            .collect();
        for t in threads {
            handed.extend(t.join().unwrap());
        }
    }
    for (p, layout, byte) in handed {
        assert!(holds(p as *const u8, layout.size(), byte));
        unsafe { GLOBAL.dealloc(p as *mut u8, layout) };
    }
}

/// 20,000 random steps; returns the blocks still live (a quarter of them are kept).
fn run_random(seed: u32, mut live: Vec<(usize, Layout, u8)>) -> Vec<(usize, Layout, u8)> {
    let mut state = 0x9E37_79B9_u32.wrapping_mul(seed + 1);
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state
    };
    for step in 0..20_000u32 {
        let byte = (step % 251) as u8;
        let roll = next();
        if roll % 3 == 0 && !live.is_empty() {
            let (p, layout, b) = live.swap_remove(next() as usize % live.len());
            assert!(holds(p as *const u8, layout.size(), b));
            unsafe { GLOBAL.dealloc(p as *mut u8, layout) };
        } else if roll % 7 == 1 && !live.is_empty() {
            let i = next() as usize % live.len();
            let (p, layout, b) = live[i];
            let new = next() as usize % 90_000 + 1;
            let q = unsafe { GLOBAL.realloc(p as *mut u8, layout, new) };
            assert!(
                holds(q, layout.size().min(new), b),
                "realloc keeps the prefix"
            );
            assert_eq!(q as usize % layout.align(), 0);
            fill(q, new, byte);
            let grown = Layout::from_size_align(new, layout.align()).unwrap();
            live[i] = (q as usize, grown, byte);
        } else {
            let size = match next() % 5 {
                0 => next() as usize % 100_000 + 1,
                _ => next() as usize % 700 + 1,
            };
            let layout = Layout::from_size_align(size, 1 << (next() % 9)).unwrap();
            let p = if next() % 4 == 0 {
                let p = unsafe { GLOBAL.alloc_zeroed(layout) };
                assert!(holds(p, size, 0), "zeroed means zeroed");
                p
            } else {
                unsafe { GLOBAL.alloc(layout) }
            };
            assert_eq!(p as usize % layout.align(), 0);
            fill(p, size, byte);
            live.push((p as usize, layout, byte));
        }
    }
    let keep = live.len() / 4;
    for (p, layout, b) in live.drain(keep..) {
        assert!(holds(p as *const u8, layout.size(), b));
        unsafe { GLOBAL.dealloc(p as *mut u8, layout) };
    }
    live
}

fn main() -> ExitCode {
    let tests: [(&str, fn()); 4] = [
        ("newest_block_grows_in_place", newest_block_grows_in_place),
        (
            "ended_threads_hand_over_their_free_blocks",
            ended_threads_hand_over_their_free_blocks,
        ),
        (
            "blocks_freed_elsewhere_serve_the_freeing_thread",
            blocks_freed_elsewhere_serve_the_freeing_thread,
        ),
        ("threads_never_share_a_block", threads_never_share_a_block),
    ];
    for (name, test) in tests {
        test();
        println!("test {name} ... ok");
    }
    println!("heap: {} passed", tests.len());
    ExitCode::SUCCESS
}
