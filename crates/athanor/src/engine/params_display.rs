//! Parameters as errors and echo show them: each value's text capped at [`MAX_CHARS`]
//! characters, at most [`MAX_PARAMS`] values of a statement and [`MAX_ROWS`] rows of a
//! many-row statement, each cut with a note of what was left out; or none at all with
//! [`EngineOptions::hide_parameters`](super::EngineOptions::hide_parameters). The SQL is
//! always kept.
//!
//! A value longer than [`MAX_CHARS`] keeps its first and last halves around
//! ` ... (N characters truncated) ... `; a statement with more than [`MAX_PARAMS`] values
//! shows the first and last halves around ` ... N parameters truncated (T in all) ... `; a
//! many-row statement with more than [`MAX_ROWS`] rows shows the first rows and the last two
//! around ` ... N rows truncated (T in all) ... `. A value is rendered into a bounded buffer,
//! so a 100 MB blob costs no 200 MB of hex text.

use std::collections::VecDeque;
use std::fmt::{self, Write as _};

use crate::{Error, Value};

/// The most characters of one value's text shown.
pub(crate) const MAX_CHARS: usize = 300;
/// The most values of one statement (or one row) shown.
pub(crate) const MAX_PARAMS: usize = 100;
/// The most rows of a many-row statement shown.
pub(crate) const MAX_ROWS: usize = 10;
/// What errors say, and echo logs, instead of the values under `hide_parameters`.
pub(crate) const HIDDEN: &str = "[SQL parameters hidden due to hide_parameters=true]";

/// Keeps the first and last `MAX_CHARS / 2` characters written to it, and counts them all.
struct Capped {
    head: String,
    head_chars: usize,
    tail: VecDeque<char>,
    total: usize,
}

impl fmt::Write for Capped {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let half = MAX_CHARS / 2;
        for c in s.chars() {
            self.total += 1;
            if self.head_chars < half {
                self.head.push(c);
                self.head_chars += 1;
            } else {
                if self.tail.len() == half {
                    self.tail.pop_front();
                }
                self.tail.push_back(c);
            }
        }
        Ok(())
    }
}

/// One value's text (`'Bob'`, `42`, `X'00FF'`), cut in the middle past [`MAX_CHARS`]
/// characters.
pub(crate) fn value(v: &Value) -> String {
    let mut out = Capped {
        head: String::new(),
        head_chars: 0,
        tail: VecDeque::new(),
        total: 0,
    };
    // Writing into `Capped` never fails.
    let _ = write!(out, "{v}");
    let mut text = out.head;
    if out.total > MAX_CHARS {
        let _ = write!(
            text,
            " ... ({} characters truncated) ... ",
            out.total - MAX_CHARS
        );
    }
    text.extend(out.tail);
    text
}

/// Values as a tuple, `(1, 'a', NULL)`: at most [`MAX_PARAMS`], each capped.
fn tuple(values: &[&Value], out: &mut String) {
    out.push('(');
    let n = values.len();
    let mut first = true;
    let mut sep = |out: &mut String| {
        if !std::mem::take(&mut first) {
            out.push_str(", ");
        }
    };
    if n <= MAX_PARAMS {
        for v in values {
            sep(out);
            out.push_str(&value(v));
        }
    } else {
        let half = MAX_PARAMS / 2;
        for v in &values[..half] {
            sep(out);
            out.push_str(&value(v));
        }
        let _ = write!(
            out,
            " ... {} parameters truncated ({n} in all) ...",
            n - MAX_PARAMS
        );
        for v in &values[n - half..] {
            sep(out);
            out.push_str(&value(v));
        }
    }
    out.push(')');
}

/// A statement's values, `(1, 'a')`, for an error or echo; `None` when it has none (an error
/// then shows no parameters line).
pub(crate) fn params(values: &[&Value]) -> Option<String> {
    if values.is_empty() {
        return None;
    }
    let mut out = String::new();
    tuple(values, &mut out);
    Some(out)
}

/// A many-row statement's values, `width` to a row: `[(1, 'a'), (2, 'b')]`, at most
/// [`MAX_ROWS`] rows (the first ones and the last two).
pub(crate) fn rows(values: &[&Value], width: usize) -> Option<String> {
    if values.is_empty() || width == 0 {
        return params(values);
    }
    let all: Vec<&[&Value]> = values.chunks(width).collect();
    let n = all.len();
    let shown: Vec<&[&Value]> = if n <= MAX_ROWS {
        all
    } else {
        let mut shown = all[..MAX_ROWS - 2].to_vec();
        shown.extend_from_slice(&all[n - 2..]);
        shown
    };
    let mut out = String::from("[");
    for (i, row) in shown.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        if n > MAX_ROWS && i == MAX_ROWS - 2 {
            let _ = write!(
                out,
                "... {} rows truncated ({n} in all) ..., ",
                n - MAX_ROWS
            );
        }
        tuple(row, &mut out);
    }
    out.push(']');
    Some(out)
}

/// Attaches the statement to a database error, and its parameters (rendered only now, for an
/// error: as rows of `width` values when given) unless `hide`: then the error says they were
/// hidden. A statement without parameters gets no parameters line.
pub(crate) fn attach(
    e: Error,
    sql: &str,
    hide: bool,
    values: &[&Value],
    width: Option<usize>,
) -> Error {
    if values.is_empty() {
        e.with_statement(sql, None)
    } else if hide {
        e.with_hidden_parameters(sql)
    } else {
        let shown = match width {
            Some(w) => rows(values, w),
            None => params(values),
        };
        e.with_statement(sql, shown)
    }
}

/// The echo line after a statement: the cache note, then its values (or [`HIDDEN`]).
pub(crate) fn echo(note: &str, hide: bool, values: &[&Value]) -> String {
    if hide {
        format!("{note} {HIDDEN}")
    } else {
        format!("{note} {}", params(values).unwrap_or_else(|| "()".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(v: &[Value]) -> Vec<&Value> {
        v.iter().collect()
    }

    #[test]
    fn short_values_are_whole() {
        let v = [Value::Int(5), Value::Text("it's".into()), Value::Null];
        assert_eq!(params(&refs(&v)).as_deref(), Some("(5, 'it''s', NULL)"));
        assert_eq!(params(&[]), None);
        // Exactly MAX_CHARS characters: nothing cut.
        let s = Value::Text("x".repeat(MAX_CHARS - 2));
        assert_eq!(value(&s).chars().count(), MAX_CHARS);
        assert!(!value(&s).contains("truncated"));
    }

    #[test]
    fn long_values_keep_their_ends() {
        let s = format!("{}{}{}", "a".repeat(200), "m".repeat(1000), "z".repeat(200));
        let shown = value(&Value::Text(s));
        // 1400 characters and two quotes: 1402, of which 300 are shown.
        assert_eq!(
            shown,
            format!(
                "'{} ... (1102 characters truncated) ... {}'",
                "a".repeat(149),
                "z".repeat(149)
            )
        );
        let blob = value(&Value::Bytes(vec![0xAB; 10_000]));
        assert!(blob.starts_with("X'ABAB"), "{blob}");
        assert!(blob.ends_with("ABAB'"), "{blob}");
        assert!(
            blob.contains(" ... (19703 characters truncated) ... "),
            "{blob}"
        );
        // Multi-byte characters are cut at characters, never inside one.
        let e = value(&Value::Text("é".repeat(1000)));
        assert!(e.contains("(702 characters truncated)"), "{e}");
    }

    #[test]
    fn many_values_are_cut_with_the_total() {
        let v: Vec<Value> = (0..250).map(Value::Int).collect();
        let shown = params(&refs(&v)).unwrap();
        let first: Vec<String> = (0..50).map(|i| i.to_string()).collect();
        let last: Vec<String> = (200..250).map(|i| i.to_string()).collect();
        assert_eq!(
            shown,
            format!(
                "({} ... 150 parameters truncated (250 in all) ..., {})",
                first.join(", "),
                last.join(", ")
            )
        );
    }

    #[test]
    fn many_rows_are_cut_with_the_total() {
        let v: Vec<Value> = (0..6).map(Value::Int).collect();
        assert_eq!(
            rows(&refs(&v), 2).as_deref(),
            Some("[(0, 1), (2, 3), (4, 5)]")
        );
        let v: Vec<Value> = (0..40).map(Value::Int).collect();
        assert_eq!(
            rows(&refs(&v), 2).as_deref(),
            Some(
                "[(0, 1), (2, 3), (4, 5), (6, 7), (8, 9), (10, 11), (12, 13), (14, 15), \
                 ... 10 rows truncated (20 in all) ..., (36, 37), (38, 39)]"
            )
        );
    }

    #[test]
    fn hidden_parameters_are_named_not_shown() {
        use athanor_core::error::DatabaseError;
        let v = [Value::Text("secret".into())];
        let e = Error::Integrity(DatabaseError::new("duplicate key"));
        let e = attach(e, "INSERT INTO t VALUES (?)", true, &refs(&v), None);
        assert_eq!(
            e.to_string(),
            "(IntegrityError) duplicate key\n[SQL: INSERT INTO t VALUES (?)]\n\
             [SQL parameters hidden due to hide_parameters=true]"
        );
        assert_eq!(
            echo("[generated in 0.1s]", true, &refs(&v)),
            "[generated in 0.1s] [SQL parameters hidden due to hide_parameters=true]"
        );
        assert_eq!(echo("[cached]", false, &refs(&v)), "[cached] ('secret')");
        // No parameters: no line, hidden or not.
        let e = Error::Data(DatabaseError::new("bad"));
        assert_eq!(
            attach(e, "SELECT 1", true, &[], None).to_string(),
            "(DataError) bad\n[SQL: SELECT 1]"
        );
        let e = Error::Data(DatabaseError::new("bad"));
        let v = [Value::Int(1), Value::Int(2)];
        assert_eq!(
            attach(e, "INSERT", false, &refs(&v), Some(1)).to_string(),
            "(DataError) bad\n[SQL: INSERT]\n[parameters: [(1), (2)]]"
        );
    }
}
