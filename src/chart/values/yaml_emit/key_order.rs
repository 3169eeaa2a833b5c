//! go-yaml's map key order (`sorter.go`, `keyList.Less`) for string keys: letters by
//! code point, non-letters before letters, and digit runs compared as numbers, so
//! `a9 < a09 < a10`.

/// A stable merge sort that tolerates a comparator that is not a total order (go-yaml's
/// is not transitive for keys like `10`, `1a`, `9`; the standard library's sort may
/// panic on such comparators). For such key sets Helm's own order varies between runs,
/// so any result is acceptable; for ordinary keys the order is the unique sorted one.
pub(super) fn merge_sort<T>(items: &mut Vec<T>, less: &dyn Fn(&T, &T) -> bool) {
    if items.len() < 2 {
        return;
    }
    let mut right = items.split_off(items.len() / 2);
    merge_sort(items, less);
    merge_sort(&mut right, less);
    let left = std::mem::take(items);
    items.reserve(left.len() + right.len());
    let mut left = left.into_iter().peekable();
    let mut right = right.into_iter().peekable();
    while let (Some(l), Some(r)) = (left.peek(), right.peek()) {
        let take_right = less(r, l);
        let next = if take_right {
            right.next()
        } else {
            left.next()
        };
        items.extend(next);
    }
    items.extend(left);
    items.extend(right);
}

/// go-yaml's order ([`key_less_v2`] and [`key_less_v3`] agree here) for ASCII keys
/// without digits: byte by byte, a non-letter before a letter, otherwise by byte; a
/// prefix first.
pub(super) fn ascii_without_digits(a: &str, b: &str) -> std::cmp::Ordering {
    let rank = |c: u8| (c.is_ascii_alphabetic(), c);
    match a.bytes().zip(b.bytes()).find(|(x, y)| x != y) {
        Some((x, y)) => rank(x).cmp(&rank(y)),
        None => a.len().cmp(&b.len()),
    }
}

/// Go's `unicode.IsLetter` (approximated by Rust's alphabetic property minus numerals).
fn is_letter(c: char) -> bool {
    c.is_alphabetic() && !c.is_numeric()
}

/// Go's `unicode.IsDigit` (decimal digits; approximated for non-ASCII).
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
}

/// go-yaml v2's `keyList.Less` for two string keys.
pub(super) fn key_less_v2(a: &[char], b: &[char]) -> bool {
    key_less(a, b, false)
}

/// go-yaml v3's variant: after a run of equal digits, a letter sorts before a non-letter.
pub(super) fn key_less_v3(a: &[char], b: &[char]) -> bool {
    key_less(a, b, true)
}

fn key_less(a: &[char], b: &[char], v3: bool) -> bool {
    let mut digits = false;
    for i in 0..a.len().min(b.len()) {
        if a[i] == b[i] {
            digits = is_digit(a[i]);
            continue;
        }
        let (al, bl) = (is_letter(a[i]), is_letter(b[i]));
        if al && bl {
            return a[i] < b[i];
        }
        if al || bl {
            return if v3 && digits { al } else { bl };
        }
        // Neither is a letter: compare the digit runs starting here as numbers. A zero
        // after a non-zero digit run continues that number, so `an`/`bn` start at 1.
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if a[i] == '0' || b[i] == '0' {
            let mut j = i;
            while j > 0 && is_digit(a[j - 1]) {
                j -= 1;
                if a[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let run = |s: &[char], mut n: i64| {
            let mut k = i;
            while k < s.len() && is_digit(s[k]) {
                n = n.wrapping_mul(10).wrapping_add(s[k] as i64 - '0' as i64);
                k += 1;
            }
            (n, k)
        };
        let (an, ai) = run(a, an);
        let (bn, bi) = run(b, bn);
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return a[i] < b[i];
    }
    a.len() < b.len()
}
