//! The primary key of the row a single-row INSERT wrote (SQLAlchemy's `inserted_primary_key`).

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
            if let Some(Expr::Value(v)) = given.and_then(|g| g.get(name)) {
                return v.clone();
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
        columns: Arc::new(ResultColumns::new(pk.clone())),
        values,
    })
}
