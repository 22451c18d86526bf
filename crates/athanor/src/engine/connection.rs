//! [`Connection`]: executes statements on one pooled database connection.

use std::sync::Arc;
use std::time::Instant;

use athanor_core::compiler::{Compiled, ResultColumns, StatementKind, text_values};
use athanor_core::dialect::IsolationLevel;
use athanor_core::sql::{
    Executable, Expr, Insert, InsertSource, StatementRef, Update, Values, bindparam,
};

use super::Engine;
use super::control::may_control_transactions;
use super::events::{StatementEvent, StatementOutcome};
use super::inserted_key::inserted_key;
use super::params_display;
use super::pool::Pooled;
use super::result::{CursorResult, Rows};
use super::sink::{Buffered, EachRow, First, LoadRows, SinkColumns, Streamed, Typed};
use crate::driver::{DriverConnection, QueryDone, RowSink};
use crate::{Error, FromRow, FromValue, Result, Row, Value};

/// A connection checked out of an [`Engine`]'s pool; returned to it when dropped.
///
/// Statements run in autocommit mode unless a [`Transaction`](super::Transaction) is open
/// ([`Connection::begin`]).
///
/// A connection goes back to the pool clean, as SQLAlchemy's `reset_on_return`: whatever
/// transaction is open is rolled back, whether begun through [`Connection::begin`], left by a
/// panic, or begun with raw SQL (`exec_driver_sql("BEGIN")`, `text("BEGIN")`) the connection
/// knew nothing about. That costs no round trip when nothing can be open: SQLite is asked
/// directly (`sqlite3_get_autocommit`); on PostgreSQL and MySQL the connection rolls back when
/// it began a transaction, or ran raw SQL that may have begun one (anything through
/// `exec_driver_sql`; a `text()` whose first keyword isn't that of a query, DML or DDL), since
/// it was checked out.
pub struct Connection {
    pub(super) engine: Engine,
    /// The pooled driver connection; `None` once closed or invalidated.
    pub(super) raw: Option<Pooled>,
    /// Why the driver connection was closed under this handle (a disconnect,
    /// [`Connection::invalidate`]): the next use outside a transaction checks out another.
    pub(super) invalidated: Option<String>,
    /// Open [`Transaction`](super::Transaction)s (AUTOCOMMIT's markers included).
    pub(crate) depth: usize,
    pub(super) savepoints: usize,
    /// A BEGIN the engine sent is open.
    pub(super) tx_open: bool,
    /// Raw SQL ran since checkout: it may have begun a transaction the connection doesn't know.
    pub(crate) unsure: bool,
    /// The failed statement that made the database abort the open transaction.
    pub(super) aborted: Option<String>,
    /// AUTOCOMMIT: `begin()` sends nothing, every statement commits by itself.
    pub(super) autocommit: bool,
    /// The isolation level in force (the engine's unless set here).
    pub(super) level: Option<IsolationLevel>,
    /// The level was changed on this checkout: put the engine's back on return.
    pub(super) level_changed: bool,
    /// The statement timeout set on this checkout (`Some(None)`: none), when one was: the
    /// engine's goes back on return.
    pub(super) timeout: Option<Option<std::time::Duration>>,
    /// The last bare `insert()` executed with a parameter map, as reshaped for that map's keys
    /// (one `bindparam` per key): executing it again with the same keys reuses it, and its
    /// memoized cache key, instead of rebuilding and rehashing the statement.
    pub(super) shaped_insert: Option<Box<Insert>>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Connection({}, in_transaction={})",
            self.engine.url(),
            self.depth > 0
        )
    }
}

fn value_of<'v>(params: Option<&'v Values>, name: &str) -> Option<&'v Value> {
    match params?.get(name)? {
        Expr::Value(v) => Some(v),
        _ => None,
    }
}

impl Connection {
    pub(crate) fn new(engine: Engine, raw: Pooled) -> Self {
        let level = engine.0.isolation;
        Connection {
            engine,
            raw: Some(raw),
            invalidated: None,
            depth: 0,
            savepoints: 0,
            tx_open: false,
            unsure: false,
            aborted: None,
            autocommit: level == Some(IsolationLevel::Autocommit),
            level,
            level_changed: false,
            timeout: None,
            shaped_insert: None,
        }
    }

    /// The engine this connection came from.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// True inside a transaction begun through the connection ([`Connection::begin`],
    /// [`Engine::begin`]); a transaction begun with raw SQL doesn't count.
    pub fn in_transaction(&self) -> bool {
        self.depth > 0
    }

    /// The driver connection. After a disconnect or [`Connection::invalidate`], outside a
    /// transaction, a new one is checked out (as SQLAlchemy's `Connection` reconnects);
    /// inside one, the transaction must be rolled back first.
    pub(crate) fn raw(&mut self) -> Result<&mut Box<dyn DriverConnection>> {
        if self.raw.is_none() {
            self.reconnect()?;
        }
        match self.raw.as_mut() {
            Some(p) => Ok(&mut p.conn),
            None => Err(Error::InvalidRequest("this connection is closed".into())),
        }
    }

    /// Checks out a new driver connection for an invalidated handle.
    fn reconnect(&mut self) -> Result<()> {
        let Some(why) = &self.invalidated else {
            return Err(Error::InvalidRequest("this connection is closed".into()));
        };
        if self.depth > 0 {
            return Err(Error::InvalidRequest(format!(
                "can't reconnect until the invalid transaction is rolled back: the connection was lost ({why})"
            )));
        }
        let p = self.engine.checkout()?;
        self.raw = Some(p);
        self.invalidated = None;
        self.savepoints = 0;
        self.tx_open = false;
        self.unsure = false;
        self.aborted = None;
        self.level = self.engine.0.isolation;
        self.autocommit = self.level == Some(IsolationLevel::Autocommit);
        self.level_changed = false;
        self.timeout = None;
        self.run_checkout_hooks()
    }

    /// The engine's `on_connect` (for a new driver connection) and `on_checkout` hooks; a
    /// failing hook closes the connection.
    pub(crate) fn run_checkout_hooks(&mut self) -> Result<()> {
        let events = &self.engine.0.events;
        if events.on_connect.is_none() && events.on_checkout.is_none() {
            return Ok(());
        }
        let fresh = self.raw.as_ref().is_some_and(|p| p.fresh);
        let (on_connect, on_checkout) = (events.on_connect.clone(), events.on_checkout.clone());
        let mut r = Ok(());
        if fresh && let Some(f) = on_connect {
            r = f(self);
        }
        if r.is_ok()
            && let Some(f) = on_checkout
        {
            r = f(self);
        }
        if r.is_err() {
            self.close_raw("a connect or checkout hook failed", false);
        }
        r
    }

    /// Closes the driver connection now, never to be pooled again; `dead`: it was found
    /// disconnected, so the pool retires its siblings (a new generation).
    pub(super) fn close_raw(&mut self, why: &str, dead: bool) {
        if let Some(p) = self.raw.take() {
            let generation = super::pool::Pool::generation_of(&p);
            drop(p); // closes it
            if dead {
                self.engine.0.pool.invalidate(generation);
            } else {
                self.engine.0.pool.release(None);
            }
            self.invalidated = Some(why.to_string());
            if self.tx_open && self.aborted.is_none() {
                self.aborted = Some(format!("the connection was lost: {why}"));
            }
        }
    }

    /// Closes this connection's database connection now instead of returning it to the pool
    /// (SQLAlchemy's `Connection.invalidate()`): for a connection in a state that can't be
    /// trusted. An open transaction is lost: commit fails, rollback succeeds. The next
    /// statement outside a transaction checks out a new database connection.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine_with("sqlite://", EngineOptions::new().pool_size(1))?;
    /// let mut conn = engine.connect()?;
    /// conn.invalidate();
    /// assert!(conn.invalidated());
    /// assert_eq!(engine.pool_status(), (0, 0)); // closed, not returned
    /// assert_eq!(conn.scalar::<i64, _>(&text("SELECT 1"))?, 1); // a new one
    /// assert!(!conn.invalidated());
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn invalidate(&mut self) {
        self.close_raw("Connection::invalidate() was called", false);
    }

    /// Asks the server whether it is still there, with the driver's cheapest round trip
    /// (MySQL's COM_PING, an empty query on PostgreSQL; nothing to ask of SQLite): SQLAlchemy's
    /// `dialect.do_ping`, what `pool_pre_ping` runs on checkout.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine("sqlite://")?;
    /// let mut conn = engine.connect()?;
    /// conn.ping()?;
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Disconnect`] when the server is gone (the connection is then invalidated, and
    /// the next statement checks out a new one).
    pub fn ping(&mut self) -> Result<()> {
        let r = self.raw()?.ping();
        if let Err(e) = &r {
            self.note_failure(e);
        }
        r
    }

    /// Whether the database connection was closed under this handle (by
    /// [`Connection::invalidate`] or a disconnect) and not yet replaced.
    pub fn invalidated(&self) -> bool {
        self.raw.is_none() && self.invalidated.is_some()
    }

    /// Runs `f` (one statement on the driver) between the engine's before- and
    /// after-execute hooks, when any is set.
    #[inline]
    pub(super) fn observed<R>(
        &mut self,
        sql: &str,
        params: &[&Value],
        many: bool,
        f: impl FnOnce(&mut dyn DriverConnection) -> Result<R>,
    ) -> Result<R> {
        if !self.engine.0.events.watch_statements() {
            let raw = self.raw()?;
            return f(raw.as_mut());
        }
        let engine = self.engine.clone();
        let events = &engine.0.events;
        let ev = StatementEvent { sql, params, many };
        if let Some(h) = &events.before_execute {
            h(&ev);
        }
        let start = Instant::now();
        let r = match self.raw() {
            Ok(raw) => f(raw.as_mut()),
            Err(e) => Err(e),
        };
        if let Some(h) = &events.after_execute {
            h(
                &ev,
                &StatementOutcome {
                    elapsed: start.elapsed(),
                    error: r.as_ref().err(),
                },
            );
        }
        r
    }

    /// Runs parameterless SQL directly on the driver (SQLAlchemy's `exec_driver_sql`), e.g.
    /// PRAGMAs, or a script of several statements separated by `;`; prefer
    /// [`text`](crate::sql::text) with bound parameters for anything with values.
    ///
    /// The result carries the [`rowcount`](CursorResult::rowcount): the rows the statement
    /// changed (for a script, summed over its statements; on SQLite, rows changed by
    /// triggers count too). It has no rows: what a query here returns is read and dropped —
    /// run it with [`text`](crate::sql::text) to read it.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine("sqlite://")?;
    /// let mut conn = engine.connect()?;
    /// conn.exec_driver_sql("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3)")?;
    /// let r = conn.exec_driver_sql("UPDATE t SET x = x + 1 WHERE x > 1")?;
    /// assert_eq!(r.rowcount(), 2);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// The database's error.
    pub fn exec_driver_sql(&mut self, sql: &str) -> Result<CursorResult> {
        // It may begin a transaction: roll back on return to the pool.
        self.unsure = true;
        self.log(sql, None);
        let r = self
            .observed(sql, &[], false, |raw| raw.script(sql))
            .map_err(|e| e.with_statement(sql, None));
        match r {
            Ok(rowcount) => {
                let mut out =
                    CursorResult::new(Arc::new(ResultColumns::new(Vec::new())), Rows::default());
                out.rowcount = rowcount;
                Ok(out)
            }
            Err(e) => {
                self.note_failure(&e);
                Err(e)
            }
        }
    }

    /// Executes a statement: SELECT, INSERT/UPDATE/DELETE, `text()`, DDL.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine("sqlite://")?;
    /// let md = MetaData::new();
    /// let users = Table::build("users", &md)
    ///     .column(Column::new("id", Type::Integer).primary_key())
    ///     .column(Column::new("name", Type::String(Some(30))))
    ///     .finish()?;
    /// md.create_all(&engine)?;
    /// let mut conn = engine.connect()?;
    /// let r = conn.execute(&users.insert().values(row! { "name" => "Alice" }))?;
    /// assert_eq!(r.inserted_primary_key(), Some(&Value::Int(1)));
    /// let names: Vec<String> = conn.execute(&select(users.c("name")))?.scalars()?;
    /// assert_eq!(names, ["Alice"]);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// One call runs one statement: a [`text`](crate::sql::text) holding two is refused with
    /// [`Error::Programming`] and none of it runs (a trailing `;` or comment is fine); run a
    /// script with [`Connection::exec_driver_sql`].
    ///
    /// # Errors
    /// Compile errors; the database's errors mapped to [`Error`] kinds, carrying the SQL and
    /// parameters.
    pub fn execute<S: Executable + ?Sized>(&mut self, stmt: &S) -> Result<CursorResult> {
        self.run(stmt.statement(), None)
    }

    /// Executes a statement with values for its named parameters (`bindparam("x")`, `text`'s
    /// `:x`).
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine("sqlite://")?;
    /// let mut conn = engine.connect()?;
    /// let stmt = text("SELECT :a + :b");
    /// let n: i64 = conn.execute_with(&stmt, &row! { "a" => 2, "b" => 3 })?.scalar()?;
    /// assert_eq!(n, 5);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Connection::execute`]; [`Error::InvalidRequest`] when a parameter has no value.
    pub fn execute_with<S: Executable + ?Sized>(
        &mut self,
        stmt: &S,
        params: &Values,
    ) -> Result<CursorResult> {
        self.run(stmt.statement(), Some(params))
    }

    pub(super) fn log(&self, sql: &str, detail: Option<String>) {
        if self.engine.0.echo {
            tracing::info!(target: "athanor::engine", "{sql}");
            if let Some(d) = detail {
                tracing::info!(target: "athanor::engine", "{d}");
            }
        }
    }

    /// The compiled shape from the engine's cache, and the echo note for it
    /// (`[cached since 1.2s ago]` / `[generated in 0.0001s]`); the note is only written (and
    /// the clock only read) when echo is on.
    pub(super) fn prepare(
        &self,
        stmt: StatementRef<'_>,
    ) -> Result<(std::sync::Arc<Compiled>, String)> {
        let t0 = self.engine.0.echo.then(Instant::now);
        let (compiled, since) = self.engine.0.cache.get_translated(
            stmt,
            self.engine.dialect(),
            self.engine.1.schema_map(),
        )?;
        let note = match (t0, since) {
            (None, _) => String::new(),
            (Some(_), Some(at)) => {
                format!("[cached since {:.4}s ago]", at.elapsed().as_secs_f64())
            }
            (Some(t0), None) => format!("[generated in {:.5}s]", t0.elapsed().as_secs_f64()),
        };
        Ok((compiled, note))
    }

    /// Compiles a statement (from the engine's cache), gathers its values, echoes it, and
    /// runs `f` with the driver, the compiled shape, the SQL and the values. Database errors
    /// from `f` carry the statement and its parameters.
    fn with_bound<R>(
        &mut self,
        stmt: StatementRef<'_>,
        params: Option<&Values>,
        f: impl FnOnce(&mut dyn DriverConnection, &Compiled, &str, &[&Value]) -> Result<R>,
    ) -> Result<R> {
        let (compiled, note) = self.prepare(stmt)?;
        let binds = compiled.statement_binds(stmt);
        let tv = text_values(stmt);
        let named = |n: &str| {
            value_of(params, n).or_else(|| tv.iter().find(|(k, _)| k.as_ref() == n).map(|(_, v)| v))
        };
        // A value its column would round, cut or re-type is refused before anything is sent.
        athanor_core::types::check_statement_values(stmt, &named)?;
        let values = compiled.params(&binds, &named)?;
        // Text for a Uuid column is bound as the column holds it.
        let uuids = compiled.uuid_params(&binds, &named);
        let mut converted: Vec<(usize, Value)> = Vec::new();
        for &(at, ty) in &uuids {
            if let Some(v) = values.get(at)
                && let Some(new) =
                    athanor_core::types::bind_for_type(ty, v, self.engine.dialect().native_uuid())?
            {
                converted.push((at, new));
            }
        }
        let mut values = values;
        for (at, v) in &converted {
            if let Some(slot) = values.get_mut(*at) {
                *slot = v;
            }
        }
        // `literal_execute` values are written into the SQL (one check per execution
        // otherwise).
        let sql = if compiled.has_literal_execute() {
            compiled.execution_sql(&binds, &named, self.engine.dialect())?
        } else {
            compiled.sql_for(&binds, &named)
        };
        if self.engine.0.echo {
            let hide = self.engine.0.hide_parameters;
            self.log(&sql, Some(params_display::echo(&note, hide, &values)));
        }
        if compiled.kind == StatementKind::Text
            && compiled.controls_transactions(|| may_control_transactions(&sql))
        {
            // Raw SQL that may begin a transaction: roll back on return to the pool.
            self.unsure = true;
        }
        let hide = self.engine.0.hide_parameters;
        let r = self
            .observed(&sql, &values, false, |raw| f(raw, &compiled, &sql, &values))
            .map_err(|e| params_display::attach(e, &sql, hide, &values, None));
        if let Err(e) = &r {
            self.note_failure(e);
        }
        r
    }

    /// Runs a row-returning statement into `sink`, which starts from the shape's remembered
    /// columns; remembers the columns the driver reported.
    fn query_into<K>(
        &mut self,
        stmt: StatementRef<'_>,
        params: Option<&Values>,
        streaming: bool,
        make: impl FnOnce(&Compiled) -> K,
        columns: impl Fn(&mut K) -> &mut SinkColumns,
    ) -> Result<(K, QueryDone)>
    where
        K: RowSink,
    {
        self.with_bound(stmt, params, |raw, compiled, sql, values| {
            if !compiled.returns_rows {
                return Err(Error::InvalidRequest(
                    "this statement returns no rows: use Connection::execute".into(),
                ));
            }
            let mut sink = make(compiled);
            let known = columns(&mut sink).known();
            let done = if streaming {
                raw.stream(sql, values, known, &mut sink)?
            } else {
                raw.query(sql, values, known, &mut sink)?
            };
            if let Some(learned) = columns(&mut sink).learned() {
                compiled.remember_result_columns(learned);
            }
            if !streaming {
                // A streamed result is never held: its size must not size the next buffer.
                compiled.record_result_size(done.rows.saturating_mul(columns(&mut sink).width()));
            }
            Ok((sink, done))
        })
    }

    fn run(&mut self, stmt: StatementRef<'_>, params: Option<&Values>) -> Result<CursorResult> {
        if let StatementRef::Insert(ins) = stmt
            && matches!(ins.source(), InsertSource::Params)
        {
            // As SQLAlchemy compiles `conn.execute(t.insert(), {...})`: the columns are the
            // parameters' keys (each bound by name), plus the client-side defaults; none
            // given is an INSERT of defaults only. One cached shape per set of keys; the last
            // reshaped statement is kept for the next execution with the same keys.
            let shaped = match self.shaped_insert.take() {
                Some(last) if reshaped_for(&last, ins, params) => last,
                _ => Box::new(reshape_insert(ins, params)),
            };
            let r = self.run(shaped.statement(), params);
            if reusable(ins) {
                self.shaped_insert = Some(shaped);
            }
            return r;
        }
        if let StatementRef::Update(up) = stmt
            && up.set_values().names().next().is_none()
            && let Some(p) = params
        {
            // As SQLAlchemy compiles `conn.execute(t.update().where(...), {...})`: the SET
            // columns are the parameters that name the table's columns (bound by name, in the
            // table's column order); the others are left to the WHERE clause's bindparams.
            let set: Values = up
                .table()
                .columns()
                .iter()
                .map(|c| c.name())
                .filter(|n| p.names().any(|k| k == *n))
                .map(|n| (n, bindparam(n)))
                .collect();
            if set.names().next().is_some() {
                let shaped = up.clone().values(set);
                return self.run(shaped.statement(), params);
            }
        }
        if let StatementRef::Update(up) = stmt
            && let Some(with_returning) = self.update_return_defaults(up)
        {
            // return_defaults(): the computed columns' values of the first row updated; the
            // rows counted as they come back (SQLAlchemy's len(rows) under RETURNING).
            let mut r = self.run(with_returning.statement(), params)?;
            let mut first = None;
            let mut count = 0;
            while let Some(values) = r.rows.next() {
                if first.is_none() {
                    first = Some(values);
                }
                count += 1;
            }
            let mut out = CursorResult::new(r.columns.clone(), Rows::default());
            out.rowcount = count;
            out.returned_defaults = first.map(|v| r.row(v));
            return Ok(out);
        }
        if let StatementRef::Insert(ins) = stmt
            && let Some(with_returning) = self.implicit_returning(ins)
        {
            let mut r = self.run(with_returning.statement(), params)?;
            let key = r.rows.next().and_then(|mut v| v.pop());
            // return_defaults(): the result names what RETURNING fetched, its row taken.
            let columns = if ins.returns_defaults() {
                r.columns.clone()
            } else {
                Default::default()
            };
            let mut out = CursorResult::new(columns, Rows::default());
            out.rowcount = r.rowcount;
            out.inserted_primary_key = inserted_key(ins, params, key);
            return Ok(out);
        }
        let (mut result, compiled) =
            self.with_bound(stmt, params, |raw, compiled, sql, values| {
                let (columns, rows, outcome) = if compiled.returns_rows {
                    // Sized like this shape's last result: one allocation, not a growing buffer.
                    let mut sink = Buffered {
                        columns: SinkColumns::new(compiled),
                        values: Vec::with_capacity(compiled.result_size_hint().min(1 << 22)),
                    };
                    let done = raw.query(sql, values, sink.columns.known(), &mut sink)?;
                    compiled.record_result_size(sink.values.len());
                    if let Some(learned) = sink.columns.learned() {
                        compiled.remember_result_columns(learned);
                    }
                    let columns = sink.columns.into_columns();
                    let rows = Rows::new(sink.values, columns.len(), done.rows);
                    (columns, rows, done.outcome)
                } else {
                    let outcome = raw.execute(sql, values)?;
                    (Default::default(), Rows::default(), outcome)
                };
                let mut r = CursorResult::new(columns, rows);
                r.rowcount = outcome.rowcount;
                r.last_insert_id = outcome.last_insert_id;
                Ok((r, (compiled.kind, compiled.autoincrement_column.is_some())))
            })?;
        let (kind, autoincrement) = compiled;
        if kind == StatementKind::Insert {
            if let StatementRef::Insert(ins) = stmt {
                let generated = result.last_insert_id.filter(|_| autoincrement);
                result.inserted_primary_key = inserted_key(ins, params, generated.map(Value::Int));
            }
        } else if kind != StatementKind::Text {
            result.last_insert_id = None;
        }
        Ok(result)
    }

    /// An UPDATE with `return_defaults()`, given `RETURNING` its computed SET columns where
    /// the database and the table allow it (SQLAlchemy's implicit returning).
    fn update_return_defaults(&self, up: &Update) -> Option<Update> {
        if !up.returns_defaults()
            || up.has_returning()
            || !up.table().data().implicit_returning
            || !self
                .engine
                .dialect()
                .supports_returning(StatementKind::Update)
        {
            return None;
        }
        let cols: Vec<Expr> = up.computed_columns().collect();
        if cols.is_empty() {
            return None;
        }
        Some(up.clone().returning(cols))
    }

    /// On databases without a last-row-id (PostgreSQL), a single-row INSERT that lets the
    /// database generate its key gets `RETURNING key`, as SQLAlchemy does; so does one whose
    /// key comes from a sequence on MariaDB (whose last-row-id only reports AUTO_INCREMENT).
    fn implicit_returning(&self, ins: &Insert) -> Option<Insert> {
        let dialect = self.engine.dialect();
        let lastrowid = dialect.postfetch_lastrowid()
            && !(ins.returns_defaults() && ins.table().data().implicit_returning);
        // SQLite and MySQL stop at the first test (no sequences): nothing added per INSERT.
        if (lastrowid && !dialect.supports_sequences())
            || ins.has_returning()
            || !dialect.supports_returning(StatementKind::Insert)
        {
            return None;
        }
        let col = ins.table().autoincrement_column()?;
        if lastrowid && col.sequence.is_none() {
            return None;
        }
        let given = match ins.source() {
            InsertSource::Single(v) => v.get(col.name()).is_some(),
            _ => return None,
        };
        if given {
            return None;
        }
        let key = ins.table().try_c(col.name()).ok()?;
        Some(ins.clone().returning(key))
    }

    /// Runs a statement and hands each row to `f` as it is read, without holding the result;
    /// `f` returns `Ok(false)` to stop early.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine("sqlite://")?;
    /// let mut conn = engine.connect()?;
    /// let mut total = 0i64;
    /// conn.stream(&text("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 100) SELECT x FROM n"), |row| {
    ///     total += row.get::<i64, _>(0)?;
    ///     Ok(true)
    /// })?;
    /// assert_eq!(total, 5050);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Connection::execute`], and whatever `f` returns.
    pub fn stream<S: Executable + ?Sized>(
        &mut self,
        stmt: &S,
        f: impl FnMut(Row) -> Result<bool>,
    ) -> Result<()> {
        let (sink, _) = self.query_into(
            stmt.statement(),
            None,
            true,
            |c| Streamed {
                columns: SinkColumns::new(c),
                f,
                user_error: None,
            },
            |k| &mut k.columns,
        )?;
        match sink.user_error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Runs a row-returning statement and builds a tuple or [`FromRow`] record from each row
    /// as it is read: `conn.tuples(&stmt)` is `conn.execute(&stmt)?.tuples()` without holding
    /// the rows' values in between, the fastest way to load records.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine("sqlite://")?;
    /// let mut conn = engine.connect()?;
    /// let pairs: Vec<(i64, String)> =
    ///     conn.tuples(&text("SELECT 1, 'a' UNION ALL SELECT 2, 'b'"))?;
    /// assert_eq!(pairs, [(1, "a".to_string()), (2, "b".to_string())]);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Connection::execute`]; a conversion error naming the column;
    /// [`Error::InvalidRequest`] for a statement that returns no rows.
    pub fn tuples<T: FromRow, S: Executable + ?Sized>(&mut self, stmt: &S) -> Result<Vec<T>> {
        self.load(stmt.statement(), None, usize::MAX)
    }

    /// [`Connection::tuples`] with values for named parameters, as
    /// [`Connection::execute_with`].
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine("sqlite://")?;
    /// let mut conn = engine.connect()?;
    /// let stmt = text("SELECT :a * 2, :b");
    /// let rows: Vec<(i64, String)> = conn.tuples_with(&stmt, &row! { "a" => 21, "b" => "x" })?;
    /// assert_eq!(rows, [(42, "x".to_string())]);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Connection::tuples`]; [`Error::InvalidRequest`] when a parameter has no value.
    pub fn tuples_with<T: FromRow, S: Executable + ?Sized>(
        &mut self,
        stmt: &S,
        params: &Values,
    ) -> Result<Vec<T>> {
        self.load(stmt.statement(), Some(params), usize::MAX)
    }

    /// Runs a row-returning statement and hands each row's values to `loader` as the driver
    /// reads them (the ORM's loads), after telling it how many rows the statement's shape
    /// returned last time. Returns the rows read.
    pub(crate) fn each_row_values<S: Executable + ?Sized, L: LoadRows>(
        &mut self,
        stmt: &S,
        params: Option<&Values>,
        loader: &mut L,
    ) -> Result<usize> {
        let (_, done) = self.query_into(
            stmt.statement(),
            params,
            false,
            |c| {
                let width = c.result_columns().map_or(c.columns.len(), |r| r.len());
                loader.reserve(c.result_size_hint() / width.max(1));
                EachRow {
                    columns: SinkColumns::new(c),
                    loader,
                    checked: false,
                }
            },
            |k| &mut k.columns,
        )?;
        Ok(done.rows)
    }

    /// Builds up to `limit` records as rows are read (the driver stops reading after them).
    fn load<T: FromRow>(
        &mut self,
        stmt: StatementRef<'_>,
        params: Option<&Values>,
        limit: usize,
    ) -> Result<Vec<T>> {
        let (sink, _) = self.query_into(
            stmt,
            params,
            false,
            |c| {
                // The last result's size in values, over its width, is a row count.
                let width = c.result_columns().map_or(c.columns.len(), |r| r.len());
                let rows = c.result_size_hint() / width.max(1);
                Typed {
                    columns: SinkColumns::new(c),
                    out: Vec::with_capacity(rows.min(limit).min(1 << 20)),
                    limit,
                    checked: false,
                }
            },
            |k| &mut k.columns,
        )?;
        Ok(sink.out)
    }

    /// The first column of every row (SQLAlchemy's `Connection.scalars(stmt).all()`), built
    /// as rows are read.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine("sqlite://")?;
    /// let mut conn = engine.connect()?;
    /// let xs: Vec<i64> = conn.scalars(&text("SELECT 1 UNION ALL SELECT 2"))?;
    /// assert_eq!(xs, [1, 2]);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Connection::tuples`].
    pub fn scalars<T: FromValue, S: Executable + ?Sized>(&mut self, stmt: &S) -> Result<Vec<T>> {
        let firsts: Vec<First<T>> = self.tuples(stmt)?;
        Ok(firsts.into_iter().map(|f| f.0).collect())
    }

    /// The first column of the first row (SQLAlchemy's `Connection.scalar`); with no row,
    /// `Option<T>` gives `None` and other types [`Error::NoResultFound`].
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine("sqlite://")?;
    /// let mut conn = engine.connect()?;
    /// let n: i64 = conn.scalar(&text("SELECT 6 * 7"))?;
    /// assert_eq!(n, 42);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`CursorResult::scalar`]; [`Error::InvalidRequest`] for a statement that returns no
    /// rows.
    pub fn scalar<T: FromValue, S: Executable + ?Sized>(&mut self, stmt: &S) -> Result<T> {
        // Only the first row is converted; the driver stops reading after it.
        let mut first: Vec<First<T>> = self.load(stmt.statement(), None, 1)?;
        match first.pop() {
            Some(f) => Ok(f.0),
            None => T::from_value(&Value::Null).map_err(|_| Error::NoResultFound),
        }
    }
}

/// A bare `insert()` reshaped for a parameter map: one `bindparam` per key, by name.
fn reshape_insert(ins: &Insert, params: Option<&Values>) -> Insert {
    let keys: Values = params
        .map(|p| p.names().map(|n| (n, bindparam(n))).collect())
        .unwrap_or_default();
    ins.clone().values(keys)
}

/// Whether a bare `insert()` is wholly its table, so its reshaped form can be reused for
/// another execution: with RETURNING or an upsert clause it carries expressions (and values)
/// of its own, and with `return_defaults()` a flag, which the reused statement would not have.
fn reusable(ins: &Insert) -> bool {
    !ins.has_returning() && !ins.has_on_conflict() && !ins.returns_defaults()
}

/// Whether `last` is what [`reshape_insert`] would build for `ins` and `params`: the same
/// table object (not merely an equal shape: a table's default values are not in its shape),
/// and the same keys in the same order.
fn reshaped_for(last: &Insert, ins: &Insert, params: Option<&Values>) -> bool {
    if !reusable(ins) || !last.table().same_as(ins.table()) {
        return false;
    }
    let InsertSource::Single(keys) = last.source() else {
        return false;
    };
    match params {
        None => keys.names().next().is_none(),
        Some(p) => p.names().eq(keys.names()),
    }
}
