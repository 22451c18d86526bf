//! The primary key of the row a single-row INSERT wrote (SQLAlchemy's `inserted_primary_key`).

use std::cell::RefCell;
use std::sync::Arc;

use athanor_core::compiler::ResultColumns;
use athanor_core::sql::{Expr, Insert, InsertSource, Values};

use super::result::Row;
use crate::Value;

/// Every primary key column of the row `ins` wrote, in the key's order: the value given in
/// the statement's VALUES (or, for an INSERT without values, in the execution's parameters),
/// else `generated` for the autoincrement column (the database's last row id, or what
/// `RETURNING` gave), else the column's client-side default, else NULL. `None` when the
/// table has no primary key or the INSERT is not a single row (several VALUES rows, or
/// `INSERT ... SELECT`).
pub(crate) fn inserted_key(
    ins: &Insert,
    params: Option<&Values>,
    generated: Option<Value>,
) -> Option<Row> {
    let table = ins.table();
    let pk = &table.primary_key().columns;
    if pk.is_empty() {
        return None;
    }
    let given = match ins.source() {
        InsertSource::Single(v) => Some(v),
        InsertSource::Params => params,
        _ => return None,
    };
    let auto = table.autoincrement_column().map(|c| c.name());
    let mut generated = generated;
    let values = pk
        .iter()
        .map(|name| {
            match given.and_then(|g| g.get(name)) {
                Some(Expr::Value(v)) => return v.clone(),
                // A value bound by name from the execution's parameters.
                Some(Expr::BindParam(p)) => {
                    if let Some(Expr::Value(v)) = params.and_then(|ps| ps.get(p)) {
                        return v.clone();
                    }
                }
                _ => {}
            }
            if auto == Some(name.as_str())
                && let Some(g) = generated.take()
            {
                return g;
            }
            table
                .column_data(name)
                .and_then(|c| c.default.clone())
                .unwrap_or(Value::Null)
        })
        .collect();
    Some(Row {
        columns: key_columns(pk),
        values,
    })
}

thread_local! {
    /// The column names of the last key built on this thread.
    static LAST_KEY: RefCell<Option<Arc<ResultColumns>>> = const { RefCell::new(None) };
}

/// The key's column names: those of the last key built on this thread when they are the
/// same names (consecutive INSERTs into one table), else a new table of names. Building them
/// for every row cost four allocations per single-row INSERT.
fn key_columns(pk: &[String]) -> Arc<ResultColumns> {
    LAST_KEY.with(|last| {
        let mut last = last.borrow_mut();
        if let Some(columns) = last.as_ref()
            && columns.names() == pk
        {
            return columns.clone();
        }
        let columns = Arc::new(ResultColumns::new(pk.to_vec()));
        *last = Some(columns.clone());
        columns
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    fn table(name: &str, md: &MetaData, key: &[&str]) -> Table {
        let mut b = Table::build(name, md);
        for k in key {
            b = b.column(Column::new(*k, Type::Integer).primary_key());
        }
        b.column(Column::new("x", Type::Integer)).finish().unwrap()
    }

    fn key_of(t: &Table, a: i64, b: i64) -> Row {
        let names = t.primary_key().columns.clone();
        let mut v = Values::new();
        for (n, x) in names.iter().zip([a, b]) {
            v = v.set(n.as_str(), Value::Int(x));
        }
        inserted_key(&t.insert().values(v), None, None).unwrap()
    }

    #[test]
    fn consecutive_inserts_into_one_table_share_the_key_columns() {
        let md = MetaData::new();
        let ab = table("ab", &md, &["a", "b"]);
        let other = table("other", &md, &["k", "a"]);
        let (first, second) = (key_of(&ab, 1, 2), key_of(&ab, 3, 4));
        // The fast path: one column table for both rows...
        assert!(Arc::ptr_eq(&first.columns, &second.columns));
        // ...equal to the one built for each row (the slow path).
        let built = ResultColumns::new(vec!["a".to_string(), "b".to_string()]);
        assert_eq!(second.columns.names(), built.names());
        assert_eq!(second.values(), &[Value::Int(3), Value::Int(4)]);
        assert_eq!(second.get::<i64, _>("b").unwrap(), 4);
        // Another table's key has its own names, and the first table's come back after it.
        let k = key_of(&other, 5, 6);
        assert_eq!(k.columns.names(), ["k", "a"]);
        assert_eq!(k.get::<i64, _>("k").unwrap(), 5);
        assert_eq!(key_of(&ab, 7, 8).columns.names(), ["a", "b"]);
    }
}
