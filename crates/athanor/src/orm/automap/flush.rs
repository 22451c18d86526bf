//! The statements one automapped class's flush sends: INSERTs of new objects (batched by the
//! columns they give, generated keys read back), UPDATEs of changed columns only, DELETEs in
//! IN-list chunks; rows of a self-referencing table in reference order. The order across
//! classes and models is the session's.

use athanor_core::sql::{Insert, Values, and_, bindparam, delete, insert, update};

use super::store::{DynSlot, DynStore};
use crate::engine::Connection;
use crate::orm::loading::cols_in;
use crate::orm::store::State;
use crate::{BindRow, Error, Result, Value};

/// Objects of one IN-list DELETE.
const DELETE_CHUNK: usize = 500;

/// Some of an object's values, bound in order.
struct Cols<'a> {
    values: &'a [Value],
    columns: &'a [usize],
    /// Then these (the key an UPDATE matches).
    then: Vec<Value>,
}

impl BindRow for Cols<'_> {
    fn width(&self) -> usize {
        self.columns.len() + self.then.len()
    }
    fn bind_row(&self, out: &mut [Value]) {
        let (set, key) = out.split_at_mut(self.columns.len());
        for (slot, &c) in set.iter_mut().zip(self.columns) {
            *slot = self.values.get(c).cloned().unwrap_or(Value::Null);
        }
        for (slot, v) in key.iter_mut().zip(&self.then) {
            *slot = v.clone();
        }
    }
}

fn param(prefix: char, c: usize) -> String {
    format!("{prefix}{c}")
}

impl DynStore {
    /// The key an object's row has in the database: as loaded (its snapshot) when changed.
    pub(crate) fn loaded_key(&self, s: &DynSlot) -> Vec<Value> {
        let vals = s.snapshot.as_deref().unwrap_or(&s.values);
        self.class
            .info()
            .primary_key
            .iter()
            .map(|&c| vals.get(c).cloned().unwrap_or(Value::Null))
            .collect()
    }

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

    /// Orders slots so that a row referring to another row of the list (a foreign key to
    /// its own table) comes after it; reversed for DELETE. A cycle keeps its order.
    fn order_self_referencing(&self, slots: &mut Vec<u32>, parents_first: bool) {
        let refs = &self.class.info().self_refs;
        if refs.is_empty() || slots.len() < 2 {
            return;
        }
        let vals = |i: u32, cols: &mut dyn Iterator<Item = usize>| -> Vec<Value> {
            let v = &self.slots[i as usize].values;
            cols.map(|c| v.get(c).cloned().unwrap_or(Value::Null))
                .collect()
        };
        let n = slots.len();
        let mut deps: Vec<Vec<usize>> = vec![Vec::new(); n];
        for fk in refs {
            let keys: Vec<Vec<Value>> = slots
                .iter()
                .map(|&i| vals(i, &mut fk.iter().map(|p| p.1)))
                .collect();
            for (a, &i) in slots.iter().enumerate() {
                let v = vals(i, &mut fk.iter().map(|p| p.0));
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

    fn describe_batch(&self, members: &[u32]) -> String {
        let names: Vec<String> = members
            .iter()
            .take(5)
            .map(|&i| self.describe(&self.slots[i as usize].values))
            .collect();
        if members.len() == 1 {
            names.join("")
        } else {
            format!(
                "one of {} {} objects inserted in a batch ({}{})",
                members.len(),
                self.class.name(),
                names.join(", "),
                if members.len() > 5 { ", ..." } else { "" }
            )
        }
    }

    /// INSERTs of the pending objects, grouped by the columns they give (a NULL generated
    /// key or server-defaulted column is left out): a group of known keys in one batch, a
    /// group whose key the database generates with the keys read back.
    pub(crate) fn flush_inserts(&mut self, conn: &mut Connection, batch: bool) -> Result<()> {
        let mut todo = self.live(&self.pending, State::Pending);
        if todo.is_empty() {
            return Ok(());
        }
        let class = self.class.clone();
        let info = class.info();
        for &i in &todo {
            let vals = &mut self.slots[i as usize].values;
            for (c, d) in &info.defaults {
                if vals.get(*c).is_some_and(Value::is_null) {
                    vals[*c] = d.clone();
                }
            }
        }
        self.order_self_referencing(&mut todo, true);
        let mut groups: Vec<(Vec<usize>, Vec<u32>)> = Vec::new();
        let mut last: Option<Vec<usize>> = None;
        for &i in &todo {
            let vals = &self.slots[i as usize].values;
            let omitted: Vec<usize> = info
                .defaulted
                .iter()
                .copied()
                .filter(|&c| vals.get(c).is_none_or(Value::is_null))
                .collect();
            match (groups.last_mut(), &last) {
                (Some((_, members)), Some(prev)) if *prev == omitted => members.push(i),
                _ => {
                    let cols = (0..info.columns.len())
                        .filter(|c| !omitted.contains(c))
                        .collect();
                    groups.push((cols, vec![i]));
                    last = Some(omitted);
                }
            }
        }
        let table = &info.table;
        for (cols, members) in groups {
            let names: Vec<&str> = cols.iter().map(|&c| info.columns[c].as_str()).collect();
            let auto = info.autoincrement.filter(|a| !cols.contains(a));
            let rows = || {
                members.iter().map(|&i| Cols {
                    values: &self.slots[i as usize].values,
                    columns: &cols,
                    then: Vec::new(),
                })
            };
            if let Some(a) = auto
                && batch
                && conn.engine().0.insertmanyvalues
            {
                let keys = conn
                    .insert_many_returning_keys(&insert(table), &names, rows())
                    .map_err(|e| e.with_object(|| self.describe_batch(&members)))?;
                if keys.len() != members.len() {
                    return Err(Error::InvalidRequest(format!(
                        "the database reported {} generated keys for {} new {} objects",
                        keys.len(),
                        members.len(),
                        info.name
                    )));
                }
                for (&i, k) in members.iter().zip(keys) {
                    self.slots[i as usize].values[a] = k;
                    self.record.generated.push(i);
                }
            } else if auto.is_some() || !batch {
                self.insert_each(conn, &cols, &names, &members, auto)?;
            } else {
                conn.execute_many_rows_scoped(&insert(table), &names, rows(), false)
                    .map_err(|e| e.with_object(|| self.describe_batch(&members)))?;
            }
            self.record.inserted.extend(&members);
            if info
                .defaulted
                .iter()
                .any(|c| !cols.contains(c) && Some(*c) != auto)
            {
                self.record.expire.extend(&members);
            }
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
        let class = self.class.clone();
        let table = class.table();
        let stmt: Insert = insert(table).values(
            cols.iter()
                .zip(names)
                .map(|(&c, n)| (*n, bindparam(&param('c', c))))
                .collect::<Values>(),
        );
        for &i in members {
            let vals = &self.slots[i as usize].values;
            let mut params = Values::with_capacity(cols.len());
            for &c in cols {
                params = params.set(&param('c', c), vals[c].clone());
            }
            let r = conn
                .execute_with(&stmt, &params)
                .map_err(|e| e.with_object(|| self.describe(vals)))?;
            let Some(a) = auto else { continue };
            let key = r
                .inserted_primary_key_row()
                .and_then(|row| row.value(class.columns()[a].as_str()).ok().cloned())
                .filter(|v| !v.is_null());
            let Some(v) = key else {
                return Err(Error::InvalidRequest(format!(
                    "the database did not report the key it generated for a new {} object",
                    class.name()
                )));
            };
            self.slots[i as usize].values[a] = v;
            self.record.generated.push(i);
        }
        Ok(())
    }

    /// UPDATEs of the changed columns of each modified object, matched by its key as loaded;
    /// consecutive objects that changed the same columns share one prepared statement, each
    /// object's row count checked.
    pub(crate) fn flush_updates(&mut self, conn: &mut Connection) -> Result<()> {
        let todo = self.live(&self.modified, State::Persistent);
        let class = self.class.clone();
        let info = class.info();
        let mut batches: Vec<(Vec<usize>, Vec<u32>)> = Vec::new();
        let mut changed = Vec::new();
        for i in todo {
            self.changes(i, &mut changed);
            if changed.is_empty() {
                continue;
            }
            match batches.last_mut() {
                Some((cols, members)) if *cols == changed => members.push(i),
                _ => batches.push((changed.clone(), vec![i])),
            }
        }
        for (cols, members) in batches {
            let set: Values = cols
                .iter()
                .map(|&c| (info.columns[c].as_str(), bindparam(&param('c', c))))
                .collect();
            let cond = and_(
                info.primary_key
                    .iter()
                    .map(|&c| info.table.c(&info.columns[c]).eq(bindparam(&param('k', c)))),
            );
            let stmt = update(&info.table).values(set).filter(cond);
            let names: Vec<String> = cols
                .iter()
                .map(|&c| param('c', c))
                .chain(info.primary_key.iter().map(|&c| param('k', c)))
                .collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let rows = members.iter().map(|&i| {
                let s = &self.slots[i as usize];
                Cols {
                    values: &s.values,
                    columns: &cols,
                    then: self.loaded_key(s),
                }
            });
            let name_of = |n: usize| {
                members.get(n).map_or_else(
                    || info.name.clone(),
                    |&i| self.describe(&self.slots[i as usize].values),
                )
            };
            let mut done = 0usize;
            let r = conn.execute_many_with(&stmt, &names, rows, &mut |outcome| {
                let at = done;
                done += 1;
                if outcome.rowcount != 1 {
                    return Err(Error::StaleData(format!(
                        "UPDATE of table '{}' expected to change 1 row for {}; {} were matched",
                        info.table.name(),
                        name_of(at),
                        outcome.rowcount
                    )));
                }
                Ok(())
            });
            r.map_err(|e| e.with_object(|| name_of(done)))?;
            self.record.updated.extend(&members);
        }
        Ok(())
    }

    /// DELETEs of the objects marked for deletion: `key IN (...)` in chunks, or one by one
    /// (children first) for a self-referencing table.
    pub(crate) fn flush_deleted(&mut self, conn: &mut Connection) -> Result<()> {
        let mut todo = self.live(&self.deleted, State::Deleted);
        if todo.is_empty() {
            return Ok(());
        }
        let class = self.class.clone();
        let info = class.info();
        let chunk = if info.self_refs.is_empty() {
            DELETE_CHUNK
        } else {
            self.order_self_referencing(&mut todo, false);
            1
        };
        let cols: Vec<_> = info
            .primary_key
            .iter()
            .map(|&c| info.table.c(&info.columns[c]))
            .collect();
        for part in todo.chunks(chunk) {
            let flat: Vec<Value> = part
                .iter()
                .flat_map(|&i| self.loaded_key(&self.slots[i as usize]))
                .collect();
            let stmt = delete(&info.table).filter(cols_in(cols.clone(), flat));
            let r = conn.execute(&stmt).map_err(|e| {
                e.with_object(|| {
                    let names: Vec<String> = part
                        .iter()
                        .map(|&i| self.describe(&self.slots[i as usize].values))
                        .collect();
                    names.join(", ")
                })
            })?;
            if r.rowcount() != part.len() as u64 {
                tracing::warn!(
                    target: "athanor::orm",
                    "rows deleted behind the session: the flush's DELETE of table '{}' expected to delete {} row(s); {} were matched",
                    info.table.name(),
                    part.len(),
                    r.rowcount()
                );
            }
            self.record.deleted.extend(part);
        }
        Ok(())
    }
}
