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
    /// `duplicate_names_in_cursor_description`: a result may hold two columns of one name; open everywhere.
    DuplicateNamesInCursorDescription,
    /// `percent_schema_names`: `%` in table and column names; test/requirements.py skips only the aiomysql drivers, so open here.
    PercentSchemaNames,
    /// `insert_executemany_returning`: the dialect's `insert_executemany_returning`: on for SQLite (≥ 3.35), PostgreSQL and MariaDB (≥ 10.5).
    InsertExecutemanyReturning,
    /// `server_side_cursors`: the driver's `supports_server_side_cursors`: psycopg and mysqlclient, not pysqlite.
    ServerSideCursors,
    /// `duplicate_key_raises_integrity_error`: a primary key violation raises IntegrityError; open everywhere.
    DuplicateKeyRaisesIntegrityError,
    /// `isolation_level`: only on postgresql, sqlite, mysql, mariadb (mssql, oracle).
    IsolationLevel,
    /// `autocommit`: `isolation_level` plus AUTOCOMMIT among the supported levels: all three.
    Autocommit,
    /// `get_isolation_level_values`: the dialect lists its valid isolation levels: all three.
    GetIsolationLevelValues,
    /// `dialect_level_isolation_level_param`: `create_engine(isolation_level=...)` is applied on connect: all three.
    DialectLevelIsolationLevelParam,
    /// `independent_readonly_connections`: skipped on a SQLite memory database (the harness's SQLite), open otherwise.
    IndependentReadonlyConnections,
    /// `skip_autocommit_rollback`: skipped on mssql+pymssql only, so open here.
    SkipAutocommitRollback,
    /// `default_schema_name_switch`: only PostgreSQL (and Oracle).
    DefaultSchemaNameSwitch,
    /// `unusual_column_name_characters`: dots, spaces, slashes, `%` in column names; open except mssql+mssqlpython.
    UnusualColumnNameCharacters,
    /// `create_table`: open everywhere.
    CreateTable,
    /// `schemas`: a second schema (test/requirements.py: open; SQLite has it as an attached
    /// database).
    Schemas,
    /// `drop_table`: open everywhere.
    DropTable,
    /// `comment_reflection`: only on postgresql, mysql, mariadb (oracle, mssql): not SQLite.
    CommentReflection,
    /// `table_ddl_if_exists`: `CREATE TABLE IF NOT EXISTS` / `DROP TABLE IF EXISTS`: postgresql, mysql, mariadb, sqlite.
    TableDdlIfExists,
    /// `index_ddl_if_exists`: `CREATE INDEX IF NOT EXISTS` / `DROP INDEX IF EXISTS`: postgresql, mariadb, sqlite (not MySQL).
    IndexDdlIfExists,
    /// `foreign_key_constraint_name_reflection`: fails only on MySQL < 8 and MariaDB < 10.5, so open here (MariaDB 10.11).
    ForeignKeyConstraintNameReflection,
    /// `check_constraint_reflection`: postgresql, sqlite, and MySQL/MariaDB where CHECK constraints exist (MariaDB 10.11).
    CheckConstraintReflection,
    /// `unique_constraint_reflection`: postgresql, mysql, mariadb, sqlite (oracle).
    UniqueConstraintReflection,
    /// `unicode_ddl`: non-ASCII table and column names; skipped on mssql+pymssql only.
    UnicodeDdl,
    /// `create_table_as`: `CREATE TABLE ... AS SELECT`: postgresql, mysql, mariadb, sqlite (mssql, oracle).
    CreateTableAs,
    /// `create_temp_table_as`: `CREATE TEMPORARY TABLE ... AS`: postgresql, mysql, mariadb, sqlite (mssql).
    CreateTempTableAs,
    /// `temporary_views`: only SQLite (not a file database) and PostgreSQL.
    TemporaryViews,
    /// `views`: open everywhere.
    Views,
    /// `create_or_replace_view`: postgresql, mysql, mariadb (oracle, mssql): not SQLite.
    CreateOrReplaceView,
    /// `materialized_views`: only PostgreSQL (and Oracle).
    MaterializedViews,
    /// `temp_table_names`: `get_temp_table_names`: SQLite (not a file database), PostgreSQL (Oracle).
    TempTableNames,
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
            Flag::DuplicateNamesInCursorDescription => "duplicate_names_in_cursor_description",
            Flag::PercentSchemaNames => "percent_schema_names",
            Flag::InsertExecutemanyReturning => "insert_executemany_returning",
            Flag::ServerSideCursors => "server_side_cursors",
            Flag::DuplicateKeyRaisesIntegrityError => "duplicate_key_raises_integrity_error",
            Flag::IsolationLevel => "isolation_level",
            Flag::Autocommit => "autocommit",
            Flag::GetIsolationLevelValues => "get_isolation_level_values",
            Flag::DialectLevelIsolationLevelParam => "dialect_level_isolation_level_param",
            Flag::IndependentReadonlyConnections => "independent_readonly_connections",
            Flag::SkipAutocommitRollback => "skip_autocommit_rollback",
            Flag::DefaultSchemaNameSwitch => "default_schema_name_switch",
            Flag::UnusualColumnNameCharacters => "unusual_column_name_characters",
            Flag::CreateTable => "create_table",
            Flag::Schemas => "schemas",
            Flag::DropTable => "drop_table",
            Flag::CommentReflection => "comment_reflection",
            Flag::TableDdlIfExists => "table_ddl_if_exists",
            Flag::IndexDdlIfExists => "index_ddl_if_exists",
            Flag::ForeignKeyConstraintNameReflection => "foreign_key_constraint_name_reflection",
            Flag::CheckConstraintReflection => "check_constraint_reflection",
            Flag::UniqueConstraintReflection => "unique_constraint_reflection",
            Flag::UnicodeDdl => "unicode_ddl",
            Flag::CreateTableAs => "create_table_as",
            Flag::CreateTempTableAs => "create_temp_table_as",
            Flag::TemporaryViews => "temporary_views",
            Flag::Views => "views",
            Flag::CreateOrReplaceView => "create_or_replace_view",
            Flag::MaterializedViews => "materialized_views",
            Flag::TempTableNames => "temp_table_names",
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
            Flag::DuplicateNamesInCursorDescription => true,
            Flag::PercentSchemaNames => true,
            Flag::InsertExecutemanyReturning => true,
            Flag::ServerSideCursors => pg || my,
            Flag::DuplicateKeyRaisesIntegrityError => true,
            Flag::IsolationLevel => true,
            Flag::Autocommit => true,
            Flag::GetIsolationLevelValues => true,
            Flag::DialectLevelIsolationLevelParam => true,
            Flag::IndependentReadonlyConnections => dialect != "sqlite",
            Flag::SkipAutocommitRollback => true,
            Flag::DefaultSchemaNameSwitch => pg,
            Flag::UnusualColumnNameCharacters => true,
            Flag::CreateTable => true,
            Flag::Schemas => true,
            Flag::DropTable => true,
            Flag::CommentReflection => pg || my,
            Flag::TableDdlIfExists => true,
            Flag::IndexDdlIfExists => true,
            Flag::ForeignKeyConstraintNameReflection => true,
            Flag::CheckConstraintReflection => true,
            Flag::UniqueConstraintReflection => true,
            Flag::UnicodeDdl => true,
            Flag::CreateTableAs => true,
            Flag::CreateTempTableAs => true,
            Flag::TemporaryViews => !my,
            Flag::Views => true,
            Flag::CreateOrReplaceView => pg || my,
            Flag::MaterializedViews => pg,
            Flag::TempTableNames => !my,
        }
    }
}
