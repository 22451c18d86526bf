//! Parameters in error messages: each value's text capped with a note of what was cut, many
//! rows cut with their total, and none at all with `hide_parameters` (URL or options); the
//! SQL is always kept.

use athanor::prelude::*;
use athanor::{Engine, Error, Result};

use super::support::{fresh, on_all};

fn notes(engine: &Engine) -> Result<Table> {
    let md = MetaData::new();
    let t = Table::build("errp_notes", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("body", Type::Text))
        .finish()?;
    fresh(engine, &md)?;
    engine
        .connect()?
        .execute(&t.insert().values(row! { "id" => 1, "body" => "first" }))?;
    Ok(t)
}

/// The same database as `engine`, with `hide_parameters=true` in the URL.
fn hiding(engine: &Engine) -> Result<Engine> {
    let url = engine.url().render(false);
    let sep = if url.contains('?') { '&' } else { '?' };
    create_engine(&format!("{url}{sep}hide_parameters=true"))
}

const INSERT: &str = "INSERT INTO errp_notes (id, body) VALUES (:id, :body)";

fn long_text() -> String {
    format!("{}{}{}", "a".repeat(200), "m".repeat(1000), "z".repeat(200))
}

#[test]
fn a_long_value_is_cut_in_the_error_message() {
    on_all(|engine| {
        notes(engine)?;
        let mut conn = engine.connect()?;
        let err = conn
            .execute(&text(INSERT).bind("id", 1).bind("body", long_text()))
            .expect_err("a duplicate key");
        let Error::Integrity(d) = &err else {
            panic!("expected an IntegrityError, got {err:?}");
        };
        let shown = format!(
            "(1, '{} ... (1102 characters truncated) ... {}')",
            "a".repeat(149),
            "z".repeat(149)
        );
        assert_eq!(d.params.as_deref(), Some(shown.as_str()), "{err}");
        let message = err.to_string();
        assert!(
            message.ends_with(&format!("]\n[parameters: {shown}]")),
            "{message}"
        );
        assert!(
            message.contains("\n[SQL: INSERT INTO errp_notes"),
            "{message}"
        );
        Ok(())
    });
}

#[test]
fn hide_parameters_keeps_values_out_of_errors_but_keeps_the_sql() {
    on_all(|engine| {
        let hidden = hiding(engine)?;
        notes(&hidden)?;
        let mut conn = hidden.connect()?;
        let err = conn
            .execute(&text(INSERT).bind("id", 1).bind("body", "s3cret"))
            .expect_err("a duplicate key");
        let message = err.to_string();
        assert!(!message.contains("s3cret"), "{message}");
        assert!(
            message.ends_with("]\n[SQL parameters hidden due to hide_parameters=true]"),
            "{message}"
        );
        let d = err.database_error().expect("a database error");
        assert!(
            d.sql
                .as_deref()
                .is_some_and(|s| s.starts_with("INSERT INTO errp_notes (id, body) VALUES (")),
            "{message}"
        );
        assert_eq!((d.params.as_deref(), d.params_hidden), (None, true));
        // A statement without parameters has no parameters line either way.
        let err = conn
            .execute(&text("SELECT nope FROM errp_notes"))
            .expect_err("no such column");
        let message = err.to_string();
        assert!(
            message.ends_with("[SQL: SELECT nope FROM errp_notes]"),
            "{message}"
        );
        Ok(())
    });
}

#[test]
fn a_failed_many_row_insert_shows_ten_rows_and_the_total() {
    on_all(|engine| {
        let t = notes(engine)?;
        let mut conn = engine.connect()?;
        // 30 rows, the last a duplicate of id 1: PostgreSQL and MySQL/MariaDB send them as one
        // multi-row INSERT, SQLite re-binds one prepared INSERT per row (whose error shows no
        // parameters: the row's values live in the driver's buffer).
        let rows = (2..=30).map(|i| (i, format!("n{i}")));
        let rows = rows.chain([(1, "again".to_string())]);
        let err = conn
            .execute_many_rows(&t.insert(), &["id", "body"], rows)
            .expect_err("a duplicate key");
        let Error::Integrity(d) = &err else {
            panic!("expected an IntegrityError, got {err:?}");
        };
        if engine.dialect().executemany_batch_rows() > 1 {
            // The multi-row INSERT's 30 rows, shown as the first eight and the last two.
            assert_eq!(
                d.params.as_deref(),
                Some(
                    "[(2, 'n2'), (3, 'n3'), (4, 'n4'), (5, 'n5'), (6, 'n6'), (7, 'n7'), \
                     (8, 'n8'), (9, 'n9'), ... 20 rows truncated (30 in all) ..., \
                     (30, 'n30'), (1, 'again')]"
                ),
                "{err}"
            );
        } else {
            assert_eq!(d.params.as_deref(), None, "{err}");
        }
        Ok(())
    });
}
