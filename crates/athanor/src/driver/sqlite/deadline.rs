//! Statement timeouts on SQLite, which has no server setting for them: while a timeout is
//! set, the connection gives each statement a deadline when it starts, and SQLite's progress
//! handler (called every [`CHECK_EVERY`] virtual-machine instructions) interrupts the
//! statement once the deadline has passed. The statement then fails with `SQLITE_INTERRUPT`,
//! which [`Timer::explain`] turns into an [`Error::Timeout`] naming the limit.
//!
//! The handler is installed only while a timeout is set: without one a statement costs a
//! branch, nothing more.
//!
//! What the deadline covers: the statement's whole run, the time the caller spends on each
//! row included (a query reads its rows inside the statement). What it can't interrupt: a wait
//! for another connection's lock (SQLite runs no instructions then; the busy timeout bounds
//! it), and a single instruction that runs long by itself (rare: a huge blob, a sort's final
//! merge).
//!
//! An interrupted read leaves an open transaction as it was; an interrupted write
//! (INSERT/UPDATE/DELETE, DDL) inside a transaction makes SQLite roll back the whole
//! transaction, and the message says so.

use std::ffi::c_int;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use athanor_core::dialect::sqlite::map_error;

use super::to_error;
use crate::{Error, Result};

/// How many virtual-machine instructions SQLite runs between two looks at the clock: a look
/// costs tens of nanoseconds, a thousand instructions some microseconds, so the check costs
/// well under 1% and a statement overruns its deadline by microseconds.
const CHECK_EVERY: c_int = 1000;

/// A connection's statement timeout: the limit, and the deadline it shares with the progress
/// handler.
pub(super) struct Timer {
    limit_ms: u32,
    deadline: Arc<Deadline>,
}

/// The running statement's deadline, read by the progress handler.
struct Deadline {
    /// The connection's clock starts here: deadlines are nanoseconds after it.
    epoch: Instant,
    /// When the running statement is interrupted, in nanoseconds after `epoch`.
    at: AtomicU64,
    /// The handler interrupted the running statement.
    fired: AtomicBool,
}

impl Deadline {
    fn now(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }
}

impl Timer {
    /// Installs the progress handler on `conn` for statements of at most `limit_ms`
    /// milliseconds (checked by the caller: from 1 to `i32::MAX`).
    pub(super) fn install(conn: &mut rusqlite::Connection, limit_ms: u32) -> Result<Timer> {
        let deadline = Arc::new(Deadline {
            epoch: Instant::now(),
            at: AtomicU64::new(u64::MAX),
            fired: AtomicBool::new(false),
        });
        let shared = Arc::clone(&deadline);
        conn.progress_handler(
            CHECK_EVERY,
            Some(move || {
                let late = shared.now() >= shared.at.load(Ordering::Relaxed);
                if late {
                    shared.fired.store(true, Ordering::Relaxed);
                }
                late
            }),
        )
        .map_err(to_error)?;
        Ok(Timer { limit_ms, deadline })
    }

    /// Removes the progress handler.
    pub(super) fn remove(conn: &mut rusqlite::Connection) -> Result<()> {
        conn.progress_handler(0, None::<fn() -> bool>)
            .map_err(to_error)
    }

    /// A statement starts now: its deadline is the limit from now.
    #[inline]
    pub(super) fn arm(&self) {
        let d = &self.deadline;
        let limit = Duration::from_millis(u64::from(self.limit_ms)).as_nanos() as u64;
        d.fired.store(false, Ordering::Relaxed);
        d.at.store(d.now().saturating_add(limit), Ordering::Relaxed);
    }

    /// A statement's error: an interrupt the handler caused becomes [`Error::Timeout`]
    /// naming the limit (and, when the statement's transaction is gone, saying so); any other
    /// error is returned as it is.
    pub(super) fn explain(&self, e: Error, rolled_back: bool) -> Error {
        let interrupted = matches!(&e, Error::Operational(d) if d.code.as_deref() == Some("9"));
        if !interrupted || !self.deadline.fired.load(Ordering::Relaxed) {
            return e;
        }
        let mut message = format!(
            "interrupted: statement timeout of {} ms exceeded",
            self.limit_ms
        );
        if rolled_back {
            message.push_str(
                "; SQLite rolled back the whole transaction (an interrupted write undoes it)",
            );
        }
        map_error(rusqlite::ffi::SQLITE_INTERRUPT, &message)
    }
}
