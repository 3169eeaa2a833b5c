//! The libyaml emitter as go-yaml runs it for block documents: scalar analysis and
//! style choice, indentation, line folding and the four scalar writers.

use super::{Dialect, Node, Style};

/// libyaml's `is_printable` for a whole character (the emitter runs in unicode mode).
/// Characters outside the BMP count as non-printable: a go-yaml quirk that forces
/// emoji into double quotes as `\U0001F600`.
fn is_printable(c: char) -> bool {
    matches!(c, '\n' | '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        && c != '\u{feff}'
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// What `yaml_emitter_analyze_scalar` learns about a scalar's text.
#[derive(Clone, Copy, Debug)]
struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

fn analyze(text: &str, dialect: Dialect) -> Analysis {
    if text.is_empty() {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut block_indicators = crate::yaml::starts_like_marker(text);
    let (mut line_breaks, mut special, mut tabs) = (false, false, false);
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_whitespace = true;
    // Character by character, looking one ahead (no list of the characters: this runs for
    // every string `toYaml` writes).
    let mut chars = text.chars().peekable();
    let mut first = true;
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        let is_last = next.is_none();
        let followed_by_whitespace = next.is_none_or(is_blank);
        let is_first = std::mem::replace(&mut first, false);
        if is_first {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => {
                    block_indicators = true;
                }
                '?' | ':' if followed_by_whitespace => block_indicators = true,
                '-' if followed_by_whitespace => block_indicators = true,
                _ => {}
            }
        } else {
            match c {
                ':' if followed_by_whitespace => block_indicators = true,
                '#' if preceded_by_whitespace => block_indicators = true,
                _ => {}
            }
        }
        if dialect == Dialect::V3 && c == '\t' {
            tabs = true;
        } else if !is_printable(c) {
            special = true;
        }
        if c == ' ' {
            leading_space |= is_first;
            trailing_space |= is_last;
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            leading_break |= is_first;
            trailing_break |= is_last;
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blank(c) || is_break(c) || c == '\0';
    }
    let mut a = Analysis {
        multiline: line_breaks,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || tabs || special {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special {
        a.block_allowed = false;
    }
    if line_breaks || block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

/// Where a node sits (libyaml's `*_context` flags).
#[derive(Clone, Copy, Debug, Default)]
struct Context {
    /// An item of a block sequence.
    sequence: bool,
    /// A key or value of a block mapping.
    mapping: bool,
    /// A key written in the simple `key: value` form.
    simple_key: bool,
}

const BEST_INDENT: i32 = 2;

/// The emitter state: libyaml's variables with the same meaning.
pub(super) struct Emitter {
    out: String,
    dialect: Dialect,
    /// Lines are folded at a space once the column is past this.
    best_width: usize,
    /// Characters (not bytes) written on the current line.
    column: usize,
    indent: i32,
    indents: Vec<i32>,
    /// The last character written was whitespace (or nothing was written yet).
    whitespace: bool,
    /// Only indentation (and `-`/`?`/`:` indicators) on the current line so far.
    indention: bool,
}

impl Emitter {
    pub(super) fn new(dialect: Dialect) -> Emitter {
        Emitter {
            out: String::new(),
            dialect,
            best_width: if dialect == Dialect::V2 {
                80
            } else {
                usize::MAX
            },
            column: 0,
            indent: -1,
            indents: Vec::new(),
            whitespace: true,
            indention: true,
        }
    }

    /// One implicit document: the root node, then a line break unless at a line start.
    pub(super) fn document(mut self, root: &Node) -> String {
        self.node(root, Context::default());
        self.write_indent();
        self.out
    }

    fn node(&mut self, node: &Node, ctx: Context) {
        match node {
            Node::Scalar(text, style) => self.scalar(text, *style, ctx),
            Node::Seq(items) if items.is_empty() => self.empty_flow("[", "]"),
            Node::Map(entries) if entries.is_empty() => self.empty_flow("{", "}"),
            Node::Seq(items) => {
                let indentless = self.dialect == Dialect::V2 && ctx.mapping && !self.indention;
                self.increase_indent(false, indentless, ctx.sequence);
                for item in items {
                    self.write_indent();
                    self.write_indicator("-", true, false, true);
                    self.node(
                        item,
                        Context {
                            sequence: true,
                            ..Context::default()
                        },
                    );
                }
                self.pop_indent();
            }
            Node::Map(entries) => {
                self.increase_indent(false, false, ctx.sequence);
                for (key, value) in entries {
                    self.write_indent();
                    let value_ctx = Context {
                        mapping: true,
                        ..Context::default()
                    };
                    if self.is_simple_key(key) {
                        self.node(
                            key,
                            Context {
                                mapping: true,
                                simple_key: true,
                                ..Context::default()
                            },
                        );
                        self.write_indicator(":", false, false, false);
                    } else {
                        self.write_indicator("?", true, false, true);
                        self.node(key, value_ctx);
                        self.write_indent();
                        self.write_indicator(":", true, false, true);
                    }
                    self.node(value, value_ctx);
                }
                self.pop_indent();
            }
        }
    }

    /// `[]` / `{}`: an empty collection is always written in flow style.
    fn empty_flow(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.write_indicator(close, false, false, false);
    }

    /// libyaml's `check_simple_key`: a single-line scalar of at most 128 bytes.
    fn is_simple_key(&self, key: &Node) -> bool {
        match key {
            Node::Scalar(text, _) => !analyze(text, self.dialect).multiline && text.len() <= 128,
            Node::Seq(items) => items.is_empty(),
            Node::Map(entries) => entries.is_empty(),
        }
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool, sequence_item: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent = match self.dialect {
                Dialect::V2 => self.indent + BEST_INDENT,
                // v3 aligns to multiples of the indent, except right after a `- `.
                Dialect::V3 if sequence_item => self.indent + 2,
                Dialect::V3 => BEST_INDENT * ((self.indent + BEST_INDENT) / BEST_INDENT),
            };
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn scalar(&mut self, text: &str, requested: Style, ctx: Context) {
        let analysis = analyze(text, self.dialect);
        let style = select_style(text, requested, analysis, ctx.simple_key);
        self.increase_indent(true, false, ctx.sequence);
        let allow_breaks = !ctx.simple_key;
        match style {
            Style::Plain => self.write_plain(text, allow_breaks),
            Style::SingleQuoted => self.write_single_quoted(text, allow_breaks),
            Style::DoubleQuoted => self.write_double_quoted(text, allow_breaks),
            Style::Literal => self.write_literal(text),
        }
        self.pop_indent();
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    /// A newline. Every caller in libyaml marks the new line as indentation-only
    /// afterwards (go-yaml v3 does it here), so it is done here for both dialects.
    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
        self.indention = true;
    }

    /// Copies a line break from the text: `\n` as a newline, others as themselves.
    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
            self.indention = true;
        }
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        for c in indicator.chars() {
            self.put(c);
        }
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    /// Whether a space at this point may become a line break (80-column folding).
    fn may_fold(&self, allow_breaks: bool, spaces: bool) -> bool {
        allow_breaks && !spaces && self.column > self.best_width
    }

    fn write_plain(&mut self, text: &str, allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        // Most plain scalars are one word: nothing to fold or break.
        if !text.contains(|c| c == ' ' || is_break(c)) {
            self.out.push_str(text);
            self.column += text.chars().count();
        } else {
            self.write_plain_words(text, allow_breaks);
        }
        self.whitespace = false;
        self.indention = false;
    }

    /// [`Emitter::write_plain`]'s text with spaces or line breaks, a character at a time.
    fn write_plain_words(&mut self, text: &str, allow_breaks: bool) {
        let (mut spaces, mut breaks) = (false, false);
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == ' ' {
                if self.may_fold(allow_breaks, spaces) && chars.peek() != Some(&' ') {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
    }

    fn write_single_quoted(&mut self, text: &str, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let (mut spaces, mut breaks) = (false, false);
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == ' ' {
                let next_is_space = chars.peek().is_some_and(|&(_, n)| n == ' ');
                if self.may_fold(allow_breaks, spaces)
                    && i > 0
                    && i + 1 < text.len()
                    && !next_is_space
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double_quoted(&mut self, text: &str, allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        // libyaml's `is_bom` looks at the start of the text, not the current character:
        // text that starts with a BOM has every character escaped.
        let starts_with_bom = text.starts_with('\u{feff}');
        let mut spaces = false;
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if !is_printable(c) || starts_with_bom || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                match double_quoted_escape(c) {
                    Some(e) => self.put(e),
                    None => {
                        let code = c as u32;
                        let (letter, width) = match code {
                            0..=0xff => ('x', 2),
                            0x100..=0xffff => ('u', 4),
                            _ => ('U', 8),
                        };
                        self.put(letter);
                        for ch in format!("{code:0width$X}").chars() {
                            self.put(ch);
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if self.may_fold(allow_breaks, spaces) && i > 0 && i + 1 < text.len() {
                    self.write_indent();
                    if chars.peek().is_some_and(|&(_, n)| n == ' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_literal(&mut self, text: &str) {
        self.write_indicator("|", true, false, false);
        let chars: Vec<char> = text.chars().collect();
        if chars.first().is_some_and(|&c| c == ' ' || is_break(c)) {
            self.write_indicator(&BEST_INDENT.to_string(), false, false, false);
        }
        let chomp = match chars.as_slice() {
            [] => Some("-"),
            [.., last] if !is_break(*last) => Some("-"),
            [_] => Some("+"),
            [.., before, _] if is_break(*before) => Some("+"),
            _ => None,
        };
        if let Some(chomp) = chomp {
            self.write_indicator(chomp, false, false, false);
        }
        self.put_break();
        self.whitespace = true;
        let mut breaks = true;
        for c in chars {
            if is_break(c) {
                self.write_break(c);
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

/// libyaml's `yaml_emitter_select_scalar_style` for an untagged block-context scalar.
fn select_style(text: &str, requested: Style, a: Analysis, simple_key: bool) -> Style {
    let mut style = requested;
    if simple_key && a.multiline {
        style = Style::DoubleQuoted;
    }
    if style == Style::Plain && (!a.block_plain_allowed || (text.is_empty() && simple_key)) {
        style = Style::SingleQuoted;
    }
    if style == Style::SingleQuoted && !a.single_quoted_allowed {
        style = Style::DoubleQuoted;
    }
    if style == Style::Literal && (!a.block_allowed || simple_key) {
        style = Style::DoubleQuoted;
    }
    style
}

/// The short escapes of YAML double-quoted scalars.
fn double_quoted_escape(c: char) -> Option<char> {
    Some(match c {
        '\0' => '0',
        '\u{7}' => 'a',
        '\u{8}' => 'b',
        '\t' => 't',
        '\n' => 'n',
        '\u{b}' => 'v',
        '\u{c}' => 'f',
        '\r' => 'r',
        '\u{1b}' => 'e',
        '"' => '"',
        '\\' => '\\',
        '\u{85}' => 'N',
        '\u{a0}' => '_',
        '\u{2028}' => 'L',
        '\u{2029}' => 'P',
        _ => return None,
    })
}
