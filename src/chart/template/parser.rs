//! Go `text/template` parser: tokens → [`Tree`]s (a file's body plus its `define`s).
//!
//! Mirrors `text/template/parse/parse.go` (Go 1.25), including its error messages, which
//! Helm shows as `parse error at (<file>:<line>): <message>`: undefined functions and
//! variables, `{{break}}` outside `{{range}}`, `else with` chains, pipelines whose later
//! stages start with a literal, multiple definitions of one name in a file.

use std::sync::Arc;

use super::ast::*;
use super::lexer::{Keyword, Kind, Lexer, Token};

/// A parse failure, displayed as Go prints it: `template: <file>:<line>: <message>`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("template: {parse_name}:{line}: {message}")]
pub struct ParseError {
    pub parse_name: String,
    pub line: usize,
    pub message: String,
}

type PResult<T> = Result<T, ParseError>;

/// Parses `source` as the template `name`; returns the file's own tree first, then one tree
/// per `define`/`block`, in source order.
///
/// `has_function` answers whether an identifier names a function (Go checks this at parse
/// time: `function "env" not defined`).
pub fn parse(
    name: &str,
    source: Arc<str>,
    has_function: &dyn Fn(&str) -> bool,
) -> PResult<Vec<Tree>> {
    let Buffers {
        mut tokens,
        mut scratch,
    } = BUFFERS.take();
    tokens.clear();
    scratch.clear();
    // Roughly one token per four bytes of actions; reserving for text too costs only
    // address space, and saves copying the vector as it grows.
    tokens.reserve(source.len() / 4 + 16);
    let mut lexer = Lexer::new(&source);
    for t in lexer.by_ref() {
        if t.kind != Kind::Comment {
            tokens.push(t);
        }
    }
    let lex_error = lexer.error_message().map(str::to_string);
    let mut p = Parser {
        src: source.clone(),
        name: Arc::from(name),
        tokens,
        lex_error,
        i: 0,
        last: 0,
        vars: vec!["$".into()],
        range_depth: 0,
        depth: 0,
        action_start: None,
        has_function,
        defined: Vec::new(),
        scratch,
    };
    let root = p.parse_top();
    p.scratch.clear();
    BUFFERS.set(Buffers {
        tokens: std::mem::take(&mut p.tokens),
        scratch: std::mem::take(&mut p.scratch),
    });
    let root = root?;
    let main = Tree {
        name: name.to_string(),
        parse_name: p.name.clone(),
        source: source.clone(),
        root,
    };
    let mut trees = vec![main];
    trees.append(&mut p.defined);
    Ok(trees)
}

struct Parser<'f> {
    src: Arc<str>,
    name: Arc<str>,
    tokens: Vec<Token>,
    /// Go's message for a trailing `Kind::Error` token.
    lex_error: Option<String>,
    i: usize,
    /// Start of the token read last (Go reports the line of its newest token).
    last: u32,
    vars: Vec<Box<str>>,
    range_depth: usize,
    /// Nesting of parentheses and control structures (bounded, see [`MAX_NESTING`]).
    depth: usize,
    /// Where the action being parsed starts; its line is computed only for an error
    /// (counting lines on every action made parsing quadratic in the template size).
    action_start: Option<u32>,
    has_function: &'f dyn Fn(&str) -> bool,
    defined: Vec<Tree>,
    /// Work stacks for the lists being built (nested lists push above their parent's
    /// items and take theirs off before the parent goes on), so each finished list is
    /// allocated once at its exact length instead of growing (a `Vec`'s first push
    /// reserves four: most commands have one or two operands).
    scratch: Scratch,
}

#[derive(Default)]
struct Scratch {
    nodes: Vec<Node>,
    commands: Vec<Command>,
    operands: Vec<Operand>,
}

impl Scratch {
    /// Drops what a failed parse left on the stacks.
    fn clear(&mut self) {
        self.nodes.clear();
        self.commands.clear();
        self.operands.clear();
    }
}

/// A parser's token list and work stacks, kept between parses on a thread: a chart's files
/// and every `tpl` call parse one after another, and fresh buffers for each meant fresh
/// memory (which the kernel zeroes) for each.
#[derive(Default)]
struct Buffers {
    tokens: Vec<Token>,
    scratch: Scratch,
}

thread_local! {
    static BUFFERS: std::cell::Cell<Buffers> = std::cell::Cell::default();
}

/// The items pushed on `stack` since it was `start` long, as an exactly sized list.
fn take_from<T>(stack: &mut Vec<T>, start: usize) -> Vec<T> {
    stack.drain(start..).collect()
}

/// Deepest nesting of parentheses and `if`/`range`/`with` accepted. Go has no limit, but
/// recursion over deeper trees (parsing, executing, dropping) would exhaust the stack;
/// real templates nest a few levels.
pub const MAX_NESTING: usize = 1000;

impl Parser<'_> {
    fn enter(&mut self) -> PResult<()> {
        if self.depth >= MAX_NESTING {
            return self.error(format!("maximum nesting depth ({MAX_NESTING}) exceeded"));
        }
        self.depth += 1;
        Ok(())
    }

    fn eof(&self) -> Token {
        Token {
            kind: Kind::Eof,
            span: crate::chart::template::lexer::Span::new(self.src.len(), self.src.len()),
        }
    }

    fn peek(&mut self) -> Token {
        let t = self
            .tokens
            .get(self.i)
            .copied()
            .unwrap_or_else(|| self.eof());
        self.last = t.span.start;
        t
    }

    fn next(&mut self) -> Token {
        let t = self.peek();
        if self.i < self.tokens.len() {
            self.i += 1;
        }
        t
    }

    fn backup(&mut self) {
        self.i = self.i.saturating_sub(1);
    }

    fn next_non_space(&mut self) -> Token {
        loop {
            let t = self.next();
            if t.kind != Kind::Space {
                return t;
            }
        }
    }

    fn peek_non_space(&mut self) -> Token {
        let t = self.next_non_space();
        self.backup();
        t
    }

    fn line_of(&self, pos: u32) -> usize {
        line_col(&self.src, pos).0
    }

    fn error<T>(&self, message: impl Into<String>) -> PResult<T> {
        Err(ParseError {
            parse_name: self.name.to_string(),
            line: self.line_of(self.last),
            message: message.into(),
        })
    }

    fn text(&self, t: &Token) -> String {
        t.text(&self.src).to_string()
    }

    /// Go's `unexpected`: a lexer error is reported as is.
    fn unexpected<T>(&self, t: &Token, context: &str) -> PResult<T> {
        if t.kind == Kind::Error {
            let msg = self.lex_error.as_deref().unwrap_or_default();
            let line = self.line_of(t.span.start);
            let mut extra = String::new();
            let action_line = self.action_start.map_or(0, |p| self.line_of(p));
            if action_line != 0 && action_line != line {
                extra = format!(" in action started at {}:{}", self.name, action_line);
                if msg.ends_with(" action") {
                    extra = extra[" in action".len()..].to_string();
                }
            }
            return self.error(format!("{msg}{extra}"));
        }
        self.error(format!("unexpected {} in {context}", t.describe(&self.src)))
    }

    fn expect(&mut self, kind: Kind, context: &str) -> PResult<Token> {
        let t = self.next_non_space();
        if t.kind != kind {
            return self.unexpected(&t, context);
        }
        Ok(t)
    }

    fn parse_top(&mut self) -> PResult<List> {
        let pos = self.peek().span.start;
        let start = self.scratch.nodes.len();
        while self.peek().kind != Kind::Eof {
            if self.peek().kind == Kind::LeftDelim {
                let save = self.i;
                self.next();
                if self.next_non_space().kind == Kind::Keyword(Keyword::Define) {
                    self.parse_definition()?;
                    continue;
                }
                self.i = save;
            }
            match self.text_or_action()? {
                Item::Node(n) => self.scratch.nodes.push(n),
                Item::End => return self.error("unexpected {{end}}"),
                Item::Else(_) => return self.error("unexpected {{else}}"),
            }
        }
        Ok(List {
            pos,
            nodes: take_from(&mut self.scratch.nodes, start),
        })
    }

    /// Runs `f` as the parse of a new tree (a `define` or `block` body): fresh variables
    /// and range depth, as Go's `startParse` gives each tree.
    fn sub_tree<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        let vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let depth = std::mem::replace(&mut self.range_depth, 0);
        let r = f(self);
        self.vars = vars;
        self.range_depth = depth;
        r
    }

    fn parse_definition(&mut self) -> PResult<()> {
        const CONTEXT: &str = "define clause";
        let t = self.next_non_space();
        if !matches!(t.kind, Kind::String | Kind::RawString) {
            return self.unexpected(&t, CONTEXT);
        }
        let name = self.unquote(&t)?;
        self.expect(Kind::RightDelim, CONTEXT)?;
        let root = self.sub_tree(|p| {
            let (list, end) = p.item_list()?;
            if let Item::Else(_) = end {
                return p.error(format!("unexpected {{{{else}}}} in {CONTEXT}"));
            }
            Ok(list)
        })?;
        self.add_tree(name, root)
    }

    /// Go's `Tree.add`: within one file a name may be defined twice only if one is empty.
    fn add_tree(&mut self, name: String, root: List) -> PResult<()> {
        if let Some(i) = self.defined.iter().position(|t| t.name == name) {
            if is_empty_tree(&self.defined[i].root) {
                self.defined.remove(i);
            } else if !is_empty_tree(&root) {
                return self.error(format!(
                    "template: multiple definition of template {}",
                    go_q(&name)
                ));
            } else {
                return Ok(());
            }
        }
        self.defined.push(Tree {
            name,
            parse_name: self.name.clone(),
            source: self.src.clone(),
            root,
        });
        Ok(())
    }

    fn item_list(&mut self) -> PResult<(List, Item)> {
        let pos = self.peek_non_space().span.start;
        let start = self.scratch.nodes.len();
        while self.peek_non_space().kind != Kind::Eof {
            match self.text_or_action()? {
                Item::Node(n) => self.scratch.nodes.push(n),
                end => {
                    let nodes = take_from(&mut self.scratch.nodes, start);
                    return Ok((List { pos, nodes }, end));
                }
            }
        }
        self.error("unexpected EOF")
    }

    fn text_or_action(&mut self) -> PResult<Item> {
        let t = self.next_non_space();
        match t.kind {
            Kind::Text => Ok(Item::Node(Node::Text(Text {
                pos: t.span.start,
                text: SourceSlice::new(&self.src, t.span.start, t.span.end),
            }))),
            Kind::LeftDelim => {
                self.action_start = Some(t.span.start);
                let r = self.action();
                self.action_start = None;
                r
            }
            _ => self.unexpected(&t, "input"),
        }
    }

    fn action(&mut self) -> PResult<Item> {
        let t = self.next_non_space();
        let node = match t.kind {
            Kind::Keyword(Keyword::Block) => self.block_control()?,
            Kind::Keyword(Keyword::Break) => self.loop_control(t.span.start, "break")?,
            Kind::Keyword(Keyword::Continue) => self.loop_control(t.span.start, "continue")?,
            Kind::Keyword(Keyword::Else) => return self.else_control(),
            Kind::Keyword(Keyword::End) => {
                self.expect(Kind::RightDelim, "end")?;
                return Ok(Item::End);
            }
            Kind::Keyword(Keyword::If) => Node::If(Box::new(self.parse_control("if")?)),
            Kind::Keyword(Keyword::Range) => Node::Range(Box::new(self.parse_control("range")?)),
            Kind::Keyword(Keyword::With) => Node::With(Box::new(self.parse_control("with")?)),
            Kind::Keyword(Keyword::Template) => self.template_control()?,
            _ => {
                self.backup();
                let pos = self.peek().span.start;
                let pipe = self.pipeline("command", Kind::RightDelim)?;
                Node::Action(Action { pos, pipe })
            }
        };
        Ok(Item::Node(node))
    }

    fn loop_control(&mut self, pos: Pos, word: &str) -> PResult<Node> {
        let t = self.next_non_space();
        if t.kind != Kind::RightDelim {
            return self.unexpected(&t, &format!("{{{{{word}}}}}"));
        }
        if self.range_depth == 0 {
            return self.error(format!("{{{{{word}}}}} outside {{{{range}}}}"));
        }
        Ok(if word == "break" {
            Node::Break(pos)
        } else {
            Node::Continue(pos)
        })
    }

    fn else_control(&mut self) -> PResult<Item> {
        let peek = self.peek_non_space();
        if matches!(peek.kind, Kind::Keyword(Keyword::If | Keyword::With)) {
            return Ok(Item::Else(peek.span.start));
        }
        let t = self.expect(Kind::RightDelim, "else")?;
        Ok(Item::Else(t.span.start))
    }

    fn parse_control(&mut self, context: &str) -> PResult<Branch> {
        self.enter()?;
        let mark = self.vars.len();
        let r = crate::stack::maybe_grow(64 * 1024, 1 << 20, || self.parse_control_inner(context));
        self.depth -= 1;
        self.vars.truncate(mark);
        r
    }

    fn parse_control_inner(&mut self, context: &str) -> PResult<Branch> {
        let pipe = self.pipeline(context, Kind::RightDelim)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let body = self.item_list();
        if context == "range" {
            self.range_depth -= 1;
        }
        let (list, next) = body?;
        let mut else_list = None;
        if let Item::Else(else_pos) = next {
            let peek = self.peek_non_space().kind;
            if context == "if" && peek == Kind::Keyword(Keyword::If) {
                self.next_non_space();
                let nested = self.parse_control("if")?;
                else_list = Some(List {
                    pos: else_pos,
                    nodes: vec![Node::If(Box::new(nested))],
                });
            } else if context == "with" && peek == Kind::Keyword(Keyword::With) {
                self.next_non_space();
                let nested = self.parse_control("with")?;
                else_list = Some(List {
                    pos: else_pos,
                    nodes: vec![Node::With(Box::new(nested))],
                });
            } else {
                let (list, next) = self.item_list()?;
                if let Item::Else(_) = next {
                    return self.error("expected end; found {{else}}");
                }
                else_list = Some(list);
            }
        }
        Ok(Branch {
            pos: pipe.pos,
            pipe,
            list,
            else_list,
        })
    }

    fn template_name(&mut self, t: &Token, context: &str) -> PResult<String> {
        match t.kind {
            Kind::String | Kind::RawString => self.unquote(t),
            _ => self.unexpected(t, context),
        }
    }

    fn template_control(&mut self) -> PResult<Node> {
        const CONTEXT: &str = "template clause";
        let t = self.next_non_space();
        let name = self.template_name(&t, CONTEXT)?;
        let mut pipe = None;
        if self.next_non_space().kind != Kind::RightDelim {
            self.backup();
            pipe = Some(self.pipeline(CONTEXT, Kind::RightDelim)?);
        }
        Ok(Node::Template(Box::new(TemplateCall {
            pos: t.span.start,
            name,
            pipe,
        })))
    }

    fn block_control(&mut self) -> PResult<Node> {
        const CONTEXT: &str = "block clause";
        let t = self.next_non_space();
        let name = self.template_name(&t, CONTEXT)?;
        let pipe = self.pipeline(CONTEXT, Kind::RightDelim)?;
        let root = self.sub_tree(|p| {
            let (list, end) = p.item_list()?;
            if let Item::Else(_) = end {
                return p.error(format!("unexpected {{{{else}}}} in {CONTEXT}"));
            }
            Ok(list)
        })?;
        self.add_tree(name.clone(), root)?;
        Ok(Node::Template(Box::new(TemplateCall {
            pos: t.span.start,
            name,
            pipe: Some(pipe),
        })))
    }

    fn pipeline(&mut self, context: &str, end: Kind) -> PResult<Pipe> {
        let first = self.peek_non_space();
        let mut pipe = Pipe::default();
        pipe.pos = first.span.start;
        // Declarations: `$x :=`, `$x =`, `$i, $v :=` (range only).
        loop {
            let v = self.peek_non_space();
            if v.kind != Kind::Variable {
                break;
            }
            let save = self.i;
            self.next_non_space();
            let after = self.peek();
            let next = self.peek_non_space();
            let is_comma = next.kind == Kind::Char && next.text(&self.src) == ",";
            if matches!(next.kind, Kind::Assign | Kind::Declare) {
                pipe.is_assign = next.kind == Kind::Assign;
                self.next_non_space();
                pipe.decl.push(Variable {
                    pos: v.span.start,
                    path: Dotted::single(self.slice(&v, 0)),
                });
                self.vars.push(self.text(&v).into());
                break;
            } else if is_comma {
                self.next_non_space();
                pipe.decl.push(Variable {
                    pos: v.span.start,
                    path: Dotted::single(self.slice(&v, 0)),
                });
                self.vars.push(self.text(&v).into());
                if context == "range" && pipe.decl.len() < 2 {
                    match self.peek_non_space().kind {
                        Kind::Variable | Kind::RightDelim | Kind::RightParen => continue,
                        _ => return self.error("range can only initialize variables"),
                    }
                }
                return self.error(format!("too many declarations in {context}"));
            } else {
                let _ = after;
                self.i = save;
                break;
            }
        }
        let start = self.scratch.commands.len();
        loop {
            let t = self.next_non_space();
            if t.kind == end {
                pipe.cmds = take_from(&mut self.scratch.commands, start);
                self.check_pipeline(&pipe, context)?;
                return Ok(pipe);
            }
            match t.kind {
                Kind::Bool
                | Kind::CharConstant
                | Kind::Complex
                | Kind::Dot
                | Kind::Field
                | Kind::Identifier
                | Kind::Number
                | Kind::Keyword(Keyword::Nil)
                | Kind::RawString
                | Kind::String
                | Kind::Variable
                | Kind::LeftParen => {
                    self.backup();
                    let cmd = self.command()?;
                    self.scratch.commands.push(cmd);
                }
                _ => return self.unexpected(&t, context),
            }
        }
    }

    fn check_pipeline(&self, pipe: &Pipe, context: &str) -> PResult<()> {
        if pipe.cmds.is_empty() {
            return self.error(format!("missing value for {context}"));
        }
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if c.args.first().is_some_and(Operand::is_literal) {
                return self.error(format!(
                    "non executable command in pipeline stage {}",
                    i + 1
                ));
            }
        }
        Ok(())
    }

    fn command(&mut self) -> PResult<Command> {
        let pos = self.peek_non_space().span.start;
        let start = self.scratch.operands.len();
        loop {
            self.peek_non_space();
            if let Some(op) = self.operand()? {
                self.scratch.operands.push(op);
            }
            let t = self.next();
            match t.kind {
                Kind::Space => continue,
                Kind::RightDelim | Kind::RightParen => self.backup(),
                Kind::Pipe => {}
                _ => return self.unexpected(&t, "operand"),
            }
            break;
        }
        let args = take_from(&mut self.scratch.operands, start);
        if args.is_empty() {
            return self.error("empty command");
        }
        Ok(Command { pos, args })
    }

    fn operand(&mut self) -> PResult<Option<Operand>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if self.peek().kind != Kind::Field {
            return Ok(Some(node));
        }
        let chain_pos = self.peek().span.start;
        // The field tokens that follow are adjacent in the source: `.A.B` is one slice,
        // each token's start one of its dots.
        let first_field = self.i;
        let mut fields_end = chain_pos;
        while self.peek().kind == Kind::Field {
            fields_end = self.next().span.end;
        }
        // The path from `start` to the last field; its dots after the first `skip` field
        // tokens (a chain's fields start with their own leading dot) separate names.
        let path_from = |start: u32, skip: usize| {
            let dots = self.tokens[first_field + skip..self.i].iter();
            let text = SourceSlice::new(&self.src, start, fields_end);
            Dotted::joined(text, start, dots.map(|t| t.span.start))
        };
        // Go folds fields onto a field or variable term (the node then takes the position
        // of the first added field), keeps a chain for anything else and rejects literals.
        // (The term before them ends where they start.)
        let extended = |path: &Dotted| path_from(chain_pos - path.len() as u32, 0);
        Ok(Some(match node {
            Operand::Field { path, .. } => Operand::Field {
                pos: chain_pos,
                path: extended(&path),
            },
            Operand::Variable(mut v) => {
                v.path = extended(&v.path);
                v.pos = chain_pos;
                Operand::Variable(v)
            }
            n @ (Operand::Bool { .. }
            | Operand::String { .. }
            | Operand::Number(_)
            | Operand::Nil(_)
            | Operand::Dot(_)) => {
                return self.error(format!("unexpected . after term {}", go_q(&n.to_string())));
            }
            n => Operand::Chain {
                pos: chain_pos,
                node: Box::new(n),
                fields: path_from(chain_pos, 1),
            },
        }))
    }

    fn term(&mut self) -> PResult<Option<Operand>> {
        let t = self.next_non_space();
        let pos = t.span.start;
        Ok(Some(match t.kind {
            Kind::Identifier => {
                let name = t.text(&self.src);
                if !(self.has_function)(name) {
                    return self.error(format!("function {} not defined", go_q(name)));
                }
                Operand::Identifier {
                    pos,
                    name: self.slice(&t, 0),
                }
            }
            Kind::Dot => Operand::Dot(pos),
            Kind::Keyword(Keyword::Nil) => Operand::Nil(pos),
            Kind::Variable => {
                let name = t.text(&self.src);
                if !self.vars.iter().any(|v| &**v == name) {
                    return self.error(format!("undefined variable {}", go_q(name)));
                }
                Operand::Variable(Variable {
                    pos,
                    path: Dotted::single(self.slice(&t, 0)),
                })
            }
            Kind::Field => Operand::Field {
                pos,
                path: Dotted::single(self.slice(&t, 0)),
            },
            Kind::Bool => Operand::Bool {
                pos,
                value: t.text(&self.src) == "true",
            },
            Kind::CharConstant | Kind::Complex | Kind::Number => {
                Operand::Number(Box::new(self.number(&t)?))
            }
            // Nesting depth is the user's: grow the stack instead of overflowing it.
            Kind::LeftParen => {
                self.enter()?;
                let pipe = crate::stack::maybe_grow(64 * 1024, 1 << 20, || {
                    self.pipeline("parenthesized pipeline", Kind::RightParen)
                });
                self.depth -= 1;
                Operand::Pipe(Box::new(pipe?))
            }
            Kind::String | Kind::RawString => Operand::String {
                pos,
                quoted: self.slice(&t, 0),
                text: self.literal_text(&t)?,
            },
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }

    /// The token's source text without its first `skip` bytes (a field's `.`), shared.
    fn slice(&self, t: &Token, skip: u32) -> SourceSlice {
        SourceSlice::new(&self.src, t.span.start + skip, t.span.end)
    }

    /// A string literal's value. Most have no escapes (and raw ones no carriage return),
    /// so their value is the text between the quotes, taken without unquoting.
    fn literal_text(&self, t: &Token) -> PResult<Arc<str>> {
        let quoted = t.text(&self.src);
        if let [open @ (b'"' | b'`'), inner @ .., close] = quoted.as_bytes()
            && open == close
            && !inner.contains(if *open == b'`' { &b'\r' } else { &b'\\' })
        {
            // Both quotes are ASCII, so the text between them is whole characters.
            return Ok(Arc::from(&quoted[1..quoted.len() - 1]));
        }
        Ok(self.unquote(t)?.into())
    }

    fn unquote(&self, t: &Token) -> PResult<String> {
        let text = t.text(&self.src);
        match unquote(text) {
            Some(s) => Ok(s),
            None => self.error("invalid syntax"),
        }
    }

    fn number(&self, t: &Token) -> PResult<Number> {
        let text = t.text(&self.src);
        match parse_number(text, t.kind == Kind::CharConstant) {
            Ok(mut n) => {
                n.pos = t.span.start;
                Ok(n)
            }
            Err(msg) => self.error(msg),
        }
    }
}

/// What `text_or_action` found: a node, or the `{{end}}`/`{{else}}` closing a list.
enum Item {
    Node(Node),
    End,
    Else(Pos),
}

fn go_q(s: &str) -> String {
    super::lexer::go_quote(s)
}

/// Go's `strconv.Unquote` for `"..."`, `` `...` `` and `'x'` literals; `None` = invalid syntax.
pub fn unquote(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    if bytes.len() < 2 {
        return None;
    }
    let quote = bytes[0];
    if bytes[bytes.len() - 1] != quote {
        return None;
    }
    let inner = &text[1..text.len() - 1];
    match quote {
        b'`' => {
            if inner.contains('`') {
                return None;
            }
            Some(inner.replace('\r', ""))
        }
        b'"' | b'\'' => {
            let mut out: Vec<u8> = Vec::with_capacity(inner.len());
            let mut rest = inner;
            while !rest.is_empty() {
                let (piece, tail) = unquote_char(rest, quote)?;
                match piece {
                    Piece::Char(c) => {
                        let mut buf = [0u8; 4];
                        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    }
                    Piece::Byte(b) => out.push(b),
                }
                rest = tail;
                if quote == b'\'' && !rest.is_empty() {
                    return None;
                }
            }
            if quote == b'\'' && out.is_empty() {
                return None;
            }
            Some(
                String::from_utf8(out)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            )
        }
        _ => None,
    }
}

enum Piece {
    Char(char),
    Byte(u8),
}

/// Go's `strconv.UnquoteChar`: one (possibly escaped) character of a quoted literal.
fn unquote_char(s: &str, quote: u8) -> Option<(Piece, &str)> {
    let mut chars = s.chars();
    let c = chars.next()?;
    if c as u32 == quote as u32 && (quote == b'\'' || quote == b'"') {
        return None;
    }
    if c != '\\' {
        if c == '\n' {
            return None;
        }
        return Some((Piece::Char(c), chars.as_str()));
    }
    let e = chars.next()?;
    let rest = chars.as_str();
    let simple = match e {
        'a' => Some('\x07'),
        'b' => Some('\x08'),
        'f' => Some('\x0c'),
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        'v' => Some('\x0b'),
        '\\' => Some('\\'),
        '\'' | '"' => {
            if e as u32 != quote as u32 {
                return None;
            }
            Some(e)
        }
        _ => None,
    };
    if let Some(c) = simple {
        return Some((Piece::Char(c), rest));
    }
    match e {
        'x' | 'u' | 'U' => {
            let n = match e {
                'x' => 2,
                'u' => 4,
                _ => 8,
            };
            let digits = rest.get(..n)?;
            let v = u32::from_str_radix(digits, 16).ok()?;
            if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            let tail = &rest[n..];
            if e == 'x' {
                return Some((
                    if v < 0x80 {
                        Piece::Char(v as u8 as char)
                    } else {
                        Piece::Byte(v as u8)
                    },
                    tail,
                ));
            }
            Some((Piece::Char(char::from_u32(v)?), tail))
        }
        '0'..='7' => {
            let digits = s.get(1..4)?;
            if !digits.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
                return None;
            }
            let v = u32::from_str_radix(digits, 8).ok()?;
            if v > 255 {
                return None;
            }
            Some((
                if v < 0x80 {
                    Piece::Char(v as u8 as char)
                } else {
                    Piece::Byte(v as u8)
                },
                &s[4..],
            ))
        }
        _ => None,
    }
}

/// Go's `parse.newNumber`: every type the literal can take.
pub fn parse_number(text: &str, is_char: bool) -> Result<Number, String> {
    let mut n = Number {
        text: text.into(),
        ..Number::default()
    };
    if is_char {
        let s = unquote(text).ok_or_else(|| format!("malformed character constant: {text}"))?;
        let mut cs = s.chars();
        let c = cs
            .next()
            .ok_or_else(|| format!("malformed character constant: {text}"))?;
        n.is_char = true;
        n.is_int = true;
        n.is_uint = true;
        n.is_float = true;
        n.int = c as i64;
        n.uint = c as u64;
        n.float = c as u32 as f64;
        return Ok(n);
    }
    if let Some(body) = text.strip_suffix('i') {
        // `1i` or `1+2i`: split the real part off at the last sign not in an exponent.
        let split = body
            .char_indices()
            .filter(|&(i, c)| i > 0 && (c == '+' || c == '-'))
            .filter(|&(i, _)| !matches!(body.as_bytes()[i - 1], b'e' | b'E' | b'p' | b'P'))
            .map(|(i, _)| i)
            .next_back();
        let (re, im) = match split {
            Some(i) => (parse_go_float(&body[..i]), parse_go_float(&body[i..])),
            None => (Some(0.0), parse_go_float(body)),
        };
        if let (Some(re), Some(im)) = (re, im) {
            n.is_complex = true;
            n.float = re;
            n.imag = im;
            return Ok(n);
        }
    }
    let u = parse_go_uint(text);
    let i = parse_go_int(text);
    if let Some(u) = u {
        n.is_uint = true;
        n.uint = u;
    }
    if let Some(i) = i {
        n.is_int = true;
        n.int = i;
        if i == 0 {
            n.is_uint = true;
            n.uint = 0;
        }
    }
    if n.is_int {
        n.is_float = true;
        n.float = n.int as f64;
    } else if n.is_uint {
        n.is_float = true;
        n.float = n.uint as f64;
    } else if let Some(f) = parse_go_float(text) {
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!("integer overflow: {}", go_q(text)));
        }
        n.is_float = true;
        n.float = f;
        if f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64 {
            n.is_int = true;
            n.int = f as i64;
        }
        if f.fract() == 0.0 && f >= 0.0 && f < u64::MAX as f64 {
            n.is_uint = true;
            n.uint = f as u64;
        }
    }
    if !n.is_int && !n.is_uint && !n.is_float {
        return Err(format!("illegal number syntax: {}", go_q(text)));
    }
    Ok(n)
}

fn split_sign(s: &str) -> (bool, &str) {
    if let Some(r) = s.strip_prefix('-') {
        (true, r)
    } else {
        (false, s.strip_prefix('+').unwrap_or(s))
    }
}

/// Go's `strconv.ParseUint(s, 0, 64)`.
fn parse_go_uint(s: &str) -> Option<u64> {
    if s.starts_with(['+', '-']) {
        return None;
    }
    parse_base0(s)
}

/// An unsigned literal with Go's base-0 rules: `0x`, `0o`, `0b`, leading-`0` octal, `_`.
fn parse_base0(s: &str) -> Option<u64> {
    if s.contains('_') && !crate::yaml::go_underscore_ok(s) {
        return None;
    }
    let cleaned = s.replace('_', "");
    let b = cleaned.as_bytes();
    let (radix, body) = if b.len() >= 2 && b[0] == b'0' {
        match b[1].to_ascii_lowercase() {
            b'x' => (16, &cleaned[2..]),
            b'o' => (8, &cleaned[2..]),
            b'b' => (2, &cleaned[2..]),
            _ => (8, &cleaned[1..]),
        }
    } else {
        (10, &cleaned[..])
    };
    if body.is_empty() || body.starts_with(['+', '-']) {
        return None;
    }
    u64::from_str_radix(body, radix).ok()
}

/// Go's `strconv.ParseInt(s, 0, 64)`.
fn parse_go_int(s: &str) -> Option<i64> {
    let (neg, body) = split_sign(s);
    let u = parse_base0(body)?;
    if neg {
        if u > i64::MAX as u64 + 1 {
            return None;
        }
        Some((u as i128).wrapping_neg() as i64)
    } else {
        i64::try_from(u).ok()
    }
}

/// Go's `strconv.ParseFloat(s, 64)` for decimal syntax (hex floats are not supported).
fn parse_go_float(s: &str) -> Option<f64> {
    let (neg, body) = split_sign(s);
    if body.is_empty() || body.starts_with(['+', '-']) {
        return None;
    }
    let lower = body.to_ascii_lowercase();
    if let Some(hex) = lower.strip_prefix("0x") {
        if body.contains('_') && !crate::yaml::go_underscore_ok(body) {
            return None;
        }
        let f = parse_hex_float(&hex.replace('_', ""))?;
        return Some(if neg { -f } else { f });
    }
    if lower == "inf" || lower == "infinity" || lower == "nan" {
        return None;
    }
    if body.contains('_') && !crate::yaml::go_underscore_ok(body) {
        return None;
    }
    let cleaned = body.replace('_', "");
    if !cleaned.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let f: f64 = cleaned.parse().ok()?;
    Some(if neg { -f } else { f })
}

/// A hexadecimal float body after `0x`: `1.8p+1`; Go requires the `p` exponent.
fn parse_hex_float(s: &str) -> Option<f64> {
    let (mant, exp) = s.split_once('p')?;
    let exp: i32 = exp.parse().ok()?;
    let (int_part, frac_part) = mant.split_once('.').unwrap_or((mant, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    let mut value = 0f64;
    for c in int_part.chars().chain(frac_part.chars()) {
        value = value * 16.0 + f64::from(c.to_digit(16)?);
    }
    let shift = exp - 4 * frac_part.len() as i32;
    Some(value * 2f64.powi(shift))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn funcs(name: &str) -> bool {
        matches!(
            name,
            "printf" | "include" | "list" | "quote" | "and" | "or" | "len" | "index"
        )
    }

    fn parse_ok(src: &str) -> Vec<Tree> {
        parse("t", Arc::from(src), &funcs).unwrap_or_else(|e| panic!("{src}: {e}"))
    }

    fn err(src: &str) -> String {
        parse("t", Arc::from(src), &funcs)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    }

    /// The value of the only string literal of `src`.
    fn literal(src: &str) -> String {
        let trees = parse_ok(src);
        let Node::Action(a) = &trees[0].root.nodes[0] else {
            panic!("{src}: not an action")
        };
        match &a.pipe.cmds[0].args[0] {
            Operand::String { text, .. } => text.to_string(),
            other => panic!("{src}: {other:?}"),
        }
    }

    #[test]
    fn string_literals_with_and_without_escapes() {
        assert_eq!(literal(r#"{{ "plain é" }}"#), "plain é");
        assert_eq!(literal(r#"{{ "a\tb\u00e9\"" }}"#), "a\tb\u{e9}\"");
        assert_eq!(literal("{{ `raw \\n` }}"), "raw \\n");
        assert_eq!(literal("{{ `cr\r\nlf` }}"), "cr\nlf");
        assert_eq!(literal("{{ \"\" }}"), "");
    }

    #[test]
    fn round_trips() {
        for src in [
            "a{{.Values.a.b}}b",
            "{{$x := 1}}{{$x = 2}}{{$x}}",
            "{{if .A}}a{{else}}{{if .B}}b{{else}}c{{end}}{{end}}",
            "{{range $i, $v := .L}}{{$i}}{{break}}{{continue}}{{else}}e{{end}}",
            "{{with $x := .A}}{{.}}{{end}}",
            "{{template \"x\" .}}{{template \"y\"}}",
            "{{(.A).b}}{{(list 1 2).x}}",
            "{{printf \"%s\" (quote .A) | quote}}",
            "{{1.5}}{{0x1F}}{{'a'}}{{nil | quote}}{{true}}",
            "{{ `raw` }}",
        ] {
            let trees = parse_ok(src);
            let out = trees[0].root.to_string();
            let norm: String = src.replace("{{ ", "{{").replace(" }}", "}}");
            assert_eq!(out, norm, "{src}");
        }
    }

    #[test]
    fn else_with_chains() {
        let t = parse_ok("{{with .A}}a{{else with .B}}b{{else}}c{{end}}");
        assert_eq!(
            t[0].root.to_string(),
            "{{with .A}}a{{else}}{{with .B}}b{{else}}c{{end}}{{end}}"
        );
    }

    #[test]
    fn defines_are_separate_trees() {
        let t = parse_ok("{{define \"a\"}}A{{end}}x{{block \"b\" .}}B{{end}}");
        let names: Vec<_> = t.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["t", "a", "b"]);
        assert_eq!(t[0].root.to_string(), "x{{template \"b\" .}}");
    }

    #[test]
    fn chain_position_is_the_second_field() {
        let t = parse_ok("{{ .Values.a.b }}");
        let Node::Action(a) = &t[0].root.nodes[0] else {
            panic!()
        };
        assert_eq!(a.pipe.cmds[0].args[0].pos(), 10);
    }

    #[test]
    fn errors_match_go() {
        assert_eq!(
            err("{{ .Values.foo-bar }}"),
            "template: t:1: bad character U+002D '-'"
        );
        assert_eq!(
            err("{{ env \"x\" }}"),
            "template: t:1: function \"env\" not defined"
        );
        assert_eq!(
            err("{{ break }}"),
            "template: t:1: {{break}} outside {{range}}"
        );
        assert_eq!(err("{{ $x }}"), "template: t:1: undefined variable \"$x\"");
        assert_eq!(err("{{ if 1 }}"), "template: t:1: unexpected EOF");
        assert_eq!(err("{{ end }}"), "template: t:1: unexpected {{end}}");
        assert_eq!(
            err("{{ 1 | 2 }}"),
            "template: t:1: non executable command in pipeline stage 2"
        );
        assert_eq!(
            err("{{ \"a\".b }}"),
            "template: t:1: unexpected . after term \"\\\"a\\\"\""
        );
        assert_eq!(err("a\n{{ .x"), "template: t:2: unclosed action");
        assert_eq!(err("{{}}"), "template: t:1: missing value for command");
        assert_eq!(
            err("{{define \"a\"}}x{{end}}{{define \"a\"}}y{{end}}"),
            "template: t:1: template: multiple definition of template \"a\""
        );
        assert_eq!(err("{{ 1x }}"), "template: t:1: bad number syntax: \"1x\"");
    }

    #[test]
    fn numbers_follow_go() {
        let n = parse_number("0x1F", false).unwrap();
        assert!(n.is_int && n.int == 31);
        let n = parse_number("1_000", false).unwrap();
        assert_eq!(n.int, 1000);
        let n = parse_number("017", false).unwrap();
        assert_eq!(n.int, 15);
        let n = parse_number("0o17", false).unwrap();
        assert_eq!(n.int, 15);
        let n = parse_number("0b101", false).unwrap();
        assert_eq!(n.int, 5);
        let n = parse_number("1e3", false).unwrap();
        assert!(n.is_float && n.is_int && n.float == 1000.0);
        let n = parse_number("-5", false).unwrap();
        assert_eq!(n.int, -5);
        let n = parse_number("'a'", true).unwrap();
        assert_eq!(n.int, 97);
        assert!(parse_number("99999999999999999999", false).is_err());
        assert!(parse_number("08", false).is_err());
        let n = parse_number("0x1p-2", false).unwrap();
        assert!(n.is_float && n.float == 0.25);
        let n = parse_number("0x1.8p1", false).unwrap();
        assert_eq!(n.float, 3.0);
    }

    #[test]
    fn unquotes_go_strings() {
        assert_eq!(unquote(r#""a\tb\u00e9\x41""#).unwrap(), "a\tbéA");
        assert_eq!(unquote("`raw\\n`").unwrap(), "raw\\n");
        assert!(unquote(r#""\q""#).is_none());
    }
}
