//! SQLite: `?` parameters, integer booleans, `strftime` for EXTRACT, `LIMIT -1` for an
//! OFFSET alone, and no FOR UPDATE (SQLite locks the whole database; the clause is omitted).

mod errors;
mod reflection;
mod reserved;
mod types;

pub use errors::map_error;

use super::{Dialect, ParamStyle};
use crate::compiler::Compiler;
use crate::error::{CompileError, Error, Result};
use crate::schema::{Autoincrement, ColumnData, Table};
use crate::sql::expr::types::operand_types;
use crate::sql::{BinaryOp, DatePart, Expr, FetchOptions, ForUpdate, JsonKey};
use crate::types::Type;

/// The SQLite dialect.
///
/// ```
/// use athanor_core::prelude::*;
/// use athanor_core::dialect::Sqlite;
/// let s = select(column("x")).filter(column("flag").eq(true_())).offset(5);
/// assert_eq!(s.compile(&Sqlite)?.sql(), "SELECT x WHERE flag = 1 LIMIT -1 OFFSET ?");
/// # Ok::<(), athanor_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Sqlite;

impl Dialect for Sqlite {
    /// An expression (not a literal, not already parenthesized, not a bare keyword such as
    /// `CURRENT_TIMESTAMP`) goes in parentheses, as SQLite's grammar wants and SQLAlchemy does.
    fn parenthesize_text_default(&self, sql: &str) -> bool {
        crate::compiler::ddl::is_bare_expression(sql)
    }
    fn name(&self) -> &'static str {
        "sqlite"
    }
    fn display_name(&self) -> &'static str {
        "SQLite"
    }
    fn has_table_query(&self, name: &str, schema: Option<&str>) -> crate::sql::TextClause {
        reflection::has_table(name, schema)
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
        reflection::reflect_table_or_temp(exec, name, schema)
    }
    fn reflect_temp_names(
        &self,
        exec: &mut super::reflection::Exec<'_>,
        views: bool,
    ) -> Result<Vec<String>> {
        reflection::temp_names(exec, views)
    }
    fn supports_comments(&self) -> bool {
        false
    }
    fn foreign_key_references_schema(&self) -> bool {
        false
    }
    fn default_schema_query(&self) -> crate::sql::TextClause {
        crate::sql::text("SELECT 'main'")
    }
    /// `main` and the attached databases (not `temp`), as SQLAlchemy lists them.
    fn schema_names_query(&self) -> crate::sql::TextClause {
        crate::sql::text("SELECT name FROM pragma_database_list WHERE name <> 'temp' ORDER BY seq")
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
        ParamStyle::Qmark
    }
    fn is_reserved(&self, word: &str) -> bool {
        reserved::is_reserved(word)
    }
    fn multi_table_dml(&self) -> super::MultiTableDml {
        super::MultiTableDml::UpdateFromOnly
    }
    fn supports_returning(&self, _kind: crate::compiler::StatementKind) -> bool {
        true
    }
    fn supports_parenthesized_compound(&self) -> bool {
        false
    }
    fn supports_intersect_except_all(&self) -> bool {
        false
    }
    fn max_params(&self) -> usize {
        32_766
    }
    /// Dates, times, UUIDs and JSON are text in SQLite, and a CAST to their DDL names
    /// (`DATETIME`, ...) has NUMERIC affinity, which makes `'2024-02-29 10:00:00'` the number
    /// 2024: they are cast to TEXT.
    fn cast_type_name(&self, ty: &Type) -> Result<String> {
        match ty.generic() {
            Type::Date
            | Type::Time
            | Type::TimeTz
            | Type::DateTime
            | Type::DateTimeTz
            | Type::Uuid
            | Type::UuidChar
            | Type::Json => Ok("TEXT".into()),
            _ => self.type_name(ty),
        }
    }
    fn type_name(&self, ty: &Type) -> Result<String> {
        Ok(match ty {
            Type::Collated { ty, .. } | Type::Wrapped { ty, .. } => self.type_name(ty)?,
            Type::Interval | Type::IntervalPrecision { .. } => "DATETIME".into(),
            Type::Unicode(Some(n)) => format!("NVARCHAR({n})"),
            Type::Unicode(None) => "NVARCHAR".into(),
            other => super::default_type_name(self.name(), other)?,
        })
    }
    fn reset_isolation_level_sql(&self) -> Option<String> {
        Some("PRAGMA read_uncommitted = 0".into())
    }
    fn isolation_levels(&self) -> &'static [super::IsolationLevel] {
        &[
            super::IsolationLevel::Autocommit,
            super::IsolationLevel::ReadUncommitted,
            super::IsolationLevel::Serializable,
        ]
    }
    fn default_isolation_level(&self) -> super::IsolationLevel {
        super::IsolationLevel::Serializable
    }
    fn isolation_level_query(&self) -> Option<&'static str> {
        Some(
            "SELECT CASE WHEN read_uncommitted THEN 'READ UNCOMMITTED' ELSE 'SERIALIZABLE' END \
             FROM pragma_read_uncommitted",
        )
    }
    fn isolation_level_sql(&self, level: super::IsolationLevel) -> Result<String> {
        // SQLite transactions are serializable; READ UNCOMMITTED applies to shared-cache reads.
        match level {
            super::IsolationLevel::Serializable => Ok("PRAGMA read_uncommitted = 0".into()),
            super::IsolationLevel::ReadUncommitted => Ok("PRAGMA read_uncommitted = 1".into()),
            other => Err(crate::error::Error::from(
                crate::error::CompileError::Unsupported {
                    dialect: "sqlite",
                    construct: format!(
                        "isolation level {} (SQLite has SERIALIZABLE and READ UNCOMMITTED)",
                        other.sql()
                    ),
                },
            )),
        }
    }
    /// `a / (b + 0.0)`: SQLite divides integers by truncating, a real divisor doesn't.
    /// `JSON_QUOTE(JSON_EXTRACT(doc, '$."k"'))` as JSON (a string element stays a JSON
    /// string), `CAST(JSON_EXTRACT(doc, '$."k"') AS type)` as anything else.
    fn visit_json_get<'a>(
        &self,
        c: &mut Compiler<'a>,
        doc: &'a Expr,
        path: &'a [JsonKey],
        ty: &'a Type,
    ) -> Result<()> {
        let p = self.json_dollar_path(path)?;
        let json = *ty.generic() == Type::Json;
        c.push(if json {
            "JSON_QUOTE(JSON_EXTRACT("
        } else {
            "CAST(JSON_EXTRACT("
        });
        c.expr(doc)?;
        c.push(", ");
        c.push(&p);
        if json {
            c.push("))");
        } else {
            c.push(") AS ");
            c.push(&self.cast_type_name(ty)?);
            c.push(")");
        }
        Ok(())
    }
    fn visit_truediv<'a>(&self, c: &mut Compiler<'a>, l: &'a Expr, r: &'a Expr) -> Result<()> {
        c.arithmetic_left(BinaryOp::Div, l, r)?;
        c.push(" / ");
        real_divisor(c, r)
    }
    /// Integers: `a / b`. Otherwise the floor of the true quotient `q`, without `FLOOR`
    /// (SQLite has it only when built with its math functions):
    /// `(CAST(q AS INTEGER) - (CAST(q AS INTEGER) > q))`.
    fn visit_floordiv<'a>(&self, c: &mut Compiler<'a>, l: &'a Expr, r: &'a Expr) -> Result<()> {
        let (lt, rt) = operand_types(l, r);
        if lt.is_integer() && rt.is_integer() {
            c.arithmetic_left(BinaryOp::FloorDiv, l, r)?;
            c.push(" / ");
            return c.arithmetic_right(BinaryOp::FloorDiv, l, r);
        }
        let quotient = |c: &mut Compiler<'a>| -> Result<()> {
            c.arithmetic_left(BinaryOp::Div, l, r)?;
            c.push(" / ");
            real_divisor(c, r)
        };
        c.push("(CAST(");
        quotient(c)?;
        c.push(" AS INTEGER) - (CAST(");
        quotient(c)?;
        c.push(" AS INTEGER) > ");
        quotient(c)?;
        c.push("))");
        Ok(())
    }
    fn visit_bool(&self, c: &mut Compiler<'_>, b: bool) {
        c.push(if b { "1" } else { "0" });
    }
    fn visit_function<'a>(
        &self,
        c: &mut Compiler<'a>,
        f: &'a crate::sql::FunctionCall,
    ) -> Result<()> {
        if &*f.name == "now" && f.args.is_empty() {
            c.push("CURRENT_TIMESTAMP");
            return Ok(());
        }
        // SQLite's `length` counts characters; it has no `char_length`.
        let name = if &*f.name == "char_length" {
            "length"
        } else {
            &f.name
        };
        super::function_default(c, name, f)
    }
    fn visit_extract<'a>(&self, c: &mut Compiler<'a>, part: DatePart, x: &'a Expr) -> Result<()> {
        let fmt = match part {
            DatePart::Year => "%Y",
            DatePart::Month | DatePart::Quarter => "%m",
            DatePart::Day => "%d",
            DatePart::Hour => "%H",
            DatePart::Minute => "%M",
            DatePart::Second => "%S",
            DatePart::Dow => "%w",
            DatePart::Doy => "%j",
            DatePart::Week => "%W",
            DatePart::Epoch => "%s",
        };
        // The quarter is arithmetic: parenthesized whole, it stays one operand.
        if part == DatePart::Quarter {
            c.push("((");
        }
        c.push("CAST(STRFTIME('");
        c.push(fmt);
        c.push("', ");
        c.expr(x)?;
        c.push(") AS INTEGER)");
        if part == DatePart::Quarter {
            c.push(" + 2) / 3)");
        }
        Ok(())
    }
    fn visit_limit_offset<'a>(
        &self,
        c: &mut Compiler<'a>,
        limit: Option<&'a Expr>,
        offset: Option<&'a Expr>,
    ) -> Result<()> {
        c.push(" LIMIT ");
        match limit {
            Some(l) => c.expr(l)?,
            None => c.push("-1"),
        }
        if let Some(o) = offset {
            c.push(" OFFSET ");
            c.expr(o)?;
        }
        Ok(())
    }
    /// SQLite has no XOR: `((l | r) - (l & r))`.
    fn visit_bitwise_xor<'a>(&self, c: &mut Compiler<'a>, l: &'a Expr, r: &'a Expr) -> Result<()> {
        c.push("((");
        c.binary_default(BinaryOp::BitOr, l, r)?;
        c.push(") - (");
        c.binary_default(BinaryOp::BitAnd, l, r)?;
        c.push("))");
        Ok(())
    }
    /// SQLite has no FETCH: `FETCH FIRST n ROWS ONLY` is `LIMIT n`, the same rows; WITH TIES
    /// and PERCENT have no SQLite form.
    fn visit_fetch<'a>(
        &self,
        c: &mut Compiler<'a>,
        count: Option<&'a Expr>,
        offset: Option<&'a Expr>,
        options: FetchOptions,
    ) -> Result<()> {
        if options.with_ties || options.percent {
            return Err(Error::from(CompileError::Unsupported {
                dialect: self.name(),
                construct: "FETCH FIRST ... WITH TIES / PERCENT".into(),
            }));
        }
        self.visit_limit_offset(c, count, offset)
    }
    fn visit_for_update(&self, _c: &mut Compiler<'_>, _fu: &ForUpdate) -> Result<()> {
        Ok(())
    }
    fn visit_column_ddl<'a>(
        &self,
        c: &mut Compiler<'a>,
        table: &'a Table,
        col: &'a ColumnData,
        autoincrement: bool,
    ) -> Result<bool> {
        let t = self.type_name(&col.ty)?;
        c.column_ddl_default(col, &t)?;
        // Only an explicit autoincrement=True asks for SQLite's AUTOINCREMENT keyword; a
        // single INTEGER primary key is already the rowid.
        if autoincrement
            && col.autoincrement == Autoincrement::Yes
            && table.primary_key().columns.len() == 1
        {
            c.push(" PRIMARY KEY AUTOINCREMENT");
            return Ok(true);
        }
        Ok(false)
    }
    /// SQLite names no derived table's columns: a VALUES's columns are `column1`, ... and
    /// are renamed by a SELECT around it.
    fn visit_values_from<'a>(
        &self,
        c: &mut Compiler<'a>,
        values: &'a crate::sql::ValuesClause,
        name: &str,
    ) -> Result<()> {
        c.push("(SELECT ");
        for (k, (n, _)) in values.data_ref().columns.iter().enumerate() {
            if k > 0 {
                c.push(", ");
            }
            c.push(&format!("column{} AS ", k + 1));
            c.ident(n);
        }
        c.push(" FROM (");
        self.visit_values_rows(c, values)?;
        c.push(")) AS ");
        c.ident(name);
        Ok(())
    }
    fn visit_index_name<'a>(&self, c: &mut Compiler<'a>, table: &'a Table, name: &str) {
        c.schema_qualified(table.schema(), name);
    }
    fn default_schema_name_query(&self) -> &'static str {
        "SELECT 'main'"
    }
    fn view_capabilities(&self) -> super::ViewCapabilities {
        super::ViewCapabilities {
            or_replace: false,
            temporary: true,
            materialized: false,
        }
    }
    fn visit_table_comment<'a>(
        &self,
        _c: &mut Compiler<'a>,
        _table: &'a Table,
        _comment: Option<&str>,
    ) -> Result<()> {
        Err(crate::error::Error::from(
            crate::error::CompileError::Unsupported {
                dialect: "sqlite",
                construct: "table comments (SQLite has none)".into(),
            },
        ))
    }
    fn visit_index_table<'a>(&self, c: &mut Compiler<'a>, table: &'a Table) {
        // `CREATE INDEX schema.name ON table`: the schema is the index's, never the table's.
        c.ident(table.name());
    }
}

/// `(b + 0.0)`: the divisor as a real, so `/` divides exactly.
fn real_divisor<'a>(c: &mut Compiler<'a>, r: &'a Expr) -> Result<()> {
    c.push("(");
    c.operand(r, BinaryOp::Add.precedence())?;
    c.push(" + 0.0)");
    Ok(())
}
