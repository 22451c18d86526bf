//! MySQL and MariaDB: backtick quoting, `concat()`, `<=>`, `ON DUPLICATE KEY UPDATE`,
//! `AUTO_INCREMENT`, lengths required on VARCHAR, no FULL OUTER JOIN, NULLS FIRST/LAST
//! emulated with `x IS NULL` ordering.
//!
//! `Float` is created as `DOUBLE`: MySQL's `FLOAT` holds only 4 bytes, and Athanor's `Float`
//! round-trips an `f64` on every dialect. Likewise `Text` is `LONGTEXT` and `LargeBinary`
//! `LONGBLOB` (MySQL's `TEXT`/`BLOB` stop at 64 KiB), and `DateTime`/`Time` keep microseconds
//! (`DATETIME(6)`, `TIME(6)`).

mod errors;
mod reflection;
mod reserved;
mod types;

pub use errors::{is_disconnect, map_error};

use super::{Dialect, ParamStyle};
use crate::compiler::Compiler;
use crate::error::{CompileError, Error, Result};
use crate::schema::{ColumnData, Table};
use crate::sql::{
    BinaryOp, ConflictAction, DatePart, Expr, FetchOptions, ForUpdate, JsonKey, OnConflict,
};
use crate::types::{Type, Value};

/// The MySQL / MariaDB dialect.
///
/// `returning` is set for MariaDB ≥ 10.5, which has `INSERT/DELETE ... RETURNING`; the
/// engine detects it on connect.
///
/// ```
/// use athanor_core::prelude::*;
/// use athanor_core::dialect::MySql;
/// let s = select(column("first").concat(" ").concat(column("last")).label("full"));
/// assert_eq!(s.compile(&MySql::default())?.sql(), "SELECT concat(concat(first, ?), last) AS full");
/// # Ok::<(), athanor_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
#[allow(non_upper_case_globals)]
pub struct MySql {
    /// The server has `INSERT ... RETURNING` and `DELETE ... RETURNING` (MariaDB ≥ 10.5).
    pub returning: bool,
    /// The server's `sql_mode` has `NO_BACKSLASH_ESCAPES`: `\` is an ordinary character in
    /// string literals, so [`Dialect::quote_string`] must not double it. The engine reads the
    /// mode on connect.
    pub no_backslash_escapes: bool,
    /// The server has sequences (`CREATE SEQUENCE`, `nextval(s)`: MariaDB ≥ 10.3). The
    /// engine detects it on connect.
    pub sequences: bool,
}

/// The MySQL dialect with MySQL 8 capabilities (no RETURNING).
#[allow(non_upper_case_globals)]
pub const MySql: MySql = MySql {
    returning: false,
    no_backslash_escapes: false,
    sequences: false,
};

impl Dialect for MySql {
    /// As SQLite, except `... ON UPDATE ...` and `now(n)` / `current_timestamp(n)`, which
    /// MySQL takes bare (SQLAlchemy's rule).
    fn parenthesize_text_default(&self, sql: &str) -> bool {
        let lower = sql.trim_start().to_ascii_lowercase();
        let on_update = lower
            .split_whitespace()
            .collect::<Vec<_>>()
            .windows(2)
            .any(|w| w == ["on", "update"]);
        let precise_now = ["now(", "current_timestamp("].iter().any(|f| {
            lower.strip_prefix(f).is_some_and(|rest| {
                let digits = rest.chars().take_while(char::is_ascii_digit).count();
                digits > 0 && rest[digits..].starts_with(')')
            })
        });
        !on_update && !precise_now && crate::compiler::ddl::is_bare_expression(sql)
    }
    /// `JSON_EXTRACT(doc, '$."k"')` as JSON; as anything else, JSON `null` is SQL NULL
    /// (MySQL would give the text `null`), then the element is unquoted (`JSON_UNQUOTE`) or
    /// cast (`SIGNED INTEGER`, `DECIMAL(p, s)`; a float by adding a zero with many places, as
    /// MariaDB has no CAST to a float), a boolean compared with `true`.
    fn visit_json_get<'a>(
        &self,
        c: &mut Compiler<'a>,
        doc: &'a Expr,
        path: &'a [JsonKey],
        ty: &'a Type,
    ) -> Result<()> {
        let p = self.json_dollar_path(path)?;
        let extract = |c: &mut Compiler<'a>| -> Result<()> {
            c.push("JSON_EXTRACT(");
            c.expr(doc)?;
            c.push(", ");
            c.push(&p);
            c.push(")");
            Ok(())
        };
        if *ty.generic() == Type::Json {
            return extract(c);
        }
        c.push("CASE ");
        extract(c)?;
        c.push(" WHEN 'null' THEN NULL ");
        match ty.generic() {
            Type::Boolean => c.push("WHEN true THEN true ELSE false"),
            Type::Integer | Type::SmallInteger | Type::BigInteger => {
                c.push("ELSE CAST(");
                extract(c)?;
                c.push(" AS SIGNED INTEGER)");
            }
            Type::Numeric(Some(precision), Some(scale)) => {
                c.push("ELSE CAST(");
                extract(c)?;
                c.push(&format!(" AS DECIMAL({precision}, {scale}))"));
            }
            Type::Numeric(..) | Type::Float | Type::Double => {
                c.push("ELSE ");
                extract(c)?;
                c.push("+0.0000000000000000000000");
            }
            Type::String(_) | Type::Unicode(_) | Type::Text | Type::UnicodeText => {
                c.push("ELSE JSON_UNQUOTE(");
                extract(c)?;
                c.push(")");
            }
            _ => {
                c.push("ELSE ");
                extract(c)?;
            }
        }
        c.push(" END");
        Ok(())
    }
    fn name(&self) -> &'static str {
        "mysql"
    }
    fn display_name(&self) -> &'static str {
        "MySQL"
    }
    /// Tables, columns, indexes, constraints, databases: 64 characters.
    fn max_identifier_length(&self) -> super::NameLimit {
        super::NameLimit::Chars(64)
    }
    /// A column alias longer than 255 bytes comes back cut (MariaDB 10.11).
    fn max_label_length(&self) -> super::NameLimit {
        super::NameLimit::Bytes(255)
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
        reflection::reflect_table(self, exec, name, schema)
    }
    fn reflect_tables(
        &self,
        exec: &mut super::reflection::Exec<'_>,
        schema: Option<&str>,
        filter: Option<&[String]>,
        kind: super::reflection::ObjectKind,
    ) -> Result<Vec<super::reflection::ReflectedTable>> {
        reflection::reflect_tables(self, exec, schema, filter, kind)
    }
    fn reflects_table_options(&self) -> bool {
        true
    }
    fn has_unlisted_temp_table(
        &self,
        exec: &mut super::reflection::Exec<'_>,
        name: &str,
    ) -> Result<bool> {
        reflection::has_temp_table(exec, name)
    }
    fn default_schema_query(&self) -> crate::sql::TextClause {
        crate::sql::text("SELECT database()")
    }
    fn schema_names_query(&self) -> crate::sql::TextClause {
        crate::sql::text("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME")
    }
    fn reflect_view_definition(
        &self,
        exec: &mut super::reflection::Exec<'_>,
        name: &str,
        schema: Option<&str>,
    ) -> Result<String> {
        reflection::view_definition(exec, name, schema)
    }
    fn cache_tag(&self) -> u64 {
        0x6d79_7371_6c00
            | u64::from(self.returning)
            | u64::from(self.no_backslash_escapes) << 1
            | u64::from(self.sequences) << 2
    }
    fn type_from_declared(&self, declared: &str) -> Type {
        types::from_declared(declared)
    }
    fn param_style(&self) -> ParamStyle {
        ParamStyle::Format
    }
    fn quote_chars(&self) -> (char, char) {
        ('`', '`')
    }
    fn is_reserved(&self, word: &str) -> bool {
        reserved::is_reserved(word)
    }
    fn needs_quote(&self, name: &str) -> bool {
        !super::is_plain_identifier(name) || self.is_reserved(name)
    }
    fn multi_table_dml(&self) -> super::MultiTableDml {
        super::MultiTableDml::TableList
    }
    fn supports_sequences(&self) -> bool {
        self.sequences
    }
    /// `SELECT .. UNION ALL SELECT ..`: MariaDB gives a VALUES column of parameters a length
    /// of zero when it prepares the statement (the text comes back empty), and MySQL 8
    /// would need `ROW(..)`; the SELECTs work on both.
    fn visit_values_rows<'a>(
        &self,
        c: &mut Compiler<'a>,
        values: &'a crate::sql::ValuesClause,
    ) -> Result<()> {
        c.values_as_selects(values)
    }
    /// `(SELECT ? AS a, ? AS b UNION ALL SELECT ?, ?) AS name`: MariaDB can't name a
    /// derived table's columns.
    fn visit_values_from<'a>(
        &self,
        c: &mut Compiler<'a>,
        values: &'a crate::sql::ValuesClause,
        name: &str,
    ) -> Result<()> {
        c.push("(");
        c.values_as_selects(values)?;
        c.push(") AS ");
        c.ident(name);
        Ok(())
    }
    fn visit_next_value(&self, c: &mut Compiler<'_>, seq: &crate::schema::Sequence) -> Result<()> {
        if !self.sequences {
            return Err(Error::from(crate::error::CompileError::Unsupported {
                dialect: self.name(),
                construct: "sequences (MariaDB 10.3 or later has them)".into(),
            }));
        }
        c.push("nextval(");
        c.schema_qualified(seq.schema.as_deref(), &seq.name);
        c.push(")");
        Ok(())
    }
    fn reflect_sequence_names(
        &self,
        exec: &mut super::reflection::Exec<'_>,
        schema: Option<&str>,
    ) -> Result<Vec<String>> {
        if !self.sequences {
            return Ok(Vec::new());
        }
        reflection::sequence_names(exec, schema)
    }
    fn supports_returning(&self, kind: crate::compiler::StatementKind) -> bool {
        self.returning && kind != crate::compiler::StatementKind::Update
    }
    fn error_aborts_transaction(&self, err: &Error) -> bool {
        // A deadlock (ER_LOCK_DEADLOCK) rolls back the whole transaction; other errors undo
        // only the failed statement.
        err.database_error()
            .is_some_and(|d| d.code.as_deref() == Some("1213"))
    }
    fn supports_full_outer_join(&self) -> bool {
        false
    }
    fn supports_aggregate_filter(&self) -> bool {
        false
    }
    fn supports_transactional_ddl(&self) -> bool {
        false
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
            Type::Float | Type::Double => "DOUBLE".into(),
            Type::String(None) | Type::Unicode(None) => {
                return Err(Error::from(CompileError::Invalid(
                    "VARCHAR requires a length on dialect mysql: use Type::String(Some(n)) or Type::Text".into(),
                )))
            }
            Type::Boolean => "BOOL".into(),
            // Unbounded means unbounded: MySQL's TEXT and BLOB stop at 64 KiB.
            Type::Text | Type::UnicodeText => "LONGTEXT".into(),
            Type::LargeBinary => "LONGBLOB".into(),
            // Keep microseconds, as the other databases do.
            Type::DateTime | Type::DateTimeTz => "DATETIME(6)".into(),
            Type::Time | Type::TimeTz => "TIME(6)".into(),
            Type::Interval | Type::IntervalPrecision { .. } => "DATETIME".into(),
            Type::Enum { variants, .. } => {
                let mut s = String::from("ENUM(");
                for (i, v) in variants.iter().enumerate() {
                    if i > 0 {
                        s.push(',');
                    }
                    s.push_str(&self.literal(&Value::Text(v.clone()))?);
                }
                s.push(')');
                s
            }
            other => super::default_type_name(self.name(), other)?,
        })
    }
    fn cast_type_name(&self, ty: &Type) -> Result<String> {
        Ok(match ty.generic() {
            Type::Integer | Type::SmallInteger | Type::BigInteger | Type::Boolean => {
                "SIGNED".into()
            }
            Type::String(Some(n)) | Type::Unicode(Some(n)) => format!("CHAR({n})"),
            Type::String(None)
            | Type::Unicode(None)
            | Type::Text
            | Type::UnicodeText
            | Type::Enum { .. } => "CHAR".into(),
            Type::Numeric(Some(p), Some(s)) => format!("DECIMAL({p}, {s})"),
            Type::Numeric(Some(p), None) => format!("DECIMAL({p})"),
            Type::Numeric(..) => "DECIMAL".into(),
            Type::Float | Type::Double => "DOUBLE".into(),
            Type::LargeBinary => "BINARY".into(),
            Type::Date => "DATE".into(),
            // With the microseconds the columns Athanor creates keep: a bare TIME or
            // DATETIME would drop the fraction of a second.
            Type::Time | Type::TimeTz => "TIME(6)".into(),
            Type::DateTime | Type::DateTimeTz | Type::Interval | Type::IntervalPrecision { .. } => {
                "DATETIME(6)".into()
            }
            Type::Json => "JSON".into(),
            Type::Uuid => "CHAR(32)".into(),
            other => return self.type_name(other),
        })
    }
    fn quote_string(&self, s: &str) -> Result<String> {
        super::quote_standard(self.name(), s, !self.no_backslash_escapes)
    }
    fn default_isolation_level(&self) -> super::IsolationLevel {
        super::IsolationLevel::RepeatableRead
    }
    fn isolation_level_query(&self) -> Option<&'static str> {
        // MariaDB and MySQL 5.7 have tx_isolation, MySQL 8 only transaction_isolation.
        Some(
            "SHOW SESSION VARIABLES WHERE Variable_name IN ('transaction_isolation', 'tx_isolation')",
        )
    }
    fn isolation_level_sql(&self, level: super::IsolationLevel) -> Result<String> {
        if level == super::IsolationLevel::Autocommit {
            return Err(super::autocommit_is_no_sql(self.name()));
        }
        Ok(format!(
            "SET SESSION TRANSACTION ISOLATION LEVEL {}",
            level.sql()
        ))
    }
    fn div_is_floordiv(&self) -> bool {
        false
    }
    fn visit_concat<'a>(&self, c: &mut Compiler<'a>, l: &'a Expr, r: &'a Expr) -> Result<()> {
        c.push("concat(");
        c.expr(l)?;
        c.push(", ");
        c.expr(r)?;
        c.push(")");
        Ok(())
    }
    fn visit_distinct_from<'a>(
        &self,
        c: &mut Compiler<'a>,
        not: bool,
        l: &'a Expr,
        r: &'a Expr,
    ) -> Result<()> {
        if !not {
            c.push("NOT (");
        }
        c.operand(l, BinaryOp::Eq.precedence())?;
        c.push(" <=> ");
        c.operand(r, BinaryOp::Eq.precedence() + 1)?;
        if !not {
            c.push(")");
        }
        Ok(())
    }
    fn function_name<'n>(&self, name: &'n str) -> &'n str {
        match name {
            "random" => "rand",
            other => other,
        }
    }
    fn visit_extract<'a>(&self, c: &mut Compiler<'a>, part: DatePart, x: &'a Expr) -> Result<()> {
        let func = match part {
            DatePart::Dow => Some("DAYOFWEEK"),
            DatePart::Doy => Some("DAYOFYEAR"),
            DatePart::Epoch => Some("UNIX_TIMESTAMP"),
            _ => None,
        };
        match func {
            // The day of week is arithmetic: parenthesized whole, it stays one operand.
            Some(f) if part == DatePart::Dow => {
                c.push("(");
                c.push(f);
                c.push("(");
                c.expr(x)?;
                c.push(") - 1)");
            }
            Some(f) => {
                c.push(f);
                c.push("(");
                c.expr(x)?;
                c.push(")");
            }
            None => {
                c.push("EXTRACT(");
                c.push(part.name());
                c.push(" FROM ");
                c.expr(x)?;
                c.push(")");
            }
        }
        Ok(())
    }
    fn supports_nulls_ordering(&self) -> bool {
        false
    }
    fn empty_set(&self, types: &[Type]) -> String {
        format!(
            "SELECT {} FROM DUAL WHERE 1!=1",
            vec!["1"; types.len().max(1)].join(", ")
        )
    }
    fn visit_limit_offset<'a>(
        &self,
        c: &mut Compiler<'a>,
        limit: Option<&'a Expr>,
        offset: Option<&'a Expr>,
    ) -> Result<()> {
        // MySQL's LIMIT takes integer constants and placeholders only.
        for e in limit.iter().chain(offset.iter()) {
            if !limit_operand(e) {
                return Err(Error::from(CompileError::Unsupported {
                    dialect: self.name(),
                    construct: "a SQL expression as LIMIT or OFFSET (MySQL takes a number or a \
                                bound parameter there)"
                        .into(),
                }));
            }
        }
        c.push(" LIMIT ");
        match limit {
            Some(l) => c.expr(l)?,
            None => c.push("18446744073709551615"),
        }
        if let Some(o) = offset {
            c.push(" OFFSET ");
            c.expr(o)?;
        }
        Ok(())
    }
    /// MariaDB (≥ 10.6) has FETCH, with numbers and parameters only (as its LIMIT); MySQL 8
    /// refuses it.
    fn visit_fetch<'a>(
        &self,
        c: &mut Compiler<'a>,
        count: Option<&'a Expr>,
        offset: Option<&'a Expr>,
        options: FetchOptions,
    ) -> Result<()> {
        if count.iter().chain(offset.iter()).any(|e| !limit_operand(e)) {
            return Err(Error::from(CompileError::Unsupported {
                dialect: self.name(),
                construct: "a SQL expression in FETCH FIRST or OFFSET (MariaDB takes a number \
                            or a bound parameter there)"
                    .into(),
            }));
        }
        super::fetch_standard(self.name(), c, count, offset, options, false)
    }
    fn visit_for_update(&self, c: &mut Compiler<'_>, fu: &ForUpdate) -> Result<()> {
        c.push(if fu.read {
            " LOCK IN SHARE MODE"
        } else {
            " FOR UPDATE"
        });
        if fu.nowait {
            c.push(" NOWAIT");
        }
        if fu.skip_locked {
            c.push(" SKIP LOCKED");
        }
        Ok(())
    }
    fn visit_default_values(&self, c: &mut Compiler<'_>) -> Result<()> {
        c.push(" () VALUES ()");
        Ok(())
    }
    fn visit_on_conflict<'a>(
        &self,
        c: &mut Compiler<'a>,
        table: &'a Table,
        oc: &'a OnConflict,
    ) -> Result<()> {
        c.push(" ON DUPLICATE KEY UPDATE ");
        match &oc.action {
            ConflictAction::Update(set) => c.set_list(set)?,
            ConflictAction::Nothing => {
                let col = oc
                    .target
                    .first()
                    .map(|t| t.to_string())
                    .or_else(|| table.primary_key().columns.first().cloned())
                    .or_else(|| table.columns().first().map(|c| c.name.clone()))
                    .unwrap_or_default();
                c.ident(&col);
                c.push(" = ");
                c.ident(&col);
            }
        }
        if oc.where_.is_some() {
            return Err(Error::from(CompileError::Unsupported {
                dialect: "mysql",
                construct: "a WHERE clause on ON DUPLICATE KEY UPDATE".into(),
            }));
        }
        Ok(())
    }
    fn visit_excluded(&self, c: &mut Compiler<'_>, col: &str) -> Result<()> {
        c.push("VALUES(");
        c.ident(col);
        c.push(")");
        Ok(())
    }
    fn visit_column_ddl<'a>(
        &self,
        c: &mut Compiler<'a>,
        _table: &'a Table,
        col: &'a ColumnData,
        autoincrement: bool,
    ) -> Result<bool> {
        let t = self.type_name(&col.ty)?;
        match &col.sequence {
            // MariaDB feeds the column from its sequence through the column's DEFAULT.
            Some(seq) if self.sequences && col.server_default.is_none() => {
                c.ident(&col.name);
                c.push(" ");
                c.push(&t);
                c.collation(&col.ty);
                if !col.nullable {
                    c.push(" NOT NULL");
                }
                c.push(" DEFAULT ");
                self.visit_next_value(c, seq)?;
            }
            _ => {
                c.column_ddl_default(col, &t)?;
                if autoincrement {
                    c.push(" AUTO_INCREMENT");
                }
            }
        }
        if let Some(comment) = &col.comment {
            c.push(" COMMENT ");
            c.comment_literal(Some(comment))?;
        }
        Ok(false)
    }
    fn column_comments_inline(&self) -> bool {
        true
    }
    fn default_schema_name_query(&self) -> &'static str {
        "SELECT DATABASE()"
    }
    fn view_capabilities(&self) -> super::ViewCapabilities {
        super::ViewCapabilities {
            or_replace: true,
            temporary: false,
            materialized: false,
        }
    }
    /// `ALTER TABLE t COMMENT '...'`; an empty comment removes it.
    fn visit_table_comment<'a>(
        &self,
        c: &mut Compiler<'a>,
        table: &'a Table,
        comment: Option<&str>,
    ) -> Result<()> {
        c.push("ALTER TABLE ");
        c.table_name(table);
        c.push(" COMMENT ");
        c.literal(&crate::types::Value::Text(
            comment.unwrap_or("").to_string(),
        ))
    }
    /// The table's comment inside CREATE TABLE (`COMMENT='...'`), as SQLAlchemy writes it.
    fn visit_table_options<'a>(&self, c: &mut Compiler<'a>, table: &'a Table) -> Result<()> {
        if let Some(comment) = &table.data().comment {
            c.push(" COMMENT=");
            c.comment_literal(Some(comment))?;
        }
        Ok(())
    }
    fn visit_drop_index<'a>(
        &self,
        c: &mut Compiler<'a>,
        table: &'a Table,
        name: &str,
        if_exists: bool,
    ) -> Result<()> {
        c.push(if if_exists {
            "DROP INDEX IF EXISTS "
        } else {
            "DROP INDEX "
        });
        c.ident(name);
        c.push(" ON ");
        c.table_name(table);
        Ok(())
    }
}

/// A LIMIT or OFFSET MySQL accepts: a value or parameter (bound as a placeholder).
fn limit_operand(e: &Expr) -> bool {
    match e {
        Expr::Value(_) | Expr::BindParam(_) => true,
        Expr::Typed(x, _) => limit_operand(x),
        _ => false,
    }
}
