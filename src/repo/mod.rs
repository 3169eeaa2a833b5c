//! Chart sources: HTTP index repositories, OCI registries, the cache and `stack.lock`.
//!
//! Not built yet (its own issue). It resolves and fetches; it never renders.
