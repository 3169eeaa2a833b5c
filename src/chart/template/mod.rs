//! The Go `text/template` engine as Helm configures it, with Sprig's and Helm's functions.
//!
//! Stages, one file each: `lexer` → `parser` (`ast` nodes with byte positions, printing
//! back as Go source) → `exec` over [`crate::chart::values::Value`], and `engine`, Helm's
//! rendering of a whole chart tree (template names and order, the top-level objects of
//! `objects`, Helm's error wording). Go's `fmt` lives in `format`; functions live in
//! `funcs/`, one file per family, with a single name → function table in
//! `funcs/registry.rs`. Parse once ([`engine::Engine::new`]), render many times.

pub mod ast;
pub mod engine;
pub mod exec;
pub mod format;
pub mod funcs;
pub mod lexer;
pub mod objects;
pub mod parser;
pub mod preparse;
pub mod redirects;

pub use engine::{RenderError, RenderErrorKind, RenderOptions, render_chart, render_chart_with};
pub use preparse::Preparser;
