//! The Go `text/template` engine as Helm configures it, with Sprig's and Helm's functions.
//!
//! Stages, one file each: `lexer` → `parser` (AST with byte spans) → `exec` over
//! [`crate::chart::values::Value`]. Functions live in `funcs/`, one file per family, with a
//! single name → function table in `funcs/registry.rs`. Parse once, render many times.

pub mod ast;
pub mod engine;
pub mod exec;
pub mod format;
pub mod funcs;
pub mod lexer;
pub mod objects;
pub mod parser;

pub use engine::{RenderError, RenderErrorKind, RenderOptions, render_chart};
