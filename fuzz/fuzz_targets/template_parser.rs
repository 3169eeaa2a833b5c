//! Template lexer + parser (and a render of what parses, with empty data): any text
//! must give a template or an error, never a panic or a stack overflow.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rstack::chart::template::exec::{Renderer, TemplateSet};
use rstack::chart::values::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut set = TemplateSet::new();
    if set.parse_file("fuzz/templates/t.yaml", text).is_ok() {
        let renderer = Renderer::new(&set);
        let _ = renderer.execute("fuzz/templates/t.yaml", &Value::empty_map());
    }
});
