//! Capability flags, as SQLAlchemy's `test/requirements.py` sets them for the three databases
//! Athanor runs on. A ported test names the flags its SQLAlchemy original requires; on a
//! database without one, the test is skipped there (and reported as skipped, with the flag),
//! exactly where SQLAlchemy skips it.
//!
//! Each flag's doc says what SQLAlchemy's requirement is; a flag SQLAlchemy's `test/` file
//! doesn't override takes the suite's default (`lib/sqlalchemy/testing/requirements.py`).

/// One requirement of SQLAlchemy's suite. (Some are named only by tests still listed in
/// `compliance/todo.tsv`: the table is kept whole so porting them is only the test.)
#[allow(dead_code)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flag {
    /// `order_by_collation`: a collation to order by is known (POSIX, utf8mb4_bin, NOCASE).
    OrderByCollation,
    /// `group_by_complex_expression`: open everywhere.
    GroupByComplexExpression,
    /// `table_value_constructor`: only PostgreSQL (and MSSQL).
    TableValueConstructor,
    /// `fetch_first`: PostgreSQL, MariaDB ≥ 10.6.
    FetchFirst,
    /// `fetch_no_order_by`: PostgreSQL, MariaDB ≥ 10.6.
    FetchNoOrderBy,
    /// `fetch_expression`: skipped on MariaDB.
    FetchExpression,
    /// `offset`: open everywhere.
    Offset,
    /// `bound_limit_offset`: open everywhere.
    BoundLimitOffset,
    /// `sql_expression_limit_offset`: fails on MySQL and MariaDB ("can't accommodate full
    /// expressions in OFFSET or LIMIT"), so SQLAlchemy doesn't expect it to pass there.
    SqlExpressionLimitOffset,
    /// `order_by_col_from_union`: fails on MSSQL and Oracle < 23 only.
    OrderByColFromUnion,
    /// `parens_in_union_contained_select_w_limit_offset`: fails on SQLite.
    ParensInUnionWithLimitOffset,
    /// `parens_in_union_contained_select_wo_limit_offset`: fails on SQLite (and Oracle).
    ParensInUnionWithoutLimitOffset,
    /// `ctes`: MariaDB ≥ 10.2 (MySQL ≥ 8), PostgreSQL, SQLite ≥ 3.8.3 (and MSSQL, Oracle).
    Ctes,
    /// `ctes_with_update_delete`: CTEs riding on a plain UPDATE or DELETE that refers to the
    /// CTE in a correlated subquery; only PostgreSQL (and MSSQL).
    CtesWithUpdateDelete,
    /// `update_from`: UPDATE..FROM; skipped on Oracle and SQLite < 3.33.0, so open here.
    UpdateFrom,
    /// `delete_from`: DELETE..FROM / DELETE..USING; test/requirements.py doesn't override the
    /// suite's default, which is closed, so no database runs tests needing it.
    DeleteFrom,
    /// `sane_rowcount`: skipped where the driver's `supports_sane_rowcount` is off; on for
    /// pysqlite, psycopg and mysqlclient (which connects with `CLIENT_FOUND_ROWS`, so an
    /// UPDATE counts the rows it matched).
    SaneRowcount,
    /// `sane_multi_rowcount`: fails where the driver's `supports_sane_multi_rowcount` is off;
    /// on for pysqlite, psycopg and mysqlclient.
    SaneMultiRowcount,
    /// `update_returning`: the dialect's `update_returning`: SQLite (≥ 3.35) and PostgreSQL,
    /// not MariaDB.
    UpdateReturning,
    /// `delete_returning`: the dialect's `delete_returning`: SQLite (≥ 3.35), PostgreSQL and
    /// MariaDB (≥ 10.0.5).
    DeleteReturning,
    /// `schemas`: a second schema, `test_schema`, exists: open on all three (SQLite attaches
    /// a database under that name).
    Schemas,
    /// `views`: open on all three.
    Views,
    /// `cross_schema_fk_reflection`: PostgreSQL, MySQL, MariaDB (and MSSQL).
    CrossSchemaFkReflection,
    /// `comment_reflection`: PostgreSQL, MySQL, MariaDB (and Oracle, MSSQL).
    CommentReflection,
    /// `comment_reflection_full_unicode`: PostgreSQL (and Oracle, MSSQL).
    CommentReflectionFullUnicode,
    /// `reflects_pk_names`: PostgreSQL and SQLite (and Oracle, MSSQL); failing elsewhere.
    ReflectsPkNames,
    /// `implicitly_named_constraints`: skipped on SQLite.
    ImplicitlyNamedConstraints,
    /// `unique_constraint_reflection`: PostgreSQL, MySQL, MariaDB, SQLite (and Oracle).
    UniqueConstraintReflection,
    /// `check_constraint_reflection`: PostgreSQL, SQLite, and MySQL/MariaDB where the server
    /// has check constraints (MariaDB ≥ 10.2).
    CheckConstraintReflection,
    /// `inline_check_constraint_reflection`: PostgreSQL and SQLite (and Oracle).
    InlineCheckConstraintReflection,
    /// `materialized_views`: PostgreSQL (and Oracle).
    MaterializedViews,
    /// `schema_create_delete`: skipped on SQLite (and Oracle).
    SchemaCreateDelete,
    /// `reflect_table_options`: MySQL, MariaDB, PostgreSQL (and Oracle).
    ReflectTableOptions,
    /// `temp_table_names`: SQLite and PostgreSQL (and Oracle).
    TempTableNames,
    /// `temporary_views`: SQLite and PostgreSQL.
    TemporaryViews,
    /// `reflect_tables_no_columns`: PostgreSQL only.
    ReflectTablesNoColumns,
}

impl Flag {
    /// The requirement's name in SQLAlchemy's suite.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Flag::OrderByCollation => "order_by_collation",
            Flag::GroupByComplexExpression => "group_by_complex_expression",
            Flag::TableValueConstructor => "table_value_constructor",
            Flag::FetchFirst => "fetch_first",
            Flag::FetchNoOrderBy => "fetch_no_order_by",
            Flag::FetchExpression => "fetch_expression",
            Flag::Offset => "offset",
            Flag::BoundLimitOffset => "bound_limit_offset",
            Flag::SqlExpressionLimitOffset => "sql_expression_limit_offset",
            Flag::OrderByColFromUnion => "order_by_col_from_union",
            Flag::ParensInUnionWithLimitOffset => "parens_in_union_contained_select_w_limit_offset",
            Flag::ParensInUnionWithoutLimitOffset => {
                "parens_in_union_contained_select_wo_limit_offset"
            }
            Flag::Ctes => "ctes",
            Flag::CtesWithUpdateDelete => "ctes_with_update_delete",
            Flag::UpdateFrom => "update_from",
            Flag::DeleteFrom => "delete_from",
            Flag::SaneRowcount => "sane_rowcount",
            Flag::SaneMultiRowcount => "sane_multi_rowcount",
            Flag::UpdateReturning => "update_returning",
            Flag::DeleteReturning => "delete_returning",
            Flag::Schemas => "schemas",
            Flag::Views => "views",
            Flag::CrossSchemaFkReflection => "cross_schema_fk_reflection",
            Flag::CommentReflection => "comment_reflection",
            Flag::CommentReflectionFullUnicode => "comment_reflection_full_unicode",
            Flag::ReflectsPkNames => "reflects_pk_names",
            Flag::ImplicitlyNamedConstraints => "implicitly_named_constraints",
            Flag::UniqueConstraintReflection => "unique_constraint_reflection",
            Flag::CheckConstraintReflection => "check_constraint_reflection",
            Flag::InlineCheckConstraintReflection => "inline_check_constraint_reflection",
            Flag::MaterializedViews => "materialized_views",
            Flag::SchemaCreateDelete => "schema_create_delete",
            Flag::ReflectTableOptions => "reflect_table_options",
            Flag::TempTableNames => "temp_table_names",
            Flag::TemporaryViews => "temporary_views",
            Flag::ReflectTablesNoColumns => "reflect_tables_no_columns",
        }
    }

    /// Does SQLAlchemy run tests needing this on `dialect` (`sqlite`, `postgresql`, `mysql` —
    /// the MariaDB 10.11 server here)?
    pub(crate) fn on(self, dialect: &str) -> bool {
        let (pg, my) = (dialect == "postgresql", dialect == "mysql");
        match self {
            Flag::OrderByCollation
            | Flag::GroupByComplexExpression
            | Flag::Offset
            | Flag::BoundLimitOffset
            | Flag::OrderByColFromUnion => true,
            Flag::ParensInUnionWithLimitOffset | Flag::ParensInUnionWithoutLimitOffset => {
                dialect != "sqlite"
            }
            Flag::TableValueConstructor => pg,
            Flag::FetchFirst | Flag::FetchNoOrderBy => pg || my,
            Flag::FetchExpression => !my,
            Flag::SqlExpressionLimitOffset => !my,
            Flag::Ctes | Flag::UpdateFrom => true,
            Flag::CtesWithUpdateDelete => pg,
            Flag::DeleteFrom => false,
            Flag::SaneRowcount | Flag::SaneMultiRowcount | Flag::DeleteReturning => true,
            Flag::UpdateReturning => !my,
            Flag::Schemas
            | Flag::Views
            | Flag::UniqueConstraintReflection
            | Flag::CheckConstraintReflection => true,
            Flag::CrossSchemaFkReflection
            | Flag::CommentReflection
            | Flag::ImplicitlyNamedConstraints
            | Flag::SchemaCreateDelete
            | Flag::ReflectTableOptions => pg || my,
            Flag::CommentReflectionFullUnicode
            | Flag::MaterializedViews
            | Flag::ReflectTablesNoColumns => pg,
            Flag::ReflectsPkNames
            | Flag::InlineCheckConstraintReflection
            | Flag::TempTableNames
            | Flag::TemporaryViews => !my,
        }
    }
}
