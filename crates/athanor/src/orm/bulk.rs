//! Bulk `DELETE` and `UPDATE` of a query's rows ([`Query::delete`], [`Query::update`]), and
//! how the session's objects are kept true afterwards ([`Synchronize`]).

use std::cmp::Ordering;

use athanor_core::compiler::StatementKind;
use athanor_core::sql::{BinaryOp, BoolOp, Expr, Values, delete, select, update};

use super::handle::Ref;
use super::model::Model;
use super::query::Query;
use super::session::Session;
use super::store::{State, TxEntry, TxOp};
use crate::{Error, Result, Value};

/// How a bulk [`Query::delete`] or [`Query::update`] brings the objects the session holds in
/// step with the rows it changed (SQLAlchemy's `synchronize_session`).
///
/// - `False`: nothing; objects may be out of date until expired or refreshed.
/// - `Evaluate`: the WHERE clause is computed in Rust against each object of the type
///   (comparisons, `AND`/`OR`/`NOT`, `IS NULL`, `BETWEEN`, `IN`, arithmetic on integers and
///   floats); matching objects are removed (delete) or get the new values (update). A
///   criterion it can't compute (`LIKE`, functions, subqueries, columns of other tables) is
///   [`Error::Unevaluatable`] before anything runs, never a silent expiry. Text comparisons
///   are Rust's (byte order, case-sensitive), which a case-insensitive collation (MySQL's
///   default) doesn't share: use `Fetch` there.
/// - `Fetch`: the changed rows' keys are read (`RETURNING` where the database has it, a
///   SELECT first elsewhere); matching objects are removed (delete) or expired (update:
///   they reload on the next read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Synchronize {
    /// Leave the session's objects as they are.
    False,
    /// Compute the criteria in Rust.
    Evaluate,
    /// Read the changed rows' keys from the database.
    Fetch,
}

/// A value computed for one object, or why it can't be.
fn unevaluatable(what: &str) -> Error {
    Error::Unevaluatable(format!(
        "synchronize_session=evaluate can't compute {what} in Rust; use Synchronize::Fetch"
    ))
}

fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Int(x), Value::Float(y)) => (*x as f64).partial_cmp(y),
        (Value::Float(x), Value::Int(y)) => x.partial_cmp(&(*y as f64)),
        (Value::Float(x), Value::Float(y)) => x.partial_cmp(y),
        (Value::Text(x), Value::Text(y)) => Some(x.cmp(y)),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        (Value::Bool(x), Value::Int(y)) => Some(i64::from(*x).cmp(y)),
        (Value::Int(x), Value::Bool(y)) => Some(x.cmp(&i64::from(*y))),
        (x, y) if x == y => Some(Ordering::Equal),
        _ => None,
    }
}

fn truth(v: &Value) -> Option<bool> {
    match v {
        Value::Null => None,
        Value::Bool(b) => Some(*b),
        Value::Int(i) => Some(*i != 0),
        _ => None,
    }
}

fn from_truth(t: Option<bool>) -> Value {
    t.map_or(Value::Null, Value::Bool)
}

/// Computes an expression over one object of `M` (SQL's three-valued logic: NULL is
/// unknown).
pub(crate) fn evaluate<M: Model>(e: &Expr, obj: &M) -> Result<Value> {
    Ok(match e {
        Expr::Column(c) => {
            if !c.from.is_table(M::table()) {
                return Err(unevaluatable(&format!(
                    "column {} of another table",
                    c.name()
                )));
            }
            match M::table()
                .columns()
                .iter()
                .position(|x| x.name() == c.name())
            {
                Some(i) => obj.column_value(i),
                None => return Err(unevaluatable(&format!("column {}", c.name()))),
            }
        }
        Expr::Value(v) => v.clone(),
        Expr::Null => Value::Null,
        Expr::Bool(b) => Value::Bool(*b),
        Expr::Label(_, e) | Expr::Typed(e, _) => evaluate(e, obj)?,
        Expr::Not(e) => from_truth(truth(&evaluate(e, obj)?).map(|b| !b)),
        Expr::IsNull(e, negated) => Value::Bool(evaluate(e, obj)?.is_null() != *negated),
        Expr::Bool2(op, items) => {
            let mut unknown = false;
            let and = matches!(op, BoolOp::And);
            for item in items {
                match truth(&evaluate(item, obj)?) {
                    Some(b) if b != and => return Ok(Value::Bool(b)),
                    None => unknown = true,
                    _ => {}
                }
            }
            if unknown {
                Value::Null
            } else {
                Value::Bool(and)
            }
        }
        Expr::Between(e, lo, hi, negated) => {
            let v = evaluate(e, obj)?;
            let (lo, hi) = (evaluate(lo, obj)?, evaluate(hi, obj)?);
            match (compare(&v, &lo), compare(&v, &hi)) {
                (Some(a), Some(b)) if !v.is_null() && !lo.is_null() && !hi.is_null() => {
                    Value::Bool((a != Ordering::Less && b != Ordering::Greater) != *negated)
                }
                _ if v.is_null() || lo.is_null() || hi.is_null() => Value::Null,
                _ => return Err(unevaluatable("a comparison of values of different kinds")),
            }
        }
        Expr::InValues(e, list, negated) if list.1 == 1 => {
            let v = evaluate(e, obj)?;
            if v.is_null() {
                Value::Null
            } else {
                let found = list
                    .0
                    .iter()
                    .any(|x| compare(&v, x) == Some(Ordering::Equal));
                let has_null = list.0.iter().any(Value::is_null);
                if !found && has_null {
                    Value::Null
                } else {
                    Value::Bool(found != *negated)
                }
            }
        }
        Expr::Binary(op, l, r) => {
            let (a, b) = (evaluate(l, obj)?, evaluate(r, obj)?);
            binary(*op, &a, &b)?
        }
        other => {
            let text = format!("{other:?}");
            let short: String = text.chars().take(60).collect();
            return Err(unevaluatable(&format!("the expression {short}")));
        }
    })
}

fn binary(op: BinaryOp, a: &Value, b: &Value) -> Result<Value> {
    use BinaryOp::*;
    if matches!(op, Is | IsNotDistinctFrom) {
        return Ok(Value::Bool(
            compare(a, b) == Some(Ordering::Equal) || (a.is_null() && b.is_null()),
        ));
    }
    if matches!(op, IsNot | IsDistinctFrom) {
        return Ok(Value::Bool(
            !(compare(a, b) == Some(Ordering::Equal) || (a.is_null() && b.is_null())),
        ));
    }
    if a.is_null() || b.is_null() {
        return Ok(Value::Null);
    }
    let cmp = |want: fn(Ordering) -> bool| -> Result<Value> {
        compare(a, b)
            .map(|o| Value::Bool(want(o)))
            .ok_or_else(|| unevaluatable("a comparison of values of different kinds"))
    };
    match op {
        Eq => cmp(|o| o == Ordering::Equal),
        Ne => cmp(|o| o != Ordering::Equal),
        Lt => cmp(|o| o == Ordering::Less),
        Le => cmp(|o| o != Ordering::Greater),
        Gt => cmp(|o| o == Ordering::Greater),
        Ge => cmp(|o| o != Ordering::Less),
        Concat => match (a, b) {
            (Value::Text(x), Value::Text(y)) => Ok(Value::Text(format!("{x}{y}"))),
            _ => Err(unevaluatable("|| of values that aren't text")),
        },
        Add | Sub | Mul | Div | FloorDiv | Mod => arithmetic(op, a, b),
        _ => Err(unevaluatable("this operator")),
    }
}

fn arithmetic(op: BinaryOp, a: &Value, b: &Value) -> Result<Value> {
    use BinaryOp::*;
    let overflow = || unevaluatable("integer arithmetic that overflows");
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Ok(match op {
            Add => Value::Int(x.checked_add(*y).ok_or_else(overflow)?),
            Sub => Value::Int(x.checked_sub(*y).ok_or_else(overflow)?),
            Mul => Value::Int(x.checked_mul(*y).ok_or_else(overflow)?),
            // SQLAlchemy 2.x: `/` is true division.
            Div if *y != 0 => Value::Float(*x as f64 / *y as f64),
            FloorDiv if *y != 0 => Value::Int(x.div_euclid(*y)),
            Mod if *y != 0 => Value::Int(x.checked_rem(*y).ok_or_else(overflow)?),
            _ => return Err(unevaluatable("a division by zero")),
        }),
        (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => {
            let f = |v: &Value| match v {
                Value::Int(i) => *i as f64,
                Value::Float(x) => *x,
                _ => 0.0,
            };
            let (x, y) = (f(a), f(b));
            Ok(Value::Float(match op {
                Add => x + y,
                Sub => x - y,
                Mul => x * y,
                Div if y != 0.0 => x / y,
                FloorDiv if y != 0.0 => (x / y).floor(),
                _ => return Err(unevaluatable("this float arithmetic")),
            }))
        }
        _ => Err(unevaluatable("arithmetic on values that aren't numbers")),
    }
}

impl<M: Model> Query<'_, Ref<M>> {
    /// The query's WHERE clause, for a bulk statement; refuses queries a bulk statement can't
    /// express.
    fn bulk_criteria(&self, what: &str) -> Result<Option<Expr>> {
        let s: &athanor_core::sql::SelectParts = &self.stmt;
        if s.limits_or_groups() {
            return Err(Error::InvalidRequest(format!(
                "Query.{what}() can't run on a query with LIMIT, OFFSET, GROUP BY or DISTINCT"
            )));
        }
        Ok(s.where_clause().cloned())
    }

    /// The objects of `M` the criteria match, computed in Rust (expired ones reloaded
    /// first).
    fn evaluate_matches(&mut self, cond: Option<&Expr>) -> Result<Vec<u32>> {
        self.session.refresh_expired::<M>()?;
        let store = self.session.store::<M>();
        let mut out = Vec::new();
        for (i, s) in store.slots.iter().enumerate() {
            if !matches!(s.state, State::Persistent | State::Deleted) {
                continue;
            }
            let Some(o) = &s.obj else { continue };
            let hit = match cond {
                Some(c) => truth(&evaluate(c, o)?) == Some(true),
                None => true,
            };
            if hit {
                out.push(i as u32);
            }
        }
        Ok(out)
    }

    /// The slots of the objects with these keys.
    fn slots_of_keys(&mut self, rows: Vec<crate::Row>) -> Result<Vec<u32>> {
        let store = self.session.store::<M>();
        let mut out = Vec::new();
        for mut row in rows {
            let columns = row.columns.clone();
            let rv = crate::RowValues::new(&columns, &mut row.values);
            let key = M::key_from_row(&rv, 0)?;
            if let Some(&i) = store.map.get(&key) {
                out.push(i);
            }
        }
        Ok(out)
    }

    fn key_columns() -> Vec<Expr> {
        let table = M::table();
        M::PRIMARY_KEY
            .iter()
            .map(|&c| table.c(table.columns()[c].name()))
            .collect()
    }

    /// Deletes the query's rows with one `DELETE` (SQLAlchemy's `query.delete()`) and returns
    /// how many were deleted; `sync` says how the session's objects follow.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// #[derive(Debug, Clone, PartialEq, Model)]
    /// #[athanor(table = "Artist")]
    /// struct Artist {
    ///     #[athanor(primary_key, column = "ArtistId")] id: i64,
    ///     #[athanor(column = "Name")] name: Option<String>,
    /// }
    /// let (engine, _) = athanor::chinook::load()?;
    /// let mut s = Session::new(&engine);
    /// let a = s.get::<Artist>(30)?.expect("artist 30");
    /// let n = s.query::<Artist>().filter(Artist::ID.between(28, 35)).delete(Synchronize::Fetch)?;
    /// assert_eq!((n, s.query::<Artist>().count()?), (8, 267));
    /// assert!(s.read(a).is_err()); // gone from the session too
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Unevaluatable`] (`Evaluate`, before anything runs); the database's error.
    pub fn delete(mut self, sync: Synchronize) -> Result<u64> {
        let cond = self.bulk_criteria("delete")?;
        self.session.autoflush()?;
        let table = M::table();
        let mut stmt = delete(table);
        if let Some(c) = &cond {
            stmt = stmt.filter(c.clone());
        }
        let (count, gone) = match sync {
            Synchronize::False => (self.session.run(&stmt)?.rowcount(), Vec::new()),
            Synchronize::Evaluate => {
                let hits = self.evaluate_matches(cond.as_ref())?;
                (self.session.run(&stmt)?.rowcount(), hits)
            }
            Synchronize::Fetch => {
                let returning = self
                    .session
                    .connection()?
                    .engine()
                    .dialect()
                    .supports_returning(StatementKind::Delete);
                if returning {
                    let r = self.session.run(&stmt.returning(Self::key_columns()))?;
                    let n = r.rowcount();
                    let rows = r.all()?;
                    let n = n.max(rows.len() as u64);
                    (n, self.slots_of_keys(rows)?)
                } else {
                    let mut find = select(Self::key_columns());
                    if let Some(c) = &cond {
                        find = find.filter(c.clone());
                    }
                    let rows = self.session.run(&find)?.all()?;
                    let hits = self.slots_of_keys(rows)?;
                    (self.session.run(&stmt)?.rowcount(), hits)
                }
            }
        };
        let level = self.session.level();
        let store = self.session.store::<M>();
        for i in gone {
            let s = &mut store.slots[i as usize];
            s.state = State::Gone;
            let generation = s.generation;
            if let Some(k) = &s.key
                && store.map.get(k) == Some(&i)
            {
                store.map.remove(k);
            }
            store.log.push(TxEntry {
                slot: i,
                generation,
                level,
                op: TxOp::Deleted,
            });
        }
        Ok(count)
    }

    /// Updates the query's rows with one `UPDATE ... SET` (SQLAlchemy's `query.update()`)
    /// and returns how many rows matched; `sync` says how the session's objects follow.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// #[derive(Debug, Clone, PartialEq, Model)]
    /// #[athanor(table = "Track")]
    /// struct Track {
    ///     #[athanor(primary_key, column = "TrackId")] id: i64,
    ///     #[athanor(column = "Name")] name: String,
    ///     #[athanor(column = "Milliseconds")] ms: i64,
    /// }
    /// let (engine, _) = athanor::chinook::load()?;
    /// let mut s = Session::new(&engine);
    /// let t = s.get::<Track>(1)?.expect("track 1");
    /// let ms = s.read(t)?.ms;
    /// let n = s.query::<Track>().filter(Track::ID.le(3))
    ///     .update(row! { "Milliseconds" => Track::MS.expr() + 1000 }, Synchronize::Evaluate)?;
    /// assert_eq!(n, 3);
    /// assert_eq!(s.read(t)?.ms, ms + 1000); // computed in Rust, no query
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Unevaluatable`] (`Evaluate`, before anything runs); the database's error.
    pub fn update(mut self, values: impl Into<Values>, sync: Synchronize) -> Result<u64> {
        let values: Values = values.into();
        let cond = self.bulk_criteria("update")?;
        self.session.autoflush()?;
        let table = M::table();
        let mut stmt = update(table).values(values.clone());
        if let Some(c) = &cond {
            stmt = stmt.filter(c.clone());
        }
        let targets: Vec<(usize, Expr)> = values
            .0
            .iter()
            .map(|(name, e)| {
                table
                    .columns()
                    .iter()
                    .position(|c| c.name() == &**name)
                    .map(|i| (i, e.clone()))
                    .ok_or_else(|| Error::NoSuchColumn {
                        table: table.fullname(),
                        column: name.to_string(),
                    })
            })
            .collect::<Result<_>>()?;
        match sync {
            Synchronize::False => Ok(self.session.run(&stmt)?.rowcount()),
            Synchronize::Evaluate => {
                let hits = self.evaluate_matches(cond.as_ref())?;
                // Every new value is computed before anything runs.
                let store = self.session.store::<M>();
                let mut new_values: Vec<(u32, Vec<(usize, Value)>)> = Vec::new();
                for &i in &hits {
                    let Some(o) = &store.slots[i as usize].obj else {
                        continue;
                    };
                    let vals = targets
                        .iter()
                        .map(|(c, e)| Ok((*c, evaluate(e, o)?)))
                        .collect::<Result<Vec<_>>>()?;
                    new_values.push((i, vals));
                }
                let n = self.session.run(&stmt)?.rowcount();
                let level = self.session.level();
                let store = self.session.store::<M>();
                for (i, vals) in new_values {
                    let s = &mut store.slots[i as usize];
                    if let Some(o) = &mut s.obj {
                        for (c, v) in vals {
                            o.set_column(c, v)?;
                        }
                    }
                    // The snapshot (if any) follows: the new values are the database's.
                    if let (Some(snap), Some(o)) = (&mut s.snapshot, &s.obj) {
                        for (c, _) in &targets {
                            snap.set_column(*c, o.column_value(*c))?;
                        }
                    }
                    let generation = s.generation;
                    store.log.push(TxEntry {
                        slot: i,
                        generation,
                        level,
                        op: TxOp::Updated,
                    });
                }
                Ok(n)
            }
            Synchronize::Fetch => {
                let mut find = select(Self::key_columns());
                if let Some(c) = &cond {
                    find = find.filter(c.clone());
                }
                let rows = self.session.run(&find)?.all()?;
                let hits = self.slots_of_keys(rows)?;
                let n = self.session.run(&stmt)?.rowcount();
                let store = self.session.store::<M>();
                for i in hits {
                    store.expire_slot(i);
                }
                Ok(n)
            }
        }
    }
}

impl Session {
    /// `session.query::<M>()` then `delete` (a shorthand for [`Query::delete`] of every row
    /// matching `cond`).
    ///
    /// # Errors
    /// As [`Query::delete`].
    pub fn bulk_delete<M: Model>(
        &mut self,
        cond: impl Into<Expr>,
        sync: Synchronize,
    ) -> Result<u64> {
        self.query::<M>().filter(cond).delete(sync)
    }
}
