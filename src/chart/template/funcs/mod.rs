//! Template functions: Sprig's and Go's builtins that need no render state.
//!
//! A function is a plain Rust `fn` over already-evaluated arguments. Functions that need
//! the render state (`include`, `tpl`, `required`, `fail`, `lookup`, `.Files`) are handled
//! by the executor itself. The executor attaches template name, line and column to the
//! errors returned here, so functions never need to know where they are called from.
//!
//! Layout: one file per Sprig family (`strings`, `lists`, `dicts`, `defaults`, `math`,
//! `conversion`, `reflection`, `regex`, `encoding`, `paths`, `urls`, `semver`, `dates`,
//! `crypto`), Go's builtins (`builtins`) and Helm's serialisers (`serialize`), each
//! exporting `FUNCS`; `registry` joins them. Argument checks and cast-style conversions
//! live only in `args`. Ports of Go library behaviour that several families share sit
//! beside them: `wordcase` (goutils/xstrings), `decimal` (shopspring), `gotime` (Go's
//! `time` layouts and durations). `conformance` replays expressions recorded from helm4.

use std::collections::HashMap;
use std::sync::Arc;

use crate::chart::values::Value;

/// Upper bound for strings a function builds (`repeat`, random strings): Go would try
/// and run out of memory; a render must fail cleanly instead.
pub const MAX_STRING_BYTES: usize = 256 << 20;

/// A template function over evaluated arguments.
pub type Func = fn(&[Value]) -> Result<Value, FuncError>;

/// Why a function call failed, split the way Go's `text/template` reports it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FuncError {
    /// Go rejected the arguments before calling (arity or type): printed as is, e.g.
    /// `wrong type for value; expected int; got float64`,
    /// `wrong number of args for trunc: want 2 got 1`.
    #[error("{0}")]
    Args(String),
    /// The function itself returned an error or panicked: printed by the executor as
    /// `error calling NAME: MESSAGE`.
    #[error("{0}")]
    Call(String),
}

/// A function a caller adds for its own templates. Unlike the registry's plain `fn`s it
/// may capture state (the workspace's `readFile` knows the stack's folder).
pub type ExtraFunc = Arc<dyn Fn(&[Value]) -> Result<Value, FuncError> + Send + Sync>;

/// Functions added to Helm's map for one template set, consulted before the registry.
///
/// Charts never get any: Helm removes Sprig's `env` and `expandenv`, and chart templates
/// must see exactly Helm's map. The workspace's templated files (`stack.yaml.gotmpl`,
/// `.gotmpl` values) add helmfile's extras here.
#[derive(Clone, Default)]
pub struct ExtraFuncs(HashMap<String, ExtraFunc>);

impl ExtraFuncs {
    pub fn new() -> ExtraFuncs {
        ExtraFuncs::default()
    }

    /// Adds (or replaces) the function `name`.
    pub fn insert(
        &mut self,
        name: &str,
        f: impl Fn(&[Value]) -> Result<Value, FuncError> + Send + Sync + 'static,
    ) {
        self.0.insert(name.to_string(), Arc::new(f));
    }

    pub fn get(&self, name: &str) -> Option<&ExtraFunc> {
        self.0.get(name)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }
}

impl std::fmt::Debug for ExtraFuncs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut names: Vec<&str> = self.0.keys().map(String::as_str).collect();
        names.sort_unstable();
        f.debug_tuple("ExtraFuncs").field(&names).finish()
    }
}

/// Defines `fn wrapper(a)` as `implementation(NAME, a)`, one per name a function is
/// registered under, so that argument-count errors name the function as the template
/// called it (`mustFirst`, `osBase`, `date_in_zone`...), as Go does.
macro_rules! named {
    ($($wrapper:ident = $imp:ident($name:literal);)*) => {
        $(
            fn $wrapper(a: &[Value]) -> Result<Value, FuncError> {
                $imp($name, a)
            }
        )*
    };
}
pub(crate) use named;

pub mod args;
mod builtins;
pub use builtins::index_with;
pub use dicts::dig_with;
#[cfg(test)]
mod conformance;
mod conversion;
mod crypto;
mod dates;
mod decimal;
mod defaults;
mod dicts;
mod encoding;
mod gotime;
mod lists;
mod math;
mod paths;
mod reflection;
mod regex;
pub use regex::{go_regex_error, go_regex_is_match};
mod registry;
#[cfg(test)]
mod robustness;
mod semver;
mod strings;
#[cfg(test)]
mod testing;
mod urls;
pub use urls::enable_dns;
mod wordcase;

pub use dicts::MUTATING;
mod serialize;

pub use registry::lookup;
