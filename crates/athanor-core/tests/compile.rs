//! Golden compiler tests: the exact SQL and parameters of every construct on SQLite,
//! PostgreSQL and MySQL (and `Display`, which prints the default dialect's SQL).

/// Parameter values: `vals![1, "a", 2.5]`.
macro_rules! vals {
    ($($v:expr),* $(,)?) => { [$(athanor_core::Value::from($v)),*] };
}

#[path = "compile/bind_types.rs"]
mod bind_types;
#[path = "compile/cache.rs"]
mod cache;
#[path = "compile/clauses.rs"]
mod clauses;
#[path = "compile/compound_members.rs"]
mod compound_members;
#[path = "compile/ddl.rs"]
mod ddl;
#[path = "compile/ddl_literals.rs"]
mod ddl_literals;
#[path = "compile/dml.rs"]
mod dml;
#[path = "compile/errors.rs"]
mod errors;
#[path = "compile/explicit_join.rs"]
mod explicit_join;
#[path = "compile/expr.rs"]
mod expr;
#[path = "compile/identifiers.rs"]
mod identifiers;
#[path = "compile/joins.rs"]
mod joins;
#[path = "compile/multi_table.rs"]
mod multi_table;
#[path = "compile/operand_binds.rs"]
mod operand_binds;
#[path = "compile/operators.rs"]
mod operators;
#[path = "compile/order_by.rs"]
mod order_by;
#[path = "compile/reuse.rs"]
mod reuse;
#[path = "compile/schema_translate.rs"]
mod schema_translate;
#[path = "compile/select.rs"]
mod select;
#[path = "compile/select_spellings.rs"]
mod select_spellings;
#[path = "compile/values.rs"]
mod values;
#[path = "compile/wrapped_types.rs"]
mod wrapped_types;

use athanor_core::dialect::{Dialect, MySql, Postgres, Sqlite};
use athanor_core::error::CompileError;
use athanor_core::prelude::*;

/// Asserts the exact SQL and parameter values of `stmt` compiled for `dialect`.
#[track_caller]
pub fn assert_compile(stmt: &impl Compile, dialect: &dyn Dialect, sql: &str, params: &[Value]) {
    let compiled = match stmt.compile(dialect) {
        Ok(c) => c,
        Err(e) => panic!("compiling for {} failed: {e}", dialect.name()),
    };
    assert_eq!(compiled.sql(), sql, "SQL for {}", dialect.name());
    assert_eq!(
        compiled.params(),
        params,
        "parameters for {}",
        dialect.name()
    );
}

/// The SQL of one statement on each dialect: SQLite, PostgreSQL, MySQL.
pub struct Golden<'a> {
    /// The SQL on SQLite.
    pub sqlite: &'a str,
    /// The SQL on PostgreSQL.
    pub postgres: &'a str,
    /// The SQL on MySQL.
    pub mysql: &'a str,
}

/// [`assert_compile`] on all three dialects with the same parameters.
#[track_caller]
pub fn assert_all(stmt: &impl Compile, sql: Golden<'_>, params: &[Value]) {
    assert_compile(stmt, &Sqlite, sql.sqlite, params);
    assert_compile(stmt, &Postgres, sql.postgres, params);
    assert_compile(stmt, &MySql, sql.mysql, params);
}

/// The error compiling `stmt` for `dialect`.
#[track_caller]
pub fn compile_error(stmt: &impl Compile, dialect: &dyn Dialect) -> Error {
    match stmt.compile(dialect) {
        Ok(c) => panic!(
            "expected an error on {}, compiled to: {}",
            dialect.name(),
            c.sql()
        ),
        Err(e) => e,
    }
}

/// Asserts that `dialect` refuses `stmt` with `CompileError::Unsupported` naming itself.
#[track_caller]
pub fn assert_unsupported(stmt: &impl Compile, dialect: &dyn Dialect) {
    match compile_error(stmt, dialect) {
        Error::Compile(e) if matches!(*e, CompileError::Unsupported { dialect: d, .. } if d == dialect.name()) =>
            {}
        other => panic!("expected Unsupported on {}, got {other:?}", dialect.name()),
    }
}

/// The tables the tests use: a plain lower-case one and Chinook's mixed-case ones.
pub struct Fixture {
    /// The `MetaData` holding them all.
    pub metadata: MetaData,
    /// `users (id PK, name VARCHAR(50), age FLOAT)`.
    pub users: Table,
    /// `messages`, with two foreign keys to `users` (joins to it are ambiguous).
    pub messages: Table,
    /// Chinook's `Artist`.
    pub artist: Table,
    /// Chinook's `Album`, with a foreign key to `Artist`.
    pub album: Table,
    /// Chinook's `Track`, with a foreign key to `Album`.
    pub track: Table,
    /// Chinook's `Invoice` (a DATETIME column for EXTRACT).
    pub invoice: Table,
}

/// Builds the [`Fixture`] tables in a fresh `MetaData`.
pub fn fixture() -> Fixture {
    let metadata = MetaData::new();
    let users = Table::build("users", &metadata)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("name", Type::String(Some(50))))
        .column(Column::new("age", Type::Float))
        .finish()
        .expect("users");
    let messages = Table::build("messages", &metadata)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("sender_id", Type::Integer).foreign_key(ForeignKey::new("users.id")))
        .column(Column::new("recipient_id", Type::Integer).foreign_key(ForeignKey::new("users.id")))
        .column(Column::new("body", Type::Text))
        .finish()
        .expect("messages");
    let artist = Table::build("Artist", &metadata)
        .column(Column::new("ArtistId", Type::Integer).primary_key())
        .column(Column::new("Name", Type::Unicode(Some(120))))
        .finish()
        .expect("Artist");
    let album = Table::build("Album", &metadata)
        .column(Column::new("AlbumId", Type::Integer).primary_key())
        .column(Column::new("Title", Type::Unicode(Some(160))).nullable(false))
        .column(
            Column::new("ArtistId", Type::Integer)
                .nullable(false)
                .foreign_key(ForeignKey::new("Artist.ArtistId")),
        )
        .finish()
        .expect("Album");
    let track = Table::build("Track", &metadata)
        .column(Column::new("TrackId", Type::Integer).primary_key())
        .column(Column::new("Name", Type::Unicode(Some(200))).nullable(false))
        .column(Column::new("AlbumId", Type::Integer).foreign_key(ForeignKey::new("Album.AlbumId")))
        .column(Column::new("Milliseconds", Type::Integer).nullable(false))
        .column(Column::new("UnitPrice", Type::Numeric(Some(10), Some(2))).nullable(false))
        .finish()
        .expect("Track");
    let invoice = Table::build("Invoice", &metadata)
        .column(Column::new("InvoiceId", Type::Integer).primary_key())
        .column(Column::new("InvoiceDate", Type::DateTime).nullable(false))
        .column(Column::new("Total", Type::Numeric(Some(10), Some(2))).nullable(false))
        .finish()
        .expect("Invoice");
    Fixture {
        metadata,
        users,
        messages,
        artist,
        album,
        track,
        invoice,
    }
}
