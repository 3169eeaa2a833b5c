//! The stack file: any text must load or give diagnostics, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let dir = std::env::temp_dir().join(format!("rstack-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join("stack.yaml");
    if std::fs::write(&file, text).is_ok() {
        let _ = rstack::workspace::load_stack_report(&file, "default");
    }
});
