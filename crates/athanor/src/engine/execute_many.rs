//! [`Connection::execute_many`] and [`Connection::execute_many_rows`]: many rows through one
//! compiled INSERT, in a transaction (or savepoint) of their own, all or nothing.

use athanor_core::compiler::ParamSpec;
use athanor_core::sql::{
    BindRef, Executable, Expr, Insert, InsertSource, StatementRef, Values, bindparam,
};
use athanor_core::types::{bind_for_type, check_value_for_column};

use super::connection::Connection;
use super::params_display;
use super::result::{CursorResult, Rows};
use crate::driver::{ExecOutcome, RowSink, row_buffer};
use crate::{BindRow, BindValue, Error, Result, Type, Value};

impl Connection {
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
    /// differ, and for one with `returning()`, whose rows this call has nowhere to put
    /// ([`Connection::execute_many_returning`] returns them); the database's error (and then
    /// nothing of this call is kept).
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine("sqlite://")?;
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md).column(Column::new("x", Type::Integer)).finish()?;
    /// md.create_all(&engine)?;
    /// let mut conn = engine.connect()?;
    /// let stmt = t.insert().returning(t.c("x"));
    /// let err = conn.execute_many(&stmt, [row! { "x" => 1 }]).unwrap_err();
    /// assert!(matches!(err, Error::InvalidRequest(_)));
    /// let left: Vec<i64> = conn.scalars(&select(t.c("x")))?;
    /// assert!(left.is_empty());
    /// # Ok::<(), athanor::Error>(())
    /// ```
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
        self.insert_many(
            insert,
            &columns,
            rows,
            |row: &Values, out: &mut [Value]| row_values(row, &names, out),
            Delivery::Scoped,
        )
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
        self.execute_many_rows_scoped(insert, columns, rows, true)
    }

    /// [`Connection::execute_many_rows`]; with `scoped` false the rows go straight into the
    /// open transaction, without a savepoint of their own (the ORM's flush, which rolls the
    /// whole transaction back on failure).
    pub(crate) fn execute_many_rows_scoped<I, R>(
        &mut self,
        insert: &Insert,
        columns: &[&str],
        rows: I,
        scoped: bool,
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
            if scoped {
                Delivery::Scoped
            } else {
                Delivery::Unscoped
            },
        )
    }

    /// Inserts many rows with an INSERT that has [`Insert::returning`] and returns the rows
    /// RETURNING sends back, one per parameter row, **in the order of the parameter rows**
    /// (SQLAlchemy's executemany with `returning(..., sort_by_parameter_order=True)`, which
    /// its ORM flush relies on to pair new rows with their objects). The rows go in inside a
    /// transaction made for the call (a savepoint inside the caller's), all or nothing; each
    /// row is one execution of the single-row `INSERT ... RETURNING`, so the pairing never
    /// depends on the order a database returns a multi-row `VALUES` list in. Rows may name
    /// different columns (each set of keys is its own cached shape).
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine("sqlite://")?;
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md)
    ///     .column(Column::new("id", Type::Integer).primary_key())
    ///     .column(Column::new("data", Type::String(Some(20))))
    ///     .finish()?;
    /// md.create_all(&engine)?;
    /// let mut conn = engine.connect()?;
    /// let stmt = t.insert().returning((t.c("id"), t.c("data")));
    /// let rows = ["a", "b", "c"].map(|d| row! { "data" => d });
    /// let r = conn.execute_many_returning(&stmt, rows)?;
    /// assert_eq!(r.columns(), ["id", "data"]);
    /// let got: Vec<(i64, String)> = r.tuples()?;
    /// assert_eq!(got, [(1, "a".into()), (2, "b".into()), (3, "c".into())]);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for an insert without `returning()` or one that already has
    /// values; [`Error::Compile`] where the dialect has no `INSERT ... RETURNING` (MySQL,
    /// MariaDB before 10.5); the database's error (and then nothing of this call is kept).
    pub fn execute_many_returning<I>(&mut self, insert: &Insert, rows: I) -> Result<CursorResult>
    where
        I: IntoIterator<Item = Values>,
    {
        if !insert.has_returning() {
            return Err(Error::InvalidRequest(
                "execute_many_returning takes an insert() with returning(...)".into(),
            ));
        }
        if !matches!(insert.source(), InsertSource::Params) {
            return Err(Error::InvalidRequest(
                "execute_many_returning takes an insert() without values; the rows give them"
                    .into(),
            ));
        }
        let mut tx = self.begin_batch()?;
        let mut columns = None;
        let mut values = Vec::new();
        let (mut count, mut rowcount) = (0usize, 0u64);
        let each = || -> Result<()> {
            for row in rows {
                let mut r = tx.execute_with(insert, &row)?;
                rowcount += r.rowcount;
                if columns.is_none() {
                    columns = Some(r.columns.clone());
                }
                while let Some(v) = r.rows.next() {
                    values.extend(v);
                    count += 1;
                }
            }
            Ok(())
        };
        if let Err(e) = each() {
            // A failed rollback leaves the connection unsure; the error that matters is the
            // statement's.
            let _ = tx.rollback();
            return Err(e);
        }
        tx.commit()?;
        let columns = columns.unwrap_or_default();
        let width = columns.names().len();
        let mut out = CursorResult::new(columns, Rows::new(values, width, count));
        out.rowcount = rowcount;
        Ok(out)
    }

    /// Inserts many rows as [`Connection::execute_many_rows`] does, in the open transaction
    /// (no savepoint of their own: the ORM's flush rolls the whole transaction back on
    /// failure), and returns the key the database generated for each row, in row order: the
    /// table's autoincrement column, which the rows must not give.
    ///
    /// SQLite and MySQL re-bind one prepared INSERT per row and read the row id each
    /// execution reports; PostgreSQL and MariaDB send multi-row `INSERT ... RETURNING key`
    /// batches, whose keys must come back one per row and strictly increasing (the order the
    /// database inserts and returns a `VALUES` list's rows in, and generates keys in; see
    /// [`EngineOptions::use_insertmanyvalues`](super::EngineOptions::use_insertmanyvalues)),
    /// or the call fails.
    pub(crate) fn insert_many_returning_keys<I, R>(
        &mut self,
        insert: &Insert,
        columns: &[&str],
        rows: I,
    ) -> Result<Vec<Value>>
    where
        I: IntoIterator<Item = R>,
        R: BindRow,
    {
        let table = insert.table();
        let Some(key) = table.autoincrement_column().map(|c| c.name().to_string()) else {
            return Err(Error::InvalidRequest(format!(
                "table '{}' has no autoincrement column: the database generates no key to return",
                table.name()
            )));
        };
        if columns.contains(&key.as_str()) {
            return Err(Error::InvalidRequest(format!(
                "the rows give '{key}', the key the database would generate"
            )));
        }
        let width = columns.len();
        let rows = rows.into_iter();
        let (least, most) = rows.size_hint();
        let mut keys = Vec::with_capacity(most.unwrap_or(least));
        self.insert_many(
            insert,
            columns,
            rows,
            |row: &R, out: &mut [Value]| {
                if row.width() != width {
                    return Err(format!("it has {} values for {width} columns", row.width()));
                }
                row.bind_row(out);
                Ok(())
            },
            Delivery::Keys(&key, &mut keys),
        )?;
        Ok(keys)
    }

    /// Executes an UPDATE, a DELETE (or any statement) once per row of values for its named
    /// parameters (SQLAlchemy's `conn.execute(stmt, [{...}, {...}])` for a statement that
    /// isn't a bare INSERT): `names` names the `bindparam`s once, each row gives one value per
    /// name, in that order. One prepared statement is re-bound per row, inside a transaction
    /// made for the call (a savepoint inside the caller's), so a failure changes nothing.
    /// Returns the rows matched by all the executions, summed (SQLAlchemy's `rowcount` after
    /// an executemany).
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine("sqlite://")?;
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md)
    ///     .column(Column::new("name", Type::Text))
    ///     .column(Column::new("dept", Type::Text))
    ///     .finish()?;
    /// md.create_all(&engine)?;
    /// let mut conn = engine.connect()?;
    /// conn.execute_many_rows(&t.insert(), &["name", "dept"], [("a", "X"), ("b", "X"), ("c", "X")])?;
    /// let stmt = t.update().set("dept", "Y").filter(t.c("name").eq(bindparam("who")));
    /// assert_eq!(conn.execute_many_params(&stmt, &["who"], [["a"], ["c"], ["nobody"]])?, 2);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] for a parameter no name gives, an expanding IN, or a row of
    /// the wrong length, and for a statement with RETURNING, whose rows an executemany would
    /// lose (SQLAlchemy refuses it too where the dialect has no `update_executemany_returning`
    /// / `delete_executemany_returning`, as on SQLite, PostgreSQL and MySQL): an INSERT's go
    /// through [`Connection::execute_many_returning`], an UPDATE's or DELETE's through
    /// [`Connection::execute_with`] once per row; the database's error (and then nothing of
    /// this call is kept).
    ///
    /// ```
    /// use athanor::prelude::*;
    /// let engine = create_engine("sqlite://")?;
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md).column(Column::new("id", Type::Integer)).finish()?;
    /// md.create_all(&engine)?;
    /// let mut conn = engine.connect()?;
    /// let stmt = t.delete().filter(t.c("id").eq(bindparam("b_id"))).returning(t.c("id"));
    /// let err = conn.execute_many_params(&stmt, &["b_id"], [[1], [2]]).unwrap_err();
    /// assert!(matches!(err, Error::InvalidRequest(_)));
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn execute_many_params<S, I, R>(&mut self, stmt: &S, names: &[&str], rows: I) -> Result<u64>
    where
        S: Executable + ?Sized,
        I: IntoIterator<Item = R>,
        R: BindRow,
    {
        let returning = match stmt.statement() {
            StatementRef::Insert(i) => i.has_returning(),
            StatementRef::Update(u) => u.has_returning(),
            StatementRef::Delete(d) => d.has_returning(),
            _ => false,
        };
        if returning {
            return Err(Error::InvalidRequest(
                "execute_many_params: RETURNING's rows can't come back from an executemany \
                 (an INSERT's come back through execute_many_returning; run an UPDATE or \
                 DELETE with RETURNING once per row with execute_with)"
                    .into(),
            ));
        }
        let mut tx = self.begin_batch()?;
        match tx.execute_many_with(stmt, names, rows, &mut |_| Ok(())) {
            Ok(n) => {
                tx.commit()?;
                Ok(n)
            }
            Err(e) => {
                // A failed rollback leaves the connection unsure; the error that matters is
                // the statement's.
                let _ = tx.rollback();
                Err(e)
            }
        }
    }

    /// Executes one statement once per row of values for its named parameters (the
    /// `bindparam`s `names`, in that order), re-binding one prepared statement, in the open
    /// transaction (the ORM's flush of changed objects); `each` hears what each row's
    /// execution reported (the rows it matched) before the next row runs, and may stop the
    /// batch with an error. Values given to an UPDATE's SET columns are checked as
    /// [`Connection::execute_with`] checks them. Returns the rows matched in all.
    pub(crate) fn execute_many_with<S, I, R>(
        &mut self,
        stmt: &S,
        names: &[&str],
        rows: I,
        each: &mut dyn FnMut(ExecOutcome) -> Result<()>,
    ) -> Result<u64>
    where
        S: Executable + ?Sized,
        I: IntoIterator<Item = R>,
        R: BindRow,
    {
        let stmt = stmt.statement();
        let (compiled, note) = self.prepare(stmt)?;
        let binds = compiled.statement_binds(stmt);
        if compiled.has_literal_execute() {
            return Err(Error::InvalidRequest(
                "executemany: a literal_execute parameter can't be written in per row: \
                 execute the statement once per row"
                    .into(),
            ));
        }
        let sql = compiled.sql_for(&binds, &|_| None).into_owned();
        if self.engine.0.echo {
            self.log(&sql, Some(format!("{note} [executemany]")));
        }
        let mut slots: Vec<Slot<'_>> = Vec::new();
        for spec in compiled.slots() {
            slots.push(match spec {
                ParamSpec::Named(n) => match names.iter().position(|c| **c == **n) {
                    Some(p) => Slot::Row(p),
                    None => {
                        return Err(Error::InvalidRequest(format!(
                            "executemany: no value for '{n}' in the rows"
                        )));
                    }
                },
                ParamSpec::Positional(i) => match binds.get(*i) {
                    Some(BindRef::One(v)) => Slot::Fixed(v),
                    _ => {
                        return Err(Error::InvalidRequest(
                            "executemany: a statement value is missing".into(),
                        ));
                    }
                },
                ParamSpec::Expanding(_) | ParamSpec::NamedExpanding(_) => {
                    return Err(Error::InvalidRequest(
                        "executemany: an IN list can't be re-bound per row".into(),
                    ));
                }
            });
        }
        let width = names.len();
        let mut row = row_buffer(width);
        let mut rows = rows.into_iter();
        let mut index = 0usize;
        let mut next = |params: &mut [Value]| -> Result<bool> {
            let Some(r) = rows.next() else {
                return Ok(false);
            };
            let at = index;
            index += 1;
            if r.width() != width {
                return Err(row_error(
                    at,
                    &format!("it has {} values for {width} parameters", r.width()),
                ));
            }
            r.bind_row(&mut row);
            let named = |n: &str| names.iter().position(|c| *c == n).map(|p| &row[p]);
            athanor_core::types::check_statement_values(stmt, &named)?;
            for (slot, s) in params.iter_mut().zip(&slots) {
                match s {
                    Slot::Row(p) => row[*p].bind_into(slot),
                    Slot::Fixed(v) => v.bind_into(slot),
                }
            }
            Ok(true)
        };
        let width = slots.len();
        let r = self
            .observed(&sql, &[], true, |raw| {
                raw.execute_many(&sql, width, &mut next, Some(each))
            })
            .map_err(|e| e.with_statement(&sql, None));
        if let Err(e) = &r {
            self.note_failure(e);
        }
        r
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
        delivery: Delivery<'_>,
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
        if insert.has_returning() && !matches!(delivery, Delivery::Keys(..)) {
            return Err(Error::InvalidRequest(
                "execute_many: RETURNING's rows would be lost: an insert() with returning() \
                 goes through execute_many_returning"
                    .into(),
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
        if compiled.has_literal_execute() {
            return Err(Error::InvalidRequest(
                "executemany: a literal_execute parameter can't be written in per row: \
                 execute the statement once per row"
                    .into(),
            ));
        }
        // The INSERT's named values are new column values, typed by their columns: no casts.
        let sql = compiled.sql_for(&binds, &|_| None).into_owned();
        let dialect = self.engine.dialect();
        // Rows that give no columns are each an INSERT of defaults (`DEFAULT VALUES` has no
        // multi-row form): one statement re-bound per row.
        let batch = if columns.is_empty() {
            1
        } else {
            dialect.executemany_batch_rows()
        };
        // Batches that return their keys echo each statement as sent.
        let returning = matches!(delivery, Delivery::Keys(..))
            && batch > 1
            && dialect.supports_returning(athanor_core::compiler::StatementKind::Insert);
        if self.engine.0.echo && !returning {
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
                ParamSpec::Expanding(_) | ParamSpec::NamedExpanding(_) => {
                    return Err(Error::InvalidRequest(
                        "execute_many: an IN list can't be inserted".into(),
                    ));
                }
            });
        }
        let batch = batch.min(dialect.max_params() / slots.len().max(1)).max(1);
        // A transaction made for the call, or a savepoint inside the caller's: a failure (or a
        // panic in the rows) undoes the whole batch and nothing else.
        let mut rows = RowWriter {
            rows,
            write: values,
            slots: &slots,
            direct: slots
                .iter()
                .enumerate()
                .all(|(i, s)| matches!(s, Slot::Row(p) if *p == i)),
            row: row_buffer(columns.len()),
            columns: columns
                .iter()
                .map(|n| (*n, insert.table().column_data(n).map(|c| &c.ty)))
                .collect(),
            native_uuid: dialect.native_uuid(),
            index: 0,
        };
        let mut total = 0u64;
        let scoped = match delivery {
            Delivery::Scoped => true,
            Delivery::Unscoped => false,
            Delivery::Keys(key, keys) => {
                if returning {
                    self.insert_batches(
                        insert,
                        columns,
                        &mut rows,
                        batch,
                        &mut total,
                        Some((key, keys)),
                    )?;
                } else {
                    self.insert_rebound(&sql, &mut rows, &mut total, Some(keys))?;
                }
                return Ok(total);
            }
        };
        if !scoped {
            if batch > 1 {
                self.insert_batches(insert, columns, &mut rows, batch, &mut total, None)?;
            } else {
                self.insert_rebound(&sql, &mut rows, &mut total, None)?;
            }
            return Ok(total);
        }
        let mut tx = self.begin_batch()?;
        let result = if batch > 1 {
            tx.insert_batches(insert, columns, &mut rows, batch, &mut total, None)
        } else {
            tx.insert_rebound(&sql, &mut rows, &mut total, None)
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
    /// parameter buffer; with `keys`, each row's generated key (the row id its execution
    /// reports) is pushed there.
    fn insert_rebound<T, I, F>(
        &mut self,
        sql: &str,
        rows: &mut RowWriter<'_, I, F>,
        total: &mut u64,
        keys: Option<&mut Vec<Value>>,
    ) -> Result<()>
    where
        I: Iterator<Item = T>,
        F: Fn(&T, &mut [Value]) -> std::result::Result<(), String>,
    {
        let width = rows.slots.len();
        let mut each = keys.map(|keys| {
            move |done: ExecOutcome| match (done.rowcount, done.last_insert_id) {
                (1, Some(id)) => {
                    keys.push(Value::Int(id));
                    Ok(())
                }
                (n, _) => Err(Error::InvalidRequest(format!(
                    "an INSERT of one row wrote {n} rows or reported no row id: its generated key is unknown"
                ))),
            }
        });
        let r = self
            .observed(sql, &[], true, |raw| {
                raw.execute_many(
                    sql,
                    width,
                    &mut |params| rows.write_next(params),
                    each.as_mut()
                        .map(|f| f as &mut dyn FnMut(ExecOutcome) -> Result<()>),
                )
            })
            .map_err(|e| e.with_statement(sql, None));
        if let Err(e) = &r {
            self.note_failure(e);
        }
        *total += r?;
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
        mut keys: Option<(&str, &mut Vec<Value>)>,
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
                    let mut shape = insert.clone().values_many((0..n).map(|r| {
                        columns
                            .iter()
                            .map(|c| (*c, bindparam(&format!("{c}\u{1f}{r}"))))
                            .collect::<Values>()
                    }));
                    if let Some((key, _)) = &keys {
                        shape = shape.returning(insert.table().try_c(key)?);
                    }
                    let stmt = shape.statement();
                    let (compiled, _) = self.prepare(stmt)?;
                    let sql = compiled
                        .sql_for(&compiled.statement_binds(stmt), &|_| None)
                        .into_owned();
                    shapes.push((n, sql.clone()));
                    sql
                }
            };
            let params: Vec<&Value> = buf[..n * width].iter().collect();
            if let Some((_, keys)) = keys.as_mut() {
                if self.engine.0.echo {
                    self.log(&sql, Some(format!("[insertmanyvalues, {n} rows]")));
                }
                let mut sink = ReturnedKeys(Vec::with_capacity(n));
                let hide = self.engine.0.hide_parameters;
                let r = self
                    .observed(&sql, &params, false, |raw| {
                        raw.query(&sql, &params, None, &mut sink)
                    })
                    .map_err(|e| params_display::attach(e, &sql, hide, &params, Some(width)));
                if let Err(e) = &r {
                    self.note_failure(e);
                }
                r?;
                check_keys(&sink.0, n).map_err(|e| e.with_statement(&sql, None))?;
                *total += n as u64;
                keys.extend(sink.0);
                continue;
            }
            let hide = self.engine.0.hide_parameters;
            let r = self
                .observed(&sql, &params, false, |raw| raw.execute(&sql, &params))
                .map_err(|e| params_display::attach(e, &sql, hide, &params, Some(width)));
            if let Err(e) = &r {
                self.note_failure(e);
            }
            let outcome = r?;
            *total += outcome.rowcount;
        }
    }
}

/// What `insert_many` does with its rows besides inserting them.
enum Delivery<'k> {
    /// In a transaction of their own (a savepoint inside the caller's).
    Scoped,
    /// Straight into the open transaction.
    Unscoped,
    /// Straight into the open transaction, each row's generated key (the column named) pushed
    /// to the vector, in row order.
    Keys(&'k str, &'k mut Vec<Value>),
}

/// Takes the first column of each row `INSERT ... RETURNING key` sends back.
struct ReturnedKeys(Vec<Value>);

impl RowSink for ReturnedKeys {
    fn columns(&mut self, _names: Vec<String>) -> Result<()> {
        Ok(())
    }
    fn row(&mut self, values: &mut [Value]) -> Result<bool> {
        if let Some(v) = values.first_mut() {
            self.0.push(std::mem::take(v));
        }
        Ok(true)
    }
}

/// The keys of a multi-row INSERT's rows are known only when one came back per row, each an
/// integer, strictly increasing: the order the database inserted (and generated keys for)
/// the rows of the `VALUES` list. Anything else fails rather than pair rows and keys by guess.
fn check_keys(keys: &[Value], rows: usize) -> Result<()> {
    let ints: Vec<i64> = keys
        .iter()
        .filter_map(|k| match k {
            Value::Int(i) => Some(*i),
            _ => None,
        })
        .collect();
    if ints.len() == rows && keys.len() == rows && ints.windows(2).all(|w| w[0] < w[1]) {
        return Ok(());
    }
    Err(Error::InvalidRequest(format!(
        "a multi-row INSERT of {rows} rows returned {} generated keys that are not one integer per row in increasing order, so they can't be paired with the rows (EngineOptions::use_insertmanyvalues(false) inserts row by row)",
        keys.len()
    )))
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
    /// Each row value's column name and type, which the value must fit unchanged
    /// ([`check_value_for_column`]).
    columns: Vec<(&'s str, Option<&'s Type>)>,
    /// Whether the database has its own UUID type (text for a `Uuid` column is bound as the
    /// column holds it: [`bind_for_type`]).
    native_uuid: bool,
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
            check_row(&self.columns, self.native_uuid, at, params)?;
        } else {
            (self.write)(&row, &mut self.row).map_err(fail)?;
            check_row(&self.columns, self.native_uuid, at, &mut self.row)?;
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

/// Refuses a row value its column would change on the way in, naming the row; text for a
/// `Uuid` column becomes what the column holds.
fn check_row(
    columns: &[(&str, Option<&Type>)],
    native_uuid: bool,
    at: usize,
    values: &mut [Value],
) -> Result<()> {
    let name_row = |e: Error| match e {
        Error::Data(mut d) => {
            d.message = format!("row {at} of execute_many: {}", d.message);
            Error::Data(d)
        }
        other => other,
    };
    for ((name, ty), v) in columns.iter().zip(values.iter_mut()) {
        if let Some(ty) = ty {
            check_value_for_column(name, ty, v).map_err(name_row)?;
            if let Some(new) = bind_for_type(ty, v, native_uuid).map_err(name_row)? {
                *v = new;
            }
        }
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::check_keys;
    use crate::Value;

    #[test]
    fn keys_of_a_multi_row_insert_pair_with_rows_only_when_increasing_one_per_row() {
        let ints = |v: &[i64]| v.iter().map(|&i| Value::Int(i)).collect::<Vec<_>>();
        assert!(check_keys(&ints(&[1, 2, 3]), 3).is_ok());
        assert!(
            check_keys(&ints(&[7, 100, 101]), 3).is_ok(),
            "gaps are fine"
        );
        assert!(check_keys(&ints(&[]), 0).is_ok());
        for (keys, rows) in [
            (ints(&[1, 3, 2]), 3),
            (ints(&[2, 2, 3]), 3),
            (ints(&[3, 2, 1]), 3),
            (ints(&[1, 2]), 3),
            (ints(&[1, 2, 3, 4]), 3),
            (vec![Value::Int(1), Value::Null, Value::Int(3)], 3),
            (vec![Value::Text("1".into()), Value::Int(2)], 2),
        ] {
            let err = check_keys(&keys, rows).unwrap_err();
            assert!(matches!(err, crate::Error::InvalidRequest(_)), "{err}");
            assert!(err.to_string().contains("can't be paired"), "{err}");
        }
    }
}
