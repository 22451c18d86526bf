//! One prepared SQLite statement, held by the connection's statement cache.
//!
//! This is the driver's only `unsafe` code. rusqlite's `Statement` borrows its connection, so
//! it can't be kept beside it; its own cache (`prepare_cached`) can, but looks statements up
//! by hashing and trimming the SQL text and moves them in and out of an LRU list on every
//! execution: about a third of the raw driver's instructions for a one-row query. The
//! connection keeps these instead, prepared once through SQLite's C API (which rusqlite
//! re-exports), and finalized before the connection closes.
//!
//! Invariants every `unsafe` block relies on:
//! - `raw` is a live statement of `db`, finalized only by [`Statement`]'s `Drop`, and
//!   [`Statements`](super::cache::Statements) is dropped before the rusqlite connection
//!   that owns `db` (the connection's `Drop` clears it first).
//! - The statement is used by one thread at a time: it lives inside the connection, which
//!   takes `&mut self` for every use.
//! - Text and blobs are bound without a copy (`SQLITE_STATIC`): SQLite keeps pointers into the
//!   caller's values. Only [`Statement::run`] binds, and it binds every parameter and returns
//!   an [`Execution`] that borrows those values until it resets the statement; stepping is only
//!   possible through it. So SQLite reads a bound pointer only while its value is alive; after
//!   the reset the stale pointers stay in the statement unread, and the next `run` overwrites
//!   them all before the next step. (Copying instead would also keep every copy in the
//!   connection's lookaside memory for as long as the statement stays cached: one multi-row
//!   INSERT of a few thousand strings fills it for good, and every later statement pays a
//!   heap allocation for what lookaside would serve.)
//! - Column reads happen only between a `SQLITE_ROW` step and the next step or reset, and the
//!   bytes they return are copied before either.

use std::ffi::{CStr, c_int};
use std::ptr::NonNull;

use athanor_core::dialect::sqlite::map_error;
use athanor_core::error::DatabaseError;
use rusqlite::ffi;

use crate::{Error, Result, Value};

/// A prepared statement (`sqlite3_stmt`).
pub(crate) struct Statement {
    raw: NonNull<ffi::sqlite3_stmt>,
    db: NonNull<ffi::sqlite3>,
}

// SAFETY: SQLite is built thread-safe (rusqlite's bundled build, checked by rusqlite when it
// opens a connection); a statement may move between threads as long as it is not used from
// two at once, which `&mut` access through the connection guarantees.
unsafe impl Send for Statement {}

/// What one `step` produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    Row,
    Done,
}

impl Statement {
    /// Prepares one SQL statement on `db` (marked persistent: it will be reused); `None` when
    /// the text holds no statement (empty, or only comments), which runs as nothing. Text
    /// after the first statement, other than whitespace and comments, is an error: one call
    /// runs one statement.
    pub(crate) fn prepare(db: NonNull<ffi::sqlite3>, sql: &str) -> Result<Option<Statement>> {
        let len = c_int::try_from(sql.len())
            .map_err(|_| Error::argument("the SQL text is longer than SQLite accepts (2 GiB)"))?;
        let mut raw = std::ptr::null_mut();
        let mut tail = std::ptr::null();
        // SAFETY: `db` is open; `sql` is valid for `len` bytes (no NUL terminator needed when
        // the length is given); `raw` and `tail` are out-pointers SQLite writes.
        let rc = unsafe {
            ffi::sqlite3_prepare_v3(
                db.as_ptr(),
                sql.as_ptr().cast(),
                len,
                ffi::SQLITE_PREPARE_PERSISTENT,
                &mut raw,
                &mut tail,
            )
        };
        if rc != ffi::SQLITE_OK {
            // SAFETY: on failure SQLite leaves no statement to finalize.
            return Err(unsafe { db_error(db) });
        }
        let Some(raw) = NonNull::new(raw) else {
            return Ok(None);
        };
        let stmt = Statement { raw, db };
        // `tail` points into `sql`, just past the first statement.
        let used = (tail as usize).saturating_sub(sql.as_ptr() as usize);
        if let Some(rest) = sql.get(used..).filter(|r| !only_comments(r)) {
            return Err(Error::Programming(DatabaseError::new(format!(
                "you can only execute one statement at a time: the SQL goes on after the first statement with '{}'",
                rest.trim()
            ))));
        }
        Ok(Some(stmt))
    }

    /// How many parameters the statement takes.
    pub(crate) fn parameter_count(&self) -> usize {
        // SAFETY: a live statement.
        let n = unsafe { ffi::sqlite3_bind_parameter_count(self.raw.as_ptr()) };
        usize::try_from(n).unwrap_or(0)
    }

    /// How many columns its rows have.
    pub(crate) fn column_count(&self) -> usize {
        // SAFETY: a live statement.
        let n = unsafe { ffi::sqlite3_column_count(self.raw.as_ptr()) };
        usize::try_from(n).unwrap_or(0)
    }

    /// The name of column `i` (`< column_count()`).
    pub(crate) fn column_name(&self, i: usize) -> String {
        let Ok(i) = c_int::try_from(i) else {
            return String::new();
        };
        // SAFETY: a live statement; SQLite returns a NUL-terminated UTF-8 name valid until the
        // statement is re-prepared or finalized (it is copied at once), or NULL when out of
        // memory.
        unsafe {
            let p = ffi::sqlite3_column_name(self.raw.as_ptr(), i);
            if p.is_null() {
                String::new()
            } else {
                CStr::from_ptr(p).to_string_lossy().into_owned()
            }
        }
    }

    /// Does the statement leave the database unchanged?
    pub(crate) fn readonly(&self) -> bool {
        // SAFETY: a live statement.
        unsafe { ffi::sqlite3_stmt_readonly(self.raw.as_ptr()) != 0 }
    }

    /// Binds `params` (exactly as many as the statement takes) and returns the execution,
    /// which steps through the result and resets the statement when dropped.
    pub(crate) fn run<'s, 'v>(
        &'s mut self,
        params: impl ExactSizeIterator<Item = &'v Value>,
    ) -> Result<Execution<'s, 'v>> {
        let expected = self.parameter_count();
        if params.len() != expected {
            return Err(super::param_count_error(params.len(), expected));
        }
        for (i, v) in params.enumerate() {
            // SAFETY: the statement is not running (every execution resets it when it ends),
            // and `v` outlives the returned `Execution`, the only way to step.
            unsafe { self.bind(i + 1, v)? };
        }
        Ok(Execution {
            stmt: self,
            _values: std::marker::PhantomData,
        })
    }

    /// Binds `v` to parameter `i` (1-based): text and blobs by pointer, without a copy.
    ///
    /// # Safety
    /// `v` stays alive and unchanged until the statement is reset.
    unsafe fn bind(&mut self, i: usize, v: &Value) -> Result<()> {
        let Ok(at) = c_int::try_from(i) else {
            return Err(Error::argument(format!("parameter {i} is out of range")));
        };
        if let Value::Float(f) = v
            && f.is_nan()
        {
            // SQLite would store NULL for it.
            return Err(super::refused(v, "SQLite stores NaN as NULL"));
        }
        let s = self.raw.as_ptr();
        // SAFETY: a live statement that is not running; the pointers passed with their lengths
        // stay valid until the statement is reset (this function's contract), except for
        // values converted here, which SQLite copies (SQLITE_TRANSIENT).
        let rc = unsafe {
            match v {
                Value::Int(n) => ffi::sqlite3_bind_int64(s, at, *n),
                Value::Text(t) => bind_text(s, at, t, ffi::SQLITE_STATIC()),
                Value::Float(f) => ffi::sqlite3_bind_double(s, at, *f),
                Value::Null => ffi::sqlite3_bind_null(s, at),
                Value::Bool(b) => ffi::sqlite3_bind_int64(s, at, i64::from(*b)),
                Value::Bytes(b) if b.is_empty() => ffi::sqlite3_bind_zeroblob(s, at, 0),
                Value::Bytes(b) => ffi::sqlite3_bind_blob64(
                    s,
                    at,
                    b.as_ptr().cast(),
                    b.len() as u64,
                    ffi::SQLITE_STATIC(),
                ),
                other => match super::storage_form(other)? {
                    Value::Float(f) => ffi::sqlite3_bind_double(s, at, f),
                    Value::Text(t) => bind_text(s, at, &t, ffi::SQLITE_TRANSIENT()),
                    _ => ffi::sqlite3_bind_null(s, at),
                },
            }
        };
        self.check(rc)
    }

    fn check(&self, rc: c_int) -> Result<()> {
        if rc == ffi::SQLITE_OK {
            Ok(())
        } else {
            // SAFETY: `db` is open; its error state describes the failed call.
            Err(unsafe { db_error(self.db) })
        }
    }
}

/// One execution of a statement: its parameters bound (borrowed for `'v`), stepping through
/// its rows; the statement is reset when this is dropped, whatever happened (an error from
/// SQLite or from the reader), so it is ready for its next run and holds no transaction open.
pub(crate) struct Execution<'s, 'v> {
    stmt: &'s mut Statement,
    _values: std::marker::PhantomData<&'v Value>,
}

impl Execution<'_, '_> {
    /// Runs the statement to its next row.
    #[inline]
    pub(crate) fn step(&mut self) -> Result<Step> {
        // SAFETY: a live statement.
        match unsafe { ffi::sqlite3_step(self.stmt.raw.as_ptr()) } {
            ffi::SQLITE_ROW => Ok(Step::Row),
            ffi::SQLITE_DONE => Ok(Step::Done),
            // SAFETY: `db` is open; its error state describes this step.
            _ => Err(unsafe { db_error(self.stmt.db) }),
        }
    }

    /// Reads column `i` of the current row into `slot` (text copied into a new `String`;
    /// text that is not UTF-8 becomes bytes).
    #[inline]
    pub(crate) fn read(&self, i: usize, slot: &mut Value) {
        let s = self.stmt.raw.as_ptr();
        let at = i as c_int;
        // SAFETY: called only after `step` returned `Row` and before the next step or reset;
        // `i` < column_count (the caller's buffer has that length). Text and blob pointers are
        // read once their type is fixed, with the length asked after, as SQLite requires, and
        // copied before returning.
        let value = unsafe {
            match ffi::sqlite3_column_type(s, at) {
                ffi::SQLITE_INTEGER => Value::Int(ffi::sqlite3_column_int64(s, at)),
                ffi::SQLITE_FLOAT => Value::Float(ffi::sqlite3_column_double(s, at)),
                ffi::SQLITE_TEXT => {
                    let p = ffi::sqlite3_column_text(s, at);
                    let bytes = column_bytes(p, ffi::sqlite3_column_bytes(s, at));
                    match std::str::from_utf8(bytes) {
                        Ok(t) => Value::Text(t.to_owned()),
                        Err(_) => Value::Bytes(bytes.to_vec()),
                    }
                }
                ffi::SQLITE_BLOB => {
                    let p = ffi::sqlite3_column_blob(s, at);
                    Value::Bytes(column_bytes(p.cast(), ffi::sqlite3_column_bytes(s, at)).to_vec())
                }
                _ => Value::Null,
            }
        };
        crate::driver::put_cell(slot, value);
    }

    /// Ends the execution (the bindings stay, unread, until the next run overwrites them).
    #[inline]
    fn reset(&mut self) {
        // SAFETY: a live statement. The return value repeats the last step's error, which
        // that step already reported.
        unsafe {
            ffi::sqlite3_reset(self.stmt.raw.as_ptr());
        }
    }

    /// The statement being run.
    pub(crate) fn statement(&self) -> &Statement {
        self.stmt
    }
}

impl Drop for Execution<'_, '_> {
    fn drop(&mut self) {
        self.reset();
    }
}

impl Drop for Statement {
    fn drop(&mut self) {
        // SAFETY: the statement is live and nothing uses it after this.
        unsafe {
            ffi::sqlite3_finalize(self.raw.as_ptr());
        }
    }
}

/// Binds UTF-8 text.
///
/// # Safety
/// `s` is a live statement that is not running; with `SQLITE_STATIC`, `t` stays valid until
/// the statement is reset.
unsafe fn bind_text(
    s: *mut ffi::sqlite3_stmt,
    at: c_int,
    t: &str,
    destructor: ffi::sqlite3_destructor_type,
) -> c_int {
    // An empty string's pointer may dangle; give SQLite a real (static) one.
    let p = if t.is_empty() {
        c"".as_ptr()
    } else {
        t.as_ptr().cast()
    };
    // SAFETY: `p` is valid for `t.len()` bytes for as long as the caller promises.
    unsafe {
        ffi::sqlite3_bind_text64(s, at, p, t.len() as u64, destructor, ffi::SQLITE_UTF8 as u8)
    }
}

/// The bytes of a text or blob column (`p` may be NULL for an empty value).
///
/// # Safety
/// `p` points to `n` bytes valid until the statement steps or resets.
unsafe fn column_bytes<'a>(p: *const u8, n: c_int) -> &'a [u8] {
    match usize::try_from(n) {
        // SAFETY: as the function's contract says.
        Ok(n) if n > 0 && !p.is_null() => unsafe { std::slice::from_raw_parts(p, n) },
        _ => &[],
    }
}

/// The connection's last error, mapped to Athanor's kinds (by SQLite's extended code).
///
/// # Safety
/// `db` is an open connection.
pub(crate) unsafe fn db_error(db: NonNull<ffi::sqlite3>) -> Error {
    // SAFETY: `db` is open; the message is NUL-terminated and copied at once.
    let (code, message) = unsafe {
        let code = ffi::sqlite3_extended_errcode(db.as_ptr());
        let p = ffi::sqlite3_errmsg(db.as_ptr());
        let message = if p.is_null() {
            String::from("unknown SQLite error")
        } else {
            CStr::from_ptr(p).to_string_lossy().into_owned()
        };
        (code, message)
    };
    let err = map_error(code, &message);
    // The same error as rusqlite would give, as the source: reporters show SQLite's words.
    err.with_source(rusqlite::Error::SqliteFailure(
        ffi::Error::new(code),
        Some(message),
    ))
}

/// Is `s` only whitespace, `-- line` and `/* block */` comments (and stray `;`)?
fn only_comments(s: &str) -> bool {
    let mut rest = s;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ';');
        if rest.is_empty() {
            return true;
        }
        if let Some(r) = rest.strip_prefix("--") {
            rest = r.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(r) = rest.strip_prefix("/*") {
            rest = r.split_once("*/").map_or("", |(_, after)| after);
        } else {
            return false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::only_comments;

    #[test]
    fn trailing_comments_and_semicolons_are_not_a_second_statement() {
        for s in [
            "",
            "  ",
            ";",
            " ; \n",
            "-- done",
            "/* x */ ;",
            "-- a\n/* b */\n",
        ] {
            assert!(only_comments(s), "{s:?}");
        }
        for s in ["SELECT 1", "; DROP TABLE t", "-- a\nSELECT 2", "/* x */ x"] {
            assert!(!only_comments(s), "{s:?}");
        }
    }
}
