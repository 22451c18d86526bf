//! A simple, thread-safe connection pool: connections are opened on demand up to a size and
//! handed back on drop; a caller waits up to a timeout for one to come free.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::driver::{Driver, DriverConnection};
use crate::{Error, Result};

pub(crate) struct Pool {
    driver: Box<dyn Driver>,
    state: Mutex<State>,
    freed: Condvar,
    pub(crate) size: usize,
    pub(crate) timeout: Duration,
    /// SQL run on every new connection (the engine's isolation level).
    setup: Option<String>,
    /// The statement timeout every new connection is given.
    pub(crate) statement_timeout: Option<Duration>,
}

struct State {
    idle: Vec<Box<dyn DriverConnection>>,
    open: usize,
}

impl Pool {
    pub(crate) fn new(
        driver: Box<dyn Driver>,
        size: usize,
        timeout: Duration,
        setup: Option<String>,
    ) -> Pool {
        let size = driver.max_pool_size().map_or(size, |m| size.min(m)).max(1);
        Pool {
            driver,
            state: Mutex::new(State {
                idle: Vec::new(),
                open: 0,
            }),
            freed: Condvar::new(),
            size,
            timeout,
            setup,
            statement_timeout: None,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes an idle connection, opens a new one, or waits for one to be returned.
    pub(crate) fn acquire(&self) -> Result<Box<dyn DriverConnection>> {
        let start = Instant::now();
        let mut state = self.lock();
        loop {
            if let Some(mut c) = state.idle.pop() {
                if c.is_healthy() {
                    return Ok(c);
                }
                state.open -= 1;
                continue;
            }
            if state.open < self.size {
                state.open += 1;
                drop(state);
                return match self.open() {
                    Ok(c) => Ok(c),
                    Err(e) => {
                        self.lock().open -= 1;
                        self.freed.notify_one();
                        Err(e)
                    }
                };
            }
            let waited = start.elapsed();
            if waited >= self.timeout {
                return Err(Error::PoolTimeout {
                    waited_ms: waited.as_millis() as u64,
                    size: self.size,
                    overflow: 0,
                });
            }
            state = self
                .freed
                .wait_timeout(state, self.timeout - waited)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
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

    /// Returns a connection; a broken one is dropped and its slot freed.
    pub(crate) fn release(&self, conn: Option<Box<dyn DriverConnection>>) {
        let mut state = self.lock();
        match conn {
            Some(c) => state.idle.push(c),
            None => state.open -= 1,
        }
        drop(state);
        self.freed.notify_one();
    }

    /// Connections open now (idle or in use) and idle.
    pub(crate) fn status(&self) -> (usize, usize) {
        let s = self.lock();
        (s.open, s.idle.len())
    }

    /// Closes idle connections.
    pub(crate) fn dispose(&self) {
        let mut s = self.lock();
        let n = s.idle.len();
        s.idle.clear();
        s.open -= n;
    }
}
