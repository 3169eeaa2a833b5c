//! Values files: any text must parse or fail with an error, never panic or overflow.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = rstack::chart::values::parse_values(text);
    }
});
