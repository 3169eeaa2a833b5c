//! Parse trees of Go templates, with byte positions, printing back as Go source.
//!
//! Mirrors `text/template/parse/node.go`: Helm's error messages quote the failing node as
//! Go prints it (`at <.Values.a.b>`, `at <include "x" .>`, `at <{{template "r" .}}>`), so
//! `Display` reproduces Go's `String()` of each node exactly. Positions are byte offsets
//! into the template source; [`line_col`] turns them into Go's `line:col` only when an
//! error is reported.

use std::fmt::{self, Write as _};
use std::sync::Arc;

use super::lexer::go_quote;

/// Byte offset into the template source.
pub type Pos = u32;

/// One parsed template: a file's main body or a `define`/`block`.
#[derive(Debug)]
pub struct Tree {
    /// The template name (`c/templates/x.yaml`, or the `define`d name).
    pub name: String,
    /// The file the tree was parsed from (Go's `ParseName`), for error locations.
    pub parse_name: Arc<str>,
    /// The whole source of that file, for line/column computation.
    pub source: Arc<str>,
    pub root: List,
}

impl Tree {
    /// Go's `ErrorContext`: `file:line:col` (col is the 0-based byte offset in the line)
    /// and the node printed as source.
    pub fn location(&self, pos: Pos) -> String {
        let (line, col) = line_col(&self.source, pos);
        format!("{}:{}:{}", self.parse_name, line, col)
    }
}

/// Line (1-based) and byte column (0-based, as Go prints it) of `pos` in `src`.
pub fn line_col(src: &str, pos: Pos) -> (usize, usize) {
    let pos = (pos as usize).min(src.len());
    let before = &src.as_bytes()[..pos];
    let line = 1 + before.iter().filter(|c| **c == b'\n').count();
    let col = match before.iter().rposition(|c| *c == b'\n') {
        Some(nl) => pos - nl - 1,
        None => pos,
    };
    (line, col)
}

/// Go's `IsEmptyTree`: only whitespace text and comments.
pub fn is_empty_tree(list: &List) -> bool {
    list.nodes.iter().all(|n| match n {
        Node::Text(t) => t.text.trim_ascii().is_empty(),
        Node::Comment(_) => true,
        _ => false,
    })
}

#[derive(Debug, Default)]
pub struct List {
    pub pos: Pos,
    pub nodes: Vec<Node>,
}

#[derive(Debug)]
pub enum Node {
    Text(Text),
    Comment(Comment),
    Action(Action),
    // Boxed: control nodes are several times the size of text and actions, and every
    // node of a list is as large as the largest variant.
    If(Box<Branch>),
    Range(Box<Branch>),
    With(Box<Branch>),
    Template(Box<TemplateCall>),
    Break(Pos),
    Continue(Pos),
}

#[derive(Debug)]
pub struct Text {
    pub pos: Pos,
    pub text: SourceSlice,
}

/// A piece of a template's source, shared rather than copied: text between actions is
/// most of a chart's template bytes, and names (functions, fields, variables) and string
/// literals are slices too, so a parse allocates no string of its own for them.
#[derive(Clone, Debug)]
pub struct SourceSlice {
    source: Arc<str>,
    start: u32,
    end: u32,
}

impl SourceSlice {
    /// `source[start..end]`; the range must lie on character boundaries.
    pub fn new(source: &Arc<str>, start: u32, end: u32) -> SourceSlice {
        debug_assert!(source.is_char_boundary(start as usize));
        debug_assert!(source.is_char_boundary(end as usize));
        SourceSlice {
            source: source.clone(),
            start,
            end,
        }
    }
}

impl fmt::Display for SourceSlice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl std::ops::Deref for SourceSlice {
    type Target = str;
    fn deref(&self) -> &str {
        &self.source[self.start as usize..self.end as usize]
    }
}

#[derive(Debug)]
pub struct Comment {
    pub pos: Pos,
    pub text: Box<str>,
}

/// `{{ pipeline }}`.
#[derive(Debug)]
pub struct Action {
    pub pos: Pos,
    pub pipe: Pipe,
}

/// `if`, `range` and `with`: a pipeline, a body and an optional else body.
#[derive(Debug)]
pub struct Branch {
    pub pos: Pos,
    pub pipe: Pipe,
    pub list: List,
    pub else_list: Option<List>,
}

/// `{{template "name" pipeline}}` (also what a `block` leaves in place).
#[derive(Debug)]
pub struct TemplateCall {
    pub pos: Pos,
    pub name: String,
    pub pipe: Option<Pipe>,
}

/// Commands separated by `|`, optionally declaring or assigning variables.
#[derive(Debug, Default)]
pub struct Pipe {
    pub pos: Pos,
    pub is_assign: bool,
    pub decl: Vec<Variable>,
    pub cmds: Vec<Command>,
}

#[derive(Debug)]
pub struct Command {
    pub pos: Pos,
    pub args: Vec<Operand>,
}

/// `$x` or `$x.A.B`: the variable name first, then fields.
#[derive(Debug, Clone)]
pub struct Variable {
    pub pos: Pos,
    pub path: Dotted,
}

impl Variable {
    /// The variable's name (`$x`), without the fields after it.
    pub fn name(&self) -> &str {
        self.path.first()
    }

    /// Whether fields follow the name (`$x.A`).
    pub fn has_fields(&self) -> bool {
        !self.path.is_single()
    }
}

/// Names joined by dots, as written: `.A.B` (a field), `$x.A.B` (a variable and its
/// fields), `.B.C` (the fields after a chain's term). Field names cannot contain a dot,
/// so one slice of the source holds them all, with no list per operand: field and
/// variable operands are most of a template's actions. Where the first dots between
/// names are is worked out once here, not at every evaluation.
#[derive(Debug, Clone)]
pub struct Dotted {
    text: SourceSlice,
    /// Byte offsets into [`Dotted::names`] of its first four dots, one per byte from
    /// the lowest (0: no more dots; a name is never empty, so no dot is at 0), or
    /// [`MANY_DOTS`] when there are more dots or one lies beyond 255.
    dots: u32,
}

/// [`Dotted::dots`] when the dots are found by scanning.
const MANY_DOTS: u32 = u32::MAX;

impl Dotted {
    /// One name: a field token (`.A`) or a variable (`$x`).
    pub fn single(text: SourceSlice) -> Dotted {
        Dotted { text, dots: 0 }
    }

    /// Names whose dots (besides a leading one) are at the source positions `dots`,
    /// `text` starting at `start`: the parser knows them from the field tokens.
    pub fn joined(text: SourceSlice, start: u32, dots: impl Iterator<Item = u32>) -> Dotted {
        // Offsets count from the first name, after a leading dot.
        let names_start = start + u32::from(text.starts_with('.'));
        let mut packed = 0u32;
        for (i, at) in dots.enumerate() {
            let offset = at - names_start;
            if i == 4 || offset > 255 {
                packed = MANY_DOTS;
                break;
            }
            packed |= offset << (8 * i);
        }
        Dotted { text, dots: packed }
    }

    /// The names without the leading dot: `A.B` of `.A.B` (a variable keeps its `$`).
    fn names(&self) -> &str {
        let text: &str = &self.text;
        match text.as_bytes().first() {
            Some(b'.') => &text[1..],
            _ => text,
        }
    }

    /// The first name: `A` of `.A.B`, `$x` of `$x.A`. (The same as `each_name().next()`,
    /// written out: every variable read asks for it, and going through the iterator cost
    /// heat-default 0.7 % more instructions.)
    pub fn first(&self) -> &str {
        let names = self.names();
        let end = match self.dots {
            0 => names.len(),
            MANY_DOTS => names.bytes().position(|b| b == b'.').unwrap_or(names.len()),
            packed => (packed & 0xff) as usize,
        };
        &names[..end]
    }

    /// Whether there is only one name.
    pub fn is_single(&self) -> bool {
        self.dots == 0
    }

    /// Each name in turn: `A`, `B` of `.A.B`; `$x`, `A` of `$x.A`.
    pub fn each_name(&self) -> DottedNames<'_> {
        DottedNames {
            rest: self.names(),
            taken: 0,
            dots: self.dots,
        }
    }
}

/// The names of a [`Dotted`], first to last.
pub struct DottedNames<'a> {
    rest: &'a str,
    /// Bytes of the names already passed.
    taken: usize,
    dots: u32,
}

impl<'a> Iterator for DottedNames<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.rest.is_empty() && self.taken > 0 {
            return None;
        }
        let dot = if self.dots == MANY_DOTS {
            self.rest.bytes().position(|b| b == b'.')
        } else {
            let at = (self.dots & 0xff) as usize;
            self.dots >>= 8;
            (at != 0).then(|| at - self.taken)
        };
        let (name, rest) = match dot {
            Some(at) => (&self.rest[..at], &self.rest[at + 1..]),
            None => (self.rest, ""),
        };
        self.taken += name.len() + 1;
        self.rest = rest;
        Some(name)
    }
}

impl std::ops::Deref for Dotted {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

/// One argument or command word.
#[derive(Debug)]
pub enum Operand {
    /// A function name.
    Identifier {
        pos: Pos,
        name: SourceSlice,
    },
    Dot(Pos),
    Nil(Pos),
    Bool {
        pos: Pos,
        value: bool,
    },
    Number(Box<Number>),
    /// `quoted` is the source text (with quotes), `text` its value.
    String {
        pos: Pos,
        quoted: SourceSlice,
        text: Arc<str>,
    },
    /// `.A.B`, as written.
    Field {
        pos: Pos,
        path: Dotted,
    },
    Variable(Variable),
    /// `(pipe).A.B` or `x.A` after a non-field term.
    Chain {
        pos: Pos,
        node: Box<Operand>,
        fields: Dotted,
    },
    /// A parenthesised pipeline.
    Pipe(Box<Pipe>),
}

impl Operand {
    pub fn pos(&self) -> Pos {
        match self {
            Operand::Identifier { pos, .. }
            | Operand::Dot(pos)
            | Operand::Nil(pos)
            | Operand::Bool { pos, .. }
            | Operand::String { pos, .. }
            | Operand::Field { pos, .. }
            | Operand::Chain { pos, .. } => *pos,
            Operand::Number(n) => n.pos,
            Operand::Variable(v) => v.pos,
            Operand::Pipe(p) => p.pos,
        }
    }

    /// A literal that cannot start a later pipeline stage (Go's `checkPipeline`).
    pub fn is_literal(&self) -> bool {
        matches!(
            self,
            Operand::Bool { .. }
                | Operand::Dot(_)
                | Operand::Nil(_)
                | Operand::Number(_)
                | Operand::String { .. }
        )
    }
}

/// A number constant with every interpretation Go's `parse.NumberNode` allows.
#[derive(Debug, Clone, Default)]
pub struct Number {
    pub pos: Pos,
    pub text: Box<str>,
    pub is_int: bool,
    pub is_uint: bool,
    pub is_float: bool,
    pub is_complex: bool,
    pub int: i64,
    pub uint: u64,
    pub float: f64,
    /// The imaginary part of a complex constant (its real part is `float`).
    pub imag: f64,
    /// `'x'` syntax (prints as its integer value).
    pub is_char: bool,
}

impl fmt::Display for List {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for n in &self.nodes {
            write!(f, "{n}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Text(t) => f.write_str(&t.text),
            Node::Comment(c) => f.write_str(&c.text),
            Node::Action(a) => write!(f, "{{{{{}}}}}", a.pipe),
            Node::If(b) => write_branch(f, "if", b),
            Node::Range(b) => write_branch(f, "range", b),
            Node::With(b) => write_branch(f, "with", b),
            Node::Template(t) => write!(f, "{t}"),
            Node::Break(_) => f.write_str("{{break}}"),
            Node::Continue(_) => f.write_str("{{continue}}"),
        }
    }
}

fn write_branch(f: &mut fmt::Formatter<'_>, kw: &str, b: &Branch) -> fmt::Result {
    write!(f, "{{{{{kw} {}}}}}{}", b.pipe, b.list)?;
    if let Some(e) = &b.else_list {
        write!(f, "{{{{else}}}}{e}")?;
    }
    f.write_str("{{end}}")
}

impl fmt::Display for TemplateCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.pipe {
            Some(p) => write!(f, "{{{{template {} {p}}}}}", go_quote(&self.name)),
            None => write!(f, "{{{{template {}}}}}", go_quote(&self.name)),
        }
    }
}

impl fmt::Display for Pipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            for (i, v) in self.decl.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{v}")?;
            }
            f.write_str(if self.is_assign { " = " } else { " := " })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_char(' ')?;
            }
            match a {
                Operand::Pipe(p) => write!(f, "({p})")?,
                a => write!(f, "{a}")?,
            }
        }
        Ok(())
    }
}

impl fmt::Display for Variable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path)
    }
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Operand::Identifier { name, .. } => f.write_str(name),
            Operand::Dot(_) => f.write_char('.'),
            Operand::Nil(_) => f.write_str("nil"),
            Operand::Bool { value, .. } => write!(f, "{value}"),
            Operand::Number(n) => f.write_str(&n.text),
            Operand::String { quoted, .. } => f.write_str(quoted),
            Operand::Field { path, .. } => f.write_str(path),
            Operand::Variable(v) => write!(f, "{v}"),
            Operand::Chain { node, fields, .. } => {
                match node.as_ref() {
                    Operand::Pipe(p) => write!(f, "({p})")?,
                    n => write!(f, "{n}")?,
                }
                f.write_str(fields)
            }
            Operand::Pipe(p) => write!(f, "{p}"),
        }
    }
}

// Trees nest as deep as the template does; dropping them recursively could exhaust the
// stack, so the recursive owners grow it on demand (see `parser::MAX_NESTING`).
impl Drop for Pipe {
    fn drop(&mut self) {
        let cmds = std::mem::take(&mut self.cmds);
        crate::stack::maybe_grow(64 * 1024, 1 << 20, move || drop(cmds));
    }
}

impl Drop for Branch {
    fn drop(&mut self) {
        let list = std::mem::take(&mut self.list);
        let else_list = self.else_list.take();
        crate::stack::maybe_grow(64 * 1024, 1 << 20, move || drop((list, else_list)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_of(text: &str) -> Vec<String> {
        let source: Arc<str> = Arc::from(text);
        let skip = usize::from(text.starts_with('.'));
        let dots = text
            .match_indices('.')
            .map(|(at, _)| at as u32)
            .filter(|&at| at as usize >= skip);
        let dotted = Dotted::joined(SourceSlice::new(&source, 0, text.len() as u32), 0, dots);
        assert_eq!(&*dotted, text, "a dotted path prints as written");
        let names: Vec<String> = dotted.each_name().map(str::to_string).collect();
        assert_eq!(dotted.first(), names[0]);
        assert_eq!(dotted.is_single(), names.len() == 1);
        names
    }

    #[test]
    fn dotted_paths_give_their_names_in_order() {
        assert_eq!(names_of(".Values"), ["Values"]);
        assert_eq!(names_of(".Values.image.tag"), ["Values", "image", "tag"]);
        assert_eq!(names_of("$"), ["$"]);
        assert_eq!(names_of("$.Values.a"), ["$", "Values", "a"]);
        assert_eq!(names_of("$envAll.Values"), ["$envAll", "Values"]);
        // More dots than the four remembered, and a dot beyond byte 255: scanned.
        assert_eq!(names_of(".a.b.c.d.e.f"), ["a", "b", "c", "d", "e", "f"]);
        let long = format!(".{}.x.y", "n".repeat(300));
        assert_eq!(names_of(&long), ["n".repeat(300).as_str(), "x", "y"]);
        let near = format!(".{}.x", "n".repeat(254));
        assert_eq!(names_of(&near), ["n".repeat(254).as_str(), "x"]);
    }
}
