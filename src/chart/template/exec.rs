//! The executor: walks parsed templates over [`Value`]s with Go's `text/template` rules as
//! Helm configures them (`missingkey=zero`), plus Helm's render-state functions
//! (`include`, `tpl`, `required`, `fail`, `lookup`).
//!
//! Mirrors `text/template/exec.go` (Go 1.25). What must stay true (HELM-SEMANTICS.md §1):
//! * A value remembers whether its static Go type is `interface{}` (`Val::boxed`): a missing
//!   map key is a *nil interface* (the next field step fails: `nil pointer evaluating
//!   interface {}.b`), while after a pipeline the engine unwraps interfaces, so a variable or
//!   `(pipeline)` holding a missing value is *invalid* and field access on it yields nothing.
//! * Errors keep Go's error chain ([`GoError`]) because Helm reformats execution errors by
//!   walking that chain (see `engine.rs`).
//! * Go maps are references: `set`, `unset` and `merge*` mutate their first argument for every
//!   holder. Values here are copy-on-write, so the executor records "this map is now that map"
//!   ([`Redirects`]) and resolves through it when reading, for the whole render.
//! * Recursion is bounded like Go (`exceeded maximum template depth (100000)`, Helm's 1000
//!   nested includes per name) and the stack grows on the heap, so deep templates are an
//!   error, never a stack overflow. Output is bounded too.

use std::cell::{Cell, RefCell};

use sha1::Digest as _;
// Fx hashing: these tables are keyed by addresses and template names, hashed on every
// field step and call; SipHash's DoS resistance buys nothing here and cost ~3% of a render.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::rc::Rc;
use std::sync::Arc;

use super::ast::*;
use super::format;
use super::funcs::{self, ExtraFuncs, FuncError};
use super::lexer::go_quote;
use super::parser::{self, ParseError};
pub(crate) use super::redirects::map_ptr;
pub use super::redirects::{Redirects, reachable_maps};
use crate::chart::values::{Map, Value};

/// Go's `maxExecDepth`.
const MAX_EXEC_DEPTH: usize = 100_000;
/// Helm's `recursionMaxNums`: nested `include`s of one name.
const MAX_INCLUDE_NESTING: usize = 1000;
/// Total bytes a render may write (all templates, includes and tpl calls together).
pub(crate) const MAX_OUTPUT: usize = 256 << 20;

/// Functions the executor implements itself because they need render state or short-circuit.
const STATE_FUNCS: &[&str] = &["include", "tpl", "required", "fail", "lookup", "and", "or"];

/// Whether `name` is in Helm's function map (what the parser checks identifiers against).
pub fn has_function(name: &str) -> bool {
    STATE_FUNCS.contains(&name) || funcs::lookup(name).is_some()
}

// ---------------------------------------------------------------------------------------
// Errors

/// One link of a Go error chain: its full `Error()` text and what it wraps.
///
/// Helm's `reformatExecErrorMsg` walks `errors.Unwrap`, so the chain shape matters:
/// an `ExecError` wraps a `fmt` error with the same text, which wraps the cause when the
/// message was built with `%w` (`error calling X: %w`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoError {
    pub text: String,
    /// Is this link a `template.ExecError`?
    pub is_exec: bool,
    pub source: Option<Box<GoError>>,
}

impl GoError {
    pub fn plain(text: impl Into<String>) -> GoError {
        GoError {
            text: text.into(),
            is_exec: false,
            source: None,
        }
    }

    /// `fmt.Errorf("<prefix>%w", cause)`.
    pub fn wrap(prefix: &str, cause: GoError) -> GoError {
        GoError {
            text: format!("{prefix}{}", cause.text),
            is_exec: false,
            source: Some(Box::new(cause)),
        }
    }

    /// The chain, outermost first.
    pub fn chain(&self) -> impl Iterator<Item = &GoError> {
        std::iter::successors(Some(self), |e| e.source.as_deref())
    }
}

impl std::fmt::Display for GoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

type Result<T, E = GoError> = std::result::Result<T, E>;

/// Control flow out of a list: `{{break}}` / `{{continue}}` unwind to the nearest range.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flow {
    Normal,
    Break,
    Continue,
}

// ---------------------------------------------------------------------------------------
// Values as the executor sees them

/// A value plus the static-type facts Go's reflection would know.
#[derive(Clone, Debug, Default)]
pub struct Val {
    pub v: Value,
    /// Static type `interface{}` (a map or slice element not yet unwrapped). A boxed `Nil`
    /// is a nil interface; an unboxed `Nil` is Go's invalid "no value".
    pub boxed: bool,
    /// Helm's `common.Values` type (`.Values`, `Table` results): has methods `YAML`,
    /// `Table`, `AsMap`, `PathValue`, and is not a plain `map[string]interface{}`.
    pub helm_values: bool,
    /// The bytes of a Go string that is not UTF-8 (`.Files.Get` of a binary file), which
    /// `v` can only hold lossily; see [`BYTE_STRING_FUNCS`].
    pub raw: Option<Arc<[u8]>>,
}

impl Val {
    pub fn missing() -> Val {
        Val::default()
    }

    pub fn plain(v: Value) -> Val {
        Val {
            v,
            ..Val::default()
        }
    }

    fn boxed(v: Value) -> Val {
        Val {
            v,
            boxed: true,
            ..Val::default()
        }
    }

    fn is_missing(&self) -> bool {
        !self.boxed && self.v.is_nil()
    }

    /// What `evalPipeline` does after each command: `interface{}` → its dynamic value.
    fn unwrap(mut self) -> Val {
        self.boxed = false;
        self
    }

    /// Go's `%T`-ish static type name used in field errors.
    fn static_type(&self) -> String {
        if self.boxed {
            "interface {}".into()
        } else if self.helm_values {
            "common.Values".into()
        } else {
            self.v.type_name().into()
        }
    }
}

/// One template file parsed (its trees), or its parse error.
type ParsedFile = std::result::Result<Vec<Tree>, ParseError>;

// ---------------------------------------------------------------------------------------
// The template set

/// Named parse trees: every file of a chart and every `define`, with Go's rule that a later
/// definition replaces an earlier one unless it is empty.
#[derive(Default, Debug)]
pub struct TemplateSet {
    trees: HashMap<String, Arc<Tree>>,
    /// Caller-supplied functions, looked up before Helm's (empty for charts).
    extra: ExtraFuncs,
}

impl TemplateSet {
    /// A set with exactly Helm's function map (what charts get).
    pub fn new() -> TemplateSet {
        TemplateSet::default()
    }

    /// A set whose templates may also call `extra`, which take precedence over Helm's
    /// functions of the same name (the workspace's `env`, `requiredEnv`, `readFile`…).
    pub fn with_functions(extra: ExtraFuncs) -> TemplateSet {
        TemplateSet {
            trees: HashMap::default(),
            extra,
        }
    }

    /// Whether templates of this set may call `name` (the parser's check).
    pub fn has_function(&self, name: &str) -> bool {
        self.extra.contains(name) || has_function(name)
    }

    /// Parses `source` as template `name` and adds it and its `define`s.
    pub fn parse_file(&mut self, name: &str, source: &str) -> Result<(), ParseError> {
        let trees = parser::parse(name, Arc::from(source), &|n| self.has_function(n))?;
        for t in trees {
            associate(&mut self.trees, t);
        }
        Ok(())
    }

    /// Parses one of [`TemplateSet::parse_files`]'s files, without adding it.
    fn parse_source(&self, (name, source): &(String, Arc<str>)) -> ParsedFile {
        parser::parse(name, source.clone(), &|n| self.has_function(n))
    }

    /// Parses many files and adds them in the given order, which decides `define`
    /// precedence exactly as calling [`TemplateSet::parse_file`] on each would. Big
    /// inputs are parsed on all cores (parsing is a large share of rendering a chart
    /// like kube-prometheus-stack); association stays sequential. On failure, returns
    /// the index of the first failing file in order and its error.
    pub fn parse_files(&mut self, files: &[(String, Arc<str>)]) -> Result<(), (usize, ParseError)> {
        /// Below this many bytes of templates a second thread costs more than it saves.
        /// Measured per case on the conformance corpus with mimalloc (trimmed means of 10
        /// interleaved runs; a new thread's fresh heap pages took ~0.3–0.6 ms): charts
        /// with 100–240 KiB of templates rendered 2–12% faster parsing on one thread,
        /// charts from ~290 KiB up as fast or faster on two. With `crate::heap` threads
        /// cost less, but 64 KiB changed the corpus by < 1%.
        const PARALLEL_MIN_BYTES: usize = 256 << 10;
        let total: usize = files.iter().map(|(_, s)| s.len()).sum();
        let parse_one = |file: &(String, Arc<str>)| self.parse_source(file);
        let results: Vec<ParsedFile> = if total < PARALLEL_MIN_BYTES {
            files.iter().map(parse_one).collect()
        } else {
            crate::parallel::map(files, parse_one)
        };
        for (i, result) in results.into_iter().enumerate() {
            self.add_parsed(result.map_err(|e| (i, e))?);
        }
        Ok(())
    }

    /// [`TemplateSet::parse_files`] when a background parser is at work on the same
    /// files, front to back. This thread parses from the back: `claim(i)` takes file `i`
    /// off the worker's queue (`true`: parse it here; also for a file never offered) or
    /// says the worker has it (`false`), where this thread stops, so that the two meet in
    /// the middle without waiting for each other. Then the files are added in order,
    /// `parsed(i)` giving the worker's trees (named as `files[i]`), waiting for the file
    /// it is on, or `None` for one it failed on, which is parsed again here for its error.
    /// The error is the first file's that fails, as in a plain parse.
    pub fn parse_files_with(
        &mut self,
        files: &[(String, Arc<str>)],
        claim: impl Fn(usize) -> bool,
        parsed: impl Fn(usize) -> Option<Vec<Tree>>,
    ) -> Result<(), (usize, ParseError)> {
        let parse = |i: usize| self.parse_source(&files[i]);
        let mut claimed: Vec<Option<ParsedFile>> = (0..files.len()).map(|_| None).collect();
        for i in (0..files.len()).rev() {
            if !claim(i) {
                break;
            }
            claimed[i] = Some(parse(i));
        }
        let mut in_order = Vec::with_capacity(files.len());
        for (i, mine) in claimed.into_iter().enumerate() {
            in_order.push(match mine {
                Some(result) => result.map_err(|e| (i, e))?,
                None => match parsed(i) {
                    Some(trees) => trees,
                    None => parse(i).map_err(|e| (i, e))?,
                },
            });
        }
        for trees in in_order {
            self.add_parsed(trees);
        }
        Ok(())
    }

    fn add_parsed(&mut self, trees: Vec<Tree>) {
        for t in trees {
            associate(&mut self.trees, t);
        }
    }

    pub fn lookup(&self, name: &str) -> Option<&Arc<Tree>> {
        self.trees.get(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.trees.keys().map(String::as_str)
    }
}

/// Go's `associate`: an empty tree never replaces an existing one.
fn associate(into: &mut HashMap<String, Arc<Tree>>, t: Tree) {
    if into.contains_key(&t.name) && is_empty_tree(&t.root) {
        return;
    }
    into.insert(t.name.clone(), Arc::new(t));
}

/// Trees one `tpl` call added.
type Layer = Rc<HashMap<String, Arc<Tree>>>;

/// The templates visible to an execution: the chart's set, plus the trees of enclosing
/// `tpl` calls (each `tpl` parses into a clone of the set).
#[derive(Clone)]
struct Names<'s> {
    base: &'s TemplateSet,
    layers: Rc<Vec<Layer>>,
}

impl Names<'_> {
    fn lookup(&self, name: &str) -> Option<Arc<Tree>> {
        for layer in self.layers.iter().rev() {
            if let Some(t) = layer.get(name) {
                return Some(t.clone());
            }
        }
        self.base.lookup(name).cloned()
    }
}

// ---------------------------------------------------------------------------------------
// Render-wide state

/// State shared by every template executed during one render.
pub struct Renderer<'s> {
    set: &'s TemplateSet,
    redirects: RefCell<Redirects>,
    includes: RefCell<HashMap<String, usize>>,
    /// Addresses of top-level objects (`.`), whose `Values` entry is a `common.Values`.
    top_objects: RefCell<HashSet<usize>>,
    /// Addresses of the `Values` maps Helm built (`common.Values`); a map put in their place
    /// with `set $ "Values" ...` is a plain Go map.
    values_objects: RefCell<HashSet<usize>>,
    written: Cell<usize>,
    tpl_cache: RefCell<HashMap<String, Rc<Vec<Arc<Tree>>>>>,
}

impl<'s> Renderer<'s> {
    pub fn new(set: &'s TemplateSet) -> Renderer<'s> {
        Renderer {
            set,
            redirects: RefCell::default(),
            includes: RefCell::default(),
            top_objects: RefCell::default(),
            values_objects: RefCell::default(),
            written: Cell::new(0),
            tpl_cache: RefCell::default(),
        }
    }

    /// Marks `top`, a copy of a registered top-level object made for one template, as a
    /// top-level object too, leaving its `Values` as registered (it may have been replaced).
    pub fn register_template_top(&self, top: &Value) {
        if let Value::Map(m) = top {
            self.top_objects.borrow_mut().insert(map_ptr(m));
        }
    }

    /// Marks `top` as a template's top-level object (its `.Values` has Helm's methods).
    pub fn register_top_object(&self, top: &Value) {
        if let Value::Map(m) = top {
            self.top_objects.borrow_mut().insert(map_ptr(m));
            if let Some(Value::Map(v)) = m.get("Values") {
                self.values_objects.borrow_mut().insert(map_ptr(v));
            }
        }
    }

    /// A renderer that continues from another one's map replacements (a template that
    /// ran on another thread and changed maps later templates see).
    pub fn with_redirects(set: &'s TemplateSet, redirects: Redirects) -> Renderer<'s> {
        let renderer = Renderer::new(set);
        *renderer.redirects.borrow_mut() = redirects;
        renderer
    }

    /// This renderer's map replacements, to continue in another renderer.
    pub fn into_redirects(self) -> Redirects {
        self.redirects.into_inner()
    }

    /// Whether a `set`/`unset`/`merge*` so far replaced a map for which `is_shared` holds
    /// (given the map's address).
    pub fn replaced_any(&self, is_shared: impl Fn(usize) -> bool) -> bool {
        self.redirects.borrow().replaced_any(is_shared)
    }

    /// Bytes written so far; see [`Renderer::set_written`].
    pub fn written(&self) -> usize {
        self.written.get()
    }

    /// Starts the output budget at `bytes` (what templates executed elsewhere wrote).
    pub fn set_written(&self, bytes: usize) {
        self.written.set(bytes);
    }

    /// The current version of the map `v` after any `set`/`unset`/`merge` on it (its
    /// entries may still be stale; reads resolve those).
    pub fn current(&self, v: &Value) -> Value {
        self.redirects.borrow().shallow(v)
    }

    /// Executes the template `name` with `data` as dot (Go's `ExecuteTemplate`).
    pub fn execute(&self, name: &str, data: &Value) -> Result<String> {
        let names = Names {
            base: self.set,
            layers: Rc::new(Vec::new()),
        };
        let mut out = String::new();
        // Helm hands each template its top-level object as a `common.Values`.
        let mut dot = Val::plain(data.clone());
        dot.helm_values =
            matches!(data, Value::Map(m) if self.top_objects.borrow().contains(&map_ptr(m)));
        crate::stack::maybe_grow(256 * 1024, 4 << 20, || {
            self.execute_in(&names, name, dot, &mut out, 0)
        })?;
        Ok(out)
    }

    fn execute_in(
        &self,
        names: &Names<'_>,
        name: &str,
        data: Val,
        out: &mut String,
        nesting: usize,
    ) -> Result<()> {
        let Some(tree) = names.lookup(name) else {
            return Err(GoError::plain(format!(
                "template: no template {} associated with template \"gotpl\"",
                go_quote(name)
            )));
        };
        let dot = data.unwrap();
        let mut frame = Frame {
            tree: &tree,
            vars: vec![("$", dot.clone())],
            at: At::None,
            depth: 0,
        };
        let ex = Exec {
            r: self,
            names: names.clone(),
            nesting,
        };
        ex.walk_list(&mut frame, &dot, &tree.root, out)?;
        Ok(())
    }
}

/// The node Go's `state.at` last pointed to: errors quote it and report its position.
#[derive(Clone, Copy)]
enum At<'t> {
    None,
    Node(&'t Node),
    Pipe(&'t Pipe),
    Cmd(&'t Command),
    Op(&'t Operand),
    Var(&'t Variable),
    Tmpl(&'t TemplateCall),
}

impl At<'_> {
    fn describe(&self) -> Option<(Pos, String)> {
        Some(match self {
            At::None => return None,
            At::Node(n) => (node_pos(n), n.to_string()),
            At::Pipe(p) => (p.pos, p.to_string()),
            At::Cmd(c) => (c.pos, c.to_string()),
            At::Op(o) => (o.pos(), o.to_string()),
            At::Var(v) => (v.pos, v.to_string()),
            At::Tmpl(t) => (t.pos, t.to_string()),
        })
    }
}

fn node_pos(n: &Node) -> Pos {
    match n {
        Node::Text(t) => t.pos,
        Node::Comment(c) => c.pos,
        Node::Action(a) => a.pos,
        Node::If(b) | Node::Range(b) | Node::With(b) => b.pos,
        Node::Template(t) => t.pos,
        Node::Break(p) | Node::Continue(p) => *p,
    }
}

/// One template execution's state (Go's `state` minus the writer).
struct Frame<'t> {
    tree: &'t Tree,
    vars: Vec<(&'t str, Val)>,
    at: At<'t>,
    depth: usize,
}

impl Frame<'_> {
    /// Go's `errorf`: `template: <loc>: executing "<name>" at <<node>>: <msg>`.
    fn error(&self, msg: &str, cause: Option<GoError>) -> GoError {
        let head = match self.at.describe() {
            Some((pos, ctx)) => format!(
                "template: {}: executing {} at <{}>: ",
                self.tree.location(pos),
                go_quote(&self.tree.name),
                ctx
            ),
            None => format!("template: {}: ", self.tree.name),
        };
        let inner = match cause {
            Some(c) => GoError::wrap(&format!("{head}{msg}"), c),
            None => GoError::plain(format!("{head}{msg}")),
        };
        GoError {
            text: inner.text.clone(),
            is_exec: true,
            source: Some(Box::new(inner)),
        }
    }

    fn var(&self, name: &str) -> Option<&Val> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }

    fn set_var(&mut self, name: &str, v: Val) -> Result<()> {
        match self.vars.iter_mut().rev().find(|(n, _)| *n == name) {
            Some(slot) => {
                slot.1 = v;
                Ok(())
            }
            None => Err(self.error(&format!("undefined variable: {name}"), None)),
        }
    }
}

/// Executes trees; cheap to create per template call.
struct Exec<'r, 's> {
    r: &'r Renderer<'s>,
    names: Names<'s>,
    /// Nested `template`/`include`/`tpl` executions above this one (stack bound).
    nesting: usize,
}

/// One argument as evaluated, with the node it came from (`None` for a piped value).
struct Arg<'t> {
    val: Val,
    node: Option<&'t Operand>,
}

impl<'s> Exec<'_, 's> {
    fn write(&self, f: &Frame<'_>, out: &mut String, s: &str) -> Result<()> {
        let total = self.r.written.get() + s.len();
        if total > MAX_OUTPUT {
            return Err(f.error(&format!("rendered output exceeds {MAX_OUTPUT} bytes"), None));
        }
        self.r.written.set(total);
        out.push_str(s);
        Ok(())
    }

    fn walk_list<'t>(
        &self,
        f: &mut Frame<'t>,
        dot: &Val,
        list: &'t List,
        out: &mut String,
    ) -> Result<Flow> {
        for n in &list.nodes {
            let flow = self.walk(f, dot, n, out)?;
            if flow != Flow::Normal {
                return Ok(flow);
            }
        }
        Ok(Flow::Normal)
    }

    fn walk<'t>(
        &self,
        f: &mut Frame<'t>,
        dot: &Val,
        node: &'t Node,
        out: &mut String,
    ) -> Result<Flow> {
        f.at = At::Node(node);
        match node {
            Node::Text(t) => self.write(f, out, &t.text)?,
            Node::Comment(_) => {}
            Node::Action(a) => {
                let val = self.eval_pipeline(f, dot, &a.pipe)?;
                if a.pipe.decl.is_empty() {
                    // Most actions print a string: no copy of it on the way out.
                    match &val.v {
                        Value::String(text) if !val.is_missing() => self.write(f, out, text)?,
                        _ => {
                            let text = self.print_value(&val);
                            self.write(f, out, &text)?;
                        }
                    }
                }
            }
            // Nesting depth comes from the template: grow the stack rather than overflow.
            Node::If(b) => {
                return crate::stack::maybe_grow(64 * 1024, 1 << 20, || {
                    self.walk_if_or_with(f, dot, b, false, out)
                });
            }
            Node::With(b) => {
                return crate::stack::maybe_grow(64 * 1024, 1 << 20, || {
                    self.walk_if_or_with(f, dot, b, true, out)
                });
            }
            Node::Range(b) => {
                return crate::stack::maybe_grow(64 * 1024, 1 << 20, || {
                    self.walk_range(f, dot, b, node, out)
                });
            }
            Node::Template(t) => self.walk_template(f, dot, t, out)?,
            Node::Break(_) => return Ok(Flow::Break),
            Node::Continue(_) => return Ok(Flow::Continue),
        }
        Ok(Flow::Normal)
    }

    /// Go's `printValue`: `<no value>` for an invalid value, else `fmt.Sprint`.
    fn print_value(&self, v: &Val) -> String {
        if v.is_missing() {
            return "<no value>".into();
        }
        // An addressable struct printed directly uses its pointer `String()` method
        // (`.Capabilities.KubeVersion` prints `v1.35.0`, but `{v1.35.0 ...}` when passed on).
        if let Value::Object(o) = &v.v
            && let Some(Ok(Value::String(text))) = o.call("String", &[])
        {
            return text.to_string();
        }
        let resolved = self.r.redirects.borrow_mut().deep(&v.v);
        format::format_value(&resolved)
    }

    fn truth(&self, v: &Val) -> bool {
        match self.r.redirects.borrow().shallow(&v.v) {
            // A nil Go map (see `objects::NilMap`) is empty, hence false.
            Value::Object(o) if o.type_name().starts_with("map[") => !o.to_data().is_nil(),
            Value::Object(o) if o.type_name() == "complex128" => o
                .as_any()
                .downcast_ref::<super::objects::Complex>()
                .is_some_and(|c| c.re != 0.0 || c.im != 0.0),
            other => other.is_truthy(),
        }
    }

    fn walk_if_or_with<'t>(
        &self,
        f: &mut Frame<'t>,
        dot: &Val,
        b: &'t Branch,
        with: bool,
        out: &mut String,
    ) -> Result<Flow> {
        let mark = f.vars.len();
        let val = self.eval_pipeline(f, dot, &b.pipe)?;
        let flow = if self.truth(&val) {
            if with {
                self.walk_list(f, &val, &b.list, out)
            } else {
                self.walk_list(f, dot, &b.list, out)
            }
        } else if let Some(e) = &b.else_list {
            self.walk_list(f, dot, e, out)
        } else {
            Ok(Flow::Normal)
        };
        f.vars.truncate(mark);
        flow
    }

    fn walk_range<'t>(
        &self,
        f: &mut Frame<'t>,
        dot: &Val,
        b: &'t Branch,
        node: &'t Node,
        out: &mut String,
    ) -> Result<Flow> {
        f.at = At::Node(node);
        let mark = f.vars.len();
        let val = self.eval_pipeline(f, dot, &b.pipe)?;
        let r = self.range_body(f, dot, b, val, out);
        f.vars.truncate(mark);
        r.map(|_| Flow::Normal)
    }

    fn range_body<'t>(
        &self,
        f: &mut Frame<'t>,
        dot: &Val,
        b: &'t Branch,
        val: Val,
        out: &mut String,
    ) -> Result<()> {
        let mut coll = self.r.redirects.borrow().shallow(&val.v);
        if let Value::Object(o) = &coll {
            coll = o.to_data();
        }
        let mut ran = false;
        match &coll {
            Value::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    ran = true;
                    if self.one_iteration(
                        f,
                        b,
                        Val::plain(Value::Int(i as i64)),
                        Val::boxed(item.clone()),
                        out,
                    )? {
                        break;
                    }
                }
            }
            Value::Bytes(bytes) => {
                for (i, byte) in bytes.iter().enumerate() {
                    ran = true;
                    let elem = Val::plain(Value::Int(i64::from(*byte)));
                    if self.one_iteration(f, b, Val::plain(Value::Int(i as i64)), elem, out)? {
                        break;
                    }
                }
            }
            Value::Map(m) => {
                for (k, item) in m.iter() {
                    ran = true;
                    if self.one_iteration(
                        f,
                        b,
                        Val::plain(Value::from(k.as_str())),
                        Val::boxed(item.clone()),
                        out,
                    )? {
                        break;
                    }
                }
            }
            // Go 1.22 ranges over any integer type, yielding that type.
            Value::Int(_) | Value::Int64(_) | Value::Uint8(_) | Value::Uint64(_) => {
                if b.pipe.decl.len() > 1 {
                    let shown = format::format_value(&coll);
                    return Err(f.error(
                        &format!("can't use {shown} to iterate over more than one variable"),
                        None,
                    ));
                }
                let count = match &coll {
                    Value::Int(n) | Value::Int64(n) => (*n).max(0) as u64,
                    Value::Uint8(n) => u64::from(*n),
                    Value::Uint64(n) => *n,
                    _ => 0,
                };
                let item = |i: u64| match &coll {
                    Value::Int(_) => Value::Int(i as i64),
                    Value::Int64(_) => Value::Int64(i as i64),
                    // `count` is at most 255 here.
                    Value::Uint8(_) => Value::Uint8(i as u8),
                    _ => Value::Uint64(i),
                };
                for i in 0..count {
                    ran = true;
                    if self.one_iteration(f, b, Val::missing(), Val::plain(item(i)), out)? {
                        break;
                    }
                }
            }
            Value::Nil => {}
            other => {
                let shown = format::format_value(other);
                return Err(f.error(&format!("range can't iterate over {shown}"), None));
            }
        }
        if !ran && let Some(e) = &b.else_list {
            self.walk_list(f, dot, e, out)?;
        }
        Ok(())
    }

    /// One range iteration; returns true on `{{break}}`.
    fn one_iteration<'t>(
        &self,
        f: &mut Frame<'t>,
        b: &'t Branch,
        index: Val,
        elem: Val,
        out: &mut String,
    ) -> Result<bool> {
        let decl = &b.pipe.decl;
        if !decl.is_empty() {
            if b.pipe.is_assign {
                let first = if decl.len() > 1 {
                    index.clone()
                } else {
                    elem.clone()
                };
                f.set_var(decl[0].name(), first)?;
            } else if let Some(top) = f.vars.last_mut() {
                top.1 = elem.clone();
            }
        }
        if decl.len() > 1 {
            if b.pipe.is_assign {
                f.set_var(decl[1].name(), elem.clone())?;
            } else {
                let n = f.vars.len();
                if n >= 2 {
                    f.vars[n - 2].1 = index;
                }
            }
        }
        let mark = f.vars.len();
        let flow = self.walk_list(f, &elem, &b.list, out);
        f.vars.truncate(mark);
        Ok(flow? == Flow::Break)
    }

    fn walk_template<'t>(
        &self,
        f: &mut Frame<'t>,
        dot: &Val,
        t: &'t TemplateCall,
        out: &mut String,
    ) -> Result<()> {
        f.at = At::Tmpl(t);
        let Some(tree) = self.names.lookup(&t.name) else {
            return Err(f.error(&format!("template {} not defined", go_quote(&t.name)), None));
        };
        if f.depth >= MAX_EXEC_DEPTH || self.nesting >= MAX_EXEC_DEPTH {
            return Err(f.error(
                &format!("exceeded maximum template depth ({MAX_EXEC_DEPTH})"),
                None,
            ));
        }
        let new_dot = match &t.pipe {
            Some(p) => self.eval_pipeline(f, dot, p)?,
            None => Val::missing(),
        };
        let mut frame = Frame {
            tree: &tree,
            vars: vec![("$", new_dot.clone())],
            at: At::None,
            depth: f.depth + 1,
        };
        let ex = Exec {
            r: self.r,
            names: self.names.clone(),
            nesting: self.nesting + 1,
        };
        crate::stack::maybe_grow(256 * 1024, 4 << 20, || {
            ex.walk_list(&mut frame, &new_dot, &tree.root, out)
        })?;
        Ok(())
    }

    // -----------------------------------------------------------------------------------
    // Pipelines and commands

    fn eval_pipeline<'t>(&self, f: &mut Frame<'t>, dot: &Val, pipe: &'t Pipe) -> Result<Val> {
        f.at = At::Pipe(pipe);
        let mut value: Option<Val> = None;
        for cmd in &pipe.cmds {
            value = Some(self.eval_command(f, dot, cmd, value)?.unwrap());
        }
        let value = value.unwrap_or_default();
        for v in &pipe.decl {
            if pipe.is_assign {
                f.set_var(v.name(), value.clone())?;
            } else {
                f.vars.push((v.name(), value.clone()));
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, f: &Frame<'_>, args: &[Operand], fin: &Option<Val>) -> Result<()> {
        if args.len() > 1 || fin.is_some() {
            return Err(f.error(
                &format!("can't give argument to non-function {}", args[0]),
                None,
            ));
        }
        Ok(())
    }

    fn eval_command<'t>(
        &self,
        f: &mut Frame<'t>,
        dot: &Val,
        cmd: &'t Command,
        fin: Option<Val>,
    ) -> Result<Val> {
        let first = &cmd.args[0];
        match first {
            Operand::Field { path, .. } => {
                f.at = At::Op(first);
                let names = path.each_name();
                self.eval_field_chain(f, dot, At::Op(first), dot.clone(), names, &cmd.args, fin)
            }
            Operand::Chain { .. } => self.eval_chain(f, dot, first, &cmd.args, fin),
            Operand::Identifier { name, .. } => {
                self.eval_function(f, dot, first, name, Some(cmd), &cmd.args, fin)
            }
            Operand::Pipe(p) => {
                self.not_a_function(f, &cmd.args, &fin)?;
                crate::stack::maybe_grow(64 * 1024, 1 << 20, || self.eval_pipeline(f, dot, p))
            }
            Operand::Variable(v) => self.eval_variable(f, dot, v, &cmd.args, fin),
            _ => {
                f.at = At::Op(first);
                self.not_a_function(f, &cmd.args, &fin)?;
                match first {
                    Operand::Bool { value, .. } => Ok(Val::plain(Value::Bool(*value))),
                    Operand::Dot(_) => Ok(dot.clone()),
                    Operand::Nil(_) => Err(f.error("nil is not a command", None)),
                    Operand::Number(n) => self.ideal_constant(f, n),
                    Operand::String { text, .. } => Ok(Val::plain(Value::String(text.clone()))),
                    _ => Err(f.error(
                        &format!("can't evaluate command {}", go_quote(&first.to_string())),
                        None,
                    )),
                }
            }
        }
    }

    /// Go's `idealConstant`: the type a number literal takes when nothing asks for one.
    fn ideal_constant(&self, f: &Frame<'_>, n: &Number) -> Result<Val> {
        let text = &*n.text;
        let lower = text.to_ascii_lowercase();
        let is_hex_int =
            lower.trim_start_matches(['+', '-']).starts_with("0x") && !lower.contains('p');
        if n.is_complex {
            let c = super::objects::Complex {
                re: n.float,
                im: n.imag,
            };
            return Ok(Val::plain(Value::Object(Arc::new(c))));
        }
        if n.is_float && !is_hex_int && !n.is_char && text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Ok(Val::plain(Value::Float(n.float)));
        }
        if n.is_int {
            return Ok(Val::plain(Value::Int(n.int)));
        }
        Err(f.error(&format!("{text} overflows int"), None))
    }

    fn eval_variable<'t>(
        &self,
        f: &mut Frame<'t>,
        dot: &Val,
        v: &'t Variable,
        args: &'t [Operand],
        fin: Option<Val>,
    ) -> Result<Val> {
        f.at = At::Var(v);
        let Some(value) = f.var(v.name()).cloned() else {
            return Err(f.error(&format!("undefined variable: {}", v.name()), None));
        };
        if !v.has_fields() {
            self.not_a_function(f, args, &fin)?;
            return Ok(value);
        }
        let mut names = v.path.each_name();
        names.next(); // the variable
        self.eval_field_chain(f, dot, At::Var(v), value, names, args, fin)
    }

    fn eval_chain<'t>(
        &self,
        f: &mut Frame<'t>,
        dot: &Val,
        chain: &'t Operand,
        args: &'t [Operand],
        fin: Option<Val>,
    ) -> Result<Val> {
        let Operand::Chain { node, fields, .. } = chain else {
            return Ok(Val::missing());
        };
        f.at = At::Op(chain);
        if let Operand::Nil(_) = **node {
            return Err(f.error(
                &format!("indirection through explicit nil in {chain}"),
                None,
            ));
        }
        let mut recv = self.eval_arg(f, dot, node)?;
        if matches!(**node, Operand::Pipe(_)) {
            recv = recv.unwrap();
        }
        self.eval_field_chain(f, dot, At::Op(chain), recv, fields.each_name(), args, fin)
    }

    #[allow(clippy::too_many_arguments, reason = "mirrors Go's evalFieldChain")]
    fn eval_field_chain<'t>(
        &self,
        f: &mut Frame<'t>,
        dot: &Val,
        node: At<'t>,
        mut recv: Val,
        mut names: DottedNames<'t>,
        args: &'t [Operand],
        fin: Option<Val>,
    ) -> Result<Val> {
        // Every name but the last is a plain field step.
        let mut name = names.next().unwrap_or_default();
        for next in names {
            recv = self.eval_field(f, dot, node, name, &[], None, recv)?;
            name = next;
        }
        self.eval_field(f, dot, node, name, args, fin, recv)
    }

    /// Go's `evalField` with `missingkey=zero`; `node` is the field, variable or chain
    /// node that method-call errors are reported at.
    #[allow(clippy::too_many_arguments, reason = "mirrors Go's evalField")]
    fn eval_field<'t>(
        &self,
        f: &mut Frame<'t>,
        dot: &Val,
        node: At<'t>,
        name: &str,
        args: &'t [Operand],
        fin: Option<Val>,
        recv: Val,
    ) -> Result<Val> {
        if recv.is_missing() {
            return Ok(Val::missing());
        }
        let typ = recv.static_type();
        let value = self.r.redirects.borrow().shallow(&recv.v);
        if value.is_nil() {
            return Err(f.error(&format!("nil pointer evaluating {typ}.{name}"), None));
        }
        let has_args = args.len() > 1 || fin.is_some();
        if recv.helm_values
            && let Some(v) = self.values_method(f, dot, node, name, &value, args, fin.clone())?
        {
            return Ok(v);
        }
        match &value {
            Value::Object(o) => {
                if has_args {
                    let call_args = self.method_args(f, dot, args, fin)?;
                    return match o.call(name, &call_args) {
                        Some(Ok(v)) => {
                            let mut out = Val::plain(v);
                            if name == "Get"
                                && o.type_name() == "engine.files"
                                && let Some(Ok(Value::Bytes(b))) = o.call("GetBytes", &call_args)
                                && std::str::from_utf8(&b).is_err()
                            {
                                out.raw = Some(b);
                            }
                            Ok(out)
                        }
                        Some(Err(msg)) => Err(self.method_error(f, node, name, msg)),
                        None if o.field(name).is_some() => Err(f.error(
                            &format!("{name} has arguments but cannot be invoked as function"),
                            None,
                        )),
                        None => {
                            Err(f
                                .error(&format!("can't evaluate field {name} in type {typ}"), None))
                        }
                    };
                }
                if let Some(v) = o.field(name) {
                    return Ok(Val::plain(v));
                }
                match o.call(name, &[]) {
                    Some(Ok(v)) => Ok(Val::plain(v)),
                    Some(Err(msg)) => Err(self.method_error(f, node, name, msg)),
                    None => {
                        Err(f.error(&format!("can't evaluate field {name} in type {typ}"), None))
                    }
                }
            }
            Value::Map(m) => {
                if has_args {
                    return Err(f.error(&format!("{name} is not a method but has arguments"), None));
                }
                let item = m.get(name).cloned().unwrap_or(Value::Nil);
                let mut out = Val::boxed(item);
                if self.r.top_objects.borrow().contains(&map_ptr(m)) {
                    out.helm_values = match (name, &out.v) {
                        ("Template", _) => true,
                        ("Values", Value::Map(v)) => {
                            self.r.values_objects.borrow().contains(&map_ptr(v))
                        }
                        _ => false,
                    };
                }
                Ok(out)
            }
            _ => Err(f.error(&format!("can't evaluate field {name} in type {typ}"), None)),
        }
    }

    /// A failed method call: Go's argument checks are reported as is, anything else as
    /// `error calling NAME: ...`, both at the field node.
    fn method_error<'t>(
        &self,
        f: &mut Frame<'t>,
        node: At<'t>,
        name: &str,
        msg: String,
    ) -> GoError {
        f.at = node;
        if msg.starts_with("wrong number of args") || msg.starts_with("wrong type for value") {
            return f.error(&msg, None);
        }
        self.call_error(f, name, GoError::plain(msg))
    }

    /// `error calling NAME: <cause>` at the current node.
    fn call_error(&self, f: &Frame<'_>, name: &str, cause: GoError) -> GoError {
        f.error(&format!("error calling {name}: "), Some(cause))
    }

    fn method_args<'t>(
        &self,
        f: &mut Frame<'t>,
        dot: &Val,
        args: &'t [Operand],
        fin: Option<Val>,
    ) -> Result<Vec<Value>> {
        let mut out = Vec::new();
        for a in args.iter().skip(1) {
            let v = self.eval_arg(f, dot, a)?;
            out.push(self.resolve_arg(&v));
        }
        if let Some(v) = fin {
            out.push(self.resolve_arg(&v));
        }
        Ok(out)
    }

    /// Methods of Helm's `common.Values` (HELM-SEMANTICS.md §1.5).
    #[allow(clippy::too_many_arguments, reason = "mirrors Go's evalField")]
    fn values_method<'t>(
        &self,
        f: &mut Frame<'t>,
        dot: &Val,
        node: At<'t>,
        name: &str,
        value: &Value,
        args: &'t [Operand],
        fin: Option<Val>,
    ) -> Result<Option<Val>> {
        if !matches!(name, "YAML" | "Table" | "AsMap" | "PathValue" | "Encode") {
            return Ok(None);
        }
        let call_args = self.method_args(f, dot, args, fin)?;
        f.at = node;
        let want = |n: usize| -> Result<()> {
            if call_args.len() != n {
                return Err(f.error(
                    &format!(
                        "wrong number of args for {name}: want {n} got {}",
                        call_args.len()
                    ),
                    None,
                ));
            }
            Ok(())
        };
        let resolved = self.resolve_arg(&Val::plain(value.clone()));
        match name {
            "AsMap" => {
                want(0)?;
                Ok(Some(Val::plain(resolved)))
            }
            "YAML" => {
                want(0)?;
                match crate::chart::values::yaml_emit::marshal(&resolved) {
                    Ok(text) => Ok(Some(Val::plain(Value::from(text)))),
                    Err(e) => Err(self.method_error(f, node, name, e.to_string())),
                }
            }
            "Table" | "PathValue" => {
                want(1)?;
                let Some(path) = call_args[0].as_str() else {
                    return Err(f.error(
                        &format!(
                            "wrong type for value; expected string; got {}",
                            call_args[0].type_name()
                        ),
                        None,
                    ));
                };
                let r = if name == "Table" {
                    values_table(&resolved, path)
                } else {
                    values_path_value(&resolved, path)
                };
                match r {
                    Ok(v) => {
                        let mut out = Val::plain(v);
                        out.helm_values = name == "Table";
                        Ok(Some(out))
                    }
                    Err(msg) => Err(self.method_error(f, node, name, msg)),
                }
            }
            // `Encode(io.Writer)`: nothing a template holds is a writer.
            "Encode" => {
                want(1)?;
                if let Some(Operand::String { .. } | Operand::Number(_) | Operand::Bool { .. }) =
                    args.get(1)
                {
                    f.at = At::Op(&args[1]);
                    return Err(f.error(
                        &format!("can't handle {} for arg of type io.Writer", args[1]),
                        None,
                    ));
                }
                Err(f.error(
                    &format!(
                        "wrong type for value; expected io.Writer; got {}",
                        call_args[0].type_name()
                    ),
                    None,
                ))
            }
            _ => Err(f.error(
                &format!("can't evaluate field {name} in type common.Values"),
                None,
            )),
        }
    }

    /// Go's `evalArg` for an `interface{}` parameter.
    fn eval_arg<'t>(&self, f: &mut Frame<'t>, dot: &Val, op: &'t Operand) -> Result<Val> {
        f.at = At::Op(op);
        match op {
            Operand::Dot(_) => Ok(dot.clone()),
            Operand::Nil(_) => Ok(Val::missing()),
            Operand::Field { path, .. } => self.eval_field_chain(
                f,
                dot,
                At::Op(op),
                dot.clone(),
                path.each_name(),
                std::slice::from_ref(op),
                None,
            ),
            Operand::Variable(v) => self.eval_variable(f, dot, v, std::slice::from_ref(op), None),
            Operand::Pipe(p) => {
                let v =
                    crate::stack::maybe_grow(64 * 1024, 1 << 20, || self.eval_pipeline(f, dot, p))?;
                Ok(v.unwrap())
            }
            Operand::Identifier { name, .. } => {
                self.eval_function(f, dot, op, name, None, std::slice::from_ref(op), None)
            }
            Operand::Chain { .. } => self.eval_chain(f, dot, op, std::slice::from_ref(op), None),
            Operand::Bool { value, .. } => Ok(Val::plain(Value::Bool(*value))),
            Operand::Number(n) => self.ideal_constant(f, n),
            Operand::String { text, .. } => Ok(Val::plain(Value::String(text.clone()))),
        }
    }

    /// The value a function receives: current versions of any mutated maps.
    fn resolve_arg(&self, v: &Val) -> Value {
        self.r.redirects.borrow_mut().deep(&v.v)
    }

    // -----------------------------------------------------------------------------------
    // Function calls

    #[allow(
        clippy::too_many_arguments,
        reason = "mirrors Go's evalFunction/evalCall split"
    )]
    fn eval_function<'t>(
        &self,
        f: &mut Frame<'t>,
        dot: &Val,
        ident: &'t Operand,
        name: &str,
        cmd: Option<&'t Command>,
        args: &'t [Operand],
        fin: Option<Val>,
    ) -> Result<Val> {
        f.at = At::Op(ident);
        let rest = &args[1..];
        if name == "and" || name == "or" {
            if rest.is_empty() && fin.is_none() {
                return Err(f.error(
                    &format!("wrong number of args for {name}: want at least 1 got 0"),
                    None,
                ));
            }
            let mut last = Val::missing();
            for a in rest {
                let v = self.eval_arg(f, dot, a)?.unwrap();
                if self.truth(&v) == (name == "or") {
                    return Ok(v);
                }
                last = v;
            }
            if let Some(v) = fin {
                last = v.unwrap();
            }
            return Ok(last);
        }
        let mut evaluated: Vec<Arg<'t>> = Vec::with_capacity(rest.len() + 1);
        for a in rest {
            let val = self.eval_arg(f, dot, a)?;
            evaluated.push(Arg { val, node: Some(a) });
        }
        if let Some(v) = fin {
            evaluated.push(Arg { val: v, node: None });
        }
        let call_at = match cmd {
            Some(c) => At::Cmd(c),
            None => At::Op(ident),
        };
        match name {
            "include" => return self.call_include(f, call_at, ident, &evaluated),
            "tpl" => return self.call_tpl(f, call_at, ident, &evaluated),
            "required" => {
                self.check_arity(f, ident, name, &evaluated, 2)?;
                let warn = self.string_arg(f, &evaluated[0])?;
                let v = &evaluated[1].val;
                let empty = self.resolve_arg(v);
                if empty.is_nil() || empty.as_str() == Some("") {
                    f.at = call_at;
                    return Err(self.call_error(f, name, GoError::plain(warn_wrap(&warn))));
                }
                return Ok(v.clone());
            }
            "fail" => {
                self.check_arity(f, ident, name, &evaluated, 1)?;
                let msg = self.string_arg(f, &evaluated[0])?;
                f.at = call_at;
                return Err(self.call_error(f, name, GoError::plain(warn_wrap(&msg))));
            }
            "lookup" => {
                self.check_arity(f, ident, name, &evaluated, 4)?;
                for a in &evaluated {
                    self.string_arg(f, a)?;
                }
                return Ok(Val::plain(Value::empty_map()));
            }
            _ => {}
        }
        let builtin = funcs::lookup(name);
        let index_current =
            |a: &[Value]| funcs::index_with(a, |v| self.r.redirects.borrow().shallow(v));
        let dig_current =
            |a: &[Value]| funcs::dig_with(a, |v| self.r.redirects.borrow().shallow(v));
        let func: &dyn Fn(&[Value]) -> Result<Value, FuncError> =
            match (self.r.set.extra.get(name), &builtin) {
                (Some(extra), _) => extra.as_ref(),
                // `index` and `dig` resolve each map as they step in (see SHALLOW_ARG_FUNCS).
                (None, Some(_)) if name == "index" => &index_current,
                (None, Some(_)) if name == "dig" => &dig_current,
                (None, Some(builtin)) => builtin,
                (None, None) => {
                    return Err(f.error(
                        &format!("{} is not a defined function", go_quote(name)),
                        None,
                    ));
                }
            };
        if name == "len"
            && let [a] = evaluated.as_slice()
            && a.val.is_missing()
        {
            // Go's reflect panics on the invalid value before `len` can look at it.
            f.at = call_at;
            return Err(self.call_error(
                f,
                name,
                GoError::plain("reflect: call of reflect.Value.Type on zero Value"),
            ));
        }
        let kind = arg_handling(name);
        if let Some(arg) = evaluated
            .iter()
            .enumerate()
            .find(|(i, a)| a.val.boxed && a.val.v.is_nil() && takes_map(kind, *i))
            .map(|(_, a)| a)
        {
            // A missing value is a nil `interface{}`, which Go cannot pass for a map
            // parameter (the literal `nil` it can: a nil map).
            if let Some(node) = arg.node {
                f.at = At::Op(node);
            }
            return Err(f.error(
                "wrong type for value; expected map[string]interface {}; got interface {}",
                None,
            ));
        }
        if name == "typeOf"
            && let [a] = evaluated.as_slice()
            && a.val.helm_values
        {
            return Ok(Val::plain(Value::from("common.Values")));
        }
        if name == "dig"
            && let Some(last) = evaluated.last()
            && last.val.helm_values
        {
            f.at = call_at;
            return Err(self.call_error(
                        f,
                        name,
                        GoError::plain("interface conversion: interface {} is common.Values, not map[string]interface {}"),
                    ));
        }
        if let [a] = evaluated.as_slice()
            && let Some(raw) = &a.val.raw
            && let Some((_, encode)) = BYTE_STRING_FUNCS.iter().find(|(n, _)| *n == name)
        {
            return Ok(Val::boxed(Value::from(encode(raw))));
        }
        if name == "call" {
            f.at = call_at;
            let msg = match evaluated.first() {
                None => {
                    return Err(
                        f.error("wrong number of args for call: want at least 1 got 0", None)
                    );
                }
                Some(a) if a.val.v.is_nil() => "call of nil".to_string(),
                Some(a) => format!(
                    "non-function {} of type {}",
                    a.node
                        .map_or_else(|| "<nil>".to_string(), |n| n.to_string()),
                    a.val.v.type_name()
                ),
            };
            return Err(self.call_error(f, name, GoError::plain(msg)));
        }
        let shallow_args = kind & SHALLOW_ARGS != 0;
        let mut values: Vec<Value> = evaluated
            .iter()
            .map(|a| {
                let v = if shallow_args {
                    self.r.redirects.borrow().shallow(&a.val.v)
                } else {
                    self.resolve_arg(&a.val)
                };
                if name == "typeOf" || kind & STORES_ARGS != 0 {
                    v
                } else {
                    collection_data(v)
                }
            })
            .collect();
        // `printf "%T" .Values` names Helm's map type.
        if name == "printf"
            && values
                .first()
                .and_then(Value::as_str)
                .is_some_and(|f| f.contains("%T"))
        {
            for (v, a) in values.iter_mut().zip(&evaluated).skip(1) {
                if a.val.helm_values {
                    *v = Value::Object(Arc::new(super::objects::ValuesView(v.clone())));
                }
            }
        }
        // Go converts untyped constants to the parameter's type; the function tells us the
        // type it wanted, so retry with the constant converted (at most once per argument).
        for _ in 0..=values.len() {
            match func(&values) {
                Ok(v) => {
                    if funcs::MUTATING.contains(&name)
                        && let Some(Value::Map(old)) = evaluated.first().map(|a| &a.val.v)
                    {
                        let mut red = self.r.redirects.borrow_mut();
                        if matches!(
                            name,
                            "merge" | "mustMerge" | "mergeOverwrite" | "mustMergeOverwrite"
                        ) {
                            record_merged_children(&mut red, &evaluated[0].val.v, &values[0], &v);
                        }
                        red.record(old, v.clone());
                        if let Value::Map(cur) = &values[0] {
                            red.record(cur, v.clone());
                        }
                        drop(red);
                        self.inherit_top(old, &v);
                    }
                    if name == "deepCopy" || name == "mustDeepCopy" {
                        // A copy is a new Go map: it must not share identity (and so
                        // later `set` redirects) with the original.
                        return Ok(Val::boxed(fresh(&v)));
                    }
                    return Ok(Val::boxed(v));
                }
                Err(FuncError::Call(msg)) => {
                    f.at = call_at;
                    return Err(self.call_error(f, name, GoError::plain(msg)));
                }
                Err(FuncError::Args(msg)) => {
                    match self.arg_error(f, func, ident, &evaluated, &mut values, &msg) {
                        Some(e) => return Err(e),
                        None => continue,
                    }
                }
            }
        }
        Err(f.error("argument conversion did not settle", None))
    }

    /// A mutated top-level object stays a top-level object.
    fn inherit_top(&self, old: &Arc<Map>, new: &Value) {
        for set in [&self.r.top_objects, &self.r.values_objects] {
            let mut set = set.borrow_mut();
            if set.contains(&map_ptr(old))
                && let Value::Map(n) = new
            {
                set.insert(map_ptr(n));
            }
        }
    }

    fn check_arity<'t>(
        &self,
        f: &mut Frame<'t>,
        ident: &'t Operand,
        name: &str,
        args: &[Arg<'t>],
        want: usize,
    ) -> Result<()> {
        if args.len() != want {
            f.at = At::Op(ident);
            return Err(f.error(
                &format!(
                    "wrong number of args for {name}: want {want} got {}",
                    args.len()
                ),
                None,
            ));
        }
        Ok(())
    }

    /// A `string` parameter (Go's `evalString` for literals, `validateType` otherwise).
    fn string_arg<'t>(&self, f: &mut Frame<'t>, a: &Arg<'t>) -> Result<String> {
        let resolved = self.resolve_arg(&a.val);
        if let Value::String(s) = &resolved {
            return Ok(s.to_string());
        }
        if let Some(node) = a.node {
            f.at = At::Op(node);
            if is_constant(node) {
                return Err(f.error(&format!("expected string; found {node}"), None));
            }
        }
        Err(f.error(&type_mismatch("string", &a.val), None))
    }

    /// Turns a function's argument complaint into Go's error at the offending argument, or
    /// converts a constant argument and asks for a retry (`None`).
    #[allow(clippy::too_many_arguments, reason = "the call's whole context")]
    fn arg_error<'t>(
        &self,
        f: &mut Frame<'t>,
        func: &dyn Fn(&[Value]) -> Result<Value, FuncError>,
        ident: &'t Operand,
        args: &[Arg<'t>],
        values: &mut [Value],
        msg: &str,
    ) -> Option<GoError> {
        let parsed = parse_type_complaint(msg);
        let Some((expected, got)) = parsed else {
            f.at = At::Op(ident);
            return Some(f.error(msg, None));
        };
        // The offending argument is one of the reported type (or nil). Functions check in
        // order like Go does; when several arguments qualify, find the first one whose
        // replacement by a value of the expected type makes the arguments acceptable.
        let candidates: Vec<usize> = (0..values.len())
            .filter(|&i| match got {
                Some(g) => values[i].type_name() == g && !(values[i].is_nil() && g != "<nil>"),
                None => values[i].is_nil(),
            })
            .collect();
        let probe = |i: usize| {
            let mut trial = values.to_vec();
            trial[i] = neutral(expected)?;
            Some(!matches!(func(&trial), Err(FuncError::Args(_))))
        };
        let culprit = match candidates.as_slice() {
            [] => None,
            [one] => Some(*one),
            many => many
                .iter()
                .copied()
                .find(|&i| probe(i) == Some(true))
                .or(many.last().copied()),
        };
        let Some(i) = culprit else {
            f.at = At::Op(ident);
            return Some(f.error(msg, None));
        };
        let arg = &args[i];
        if let Some(node) = arg.node {
            f.at = At::Op(node);
            if is_constant(node) {
                if let Some(v) = convert_constant(node, expected) {
                    values[i] = v;
                    return None;
                }
                return Some(f.error(&constant_mismatch(node, expected), None));
            }
        }
        if arg.val.boxed && arg.val.v.is_nil() {
            return Some(f.error(
                &format!("wrong type for value; expected {expected}; got interface {{}}"),
                None,
            ));
        }
        Some(f.error(msg, None))
    }

    // -----------------------------------------------------------------------------------
    // Helm's include and tpl

    /// Executes template `name` from `names` into a new buffer, one nesting level deeper
    /// (bounded like Go's template depth, with the stack grown on the heap).
    fn execute_nested(
        &self,
        f: &Frame<'_>,
        names: &Names<'s>,
        name: &str,
        data: Val,
    ) -> Result<String> {
        if self.nesting >= MAX_EXEC_DEPTH {
            return Err(f.error(
                &format!("exceeded maximum template depth ({MAX_EXEC_DEPTH})"),
                None,
            ));
        }
        let mut buf = String::new();
        crate::stack::maybe_grow(256 * 1024, 4 << 20, || {
            self.r
                .execute_in(names, name, data, &mut buf, self.nesting + 1)
        })?;
        Ok(buf)
    }

    fn call_include<'t>(
        &self,
        f: &mut Frame<'t>,
        call_at: At<'t>,
        ident: &'t Operand,
        args: &[Arg<'t>],
    ) -> Result<Val> {
        self.check_arity(f, ident, "include", args, 2)?;
        let name = self.string_arg(f, &args[0])?;
        let data = args[1].val.clone();
        let count = self.r.includes.borrow().get(&name).copied();
        if let Some(c) = count
            && c > MAX_INCLUDE_NESTING
        {
            f.at = call_at;
            let cause = GoError::wrap(
                &format!("rendering template has a nested reference name: {name}: "),
                GoError::plain("unable to execute template"),
            );
            return Err(self.call_error(f, "include", cause));
        }
        *self
            .r
            .includes
            .borrow_mut()
            .entry(name.clone())
            .or_insert(0) += 1;
        let r = self.execute_nested(f, &self.names, &name, data);
        if let Some(c) = self.r.includes.borrow_mut().get_mut(&name) {
            *c = c.saturating_sub(1);
        }
        match r {
            Ok(buf) => Ok(Val::plain(Value::from(buf))),
            Err(e) => {
                f.at = call_at;
                Err(self.call_error(f, "include", e))
            }
        }
    }

    fn call_tpl<'t>(
        &self,
        f: &mut Frame<'t>,
        call_at: At<'t>,
        ident: &'t Operand,
        args: &[Arg<'t>],
    ) -> Result<Val> {
        self.check_arity(f, ident, "tpl", args, 2)?;
        let text = self.string_arg(f, &args[0])?;
        let data = args[1].val.clone();
        f.at = call_at;
        let trees = match self.tpl_trees(&text) {
            Ok(t) => t,
            Err(e) => {
                let cause = GoError::wrap(
                    &format!("cannot parse template {}: ", go_quote(&text)),
                    GoError::plain(e.to_string()),
                );
                return Err(self.call_error(f, "tpl", cause));
            }
        };
        let mut layer: HashMap<String, Arc<Tree>> = HashMap::default();
        for t in trees.iter() {
            let exists = layer.contains_key(&t.name) || self.names.lookup(&t.name).is_some();
            if t.name != "gotpl" && exists && is_empty_tree(&t.root) {
                continue;
            }
            layer.insert(t.name.clone(), t.clone());
        }
        let mut layers = (*self.names.layers).clone();
        layers.push(Rc::new(layer));
        let names = Names {
            base: self.names.base,
            layers: Rc::new(layers),
        };
        let r = self.execute_nested(f, &names, "gotpl", data);
        match r {
            Ok(buf) => Ok(Val::plain(Value::from(buf.replace("<no value>", "")))),
            Err(e) => {
                f.at = call_at;
                let cause = GoError::wrap(
                    &format!(
                        "error during tpl function execution for {}: ",
                        go_quote(&text)
                    ),
                    e,
                );
                Err(self.call_error(f, "tpl", cause))
            }
        }
    }

    /// `tpl` strings are parsed once per render and text.
    fn tpl_trees(&self, text: &str) -> Result<Rc<Vec<Arc<Tree>>>, ParseError> {
        if let Some(t) = self.r.tpl_cache.borrow().get(text) {
            return Ok(t.clone());
        }
        let set = self.r.set;
        let trees = parser::parse("gotpl", Arc::from(text), &|n| set.has_function(n))?;
        let trees: Rc<Vec<Arc<Tree>>> = Rc::new(trees.into_iter().map(Arc::new).collect());
        self.r
            .tpl_cache
            .borrow_mut()
            .insert(text.to_string(), trees.clone());
        Ok(trees)
    }
}

/// A function over a byte string's exact bytes.
pub type ByteStringFn = fn(&[u8]) -> String;

/// Functions of a Go string whose result depends on its exact bytes, applied to the raw
/// bytes of a non-UTF-8 string (`.Files.Get "x.bz2" | b64enc` in ConfigMap `binaryData`).
/// A bridge until [`Value`] can hold byte strings; the functions themselves take `&str`.
pub const BYTE_STRING_FUNCS: &[(&str, ByteStringFn)] = &[
    ("b64enc", |b| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(b)
    }),
    ("b32enc", |b| data_encoding::BASE32.encode(b)),
    ("sha1sum", |b| hex(&sha1::Sha1::digest(b))),
    ("sha256sum", |b| hex(&sha2::Sha256::digest(b))),
    ("sha512sum", |b| hex(&sha2::Sha512::digest(b))),
];

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// [`arg_handling`] flag: the function gets [`Redirects::shallow`] arguments.
const SHALLOW_ARGS: u8 = 1;
/// [`arg_handling`] flag: the function stores its arguments as they are.
const STORES_ARGS: u8 = 2;
/// [`arg_handling`] flags: Sprig's dict functions take Go maps (`map[string]interface{}`)
/// as every argument, the first one, or all but the first ([`MAP_PARAMS`]).
const MAP_ALL: u8 = 4;
const MAP_FIRST: u8 = 8;
const MAP_REST: u8 = 16;

/// Which arguments of the dict functions are Go maps: a missing value (a nil
/// `interface{}`) cannot be passed for them, the literal `nil` can (a nil map).
const MAP_PARAMS: &[(&str, u8)] = &[
    ("merge", MAP_ALL),
    ("mustMerge", MAP_ALL),
    ("mergeOverwrite", MAP_ALL),
    ("mustMergeOverwrite", MAP_ALL),
    ("keys", MAP_ALL),
    ("set", MAP_FIRST),
    ("unset", MAP_FIRST),
    ("hasKey", MAP_FIRST),
    ("get", MAP_FIRST),
    ("pick", MAP_FIRST),
    ("omit", MAP_FIRST),
    ("values", MAP_FIRST),
    ("pluck", MAP_REST),
];

/// Whether argument `index` of a function with [`arg_handling`] flags `kind` is a Go map.
fn takes_map(kind: u8, index: usize) -> bool {
    kind & MAP_ALL != 0 || kind & MAP_FIRST != 0 && index == 0 || kind & MAP_REST != 0 && index > 0
}

/// How `name` wants its arguments ([`SHALLOW_ARG_FUNCS`], [`STORING_FUNCS`],
/// [`MAP_PARAMS`]), with one
/// hash lookup per call instead of scanning both lists. A function that only stores its
/// arguments never reads inside them, so it takes them shallow too.
fn arg_handling(name: &str) -> u8 {
    static TABLE: std::sync::OnceLock<HashMap<&'static str, u8>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t: HashMap<&'static str, u8> = HashMap::default();
        for f in SHALLOW_ARG_FUNCS {
            *t.entry(f).or_default() |= SHALLOW_ARGS;
        }
        for f in STORING_FUNCS {
            *t.entry(f).or_default() |= STORES_ARGS | SHALLOW_ARGS;
        }
        for (f, params) in MAP_PARAMS {
            *t.entry(f).or_default() |= params;
        }
        t
    });
    table.get(name).copied().unwrap_or(0)
}

/// Functions that look at most one level into a map argument, or return their arguments
/// (besides [`STORING_FUNCS`]): they get the current version of each argument
/// (`Redirects::shallow`) rather than a deep rebuild, since whatever reads inside later
/// resolves as it reads; `index` and `dig` resolve each step as they go. (A deep rebuild
/// of `$` for every `dict "context" $` was a third of a Bitnami render.)
const SHALLOW_ARG_FUNCS: &[&str] = &[
    "index", "dig", "not", "unset", "hasKey", "get", "keys", "empty", "len", "kindIs", "kindOf",
    "typeOf", "typeIs", "pluck",
];

/// Go's named slice and map types (`.Capabilities.APIVersions`, `.Files`) are plain slices
/// and maps to the functions they are passed to (`join`, `has`, `len`, `kindOf`...).
/// Functions that only store or pass on their arguments: a `.Files` or
/// `.Capabilities.APIVersions` put in a dict or list keeps its methods (Go keeps the typed
/// value), so `(dict "Files" .Files).Files.Get` works as in Helm.
const STORING_FUNCS: &[&str] = &[
    "dict",
    "list",
    "tuple",
    "set",
    "default",
    "ternary",
    "coalesce",
    "append",
    "push",
    "prepend",
    "mustAppend",
    "mustPush",
    "mustPrepend",
];

fn collection_data(v: Value) -> Value {
    match &v {
        Value::Object(o) if matches!(o.type_name(), "common.VersionSet" | "engine.files") => {
            o.to_data()
        }
        _ => v,
    }
}

/// `v` with every map and list newly allocated (distinct identities, same content).
/// mergo merges a map present on both sides into the destination's own map, in place:
/// everything that holds that inner map sees the merged keys (nats passes
/// `merge (dict "Values" (dict "natsBox" $box)) $` and reads `$box` afterwards). `merged`
/// is the destination after the merge, `resolved` what the function received, `held`
/// the destination as the template holds it; each inner map the merge rebuilt is
/// recorded as replaced, under both addresses a template may hold. An inner map that
/// is empty afterwards was swapped for the source's map (mergo sets the key), not
/// changed in place.
fn record_merged_children(red: &mut Redirects, held: &Value, resolved: &Value, merged: &Value) {
    let (Value::Map(merged), Value::Map(resolved)) = (merged, resolved) else {
        return;
    };
    let held = red.shallow(held);
    for (key, new) in merged.iter() {
        let (Value::Map(new_map), Some(Value::Map(old))) = (new, resolved.get(key)) else {
            continue;
        };
        if new_map.is_empty() || Arc::ptr_eq(old, new_map) {
            continue;
        }
        let held_child = held.as_map().and_then(|m| m.get(key)).cloned();
        record_merged_children(
            red,
            held_child.as_ref().unwrap_or(&Value::Nil),
            &Value::Map(old.clone()),
            new,
        );
        red.record(old, new.clone());
        if let Some(Value::Map(held_map)) = &held_child
            && !Arc::ptr_eq(held_map, old)
        {
            red.record(held_map, new.clone());
        }
    }
}

fn fresh(v: &Value) -> Value {
    match v {
        Value::Map(m) => Value::map(m.iter().map(|(k, x)| (k.clone(), fresh(x))).collect()),
        Value::List(l) => {
            let mut l = (**l).clone();
            l.iter_mut().for_each(|x| *x = fresh(x));
            Value::List(Arc::new(l))
        }
        other => other.clone(),
    }
}

/// Helm wraps `required`/`fail` messages so its error formatter can find them.
fn warn_wrap(msg: &str) -> String {
    format!("HELM_ERR_START{msg}HELM_ERR_END")
}

fn is_constant(op: &Operand) -> bool {
    matches!(
        op,
        Operand::Number(_) | Operand::String { .. } | Operand::Bool { .. } | Operand::Nil(_)
    )
}

fn type_mismatch(expected: &str, v: &Val) -> String {
    if v.boxed && v.v.is_nil() {
        format!("wrong type for value; expected {expected}; got interface {{}}")
    } else if v.v.is_nil() {
        format!("invalid value; expected {expected}")
    } else {
        format!(
            "wrong type for value; expected {expected}; got {}",
            v.v.type_name()
        )
    }
}

/// `(expected, Some(got))` from `wrong type for value; expected T; got G`, or
/// `(expected, None)` from `invalid value; expected T`.
fn parse_type_complaint(msg: &str) -> Option<(&str, Option<&str>)> {
    if let Some(rest) = msg.strip_prefix("wrong type for value; expected ") {
        let (exp, got) = rest.split_once("; got ")?;
        return Some((exp, Some(got)));
    }
    let exp = msg.strip_prefix("invalid value; expected ")?;
    Some((exp, None))
}

/// A literal converted to a concrete parameter type the way Go's `evalArg` does.
fn convert_constant(node: &Operand, expected: &str) -> Option<Value> {
    match (node, expected) {
        (Operand::Number(n), "int") if n.is_int => Some(Value::Int(n.int)),
        (Operand::Number(n), "int64" | "int32" | "int16" | "int8") if n.is_int => {
            Some(Value::Int64(n.int))
        }
        (Operand::Number(n), "uint" | "uint64" | "uint32" | "uint8") if n.is_uint => {
            Some(Value::Int64(n.uint as i64))
        }
        (Operand::Number(n), "float64" | "float32") if n.is_float => Some(Value::Float(n.float)),
        (Operand::String { text, .. }, "string") => Some(Value::String(text.clone())),
        (Operand::Bool { value, .. }, "bool") => Some(Value::Bool(*value)),
        _ => None,
    }
}

/// Some value of a Go parameter type, for finding which argument a function rejected.
fn neutral(expected: &str) -> Option<Value> {
    Some(match expected {
        "int" => Value::Int(0),
        "int64" => Value::Int64(0),
        "float64" => Value::Float(0.0),
        "string" => Value::from(""),
        "bool" => Value::Bool(false),
        "[]interface {}" => Value::list(Vec::new()),
        "map[string]interface {}" => Value::empty_map(),
        _ => return None,
    })
}

/// Go's message when a literal does not fit the parameter type.
fn constant_mismatch(node: &Operand, expected: &str) -> String {
    match expected {
        "bool" => format!("expected bool; found {node}"),
        "string" => format!("expected string; found {node}"),
        "int" | "int64" | "int32" | "int16" | "int8" => format!("expected integer; found {node}"),
        "uint" | "uint64" | "uint32" | "uint16" | "uint8" => {
            format!("expected unsigned integer; found {node}")
        }
        "float64" | "float32" => format!("expected float; found {node}"),
        _ if matches!(node, Operand::Nil(_)) => format!("cannot assign nil to {expected}"),
        _ => format!("can't handle {node} for arg of type {expected}"),
    }
}

/// Helm's `Values.Table`: a nested map by dotted path (`"" is not a table` for an empty
/// segment, as Go splits on every dot).
fn values_table(v: &Value, path: &str) -> Result<Value, String> {
    let mut cur = v.clone();
    for key in path.split('.') {
        let next = cur.as_map().and_then(|m| m.get(key)).cloned();
        match next {
            Some(Value::Map(m)) => cur = Value::Map(m),
            _ => return Err(format!("{} is not a table", go_quote(key))),
        }
    }
    Ok(cur)
}

/// Helm's `Values.PathValue`: the non-table value at a dotted path; every failure is
/// reported as `"<last key>" is not a value`.
fn values_path_value(v: &Value, path: &str) -> Result<Value, String> {
    if path.is_empty() {
        return Err("YAML path cannot be empty".into());
    }
    let keys: Vec<&str> = path.split('.').collect();
    let (last, tables) = keys
        .split_last()
        .ok_or_else(|| "YAML path cannot be empty".to_string())?;
    let not_a_value = || format!("{} is not a value", go_quote(last));
    let table = if tables.is_empty() {
        v.clone()
    } else {
        values_table(v, &tables.join(".")).map_err(|_| not_a_value())?
    };
    match table.as_map().and_then(|m| m.get(*last)) {
        Some(Value::Map(_)) | None => Err(not_a_value()),
        Some(v) => Ok(v.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::values::parse_values;

    /// Renders `src` as template `t` with `.Values` from YAML; errors as Go's text.
    fn render(src: &str, values: &str) -> String {
        let mut set = TemplateSet::new();
        if let Err(e) = set.parse_file("t", src) {
            return format!("PARSE {e}");
        }
        let values = Value::map(parse_values(values).expect("values"));
        let mut top = Map::new();
        top.insert("Values".into(), values);
        let top = Value::map(top);
        let r = Renderer::new(&set);
        r.register_top_object(&top);
        match r.execute("t", &top) {
            Ok(s) => s,
            Err(e) => format!("ERR {e}"),
        }
    }

    const V: &str = "s: str\nl: [1, {foo: x}]\nm: {a: 1, b: {c: 2}}\nnul: null\nf: 1.5\ni: 3\n";

    /// Whichever files this thread claims from the back and whichever the worker parsed
    /// (or failed on), the set and the error are a plain parse's.
    #[test]
    fn parsing_beside_a_worker_gives_a_plain_parse() {
        let files: Vec<(String, Arc<str>)> = [
            ("a", r#"{{ define "x" }}a{{ end }}{{ template "x" }}"#),
            ("b", r#"{{ define "x" }}b{{ end }}"#),
            ("c", r#"{{ define "y" }}{{ template "x" }}c{{ end }}"#),
            ("d", "{{ template \"y\" }}"),
        ]
        .iter()
        .map(|(n, s)| (n.to_string(), Arc::from(*s)))
        .collect();
        let rendered = |set: &TemplateSet| {
            let r = Renderer::new(set);
            let top = Value::empty_map();
            ["a", "d"].map(|t| r.execute(t, &top).unwrap()).join("|")
        };
        let mut plain = TemplateSet::new();
        plain.parse_files(&files).unwrap();
        let worker = |i: usize| parser::parse(&files[i].0, files[i].1.clone(), &has_function).ok();
        // The worker has parsed the first `k` files; of those, `failed` it could not.
        for k in 0..=files.len() {
            for failed in [None, Some(0), Some(k.saturating_sub(1))] {
                let mut set = TemplateSet::new();
                set.parse_files_with(
                    &files,
                    |i| i >= k,
                    |i| worker(i).filter(|_| Some(i) != failed),
                )
                .unwrap();
                assert_eq!(rendered(&set), rendered(&plain), "k {k} failed {failed:?}");
                assert_eq!(rendered(&set), "b|bc");
            }
        }
        // Two broken files: the first one's error, wherever each was parsed.
        let mut broken = files.clone();
        broken[1].1 = Arc::from("{{ if }}");
        broken[3].1 = Arc::from("{{ end }}");
        let first = TemplateSet::new().parse_files(&broken).unwrap_err();
        for k in 0..=broken.len() {
            let worker =
                |i: usize| parser::parse(&broken[i].0, broken[i].1.clone(), &has_function).ok();
            let err = TemplateSet::new()
                .parse_files_with(&broken, |i| i >= k, worker)
                .unwrap_err();
            assert_eq!((err.0, err.1.to_string()), (first.0, first.1.to_string()));
        }
    }

    #[test]
    fn missing_values() {
        assert_eq!(
            render("{{ .Values.nope }}|{{ .Values.nul }}", V),
            "<no value>|<no value>"
        );
        assert_eq!(
            render("{{ $x := .Values.nope }}[{{ $x.foo }}]", V),
            "[<no value>]"
        );
        assert_eq!(render("[{{ (.Values.nope).b }}]", V), "[<no value>]");
        assert_eq!(
            render("{{ .Values.a.b.c }}", V),
            "ERR template: t:1:10: executing \"t\" at <.Values.a.b.c>: nil pointer evaluating interface {}.b"
        );
        assert_eq!(
            render("{{ .Values.s.foo }}", V),
            "ERR template: t:1:10: executing \"t\" at <.Values.s.foo>: can't evaluate field foo in type interface {}"
        );
        assert_eq!(
            render("{{ $x := \"s\" }}{{ $x.foo }}", V),
            "ERR template: t:1:20: executing \"t\" at <$x.foo>: can't evaluate field foo in type string"
        );
        assert_eq!(
            render("{{ with .Values.s }}{{ .foo }}{{ end }}", V),
            "ERR template: t:1:23: executing \"t\" at <.foo>: can't evaluate field foo in type string"
        );
        assert_eq!(
            render("{{ range .Values.l }}{{ .foo }}{{ end }}", V),
            "ERR template: t:1:24: executing \"t\" at <.foo>: can't evaluate field foo in type interface {}"
        );
    }

    #[test]
    fn control_structures() {
        assert_eq!(
            render(
                "{{ if .Values.nope }}a{{ else if .Values.s }}b{{ else }}c{{ end }}",
                V
            ),
            "b"
        );
        assert_eq!(
            render(
                "{{ range $k, $v := .Values.m }}{{ $k }}={{ $v }};{{ end }}",
                V
            ),
            "a=1;b=map[c:2];"
        );
        assert_eq!(
            render("{{ range $i, $e := .Values.l }}{{ $i }}{{ end }}", V),
            "01"
        );
        assert_eq!(
            render(
                "{{ range 3 }}{{ . }}{{ end }}|{{ range 0 }}x{{ else }}e{{ end }}",
                V
            ),
            "012|e"
        );
        assert_eq!(
            render(
                "{{ range $i := 5 }}{{ if eq $i 1 }}{{ continue }}{{ end }}{{ if eq $i 3 }}{{ break }}{{ end }}{{ $i }}{{ end }}",
                V
            ),
            "02"
        );
        assert_eq!(
            render("{{ range .Values.nope }}x{{ else }}none{{ end }}", V),
            "none"
        );
        assert_eq!(
            render("{{ range .Values.s }}x{{ end }}", V),
            "ERR template: t:1:16: executing \"t\" at <.Values.s>: range can't iterate over str"
        );
        assert_eq!(
            render(
                "{{ with .Values.nope }}a{{ else with .Values.s }}{{ . }}{{ end }}",
                V
            ),
            "str"
        );
    }

    #[test]
    fn variables_scope() {
        assert_eq!(
            render(
                "{{ $y := 0 }}{{ if true }}{{ $y := 5 }}{{ end }}{{ $y }}",
                V
            ),
            "0"
        );
        assert_eq!(
            render("{{ $z := 0 }}{{ if true }}{{ $z = 5 }}{{ end }}{{ $z }}", V),
            "5"
        );
        assert!(
            !render(
                "{{ $x := 0 }}{{ range .Values.l }}{{ $x = add1 $x }}{{ end }}{{ $x }}",
                V
            )
            .is_empty()
        );
        assert_eq!(
            render("{{ range .Values.l }}{{ $.Values.s }}{{ end }}", V),
            "strstr"
        );
    }

    #[test]
    fn and_or_short_circuit() {
        assert_eq!(
            render(
                "{{ and 1 0 2 }}|{{ or 0 \"\" }}|{{ and 1 2 }}|{{ not 0 }}|{{ 3 | and 1 }}",
                V
            ),
            "0||2|true|3"
        );
        assert_eq!(render("{{ and false (fail \"x\") }}", V), "false");
        assert_eq!(
            render("{{ and }}", V),
            "ERR template: t:1:3: executing \"t\" at <and>: wrong number of args for and: want at least 1 got 0"
        );
    }

    #[test]
    fn numbers_and_printing() {
        assert_eq!(
            render(
                "{{ 'a' }}|{{ 0x1F }}|{{ 1e3 }}|{{ 1_000 }}|{{ -5 }}|{{ 1.50 }}",
                V
            ),
            "97|31|1000|1000|-5|1.5"
        );
        assert_eq!(
            render(
                "{{ .Values.f }}|{{ .Values.i }}|{{ .Values.m }}|{{ .Values.l }}",
                V
            ),
            "1.5|3|map[a:1 b:map[c:2]]|[1 map[foo:x]]"
        );
        assert_eq!(render("{{ print \"a\" 1 2 \"b\" nil }}", V), "a1 2b<nil>");
    }

    #[test]
    fn templates_and_defines() {
        assert_eq!(
            render(
                "{{ define \"x\" }}[{{ . }}]{{ end }}{{ template \"x\" 1 }}{{ template \"x\" }}",
                V
            ),
            "[1][<no value>]"
        );
        assert_eq!(
            render(
                "{{ define \"x\" }}{{ $ }}{{ end }}{{ $v := 1 }}{{ include \"x\" 2 }}",
                V
            ),
            "2"
        );
        assert_eq!(
            render("{{ template \"nope\" . }}", V),
            "ERR template: t:1:12: executing \"t\" at <{{template \"nope\" .}}>: template \"nope\" not defined"
        );
        assert_eq!(
            render("{{ include \"nope\" . }}", V),
            "ERR template: t:1:3: executing \"t\" at <include \"nope\" .>: error calling include: template: no template \"nope\" associated with template \"gotpl\""
        );
        assert!(
            render("{{ define \"r\" }}{{ include \"r\" . }}{{ end }}{{ include \"r\" . }}", V)
                .ends_with("error calling include: rendering template has a nested reference name: r: unable to execute template")
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let nest = |n: usize| format!("{{{{ {}1{} }}}}", "(".repeat(n), ")".repeat(n));
        assert_eq!(render(&nest(900), V), "1");
        assert_eq!(
            render(&nest(20_000), V),
            "PARSE template: t:1: maximum nesting depth (1000) exceeded"
        );
        let ifs = |n: usize| format!("{}x{}", "{{ if 1 }}".repeat(n), "{{ end }}".repeat(n));
        assert_eq!(render(&ifs(900), V), "x");
        assert!(render(&ifs(20_000), V).starts_with("PARSE"));
    }

    /// Random token soup must parse or fail cleanly, and execute or fail cleanly.
    #[test]
    fn random_templates_never_panic() {
        const PIECES: &[&str] = &[
            "{{", "}}", "{{-", "-}}", " ", "\n", ".", ".Values", ".a", "$", "$x", ":=", "=", "|",
            "(", ")", "\"s\"", "`r`", "'c'", "1", "-2", "1.5", "0x1F", "1i", "nil", "true", "if",
            "else", "end", "range", "with", "define", "template", "block", "break", "continue",
            "and", "or", "not", "len", "index", "print", "printf", "eq", "lt", "include", "tpl",
            "required", "fail", "list", "dict", "set", "default", "toYaml", "/*", "*/", ",", "é",
            "-",
        ];
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..3000 {
            let len = (next() % 24) as usize;
            let src: String = (0..len)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect::<Vec<_>>()
                .join(if next() % 2 == 0 { " " } else { "" });
            let _ = render(&src, V);
        }
    }

    #[test]
    fn template_recursion_is_an_error() {
        let out = render(
            "{{ define \"r2\" }}{{ template \"r2\" . }}{{ end }}{{ template \"r2\" . }}",
            V,
        );
        assert_eq!(
            out,
            "ERR template: t:1:29: executing \"r2\" at <{{template \"r2\" .}}>: exceeded maximum template depth (100000)"
        );
    }

    #[test]
    fn tpl_and_required() {
        assert_eq!(
            render("{{ tpl \"{{ .Values.s }}-{{ .Values.nope }}\" . }}", V),
            "str-"
        );
        assert_eq!(
            render("{{ tpl \"{{ .Values.x.y.z }}\" . }}", V),
            "ERR template: t:1:3: executing \"t\" at <tpl \"{{ .Values.x.y.z }}\" .>: error calling tpl: error during tpl function execution for \"{{ .Values.x.y.z }}\": template: gotpl:1:10: executing \"gotpl\" at <.Values.x.y.z>: nil pointer evaluating interface {}.y"
        );
        assert_eq!(render("{{ required \"m\" 0 }}", V), "0");
        assert_eq!(
            render("{{ required \"need s\" .Values.nope }}", V),
            "ERR template: t:1:3: executing \"t\" at <required \"need s\" .Values.nope>: error calling required: HELM_ERR_STARTneed sHELM_ERR_END"
        );
    }

    #[test]
    fn map_mutation_is_shared() {
        assert_eq!(
            render("{{ $d := dict }}{{ $_ := set $d \"a\" 1 }}{{ $d }}", V),
            "map[a:1]"
        );
        assert_eq!(
            render(
                "{{ $d := dict \"x\" (dict) }}{{ $e := $d.x }}{{ $_ := set $e \"k\" 2 }}{{ $d }}|{{ list $d }}",
                V
            ),
            "map[x:map[k:2]]|[map[x:map[k:2]]]"
        );
        assert_eq!(
            render(
                "{{ $_ := set .Values.m \"z\" 9 }}{{ $.Values.m.z }}|{{ .Values.m }}|{{ toString .Values.m.z }}",
                V
            ),
            "9|map[a:1 b:map[c:2] z:9]|9"
        );
        assert_eq!(
            render(
                "{{ $c := deepCopy .Values.m }}{{ $_ := set $c \"z\" 3 }}{{ .Values.m }}|{{ $c.z }}",
                V
            ),
            "map[a:1 b:map[c:2]]|3"
        );
    }

    #[test]
    fn argument_errors_point_at_the_argument() {
        assert_eq!(
            render("{{ indent 2 5 }}", V),
            "ERR template: t:1:12: executing \"t\" at <5>: expected string; found 5"
        );
        assert_eq!(
            render("{{ trunc \"2\" \"x\" }}", V),
            "ERR template: t:1:9: executing \"t\" at <\"2\">: expected integer; found \"2\""
        );
        assert_eq!(render("{{ trunc 2.0 \"abc\" }}", V), "ab");
        assert_eq!(
            render("{{ trunc .Values.f \"x\" }}", V),
            "ERR template: t:1:16: executing \"t\" at <.Values.f>: wrong type for value; expected int; got float64"
        );
        assert_eq!(
            render("{{ until .Values.nope }}", V),
            "ERR template: t:1:16: executing \"t\" at <.Values.nope>: wrong type for value; expected int; got interface {}"
        );
        assert_eq!(
            render("{{ $x := .Values.nope }}{{ until $x }}", V),
            "ERR template: t:1:33: executing \"t\" at <$x>: invalid value; expected int"
        );
        assert_eq!(
            render("{{ call \"x\" }}", V),
            "ERR template: t:1:3: executing \"t\" at <call \"x\">: error calling call: non-function \"x\" of type string"
        );
    }

    #[test]
    fn complex_and_hex_float_constants() {
        assert_eq!(
            render("{{ 1i }}|{{ 1+2i }}|{{ typeOf 1i }}|{{ 0x1p-2 }}", V),
            "(0+1i)|(1+2i)|complex128|0.25"
        );
    }

    #[test]
    fn values_methods() {
        assert_eq!(render("{{ .Values.Table \"m.b\" }}", V), "map[c:2]");
        assert_eq!(render("{{ .Values.AsMap.s }}", V), "str");
    }

    #[test]
    fn comparisons_and_args() {
        assert_eq!(
            render(
                "{{ eq 1 2 3 1 }}|{{ eq .Values.nope nil }}|{{ ne 1 2 }}|{{ lt 1 2 }}",
                V
            ),
            "true|true|true|true"
        );
        assert_eq!(
            render("{{ eq .Values.i 3 }}", V),
            "ERR template: t:1:3: executing \"t\" at <eq .Values.i 3>: error calling eq: incompatible types for comparison: float64 and int"
        );
        assert_eq!(
            render("{{ printf 1 }}", V),
            "ERR template: t:1:10: executing \"t\" at <1>: expected string; found 1"
        );
        assert_eq!(
            render("{{ index .Values.l 1.0 }}", V),
            "ERR template: t:1:3: executing \"t\" at <index .Values.l 1.0>: error calling index: cannot index slice/array with type float64"
        );
    }
}
