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
    /// `column_collation_reflection`: reflection reports a column's collation; only
    /// PostgreSQL.
    ColumnCollationReflection,
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
    /// `ctes_with_values`: a CTE whose body is VALUES: PostgreSQL, SQLite ≥ 3.8.3, MariaDB ≥ 10.2
    /// (not MySQL): all three here.
    CtesWithValues,
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
    /// `unicode_data`: open everywhere.
    UnicodeData,
    /// `text_type`: open everywhere.
    TextType,
    /// `empty_strings_varchar`: fails on Oracle only.
    EmptyStringsVarchar,
    /// `empty_strings_text`: fails on Oracle only.
    EmptyStringsText,
    /// `array_type`: only PostgreSQL.
    ArrayType,
    /// `binary_literals`: skipped on Oracle and MSSQL only.
    BinaryLiterals,
    /// `unicode_data_no_special_types`: fails on MSSQL only.
    UnicodeDataNoSpecialTypes,
    /// `unbounded_varchar`: VARCHAR without a length; skipped on MySQL and MariaDB (and Oracle).
    UnboundedVarchar,
    /// `datetime_interval`: only PostgreSQL (and Oracle).
    DatetimeInterval,
    /// `datetime`: open everywhere.
    Datetime,
    /// `datetime_timezone`: only PostgreSQL.
    DatetimeTimezone,
    /// `datetime_microseconds`: skipped on MySQL and MariaDB (and MSSQL, Oracle).
    DatetimeMicroseconds,
    /// `timestamp_microseconds`: only Oracle.
    TimestampMicroseconds,
    /// `time`: skipped on Oracle only.
    Time,
    /// `time_timezone`: only PostgreSQL.
    TimeTimezone,
    /// `time_microseconds`: skipped on MySQL and MariaDB (and MSSQL, Oracle).
    TimeMicroseconds,
    /// `date`: open everywhere.
    Date,
    /// `date_coerces_from_datetime`: fails on mysql-connector and pyodbc only, so open here.
    DateCoercesFromDatetime,
    /// `datetime_historic`: succeeds only on SQLite and PostgreSQL.
    DatetimeHistoric,
    /// `date_historic`: succeeds only on SQLite and PostgreSQL.
    DateHistoric,
    /// `datetime_literals`: test/requirements.py opens it everywhere.
    DatetimeLiterals,
    /// `standalone_null_binds_whereclause`: open everywhere.
    StandaloneNullBindsWhereclause,
    /// `datetime_implicit_bound`: fails on the MySQL drivers SQLAlchemy tests with (mysqlclient, PyMySQL, ...): a datetime selected as a bare bound value comes back as text there.
    DatetimeImplicitBound,
    /// `time_implicit_bound`: fails on every MySQL driver (the value comes back as text).
    TimeImplicitBound,
    /// `date_implicit_bound`: fails on the MySQL drivers SQLAlchemy tests with (the value comes back as text).
    DateImplicitBound,
    /// `precision_generic_float_type`: fails on MySQL and MariaDB (FLOAT returns 4 decimals).
    PrecisionGenericFloatType,
    /// `infinity_floats`: only SQLite and PostgreSQL (psycopg).
    InfinityFloats,
    /// `fetch_null_from_numeric`: skipped on MSSQL+pyodbc only.
    FetchNullFromNumeric,
    /// `floats_to_four_decimals`: open everywhere.
    FloatsToFourDecimals,
    /// `literal_float_coercion`: skipped on asyncmy only.
    LiteralFloatCoercion,
    /// `implicit_decimal_binds`: fails on mssqlpython only.
    ImplicitDecimalBinds,
    /// `precision_numerics_general`: open everywhere.
    PrecisionNumericsGeneral,
    /// `precision_numerics_enotation_large`: open everywhere (suite default).
    PrecisionNumericsEnotationLarge,
    /// `precision_numerics_many_significant_digits`: fails on SQLite (and Oracle).
    PrecisionNumericsManySignificantDigits,
    /// `precision_numerics_retains_significant_digits`: fails on Oracle only.
    PrecisionNumericsRetainsSignificantDigits,
    /// `float_is_numeric`: open everywhere (suite default).
    FloatIsNumeric,
    /// `nullable_booleans`: open everywhere (suite default).
    NullableBooleans,
    /// `json_type`: MariaDB ≥ 10.2.7, PostgreSQL ≥ 9.3, SQLite with JSON1 (and MySQL ≥ 5.7, MSSQL, Oracle ≥ 21).
    JsonType,
    /// `legacy_unconditional_json_extract`: `json_type` on PostgreSQL, MySQL, MariaDB and SQLite.
    LegacyUnconditionalJsonExtract,
    /// `json_index_supplementary_unicode_element`: skipped on MariaDB and SQLite.
    JsonIndexSupplementaryUnicodeElement,
    /// `insert_executemany_returning`: the dialect's flag: SQLite (≥ 3.35), PostgreSQL and MariaDB (≥ 10.5) all use insertmanyvalues with RETURNING.
    InsertExecutemanyReturning,
    /// `insert_returning`: the dialect's flag: SQLite (≥ 3.35), PostgreSQL, MariaDB (≥ 10.5).
    InsertReturning,
    /// `uuid_data_type`: a native UUID type: PostgreSQL and MariaDB ≥ 10.7.
    UuidDataType,
    /// `json_array_indexes`: `json_type`.
    JsonArrayIndexes,
    /// `cast_precision_numerics_many_significant_digits`: `precision_numerics_many_significant_digits` (fails on SQLite) and fails on MySQL; the suite's comment says MariaDB passes.
    CastPrecisionNumericsManySignificantDigits,
    /// `tuple_in`: MySQL, MariaDB, PostgreSQL, SQLite ≥ 3.15 (and Oracle).
    TupleIn,
    /// `tuple_in_w_empty`: `tuple_in`, except Oracle.
    TupleInWithEmpty,
    /// `like_escapes`: the suite's default, open.
    LikeEscapes,
    /// `fetch_ties`: PostgreSQL ≥ 13, MariaDB ≥ 10.6 (and MSSQL, Oracle).
    FetchTies,
    /// `fetch_percent`: only MSSQL and Oracle.
    FetchPercent,
    /// `fetch_offset_with_options`: skipped on MSSQL only.
    FetchOffsetWithOptions,
    /// `regexp_match`: PostgreSQL, MySQL, MariaDB, SQLite (and Oracle).
    RegexpMatch,
    /// `regexp_replace`: PostgreSQL, MariaDB, MySQL ≥ 8 (and Oracle); not SQLite.
    RegexpReplace,
    /// `computed_columns`: PostgreSQL ≥ 12, SQLite ≥ 3.31, MySQL ≥ 5.7 (MariaDB).
    ComputedColumns,
    /// `supports_is_distinct_from`: the dialect's flag, on for all three.
    SupportsIsDistinctFrom,
    /// `supports_distinct_on`: only PostgreSQL.
    SupportsDistinctOn,
    /// `window_functions`: PostgreSQL, SQLite ≥ 3.25, MariaDB ≥ 10.2 (MySQL ≥ 8).
    WindowFunctions,
    /// `window_range`: skipped on MSSQL only.
    WindowRange,
    /// `window_range_numeric`: skipped on MSSQL only.
    WindowRangeNumeric,
    /// `window_range_non_numeric`: only PostgreSQL.
    WindowRangeNonNumeric,
    /// `supports_bitwise_xor` / `_or` / `_and` / `_shift`: fail on Oracle only.
    Bitwise,
    /// `supports_bitwise_not`: fails on MySQL and MariaDB (and Oracle).
    BitwiseNot,
    /// `standard_cursor_sql`: the suite's default, open.
    StandardCursorSql,
    /// `schemas`: open everywhere (a second schema named `test_schema`).
    Schemas,
    /// `duplicate_names_in_cursor_description`: a result may hold two columns of one name; open everywhere.
    DuplicateNamesInCursorDescription,
    /// `percent_schema_names`: `%` in table and column names; test/requirements.py skips only the aiomysql drivers, so open here.
    PercentSchemaNames,
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
    /// `index_reflection`: open (the suite's default).
    IndexReflection,
    /// `foreign_key_constraint_reflection`: open (the suite's default).
    ForeignKeyConstraintReflection,
    /// `view_column_reflection`: the columns of a view reflect: as `views`, open.
    ViewColumnReflection,
    /// `schema_reflection`: as `schemas`, open.
    SchemaReflection,
    /// `symbol_names_w_double_quote`: a table may be named `some " table`: skipped on
    /// Oracle only.
    SymbolNamesWDoubleQuote,
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
    /// `implements_get_lastrowid`: open everywhere.
    ImplementsGetLastrowid,
    /// `autoincrement_insert`: open everywhere.
    AutoincrementInsert,
    /// `dbapi_lastrowid`: the driver's cursor has `lastrowid`: only MySQL/MariaDB and
    /// SQLite (and MSSQL).
    DbapiLastrowid,
    /// `empty_inserts`: `supports_empty_insert`, `supports_default_values` or
    /// `supports_default_metavalue`: SQLite and PostgreSQL (DEFAULT VALUES), MariaDB
    /// (`VALUES ()`).
    EmptyInserts,
    /// `empty_inserts_executemany`: `empty_inserts`, skipped only for the mariadbconnector
    /// driver.
    EmptyInsertsExecutemany,
    /// `insert_from_select`: open everywhere.
    InsertFromSelect,
    /// `fetch_rows_post_commit`: open everywhere.
    FetchRowsPostCommit,
    /// `float_or_double_precision_behaves_generically`: skipped on MySQL/MariaDB (and Oracle).
    FloatOrDoublePrecisionBehavesGenerically,
    /// `sequences`: the dialect's `supports_sequences`: PostgreSQL and MariaDB (≥ 10.3).
    Sequences,
    /// `sequences_optional`: `supports_sequences` and `sequences_optional`: only PostgreSQL.
    SequencesOptional,
    /// `cross_schema_fk_reflection`: PostgreSQL, MySQL, MariaDB (and MSSQL).
    CrossSchemaFkReflection,
    /// `comment_reflection_full_unicode`: PostgreSQL (and Oracle, MSSQL).
    CommentReflectionFullUnicode,
    /// `reflects_pk_names`: PostgreSQL and SQLite (and Oracle, MSSQL); failing elsewhere.
    ReflectsPkNames,
    /// `implicitly_named_constraints`: skipped on SQLite.
    ImplicitlyNamedConstraints,
    /// `inline_check_constraint_reflection`: PostgreSQL and SQLite (and Oracle).
    InlineCheckConstraintReflection,
    /// `schema_create_delete`: skipped on SQLite (and Oracle).
    SchemaCreateDelete,
    /// `reflect_table_options`: MySQL, MariaDB, PostgreSQL (and Oracle).
    ReflectTableOptions,
    /// `reflect_tables_no_columns`: PostgreSQL only.
    ReflectTablesNoColumns,
    /// `identity_columns`: `GENERATED .. AS IDENTITY`: PostgreSQL ≥ 10 (and Oracle ≥ 12, MSSQL).
    IdentityColumns,
    /// `identity_columns_standard`: `identity_columns` with the standard syntax (not MSSQL).
    IdentityColumnsStandard,
    /// `autoincrement_without_sequence`: skipped on Oracle only.
    AutoincrementWithoutSequence,
    /// `indexes_check_column_order`: reflected index columns keep the index's order; open everywhere.
    IndexesCheckColumnOrder,
    /// `indexes_with_expressions`: CREATE INDEX on SQL expressions: PostgreSQL and SQLite ≥ 3.9 (and Oracle).
    IndexesWithExpressions,
    /// `reflect_indexes_with_expressions`: such indexes are reflected with their expressions: only PostgreSQL (and Oracle).
    ReflectIndexesWithExpressions,
    /// `index_reflects_included_columns`: a covering index's INCLUDE columns are reflected: PostgreSQL ≥ 11 (and MSSQL).
    IndexReflectsIncludedColumns,
    /// `table_reflection`: the suite's default, open.
    TableReflection,
    /// `nvarchar_types`: NVARCHAR and NCHAR are real types: SQLite and MySQL/MariaDB (and MSSQL, Oracle), not PostgreSQL.
    NvarcharTypes,
    /// `foreign_key_constraint_option_reflection_ondelete`: ON DELETE is reflected: all three.
    ForeignKeyConstraintOptionReflectionOndelete,
    /// `foreign_key_constraint_option_reflection_onupdate`: ON UPDATE is reflected: all three.
    ForeignKeyConstraintOptionReflectionOnupdate,
    /// `fk_constraint_option_reflection_ondelete_noaction`: ON DELETE NO ACTION reflects as the default: all three.
    FkConstraintOptionReflectionOndeleteNoaction,
    /// `fk_constraint_option_reflection_onupdate_restrict`: ON UPDATE RESTRICT is told from the default: PostgreSQL, SQLite, MySQL ≥ 8 (not MariaDB).
    FkConstraintOptionReflectionOnupdateRestrict,
    /// `fk_constraint_option_reflection_ondelete_restrict`: ON DELETE RESTRICT is told from the default: PostgreSQL, SQLite, MySQL ≥ 8 (not MariaDB).
    FkConstraintOptionReflectionOndeleteRestrict,
    /// `server_defaults`: open everywhere.
    ServerDefaults,
    /// `expression_server_defaults`: skipped on MySQL/MariaDB without expression defaults (MariaDB ≥ 10.2 has them), so open here.
    ExpressionServerDefaults,
    /// `denormalized_names`: the dialect's `requires_name_normalize` (UPPER CASE is the case-insensitive form: Oracle, Firebird): off on all three.
    DenormalizedNames,
    /// `primary_key_constraint_reflection`: the suite's default, open.
    PrimaryKeyConstraintReflection,
    /// `repeated_column_foreign_keys`: `FOREIGN KEY (a, a) REFERENCES r (b, c)` is accepted: PostgreSQL and SQLite.
    RepeatedColumnForeignKeys,
    /// `has_temp_table`: `has_table` sees temporary tables; skipped on a SQLite file database only (the harness's SQLite is in memory).
    HasTempTable,
    /// `temp_table_reflection`: `temporary_tables`, skipped on a SQLite file database only.
    TempTableReflection,
    /// `temp_table_reflect_indexes`: skipped on MSSQL and a SQLite file database only.
    TempTableReflectIndexes,
    /// `temp_table_comment_reflection`: PostgreSQL, MySQL, MariaDB (and Oracle).
    TempTableCommentReflection,
    /// `view_reflection`: `views`, open everywhere.
    ViewReflection,
    /// `computed_columns_stored`: `computed_columns`, except Oracle.
    ComputedColumnsStored,
    /// `computed_columns_virtual`: `computed_columns`, except PostgreSQL < 18 (the server here is 15).
    ComputedColumnsVirtual,
    /// `computed_columns_default_persisted`: only PostgreSQL < 18 (stored is its only kind).
    ComputedColumnsDefaultPersisted,
    /// `computed_columns_reflect_persisted`: `computed_columns`, except Oracle.
    ComputedColumnsReflectPersisted,
}

impl Flag {
    /// The requirement's name in SQLAlchemy's suite.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Flag::OrderByCollation => "order_by_collation",
            Flag::ColumnCollationReflection => "column_collation_reflection",
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
            Flag::CtesWithValues => "ctes_with_values",
            Flag::CtesWithUpdateDelete => "ctes_with_update_delete",
            Flag::UpdateFrom => "update_from",
            Flag::DeleteFrom => "delete_from",
            Flag::SaneRowcount => "sane_rowcount",
            Flag::SaneMultiRowcount => "sane_multi_rowcount",
            Flag::UpdateReturning => "update_returning",
            Flag::DeleteReturning => "delete_returning",
            Flag::UnicodeData => "unicode_data",
            Flag::TextType => "text_type",
            Flag::EmptyStringsVarchar => "empty_strings_varchar",
            Flag::EmptyStringsText => "empty_strings_text",
            Flag::ArrayType => "array_type",
            Flag::BinaryLiterals => "binary_literals",
            Flag::UnicodeDataNoSpecialTypes => "unicode_data_no_special_types",
            Flag::UnboundedVarchar => "unbounded_varchar",
            Flag::DatetimeInterval => "datetime_interval",
            Flag::Datetime => "datetime",
            Flag::DatetimeTimezone => "datetime_timezone",
            Flag::DatetimeMicroseconds => "datetime_microseconds",
            Flag::TimestampMicroseconds => "timestamp_microseconds",
            Flag::Time => "time",
            Flag::TimeTimezone => "time_timezone",
            Flag::TimeMicroseconds => "time_microseconds",
            Flag::Date => "date",
            Flag::DateCoercesFromDatetime => "date_coerces_from_datetime",
            Flag::DatetimeHistoric => "datetime_historic",
            Flag::DateHistoric => "date_historic",
            Flag::DatetimeLiterals => "datetime_literals",
            Flag::StandaloneNullBindsWhereclause => "standalone_null_binds_whereclause",
            Flag::DatetimeImplicitBound => "datetime_implicit_bound",
            Flag::TimeImplicitBound => "time_implicit_bound",
            Flag::DateImplicitBound => "date_implicit_bound",
            Flag::PrecisionGenericFloatType => "precision_generic_float_type",
            Flag::InfinityFloats => "infinity_floats",
            Flag::FetchNullFromNumeric => "fetch_null_from_numeric",
            Flag::FloatsToFourDecimals => "floats_to_four_decimals",
            Flag::LiteralFloatCoercion => "literal_float_coercion",
            Flag::ImplicitDecimalBinds => "implicit_decimal_binds",
            Flag::PrecisionNumericsGeneral => "precision_numerics_general",
            Flag::PrecisionNumericsEnotationLarge => "precision_numerics_enotation_large",
            Flag::PrecisionNumericsManySignificantDigits => {
                "precision_numerics_many_significant_digits"
            }
            Flag::PrecisionNumericsRetainsSignificantDigits => {
                "precision_numerics_retains_significant_digits"
            }
            Flag::FloatIsNumeric => "float_is_numeric",
            Flag::NullableBooleans => "nullable_booleans",
            Flag::JsonType => "json_type",
            Flag::LegacyUnconditionalJsonExtract => "legacy_unconditional_json_extract",
            Flag::JsonIndexSupplementaryUnicodeElement => {
                "json_index_supplementary_unicode_element"
            }
            Flag::InsertExecutemanyReturning => "insert_executemany_returning",
            Flag::InsertReturning => "insert_returning",
            Flag::UuidDataType => "uuid_data_type",
            Flag::JsonArrayIndexes => "json_array_indexes",
            Flag::CastPrecisionNumericsManySignificantDigits => {
                "cast_precision_numerics_many_significant_digits"
            }
            Flag::TupleIn => "tuple_in",
            Flag::TupleInWithEmpty => "tuple_in_w_empty",
            Flag::LikeEscapes => "like_escapes",
            Flag::FetchTies => "fetch_ties",
            Flag::FetchPercent => "fetch_percent",
            Flag::FetchOffsetWithOptions => "fetch_offset_with_options",
            Flag::RegexpMatch => "regexp_match",
            Flag::RegexpReplace => "regexp_replace",
            Flag::ComputedColumns => "computed_columns",
            Flag::SupportsIsDistinctFrom => "supports_is_distinct_from",
            Flag::SupportsDistinctOn => "supports_distinct_on",
            Flag::WindowFunctions => "window_functions",
            Flag::WindowRange => "window_range",
            Flag::WindowRangeNumeric => "window_range_numeric",
            Flag::WindowRangeNonNumeric => "window_range_non_numeric",
            Flag::Bitwise => "supports_bitwise_and",
            Flag::BitwiseNot => "supports_bitwise_not",
            Flag::StandardCursorSql => "standard_cursor_sql",
            Flag::Schemas => "schemas",
            Flag::DuplicateNamesInCursorDescription => "duplicate_names_in_cursor_description",
            Flag::PercentSchemaNames => "percent_schema_names",
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
            Flag::DropTable => "drop_table",
            Flag::CommentReflection => "comment_reflection",
            Flag::TableDdlIfExists => "table_ddl_if_exists",
            Flag::IndexDdlIfExists => "index_ddl_if_exists",
            Flag::ForeignKeyConstraintNameReflection => "foreign_key_constraint_name_reflection",
            Flag::CheckConstraintReflection => "check_constraint_reflection",
            Flag::UniqueConstraintReflection => "unique_constraint_reflection",
            Flag::IndexReflection => "index_reflection",
            Flag::ForeignKeyConstraintReflection => "foreign_key_constraint_reflection",
            Flag::ViewColumnReflection => "view_column_reflection",
            Flag::SchemaReflection => "schema_reflection",
            Flag::SymbolNamesWDoubleQuote => "symbol_names_w_double_quote",
            Flag::UnicodeDdl => "unicode_ddl",
            Flag::CreateTableAs => "create_table_as",
            Flag::CreateTempTableAs => "create_temp_table_as",
            Flag::TemporaryViews => "temporary_views",
            Flag::Views => "views",
            Flag::CreateOrReplaceView => "create_or_replace_view",
            Flag::MaterializedViews => "materialized_views",
            Flag::TempTableNames => "temp_table_names",
            Flag::ImplementsGetLastrowid => "implements_get_lastrowid",
            Flag::AutoincrementInsert => "autoincrement_insert",
            Flag::DbapiLastrowid => "dbapi_lastrowid",
            Flag::EmptyInserts => "empty_inserts",
            Flag::EmptyInsertsExecutemany => "empty_inserts_executemany",
            Flag::InsertFromSelect => "insert_from_select",
            Flag::FetchRowsPostCommit => "fetch_rows_post_commit",
            Flag::FloatOrDoublePrecisionBehavesGenerically => {
                "float_or_double_precision_behaves_generically"
            }
            Flag::Sequences => "sequences",
            Flag::SequencesOptional => "sequences_optional",
            Flag::CrossSchemaFkReflection => "cross_schema_fk_reflection",
            Flag::CommentReflectionFullUnicode => "comment_reflection_full_unicode",
            Flag::ReflectsPkNames => "reflects_pk_names",
            Flag::ImplicitlyNamedConstraints => "implicitly_named_constraints",
            Flag::InlineCheckConstraintReflection => "inline_check_constraint_reflection",
            Flag::SchemaCreateDelete => "schema_create_delete",
            Flag::ReflectTableOptions => "reflect_table_options",
            Flag::ReflectTablesNoColumns => "reflect_tables_no_columns",
            Flag::IdentityColumns => "identity_columns",
            Flag::IdentityColumnsStandard => "identity_columns_standard",
            Flag::AutoincrementWithoutSequence => "autoincrement_without_sequence",
            Flag::IndexesCheckColumnOrder => "indexes_check_column_order",
            Flag::IndexesWithExpressions => "indexes_with_expressions",
            Flag::ReflectIndexesWithExpressions => "reflect_indexes_with_expressions",
            Flag::IndexReflectsIncludedColumns => "index_reflects_included_columns",
            Flag::TableReflection => "table_reflection",
            Flag::NvarcharTypes => "nvarchar_types",
            Flag::ForeignKeyConstraintOptionReflectionOndelete => {
                "foreign_key_constraint_option_reflection_ondelete"
            }
            Flag::ForeignKeyConstraintOptionReflectionOnupdate => {
                "foreign_key_constraint_option_reflection_onupdate"
            }
            Flag::FkConstraintOptionReflectionOndeleteNoaction => {
                "fk_constraint_option_reflection_ondelete_noaction"
            }
            Flag::FkConstraintOptionReflectionOnupdateRestrict => {
                "fk_constraint_option_reflection_onupdate_restrict"
            }
            Flag::FkConstraintOptionReflectionOndeleteRestrict => {
                "fk_constraint_option_reflection_ondelete_restrict"
            }
            Flag::ServerDefaults => "server_defaults",
            Flag::ExpressionServerDefaults => "expression_server_defaults",
            Flag::DenormalizedNames => "denormalized_names",
            Flag::PrimaryKeyConstraintReflection => "primary_key_constraint_reflection",
            Flag::RepeatedColumnForeignKeys => "repeated_column_foreign_keys",
            Flag::HasTempTable => "has_temp_table",
            Flag::TempTableReflection => "temp_table_reflection",
            Flag::TempTableReflectIndexes => "temp_table_reflect_indexes",
            Flag::TempTableCommentReflection => "temp_table_comment_reflection",
            Flag::ViewReflection => "view_reflection",
            Flag::ComputedColumnsStored => "computed_columns_stored",
            Flag::ComputedColumnsVirtual => "computed_columns_virtual",
            Flag::ComputedColumnsDefaultPersisted => "computed_columns_default_persisted",
            Flag::ComputedColumnsReflectPersisted => "computed_columns_reflect_persisted",
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
            Flag::ColumnCollationReflection => pg,
            Flag::FetchFirst | Flag::FetchNoOrderBy => pg || my,
            Flag::FetchExpression => !my,
            Flag::SqlExpressionLimitOffset => !my,
            Flag::Ctes | Flag::UpdateFrom => true,
            Flag::CtesWithValues => true,
            Flag::CtesWithUpdateDelete => pg,
            Flag::DeleteFrom => false,
            Flag::SaneRowcount | Flag::SaneMultiRowcount | Flag::DeleteReturning => true,
            Flag::UpdateReturning => !my,
            Flag::UnicodeData => true,
            Flag::TextType => true,
            Flag::EmptyStringsVarchar => true,
            Flag::EmptyStringsText => true,
            Flag::ArrayType => pg,
            Flag::BinaryLiterals => true,
            Flag::UnicodeDataNoSpecialTypes => true,
            Flag::UnboundedVarchar => !my,
            Flag::DatetimeInterval => pg,
            Flag::Datetime => true,
            Flag::DatetimeTimezone => pg,
            Flag::DatetimeMicroseconds => !my,
            Flag::TimestampMicroseconds => false,
            Flag::Time => true,
            Flag::TimeTimezone => pg,
            Flag::TimeMicroseconds => !my,
            Flag::Date => true,
            Flag::DateCoercesFromDatetime => true,
            Flag::DatetimeHistoric => !my,
            Flag::DateHistoric => !my,
            Flag::DatetimeLiterals => true,
            Flag::StandaloneNullBindsWhereclause => true,
            Flag::DatetimeImplicitBound => !my,
            Flag::TimeImplicitBound => !my,
            Flag::DateImplicitBound => !my,
            Flag::PrecisionGenericFloatType => !my,
            Flag::InfinityFloats => !my,
            Flag::FetchNullFromNumeric => true,
            Flag::FloatsToFourDecimals => true,
            Flag::LiteralFloatCoercion => true,
            Flag::ImplicitDecimalBinds => true,
            Flag::PrecisionNumericsGeneral => true,
            Flag::PrecisionNumericsEnotationLarge => true,
            Flag::PrecisionNumericsManySignificantDigits => dialect != "sqlite",
            Flag::PrecisionNumericsRetainsSignificantDigits => true,
            Flag::FloatIsNumeric => true,
            Flag::NullableBooleans => true,
            Flag::JsonType => true,
            Flag::LegacyUnconditionalJsonExtract => true,
            Flag::JsonIndexSupplementaryUnicodeElement => pg,
            Flag::InsertExecutemanyReturning => true,
            Flag::InsertReturning => true,
            Flag::UuidDataType => pg || my,
            Flag::JsonArrayIndexes => true,
            Flag::CastPrecisionNumericsManySignificantDigits => dialect != "sqlite",
            Flag::TupleIn
            | Flag::TupleInWithEmpty
            | Flag::LikeEscapes
            | Flag::FetchOffsetWithOptions
            | Flag::RegexpMatch
            | Flag::ComputedColumns
            | Flag::SupportsIsDistinctFrom
            | Flag::WindowFunctions
            | Flag::WindowRange
            | Flag::WindowRangeNumeric
            | Flag::Bitwise
            | Flag::StandardCursorSql
            | Flag::Schemas => true,
            Flag::FetchTies => pg || my,
            Flag::FetchPercent => false,
            Flag::RegexpReplace => pg || my,
            Flag::SupportsDistinctOn | Flag::WindowRangeNonNumeric => pg,
            Flag::BitwiseNot => !my,
            Flag::DuplicateNamesInCursorDescription => true,
            Flag::PercentSchemaNames => true,
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
            Flag::DropTable => true,
            Flag::CommentReflection => pg || my,
            Flag::TableDdlIfExists => true,
            Flag::IndexDdlIfExists => true,
            Flag::ForeignKeyConstraintNameReflection => true,
            Flag::CheckConstraintReflection => true,
            Flag::UniqueConstraintReflection => true,
            Flag::IndexReflection
            | Flag::ForeignKeyConstraintReflection
            | Flag::ViewColumnReflection
            | Flag::SchemaReflection
            | Flag::SymbolNamesWDoubleQuote => true,
            Flag::UnicodeDdl => true,
            Flag::CreateTableAs => true,
            Flag::CreateTempTableAs => true,
            Flag::TemporaryViews => !my,
            Flag::Views => true,
            Flag::CreateOrReplaceView => pg || my,
            Flag::MaterializedViews => pg,
            Flag::TempTableNames => !my,
            Flag::ImplementsGetLastrowid
            | Flag::AutoincrementInsert
            | Flag::EmptyInserts
            | Flag::EmptyInsertsExecutemany
            | Flag::InsertFromSelect
            | Flag::FetchRowsPostCommit => true,
            Flag::DbapiLastrowid => !pg,
            Flag::FloatOrDoublePrecisionBehavesGenerically => !my,
            Flag::Sequences => pg || my,
            Flag::SequencesOptional => pg,
            Flag::CrossSchemaFkReflection
            | Flag::ImplicitlyNamedConstraints
            | Flag::SchemaCreateDelete
            | Flag::ReflectTableOptions => pg || my,
            Flag::CommentReflectionFullUnicode | Flag::ReflectTablesNoColumns => pg,
            Flag::ReflectsPkNames | Flag::InlineCheckConstraintReflection => !my,
            Flag::IdentityColumns | Flag::IdentityColumnsStandard => pg,
            Flag::AutoincrementWithoutSequence => true,
            Flag::IndexesCheckColumnOrder => true,
            Flag::IndexesWithExpressions => !my,
            Flag::ReflectIndexesWithExpressions => pg,
            Flag::IndexReflectsIncludedColumns => pg,
            Flag::TableReflection => true,
            Flag::NvarcharTypes => !pg,
            Flag::ForeignKeyConstraintOptionReflectionOndelete => true,
            Flag::ForeignKeyConstraintOptionReflectionOnupdate => true,
            Flag::FkConstraintOptionReflectionOndeleteNoaction => true,
            Flag::FkConstraintOptionReflectionOnupdateRestrict => !my,
            Flag::FkConstraintOptionReflectionOndeleteRestrict => !my,
            Flag::ServerDefaults => true,
            Flag::ExpressionServerDefaults => true,
            Flag::DenormalizedNames => false,
            Flag::PrimaryKeyConstraintReflection => true,
            Flag::RepeatedColumnForeignKeys => !my,
            Flag::HasTempTable
            | Flag::TempTableReflection
            | Flag::TempTableReflectIndexes
            | Flag::ViewReflection
            | Flag::ComputedColumnsStored
            | Flag::ComputedColumnsReflectPersisted => true,
            Flag::TempTableCommentReflection => pg || my,
            Flag::ComputedColumnsVirtual => !pg,
            Flag::ComputedColumnsDefaultPersisted => pg,
        }
    }
}
