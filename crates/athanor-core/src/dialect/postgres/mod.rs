//! PostgreSQL: `$n` parameters, `ILIKE`, `DISTINCT ON`, SERIAL for autoincrement keys,
//! sequences, named ENUM types, ARRAY, JSONB, `RETURNING` everywhere.

mod errors;
mod reflection;
mod reserved;
mod types;

pub use errors::{is_disconnect, map_error};

use super::{Dialect, ParamCast, ParamStyle};
use crate::compiler::Compiler;
use crate::error::{CompileError, Error, Result};
use crate::schema::{ColumnData, Table};
use crate::sql::{Expr, FetchOptions, JsonKey};
use crate::types::{Type, Value};

/// The PostgreSQL dialect.
///
/// A float or decimal operand says its type, since PostgreSQL would type the parameter from
/// the other operand (an integer `n` would make `n * 100.0` integer arithmetic):
///
/// ```
/// use athanor_core::prelude::*;
/// use athanor_core::dialect::Postgres;
/// let s = select(column("name")).filter(column("name").ilike("a%"));
/// assert_eq!(s.compile(&Postgres)?.sql(), "SELECT name WHERE name ILIKE $1");
/// let pct = select((column("n") * 100.0).label("pct")).filter(column("n").gt(1.5));
/// assert_eq!(
///     pct.compile(&Postgres)?.sql(),
///     "SELECT n * $1::DOUBLE PRECISION AS pct WHERE n > $2::DOUBLE PRECISION"
/// );
/// # Ok::<(), athanor_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Postgres;

impl Dialect for Postgres {
    fn supports_index_include(&self) -> bool {
        true
    }
    /// `doc -> 'k'` / `doc #> ARRAY['a', '1']` as JSON; `->>` / `#>>` (the element as text,
    /// JSON `null` as SQL NULL) as text, cast to anything else:
    /// `CAST(doc ->> 'k' AS INTEGER)`.
    fn visit_json_get<'a>(
        &self,
        c: &mut Compiler<'a>,
        doc: &'a Expr,
        path: &'a [JsonKey],
        ty: &'a Type,
    ) -> Result<()> {
        let json = *ty.generic() == Type::Json;
        let text = matches!(
            ty.generic(),
            Type::String(None) | Type::Text | Type::Unicode(None) | Type::UnicodeText
        );
        let cast = !json && !text;
        if cast {
            c.push("CAST(");
        }
        c.operand(doc, 10)?;
        let key = |k: &JsonKey| match k {
            JsonKey::Key(s) => self.quote_string(s),
            JsonKey::Index(i) => Ok(i.to_string()),
        };
        match path {
            [k] => {
                c.push(if json { " -> " } else { " ->> " });
                c.push(&key(k)?);
            }
            _ => {
                c.push(if json { " #> ARRAY[" } else { " #>> ARRAY[" });
                for (n, k) in path.iter().enumerate() {
                    if n > 0 {
                        c.push(", ");
                    }
                    let k = match k {
                        JsonKey::Key(s) => self.quote_string(s)?,
                        JsonKey::Index(i) => format!("'{i}'"),
                    };
                    c.push(&k);
                }
                c.push("]");
            }
        }
        if cast {
            c.push(" AS ");
            c.push(&self.cast_type_name(ty)?);
            c.push(")");
        }
        Ok(())
    }
    /// PostgreSQL (before 18) stores every generated column: `STORED`, also when `persisted`
    /// isn't said; VIRTUAL is refused.
    fn visit_computed(
        &self,
        c: &mut Compiler<'_>,
        computed: &crate::schema::Computed,
    ) -> Result<()> {
        if computed.persisted == Some(false) {
            return Err(Error::from(CompileError::Unsupported {
                dialect: self.name(),
                construct: "a VIRTUAL computed column (PostgreSQL stores them: persisted(true))"
                    .into(),
            }));
        }
        c.push(" GENERATED ALWAYS AS (");
        c.push(&computed.sql);
        c.push(") STORED");
        Ok(())
    }
    /// `l # r`.
    fn visit_bitwise_xor<'a>(&self, c: &mut Compiler<'a>, l: &'a Expr, r: &'a Expr) -> Result<()> {
        c.operand(l, 7)?;
        c.push(" # ");
        c.operand(r, 8)
    }
    /// `l ~ r` / `l !~ r`.
    fn visit_regexp_match<'a>(
        &self,
        c: &mut Compiler<'a>,
        not: bool,
        l: &'a Expr,
        r: &'a Expr,
    ) -> Result<()> {
        c.operand(l, 6)?;
        c.push(if not { " !~ " } else { " ~ " });
        c.operand(r, 6)
    }
    /// FETCH's values in parentheses: PostgreSQL takes only a constant or a parameter bare.
    fn visit_fetch<'a>(
        &self,
        c: &mut Compiler<'a>,
        count: Option<&'a Expr>,
        offset: Option<&'a Expr>,
        options: FetchOptions,
    ) -> Result<()> {
        super::fetch_standard(self.name(), c, count, offset, options, true)
    }
    fn name(&self) -> &'static str {
        "postgresql"
    }
    fn display_name(&self) -> &'static str {
        "PostgreSQL"
    }
    /// `NAMEDATALEN - 1`: the server cuts longer names with only a NOTICE.
    fn max_identifier_length(&self) -> super::NameLimit {
        super::NameLimit::Bytes(63)
    }
    fn has_table_query(&self, name: &str, schema: Option<&str>) -> crate::sql::TextClause {
        reflection::has_table(name, schema)
    }
    fn has_named_enum_query(&self, name: &str) -> Option<crate::sql::TextClause> {
        Some(reflection::has_enum(name))
    }
    fn has_tables_query(&self, names: &[&str], schema: Option<&str>) -> crate::sql::TextClause {
        reflection::has_tables(names, schema)
    }
    fn reflect_table_names(
        &self,
        exec: &mut super::reflection::Exec<'_>,
        schema: Option<&str>,
        views: bool,
    ) -> Result<Vec<String>> {
        reflection::table_names(exec, schema, views)
    }
    fn reflect_table(
        &self,
        exec: &mut super::reflection::Exec<'_>,
        name: &str,
        schema: Option<&str>,
    ) -> Result<super::reflection::ReflectedTable> {
        reflection::reflect_table(exec, name, schema)
    }
    fn reflect_sequence_names(
        &self,
        exec: &mut super::reflection::Exec<'_>,
        schema: Option<&str>,
    ) -> Result<Vec<String>> {
        reflection::sequence_names(exec, schema)
    }
    fn reflect_object_names(
        &self,
        exec: &mut super::reflection::Exec<'_>,
        schema: Option<&str>,
        kind: super::reflection::ObjectKind,
    ) -> Result<Vec<String>> {
        reflection::object_names(exec, schema, kind)
    }
    fn reflect_tables(
        &self,
        exec: &mut super::reflection::Exec<'_>,
        schema: Option<&str>,
        filter: Option<&[String]>,
        kind: super::reflection::ObjectKind,
    ) -> Result<Vec<super::reflection::ReflectedTable>> {
        reflection::reflect_tables(exec, schema, filter, kind, reflection::Scope::Schema)
    }
    fn reflect_temp_names(
        &self,
        exec: &mut super::reflection::Exec<'_>,
        views: bool,
    ) -> Result<Vec<String>> {
        reflection::temp_names(exec, views)
    }
    fn reflect_temp_tables(
        &self,
        exec: &mut super::reflection::Exec<'_>,
        filter: Option<&[String]>,
        kind: super::reflection::ObjectKind,
    ) -> Result<Vec<super::reflection::ReflectedTable>> {
        reflection::reflect_tables(exec, None, filter, kind, reflection::Scope::Temporary)
    }
    fn reflects_table_options(&self) -> bool {
        true
    }
    /// Schemas but PostgreSQL's own (`pg_*`), as SQLAlchemy lists them.
    fn schema_names_query(&self) -> crate::sql::TextClause {
        crate::sql::text(
            "SELECT nspname FROM pg_catalog.pg_namespace \
             WHERE nspname NOT LIKE 'pg~_%' ESCAPE '~' ORDER BY nspname",
        )
    }
    fn reflect_view_definition(
        &self,
        exec: &mut super::reflection::Exec<'_>,
        name: &str,
        schema: Option<&str>,
    ) -> Result<String> {
        reflection::view_definition(exec, name, schema)
    }
    fn type_from_declared(&self, declared: &str) -> Type {
        types::from_declared(declared)
    }
    fn param_style(&self) -> ParamStyle {
        ParamStyle::Numeric
    }
    fn is_reserved(&self, word: &str) -> bool {
        reserved::is_reserved(word)
    }
    fn supports_returning(&self, _kind: crate::compiler::StatementKind) -> bool {
        true
    }
    fn isolation_level_query(&self) -> Option<&'static str> {
        // The open transaction's level, or the next one's outside a transaction.
        Some("SELECT current_setting('transaction_isolation')")
    }
    fn reset_isolation_level_sql(&self) -> Option<String> {
        // SET SESSION CHARACTERISTICS sets default_transaction_isolation.
        Some("RESET default_transaction_isolation".into())
    }
    fn error_aborts_transaction(&self, err: &Error) -> bool {
        // Every error the server reports (it has a SQLSTATE) aborts the transaction; a value
        // refused before it was sent does not.
        err.database_error().is_some_and(|d| d.code.is_some())
    }
    fn supports_distinct_on(&self) -> bool {
        true
    }
    fn postfetch_lastrowid(&self) -> bool {
        false
    }
    fn resync_autoincrement_sql(&self, table: &Table, column: &str) -> Option<String> {
        let lit = |s: &str| self.quote_string(s).ok();
        let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        let qualified = match table.schema() {
            Some(s) => format!("{}.{}", q(s), q(table.name())),
            None => q(table.name()),
        };
        Some(format!(
            "SELECT setval(pg_get_serial_sequence({}, {}), coalesce(max({}), 0) + 1, false) FROM {qualified}",
            lit(&qualified)?,
            lit(column)?,
            q(column),
        ))
    }
    fn supports_sequences(&self) -> bool {
        true
    }
    fn sequences_optional(&self) -> bool {
        true
    }
    fn visit_next_value(&self, c: &mut Compiler<'_>, seq: &crate::schema::Sequence) -> Result<()> {
        c.push("nextval(");
        c.literal(&Value::Text(self.sequence_name(c, seq)))?;
        c.push(")");
        Ok(())
    }
    fn supports_named_enums(&self) -> bool {
        true
    }
    /// Each value cast to its column's type: PostgreSQL types a VALUES column from its
    /// values, and a parameter alone says nothing.
    fn visit_values_rows<'a>(
        &self,
        c: &mut Compiler<'a>,
        values: &'a crate::sql::ValuesClause,
    ) -> Result<()> {
        c.values_rows(values, "", &|ty| {
            Ok(match ty {
                Type::Null => None,
                ty => Some((String::new(), format!("::{}", self.cast_type_name(ty)?))),
            })
        })
    }
    fn max_params(&self) -> usize {
        65_535
    }
    fn executemany_batch_rows(&self) -> usize {
        500
    }
    fn type_name(&self, ty: &Type) -> Result<String> {
        Ok(match ty {
            Type::Collated { ty, .. } | Type::Wrapped { ty, .. } => self.type_name(ty)?,
            Type::Double => "DOUBLE PRECISION".into(),
            Type::DateTime => "TIMESTAMP WITHOUT TIME ZONE".into(),
            Type::DateTimeTz => "TIMESTAMP WITH TIME ZONE".into(),
            Type::Time => "TIME WITHOUT TIME ZONE".into(),
            Type::TimeTz => "TIME WITH TIME ZONE".into(),
            // PostgreSQL keeps at most microseconds, and has no day precision.
            Type::IntervalPrecision {
                second_precision: Some(s),
                ..
            } => format!("INTERVAL({})", s.min(&6)),
            Type::LargeBinary => "BYTEA".into(),
            Type::Json => "JSONB".into(),
            Type::Uuid => "UUID".into(),
            Type::Array(inner) => format!("{}[]", self.type_name(inner)?),
            Type::Enum { name: Some(n), .. } => {
                let mut q = String::new();
                for ch in n.chars() {
                    if ch == '"' {
                        q.push('"');
                    }
                    q.push(ch);
                }
                if self.needs_quote(n) {
                    format!("\"{q}\"")
                } else {
                    q
                }
            }
            Type::Enum { name: None, .. } => {
                return Err(Error::from(CompileError::Invalid(
                    "an Enum type on PostgreSQL needs a name (CREATE TYPE name AS ENUM)".into(),
                )));
            }
            other => super::default_type_name(self.name(), other)?,
        })
    }
    fn literal(&self, v: &Value) -> Result<String> {
        match v {
            Value::Bool(b) => Ok(if *b { "true" } else { "false" }.into()),
            Value::Bytes(b) => {
                let mut s = String::from("'\\x");
                for byte in b {
                    s.push_str(&format!("{byte:02x}"));
                }
                s.push_str("'::bytea");
                Ok(s)
            }
            #[cfg(feature = "uuid")]
            Value::Uuid(u) => self.quote_string(&u.hyphenated().to_string()),
            #[cfg(feature = "chrono")]
            Value::DateTimeUtc(t) => self.quote_string(&t.to_rfc3339()),
            // `INTERVAL '0 months 1 days 4000000 microseconds'`: PostgreSQL reads each part.
            Value::Interval(i) => Ok(format!("INTERVAL '{i}'")),
            // `ARRAY[1, 2, 3]`; an empty one has no element type to write.
            Value::Array(items) if !items.is_empty() => {
                let items: Result<Vec<String>> = items.iter().map(|v| self.literal(v)).collect();
                Ok(format!("ARRAY[{}]", items?.join(", ")))
            }
            other => super::default_literal(self, other),
        }
    }
    fn empty_set(&self, types: &[Type]) -> String {
        // The empty set's columns are compared with the left side: `name IN (SELECT 1 ...)`
        // fails on a text column, so each takes its left side's type (INTEGER when unknown).
        let column = |ty: &Type| {
            let name = match ty.generic() {
                Type::Null => None,
                _ => self.type_name(ty).ok(),
            };
            format!("CAST(NULL AS {})", name.as_deref().unwrap_or("INTEGER"))
        };
        let columns: Vec<String> = if types.is_empty() {
            vec![column(&Type::Null)]
        } else {
            types.iter().map(column).collect()
        };
        format!("SELECT {} WHERE 1!=1", columns.join(", "))
    }
    /// PostgreSQL types an untyped parameter in a SELECT list as text; cast it to the value's
    /// type so `SELECT $1 AS n` then `n + 1` works.
    fn visit_select_literal<'a>(&self, c: &mut Compiler<'a>, v: &'a Value) {
        c.bind(v);
        let cast = match v {
            Value::Int(_) => "::BIGINT",
            Value::Float(_) => "::DOUBLE PRECISION",
            Value::Bool(_) => "::BOOLEAN",
            Value::Bytes(_) => "::BYTEA",
            #[cfg(feature = "rust_decimal")]
            Value::Decimal(_) => "::NUMERIC",
            #[cfg(feature = "chrono")]
            Value::Date(_) => "::DATE",
            #[cfg(feature = "chrono")]
            Value::Time(_) => "::TIME",
            #[cfg(feature = "chrono")]
            Value::TimeTz(_) => "::TIMETZ",
            #[cfg(feature = "chrono")]
            Value::DateTime(_) => "::TIMESTAMP",
            #[cfg(feature = "chrono")]
            Value::DateTimeUtc(_) => "::TIMESTAMPTZ",
            Value::Interval(_) => "::INTERVAL",
            _ => "",
        };
        c.push(cast);
    }
    /// PostgreSQL types a parameter from the other operand: `n * $1` with an integer `n` makes
    /// `$1` a bigint, so 100.0 would turn the division into integer division. A float,
    /// decimal or interval operand says its own type (`n * $1::DOUBLE PRECISION`,
    /// `ts - $1::INTERVAL`); integers, text and the rest keep the operand's type, which the
    /// driver converts to exactly or refuses.
    fn visit_operand_value<'a>(&self, c: &mut Compiler<'a>, v: &'a Value) {
        c.bind(v);
        if let Some(cast) = value_cast(v) {
            c.push(cast);
        }
    }
    /// The same typing for parameters whose values come at execution: `text()`'s `:x`
    /// (`n * $1::DOUBLE PRECISION`), a `bindparam` operand, an IN list's items.
    fn param_cast(&self) -> Option<ParamCast> {
        Some(value_cast)
    }
    fn native_uuid(&self) -> bool {
        true
    }
    fn bind_type_cast(&self, ty: &Type) -> Option<String> {
        // A type without a name to cast to is bound as it is, as before.
        self.cast_type_name(ty).ok().map(|name| format!("::{name}"))
    }
    fn function_value_cast(&self, v: &Value) -> Option<&'static str> {
        match v {
            Value::Float(_) => Some("::NUMERIC"),
            #[cfg(feature = "rust_decimal")]
            Value::Decimal(_) => Some("::NUMERIC"),
            _ => None,
        }
    }
    fn visit_ilike<'a>(
        &self,
        c: &mut Compiler<'a>,
        x: &'a Expr,
        pattern: &'a Expr,
        negated: bool,
    ) -> Result<()> {
        c.operand(x, 6)?;
        c.push(if negated { " NOT ILIKE " } else { " ILIKE " });
        c.operand(pattern, 6)
    }
    fn visit_column_ddl<'a>(
        &self,
        c: &mut Compiler<'a>,
        _table: &'a Table,
        col: &'a ColumnData,
        autoincrement: bool,
    ) -> Result<bool> {
        // An optional sequence gives way to SERIAL, as in SQLAlchemy (PostgreSQL's sequences
        // are optional).
        let sequence = col.sequence.as_ref().filter(|s| !s.optional);
        let identity = col.identity.as_ref();
        let ty = if autoincrement
            && sequence.is_none()
            && identity.is_none()
            && col.server_default.is_none()
        {
            match col.ty.generic() {
                Type::BigInteger => "BIGSERIAL".to_string(),
                Type::SmallInteger => "SMALLSERIAL".to_string(),
                _ => "SERIAL".to_string(),
            }
        } else {
            self.type_name(&col.ty)?
        };
        c.ident(&col.name);
        c.push(" ");
        c.push(&ty);
        c.collation(&col.ty);
        if let Some(id) = identity {
            c.push(if id.always {
                " GENERATED ALWAYS AS IDENTITY"
            } else {
                " GENERATED BY DEFAULT AS IDENTITY"
            });
            let options: Vec<String> = [
                id.start.map(|n| format!("START WITH {n}")),
                id.increment.map(|n| format!("INCREMENT BY {n}")),
                id.minvalue.map(|n| format!("MINVALUE {n}")),
                id.maxvalue.map(|n| format!("MAXVALUE {n}")),
                (id.minvalue.is_none() && id.nominvalue).then(|| "NO MINVALUE".to_string()),
                (id.maxvalue.is_none() && id.nomaxvalue).then(|| "NO MAXVALUE".to_string()),
                id.cycle.then(|| "CYCLE".to_string()),
                id.cache.map(|n| format!("CACHE {n}")),
            ]
            .into_iter()
            .flatten()
            .collect();
            if !options.is_empty() {
                c.push(&format!(" ({})", options.join(" ")));
            }
        } else if let Some(seq) = sequence {
            c.push(" DEFAULT nextval(");
            c.literal(&Value::Text(self.sequence_name(c, seq)))?;
            c.push(")");
        } else {
            c.server_default(col)?;
        }
        if !col.nullable {
            c.push(" NOT NULL");
        }
        Ok(false)
    }
}

impl Postgres {
    /// A sequence's name as `nextval()` reads it: schema-qualified (by its effective schema,
    /// see [`Compiler::effective_schema`]), each part quoted where it needs to be.
    fn sequence_name(&self, c: &Compiler<'_>, seq: &crate::schema::Sequence) -> String {
        let q = |s: &str| {
            if self.needs_quote(s) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.to_string()
            }
        };
        match c.effective_schema(seq.schema.as_deref()) {
            Some(s) => format!("{}.{}", q(s), q(&seq.name)),
            None => q(&seq.name),
        }
    }
}

/// A float or decimal says its own type; integers, text and the rest take their context's
/// type, which the driver converts to exactly or refuses.
fn value_cast(v: &Value) -> Option<&'static str> {
    match v {
        Value::Float(_) => Some("::DOUBLE PRECISION"),
        #[cfg(feature = "rust_decimal")]
        Value::Decimal(_) => Some("::NUMERIC"),
        // `timestamp_col - $1` would make `$1` a timestamp: an interval says its type.
        Value::Interval(_) => Some("::INTERVAL"),
        _ => None,
    }
}
