//! Bulk `DELETE` and `UPDATE` of a query's rows ([`Query::delete`], [`Query::update`]), and
//! how the session's objects are kept true afterwards ([`Synchronize`]).

use athanor_core::compiler::StatementKind;
use athanor_core::sql::{Executable, Expr, Values, delete, select, update};

use super::evaluate::{evaluate, kept_as_computed, truth};

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
///   floats); matching objects are deleted (delete) or get the new values (update). A
///   criterion it can't compute (`LIKE`, functions, subqueries, columns of other tables) is
///   [`Error::Unevaluatable`] before anything runs, never a silent expiry. Text comparisons
///   are Rust's (byte order, case-sensitive), which a case-insensitive collation (MySQL's
///   default) doesn't share: use `Fetch` there.
/// - `Fetch`: the changed rows' keys are read (`RETURNING` where the database has it, a
///   SELECT first elsewhere); matching objects are deleted (delete) or expired (update:
///   they reload on the next read).
///
/// An object a bulk DELETE matched is deleted as by a flush: it leaves the identity map
/// ([`Session::get`] finds none), its handle still reads its last values until the commit,
/// and after the commit the handle is dead ([`Error::DetachedInstance`]). A rollback brings
/// it back. The examples are on [`Query::delete`] and [`Query::update`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Synchronize {
    /// Leave the session's objects as they are.
    False,
    /// Compute the criteria in Rust.
    Evaluate,
    /// Read the changed rows' keys from the database.
    Fetch,
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

    /// Runs a bulk statement and finds the session's objects it matched
    /// (`Synchronize::Fetch`): `keyed` (the statement RETURNING the keys) where the database
    /// has RETURNING for `kind`, else a SELECT of the keys first, then `plain`. Returns the
    /// rows changed and the matched slots.
    fn run_fetching<S: Executable>(
        &mut self,
        kind: StatementKind,
        cond: Option<&Expr>,
        plain: &S,
        keyed: &S,
    ) -> Result<(u64, Vec<u32>)> {
        let returning = self
            .session
            .conn()?
            .engine()
            .dialect()
            .supports_returning(kind);
        if returning {
            let rows = self.session.run(keyed)?.all()?;
            let n = rows.len() as u64;
            return Ok((n, self.slots_of_keys(rows)?));
        }
        let mut find = select(Self::key_columns());
        if let Some(c) = cond {
            find = find.filter(c.clone());
        }
        let rows = self.session.run(&find)?.all()?;
        let hits = self.slots_of_keys(rows)?;
        Ok((self.session.run(plain)?.rowcount(), hits))
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
    /// assert_eq!(s.get::<Artist>(30)?, None);      // gone from the identity map too
    /// assert_eq!(s.read(a)?.id, 30);               // its values readable until commit
    /// s.commit()?;
    /// assert!(s.read(a).is_err());
    /// # Ok::<(), athanor::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Unevaluatable`] (`Evaluate`, before anything runs); the database's error.
    pub fn delete(mut self, sync: Synchronize) -> Result<u64> {
        let cond = self.bulk_criteria("delete")?;
        self.session.autoflush()?;
        self.session.core_writes = true;
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
                let keyed = stmt.clone().returning(Self::key_columns());
                self.run_fetching(StatementKind::Delete, cond.as_ref(), &stmt, &keyed)?
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
                op: TxOp::BulkDeleted,
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
        self.session.core_writes = true;
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
                    .ok_or_else(|| Error::no_such_column(table.fullname(), name.to_string()))
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
                    // A value the database would store differently, or the field can't hold,
                    // is refused now, not found after the UPDATE ran.
                    let mut probe = o.clone();
                    for (c, v) in &vals {
                        kept_as_computed(&table.columns()[*c].ty, v)?;
                        probe.set_column(*c, v.clone())?;
                    }
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
                        op: TxOp::BulkUpdated,
                    });
                }
                Ok(n)
            }
            Synchronize::Fetch => {
                let keyed = stmt.clone().returning(Self::key_columns());
                let (n, hits) =
                    self.run_fetching(StatementKind::Update, cond.as_ref(), &stmt, &keyed)?;
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
    /// ```
    /// # use athanor::prelude::*;
    /// # #[derive(Debug, Clone, PartialEq, Default, Model)]
    /// # #[athanor(table = "Genre")]
    /// # struct Genre {
    /// #     #[athanor(primary_key, column = "GenreId")] id: i64,
    /// #     #[athanor(column = "Name")] name: Option<String>,
    /// # }
    /// # let (engine, _) = athanor::chinook::load()?;
    /// let mut s = Session::new(&engine);
    /// s.add_all([
    ///     Genre { id: 100, name: Some("Polka".into()) },
    ///     Genre { id: 101, name: Some("Ska".into()) },
    /// ])?;
    /// let n = s.bulk_delete::<Genre>(Genre::ID.ge(100), Synchronize::Evaluate)?; // flushed first
    /// assert_eq!(n, 2);
    /// assert_eq!(s.get::<Genre>(100)?, None);
    /// # Ok::<(), athanor::Error>(())
    /// ```
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
