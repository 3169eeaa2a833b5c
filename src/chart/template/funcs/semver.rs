//! Sprig's `semver` and `semverCompare` over [`crate::chart::semver`], plus the
//! `*semver.Version` object templates see (`.Major`, `.Compare`, ...).

use std::any::Any;
use std::sync::Arc;

use super::args::{self, arity};
use super::{Func, FuncError};
use crate::chart::semver::{Constraint, Version};
use crate::chart::values::{Object, Value};

pub const FUNCS: &[(&str, Func)] = &[("semver", semver), ("semverCompare", semver_compare)];

/// A `*semver.Version` (what `semver` returns) or a `semver.Version` (what its `Inc*`
/// and `Set*` methods return) as a template value.
#[derive(Debug)]
pub struct SemverObject {
    pub version: Version,
    pub pointer: bool,
}

impl SemverObject {
    fn value(version: Version, pointer: bool) -> Value {
        Value::Object(Arc::new(SemverObject { version, pointer }))
    }
}

impl SemverObject {
    fn other(args: &[Value]) -> Result<&Version, String> {
        match args {
            [Value::Object(o)] => o
                .as_any()
                .downcast_ref::<SemverObject>()
                .map(|s| &s.version)
                .ok_or_else(|| {
                    format!(
                        "wrong type for value; expected *semver.Version; got {}",
                        o.type_name()
                    )
                }),
            [other] => Err(format!(
                "wrong type for value; expected *semver.Version; got {}",
                other.type_name()
            )),
            _ => Err(format!("wrong number of args: want 1 got {}", args.len())),
        }
    }
}

impl Object for SemverObject {
    fn type_name(&self) -> &str {
        if self.pointer {
            "*semver.Version"
        } else {
            "semver.Version"
        }
    }

    fn field(&self, name: &str) -> Option<Value> {
        let v = &self.version;
        Some(match name {
            "Major" => Value::Uint64(v.major()),
            "Minor" => Value::Uint64(v.minor()),
            "Patch" => Value::Uint64(v.patch()),
            "Prerelease" => Value::from(v.prerelease()),
            "Metadata" => Value::from(v.metadata()),
            "Original" => Value::from(v.original()),
            "String" => Value::from(v.to_string()),
            _ => return None,
        })
    }

    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let cmp = |f: fn(std::cmp::Ordering) -> Value| {
            Some(Self::other(args).map(|o| f(self.version.compare(o))))
        };
        match name {
            "Compare" => cmp(|o| Value::Int(o as i64)),
            "LessThan" => cmp(|o| Value::Bool(o.is_lt())),
            "LessThanEqual" => cmp(|o| Value::Bool(o.is_le())),
            "GreaterThan" => cmp(|o| Value::Bool(o.is_gt())),
            "GreaterThanEqual" => cmp(|o| Value::Bool(o.is_ge())),
            "Equal" => cmp(|o| Value::Bool(o.is_eq())),
            "IncMajor" => Some(Ok(SemverObject::value(self.version.inc_major(), false))),
            "IncMinor" => Some(Ok(SemverObject::value(self.version.inc_minor(), false))),
            "IncPatch" => Some(Ok(SemverObject::value(self.version.inc_patch(), false))),
            "SetPrerelease" | "SetMetadata" => Some(match args {
                [Value::String(s)] => {
                    let next = if name == "SetPrerelease" {
                        self.version.set_prerelease(s)
                    } else {
                        self.version.set_metadata(s)
                    };
                    next.map(|v| SemverObject::value(v, false))
                        .map_err(|e| e.to_string())
                }
                _ => Err("wrong type for value; expected string".into()),
            }),
            _ => self.field(name).map(Ok),
        }
    }

    fn format(&self) -> String {
        self.version.to_string()
    }

    fn to_data(&self) -> Value {
        Value::from(self.version.to_string())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn semver(a: &[Value]) -> Result<Value, FuncError> {
    arity("semver", a, 1)?;
    let v = Version::parse(args::string(&a[0])?).map_err(|e| FuncError::Call(e.to_string()))?;
    Ok(SemverObject::value(v, true))
}

fn semver_compare(a: &[Value]) -> Result<Value, FuncError> {
    arity("semverCompare", a, 2)?;
    let (constraint, version) = (args::string(&a[0])?, args::string(&a[1])?);
    compare_memoized(constraint, version)
        .map(Value::Bool)
        .map_err(FuncError::Call)
}

/// Answers already given, by constraint and version text. Charts ask the same question
/// over and over (Bitnami's `common.capabilities.*` helpers compare the cluster version
/// in nearly every template), and each answer parses both texts (into several strings;
/// uncommon shapes with Masterminds' regular expressions).
type Answers = rustc_hash::FxHashMap<(Box<str>, Box<str>), Result<bool, String>>;

fn compare_memoized(constraint: &str, version: &str) -> Result<bool, String> {
    /// Distinct questions kept; a chart asks a handful.
    const CAPACITY: usize = 256;
    thread_local! {
        static ANSWERS: std::cell::RefCell<Answers> = Default::default();
    }
    let key = (Box::from(constraint), Box::from(version));
    if let Some(answer) = ANSWERS.with_borrow(|answers| answers.get(&key).cloned()) {
        return answer;
    }
    let answer = compare(constraint, version);
    ANSWERS.with_borrow_mut(|answers| {
        if answers.len() >= CAPACITY {
            answers.clear();
        }
        answers.insert(key, answer.clone());
    });
    answer
}

fn compare(constraint: &str, version: &str) -> Result<bool, String> {
    let c = Constraint::parse(constraint).map_err(|e| e.to_string())?;
    let v = Version::parse(version).map_err(|e| e.to_string())?;
    Ok(c.matches(&v))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{call, call_err, eval};
    use crate::chart::values::Value;

    #[test]
    fn semver_functions() {
        assert_eq!(
            call("semverCompare \">=1.20-0\" \"v1.25.3-gke.100\""),
            "true"
        );
        assert_eq!(
            call("semverCompare \">=1.20\" \"v1.25.3-gke.100\""),
            "false"
        );
        assert_eq!(
            call_err("semverCompare \">=1\" \"x\""),
            "invalid semantic version"
        );
        assert_eq!(
            call_err("semverCompare \"!!\" \"1.0.0\""),
            "improper constraint: !!"
        );
        assert_eq!(call_err("semver \"abc\""), "invalid semantic version");
        assert_eq!(call("semver \"v1.2\""), "1.2.0");
        assert_eq!(call("typeOf (semver \"1.2.3\")"), "*semver.Version");
        let Ok(Value::Object(v)) = eval("semver \"v1.2.3-rc.1+b\"") else {
            panic!("semver object");
        };
        assert_eq!(v.field("Major"), Some(Value::Uint64(1)));
        assert_eq!(v.field("Prerelease"), Some(Value::from("rc.1")));
        assert_eq!(v.field("Original"), Some(Value::from("v1.2.3-rc.1+b")));
        let newer = eval("semver \"1.3.0\"").expect("semver");
        assert_eq!(
            v.call("Compare", std::slice::from_ref(&newer)),
            Some(Ok(Value::Int(-1)))
        );
        assert_eq!(v.call("LessThan", &[newer]), Some(Ok(Value::Bool(true))));
        let Some(Ok(Value::Object(next))) = v.call("IncMinor", &[]) else {
            panic!("IncMinor");
        };
        assert_eq!(next.format(), "1.3.0");
        assert_eq!(next.type_name(), "semver.Version");
    }
}
