//! The single table from function name to function, built from one slice per family.
//!
//! Lookup order mirrors Helm's: Helm's own functions override Sprig's, and Go's builtins
//! come last (so Sprig's `slice` hides Go's). Each family module exports
//! `pub const FUNCS: &[(&str, Func)]`; add a family by adding it to `FAMILIES`.

use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

use super::{Func, builtins};

/// Families in override order: later entries replace earlier ones with the same name.
const FAMILIES: &[&[(&str, Func)]] = &[
    builtins::FUNCS,
    super::strings::FUNCS,
    super::conversion::FUNCS,
    super::math::FUNCS,
    super::defaults::FUNCS,
    super::lists::FUNCS,
    super::dicts::FUNCS,
    super::reflection::FUNCS,
    super::semver::FUNCS,
    super::regex::FUNCS,
    super::encoding::FUNCS,
    super::paths::FUNCS,
    super::urls::FUNCS,
    super::dates::FUNCS,
    super::crypto::FUNCS,
    // Helm's functions (pkg/engine/funcs.go), overriding Sprig's of the same name.
    super::serialize::FUNCS,
];

/// The function called `name`, if Helm's function map has it.
pub fn lookup(name: &str) -> Option<Func> {
    static TABLE: OnceLock<HashMap<&'static str, Func>> = OnceLock::new();
    TABLE
        .get_or_init(|| FAMILIES.iter().flat_map(|f| f.iter().copied()).collect())
        .get(name)
        .copied()
}

/// Every registered (name, function) pair, for tests that sweep the whole table.
#[cfg(test)]
pub fn all() -> impl Iterator<Item = (&'static str, Func)> {
    FAMILIES.iter().flat_map(|f| f.iter().copied())
}
