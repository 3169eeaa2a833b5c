//! Helm's log records: values coalescing and dependency processing warn through Go's
//! `log/slog`, and helm logs some failures before returning them. A [`Line`] prints as
//! slog's text handler writes it (`level=WARN msg="returned non-bool value" tag=t1
//! chart=sub`), which `rstack chart template` puts on stderr as helm does; elsewhere rstack
//! shows its [`Line::text`]. Helm 4 routes the standard `log.Printf` of its coalescing
//! code through slog at level INFO.

use std::fmt;

/// One log record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    level: &'static str,
    msg: String,
    attrs: Vec<(&'static str, String)>,
}

/// A record at level INFO with only a message (helm's `log.Printf` warnings).
pub fn info(msg: impl Into<String>) -> Line {
    record("INFO", msg, &[])
}

/// A record at level WARN with attributes.
pub fn warn(msg: impl Into<String>, attrs: &[(&'static str, &str)]) -> Line {
    record("WARN", msg, attrs)
}

/// A record at level ERROR with attributes.
pub fn error(msg: impl Into<String>, attrs: &[(&'static str, &str)]) -> Line {
    record("ERROR", msg, attrs)
}

fn record(level: &'static str, msg: impl Into<String>, attrs: &[(&'static str, &str)]) -> Line {
    Line {
        level,
        msg: msg.into(),
        attrs: attrs.iter().map(|(k, v)| (*k, v.to_string())).collect(),
    }
}

impl Line {
    /// The record for people: the message (without helm's own `warning: `), then
    /// `key=value` attributes.
    pub fn text(&self) -> String {
        let mut out = self.msg.trim_start_matches("warning: ").to_string();
        for (key, val) in &self.attrs {
            out.push_str(&format!(" {key}={}", quoted(val)));
        }
        out
    }
}

/// slog's text handler format.
impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "level={} msg={}", self.level, quoted(&self.msg))?;
        for (key, val) in &self.attrs {
            write!(f, " {key}={}", quoted(val))?;
        }
        Ok(())
    }
}

/// slog's text handler quotes (Go `strconv.Quote`) a text that is empty or holds a
/// space, `=`, `"` or a character that does not print.
fn quoted(text: &str) -> String {
    let plain = !text.is_empty()
        && !text
            .chars()
            .any(|c| c.is_whitespace() || c == '=' || c == '"' || c.is_control());
    if plain {
        text.to_string()
    } else {
        crate::chart::template::format::quote(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_as_slog_writes_them() {
        let missing = warn(
            "ImportValues missing table from chart",
            &[("chart", "sub"), ("error", "\"missing\" is not a table")],
        );
        assert_eq!(
            missing.to_string(),
            r#"level=WARN msg="ImportValues missing table from chart" chart=sub error="\"missing\" is not a table""#
        );
        assert_eq!(
            missing.text(),
            r#"ImportValues missing table from chart chart=sub error="\"missing\" is not a table""#
        );
        assert_eq!(
            warn(
                "returned non-bool value",
                &[("tag", "t1"), ("chart", "sub")]
            )
            .to_string(),
            r#"level=WARN msg="returned non-bool value" tag=t1 chart=sub"#
        );
        assert_eq!(info("x").to_string(), "level=INFO msg=x");
        assert_eq!(info("warning: skipped").text(), "skipped");
    }
}
