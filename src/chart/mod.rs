//! Charts: the value type and Helm's coalescing (`values`), the Go template engine
//! (`template`), and (later) loading and rendering.
//!
//! This is the lowest stage: it imports none of `workspace`, `graph`, `repo`, `release`.

pub mod ignore;
pub mod load;
pub mod meta;
pub mod model;
pub mod template;
pub mod values;
pub mod output;
pub mod deps;
pub mod schema;
pub mod render;
