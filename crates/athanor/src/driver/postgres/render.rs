//! Values the server must print: types whose text depends on the server (money's locale,
//! OID aliases' catalog names) or whose binary formats the driver doesn't read (text search,
//! ranges, composite and extension types).
//!
//! The `postgres` crate receives every column in binary format, so the driver can't ask for
//! text per column as psycopg does. Instead, after reading a result, it sends such values back
//! to the server, still binary, as one array parameter per type, and reads the output
//! function's text for each: `SELECT concat(($1::T[])[i]) ... ` (`concat` prints with the
//! output function; a `::text` cast would not for `inet`). That is one more round trip, only
//! for results holding such types; the common types never take it.

use std::collections::HashMap;

use bytes::BufMut;
use postgres::Client;
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};

use super::statements::Statements;
use super::wire::data;
use super::{BoxError, to_error};
use crate::{Result, Value};

/// The values of each type a result's first reading set aside, in the order met.
#[derive(Default)]
pub(super) struct Pending {
    by_type: Vec<(Type, Vec<Vec<u8>>)>,
}

impl Pending {
    /// Sets a value aside to be printed by the server.
    pub(super) fn push(&mut self, ty: &Type, raw: &[u8]) {
        match self.by_type.iter_mut().find(|(t, _)| t == ty) {
            Some((_, values)) => values.push(raw.to_vec()),
            None => self.by_type.push((ty.clone(), vec![raw.to_vec()])),
        }
    }

    /// Asks the server to print every value set aside, one statement per type.
    pub(super) fn print(self, client: &mut Client, statements: &mut Statements) -> Result<Printed> {
        let mut printed = HashMap::new();
        for (ty, values) in self.by_type {
            let sql = format!(
                "SELECT concat((CAST($1 AS {t}[]))[i]) FROM generate_subscripts(CAST($1 AS {t}[]), 1) AS i ORDER BY i",
                t = type_name(&ty)
            );
            let hint = |e: crate::Error| {
                data(
                    &ty,
                    format!(
                        "{e}; cast the column to text in the query (`expr::text`) or to a type \
                         Athanor reads"
                    ),
                )
            };
            let stmt = statements.get(client, &sql).map_err(hint)?;
            let param = RawArray {
                elem: ty.oid(),
                values: &values,
            };
            let rows = client
                .query(&stmt, &[&param])
                .map_err(|e| hint(to_error(e)))?;
            let mut texts = Vec::with_capacity(rows.len());
            for row in &rows {
                texts.push(row.try_get::<_, String>(0).map_err(|e| hint(to_error(e)))?);
            }
            if texts.len() != values.len() {
                return Err(data(&ty, "the server printed a different number of values"));
            }
            texts.reverse();
            printed.insert(ty.oid(), texts);
        }
        Ok(Printed { by_oid: printed })
    }
}

/// What the server printed, handed out in the order the values were set aside.
pub(super) struct Printed {
    by_oid: HashMap<u32, Vec<String>>,
}

impl Printed {
    /// The next printed value of `ty`.
    pub(super) fn next(&mut self, ty: &Type) -> Result<Value> {
        self.by_oid
            .get_mut(&ty.oid())
            .and_then(Vec::pop)
            .map(Value::Text)
            .ok_or_else(|| data(ty, "the server printed fewer values than were read"))
    }
}

/// `"schema"."name"`, quoted.
fn type_name(ty: &Type) -> String {
    let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    format!("{}.{}", q(ty.schema()), q(ty.name()))
}

/// A one-dimensional array of values of type `elem`, each as the server sent it.
#[derive(Debug)]
struct RawArray<'a> {
    elem: u32,
    values: &'a [Vec<u8>],
}

impl ToSql for RawArray<'_> {
    fn to_sql(
        &self,
        _ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<IsNull, BoxError> {
        let len = i32::try_from(self.values.len())?;
        out.put_i32(1); // dimensions
        out.put_i32(0); // no NULLs
        out.put_u32(self.elem);
        out.put_i32(len);
        out.put_i32(1); // lower bound
        for v in self.values {
            out.put_i32(i32::try_from(v.len())?);
            out.put_slice(v);
        }
        Ok(IsNull::No)
    }

    fn accepts(_ty: &Type) -> bool {
        true
    }

    to_sql_checked!();
}
