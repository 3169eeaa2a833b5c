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
mod registry;
#[cfg(test)]
mod robustness;
mod semver;
mod strings;
#[cfg(test)]
mod testing;
mod urls;
mod wordcase;

pub use dicts::MUTATING;
mod serialize;

pub use registry::lookup;
