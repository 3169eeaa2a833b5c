//! Charts: the value type and Helm's coalescing (`values`), the Go template engine
//! (`template`), and (later) loading and rendering.
//!
//! This is the lowest stage: it imports none of `workspace`, `graph`, `repo`, `release`.

pub mod model;
pub mod semver;
pub mod template;
pub mod values;
