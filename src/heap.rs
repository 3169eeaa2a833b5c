//! The process's memory allocator: blocks carved in address order from one region that
//! uses 2 MiB huge pages, with a free list per size class.
//!
//! Why our own: on Linux a fresh page costs a fault and the kernel zeroing it, and for a
//! short run that is most of what memory costs. A 2 MiB huge page is about five times
//! cheaper per byte than 512 small pages, but only if what the run touches is packed
//! together: the kernel zeroes the whole 2 MiB on the first touch. General-purpose
//! allocators spread a run over their size-class pages (mimalloc gives each size class
//! its own 64 KiB or 512 KiB page; a render touched twice the huge pages it needed), or
//! use small pages (jemalloc's default; a fault per 4 KiB). Here every block is carved
//! from the end of what was carved before, so a render's memory is as dense as its peak
//! of live blocks allows, and freed blocks are reused by size class. docs/performance.md
//! has the measurements (the corpus renders ~11 % faster than with mimalloc).
//!
//! Memory is never returned to the OS: a run is short, and `rstack template` on a stack
//! reuses what one release freed for the next.
//!
//! Layout of the work:
//! - size classes: 16-byte steps up to 1 KiB, then four steps per power of two;
//! - each thread carves small blocks from a 256 KiB chunk of its own and keeps its own
//!   free lists, so the common path takes no lock; a block freed on another thread joins
//!   that thread's lists;
//! - blocks of 64 KiB and more are carved straight from the shared region (under a lock)
//!   and may grow in place while they are the last thing carved; before carving one, a
//!   free block of up to twice its size is taken whole;
//! - a thread that ends hands its free lists and the rest of its chunk to the threads
//!   that go on ([`Orphans`]).

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::ptr;
use std::sync::{Mutex, MutexGuard};

/// Alignment every block has; larger alignments are handled by over-allocating.
const MIN_ALIGN: usize = 16;
/// Classes of 16, 32, … 1024 bytes.
const SMALL_CLASSES: usize = 64;
/// Then four classes per power of two up to the address space.
const CLASSES: usize = SMALL_CLASSES + 4 * (usize::BITS as usize - 10);
/// What a thread takes from the shared region at a time for its small blocks.
const CHUNK: usize = 256 << 10;
/// Blocks at least this big are carved from the shared region directly.
const DIRECT_MIN: usize = CHUNK / 4;
/// Direct blocks start on a page boundary.
const DIRECT_ALIGN: usize = 4096;
const HUGE_PAGE: usize = 2 << 20;
/// Address space reserved at a time (not memory: pages exist only once touched).
const REGION_RESERVE: usize = 64 << 30;

/// The size class of a block of `size` bytes.
#[inline]
fn class_of(size: usize) -> usize {
    if size <= 1024 {
        return size.max(1).div_ceil(16) - 1;
    }
    let last = size - 1;
    let log2 = (usize::BITS - 1 - last.leading_zeros()) as usize;
    let quarter = (last >> (log2 - 2)) + 1; // 5..=8
    SMALL_CLASSES + (log2 - 10) * 4 + (quarter - 5)
}

/// The size of every block of `class`.
#[inline]
fn class_size(class: usize) -> usize {
    if class < SMALL_CLASSES {
        return (class + 1) * 16;
    }
    let step = class - SMALL_CLASSES;
    let log2 = step / 4 + 10;
    (step % 4 + 5) << (log2 - 2)
}

/// The class a layout is served from: big alignments ask for room to align within.
#[inline]
fn class_for(layout: Layout) -> usize {
    if layout.align() <= MIN_ALIGN {
        class_of(layout.size())
    } else {
        class_of(layout.size() + layout.align())
    }
}

/// What one thread allocates from without locking.
struct Cache {
    /// Head of each class's free list; a free block's first word points at the next.
    free: [Cell<*mut u8>; CLASSES],
    /// The unused part of the thread's chunk.
    bump: Cell<*mut u8>,
    end: Cell<*mut u8>,
    /// The thread's exit hook is registered (or must not be: see [`register_exit`]).
    registered: Cell<bool>,
    /// The thread has handed its memory over and is ending: take only what is asked.
    ending: Cell<bool>,
}

thread_local! {
    /// This thread's cache. A `const` thread-local without `Drop` is never torn down, so
    /// it serves a thread's last moments too (other thread-locals' destructors).
    static CACHE: Cache = const {
        Cache {
            free: [const { Cell::new(ptr::null_mut()) }; CLASSES],
            bump: Cell::new(ptr::null_mut()),
            end: Cell::new(ptr::null_mut()),
            registered: Cell::new(false),
            ending: Cell::new(false),
        }
    };
    static EXIT: ExitHook = const { ExitHook };
}

/// The shared region and what ended threads left behind.
struct Shared {
    /// Next unused address of the region, and its end.
    next: usize,
    end: usize,
    orphans: Orphans,
    /// Whether some thread already took a chunk: the first is the main thread, whose
    /// memory goes back to the OS with the process.
    main_seen: bool,
}

/// Free lists and chunk remainders of threads that ended, for the others to adopt.
struct Orphans {
    free: [*mut u8; CLASSES],
    /// Unused chunk ends, `(start, end)`; a full table drops the newcomer.
    spans: [(usize, usize); 8],
}

// SAFETY: the pointers are to free blocks nobody else holds; the mutex serialises access.
unsafe impl Send for Shared {}

static SHARED: Mutex<Shared> = Mutex::new(Shared {
    next: 0,
    end: 0,
    orphans: Orphans {
        free: [ptr::null_mut(); CLASSES],
        spans: [(0, 0); 8],
    },
    main_seen: false,
});

fn shared() -> MutexGuard<'static, Shared> {
    // A panic never happens while the lock is held; take the data either way.
    SHARED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    /// `size` fresh (zeroed) bytes at an `align`-aligned address, or null when the OS has
    /// no address space left.
    fn carve(&mut self, size: usize, align: usize) -> *mut u8 {
        let mut start = self.next.next_multiple_of(align);
        if self.next == 0 || start + size > self.end {
            if !self.reserve(size + align) {
                return ptr::null_mut();
            }
            start = self.next.next_multiple_of(align);
        }
        self.next = start + size;
        start as *mut u8
    }

    /// Starts a new region of at least `need` bytes (the old one's rest is abandoned).
    fn reserve(&mut self, need: usize) -> bool {
        let need = need + HUGE_PAGE;
        let mut want = REGION_RESERVE.max(need);
        let base = loop {
            // SAFETY: a new private anonymous mapping; nothing else refers to it.
            let p = unsafe {
                libc::mmap(
                    ptr::null_mut(),
                    want,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                    -1,
                    0,
                )
            };
            if p != libc::MAP_FAILED {
                break p as usize;
            }
            // A limit on address space (ulimit -v): ask for less.
            if want == need {
                return false;
            }
            want = (want / 2).max(need);
        };
        let aligned = base.next_multiple_of(HUGE_PAGE);
        // SAFETY: advice on our own mapping; failure (no THP in this kernel) is harmless.
        unsafe {
            libc::madvise(
                aligned as *mut _,
                base + want - aligned,
                libc::MADV_HUGEPAGE,
            )
        };
        self.next = aligned;
        self.end = base + want;
        true
    }

    /// Grows the direct block `[p, p + old)` to `new` bytes if it is the last carved.
    fn grow_in_place(&mut self, p: *mut u8, old: usize, new: usize) -> bool {
        let start = p as usize;
        if start + old == self.next && start + new <= self.end {
            self.next = start + new;
            return true;
        }
        false
    }
}

/// Dropped when a thread other than the main one ends: hands its memory over.
struct ExitHook;

impl Drop for ExitHook {
    fn drop(&mut self) {
        let _ = CACHE.try_with(|cache| {
            let mut shared = shared();
            for (class, head) in cache.free.iter().enumerate() {
                let list = head.replace(ptr::null_mut());
                if list.is_null() {
                    continue;
                }
                // Link the orphans' list after this one's last block.
                let mut tail = list;
                // SAFETY: free blocks hold the next free block of their class.
                unsafe {
                    while !(*(tail as *mut *mut u8)).is_null() {
                        tail = *(tail as *mut *mut u8);
                    }
                    *(tail as *mut *mut u8) = shared.orphans.free[class];
                }
                shared.orphans.free[class] = list;
            }
            let (bump, end) = (cache.bump.get() as usize, cache.end.get() as usize);
            if end - bump >= DIRECT_MIN
                && let Some(slot) = shared.orphans.spans.iter_mut().find(|s| s.0 == s.1)
            {
                *slot = (bump, end);
            }
            cache.bump.set(ptr::null_mut());
            cache.end.set(ptr::null_mut());
            cache.ending.set(true);
        });
    }
}

/// Makes sure a thread's memory is handed over when it ends. Not for the main thread:
/// its memory ends with the process, and walking its free lists at exit is wasted time.
fn register_exit(cache: &Cache, shared: &mut Shared) -> bool {
    if cache.registered.replace(true) {
        return false;
    }
    std::mem::replace(&mut shared.main_seen, true)
}

impl Cache {
    /// A block of `class`, and whether it is fresh (so already zero).
    #[inline]
    fn take(&self, class: usize) -> (*mut u8, bool) {
        if let Some(block) = self.pop(class) {
            return (block, false);
        }
        let size = class_size(class);
        let bump = self.bump.get();
        if size < DIRECT_MIN && (self.end.get() as usize) - (bump as usize) >= size {
            // SAFETY: within the thread's chunk.
            self.bump.set(unsafe { bump.add(size) });
            return (bump, true);
        }
        self.refill(class, size)
    }

    /// The head of `class`'s free list, taken off it.
    #[inline]
    fn pop(&self, class: usize) -> Option<*mut u8> {
        let head = self.free[class].get();
        if head.is_null() {
            return None;
        }
        // SAFETY: a free block holds the next free block of its class.
        self.free[class].set(unsafe { *(head as *mut *mut u8) });
        Some(head)
    }

    /// The slow path of [`Cache::take`]: adopted free blocks, a direct block, or a new
    /// chunk.
    #[cold]
    fn refill(&self, class: usize, size: usize) -> (*mut u8, bool) {
        let mut shared = shared();
        let hook = register_exit(self, &mut shared);
        let taken = self.take_shared(&mut shared, class, size);
        drop(shared);
        // Registering the hook may allocate: only with the lock released.
        if hook {
            EXIT.with(|_| {});
        }
        taken
    }

    fn take_shared(&self, shared: &mut Shared, class: usize, size: usize) -> (*mut u8, bool) {
        self.adopt(shared);
        if let Some(block) = self.pop(class) {
            return (block, false);
        }
        if size >= DIRECT_MIN {
            // A free block up to twice the size is used whole rather than new memory
            // carved: the kernel zeroes every fresh page, and big blocks (a file's text,
            // a template's output) come and go in sizes that rarely repeat exactly.
            for larger in class + 1..(class + 5).min(CLASSES) {
                if let Some(block) = self.pop(larger) {
                    return (block, false);
                }
            }
            return (shared.carve(size, DIRECT_ALIGN), true);
        }
        if self.ending.get() {
            return (shared.carve(size, MIN_ALIGN), true);
        }
        let reused = shared.orphans.spans.iter_mut().find(|s| s.1 - s.0 >= size);
        let (start, end) = match reused {
            Some(span) => std::mem::take(span),
            None => match shared.carve(CHUNK, MIN_ALIGN) as usize {
                0 => return (ptr::null_mut(), true),
                chunk => (chunk, chunk + CHUNK),
            },
        };
        self.bump.set((start + size) as *mut u8);
        self.end.set(end as *mut u8);
        (start as *mut u8, true)
    }

    /// Takes over the orphaned free lists of the classes this thread has none of.
    fn adopt(&self, shared: &mut Shared) {
        for (mine, orphan) in self.free.iter().zip(shared.orphans.free.iter_mut()) {
            if mine.get().is_null() && !orphan.is_null() {
                mine.set(std::mem::replace(orphan, ptr::null_mut()));
            }
        }
    }

    #[inline]
    fn give(&self, block: *mut u8, class: usize) {
        // SAFETY: every block holds at least a pointer, and this one is free again.
        unsafe { *(block as *mut *mut u8) = self.free[class].get() };
        self.free[class].set(block);
    }

    /// Grows a block in place when it is the last carved from this thread's chunk.
    #[inline]
    fn grow_in_place(&self, block: *mut u8, old: usize, new: usize) -> bool {
        let start = block as usize;
        if start + old == self.bump.get() as usize && start + new <= self.end.get() as usize {
            self.bump.set((start + new) as *mut u8);
            return true;
        }
        false
    }
}

/// The allocator; `src/main.rs` installs it as the global one.
pub struct Heap;

/// The address `align` bytes apart inside a block taken for an over-aligned layout; the
/// block's start is kept in the word just before it.
///
/// # Safety
/// `block` must have room for `align` more bytes than the layout's size.
#[inline]
unsafe fn align_within(block: *mut u8, align: usize) -> *mut u8 {
    let aligned = (block as usize + 8).next_multiple_of(align) as *mut u8;
    // SAFETY: `aligned - 8` is inside the block (block is 16-aligned, align ≥ 32).
    unsafe { *(aligned.sub(8) as *mut *mut u8) = block };
    aligned
}

/// A block for `layout`, aligned as it asks, and whether it is fresh (so already zero).
#[inline]
fn take_for(layout: Layout) -> (*mut u8, bool) {
    let (block, fresh) = CACHE.with(|cache| cache.take(class_for(layout)));
    if layout.align() <= MIN_ALIGN || block.is_null() {
        return (block, fresh);
    }
    // SAFETY: the class was chosen with room for the alignment.
    (unsafe { align_within(block, layout.align()) }, fresh)
}

unsafe impl GlobalAlloc for Heap {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        take_for(layout).0
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let (p, fresh) = take_for(layout);
        if !fresh && !p.is_null() {
            // SAFETY: the block holds the layout.
            unsafe { ptr::write_bytes(p, 0, layout.size()) };
        }
        p
    }

    #[inline]
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        let block = if layout.align() <= MIN_ALIGN {
            p
        } else {
            // SAFETY: `align_within` stored the block's start there.
            unsafe { *(p.sub(8) as *mut *mut u8) }
        };
        CACHE.with(|cache| cache.give(block, class_for(layout)));
    }

    #[inline]
    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= MIN_ALIGN {
            let (old, new) = (class_of(layout.size()), class_of(new_size));
            if old == new {
                return p;
            }
            if new > old {
                let (old_size, new_size) = (class_size(old), class_size(new));
                let grown = if old_size >= DIRECT_MIN {
                    shared().grow_in_place(p, old_size, new_size)
                } else {
                    CACHE.with(|cache| cache.grow_in_place(p, old_size, new_size))
                };
                if grown {
                    return p;
                }
            }
        }
        // SAFETY: the caller guarantees `new_size` rounded to `align` does not overflow.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // SAFETY: a valid non-zero layout.
        let q = unsafe { self.alloc(new_layout) };
        if !q.is_null() {
            // SAFETY: both blocks hold at least the smaller size; `p` is ours to free.
            unsafe {
                ptr::copy_nonoverlapping(p, q, layout.size().min(new_size));
                self.dealloc(p, layout);
            }
        }
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_fit_their_sizes_and_grow_by_at_most_a_quarter() {
        let mut last = 0;
        for size in (1..70_000).chain([1 << 20, (1 << 20) + 1, 3 << 30, usize::MAX >> 2]) {
            let class = class_of(size);
            assert!(class < CLASSES, "{size}");
            let block = class_size(class);
            assert!(block >= size, "{size} → {block}");
            assert!(block.is_multiple_of(MIN_ALIGN), "{size} → {block}");
            assert!(
                size <= 1024 || block - size < block / 4 + 1,
                "{size} → {block}"
            );
            // The class is the smallest that fits.
            assert!(class == 0 || class_size(class - 1) < size, "{size}");
            assert!(class >= last);
            last = class;
        }
    }

    fn fill(p: *mut u8, len: usize, byte: u8) {
        unsafe { ptr::write_bytes(p, byte, len) };
    }

    fn holds(p: *const u8, len: usize, byte: u8) -> bool {
        unsafe { std::slice::from_raw_parts(p, len) }
            .iter()
            .all(|&b| b == byte)
    }

    #[test]
    fn a_freed_big_block_serves_a_smaller_big_request() {
        let heap = Heap;
        let big = Layout::from_size_align(200_000, 8).unwrap();
        let p = unsafe { heap.alloc(big) };
        fill(p, big.size(), 7);
        unsafe { heap.dealloc(p, big) };
        // Three classes smaller: reused whole instead of carving new memory...
        let smaller = Layout::from_size_align(150_000, 8).unwrap();
        let q = unsafe { heap.alloc_zeroed(smaller) };
        assert_eq!(q, p, "the free 200 000-byte block is reused");
        // ...and zeroed, since it is not fresh.
        assert!(holds(q, smaller.size(), 0));
        unsafe { heap.dealloc(q, smaller) };
        // A request of less than half its class's size does not take it.
        let small = Layout::from_size_align(65_536, 8).unwrap();
        let r = unsafe { heap.alloc(small) };
        assert_ne!(r, p);
        unsafe { heap.dealloc(r, small) };
    }

    #[test]
    fn blocks_are_aligned_disjoint_and_reused() {
        let heap = Heap;
        let mut live = Vec::new();
        for (i, (size, align)) in [(1, 1), (24, 8), (1000, 16), (5000, 64), (70_000, 4096)]
            .into_iter()
            .cycle()
            .take(200)
            .enumerate()
        {
            let layout = Layout::from_size_align(size, align).unwrap();
            let p = unsafe { heap.alloc(layout) };
            assert!(!p.is_null());
            assert_eq!(p as usize % align, 0);
            fill(p, size, i as u8);
            live.push((p, layout, i as u8));
        }
        for &(p, layout, byte) in &live {
            assert!(holds(p, layout.size(), byte), "a block was overwritten");
        }
        let (p, layout, _) = live[3];
        unsafe { heap.dealloc(p, layout) };
        let again = unsafe { heap.alloc(layout) };
        assert_eq!(again, p, "a freed block is reused for its class first");
        for &(p, layout, _) in &live {
            unsafe { heap.dealloc(p, layout) };
        }
    }

    #[test]
    fn zeroed_blocks_are_zero_even_when_reused() {
        let heap = Heap;
        for size in [40, 3000, 100_000] {
            let layout = Layout::from_size_align(size, 16).unwrap();
            let p = unsafe { heap.alloc(layout) };
            fill(p, size, 0xAB);
            unsafe { heap.dealloc(p, layout) };
            let z = unsafe { heap.alloc_zeroed(layout) };
            assert_eq!(z, p);
            assert!(holds(z, size, 0));
            unsafe { heap.dealloc(z, layout) };
        }
        let over = Layout::from_size_align(100, 256).unwrap();
        let p = unsafe { heap.alloc(over) };
        fill(p, 100, 7);
        unsafe { heap.dealloc(p, over) };
        let z = unsafe { heap.alloc_zeroed(over) };
        assert_eq!(z as usize % 256, 0);
        assert!(holds(z, 100, 0));
        unsafe { heap.dealloc(z, over) };
    }

    #[test]
    fn realloc_keeps_contents_growing_in_place_or_moving() {
        let heap = Heap;
        let mut layout = Layout::from_size_align(10, 1).unwrap();
        let mut p = unsafe { heap.alloc(layout) };
        fill(p, 10, 1);
        let mut len = 10;
        // Doubling like a Vec, through small, chunk-sized and direct blocks.
        while len < 4 << 20 {
            let new = len * 2;
            p = unsafe { heap.realloc(p, layout, new) };
            assert!(holds(p, len, 1), "contents kept up to {len}");
            fill(p, new, 1);
            layout = Layout::from_size_align(new, 1).unwrap();
            len = new;
        }
        // Shrinking keeps the prefix.
        p = unsafe { heap.realloc(p, layout, 100) };
        assert!(holds(p, 100, 1));
        unsafe { heap.dealloc(p, Layout::from_size_align(100, 1).unwrap()) };

        // An over-aligned block moves on realloc and stays aligned.
        let over = Layout::from_size_align(64, 128).unwrap();
        let q = unsafe { heap.alloc(over) };
        fill(q, 64, 9);
        let r = unsafe { heap.realloc(q, over, 5000) };
        assert_eq!(r as usize % 128, 0);
        assert!(holds(r, 64, 9));
        unsafe { heap.dealloc(r, Layout::from_size_align(5000, 128).unwrap()) };
    }
}
