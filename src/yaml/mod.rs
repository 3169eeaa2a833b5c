//! YAML with positions: one parser (saphyr-parser's event stream) turned into a small tree
//! whose every node knows its line and column.
//!
//! Why our own tree instead of a serde YAML crate: Helm reads YAML 1.1 through go-yaml
//! (`yes`/`on` are booleans, `017` is octal, timestamps stay strings), and rstack must say
//! *where* a value came from (`rstack values --origin`, errors with file:line:col). saphyr's
//! events carry spans and leave scalar typing to us, so both needs are met by one parser.
//! `resolve` holds go-yaml v2's plain-scalar rules; `de` is a serde deserializer over the
//! tree that attaches positions to every error.

mod block;
mod de;
mod go_error;
mod lenient;
mod resolve;
mod tabs;
mod tree;

#[cfg(test)]
pub use block::samples;
pub use block::{Key, ShallowNodes, Sink, starts_like_marker};
pub use de::{DeError, RAW_SCALAR, from_node};
pub use go_error::go_yaml_message;
pub use resolve::{Resolved, go_underscore_ok, resolve_plain};
pub use tree::{
    Node, NodeKind, Pos, Scalar, ScalarStyle, YamlError, parse_documents, read_documents,
};
