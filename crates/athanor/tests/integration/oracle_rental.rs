//! The oracle fixture: a film-rental schema (Sakila-like) with the same rows loaded on every
//! engine, and a check that compares result rows with the rows SQLAlchemy 2 returned for the
//! same program on the same database.
//!
//! The expected rows in the `oracle_*` modules were produced by running each program with
//! SQLAlchemy 2.1 (psycopg2, pymysql, sqlite3) against these tables; the tests hold them as
//! text, so no Python runs at test time. Normalization, the same on both sides:
//!
//! | value | text |
//! |---|---|
//! | NULL | `NULL` |
//! | integer | `42` |
//! | float | `1.5f` (shortest round-trip digits, as Python's `repr`) |
//! | decimal | `9.07m` (its scale shows) |
//! | text | `'O'Brien'` (quoted, nothing escaped) |
//! | boolean | `true` / `false` |
//! | date / datetime | `2006-02-14` / `2005-05-24 22:53:30` |
//!
//! A row is its values joined by ` | `.

use athanor::prelude::*;
use athanor::{Engine, Result, Value};
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use super::support::fresh;

/// The rental schema's tables.
pub(crate) struct Rental {
    pub(crate) language: Table,
    pub(crate) film: Table,
    pub(crate) actor: Table,
    pub(crate) film_actor: Table,
    pub(crate) staff: Table,
    pub(crate) customer: Table,
    pub(crate) rental: Table,
    pub(crate) payment: Table,
}

fn fk(target: &str) -> ForeignKey {
    ForeignKey::new(target)
}

fn schema(md: &MetaData) -> Result<Rental> {
    let int = || Type::Integer;
    let language = Table::build("language", md)
        .column(
            Column::new("language_id", int())
                .primary_key()
                .autoincrement(false),
        )
        .column(Column::new("name", Type::String(Some(20))).nullable(false))
        .finish()?;
    let film = Table::build("film", md)
        .column(
            Column::new("film_id", int())
                .primary_key()
                .autoincrement(false),
        )
        .column(Column::new("title", Type::String(Some(100))).nullable(false))
        .column(Column::new("description", Type::Text))
        .column(Column::new("release_year", int()))
        .column(
            Column::new("language_id", int())
                .foreign_key(fk("language.language_id"))
                .nullable(false),
        )
        .column(Column::new("original_language_id", int()).foreign_key(fk("language.language_id")))
        .column(Column::new("rental_rate", Type::Numeric(Some(4), Some(2))).nullable(false))
        .column(Column::new("length", int()))
        .column(Column::new("replacement_cost", Type::Numeric(Some(5), Some(2))).nullable(false))
        .column(Column::new("rating", Type::String(Some(10))))
        .finish()?;
    let actor = Table::build("actor", md)
        .column(
            Column::new("actor_id", int())
                .primary_key()
                .autoincrement(false),
        )
        .column(Column::new("first_name", Type::String(Some(45))).nullable(false))
        .column(Column::new("last_name", Type::String(Some(45))).nullable(false))
        .finish()?;
    let film_actor = Table::build("film_actor", md)
        .column(
            Column::new("actor_id", int())
                .primary_key()
                .autoincrement(false)
                .foreign_key(fk("actor.actor_id")),
        )
        .column(
            Column::new("film_id", int())
                .primary_key()
                .autoincrement(false)
                .foreign_key(fk("film.film_id")),
        )
        .finish()?;
    let staff = Table::build("staff", md)
        .column(
            Column::new("staff_id", int())
                .primary_key()
                .autoincrement(false),
        )
        .column(Column::new("first_name", Type::String(Some(45))).nullable(false))
        .column(Column::new("last_name", Type::String(Some(45))).nullable(false))
        .column(Column::new("reports_to", int()).foreign_key(fk("staff.staff_id")))
        .finish()?;
    let customer = Table::build("customer", md)
        .column(
            Column::new("customer_id", int())
                .primary_key()
                .autoincrement(false),
        )
        .column(Column::new("first_name", Type::String(Some(45))).nullable(false))
        .column(Column::new("last_name", Type::String(Some(45))).nullable(false))
        .column(Column::new("email", Type::String(Some(50))))
        .column(Column::new("active", Type::Boolean).nullable(false))
        .column(Column::new("create_date", Type::Date).nullable(false))
        .finish()?;
    let rental = Table::build("rental", md)
        .column(
            Column::new("rental_id", int())
                .primary_key()
                .autoincrement(false),
        )
        .column(Column::new("rental_date", Type::DateTime).nullable(false))
        .column(
            Column::new("film_id", int())
                .foreign_key(fk("film.film_id"))
                .nullable(false),
        )
        .column(
            Column::new("customer_id", int())
                .foreign_key(fk("customer.customer_id"))
                .nullable(false),
        )
        .column(
            Column::new("staff_id", int())
                .foreign_key(fk("staff.staff_id"))
                .nullable(false),
        )
        .column(Column::new("return_date", Type::DateTime))
        .finish()?;
    let payment = Table::build("payment", md)
        .column(
            Column::new("payment_id", int())
                .primary_key()
                .autoincrement(false),
        )
        .column(
            Column::new("customer_id", int())
                .foreign_key(fk("customer.customer_id"))
                .nullable(false),
        )
        .column(Column::new("rental_id", int()).foreign_key(fk("rental.rental_id")))
        .column(Column::new("amount", Type::Numeric(Some(5), Some(2))).nullable(false))
        .column(Column::new("payment_date", Type::DateTime).nullable(false))
        .finish()?;
    Ok(Rental {
        language,
        film,
        actor,
        film_actor,
        staff,
        customer,
        rental,
        payment,
    })
}

/// A decimal from its text (the fixture's money).
pub(crate) fn dec(s: &str) -> Value {
    Value::Decimal(
        s.parse::<Decimal>()
            .unwrap_or_else(|e| panic!("decimal {s}: {e}")),
    )
}

/// A datetime from `YYYY-MM-DD HH:MM:SS`.
pub(crate) fn ts(s: &str) -> Value {
    Value::DateTime(
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
            .unwrap_or_else(|e| panic!("datetime {s}: {e}")),
    )
}

/// A date from `YYYY-MM-DD`.
pub(crate) fn day(s: &str) -> Value {
    Value::Date(
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("date {s}: {e}")),
    )
}

fn insert_rows(conn: &mut Connection, table: &Table, rows: Vec<Vec<Value>>) -> Result<()> {
    let names: Vec<String> = table
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    let rows = rows.into_iter().map(|r| {
        names
            .iter()
            .zip(r)
            .fold(Values::new(), |vals, (n, v)| vals.set(n, v))
    });
    conn.execute(&table.insert().values_many(rows))?;
    Ok(())
}

/// Creates the rental tables on `engine` (dropping leftovers) and loads the fixture rows.
pub(crate) fn load(engine: &Engine) -> Result<Rental> {
    let md = MetaData::new();
    let t = schema(&md)?;
    fresh(engine, &md)?;
    let mut conn = engine.connect()?;
    let n = Value::Null;
    let i = |x: i64| Value::Int(x);
    let s = |x: &str| Value::Text(x.to_string());
    insert_rows(
        &mut conn,
        &t.language,
        vec![
            vec![i(1), s("English")],
            vec![i(2), s("Italian")],
            vec![i(3), s("Japanese")],
            vec![i(4), s("Français")],
        ],
    )?;
    insert_rows(
        &mut conn,
        &t.film,
        vec![
            vec![
                i(1),
                s("Academy Dinosaur"),
                s("An epic drama"),
                i(2006),
                i(1),
                n.clone(),
                dec("0.99"),
                i(86),
                dec("20.99"),
                s("PG"),
            ],
            vec![
                i(2),
                s("Ace Goldfinger"),
                s("A 'thrilling' tale"),
                i(2006),
                i(1),
                i(2),
                dec("4.99"),
                i(48),
                dec("12.99"),
                s("G"),
            ],
            vec![
                i(3),
                s("Adaptation Holes"),
                n.clone(),
                i(2007),
                i(2),
                i(1),
                dec("2.99"),
                i(50),
                dec("18.99"),
                s("NC-17"),
            ],
            vec![
                i(4),
                s("Affair Prejudice"),
                s("100% pure_fun"),
                i(2007),
                i(3),
                n.clone(),
                dec("2.99"),
                n.clone(),
                dec("26.99"),
                s("G"),
            ],
            vec![
                i(5),
                s("Zoë's \"Odyssey\""),
                s("Ünïcode ☃ story"),
                n.clone(),
                i(4),
                i(3),
                dec("0.99"),
                i(117),
                dec("9.99"),
                n.clone(),
            ],
            vec![
                i(6),
                s("Bang Kwai"),
                s("Back\\slash"),
                i(2008),
                i(1),
                n.clone(),
                dec("4.99"),
                i(87),
                dec("25.99"),
                s("NC-17"),
            ],
        ],
    )?;
    insert_rows(
        &mut conn,
        &t.actor,
        vec![
            vec![i(1), s("Penelope"), s("Guiness")],
            vec![i(2), s("Nick"), s("Wahlberg")],
            vec![i(3), s("Ed"), s("Chase")],
            vec![i(4), s("Jennifer"), s("Davis")],
            vec![i(5), s("Ed"), s("O'Brien")],
        ],
    )?;
    let pairs = [
        (1, 1),
        (1, 2),
        (2, 1),
        (2, 3),
        (3, 1),
        (3, 4),
        (3, 5),
        (4, 2),
    ];
    insert_rows(
        &mut conn,
        &t.film_actor,
        pairs.iter().map(|&(a, f)| vec![i(a), i(f)]).collect(),
    )?;
    insert_rows(
        &mut conn,
        &t.staff,
        vec![
            vec![i(1), s("Mike"), s("Hillyer"), n.clone()],
            vec![i(2), s("Jon"), s("Stephens"), i(1)],
            vec![i(3), s("Ann"), s("Lee"), i(2)],
        ],
    )?;
    insert_rows(
        &mut conn,
        &t.customer,
        vec![
            vec![
                i(1),
                s("Mary"),
                s("Smith"),
                s("mary@example.com"),
                Value::Bool(true),
                day("2006-02-14"),
            ],
            vec![
                i(2),
                s("Patricia"),
                s("Johnson"),
                n.clone(),
                Value::Bool(true),
                day("2006-02-15"),
            ],
            vec![
                i(3),
                s("Linda"),
                s("Williams"),
                s("linda@example.com"),
                Value::Bool(false),
                day("2007-03-01"),
            ],
            vec![
                i(4),
                s("Barbara"),
                s("D'Arcy"),
                s("b@x.org"),
                Value::Bool(true),
                day("2008-12-31"),
            ],
        ],
    )?;
    insert_rows(
        &mut conn,
        &t.rental,
        vec![
            vec![
                i(1),
                ts("2005-05-24 22:53:30"),
                i(1),
                i(1),
                i(1),
                ts("2005-05-26 22:04:30"),
            ],
            vec![i(2), ts("2005-05-24 22:54:33"), i(2), i(1), i(2), n.clone()],
            vec![
                i(3),
                ts("2005-06-01 08:00:00"),
                i(3),
                i(2),
                i(1),
                ts("2005-06-03 09:30:00"),
            ],
            vec![
                i(4),
                ts("2005-06-15 12:30:00"),
                i(1),
                i(2),
                i(3),
                ts("2005-06-20 00:00:00"),
            ],
            vec![i(5), ts("2005-07-01 23:59:59"), i(5), i(3), i(2), n.clone()],
            vec![
                i(6),
                ts("2006-01-02 03:04:05"),
                i(2),
                i(1),
                i(1),
                ts("2006-01-09 03:04:05"),
            ],
        ],
    )?;
    insert_rows(
        &mut conn,
        &t.payment,
        vec![
            vec![i(1), i(1), i(1), dec("2.99"), ts("2005-05-25 11:30:37")],
            vec![i(2), i(1), i(2), dec("0.99"), ts("2005-05-28 10:35:23")],
            vec![i(3), i(2), i(3), dec("5.99"), ts("2005-06-15 00:54:12")],
            vec![i(4), i(2), i(4), dec("0.99"), ts("2005-06-15 18:02:53")],
            vec![i(5), i(3), i(5), dec("9.99"), ts("2005-07-08 03:32:32")],
            vec![i(6), i(1), i(6), dec("4.99"), ts("2006-01-10 00:00:00")],
            vec![
                i(7),
                i(1),
                n.clone(),
                dec("0.10"),
                ts("2006-02-01 00:00:00"),
            ],
            vec![i(8), i(4), n, dec("0.20"), ts("2006-02-02 00:00:00")],
        ],
    )?;
    Ok(t)
}

/// One value as the oracle writes it (see the module docs).
pub(crate) fn norm(v: &Value) -> String {
    match v {
        Value::Null => "NULL".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => format!("{f:?}f"),
        Value::Decimal(d) => format!("{d}m"),
        Value::Text(s) => format!("'{s}'"),
        Value::Date(d) => d.format("%Y-%m-%d").to_string(),
        Value::DateTime(d) => d.format("%Y-%m-%d %H:%M:%S%.f").to_string(),
        other => format!("?{other:?}"),
    }
}

/// Runs `stmt` and returns its rows as oracle text, or the error's text.
pub(crate) fn run(
    engine: &Engine,
    stmt: &impl Executable,
) -> std::result::Result<Vec<String>, String> {
    let mut conn = engine.connect().map_err(|e| e.to_string())?;
    let rows = conn
        .execute(stmt)
        .and_then(|r| r.all())
        .map_err(|e| format!("ERROR {e}"))?;
    Ok(rows
        .iter()
        .map(|r| r.values().iter().map(norm).collect::<Vec<_>>().join(" | "))
        .collect())
}

/// Mismatches of one test body, reported together so one run shows every difference.
#[derive(Default)]
pub(crate) struct Oracle {
    dialect: String,
    failures: Vec<String>,
}

impl Oracle {
    pub(crate) fn new(engine: &Engine) -> Self {
        Oracle {
            dialect: engine.dialect().name().to_string(),
            failures: Vec::new(),
        }
    }

    /// Checks `stmt`'s rows against SQLAlchemy's on every dialect.
    pub(crate) fn same(
        &mut self,
        engine: &Engine,
        name: &str,
        stmt: &impl Executable,
        expected: &[&str],
    ) {
        let got = run(engine, stmt);
        if got
            .as_deref()
            .map(|g| g.iter().map(String::as_str).eq(expected.iter().copied()))
            != Ok(true)
        {
            self.failures.push(format!(
                "{name}:\n  expected {expected:?}\n  got      {got:?}"
            ));
        }
    }

    /// Checks `stmt`'s rows against SQLAlchemy's rows on this engine's dialect, when the
    /// databases themselves answer differently.
    pub(crate) fn per_dialect(
        &mut self,
        engine: &Engine,
        name: &str,
        stmt: &impl Executable,
        sqlite: &[&str],
        postgresql: &[&str],
        mysql: &[&str],
    ) {
        let expected = match self.dialect.as_str() {
            "sqlite" => sqlite,
            "postgresql" => postgresql,
            _ => mysql,
        };
        self.same(engine, name, stmt, expected);
    }

    /// Checks the outputs of a program of several statements (rows as oracle text,
    /// `rowcount=N` lines) against SQLAlchemy's.
    pub(crate) fn steps(&mut self, name: &str, got: Result<Vec<String>>, expected: &[&str]) {
        let ok = matches!(&got, Ok(g) if g.iter().map(String::as_str).eq(expected.iter().copied()));
        if !ok {
            self.failures.push(format!(
                "{name}:\n  expected {expected:?}\n  got      {got:?}"
            ));
        }
    }

    /// [`Oracle::steps`] with SQLAlchemy's outputs per dialect.
    pub(crate) fn steps_per(
        &mut self,
        name: &str,
        got: Result<Vec<String>>,
        sqlite: &[&str],
        postgresql: &[&str],
        mysql: &[&str],
    ) {
        let expected = match self.dialect.as_str() {
            "sqlite" => sqlite,
            "postgresql" => postgresql,
            _ => mysql,
        };
        self.steps(name, got, expected);
    }

    /// Ends the body: an error listing every mismatch, if any.
    pub(crate) fn finish(self) -> Result<()> {
        if self.failures.is_empty() {
            Ok(())
        } else {
            Err(athanor::Error::InvalidRequest(format!(
                "{} program(s) differ from SQLAlchemy on {}:\n{}",
                self.failures.len(),
                self.dialect,
                self.failures.join("\n")
            )))
        }
    }
}

/// Runs one body on every engine, like [`super::support::on_all`], but reports the failures
/// of all engines together (an oracle difference on SQLite doesn't hide one on MySQL).
#[track_caller]
pub(crate) fn on_every(body: fn(&Engine) -> Result<()>) {
    let mut failures = Vec::new();
    for (name, engine, _guard) in super::support::engines() {
        if let Err(e) = body(&engine) {
            failures.push(format!("[{name}] {e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The rows of `stmt` (executed with `params`, if any) as oracle text.
pub(crate) fn rows_of(
    conn: &mut Connection,
    stmt: &impl Executable,
    params: Option<&Values>,
) -> Result<Vec<String>> {
    let result = match params {
        Some(p) => conn.execute_with(stmt, p)?,
        None => conn.execute(stmt)?,
    };
    Ok(result
        .all()?
        .iter()
        .map(|r| r.values().iter().map(norm).collect::<Vec<_>>().join(" | "))
        .collect())
}

/// `rowcount=N` of executing `stmt`.
pub(crate) fn count_of(conn: &mut Connection, stmt: &impl Executable) -> Result<String> {
    Ok(format!("rowcount={}", conn.execute(stmt)?.rowcount()))
}
