//! The unit of work for one mapped type: the INSERTs, UPDATEs and DELETEs a flush sends for
//! a [`Store`], batched by statement shape. The order across types (parents first) is the
//! session's ([`Session::flush`](super::Session::flush)).

use athanor_core::sql::{Expr, Insert, Values, and_, bindparam, delete, insert, tuple_, update};

use super::model::Model;
use super::store::{State, Store};
use crate::engine::Connection;
use crate::{BindRow, Error, Result, Value};

/// Objects of one IN-list DELETE.
const DELETE_CHUNK: usize = 500;

/// One object's values for the columns of an INSERT, bound straight from its fields.
struct ObjectRow<'a, M> {
    obj: &'a M,
    columns: &'a [usize],
}

impl<M: Model> BindRow for ObjectRow<'_, M> {
    fn width(&self) -> usize {
        self.columns.len()
    }
    fn bind_row(&self, out: &mut [Value]) {
        for (slot, &c) in out.iter_mut().zip(self.columns) {
            self.obj.bind_column(c, slot);
        }
    }
}

/// One object's values for an UPDATE of its changed columns: those columns' values, then its
/// key as loaded (the parameters `c<column>`..., `k<column>`...).
struct UpdateRow<'a, M: Model> {
    obj: &'a M,
    key: &'a M::Key,
    columns: &'a [usize],
}

impl<M: Model> BindRow for UpdateRow<'_, M> {
    fn width(&self) -> usize {
        self.columns.len() + M::PRIMARY_KEY.len()
    }
    fn bind_row(&self, out: &mut [Value]) {
        let (set, key) = out.split_at_mut(self.columns.len());
        for (slot, &c) in set.iter_mut().zip(self.columns) {
            self.obj.bind_column(c, slot);
        }
        if self.obj.key().as_ref() == Some(self.key) {
            // The object still has the key it was loaded with: bound from its fields.
            for (slot, &c) in key.iter_mut().zip(M::PRIMARY_KEY) {
                self.obj.bind_column(c, slot);
            }
        } else {
            for (slot, v) in key.iter_mut().zip(M::key_values(self.key)) {
                *slot = v;
            }
        }
    }
}

/// The bound parameter named for column `c` of a flush statement.
fn param(prefix: char, c: usize) -> String {
    format!("{prefix}{c}")
}

/// `key = :k<c>` for each key column `c` (a statement built once, given each key's values).
pub(crate) fn key_condition<M: Model>() -> Expr {
    let table = M::table();
    let conds: Vec<Expr> = M::PRIMARY_KEY
        .iter()
        .map(|&c| {
            let col = table.c(table.columns()[c].name());
            col.eq(bindparam(&param('k', c)))
        })
        .collect();
    and_(conds)
}

/// The values of one key for [`key_condition`]'s parameters.
pub(crate) fn key_params<M: Model>(key: &M::Key) -> Values {
    let mut params = Values::with_capacity(M::PRIMARY_KEY.len());
    for (&c, v) in M::PRIMARY_KEY.iter().zip(M::key_values(key)) {
        params = params.set(&param('k', c), v);
    }
    params
}

/// `key = value` for one key (`a = ? AND b = ?` for a composite key).
pub(crate) fn key_eq<M: Model>(key: &M::Key) -> Expr {
    let table = M::table();
    let conds: Vec<Expr> = M::PRIMARY_KEY
        .iter()
        .zip(M::key_values(key))
        .map(|(&c, v)| table.c(table.columns()[c].name()).eq(v))
        .collect();
    if conds.len() == 1 {
        conds.into_iter().next().unwrap_or(Expr::Bool(true))
    } else {
        and_(conds)
    }
}

/// `key IN (...)` (a tuple IN for a composite key) over keys' values, flat.
pub(crate) fn key_in<M: Model>(flat: Vec<Value>) -> Expr {
    let table = M::table();
    let mut cols: Vec<Expr> = M::PRIMARY_KEY
        .iter()
        .map(|&c| table.c(table.columns()[c].name()))
        .collect();
    let width = cols.len();
    let target = if width == 1 {
        cols.remove(0)
    } else {
        tuple_(cols)
    };
    Expr::InValues(
        Box::new(target),
        athanor_core::sql::Expanding(std::sync::Arc::from(flat), width),
        false,
    )
}

fn describe<M: Model>(obj: &M) -> String {
    match obj.key() {
        Some(k) => M::describe_key(&k),
        None => format!("{} (key not yet generated)", M::NAME),
    }
}

/// Positions of `(child column, parent column)` pairs of the table's foreign keys to itself.
fn self_references<M: Model>() -> Vec<Vec<(usize, usize)>> {
    let table = M::table();
    let pos = |name: &str| table.columns().iter().position(|c| c.name() == name);
    table
        .foreign_keys()
        .iter()
        .filter(|fk| {
            fk.referred_table == table.name()
                && fk
                    .referred_schema
                    .as_deref()
                    .is_none_or(|s| Some(s) == table.schema())
        })
        .filter_map(|fk| {
            fk.columns
                .iter()
                .zip(&fk.referred_columns)
                .map(|(c, r)| Some((pos(c)?, pos(r)?)))
                .collect::<Option<Vec<_>>>()
        })
        .collect()
}

/// Orders slots so that a row referring to another row of the list (through a foreign key
/// to its own table) comes after it; `parents_first` false gives the reverse, for DELETE.
/// Rows in a cycle keep their order (the database then reports the cycle).
fn order_self_referencing<M: Model>(store: &Store<M>, slots: &mut Vec<u32>, parents_first: bool) {
    let refs = self_references::<M>();
    if refs.is_empty() || slots.len() < 2 {
        return;
    }
    let values = |i: u32, cols: &mut dyn Iterator<Item = usize>| -> Vec<Value> {
        match &store.slots[i as usize].obj {
            Some(o) => cols.map(|c| o.column_value(c)).collect(),
            None => Vec::new(),
        }
    };
    let n = slots.len();
    // deps[a] holds the rows a refers to.
    let mut deps: Vec<Vec<usize>> = vec![Vec::new(); n];
    for fk in &refs {
        let keys: Vec<Vec<Value>> = slots
            .iter()
            .map(|&i| values(i, &mut fk.iter().map(|p| p.1)))
            .collect();
        for (a, &i) in slots.iter().enumerate() {
            let v = values(i, &mut fk.iter().map(|p| p.0));
            if v.iter().any(Value::is_null) {
                continue;
            }
            if let Some(b) = keys.iter().position(|k| *k == v)
                && b != a
            {
                deps[a].push(b);
            }
        }
    }
    let mut done = vec![false; n];
    let mut order = Vec::with_capacity(n);
    while order.len() < n {
        let before = order.len();
        for a in 0..n {
            if !done[a] && deps[a].iter().all(|&b| done[b]) {
                done[a] = true;
                order.push(a);
            }
        }
        if order.len() == before {
            order.extend((0..n).filter(|&a| !done[a]));
            break;
        }
    }
    if !parents_first {
        order.reverse();
    }
    *slots = order.into_iter().map(|a| slots[a]).collect();
}

impl<M: Model> Store<M> {
    /// The slots of a list still in `state`, once each, in slot order.
    fn live(&self, list: &[u32], state: State) -> Vec<u32> {
        let mut out: Vec<u32> = list
            .iter()
            .copied()
            .filter(|&i| self.slots[i as usize].state == state)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// INSERTs of the pending objects, grouped by the columns they give: a group whose keys
    /// are all known goes out as one batch (`execute_many`); a group whose key the database
    /// generates goes row by row, reading the key back (RETURNING or the last row id).
    pub(crate) fn flush_inserts(&mut self, conn: &mut Connection, batch: bool) -> Result<()> {
        let mut todo = self.live(&self.pending, State::Pending);
        if todo.is_empty() {
            return Ok(());
        }
        let table = M::table();
        let auto = M::autoincrement_index();
        // Client-side defaults go into the objects, as SQLAlchemy puts them in the parameters
        // and the object.
        let defaults: Vec<(usize, Value)> = table
            .columns()
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.default.clone().map(|d| (i, d)))
            .collect();
        for &i in todo.iter().filter(|_| !defaults.is_empty()) {
            if let Some(o) = &mut self.slots[i as usize].obj {
                for (c, d) in &defaults {
                    if o.is_unset(*c) {
                        o.set_column(*c, d.clone())?;
                    }
                }
            }
        }
        order_self_referencing(self, &mut todo, true);
        // Groups of consecutive objects giving the same columns (consecutive, so that the
        // self-referencing order holds). Only the autoincrement and defaulted columns may be
        // left out: an object's group is the set of those it leaves unset.
        let optional: Vec<usize> = (0..M::width())
            .filter(|&c| Some(c) == auto || M::DEFAULTED.contains(&c))
            .collect();
        let mut groups: Vec<(Vec<usize>, Vec<u32>)> = Vec::new();
        let mut omitted: Vec<usize> = Vec::with_capacity(optional.len());
        let mut last: Option<Vec<usize>> = None;
        for &i in &todo {
            let Some(o) = &self.slots[i as usize].obj else {
                continue;
            };
            omitted.clear();
            omitted.extend(optional.iter().copied().filter(|&c| o.is_unset(c)));
            match (groups.last_mut(), &last) {
                (Some((_, members)), Some(prev)) if *prev == omitted => members.push(i),
                _ => {
                    let cols = (0..M::width()).filter(|c| !omitted.contains(c)).collect();
                    groups.push((cols, vec![i]));
                    last = Some(omitted.clone());
                }
            }
        }
        for (cols, members) in groups {
            let names: Vec<&str> = cols.iter().map(|&c| table.columns()[c].name()).collect();
            let generated = auto.is_some_and(|a| !cols.contains(&a));
            let omitted_defaults = M::DEFAULTED.iter().any(|c| !cols.contains(c));
            let batch_keys = batch && conn.engine().0.insertmanyvalues;
            if let (true, true, Some(a)) = (generated, batch_keys, auto) {
                self.insert_batch_keys(conn, &cols, &names, &members, a)?;
            } else if generated || !batch {
                // One statement per object: keys the database generates where the engine
                // doesn't batch them, and the slow path the batches are tested against.
                self.insert_each(conn, &cols, &names, &members, auto)?;
            } else {
                let stmt = insert(table);
                let rows = members.iter().filter_map(|&i| {
                    self.slots[i as usize].obj.as_ref().map(|obj| ObjectRow {
                        obj,
                        columns: &cols,
                    })
                });
                conn.execute_many_rows_scoped(&stmt, &names, rows, false)
                    .map_err(|e| e.with_object(|| self.describe_batch(&members)))?;
            }
            self.record.inserted.extend(&members);
            if omitted_defaults {
                self.record.expire.extend(&members);
            }
        }
        Ok(())
    }

    /// How an error names the objects of a batch: the object, or the first five of them.
    fn describe_batch(&self, members: &[u32]) -> String {
        let keys: Vec<String> = members
            .iter()
            .take(5)
            .filter_map(|&i| self.slots[i as usize].obj.as_ref().map(describe))
            .collect();
        if members.len() == 1 {
            keys.join("")
        } else {
            format!(
                "one of {} {} objects inserted in a batch ({}{})",
                members.len(),
                M::NAME,
                keys.join(", "),
                if members.len() > 5 { ", ..." } else { "" }
            )
        }
    }

    /// The objects' INSERTs in batches, each object given the key the database generated
    /// for its row ([`Connection::insert_many_returning_keys`]: one prepared INSERT re-bound
    /// per object on SQLite and MySQL, multi-row `INSERT ... RETURNING` on PostgreSQL and
    /// MariaDB). [`Store::insert_each`] is the same work one statement per object
    /// (`EngineOptions::use_insertmanyvalues(false)`); `tests/orm/fast_paths.rs` checks that
    /// the two leave the same objects and rows.
    fn insert_batch_keys(
        &mut self,
        conn: &mut Connection,
        cols: &[usize],
        names: &[&str],
        members: &[u32],
        auto: usize,
    ) -> Result<()> {
        // Every member holds its object (the groups were made from them); the rows are read
        // as the driver binds them, not collected first.
        let rows = members.iter().filter_map(|&i| {
            self.slots[i as usize]
                .obj
                .as_ref()
                .map(|obj| ObjectRow { obj, columns: cols })
        });
        let keys = conn
            .insert_many_returning_keys(&insert(M::table()), names, rows)
            .map_err(|e| e.with_object(|| self.describe_batch(members)))?;
        if keys.len() != members.len() {
            return Err(Error::InvalidRequest(format!(
                "the database reported {} generated keys for {} new {} objects",
                keys.len(),
                members.len(),
                M::NAME
            )));
        }
        self.record.generated.reserve(members.len());
        for (&i, v) in members.iter().zip(keys) {
            if let Some(o) = self.slots[i as usize].obj.as_mut() {
                o.set_column(auto, v)?;
            }
            self.record.generated.push(i);
        }
        Ok(())
    }

    /// One INSERT per object, reading back the key the database generated.
    fn insert_each(
        &mut self,
        conn: &mut Connection,
        cols: &[usize],
        names: &[&str],
        members: &[u32],
        auto: Option<usize>,
    ) -> Result<()> {
        let table = M::table();
        let stmt: Insert = insert(table).values(
            cols.iter()
                .zip(names)
                .map(|(&c, n)| (*n, bindparam(&param('c', c))))
                .collect::<Values>(),
        );
        let pnames: Vec<String> = cols.iter().map(|&c| param('c', c)).collect();
        for &i in members {
            let Some(obj) = self.slots[i as usize].obj.as_ref() else {
                continue;
            };
            let mut params = Values::with_capacity(cols.len());
            for (&c, n) in cols.iter().zip(&pnames) {
                params = params.set(n, obj.column_value(c));
            }
            let r = conn
                .execute_with(&stmt, &params)
                .map_err(|e| e.with_object(|| describe(obj)))?;
            let Some(a) = auto else { continue };
            let key = r
                .inserted_primary_key_row()
                .and_then(|row| row.value(table.columns()[a].name()).ok().cloned())
                .filter(|v| !v.is_null());
            let Some(v) = key else {
                return Err(Error::InvalidRequest(format!(
                    "the database did not report the key it generated for a new {} object",
                    M::NAME
                )));
            };
            if let Some(o) = self.slots[i as usize].obj.as_mut() {
                o.set_column(a, v)?;
            }
            self.record.generated.push(i);
        }
        Ok(())
    }

    /// UPDATEs of the changed columns of each modified object (nothing for an object whose
    /// values equal its snapshot again), matched by the key the object was loaded with:
    /// consecutive objects that changed the same columns share one statement, prepared once
    /// and re-bound per object ([`Connection::execute_many_with`]), each object's row count
    /// checked as it runs.
    pub(crate) fn flush_updates(&mut self, conn: &mut Connection) -> Result<()> {
        let mut todo: Vec<u32> = self
            .modified
            .iter()
            .copied()
            .filter(|&i| self.slots[i as usize].state == State::Persistent)
            .collect();
        todo.sort_unstable();
        todo.dedup();
        let table = M::table();
        let mut batches: Vec<(Vec<usize>, Vec<u32>)> = Vec::new();
        let mut changed = Vec::new();
        for i in todo {
            self.changes(i, &mut changed);
            let slot = &self.slots[i as usize];
            if changed.is_empty() || slot.obj.is_none() || slot.key.is_none() {
                continue;
            }
            match batches.last_mut() {
                Some((cols, members)) if *cols == changed => members.push(i),
                _ => batches.push((changed.clone(), vec![i])),
            }
        }
        for (cols, members) in batches {
            let values: Values = cols
                .iter()
                .map(|&c| (table.columns()[c].name(), bindparam(&param('c', c))))
                .collect();
            let stmt = update(table).values(values).filter(key_condition::<M>());
            let names: Vec<String> = cols
                .iter()
                .map(|&c| param('c', c))
                .chain(M::PRIMARY_KEY.iter().map(|&c| param('k', c)))
                .collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let rows = members.iter().filter_map(|&i| {
                let slot = &self.slots[i as usize];
                Some(UpdateRow {
                    obj: slot.obj.as_ref()?,
                    key: slot.key.as_ref()?,
                    columns: &cols,
                })
            });
            let slots = &self.slots;
            let key_of = |n: usize| {
                members
                    .get(n)
                    .and_then(|&i| slots[i as usize].key.as_ref())
                    .map_or_else(|| M::NAME.to_string(), M::describe_key)
            };
            let mut done = 0usize;
            let r = conn.execute_many_with(&stmt, &names, rows, &mut |outcome| {
                let at = done;
                done += 1;
                if outcome.rowcount != 1 {
                    return Err(Error::StaleData(format!(
                        "UPDATE of table '{}' expected to change 1 row for {}; {} were matched",
                        table.name(),
                        key_of(at),
                        outcome.rowcount
                    )));
                }
                Ok(())
            });
            // The object whose UPDATE failed: the one after those that ran.
            r.map_err(|e| e.with_object(|| key_of(done)))?;
            self.record.updated.extend(&members);
        }
        Ok(())
    }

    /// DELETEs of the objects marked for deletion: `key IN (...)` in chunks, or row by row
    /// (children first) for a table whose rows refer to each other.
    pub(crate) fn flush_deleted(&mut self, conn: &mut Connection) -> Result<()> {
        let mut todo = self.live(&self.deleted, State::Deleted);
        if todo.is_empty() {
            return Ok(());
        }
        let table = M::table();
        let self_ref = !self_references::<M>().is_empty();
        let chunk = if self_ref {
            order_self_referencing(self, &mut todo, false);
            1
        } else {
            DELETE_CHUNK
        };
        for part in todo.chunks(chunk) {
            let keys: Vec<&M::Key> = part
                .iter()
                .filter_map(|&i| self.slots[i as usize].key.as_ref())
                .collect();
            let flat: Vec<Value> = keys.iter().flat_map(|k| M::key_values(k)).collect();
            let cond = key_in::<M>(flat);
            let stmt = delete(table).filter(cond);
            let r = conn.execute(&stmt).map_err(|e| {
                e.with_object(|| {
                    let names: Vec<String> = keys.iter().map(|k| M::describe_key(k)).collect();
                    names.join(", ")
                })
            })?;
            if r.rowcount() != keys.len() as u64 {
                // As SQLAlchemy (`confirm_deleted_rows`): a row already gone is what the
                // DELETE wanted; say so, and go on.
                tracing::warn!(
                    target: "athanor::orm",
                    "rows deleted behind the session: the flush's DELETE of table '{}' expected to delete {} row(s); {} were matched",
                    table.name(),
                    keys.len(),
                    r.rowcount()
                );
            }
            self.record.deleted.extend(part);
        }
        Ok(())
    }
}
