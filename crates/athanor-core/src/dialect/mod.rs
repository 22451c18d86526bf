//! Dialects: what differs between databases, declared in one place per database.
//!
//! [`Dialect`] has a default for every hook (standard SQL, as SQLAlchemy's default compiler);
//! [`Sqlite`], [`Postgres`] and [`MySql`](struct@MySql) override only what their database does differently.
//! [`DefaultDialect`] renders `Display` output with named parameters, as SQLAlchemy's
//! `str(stmt)` does.

pub(crate) mod declared;
mod defaults;
mod display;
pub mod identifiers;
mod isolation;
pub mod literal;
pub mod mysql;
pub mod postgres;
pub mod reflection;
pub mod sqlite;

pub use defaults::{default_type_name, function_default};
pub use display::DefaultDialect;
pub use identifiers::NameLimit;
pub use isolation::IsolationLevel;

/// The kinds of `CREATE VIEW` a database has ([`Dialect::view_capabilities`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ViewCapabilities {
    /// `CREATE OR REPLACE VIEW`.
    pub or_replace: bool,
    /// `CREATE TEMPORARY VIEW`.
    pub temporary: bool,
    /// `CREATE MATERIALIZED VIEW`.
    pub materialized: bool,
}
pub(crate) use isolation::autocommit_is_no_sql;
pub use literal::{default_literal, quote_standard};
pub use mysql::MySql;
pub use postgres::Postgres;
pub use sqlite::Sqlite;

use crate::compiler::{Compiler, StatementKind};
use crate::error::{CompileError, Error, Result};
use crate::schema::{ColumnData, Table};
use crate::sql::expr::types::{is_fractional, operand_types};
use crate::sql::{
    BinaryOp, DatePart, Expr, FetchOptions, ForUpdate, FunctionCall, JsonKey, OnConflict,
};
use crate::types::{Type, Value};

/// The cast that gives a bound value its own type in the SQL, or `None` when the value's
/// context may type it (see [`Dialect::param_cast`]).
pub type ParamCast = fn(&Value) -> Option<&'static str>;

/// How a dialect writes parameter placeholders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamStyle {
    /// `?` (SQLite).
    Qmark,
    /// `$1, $2` (PostgreSQL).
    Numeric,
    /// `?`, for drivers whose documented style is `%s` (MySQL).
    Format,
    /// `:name` (display only).
    Named,
}

/// Is `name` a plain lower-case identifier that needs no quoting (`users`, `album_id`)?
pub fn is_plain_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) if c.is_ascii_lowercase() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$')
}

/// How a dialect renders an UPDATE or DELETE that names other tables in its WHERE clause
/// (or SET values): see [`Dialect::multi_table_dml`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MultiTableDml {
    /// `UPDATE t SET ... FROM other WHERE ...` and `DELETE FROM t USING other WHERE ...`
    /// (PostgreSQL).
    FromAndUsing,
    /// `UPDATE t SET ... FROM other WHERE ...`; a DELETE naming other tables is refused
    /// (SQLite).
    UpdateFromOnly,
    /// `UPDATE t, other SET t.c = ... WHERE ...` and `DELETE FROM t USING t, other WHERE ...`
    /// (MySQL, MariaDB).
    TableList,
}

/// A database's SQL: capability flags and rendering hooks, each with a standard default.
///
/// Implement it to support another database; override only what differs.
pub trait Dialect: Send + Sync + std::fmt::Debug {
    /// The dialect's name (`sqlite`, `postgresql`, `mysql`).
    fn name(&self) -> &'static str;

    /// What distinguishes compiled SQL of this dialect in a statement cache (the name, plus any
    /// server-version capabilities).
    fn cache_tag(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in self.name().bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x1000_0000_01b3);
        }
        h
    }

    /// The placeholder style.
    fn param_style(&self) -> ParamStyle {
        ParamStyle::Qmark
    }

    /// The identifier quote characters.
    fn quote_chars(&self) -> (char, char) {
        ('"', '"')
    }

    /// Is `word` reserved (needs quoting as an identifier)?
    fn is_reserved(&self, word: &str) -> bool;

    /// Does an identifier need quoting? Reserved words, upper case, spaces, leading digits.
    fn needs_quote(&self, name: &str) -> bool {
        !is_plain_identifier(name) || self.is_reserved(name)
    }

    /// The longest name of a table, column, index, constraint or schema in DDL that the
    /// database keeps whole; longer names are refused (see [`identifiers`]).
    fn max_identifier_length(&self) -> NameLimit {
        NameLimit::Unlimited
    }
    /// The longest label or alias (and name referenced in a query) the database keeps whole;
    /// by default [`Dialect::max_identifier_length`].
    fn max_label_length(&self) -> NameLimit {
        self.max_identifier_length()
    }
    /// The dialect's name in messages (`PostgreSQL`); by default [`Dialect::name`].
    fn display_name(&self) -> &'static str {
        self.name()
    }
    /// Checks a name before it goes into SQL: a NUL character, or a name longer than
    /// [`Dialect::max_identifier_length`] (`ddl`) or [`Dialect::max_label_length`].
    ///
    /// # Errors
    /// [`Error::Argument`] naming the name, the limit and the dialect.
    fn check_identifier(&self, name: &str, ddl: bool) -> Result<()> {
        let limit = if ddl {
            self.max_identifier_length()
        } else {
            self.max_label_length()
        };
        identifiers::check_name(name, limit, self.display_name())
    }

    /// `RETURNING` on this statement kind ([`StatementKind::Insert`], `Update`, `Delete`).
    ///
    /// ```
    /// use athanor_core::compiler::StatementKind;
    /// use athanor_core::dialect::{Dialect, MySql, Postgres};
    /// assert!(Postgres.supports_returning(StatementKind::Update));
    /// // MariaDB has INSERT/DELETE ... RETURNING, and no UPDATE ... RETURNING.
    /// let mariadb = MySql { returning: true, ..MySql };
    /// assert!(mariadb.supports_returning(StatementKind::Delete));
    /// assert!(!mariadb.supports_returning(StatementKind::Update));
    /// ```
    fn supports_returning(&self, _kind: StatementKind) -> bool {
        false
    }
    /// The database reports the last inserted row id after an INSERT (SQLite's rowid, MySQL's
    /// `LAST_INSERT_ID()`); when false, the engine adds `RETURNING` to learn a generated
    /// primary key (SQLAlchemy's `postfetch_lastrowid`).
    fn postfetch_lastrowid(&self) -> bool {
        true
    }
    /// How an UPDATE or DELETE whose WHERE clause names other tables lists them (SQLAlchemy's
    /// `update_from_clause` / `delete_extra_from_clause`).
    fn multi_table_dml(&self) -> MultiTableDml {
        MultiTableDml::FromAndUsing
    }
    /// `DISTINCT ON (...)`.
    fn supports_distinct_on(&self) -> bool {
        false
    }
    /// `INTERSECT` and `EXCEPT`.
    fn supports_intersect_except(&self) -> bool {
        true
    }
    /// `INTERSECT ALL` and `EXCEPT ALL`.
    fn supports_intersect_except_all(&self) -> bool {
        self.supports_intersect_except()
    }
    /// `FULL OUTER JOIN`.
    fn supports_full_outer_join(&self) -> bool {
        true
    }
    /// Parenthesized members of a compound SELECT (with their own ORDER BY / LIMIT, or a
    /// nested set operation). Without them such a member is selected from as a subquery:
    /// `SELECT * FROM (a INTERSECT b)`.
    fn supports_parenthesized_compound(&self) -> bool {
        true
    }
    /// `NULLS FIRST` / `NULLS LAST` (emulated with `x IS NULL` ordering where missing).
    fn supports_nulls_ordering(&self) -> bool {
        true
    }
    /// `agg(...) FILTER (WHERE ...)`.
    fn supports_aggregate_filter(&self) -> bool {
        true
    }
    /// Table and column comments are kept by the database (not by SQLite, where they are left
    /// out of the DDL, as SQLAlchemy does).
    fn supports_comments(&self) -> bool {
        true
    }
    /// `CREATE INDEX .. INCLUDE (..)`, a covering index's non-key columns
    /// ([`Index::include`](crate::schema::Index::include)): PostgreSQL only; elsewhere they
    /// are left out of the DDL.
    fn supports_index_include(&self) -> bool {
        false
    }
    /// A server default given as SQL text ([`ServerDefault::text`](crate::schema::ServerDefault::text))
    /// is written in parentheses, `DEFAULT (3 + 5)`: SQLite and MySQL take an expression as a
    /// default only so. The default: written as given.
    fn parenthesize_text_default(&self, _sql: &str) -> bool {
        false
    }
    /// A foreign key's `REFERENCES` may name the referred table's schema. SQLite's can't (a
    /// constraint refers to a table of its own database): there the schema is left out, and a
    /// foreign key to another database is left out of the DDL, as SQLAlchemy does.
    fn foreign_key_references_schema(&self) -> bool {
        true
    }
    /// `CREATE SEQUENCE`.
    fn supports_sequences(&self) -> bool {
        false
    }
    /// Sequences are optional here (SQLAlchemy's `sequences_optional`): the database
    /// generates keys without one, so an optional [`crate::schema::Sequence`] is neither
    /// created nor used.
    fn sequences_optional(&self) -> bool {
        false
    }
    /// Named enum types (`CREATE TYPE ... AS ENUM`).
    fn supports_named_enums(&self) -> bool {
        false
    }
    /// A query returning a row when a named enum type exists in the default schema
    /// (SQLAlchemy's `has_type`), for `create_all`'s checkfirst; `None` where the dialect has
    /// no named enums.
    fn has_named_enum_query(&self, _name: &str) -> Option<crate::sql::TextClause> {
        None
    }
    /// `VALUES (...), (...)` in one INSERT.
    fn supports_multivalues_insert(&self) -> bool {
        true
    }
    /// Transactional DDL (a failed `create_all` leaves nothing behind).
    fn supports_transactional_ddl(&self) -> bool {
        true
    }
    /// How many rows `execute_many` puts in one multi-row `INSERT ... VALUES (...), (...)`:
    /// 1 re-binds one single-row statement per row (fastest in-process, SQLite); servers
    /// save a round trip per row with batches (bounded by [`Dialect::max_params`]).
    fn executemany_batch_rows(&self) -> usize {
        1
    }
    /// The largest number of bound parameters one statement may carry.
    fn max_params(&self) -> usize {
        32_766
    }

    /// A query returning a row when the table exists (`:name`, `:schema` bound): by default
    /// `information_schema.tables` in the given or current schema.
    fn has_table_query(&self, name: &str, schema: Option<&str>) -> crate::sql::TextClause {
        crate::sql::text(
            "SELECT table_name FROM information_schema.tables \
             WHERE table_name = :name AND table_schema = coalesce(:schema, current_schema())",
        )
        .bind("name", name)
        .bind("schema", schema.map(str::to_string))
    }

    /// A query returning, in its first column, those of `names` that name a table or view in
    /// the schema (the current one for `None`): one query for any number of names
    /// (`Inspector::has_multi_table`). By default `information_schema.tables`.
    fn has_tables_query(&self, names: &[&str], schema: Option<&str>) -> crate::sql::TextClause {
        reflection::with_names(
            "SELECT table_name FROM information_schema.tables \
             WHERE table_name IN :names AND table_schema = coalesce(:schema, current_schema())",
            names,
        )
        .bind("schema", schema.map(str::to_string))
    }

    /// The names of the sequences in a schema (the default one for `None`), sorted
    /// (SQLAlchemy's `get_sequence_names`); none where the dialect has no sequences.
    ///
    /// # Errors
    /// The query's errors.
    fn reflect_sequence_names(
        &self,
        _exec: &mut reflection::Exec<'_>,
        _schema: Option<&str>,
    ) -> Result<Vec<String>> {
        Ok(Vec::new())
    }

    /// The names of the tables (or, with `views`, the views) in a schema, sorted.
    ///
    /// # Errors
    /// [`CompileError::Unsupported`] where reflection isn't written yet; the query's errors.
    fn reflect_table_names(
        &self,
        _exec: &mut reflection::Exec<'_>,
        _schema: Option<&str>,
        _views: bool,
    ) -> Result<Vec<String>> {
        Err(Error::from(CompileError::Unsupported {
            dialect: self.name(),
            construct: "reflection".into(),
        }))
    }

    /// Everything about one table: columns, keys, indexes, constraints.
    ///
    /// # Errors
    /// [`Error::NoSuchTable`] when it doesn't exist; the queries' errors.
    fn reflect_table(
        &self,
        _exec: &mut reflection::Exec<'_>,
        _name: &str,
        _schema: Option<&str>,
    ) -> Result<reflection::ReflectedTable> {
        Err(Error::from(CompileError::Unsupported {
            dialect: self.name(),
            construct: "reflection".into(),
        }))
    }

    /// The names of the objects of `kind` in a schema, sorted: by default the tables and
    /// views of [`Dialect::reflect_table_names`] (a dialect with materialized views adds them).
    ///
    /// # Errors
    /// As [`Dialect::reflect_table_names`].
    fn reflect_object_names(
        &self,
        exec: &mut reflection::Exec<'_>,
        schema: Option<&str>,
        kind: reflection::ObjectKind,
    ) -> Result<Vec<String>> {
        let mut names = Vec::new();
        if kind.contains(reflection::ObjectKind::TABLE) {
            names.extend(self.reflect_table_names(exec, schema, false)?);
        }
        if kind.contains(reflection::ObjectKind::VIEW) {
            names.extend(self.reflect_table_names(exec, schema, true)?);
        }
        names.sort();
        Ok(names)
    }

    /// Every object of `kind` in a schema (only those named in `filter`, when given), in
    /// name order: SQLAlchemy's `get_multi_*`. By default one [`Dialect::reflect_table`] per
    /// object; PostgreSQL and MySQL read each kind of catalog row for the whole schema in one
    /// query instead, whatever the number of tables.
    ///
    /// # Errors
    /// The queries' errors.
    fn reflect_tables(
        &self,
        exec: &mut reflection::Exec<'_>,
        schema: Option<&str>,
        filter: Option<&[String]>,
        kind: reflection::ObjectKind,
    ) -> Result<Vec<reflection::ReflectedTable>> {
        let mut out = Vec::new();
        for name in self.reflect_object_names(exec, schema, kind)? {
            if filter.is_some_and(|f| !f.contains(&name)) {
                continue;
            }
            out.push(self.reflect_table(exec, &name, schema)?);
        }
        Ok(out)
    }

    /// The names of this connection's temporary tables (or, with `views`, temporary views),
    /// sorted (SQLAlchemy's `get_temp_table_names` / `get_temp_view_names`): SQLite and
    /// PostgreSQL.
    ///
    /// # Errors
    /// [`CompileError::Unsupported`] where the database can't list them (MySQL, as in
    /// SQLAlchemy); the query's errors.
    fn reflect_temp_names(
        &self,
        _exec: &mut reflection::Exec<'_>,
        _views: bool,
    ) -> Result<Vec<String>> {
        Err(Error::from(CompileError::Unsupported {
            dialect: self.name(),
            construct: "listing temporary tables".into(),
        }))
    }

    /// This connection's temporary objects of `kind` (those named in `filter`, when given),
    /// in name order, each from [`Dialect::reflect_table`] with no schema (which finds
    /// temporary tables); none where the database can't list them.
    ///
    /// # Errors
    /// The queries' errors.
    fn reflect_temp_tables(
        &self,
        exec: &mut reflection::Exec<'_>,
        filter: Option<&[String]>,
        kind: reflection::ObjectKind,
    ) -> Result<Vec<reflection::ReflectedTable>> {
        let mut names = Vec::new();
        for (k, views) in [
            (reflection::ObjectKind::TABLE, false),
            (reflection::ObjectKind::VIEW, true),
        ] {
            if kind.contains(k) {
                match self.reflect_temp_names(exec, views) {
                    Ok(n) => names.extend(n),
                    Err(Error::Compile(e)) if matches!(*e, CompileError::Unsupported { .. }) => {}
                    Err(e) => return Err(e),
                }
            }
        }
        names.sort();
        let mut out = Vec::new();
        for name in names {
            if filter.is_none_or(|f| f.contains(&name)) {
                out.push(self.reflect_table(exec, &name, None)?);
            }
        }
        Ok(out)
    }

    /// Has the connection a temporary table `name` that [`Dialect::has_table_query`] doesn't
    /// see? By default no: the query sees them. MySQL (MariaDB before 11.2) lists none in
    /// its catalog and asks the table itself.
    ///
    /// # Errors
    /// The query's errors.
    fn has_unlisted_temp_table(
        &self,
        _exec: &mut reflection::Exec<'_>,
        _name: &str,
    ) -> Result<bool> {
        Ok(false)
    }

    /// Does reflection report table options ([`ReflectedTable::options`], SQLAlchemy's
    /// `get_table_options`)? PostgreSQL and MySQL; SQLAlchemy raises `NotImplementedError`
    /// elsewhere.
    ///
    /// [`ReflectedTable::options`]: reflection::ReflectedTable::options
    fn reflects_table_options(&self) -> bool {
        false
    }

    /// The query giving the default schema's name (one row, one column): by default
    /// `current_schema()`.
    fn default_schema_query(&self) -> crate::sql::TextClause {
        crate::sql::text("SELECT current_schema()")
    }

    /// The query listing the schema names (one column): by default
    /// `information_schema.schemata`.
    fn schema_names_query(&self) -> crate::sql::TextClause {
        crate::sql::text("SELECT schema_name FROM information_schema.schemata ORDER BY schema_name")
    }

    /// A view's defining SQL, as the database keeps it.
    ///
    /// # Errors
    /// [`Error::NoSuchTable`] when there is no such view (a table is not one); the query's.
    fn reflect_view_definition(
        &self,
        _exec: &mut reflection::Exec<'_>,
        _name: &str,
        _schema: Option<&str>,
    ) -> Result<String> {
        Err(Error::from(CompileError::Unsupported {
            dialect: self.name(),
            construct: "view definition reflection".into(),
        }))
    }

    /// The statement that sets the isolation level of the connection's next transactions.
    ///
    /// # Errors
    /// [`CompileError::Unsupported`] for a level the database doesn't have.
    fn isolation_level_sql(&self, level: IsolationLevel) -> Result<String> {
        if level == IsolationLevel::Autocommit {
            return Err(autocommit_is_no_sql(self.name()));
        }
        Ok(format!(
            "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL {}",
            level.sql()
        ))
    }

    /// The isolation levels the database offers, [`IsolationLevel::Autocommit`] included
    /// (SQLAlchemy's `get_isolation_level_values`); by default all five.
    fn isolation_levels(&self) -> &'static [IsolationLevel] {
        &[
            IsolationLevel::Autocommit,
            IsolationLevel::ReadCommitted,
            IsolationLevel::ReadUncommitted,
            IsolationLevel::RepeatableRead,
            IsolationLevel::Serializable,
        ]
    }

    /// The level of a connection nothing has set one on, as the database ships (SQLAlchemy's
    /// `default_isolation_level`); by default `READ COMMITTED`.
    fn default_isolation_level(&self) -> IsolationLevel {
        IsolationLevel::ReadCommitted
    }

    /// A query whose first row's last column names the connection's isolation level
    /// (`READ COMMITTED`, `REPEATABLE-READ`: read with [`IsolationLevel::parse`]), or `None`
    /// when the database can't say. `Connection::get_isolation_level` runs it.
    fn isolation_level_query(&self) -> Option<&'static str> {
        None
    }

    /// The statement that puts a connection whose isolation level was changed back to the
    /// database's default, or `None` when there is none (the engine then closes such a
    /// connection instead of pooling it).
    fn reset_isolation_level_sql(&self) -> Option<String> {
        None
    }

    /// The statement that begins a transaction (SQLAlchemy's `do_begin`).
    fn begin_sql(&self) -> &'static str {
        "BEGIN"
    }

    /// The statement that commits the open transaction.
    fn commit_sql(&self) -> &'static str {
        "COMMIT"
    }

    /// The statement that rolls back the open transaction.
    fn rollback_sql(&self) -> &'static str {
        "ROLLBACK"
    }

    /// The statement that sets a savepoint named `name` (a plain identifier the engine makes).
    ///
    /// ```
    /// use athanor_core::dialect::{Dialect, Sqlite};
    /// assert_eq!(Sqlite.savepoint_sql("sa_savepoint_1"), "SAVEPOINT sa_savepoint_1");
    /// assert_eq!(Sqlite.rollback_to_savepoint_sql("sa_savepoint_1"), "ROLLBACK TO SAVEPOINT sa_savepoint_1");
    /// assert_eq!(Sqlite.release_savepoint_sql("sa_savepoint_1"), "RELEASE SAVEPOINT sa_savepoint_1");
    /// ```
    fn savepoint_sql(&self, name: &str) -> String {
        format!("SAVEPOINT {name}")
    }

    /// The statement that undoes everything since the savepoint `name` (which stays set).
    fn rollback_to_savepoint_sql(&self, name: &str) -> String {
        format!("ROLLBACK TO SAVEPOINT {name}")
    }

    /// The statement that forgets the savepoint `name`, keeping its work.
    fn release_savepoint_sql(&self, name: &str) -> String {
        format!("RELEASE SAVEPOINT {name}")
    }

    /// Does this failure of a statement inside a transaction abort the whole transaction on
    /// the server, so that a later COMMIT can only roll back? True on PostgreSQL for every
    /// error the server reports (until a rollback to a savepoint); on MySQL for a deadlock.
    /// SQLite undoes only the failed statement.
    ///
    /// ```
    /// use athanor_core::dialect::{Dialect, MySql, Postgres, Sqlite, mysql, postgres, sqlite};
    /// assert!(Postgres.error_aborts_transaction(&postgres::map_error("23505", "duplicate key")));
    /// assert!(!Sqlite.error_aborts_transaction(&sqlite::map_error(2067, "UNIQUE constraint failed")));
    /// let mariadb = MySql { returning: true, ..MySql };
    /// assert!(mariadb.error_aborts_transaction(&mysql::map_error(1213, "Deadlock found", None)));
    /// assert!(!mariadb.error_aborts_transaction(&mysql::map_error(1062, "Duplicate entry", None)));
    /// ```
    fn error_aborts_transaction(&self, _err: &Error) -> bool {
        false
    }

    /// After rows were loaded with explicit keys into an autoincrement column, the statement
    /// that moves the column's key generator past them (PostgreSQL's sequences don't move by
    /// themselves); `None` where the database keeps up on its own.
    fn resync_autoincrement_sql(&self, _table: &Table, _column: &str) -> Option<String> {
        None
    }

    /// The DDL name of a type.
    ///
    /// # Errors
    /// [`CompileError::Unsupported`] for a type the dialect has no form of.
    fn type_name(&self, ty: &Type) -> Result<String> {
        default_type_name(self.name(), ty)
    }

    /// The type of a column the database declares as `declared` (reflection): a
    /// [`Type::Declared`] keeping the text, with the generic type this dialect's map gives it.
    /// A name the map doesn't know is [`Type::Other`], never a guess. SQLite follows its
    /// type-affinity rules; PostgreSQL and MySQL have exact tables of their catalog spellings
    /// (see `dialect/*/types.rs`); the default knows the SQL standard's names.
    ///
    /// ```
    /// use athanor_core::Type;
    /// use athanor_core::dialect::{Dialect, MySql, Postgres, Sqlite};
    /// assert_eq!(Postgres.type_from_declared("character varying(160)").generic(), &Type::String(Some(160)));
    /// assert_eq!(Postgres.type_from_declared("_int4").generic(), &Type::Array(Box::new(Type::Integer)));
    /// assert_eq!(Postgres.type_from_declared("point").generic(), &Type::Other("point".into()));
    /// assert_eq!(MySql.type_from_declared("tinyint(1)").generic(), &Type::Boolean);
    /// assert_eq!(MySql.type_from_declared("int(10) unsigned").generic(), &Type::BigInteger);
    /// assert_eq!(Sqlite.type_from_declared("NVARCHAR(160)").generic(), &Type::Unicode(Some(160)));
    /// // SQLite's own rule: a name containing "INT" has INTEGER affinity.
    /// assert_eq!(Sqlite.type_from_declared("POINT").generic(), &Type::Integer);
    /// assert_eq!(Postgres.type_from_declared("point").to_string(), "point");
    /// ```
    fn type_from_declared(&self, declared: &str) -> Type {
        declared::standard(declared)
    }

    /// Renders a table value constructor's rows, `VALUES (..), (..)` (in a CTE, and inside
    /// [`Dialect::visit_values_from`]).
    ///
    /// # Errors
    /// As [`Compiler::values_rows`].
    fn visit_values_rows<'a>(
        &self,
        c: &mut Compiler<'a>,
        values: &'a crate::sql::ValuesClause,
    ) -> Result<()> {
        c.values_rows(values, "", &|_| Ok(None))
    }

    /// Renders a table value constructor as a FROM item named `name`: by default the
    /// standard `(VALUES (..), (..)) AS name (a, b)`.
    ///
    /// # Errors
    /// As [`Dialect::visit_values_rows`]; [`CompileError::Unsupported`] where the database
    /// can't name a derived table's columns.
    fn visit_values_from<'a>(
        &self,
        c: &mut Compiler<'a>,
        values: &'a crate::sql::ValuesClause,
        name: &str,
    ) -> Result<()> {
        c.push("(");
        self.visit_values_rows(c, values)?;
        c.push(") AS ");
        c.ident(name);
        c.push(" (");
        for (k, (n, _)) in values.data_ref().columns.iter().enumerate() {
            if k > 0 {
                c.push(", ");
            }
            c.ident(n);
        }
        c.push(")");
        Ok(())
    }

    /// The type name in `CAST(x AS ...)`.
    ///
    /// # Errors
    /// As [`Dialect::type_name`].
    fn cast_type_name(&self, ty: &Type) -> Result<String> {
        self.type_name(ty)
    }

    /// A value written as a SQL literal, where SQL can't bind it: DDL server defaults, CHECK
    /// constraint values, enum variants, ESCAPE characters. Text goes through
    /// [`Dialect::quote_string`]; see [`literal`] for every kind's form.
    ///
    /// ```
    /// use athanor_core::Value;
    /// use athanor_core::dialect::{Dialect, MySql, Postgres};
    /// let v = Value::Text(r"it's C:\tmp".into());
    /// assert_eq!(Postgres.literal(&v)?, r"'it''s C:\tmp'");
    /// assert_eq!(MySql.literal(&v)?, r"'it''s C:\\tmp'");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    ///
    /// # Errors
    /// When the value has no literal form here (a NUL character, a NaN float).
    fn literal(&self, v: &Value) -> Result<String> {
        default_literal(self, v)
    }

    /// The one escaper for text inside SQL: `s` as a quoted string literal. By default `'`
    /// is doubled; MySQL doubles `\` too unless the server runs with `NO_BACKSLASH_ESCAPES`.
    ///
    /// # Errors
    /// A NUL character, which no dialect here can write in a literal.
    fn quote_string(&self, s: &str) -> Result<String> {
        quote_standard(self.name(), s, false)
    }

    /// A value where the database has nothing to infer its type from: a bare SELECT-list item
    /// (`SELECT ? AS depth`) or arithmetic between values (`? + ?`).
    fn visit_select_literal<'a>(&self, c: &mut Compiler<'a>, v: &'a Value) {
        c.bind(v);
    }

    /// A value bound as an operand of an operator or BETWEEN (`n * ?`, `col > ?`), where a
    /// database that types parameters from their context would take the other operand's type.
    /// Other values (a column's new value in INSERT and UPDATE, a function's argument) are
    /// bound plainly and typed by where they go.
    fn visit_operand_value<'a>(&self, c: &mut Compiler<'a>, v: &'a Value) {
        c.bind(v);
    }

    /// For a database that types a parameter from its context: the cast that gives a value its
    /// own type in the SQL (PostgreSQL: `::DOUBLE PRECISION` for a float). The compiler
    /// renders it after each parameter whose value is known only at execution and whose context
    /// would otherwise type it: `text()`'s `:name`, a `bindparam` operand, an IN list's items.
    /// `None` (the default): parameters are typed by their values.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::{Dialect, Postgres, Sqlite};
    /// let cast = Postgres.param_cast().expect("PostgreSQL types parameters by context");
    /// assert_eq!(cast(&Value::Float(100.0)), Some("::DOUBLE PRECISION"));
    /// assert_eq!(cast(&Value::Int(100)), None);
    /// assert!(Sqlite.param_cast().is_none());
    /// ```
    fn param_cast(&self) -> Option<ParamCast> {
        None
    }
    /// The cast written after a named parameter given a type with
    /// [`type_coerce`](crate::sql::Expr::type_coerce) (SQLAlchemy's `bindparam(type_=...)`),
    /// for a database that would otherwise type it from its context or not at all: a NULL
    /// there has no type of its own. `None` (the default): the value is bound as it is.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::{Dialect, Postgres, Sqlite};
    /// assert_eq!(Postgres.bind_type_cast(&Type::Date).as_deref(), Some("::DATE"));
    /// assert_eq!(Sqlite.bind_type_cast(&Type::Date), None);
    /// ```
    fn bind_type_cast(&self, _ty: &Type) -> Option<String> {
        None
    }
    /// Whether `Uuid` is the database's own `UUID` type; otherwise it is `CHAR(32)` holding
    /// the 32 hex digits (SQLAlchemy's non-native `Uuid`), and text bound for it is written
    /// that way ([`crate::types::bind_for_type`]).
    ///
    /// ```
    /// use athanor_core::dialect::{Dialect, MySql, Postgres};
    /// assert!(Postgres.native_uuid());
    /// assert!(!MySql.native_uuid());
    /// ```
    fn native_uuid(&self) -> bool {
        false
    }
    /// The cast for a float or decimal value among a function's integer arguments
    /// (`coalesce(length, 0.5)`, `round(2.567, 1)`), or `None` to bind it as it is. A database
    /// that types a function's parameters from its other arguments (PostgreSQL) would make it
    /// an integer; PostgreSQL casts it to `NUMERIC`, which every numeric function takes (there
    /// is no `round(double precision, integer)`), as psycopg2's numeric literal does.
    ///
    /// ```
    /// use athanor_core::Value;
    /// use athanor_core::dialect::{Dialect, Postgres, Sqlite};
    /// assert_eq!(Postgres.function_value_cast(&Value::Float(0.5)), Some("::NUMERIC"));
    /// assert_eq!(Postgres.function_value_cast(&Value::Int(1)), None);
    /// assert_eq!(Sqlite.function_value_cast(&Value::Float(0.5)), None);
    /// ```
    fn function_value_cast(&self, _v: &Value) -> Option<&'static str> {
        None
    }

    /// `true`/`false` as SQL.
    fn visit_bool(&self, c: &mut Compiler<'_>, b: bool) {
        c.push(if b { "true" } else { "false" });
    }

    /// String concatenation.
    ///
    /// # Errors
    /// When the operands can't be rendered.
    fn visit_concat<'a>(&self, c: &mut Compiler<'a>, l: &'a Expr, r: &'a Expr) -> Result<()> {
        c.binary_default(BinaryOp::Concat, l, r)
    }

    /// `/` on two integers truncates here (SQLAlchemy's `div_is_floordiv`): true division
    /// makes its divisor a decimal, and floor division of integers is a plain `/`.
    fn div_is_floordiv(&self) -> bool {
        true
    }

    /// True division `l / r` (SQLAlchemy 2's `/`): where `/` truncates integers
    /// ([`Dialect::div_is_floordiv`]) the divisor is cast to `NUMERIC`, or to its own type
    /// when that is a decimal or float (`a / CAST(b AS NUMERIC)`); elsewhere `a / b`.
    ///
    /// # Errors
    /// When an operand can't be rendered, or the divisor's type has no CAST form.
    fn visit_truediv<'a>(&self, c: &mut Compiler<'a>, l: &'a Expr, r: &'a Expr) -> Result<()> {
        c.arithmetic_left(BinaryOp::Div, l, r)?;
        c.push(" / ");
        if !self.div_is_floordiv() {
            return c.operand(r, BinaryOp::Div.precedence() + 1);
        }
        let (_, divisor) = operand_types(l, r);
        let ty = if is_fractional(&divisor) {
            divisor
        } else {
            Type::Numeric(None, None)
        };
        let name = self.cast_type_name(&ty)?;
        c.push("CAST(");
        c.expr(r)?;
        c.push(" AS ");
        c.push(&name);
        c.push(")");
        Ok(())
    }

    /// Floor division `l // r` (SQLAlchemy's `//`): `a / b` where `/` truncates integers
    /// and both operands are integers, `FLOOR(a / b)` otherwise.
    ///
    /// # Errors
    /// When an operand can't be rendered.
    fn visit_floordiv<'a>(&self, c: &mut Compiler<'a>, l: &'a Expr, r: &'a Expr) -> Result<()> {
        let (lt, rt) = operand_types(l, r);
        let plain = self.div_is_floordiv() && lt.is_integer() && rt.is_integer();
        if !plain {
            c.push("FLOOR(");
        }
        c.arithmetic_left(BinaryOp::FloorDiv, l, r)?;
        c.push(" / ");
        c.arithmetic_right(BinaryOp::FloorDiv, l, r)?;
        if !plain {
            c.push(")");
        }
        Ok(())
    }

    /// `IS [NOT] DISTINCT FROM`.
    ///
    /// # Errors
    /// When the operands can't be rendered.
    fn visit_distinct_from<'a>(
        &self,
        c: &mut Compiler<'a>,
        not: bool,
        l: &'a Expr,
        r: &'a Expr,
    ) -> Result<()> {
        let op = if not {
            BinaryOp::IsNotDistinctFrom
        } else {
            BinaryOp::IsDistinctFrom
        };
        c.binary_default(op, l, r)
    }

    /// Bitwise XOR; by default `l ^ r` (MySQL).
    ///
    /// # Errors
    /// When the operands can't be rendered.
    fn visit_bitwise_xor<'a>(&self, c: &mut Compiler<'a>, l: &'a Expr, r: &'a Expr) -> Result<()> {
        c.binary_default(BinaryOp::BitXor, l, r)
    }

    /// A regular-expression match, or its negation (`not`); by default `l REGEXP r` /
    /// `l NOT REGEXP r` (MySQL, and SQLite, whose connections get a `regexp()` function).
    ///
    /// # Errors
    /// When the operands can't be rendered.
    fn visit_regexp_match<'a>(
        &self,
        c: &mut Compiler<'a>,
        not: bool,
        l: &'a Expr,
        r: &'a Expr,
    ) -> Result<()> {
        let op = if not {
            BinaryOp::NotRegexpMatch
        } else {
            BinaryOp::RegexpMatch
        };
        c.binary_default(op, l, r)
    }

    /// Case-insensitive LIKE; by default `lower(x) LIKE lower(pattern)`.
    ///
    /// # Errors
    /// When the operands can't be rendered.
    fn visit_ilike<'a>(
        &self,
        c: &mut Compiler<'a>,
        x: &'a Expr,
        pattern: &'a Expr,
        negated: bool,
    ) -> Result<()> {
        c.push("lower(");
        c.expr(x)?;
        c.push(if negated {
            ") NOT LIKE lower("
        } else {
            ") LIKE lower("
        });
        c.expr(pattern)?;
        c.push(")");
        Ok(())
    }

    /// A function's name in this dialect (`random` → `rand` on MySQL, `char_length` →
    /// `length` on SQLite); a function the user names is otherwise rendered as named.
    fn function_name<'n>(&self, name: &'n str) -> &'n str {
        name
    }

    /// A function call.
    ///
    /// # Errors
    /// When an argument can't be rendered.
    fn visit_function<'a>(&self, c: &mut Compiler<'a>, f: &'a FunctionCall) -> Result<()> {
        function_default(c, self.function_name(&f.name), f)
    }

    /// `EXTRACT(part FROM x)`.
    ///
    /// # Errors
    /// When the operand can't be rendered.
    fn visit_extract<'a>(&self, c: &mut Compiler<'a>, part: DatePart, x: &'a Expr) -> Result<()> {
        c.push("EXTRACT(");
        c.push(part.name());
        c.push(" FROM ");
        c.expr(x)?;
        c.push(")");
        Ok(())
    }

    /// An element of a JSON document read as `ty` ([`Expr::index`], [`Expr::path`],
    /// [`Expr::as_string`], ...); `path` is never empty.
    ///
    /// # Errors
    /// Where the dialect has no JSON functions (this default), or can't write a key.
    fn visit_json_get<'a>(
        &self,
        c: &mut Compiler<'a>,
        doc: &'a Expr,
        path: &'a [JsonKey],
        ty: &'a Type,
    ) -> Result<()> {
        let _ = (c, doc, path, ty);
        Err(Error::from(CompileError::Unsupported {
            dialect: self.name(),
            construct: "an element of a JSON document".into(),
        }))
    }

    /// The JSON path literal of SQLite and MySQL, `'$."a"[1]'`, through the dialect's
    /// escaping.
    ///
    /// # Errors
    /// A key holding `"` or `\`, which such a path can't quote portably.
    fn json_dollar_path(&self, path: &[JsonKey]) -> Result<String> {
        let p = crate::sql::expr::dollar_path(path).map_err(|construct| {
            Error::from(CompileError::Unsupported {
                dialect: self.name(),
                construct,
            })
        })?;
        self.quote_string(&p)
    }

    /// `NULLS FIRST` / `NULLS LAST`.
    ///
    /// # Errors
    /// Where the dialect has no such clause.
    fn visit_nulls(&self, c: &mut Compiler<'_>, first: bool) -> Result<()> {
        c.push(if first { " NULLS FIRST" } else { " NULLS LAST" });
        Ok(())
    }

    /// The subquery standing for an empty `IN ()` list, whose left side has these types (one;
    /// a tuple's several): no rows, as many columns.
    fn empty_set(&self, types: &[Type]) -> String {
        format!(
            "SELECT {} WHERE 1!=1",
            vec!["1"; types.len().max(1)].join(", ")
        )
    }

    /// ` LIMIT n OFFSET m`.
    ///
    /// # Errors
    /// When a value can't be rendered.
    fn visit_limit_offset<'a>(
        &self,
        c: &mut Compiler<'a>,
        limit: Option<&'a Expr>,
        offset: Option<&'a Expr>,
    ) -> Result<()> {
        if let Some(l) = limit {
            c.push(" LIMIT ");
            c.expr(l)?;
        }
        if let Some(o) = offset {
            c.push(" OFFSET ");
            c.expr(o)?;
        }
        Ok(())
    }

    /// ` OFFSET m ROWS FETCH FIRST n ROWS {ONLY | WITH TIES}` ([`Select::fetch`](crate::sql::Select::fetch)).
    ///
    /// # Errors
    /// [`CompileError::Unsupported`] for `PERCENT`, which none of the dialects here has.
    fn visit_fetch<'a>(
        &self,
        c: &mut Compiler<'a>,
        count: Option<&'a Expr>,
        offset: Option<&'a Expr>,
        options: FetchOptions,
    ) -> Result<()> {
        fetch_standard(self.name(), c, count, offset, options, false)
    }

    /// ` GENERATED ALWAYS AS (sql) [STORED | VIRTUAL]` for a [`Computed`](crate::schema::Computed)
    /// column.
    ///
    /// # Errors
    /// Where the dialect can't store the column as asked.
    fn visit_computed(
        &self,
        c: &mut Compiler<'_>,
        computed: &crate::schema::Computed,
    ) -> Result<()> {
        c.push(" GENERATED ALWAYS AS (");
        c.push(&computed.sql);
        c.push(")");
        match computed.persisted {
            Some(true) => c.push(" STORED"),
            Some(false) => c.push(" VIRTUAL"),
            None => {}
        }
        Ok(())
    }

    /// ` FOR UPDATE` and its variants.
    ///
    /// # Errors
    /// Where the dialect has no row locks.
    fn visit_for_update(&self, c: &mut Compiler<'_>, fu: &ForUpdate) -> Result<()> {
        c.push(if fu.read { " FOR SHARE" } else { " FOR UPDATE" });
        if fu.nowait {
            c.push(" NOWAIT");
        }
        if fu.skip_locked {
            c.push(" SKIP LOCKED");
        }
        Ok(())
    }

    /// `INSERT INTO t DEFAULT VALUES`.
    ///
    /// # Errors
    /// Never by default.
    fn visit_default_values(&self, c: &mut Compiler<'_>) -> Result<()> {
        c.push(" DEFAULT VALUES");
        Ok(())
    }

    /// The upsert clause: `ON CONFLICT (target) DO NOTHING | DO UPDATE SET ...`.
    ///
    /// # Errors
    /// When a value can't be rendered.
    fn visit_on_conflict<'a>(
        &self,
        c: &mut Compiler<'a>,
        _table: &'a Table,
        oc: &'a OnConflict,
    ) -> Result<()> {
        c.push(" ON CONFLICT");
        if !oc.target.is_empty() {
            c.push(" (");
            for (i, t) in oc.target.iter().enumerate() {
                if i > 0 {
                    c.push(", ");
                }
                c.ident(t);
            }
            c.push(")");
        }
        match &oc.action {
            crate::sql::ConflictAction::Nothing => c.push(" DO NOTHING"),
            crate::sql::ConflictAction::Update(set) => {
                if oc.target.is_empty() {
                    return Err(Error::from(CompileError::Invalid(format!(
                        "ON CONFLICT DO UPDATE needs conflict target columns on {}",
                        self.name()
                    ))));
                }
                c.push(" DO UPDATE SET ");
                c.set_list(set)?;
                if let Some(w) = &oc.where_ {
                    c.push(" WHERE ");
                    c.expr(w)?;
                }
            }
        }
        Ok(())
    }

    /// `excluded.col` in an upsert's SET.
    ///
    /// # Errors
    /// Never by default.
    fn visit_excluded(&self, c: &mut Compiler<'_>, col: &str) -> Result<()> {
        c.push("excluded.");
        c.ident(col);
        Ok(())
    }

    /// A sequence's next value ([`crate::schema::Sequence::next_value`]).
    ///
    /// # Errors
    /// [`CompileError::Unsupported`] by default: the dialect has no sequences.
    fn visit_next_value(&self, c: &mut Compiler<'_>, seq: &crate::schema::Sequence) -> Result<()> {
        let _ = (c, seq);
        Err(Error::from(CompileError::Unsupported {
            dialect: self.name(),
            construct: "sequences".into(),
        }))
    }

    /// One column of CREATE TABLE. Returns true when it declared the primary key inline.
    ///
    /// # Errors
    /// When the type has no DDL name here.
    fn visit_column_ddl<'a>(
        &self,
        c: &mut Compiler<'a>,
        _table: &'a Table,
        col: &'a ColumnData,
        _autoincrement: bool,
    ) -> Result<bool> {
        let t = self.type_name(&col.ty)?;
        c.column_ddl_default(col, &t)?;
        Ok(false)
    }

    /// Anything after CREATE TABLE's closing parenthesis.
    ///
    /// # Errors
    /// Never by default.
    fn visit_table_options<'a>(&self, _c: &mut Compiler<'a>, _table: &'a Table) -> Result<()> {
        Ok(())
    }

    /// An index's name in CREATE INDEX.
    fn visit_index_name<'a>(&self, c: &mut Compiler<'a>, _table: &'a Table, name: &str) {
        c.ident(name);
    }

    /// The indexed table in `CREATE INDEX name ON table`.
    fn visit_index_table<'a>(&self, c: &mut Compiler<'a>, table: &'a Table) {
        c.table_name(table);
    }

    /// A query whose one value is the schema unqualified names go to (SQLAlchemy's
    /// `_get_default_schema_name`); by default PostgreSQL's `current_schema()`.
    fn default_schema_name_query(&self) -> &'static str {
        "SELECT current_schema()"
    }

    /// What `CREATE VIEW` may ask of this database (see
    /// [`CreateView`](crate::sql::CreateView)); by default PostgreSQL's: everything.
    fn view_capabilities(&self) -> ViewCapabilities {
        ViewCapabilities {
            or_replace: true,
            temporary: true,
            materialized: true,
        }
    }

    /// Whether column comments are written in the column's definition in CREATE TABLE
    /// (MySQL's `COMMENT '...'`), rather than set by [`Ddl::SetColumnComment`](crate::sql::Ddl)
    /// after it (PostgreSQL's `COMMENT ON COLUMN`).
    fn column_comments_inline(&self) -> bool {
        false
    }

    /// Sets (`Some`) or removes (`None`) a table's comment; by default PostgreSQL's
    /// `COMMENT ON TABLE t IS '...'` / `IS NULL`.
    ///
    /// # Errors
    /// [`CompileError::Unsupported`] where the database has no comments; the dialect's
    /// literal errors.
    fn visit_table_comment<'a>(
        &self,
        c: &mut Compiler<'a>,
        table: &'a Table,
        comment: Option<&str>,
    ) -> Result<()> {
        c.push("COMMENT ON TABLE ");
        c.table_name(table);
        match comment {
            Some(text) => {
                c.push(" IS ");
                c.literal(&Value::Text(text.to_string()))
            }
            None => {
                c.push(" IS NULL");
                Ok(())
            }
        }
    }

    /// `DROP INDEX [IF EXISTS] name`.
    ///
    /// # Errors
    /// Never by default.
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
        c.schema_qualified(table.schema(), name);
        Ok(())
    }
}

/// Reserved words shared by the SQL standard and every dialect here (lower case, sorted).
pub(crate) fn binary_search_words(words: &[&str], word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    words.binary_search(&lower.as_str()).is_ok()
}

/// The SQL standard's ` OFFSET m ROWS FETCH FIRST n ROWS {ONLY | WITH TIES}`, each value in
/// parentheses when `parens` (PostgreSQL takes only a constant or a parameter bare).
///
/// # Errors
/// [`CompileError::Unsupported`] for `PERCENT`.
pub(crate) fn fetch_standard<'a>(
    dialect: &'static str,
    c: &mut Compiler<'a>,
    count: Option<&'a Expr>,
    offset: Option<&'a Expr>,
    options: FetchOptions,
    parens: bool,
) -> Result<()> {
    if options.percent {
        return Err(Error::from(CompileError::Unsupported {
            dialect,
            construct: "FETCH FIRST n PERCENT ROWS".into(),
        }));
    }
    let (open, close) = if parens { ("(", ")") } else { ("", "") };
    if let Some(o) = offset {
        c.push(" OFFSET ");
        c.push(open);
        c.expr(o)?;
        c.push(close);
        c.push(" ROWS");
    }
    if let Some(n) = count {
        c.push(" FETCH FIRST ");
        c.push(open);
        c.expr(n)?;
        c.push(close);
        c.push(if options.with_ties {
            " ROWS WITH TIES"
        } else {
            " ROWS ONLY"
        });
    }
    Ok(())
}
