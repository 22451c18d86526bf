//! The connection pool (SQLAlchemy's `QueuePool`): up to `pool_size` connections kept, up to
//! `max_overflow` more opened under load and closed when they come back, callers waiting up to
//! `pool_timeout` for one to come free.
//!
//! Health, as SQLAlchemy's pool keeps it:
//! - **Generations.** Every connection remembers the pool's generation when it was opened. A
//!   disconnect ([`Pool::invalidate`]) or [`Pool::dispose`] starts a new generation: idle
//!   connections of older ones are closed at once, and connections in use are closed when they
//!   come back, never pooled again. So a server restart costs one error (the first connection
//!   to meet it), not one per pooled connection.
//! - **`pool_recycle`.** A connection older than it is closed instead of handed out.
//! - **`pool_pre_ping`.** A connection is pinged (the driver's cheapest round trip) before it
//!   is handed out; one that fails is closed and, being a sign the server went away, starts a
//!   new generation; the caller gets a working connection or the error of opening one.
//! - **Order.** FIFO by default (connections take turns, so none sits idle long enough for a
//!   load-balancer to drop it); LIFO (`pool_use_lifo`) keeps the fewest connections busy, so
//!   the rest can be recycled while traffic is low.
//!
//! The pool is written here rather than taken from r2d2 or deadpool: neither has generations
//! (dispose closing in-use connections on return, one disconnect retiring its siblings),
//! r2d2's `test_on_check_out` pings with a query and its overflow is a fixed `min_idle`, and
//! deadpool is async-first. The whole pool is one mutex, one condvar and a deque: a checkout
//! that finds an idle connection costs one uncontended lock.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::driver::{Driver, DriverConnection};
use crate::{Error, Result};

/// How the pool sizes and checks its connections ([`EngineOptions`](crate::EngineOptions)).
#[derive(Debug, Clone)]
pub(crate) struct PoolOptions {
    pub(crate) size: usize,
    pub(crate) max_overflow: usize,
    pub(crate) timeout: Duration,
    pub(crate) recycle: Option<Duration>,
    pub(crate) pre_ping: bool,
    pub(crate) lifo: bool,
}

impl Default for PoolOptions {
    fn default() -> Self {
        PoolOptions {
            size: 5,
            max_overflow: 10,
            timeout: Duration::from_secs(30),
            recycle: None,
            pre_ping: false,
            lifo: false,
        }
    }
}

pub(crate) struct Pool {
    driver: Box<dyn Driver>,
    state: Mutex<State>,
    freed: Condvar,
    opts: PoolOptions,
    /// SQL run on every new connection (the engine's isolation level).
    setup: Option<String>,
    /// The statement timeout every new connection is given.
    pub(crate) statement_timeout: Option<Duration>,
}

struct State {
    idle: VecDeque<Pooled>,
    /// Connections open: idle and checked out.
    open: usize,
    generation: u64,
    /// Callers waiting for a connection: a return wakes one only when there is one (waking
    /// costs a system call).
    waiting: usize,
}

/// A driver connection with what the pool knows of it.
pub(crate) struct Pooled {
    pub(crate) conn: Box<dyn DriverConnection>,
    /// When it was opened (for `pool_recycle`).
    born: Instant,
    /// The pool's generation when it was opened.
    generation: u64,
    /// Opened by this checkout (the engine runs its connect hooks on it).
    pub(crate) fresh: bool,
}

impl Pool {
    pub(crate) fn new(driver: Box<dyn Driver>, opts: PoolOptions, setup: Option<String>) -> Pool {
        let mut opts = opts;
        if let Some(m) = driver.max_pool_size() {
            opts.size = opts.size.min(m).max(1);
            opts.max_overflow = opts.max_overflow.min(m.saturating_sub(opts.size));
        }
        Pool {
            driver,
            state: Mutex::new(State {
                idle: VecDeque::new(),
                open: 0,
                generation: 0,
                waiting: 0,
            }),
            freed: Condvar::new(),
            opts,
            setup,
            statement_timeout: None,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes an idle connection (checked for age and, with pre-ping, for life), opens a new
    /// one, or waits for one to be returned.
    pub(crate) fn acquire(&self) -> Result<Pooled> {
        // The clock is read only if the caller has to wait.
        let mut start = None;
        let limit = self.opts.size + self.opts.max_overflow;
        let mut state = self.lock();
        loop {
            let next = if self.opts.lifo {
                state.idle.pop_back()
            } else {
                state.idle.pop_front()
            };
            if let Some(mut p) = next {
                let expired = self.opts.recycle.is_some_and(|r| p.born.elapsed() >= r);
                if p.generation != state.generation || expired {
                    state.open -= 1;
                    drop(state);
                    drop(p); // closes it
                    state = self.lock();
                    continue;
                }
                drop(state);
                if !p.conn.is_healthy() {
                    self.discard(None);
                    state = self.lock();
                    continue;
                }
                if self.opts.pre_ping
                    && let Err(e) = p.conn.ping()
                {
                    tracing::info!(target: "athanor::pool", "pre-ping failed, replacing the connection: {e}");
                    let generation = p.generation;
                    drop(p);
                    self.discard(Some(generation));
                    state = self.lock();
                    continue;
                }
                p.fresh = false;
                return Ok(p);
            }
            if state.open < limit {
                state.open += 1;
                let generation = state.generation;
                drop(state);
                return match self.open() {
                    Ok(conn) => Ok(Pooled {
                        conn,
                        born: Instant::now(),
                        generation,
                        fresh: true,
                    }),
                    Err(e) => {
                        self.discard(None);
                        Err(e)
                    }
                };
            }
            let waited = start.get_or_insert_with(Instant::now).elapsed();
            if waited >= self.opts.timeout {
                return Err(Error::PoolTimeout {
                    waited_ms: u64::try_from(waited.as_millis()).unwrap_or(u64::MAX),
                    size: self.opts.size,
                    overflow: self.opts.max_overflow,
                });
            }
            state.waiting += 1;
            state = self
                .freed
                .wait_timeout(state, self.opts.timeout - waited)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
            state.waiting -= 1;
        }
    }

    /// Opens a connection and sets it up.
    fn open(&self) -> Result<Box<dyn DriverConnection>> {
        let mut c = self.driver.connect()?;
        if let Some(sql) = &self.setup {
            c.batch(sql).map_err(|e| e.with_statement(sql, None))?;
        }
        if self.statement_timeout.is_some() {
            c.set_statement_timeout(self.statement_timeout)?;
        }
        Ok(c)
    }

    /// Gives up the slot of a connection that was closed (already dropped by the caller).
    /// `Some(generation)`: it was found dead, so connections of its generation are too: a
    /// new generation starts.
    fn discard(&self, dead: Option<u64>) {
        let mut state = self.lock();
        state.open -= 1;
        let stale = match dead {
            Some(g) => Self::new_generation(&mut state, g),
            None => Vec::new(),
        };
        let waiting = state.waiting > 0;
        drop(state);
        drop(stale);
        if waiting {
            self.freed.notify_all();
        }
    }

    /// Starts a new generation when `generation` is the current one, and takes out the idle
    /// connections, which the caller closes outside the lock.
    fn new_generation(state: &mut State, generation: u64) -> Vec<Pooled> {
        if generation != state.generation {
            return Vec::new();
        }
        state.generation += 1;
        let idle: Vec<Pooled> = state.idle.drain(..).collect();
        state.open -= idle.len();
        idle
    }

    /// Returns a connection; one of an old generation, past `pool_recycle`, beyond
    /// `pool_size` (an overflow connection), or `None` (closed by its user), is closed and
    /// its slot freed.
    pub(crate) fn release(&self, p: Option<Pooled>) {
        let mut state = self.lock();
        let closing = match p {
            Some(p)
                if p.generation == state.generation
                    && state.idle.len() < self.opts.size
                    && self.opts.recycle.is_none_or(|r| p.born.elapsed() < r) =>
            {
                state.idle.push_back(p);
                None
            }
            other => {
                state.open -= 1;
                other
            }
        };
        let waiting = state.waiting > 0;
        drop(state);
        drop(closing); // closed outside the lock
        if waiting {
            self.freed.notify_one();
        }
    }

    /// A connection of `generation` was found disconnected (and closed by the caller): its
    /// siblings are presumed dead too, as in SQLAlchemy: a new generation starts, idle
    /// connections are closed now and checked-out ones when they come back.
    pub(crate) fn invalidate(&self, generation: u64) {
        self.discard(Some(generation));
    }

    /// The generation of a checked-out connection.
    pub(crate) fn generation_of(p: &Pooled) -> u64 {
        p.generation
    }

    /// Connections open now (idle or in use) and idle.
    pub(crate) fn status(&self) -> (usize, usize) {
        let s = self.lock();
        (s.open, s.idle.len())
    }

    /// Closes idle connections now and checked-out ones when they come back (SQLAlchemy's
    /// `engine.dispose()`).
    pub(crate) fn dispose(&self) {
        let mut state = self.lock();
        let g = state.generation;
        let idle = Self::new_generation(&mut state, g);
        let waiting = state.waiting > 0;
        drop(state);
        drop(idle);
        if waiting {
            self.freed.notify_all();
        }
    }
}
