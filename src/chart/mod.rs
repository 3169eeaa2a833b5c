//! Charts: loading (`load`, `ignore`, `meta`), values and Helm's coalescing (`values`),
//! subcharts at render time (`deps`), schema validation (`schema`), the Go template
//! engine (`template`), output shaping (`output`), and `helm template` end to end
//! (`render`).
//!
//! This is the lowest stage: it imports none of `workspace`, `graph`, `repo`, `release`.

pub mod deps;
pub mod go_os;
pub mod helm_log;
pub mod ignore;
pub mod load;
pub mod meta;
pub mod model;
pub mod output;
pub mod output_dir;
pub mod render;
pub mod schema;
pub mod semver;
pub mod template;
pub mod values;
