//! [`Connection`]: executes statements on one pooled database connection.

use std::time::Instant;

use athanor_core::compiler::{Compiled, ParamSpec, StatementKind, text_values};
use athanor_core::sql::{
    BindRef, Executable, Expr, Insert, InsertSource, StatementRef, Values, bindparam,
};

use super::Engine;
use super::result::{CursorResult, Rows};
use super::sink::{Buffered, First, SinkColumns, Streamed, Typed};
use super::transaction::{Scope, Transaction};
use crate::driver::{DriverConnection, QueryDone, RowSink, row_buffer};
use crate::{BindRow, BindValue, Error, FromRow, FromValue, Result, Row, Value};
use athanor_core::dialect::IsolationLevel;

/// A connection checked out of an [`Engine`]'s pool; returned to it when dropped.
///
/// Statements run in autocommit mode unless a [`Transaction`] is open
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
    engine: Engine,
    raw: Option<Box<dyn DriverConnection>>,
    /// Open [`Transaction`]s (AUTOCOMMIT's markers included).
    pub(crate) depth: usize,
    savepoints: usize,
    /// A BEGIN the engine sent is open.
    tx_open: bool,
    /// Raw SQL ran since checkout: it may have begun a transaction the connection doesn't know.
    pub(crate) unsure: bool,
    /// The failed statement that made the database abort the open transaction.
    aborted: Option<String>,
    /// AUTOCOMMIT: `begin()` sends nothing, every statement commits by itself.
    autocommit: bool,
    /// The isolation level in force (the engine's unless set here).
    level: Option<IsolationLevel>,
    /// The level was changed on this checkout: put the engine's back on return.
    level_changed: bool,
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

fn render_params(params: &[&Value]) -> String {
    let parts: Vec<String> = params.iter().map(|v| v.to_string()).collect();
    format!("({})", parts.join(", "))
}

impl Connection {
    pub(crate) fn new(engine: Engine, raw: Box<dyn DriverConnection>) -> Self {
        let level = engine.0.isolation;
        Connection {
            engine,
            raw: Some(raw),
            depth: 0,
            savepoints: 0,
            tx_open: false,
            unsure: false,
            aborted: None,
            autocommit: level == Some(IsolationLevel::Autocommit),
            level,
            level_changed: false,
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

    pub(crate) fn raw(&mut self) -> Result<&mut Box<dyn DriverConnection>> {
        self.raw
            .as_mut()
            .ok_or_else(|| Error::InvalidRequest("this connection is closed".into()))
    }

    /// Runs parameterless SQL directly on the driver (SQLAlchemy's `exec_driver_sql`), e.g.
    /// PRAGMAs, or a script of several statements separated by `;`; prefer
    /// [`text`](crate::sql::text) with bound parameters for anything with values.
    ///
    /// # Errors
    /// The database's error.
    pub fn exec_driver_sql(&mut self, sql: &str) -> Result<()> {
        // It may begin a transaction: roll back on return to the pool.
        self.unsure = true;
        self.control(sql)
    }

    /// Runs transaction-control (or other parameterless) SQL the engine itself issues.
    pub(crate) fn control(&mut self, sql: &str) -> Result<()> {
        self.log(sql, None);
        let r = self
            .raw()?
            .batch(sql)
            .map_err(|e| e.with_statement(sql, None));
        if let Err(e) = &r {
            self.note_failure(e);
        }
        r
    }

    /// Remembers a failure that aborted the open transaction on the server (PostgreSQL's
    /// "current transaction is aborted"), so that commit reports it instead of a COMMIT that
    /// only rolls back.
    fn note_failure(&mut self, e: &Error) {
        if self.tx_open
            && self.aborted.is_none()
            && self.engine.dialect().error_aborts_transaction(e)
        {
            self.aborted = Some(match e.database_error() {
                Some(d) => d.message.clone(),
                None => e.to_string(),
            });
        }
    }

    /// Opens the connection's transaction (a marker in AUTOCOMMIT) and says which.
    pub(crate) fn open_transaction(&mut self) -> Result<Scope> {
        if self.depth > 0 {
            return Err(Error::InvalidRequest(
                "a transaction is already begun on this connection; use begin_nested() for a savepoint".into(),
            ));
        }
        if self.autocommit {
            self.depth = 1;
            return Ok(Scope::Marker);
        }
        let begin = self.engine.dialect().begin_sql();
        self.control(begin)?;
        self.tx_open = true;
        self.depth = 1;
        Ok(Scope::Top)
    }

    /// Ends the transaction [`Connection::open_transaction`] opened: COMMIT or ROLLBACK, or
    /// nothing for AUTOCOMMIT's marker.
    pub(crate) fn end(&mut self, commit: bool) -> Result<()> {
        if !self.tx_open {
            self.depth = self.depth.saturating_sub(1);
            Ok(())
        } else if commit {
            self.commit_all()
        } else {
            self.rollback_all()
        }
    }

    /// Sends BEGIN and opens a [`Scope::Top`] transaction.
    fn begin_top(&mut self) -> Result<Transaction<'_>> {
        let begin = self.engine.dialect().begin_sql();
        self.control(begin)?;
        self.tx_open = true;
        self.depth += 1;
        Ok(Transaction::new(self, Scope::Top))
    }

    /// The transaction `execute_many` runs in: a savepoint inside an open transaction,
    /// otherwise a transaction of its own (in AUTOCOMMIT too: a batch is all or nothing).
    fn begin_batch(&mut self) -> Result<Transaction<'_>> {
        if self.tx_open {
            self.savepoint()
        } else {
            self.begin_top()
        }
    }

    fn savepoint(&mut self) -> Result<Transaction<'_>> {
        self.savepoints += 1;
        let name = format!("sa_savepoint_{}", self.savepoints);
        let sql = self.engine.dialect().savepoint_sql(&name);
        self.control(&sql)?;
        self.depth += 1;
        Ok(Transaction::new(self, Scope::Savepoint(name)))
    }

    /// Commits the whole transaction. When the database aborted it, rolls back and says so;
    /// when COMMIT fails, rolls back.
    pub(crate) fn commit_all(&mut self) -> Result<()> {
        self.depth = self.depth.saturating_sub(1);
        self.tx_open = false;
        if let Some(cause) = self.aborted.take() {
            let _ = self.rollback_all();
            return Err(Error::InvalidRequest(format!(
                "the transaction was rolled back, not committed: the database aborted it when a statement failed ({cause}); roll back to a savepoint (begin_nested) to recover from a failed statement inside a transaction"
            )));
        }
        let commit = self.engine.dialect().commit_sql();
        let r = self.control(commit);
        if r.is_err() {
            let _ = self.rollback_all();
        }
        r
    }

    /// Rolls back the whole transaction; when ROLLBACK fails, the pool rolls back again on
    /// return.
    pub(crate) fn rollback_all(&mut self) -> Result<()> {
        self.depth = self.depth.saturating_sub(1);
        self.tx_open = false;
        self.aborted = None;
        let rollback = self.engine.dialect().rollback_sql();
        let r = self.control(rollback);
        if r.is_err() {
            self.unsure = true;
        }
        r
    }

    /// Rolls back to the savepoint `name` and releases it; this recovers a transaction the
    /// database aborted after the savepoint.
    pub(crate) fn rollback_to(&mut self, name: &str) -> Result<()> {
        let sql = self.engine.dialect().rollback_to_savepoint_sql(name);
        self.control(&sql)?;
        self.aborted = None;
        let sql = self.engine.dialect().release_savepoint_sql(name);
        self.control(&sql)
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

    fn log(&self, sql: &str, detail: Option<String>) {
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
    fn prepare(&self, stmt: StatementRef<'_>) -> Result<(std::sync::Arc<Compiled>, String)> {
        let t0 = self.engine.0.echo.then(Instant::now);
        let (compiled, since) = self.engine.0.cache.get(stmt, self.engine.dialect())?;
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
        let values = compiled.params(&binds, &named)?;
        let sql = compiled.sql_for(&binds);
        if self.engine.0.echo {
            self.log(&sql, Some(format!("{note} {}", render_params(&values))));
        }
        if compiled.kind == StatementKind::Text && may_control_transactions(&sql) {
            // Raw SQL that may begin a transaction: roll back on return to the pool.
            self.unsure = true;
        }
        let raw = self.raw()?;
        let r = f(raw.as_mut(), &compiled, &sql, &values)
            .map_err(|e| e.with_statement(&sql, Some(render_params(&values))));
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
            && let Some(with_returning) = self.implicit_returning(ins)
        {
            let mut r = self.run(with_returning.statement(), params)?;
            let key = r.rows.next().and_then(|mut v| v.pop());
            let mut out = CursorResult::new(Default::default(), Rows::default());
            out.rowcount = r.rowcount;
            out.inserted_primary_key = key;
            return Ok(out);
        }
        let (mut result, compiled) =
            self.with_bound(stmt, params, |raw, compiled, sql, values| {
                let (columns, rows, outcome) = if compiled.returns_rows {
                    // Sized like this shape's last result: one allocation, not a growing buffer.
                    let mut sink = Buffered {
                        columns: SinkColumns::new(compiled.result_columns()),
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
                result.inserted_primary_key = inserted_key(ins, autoincrement, &result);
            }
        } else if kind != StatementKind::Text {
            result.last_insert_id = None;
        }
        Ok(result)
    }

    /// On databases without a last-row-id (PostgreSQL), a single-row INSERT that lets the
    /// database generate its key gets `RETURNING key`, as SQLAlchemy does.
    fn implicit_returning(&self, ins: &Insert) -> Option<Insert> {
        let dialect = self.engine.dialect();
        if dialect.postfetch_lastrowid()
            || ins.has_returning()
            || !dialect.supports_returning(StatementKind::Insert)
        {
            return None;
        }
        let col = ins.table().autoincrement_column()?;
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
                columns: SinkColumns::new(c.result_columns()),
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
                    columns: SinkColumns::new(c.result_columns()),
                    out: Vec::with_capacity(rows.min(limit).min(1 << 20)),
                    limit,
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

    /// Inserts many rows inside one transaction: the connection's own if one is open,
    /// otherwise one made for the call, so a failure writes nothing. SQLite re-binds one
    /// prepared statement per row; PostgreSQL and MySQL get multi-row `INSERT ... VALUES`
    /// batches ([`Dialect::executemany_batch_rows`](athanor_core::dialect::Dialect::executemany_batch_rows)).
    /// Every row must give the same columns. Returns the rows inserted.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine("sqlite://")?;
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md).column(Column::new("x", Type::Integer)).finish()?;
    /// md.create_all(&engine)?;
    /// let mut conn = engine.connect()?;
    /// let n = conn.execute_many(&t.insert(), (0..100).map(|i| row! { "x" => i }))?;
    /// assert_eq!(n, 100);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for an insert that already has values or rows whose columns
    /// differ; the database's error (and then nothing of this call is kept).
    pub fn execute_many<I>(&mut self, insert: &Insert, rows: I) -> Result<u64>
    where
        I: IntoIterator<Item = Values>,
    {
        let mut rows = rows.into_iter().peekable();
        let Some(first) = rows.peek() else {
            return Ok(0);
        };
        let names: Vec<std::sync::Arc<str>> = first.0.iter().map(|(n, _)| n.clone()).collect();
        let columns: Vec<&str> = names.iter().map(|n| &**n).collect();
        self.insert_many(insert, &columns, rows, |row: &Values, out: &mut [Value]| {
            row_values(row, &names, out)
        })
    }

    /// [`Connection::execute_many`] with rows given by position: `columns` names them once, and
    /// each row holds one value per column, in that order (no name map per row). A row is
    /// any [`BindRow`]: a tuple of Rust values (borrowed `&str` included), an array or a
    /// `Vec` of [`Value`]s. Each row is written into one parameter buffer reused for every
    /// row, so text is copied into existing allocations rather than allocated per row.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine("sqlite://")?;
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md)
    ///     .column(Column::new("x", Type::Integer))
    ///     .column(Column::new("label", Type::Text))
    ///     .finish()?;
    /// md.create_all(&engine)?;
    /// let mut conn = engine.connect()?;
    /// let labels = ["a", "b", "c"];
    /// let rows = labels.iter().enumerate().map(|(i, l)| (i as i64, *l));
    /// assert_eq!(conn.execute_many_rows(&t.insert(), &["x", "label"], rows)?, 3);
    /// let more = (3..5).map(|i| [Value::from(i), Value::from(format!("row {i}"))]);
    /// assert_eq!(conn.execute_many_rows(&t.insert(), &["x", "label"], more)?, 2);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Connection::execute_many`]; [`Error::InvalidRequest`] for a row of the wrong length.
    pub fn execute_many_rows<I, R>(
        &mut self,
        insert: &Insert,
        columns: &[&str],
        rows: I,
    ) -> Result<u64>
    where
        I: IntoIterator<Item = R>,
        R: BindRow,
    {
        let width = columns.len();
        self.insert_many(
            insert,
            columns,
            rows.into_iter(),
            |row: &R, out: &mut [Value]| {
                if row.width() != width {
                    return Err(format!("it has {} values for {width} columns", row.width()));
                }
                row.bind_row(out);
                Ok(())
            },
        )
    }

    /// The work of [`Connection::execute_many`] and [`Connection::execute_many_rows`]: compile
    /// the INSERT for `columns` once and learn where each parameter comes from (a column of the
    /// row, or a value of the statement such as a column's client-side default), then send the
    /// rows inside a transaction made for the call (a savepoint inside the caller's
    /// transaction), so that a failure or a panic in the rows writes nothing: one prepared
    /// statement re-bound per row, or multi-row INSERTs where the dialect batches (one round
    /// trip per batch on the servers).
    fn insert_many<T, I, F>(
        &mut self,
        insert: &Insert,
        columns: &[&str],
        rows: I,
        values: F,
    ) -> Result<u64>
    where
        I: Iterator<Item = T>,
        F: Fn(&T, &mut [Value]) -> std::result::Result<(), String>,
    {
        if !matches!(insert.source(), InsertSource::Params) {
            return Err(Error::InvalidRequest(
                "execute_many takes an insert() without values; the rows give them".into(),
            ));
        }
        let shape = insert.clone().values(
            columns
                .iter()
                .map(|n| (*n, bindparam(n)))
                .collect::<Values>(),
        );
        let stmt = shape.statement();
        let (compiled, note) = self.prepare(stmt)?;
        let binds = compiled.statement_binds(stmt);
        let sql = compiled.sql_for(&binds).into_owned();
        if self.engine.0.echo {
            self.log(&sql, Some(format!("{note} [executemany]")));
        }
        let mut slots: Vec<Slot<'_>> = Vec::new();
        for spec in compiled.slots() {
            slots.push(match spec {
                ParamSpec::Named(n) => match columns.iter().position(|c| **c == **n) {
                    Some(p) => Slot::Row(p),
                    None => {
                        return Err(Error::InvalidRequest(format!(
                            "execute_many: no value for '{n}' in the rows"
                        )));
                    }
                },
                ParamSpec::Positional(i) => match binds.get(*i) {
                    Some(BindRef::One(v)) => Slot::Fixed(v),
                    _ => {
                        return Err(Error::InvalidRequest(
                            "execute_many: a statement value is missing".into(),
                        ));
                    }
                },
                ParamSpec::Expanding(_) => {
                    return Err(Error::InvalidRequest(
                        "execute_many: an IN list can't be inserted".into(),
                    ));
                }
            });
        }
        let dialect = self.engine.dialect();
        let batch = dialect
            .executemany_batch_rows()
            .min(dialect.max_params() / slots.len().max(1))
            .max(1);
        // A transaction made for the call, or a savepoint inside the caller's: a failure (or a
        // panic in the rows) undoes the whole batch and nothing else.
        let mut tx = self.begin_batch()?;
        let mut rows = RowWriter {
            rows,
            write: values,
            slots: &slots,
            direct: slots
                .iter()
                .enumerate()
                .all(|(i, s)| matches!(s, Slot::Row(p) if *p == i)),
            row: row_buffer(columns.len()),
            index: 0,
        };
        let mut total = 0u64;
        let result = if batch > 1 {
            tx.insert_batches(insert, columns, &mut rows, batch, &mut total)
        } else {
            tx.insert_rebound(&sql, &mut rows, &mut total)
        };
        match result {
            Ok(()) => tx.commit()?,
            Err(e) => {
                // A failed rollback leaves the connection unsure; the error that matters is
                // the batch's.
                let _ = tx.rollback();
                return Err(e);
            }
        }
        Ok(total)
    }

    /// One single-row statement re-bound per row, each row written into the driver's
    /// parameter buffer.
    fn insert_rebound<T, I, F>(
        &mut self,
        sql: &str,
        rows: &mut RowWriter<'_, I, F>,
        total: &mut u64,
    ) -> Result<()>
    where
        I: Iterator<Item = T>,
        F: Fn(&T, &mut [Value]) -> std::result::Result<(), String>,
    {
        let width = rows.slots.len();
        *total += self
            .raw()?
            .execute_many(sql, width, &mut |params| rows.write_next(params))
            .map_err(|e| e.with_statement(sql, None))?;
        Ok(())
    }

    /// Multi-row INSERTs of `batch` rows (the last one smaller): one round trip per batch.
    /// Each batch size is one statement shape, compiled once and cached.
    fn insert_batches<T, I, F>(
        &mut self,
        insert: &Insert,
        columns: &[&str],
        rows: &mut RowWriter<'_, I, F>,
        batch: usize,
        total: &mut u64,
    ) -> Result<()>
    where
        I: Iterator<Item = T>,
        F: Fn(&T, &mut [Value]) -> std::result::Result<(), String>,
    {
        let width = rows.slots.len();
        let mut shapes: Vec<(usize, String)> = Vec::new();
        let mut buf = row_buffer(batch * width);
        loop {
            let mut n = 0;
            while n < batch && rows.write_next(&mut buf[n * width..(n + 1) * width])? {
                n += 1;
            }
            if n == 0 {
                return Ok(());
            }
            let sql = match shapes.iter().find(|(size, _)| *size == n) {
                Some((_, sql)) => sql.clone(),
                None => {
                    // Row r, column c is the named parameter "c<US>r"; the rows' slots come
                    // out in the single-row statement's order, row after row.
                    let shape = insert.clone().values_many((0..n).map(|r| {
                        columns
                            .iter()
                            .map(|c| (*c, bindparam(&format!("{c}\u{1f}{r}"))))
                            .collect::<Values>()
                    }));
                    let stmt = shape.statement();
                    let (compiled, _) = self.prepare(stmt)?;
                    let sql = compiled
                        .sql_for(&compiled.statement_binds(stmt))
                        .into_owned();
                    shapes.push((n, sql.clone()));
                    sql
                }
            };
            let params: Vec<&Value> = buf[..n * width].iter().collect();
            let outcome = self
                .raw()?
                .execute(&sql, &params)
                .map_err(|e| e.with_statement(&sql, None))?;
            *total += outcome.rowcount;
        }
    }

    /// Sets the isolation level of this connection's next transactions, or
    /// [`IsolationLevel::Autocommit`] (SQLAlchemy's
    /// `conn.execution_options(isolation_level=...)`). It lasts until the connection goes back
    /// to the pool, which puts the engine's level back
    /// ([`EngineOptions::isolation_level`](crate::EngineOptions::isolation_level), or the
    /// database's default).
    ///
    /// In AUTOCOMMIT every statement commits by itself: [`Connection::begin`] and
    /// [`Connection::begin_nested`] send nothing, so their commit and rollback change nothing
    /// (as in SQLAlchemy); [`Connection::execute_many`] still runs its batch in a transaction
    /// of its own, all or nothing.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// use athanor::dialect::IsolationLevel;
    /// let engine = create_engine("sqlite://")?;
    /// let mut conn = engine.connect()?;
    /// conn.set_isolation_level(IsolationLevel::Serializable)?;
    /// assert!(matches!(conn.set_isolation_level(IsolationLevel::ReadCommitted), Err(Error::Compile(_))));
    /// conn.set_isolation_level(IsolationLevel::Autocommit)?;
    /// conn.execute(&text("CREATE TABLE t (x INTEGER)"))?;
    /// let mut tx = conn.begin()?;
    /// tx.execute(&text("INSERT INTO t VALUES (1)"))?;
    /// tx.rollback()?; // nothing to roll back: the INSERT committed
    /// assert_eq!(conn.scalar::<i64, _>(&text("SELECT count(*) FROM t"))?, 1);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Compile`] for a level the database lacks; [`Error::InvalidRequest`] inside a
    /// transaction.
    pub fn set_isolation_level(&mut self, level: IsolationLevel) -> Result<()> {
        if self.depth > 0 {
            return Err(Error::InvalidRequest(
                "the isolation level can't change inside a transaction; set it before begin()"
                    .into(),
            ));
        }
        if level != IsolationLevel::Autocommit {
            let sql = self.engine.dialect().isolation_level_sql(level)?;
            self.control(&sql)?;
            self.level_changed = true;
        }
        self.autocommit = level == IsolationLevel::Autocommit;
        self.level = Some(level);
        Ok(())
    }

    /// The isolation level set on this connection or its engine; `None` for the database's
    /// default.
    pub fn isolation_level(&self) -> Option<IsolationLevel> {
        self.level
    }

    /// On return to the pool: the engine's isolation level back on a connection that changed
    /// it. `false` when that failed, or the database has no way back (the connection is then
    /// closed rather than pooled).
    fn restore_isolation_level(&self, raw: &mut dyn DriverConnection) -> bool {
        if !self.level_changed {
            return true;
        }
        let dialect = self.engine.dialect();
        let sql = match self.engine.0.isolation {
            Some(l) if l != IsolationLevel::Autocommit => dialect.isolation_level_sql(l).ok(),
            _ => dialect.reset_isolation_level_sql(),
        };
        sql.is_some_and(|sql| raw.batch(&sql).is_ok())
    }

    /// Begins a transaction; it rolls back unless committed.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine("sqlite://")?;
    /// let mut conn = engine.connect()?;
    /// conn.execute(&text("CREATE TABLE t (x INTEGER)"))?;
    /// {
    ///     let mut tx = conn.begin()?;
    ///     tx.execute(&text("INSERT INTO t VALUES (1)"))?;
    ///     let mut sp = tx.begin_nested()?;           // SAVEPOINT
    ///     sp.execute(&text("INSERT INTO t VALUES (2)"))?;
    ///     sp.rollback()?;                            // ROLLBACK TO SAVEPOINT
    ///     tx.commit()?;
    /// }
    /// let n: i64 = conn.execute(&text("SELECT count(*) FROM t"))?.scalar()?;
    /// assert_eq!(n, 1);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when a transaction is already open (use
    /// [`Connection::begin_nested`]); the database's error for BEGIN.
    pub fn begin(&mut self) -> Result<Transaction<'_>> {
        let scope = self.open_transaction()?;
        Ok(Transaction::new(self, scope))
    }

    /// Begins a nested transaction: a SAVEPOINT inside the open transaction (or a plain
    /// transaction when none is open).
    ///
    /// # Errors
    /// The database's error for SAVEPOINT.
    pub fn begin_nested(&mut self) -> Result<Transaction<'_>> {
        if self.depth == 0 {
            return self.begin();
        }
        if !self.tx_open {
            // AUTOCOMMIT: no transaction to set a savepoint in.
            self.depth += 1;
            return Ok(Transaction::new(self, Scope::Marker));
        }
        self.savepoint()
    }
}

/// Where one parameter of `execute_many`'s statement comes from.
enum Slot<'s> {
    /// The row's value at this column position.
    Row(usize),
    /// A value of the statement itself (a column's client-side default).
    Fixed(&'s Value),
}

fn row_error(i: usize, m: &str) -> Error {
    Error::InvalidRequest(format!("row {i} of execute_many: {m}"))
}

/// Writes `execute_many`'s rows, one at a time, into parameter buffers in the statement's
/// order: directly when the row's values are exactly the parameters, otherwise through a row
/// buffer and the slots (which add the statement's own values, such as client-side defaults).
struct RowWriter<'s, I, F> {
    rows: I,
    write: F,
    slots: &'s [Slot<'s>],
    direct: bool,
    row: Vec<Value>,
    /// Rows written so far (for error messages).
    index: usize,
}

impl<T, I, F> RowWriter<'_, I, F>
where
    I: Iterator<Item = T>,
    F: Fn(&T, &mut [Value]) -> std::result::Result<(), String>,
{
    /// Writes the next row's parameters into `params`; `false` when there are no more rows.
    fn write_next(&mut self, params: &mut [Value]) -> Result<bool> {
        let Some(row) = self.rows.next() else {
            return Ok(false);
        };
        let at = self.index;
        self.index += 1;
        let fail = |m: String| row_error(at, &m);
        if self.direct {
            (self.write)(&row, params).map_err(fail)?;
        } else {
            (self.write)(&row, &mut self.row).map_err(fail)?;
            for (slot, s) in params.iter_mut().zip(self.slots) {
                match s {
                    Slot::Row(p) => self.row[*p].bind_into(slot),
                    Slot::Fixed(v) => v.bind_into(slot),
                }
            }
        }
        Ok(true)
    }
}

/// Writes one row's values for `execute_many` into `out`, in column order; the row must name
/// the same columns, in the same order, as the first row (checked by pointer first, then by
/// text).
fn row_values(
    row: &Values,
    names: &[std::sync::Arc<str>],
    out: &mut [Value],
) -> std::result::Result<(), String> {
    let same = row.0.len() == names.len()
        && row
            .0
            .iter()
            .zip(names)
            .all(|((a, _), b)| std::sync::Arc::ptr_eq(a, b) || a == b);
    if !same {
        return Err(format!(
            "it gives columns ({}) but the first row gave ({})",
            row.names().collect::<Vec<_>>().join(", "),
            names.iter().map(|n| &**n).collect::<Vec<_>>().join(", ")
        ));
    }
    for ((name, e), slot) in row.0.iter().zip(out) {
        match e {
            Expr::Value(v) => v.bind_into(slot),
            _ => {
                return Err(format!(
                    "'{name}' is an expression; execute_many takes plain values"
                ));
            }
        }
    }
    Ok(())
}

/// Can this raw SQL statement begin (or otherwise leave open) a transaction? Its first keyword
/// decides, after comments and parentheses: queries, DML and DDL can't (a function called by a
/// SELECT can't commit or begin, on any of the databases); anything else (`BEGIN`, `START
/// TRANSACTION`, `SAVEPOINT`, `CALL`, `DO`, `SET`, ...) may. A `text()` holds one statement.
fn may_control_transactions(sql: &str) -> bool {
    let mut rest = sql;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '(');
        if let Some(r) = rest.strip_prefix("--") {
            rest = r.split_once('\n').map_or("", |(_, r)| r);
        } else if let Some(r) = rest.strip_prefix("/*") {
            rest = r.split_once("*/").map_or("", |(_, r)| r);
        } else {
            break;
        }
    }
    let word = rest
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("");
    const DATA: [&str; 16] = [
        "SELECT", "WITH", "VALUES", "TABLE", "INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE",
        "SHOW", "EXPLAIN", "DESCRIBE", "CREATE", "DROP", "ALTER", "TRUNCATE",
    ];
    !DATA.iter().any(|k| word.eq_ignore_ascii_case(k))
}

fn inserted_key(ins: &Insert, autoincrement: bool, result: &CursorResult) -> Option<Value> {
    let table = ins.table();
    let pk = &table.primary_key().columns;
    if pk.len() != 1 {
        return None;
    }
    if let InsertSource::Single(values) = ins.source()
        && let Some(Expr::Value(v)) = values.get(&pk[0])
    {
        return Some(v.clone());
    }
    if let (InsertSource::Single(_) | InsertSource::Params, true) = (ins.source(), autoincrement) {
        return result.last_insert_id.map(Value::Int);
    }
    None
}

impl Drop for Connection {
    /// Reset on return: rolls back whatever is open, whatever the connection believes. A
    /// connection whose ROLLBACK fails is closed rather than pooled.
    fn drop(&mut self) {
        if let Some(mut raw) = self.raw.take() {
            let open = raw.in_transaction().unwrap_or(self.tx_open || self.unsure);
            let healthy = if open {
                let rollback = self.engine.dialect().rollback_sql();
                self.log(rollback, None);
                raw.batch(rollback).is_ok()
            } else {
                true
            } && self.restore_isolation_level(raw.as_mut());
            self.engine
                .0
                .pool
                .release(if healthy { Some(raw) } else { None });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::may_control_transactions;

    /// Raw SQL that may begin a transaction makes the connection roll back on return; queries,
    /// DML and DDL don't cost that round trip.
    #[test]
    fn raw_sql_that_may_begin_a_transaction_is_recognised() {
        for sql in [
            "BEGIN",
            "  begin work",
            "START TRANSACTION",
            "/* raw */ BEGIN",
            "-- a comment\nSAVEPOINT x",
            "CALL proc()",
            "DO $$ BEGIN END $$",
            "SET autocommit = 0",
            "",
        ] {
            assert!(may_control_transactions(sql), "{sql:?}");
        }
        for sql in [
            "SELECT 1",
            "(SELECT 1) UNION (SELECT 2)",
            "with x as (select 1) select * from x",
            "INSERT INTO t VALUES (1)",
            "update t set x = 1",
            "DELETE FROM t",
            "-- count\nSELECT count(*) FROM t",
            "CREATE TABLE t (x INTEGER)",
            "DROP TABLE t",
        ] {
            assert!(!may_control_transactions(sql), "{sql:?}");
        }
    }
}
