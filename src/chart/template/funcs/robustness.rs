//! Every function, called with every combination of a few awkward arguments, returns a
//! value or an error: none may panic on template input.

use std::panic::{AssertUnwindSafe, catch_unwind};

use super::registry;
use crate::chart::values::{Map, Value};

/// Functions too slow to call thousands of times (key generation, bcrypt, scrypt).
const SLOW: &[&str] = &[
    "bcrypt",
    "htpasswd",
    "derivePassword",
    "genPrivateKey",
    "genCA",
    "genCAWithKey",
    "genSelfSignedCert",
    "genSelfSignedCertWithKey",
    "genSignedCert",
    "genSignedCertWithKey",
    "buildCustomCert",
];

fn samples() -> Vec<Value> {
    let mut m = Map::new();
    m.insert("a".into(), Value::Int(1));
    vec![
        Value::Nil,
        Value::Bool(true),
        Value::Int(-1),
        Value::Int(3),
        Value::Int64(1 << 40),
        Value::Float(2.5),
        Value::from(""),
        Value::from("a,é"),
        Value::list(vec![Value::Int(1), Value::from("x"), Value::Nil]),
        Value::map(m),
        Value::Bytes(vec![0xff, b'a'].into()),
    ]
}

#[test]
fn no_function_panics() {
    let samples = samples();
    let mut panics = Vec::new();
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    for (name, f) in registry::all() {
        if SLOW.contains(&name) {
            continue;
        }
        let mut arg_lists: Vec<Vec<Value>> = vec![vec![]];
        for _ in 0..3 {
            let longer: Vec<Vec<Value>> = arg_lists
                .iter()
                .filter(|a| a.len() == arg_lists.last().map_or(0, Vec::len))
                .flat_map(|a| {
                    samples.iter().map(move |s| {
                        let mut next = a.clone();
                        next.push(s.clone());
                        next
                    })
                })
                .collect();
            arg_lists.extend(longer);
        }
        for args in &arg_lists {
            if catch_unwind(AssertUnwindSafe(|| f(args))).is_err() {
                panics.push(format!("{name} {args:?}"));
                break;
            }
        }
    }
    std::panic::set_hook(previous);
    assert!(
        panics.is_empty(),
        "functions panicked:\n{}",
        panics.join("\n")
    );
}
