//! rstack: a declarative orchestrator for many Helm releases, rendered natively.
//!
//! The modules follow the data flow (see `docs/architecture.md`):
//! `workspace` (stack file, environments, value layering) → `graph` (release DAG) →
//! `repo` (chart sources) → `chart` (loading, values, template engine, rendering) →
//! `release` (cluster side). Imports point one way: `chart` is the lowest stage and knows
//! none of the others; `heap` (the allocator), `mem` (byte copies for the musl binary),
//! `parallel`, `scan` (byte searches), `span`, `stack`, `teardown`, `timing` and `yaml`
//! are leaves shared by all.

pub mod chart;
pub mod cli;
pub mod graph;
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
pub mod heap;
#[cfg(target_arch = "x86_64")]
pub mod mem;
pub mod parallel;
pub mod release;
pub mod repo;
pub mod scan;
pub mod span;
pub mod stack;
pub mod teardown;
pub mod timing;
pub mod workspace;
pub mod yaml;
