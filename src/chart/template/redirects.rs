//! Go maps are references; ours are copy-on-write. When `set`, `unset` or `merge*` change
//! a map, the executor records "this map is now that map" here, and every read resolves
//! through the record for the rest of the render.
//!
//! Reads come in two depths. [`Redirects::shallow`] follows one map's own replacements
//! (enough for functions that look one level in). [`Redirects::deep`] rebuilds a value
//! with every map inside it at its current version (`toYaml`, `merge` sources, printing):
//! a walk of the whole value, so its results are remembered. A remembered resolution
//! stays valid until a map it went through is replaced; each resolution lists the
//! containers it went through ([`Redirects::depend`]), so a replacement forgets only the
//! resolutions above the replaced map. helm-toolkit's templates `set` small local dicts
//! hundreds of times between deep reads of the whole root context, which would otherwise
//! walk all of `.Values` again after every `set`.

use std::sync::Arc;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::chart::values::{Map, Value};

/// A map's address: what [`Redirects`] and the renderer know maps by.
pub(crate) fn map_ptr(m: &Arc<Map>) -> usize {
    Arc::as_ptr(m) as *const () as usize
}

/// A map's or list's address (the key of a remembered resolution).
fn container_ptr(v: &Value) -> Option<usize> {
    match v {
        Value::Map(m) => Some(map_ptr(m)),
        Value::List(l) => Some(Arc::as_ptr(l) as *const () as usize),
        _ => None,
    }
}

/// Maps replaced by a mutating function, for the rest of the render (see module doc).
#[derive(Default)]
pub struct Redirects {
    /// Old map (kept alive so its address is never reused) → its replacement.
    moved: HashMap<usize, (Arc<Map>, Value)>,
    /// Deep resolutions still valid: container address → (the container, kept alive so
    /// the address is not reused while remembered; its resolution).
    memo: HashMap<usize, (Value, Value)>,
    /// Which remembered resolutions went through an address: the first edge of each
    /// address's list, then `edges` chains them (no allocation per container walked).
    first_dependent: HashMap<usize, usize>,
    /// (dependent resolution's address, next edge of the same list or `NO_EDGE`).
    edges: Vec<(usize, usize)>,
}

const NO_EDGE: usize = usize::MAX;

impl Redirects {
    /// `old` was replaced by `new` (a `set`/`unset`/`merge*` on it).
    pub(crate) fn record(&mut self, old: &Arc<Map>, new: Value) {
        if let Value::Map(n) = &new
            && Arc::ptr_eq(old, n)
        {
            return;
        }
        let addr = map_ptr(old);
        self.moved.insert(addr, (old.clone(), new));
        self.forget(addr);
    }

    /// Whether some replaced map's address satisfies `pred`.
    pub(crate) fn replaced_any(&self, pred: impl Fn(usize) -> bool) -> bool {
        self.moved.keys().any(|&p| pred(p))
    }

    /// The current version of `v` itself (its children may still be stale).
    pub fn shallow(&self, v: &Value) -> Value {
        let mut cur = v.clone();
        if self.moved.is_empty() {
            return cur;
        }
        for _ in 0..64 {
            match self.replacement(&cur) {
                Some(next) => cur = next,
                None => break,
            }
        }
        cur
    }

    /// What the map `v` was replaced by, if it is a replaced map.
    fn replacement(&self, v: &Value) -> Option<Value> {
        let Value::Map(m) = v else { return None };
        self.moved.get(&map_ptr(m)).map(|(_, next)| next.clone())
    }

    /// The current version of `v` and everything inside it.
    pub fn deep(&mut self, v: &Value) -> Value {
        if self.moved.is_empty() {
            return v.clone();
        }
        self.resolve(v, None)
    }

    /// [`Redirects::deep`], noting every address passed on the way as one that
    /// `holder`'s resolution depends on.
    fn resolve(&mut self, v: &Value, holder: Option<usize>) -> Value {
        // The same steps as `shallow`, each one a dependency: a later replacement of any
        // map along the chain changes where it leads.
        let mut cur = v.clone();
        for _ in 0..64 {
            let Value::Map(m) = &cur else { break };
            self.depend(map_ptr(m), holder);
            match self.replacement(&cur) {
                Some(next) => cur = next,
                None => break,
            }
        }
        let key = match &cur {
            Value::List(l) => {
                let key = Arc::as_ptr(l) as *const () as usize;
                self.depend(key, holder);
                key
            }
            Value::Map(m) => map_ptr(m),
            _ => return cur,
        };
        if let Some((_, done)) = self.memo.get(&key) {
            return done.clone();
        }
        // Children are resolved in order; a new container is built only from the first
        // child that changed (most deep resolutions change nothing).
        let resolved = match &cur {
            Value::Map(m) => {
                let mut out: Option<Map> = None;
                for (i, (k, child)) in m.iter().enumerate() {
                    let r = self.resolve(child, Some(key));
                    if out.is_none() && !same(&r, child) {
                        out = Some(
                            m.iter()
                                .take(i)
                                .map(|(k, v)| (k.clone(), v.clone()))
                                .collect(),
                        );
                    }
                    if let Some(out) = &mut out {
                        out.insert(k.clone(), r);
                    }
                }
                out.map_or_else(|| cur.clone(), Value::map)
            }
            Value::List(l) => {
                let mut out: Option<Vec<Value>> = None;
                for (i, child) in l.iter().enumerate() {
                    let r = self.resolve(child, Some(key));
                    if out.is_none() && !same(&r, child) {
                        out = Some(l[..i].to_vec());
                    }
                    if let Some(out) = &mut out {
                        out.push(r);
                    }
                }
                out.map_or_else(|| cur.clone(), Value::list)
            }
            _ => cur.clone(),
        };
        // A rebuilt container can itself be replaced later (a `merge` into a resolved
        // argument records it): then this resolution is stale too.
        if let Some(built) = container_ptr(&resolved)
            && built != key
        {
            self.depend(built, Some(key));
        }
        self.memo.insert(key, (cur, resolved.clone()));
        resolved
    }

    /// Notes that the resolution remembered under `holder` went through `addr`.
    fn depend(&mut self, addr: usize, holder: Option<usize>) {
        let Some(holder) = holder else { return };
        let next = self.first_dependent.get(&addr).copied().unwrap_or(NO_EDGE);
        self.first_dependent.insert(addr, self.edges.len());
        self.edges.push((holder, next));
    }

    /// Forgets every remembered resolution that went through `addr`, and their own
    /// dependents in turn.
    fn forget(&mut self, addr: usize) {
        if self.memo.is_empty() {
            // Nothing remembered: the dependency lists describe nothing.
            self.first_dependent.clear();
            self.edges.clear();
            return;
        }
        let mut pending = vec![addr];
        while let Some(a) = pending.pop() {
            self.memo.remove(&a);
            let mut edge = self.first_dependent.remove(&a).unwrap_or(NO_EDGE);
            while edge != NO_EDGE {
                let (dependent, next) = self.edges[edge];
                pending.push(dependent);
                edge = next;
            }
        }
    }
}

/// The addresses of every map inside `roots` (maps in lists included).
pub fn reachable_maps(roots: &[Value]) -> HashSet<usize> {
    fn walk(v: &Value, seen: &mut HashSet<usize>) {
        match v {
            Value::Map(m) if seen.insert(map_ptr(m)) => m.values().for_each(|c| walk(c, seen)),
            Value::List(l) => l.iter().for_each(|c| walk(c, seen)),
            _ => {}
        }
    }
    let mut seen = HashSet::default();
    roots.iter().for_each(|r| walk(r, &mut seen));
    seen
}

/// Identity for shared containers, cheap equality otherwise (used to detect rebuilds).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Map(x), Value::Map(y)) => Arc::ptr_eq(x, y),
        (Value::List(x), Value::List(y)) => Arc::ptr_eq(x, y),
        (Value::Map(_) | Value::List(_), _) | (_, Value::Map(_) | Value::List(_)) => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map_of(entries: &[(&str, Value)]) -> Value {
        Value::map(
            entries
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    fn arc(v: &Value) -> Arc<Map> {
        match v {
            Value::Map(m) => m.clone(),
            _ => panic!("not a map"),
        }
    }

    /// `root.a.x` (through a list when `root.items[0]` holds the map instead).
    fn x_of(root: &Value) -> Option<String> {
        let m = arc(root);
        let a = m.get("a").or_else(|| match m.get("items") {
            Some(Value::List(l)) => l.first(),
            _ => None,
        })?;
        arc(a).get("x").and_then(Value::as_str).map(str::to_string)
    }

    #[test]
    fn deep_sees_a_replaced_map_inside() {
        let a = map_of(&[("x", "1".into())]);
        let root = map_of(&[("a", a.clone()), ("b", "keep".into())]);
        let mut r = Redirects::default();
        r.record(&arc(&a), map_of(&[("x", "2".into())]));
        assert_eq!(x_of(&r.deep(&root)).as_deref(), Some("2"));
        assert_eq!(
            x_of(&root).as_deref(),
            Some("1"),
            "the original is not changed"
        );
    }

    #[test]
    fn an_unrelated_replacement_keeps_the_remembered_resolution() {
        let a = map_of(&[("x", "1".into())]);
        let root = map_of(&[("a", a.clone())]);
        let other = map_of(&[("y", "1".into())]);
        let mut r = Redirects::default();
        r.record(&arc(&a), map_of(&[("x", "2".into())]));
        let first = r.deep(&root);
        r.record(&arc(&other), map_of(&[("y", "2".into())]));
        assert!(r.memo.contains_key(&map_ptr(&arc(&root))));
        assert!(Arc::ptr_eq(&arc(&r.deep(&root)), &arc(&first)));
    }

    #[test]
    fn replacing_a_map_again_reaches_every_resolution_above_it() {
        let a = map_of(&[("x", "1".into())]);
        let in_list = map_of(&[("items", Value::list(vec![a.clone()]))]);
        let root = map_of(&[("a", a.clone())]);
        let mut r = Redirects::default();
        let a2 = map_of(&[("x", "2".into())]);
        r.record(&arc(&a), a2.clone());
        assert_eq!(x_of(&r.deep(&root)).as_deref(), Some("2"));
        assert_eq!(x_of(&r.deep(&in_list)).as_deref(), Some("2"));
        // The current version changes again, and so does the stale one (a template still
        // holding the first version of the map passes it to `set`).
        r.record(&arc(&a2), map_of(&[("x", "3".into())]));
        assert_eq!(x_of(&r.deep(&root)).as_deref(), Some("3"));
        assert_eq!(x_of(&r.deep(&in_list)).as_deref(), Some("3"));
        r.record(&arc(&a), map_of(&[("x", "4".into())]));
        assert_eq!(x_of(&r.deep(&root)).as_deref(), Some("4"));
        assert_eq!(x_of(&r.deep(&in_list)).as_deref(), Some("4"));
    }

    #[test]
    fn a_replaced_resolution_is_resolved_again() {
        let a = map_of(&[("x", "1".into())]);
        let root = map_of(&[("a", a.clone())]);
        let mut r = Redirects::default();
        r.record(&arc(&a), map_of(&[("x", "2".into())]));
        let built = r.deep(&root);
        assert!(!Arc::ptr_eq(&arc(&built), &arc(&root)));
        r.record(&arc(&built), map_of(&[("a", "merged".into())]));
        assert!(!r.memo.contains_key(&map_ptr(&arc(&root))));
        assert_eq!(x_of(&r.deep(&root)).as_deref(), Some("2"));
    }

    #[test]
    fn nothing_replaced_means_nothing_rebuilt() {
        let root = map_of(&[("a", map_of(&[("x", "1".into())]))]);
        let mut r = Redirects::default();
        assert!(Arc::ptr_eq(&arc(&r.deep(&root)), &arc(&root)));
        let unrelated = Value::empty_map();
        r.record(&arc(&unrelated), map_of(&[("k", "v".into())]));
        assert!(Arc::ptr_eq(&arc(&r.deep(&root)), &arc(&root)));
    }
}
