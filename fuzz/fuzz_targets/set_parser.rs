//! `--set*` arguments: any text, any kind, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rstack::chart::values::{Map, SetKind, apply_set};

fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let kind = SetKind::APPLY_ORDER[kind as usize % SetKind::APPLY_ORDER.len()];
    let mut map = Map::new();
    let _ = apply_set(&mut map, kind, text, &|p| Ok(p.to_string()));
});
