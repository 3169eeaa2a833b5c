//! The release dependency graph.
