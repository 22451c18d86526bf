//! A many-to-many relationship's changes as rows of its secondary table, written after the
//! INSERTs and before the DELETEs of a flush.

use athanor_core::sql::{and_, delete, insert};

use super::loading::{Part, cols_in, column_values, part};
use super::model::Model;
use super::rel_resolve::resolved;
use super::session::{IN_CHUNK, Session};
use super::store::State;
use super::sync::{describe, history, live, saving};
use crate::{Result, Value};

/// A secondary row's identity within one flush: its table and its values in column order.
pub(crate) type SecondaryRow = (String, Vec<Part>);

/// A many-to-many relationship's changes as rows of its secondary table: INSERTs for pairs
/// added, DELETEs for pairs removed and for deleted parents (unless `passive_deletes`). A pair
/// changed from both sides of a `back_populates` pair is written once.
pub(crate) fn sync_secondary<P: Model, C: Model>(s: &mut Session, index: usize) -> Result<()> {
    let info = &P::RELATIONSHIPS[index];
    let r = resolved::<P, C>(index)?;
    let Some(sec) = &r.secondary else {
        return Ok(());
    };
    let st = sec.table;
    let mut inserts: Vec<Vec<(String, Value)>> = Vec::new();
    let mut removes: Vec<Vec<(String, Value)>> = Vec::new();
    for p in saving::<P>(s) {
        let Some((now, before)) = history::<P>(s, index, p) else {
            continue;
        };
        let pending = s.store::<P>().slots[p as usize].state == State::Pending;
        let before = match before {
            Some(b) => b,
            None if pending => Vec::new(),
            None => {
                return Err(crate::Error::InvalidRequest(format!(
                    "{} of {} was replaced without being loaded first, so the rows to delete from {} are unknown: use session.replace(), or load it before changing it",
                    info.qualname,
                    describe::<P>(s, p),
                    st.name()
                )));
            }
        };
        if before == now {
            continue;
        }
        let pvals = match s.store::<P>().slots[p as usize].obj.as_ref() {
            Some(o) => column_values(o, &r.local),
            None => continue,
        };
        for (list, wanted) in [(&now, &before), (&before, &now)] {
            for c in list.iter().filter(|c| !wanted.contains(c)) {
                let Some(ci) = live::<C>(s, *c) else { continue };
                let Some(cvals) = s.store::<C>().slots[ci as usize]
                    .obj
                    .as_ref()
                    .map(|o| column_values(o, &r.remote))
                else {
                    continue;
                };
                let row: Vec<(String, Value)> = sec
                    .local_cols
                    .iter()
                    .cloned()
                    .zip(pvals.iter().cloned())
                    .chain(sec.remote_cols.iter().cloned().zip(cvals))
                    .collect();
                if std::ptr::eq(list, &now) {
                    inserts.push(row);
                } else {
                    removes.push(row);
                }
            }
        }
    }
    let mut seen = std::mem::take(&mut s.secondary_done);
    let mut norm = |row: &[(String, Value)], op: &str| -> bool {
        let mut cols: Vec<&(String, Value)> = row.iter().collect();
        cols.sort_by(|a, b| a.0.cmp(&b.0));
        let key: SecondaryRow = (
            format!("{op}:{}", st.name()),
            cols.iter().map(|(_, v)| part(v)).collect(),
        );
        seen.insert(key)
    };
    inserts.retain(|row| norm(row, "+"));
    removes.retain(|row| norm(row, "-"));
    s.secondary_done = seen;
    for row in removes {
        let cond = and_(row.iter().map(|(c, v)| st.c(c).eq(v.clone())));
        s.conn()?.execute(&delete(st).filter(cond))?;
    }
    for chunk in inserts.chunks(IN_CHUNK) {
        let rows: Vec<athanor_core::sql::Values> = chunk
            .iter()
            .map(|row| row.iter().map(|(c, v)| (c.as_str(), v.clone())).collect())
            .collect();
        s.conn()?.execute(&insert(st).values_many(rows))?;
    }
    // Deleted parents take their rows with them.
    if !info.passive_deletes {
        let gone: Vec<Vec<Value>> = {
            let store = s.store::<P>();
            store
                .deleted
                .iter()
                .filter(|&&i| store.slots[i as usize].state == State::Deleted)
                .filter_map(|&i| store.slots[i as usize].obj.as_ref())
                .map(|o| column_values(o, &r.local))
                .collect()
        };
        let cols: Vec<_> = sec.local_cols.iter().map(|c| st.c(c)).collect();
        let per = (IN_CHUNK / cols.len().max(1)).max(1);
        for chunk in gone.chunks(per) {
            let flat: Vec<Value> = chunk.iter().flatten().cloned().collect();
            s.conn()?
                .execute(&delete(st).filter(cols_in(cols.clone(), flat)))?;
        }
    }
    Ok(())
}
