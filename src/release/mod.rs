//! The cluster side: release records (Helm's storage format), diff, apply, hooks, rollback.
//!
//! Not built yet: it arrives with the cluster milestone. Input will be rendered manifests from
//! `chart`; it will be the only module that talks to the Kubernetes API server.
