//! Ported from SQLAlchemy's `lib/sqlalchemy/testing/suite/test_results.py` (behaviour,
//! fixtures and assertions; not code). Tests of that file not ported are listed, with the
//! reason, in `compliance/todo.tsv`; deliberate differences in
//! `compliance/deviations/test_results.md`.

use athanor::prelude::*;
use athanor::sql::Select;
use athanor::{Engine, Result};
use chrono::NaiveDate;

use super::harness::{Origin, run};
use super::requirements::Flag;

const FILE: &str = "test_results.py";

fn origin(class: &'static str, test: &'static str) -> Origin {
    Origin {
        file: FILE,
        class,
        test,
    }
}

/// `RowFetchTest`'s tables: `plain_pk` holding (1, d1), (2, d2), (3, d3) and `has_dates`
/// holding (1, 2006-05-12 12:00:00).
fn row_fetch_tables(engine: &Engine) -> Result<(Table, Table)> {
    let md = MetaData::new();
    let plain = Table::build("plain_pk", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("data", Type::String(Some(50))))
        .finish()?;
    let dates = Table::build("has_dates", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("today", Type::DateTime))
        .finish()?;
    md.create_all(engine)?;
    let mut conn = engine.connect()?;
    conn.execute_many_rows(
        &plain.insert(),
        &["id", "data"],
        [(1_i64, "d1"), (2, "d2"), (3, "d3")],
    )?;
    conn.execute(
        &dates
            .insert()
            .values(row! { "id" => 1, "today" => noon_2006() }),
    )?;
    Ok((plain, dates))
}

fn noon_2006() -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2006, 5, 12)
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .expect("a valid date")
}

fn first_plain_row(engine: &Engine) -> Result<Row> {
    let (plain, _) = row_fetch_tables(engine)?;
    let row = engine
        .connect()?
        .execute(&select(&plain).order_by(plain.c("id")))?
        .first()?;
    Ok(row.expect("plain_pk has rows"))
}

#[test]
fn row_fetch_via_string() {
    run(
        origin("RowFetchTest", "test_via_string"),
        &[],
        |_, engine| {
            let row = first_plain_row(engine)?;
            assert_eq!(row.get::<i64, _>("id")?, 1);
            assert_eq!(row.get::<String, _>("data")?, "d1");
            Ok(())
        },
    );
}

#[test]
fn row_fetch_via_int() {
    run(origin("RowFetchTest", "test_via_int"), &[], |_, engine| {
        let row = first_plain_row(engine)?;
        assert_eq!(row.get::<i64, _>(0)?, 1);
        assert_eq!(row.get::<String, _>(1)?, "d1");
        Ok(())
    });
}

#[test]
fn row_fetch_via_col_object() {
    run(
        origin("RowFetchTest", "test_via_col_object"),
        &[],
        |_, engine| {
            let (plain, _) = row_fetch_tables(engine)?;
            let row = engine
                .connect()?
                .execute(&select(&plain).order_by(plain.c("id")))?
                .first()?
                .expect("plain_pk has rows");
            assert_eq!(row.get::<i64, _>(&plain.c("id"))?, 1);
            assert_eq!(row.get::<String, _>(&plain.c("data"))?, "d1");
            Ok(())
        },
    );
}

#[test]
fn row_fetch_row_with_dupe_names() {
    run(
        origin("RowFetchTest", "test_row_with_dupe_names"),
        &[Flag::DuplicateNamesInCursorDescription],
        |_, engine| {
            let (plain, _) = row_fetch_tables(engine)?;
            let result = engine.connect()?.execute(
                &select((plain.c("data"), plain.c("data").label("data"))).order_by(plain.c("id")),
            )?;
            assert_eq!(result.columns(), ["data", "data"]);
            let row = result.first()?.expect("plain_pk has rows");
            assert_eq!(row.to::<(String, String)>()?, ("d1".into(), "d1".into()));
            Ok(())
        },
    );
}

#[test]
fn row_fetch_row_w_scalar_select() {
    run(
        origin("RowFetchTest", "test_row_w_scalar_select"),
        &[],
        |_, engine| {
            let (_, dates) = row_fetch_tables(engine)?;
            let x = dates.alias("x");
            let s = select(x.c("today")).scalar_subquery();
            let stmt = select((dates.c("id"), s.label("somelabel")));
            let row = engine.connect()?.execute(&stmt)?.first()?.expect("a row");
            assert_eq!(
                row.get::<chrono::NaiveDateTime, _>("somelabel")?,
                noon_2006()
            );
            Ok(())
        },
    );
}

/// `denormalize_table`: the id and five integer columns whose names differ only in case and
/// quoting, holding one row (1, 5, 6, 7, 8, 9).
fn denormalize_table(engine: &Engine) -> Result<Table> {
    let md = MetaData::new();
    let t = Table::build("denormalize_table", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("all_lowercase", Type::Integer))
        .column(Column::new("ALL_UPPERCASE", Type::Integer))
        .column(Column::new("MixedCase", Type::Integer))
        .column(Column::new("all_lowercase_quoted", Type::Integer))
        .column(Column::new("ALL_UPPERCASE_QUOTED", Type::Integer))
        .finish()?;
    md.create_all(engine)?;
    engine.connect()?.execute(&t.insert().values(row! {
        "id" => 1, "all_lowercase" => 5, "ALL_UPPERCASE" => 6, "MixedCase" => 7,
        "all_lowercase_quoted" => 8, "ALL_UPPERCASE_QUOTED" => 9,
    }))?;
    Ok(t)
}

#[test]
fn name_denormalize_cols_driver_cols() {
    // `denormalized_names` is off on all three databases (none folds unquoted names to upper
    // case), so every variant reads the names as the table declares them.
    run(
        origin("NameDenormalizeTest", "test_cols_driver_cols"),
        &[],
        |dialect, engine| {
            let t = denormalize_table(engine)?;
            let expected = [
                ("id", 1_i64),
                ("all_lowercase", 5),
                ("ALL_UPPERCASE", 6),
                ("MixedCase", 7),
                ("all_lowercase_quoted", 8),
                ("ALL_UPPERCASE_QUOTED", 9),
            ];
            let star = select(star()).select_from(&t);
            let star_sql = star.compile(engine.dialect())?.sql().to_string();
            let mut conn = engine.connect()?;
            for (variant, row) in [
                ("text_star", conn.execute(&text(&star_sql))?.one()?),
                ("core_select", conn.execute(&select(&t))?.one()?),
            ] {
                let names: Vec<&str> = expected.iter().map(|(n, _)| *n).collect();
                assert_eq!(row.columns(), names, "{variant} on {dialect}");
                for (i, (name, v)) in expected.iter().enumerate() {
                    assert_eq!(row.get::<i64, _>(*name)?, *v, "{variant}: {name}");
                    assert_eq!(row.get::<i64, _>(i)?, *v, "{variant}: [{i}]");
                    if variant == "core_select" {
                        assert_eq!(
                            row.get::<i64, _>(&t.c(name))?,
                            *v,
                            "{variant}: column {name}"
                        );
                    }
                }
            }
            Ok(())
        },
    );
}

/// `percent%table` with the columns `percent%` and `spaces % more spaces`.
fn percent_table(engine: &Engine) -> Result<Table> {
    let md = MetaData::new();
    let t = Table::build("percent%table", &md)
        .column(Column::new("percent%", Type::Integer))
        .column(Column::new("spaces % more spaces", Type::Integer))
        .finish()?;
    md.create_all(engine)?;
    Ok(t)
}

const PERCENT_ROWS: [(i64, i64); 4] = [(5, 12), (7, 11), (9, 10), (11, 9)];

/// `_assert_table`: the rows read through the table, an alias of it, a second table object of
/// the same name (SQLAlchemy's lightweight `table()`) and its alias; then an UPDATE of every
/// row.
fn assert_percent_table(conn: &mut Connection, t: &Table) -> Result<()> {
    let md = MetaData::new();
    let light = Table::build("percent%table", &md)
        .column(Column::new("percent%", Type::Integer))
        .column(Column::new("spaces % more spaces", Type::Integer))
        .finish()?;
    let aliased = t.alias("percent%alias");
    let light_alias = light.alias("spaces % alias");
    let views: [(&str, Expr, Expr, Select); 4] = [
        (
            "table",
            t.c("percent%"),
            t.c("spaces % more spaces"),
            select(t),
        ),
        (
            "alias",
            aliased.c("percent%"),
            aliased.c("spaces % more spaces"),
            select(&aliased),
        ),
        (
            "lightweight table",
            light.c("percent%"),
            light.c("spaces % more spaces"),
            select(&light),
        ),
        (
            "lightweight alias",
            light_alias.c("percent%"),
            light_alias.c("spaces % more spaces"),
            select(&light_alias),
        ),
    ];
    for (what, pct, spaces, sel) in views {
        let all: Vec<(i64, i64)> = conn.tuples(&sel.clone().order_by(pct.clone()))?;
        assert_eq!(all, PERCENT_ROWS, "{what}");
        let some: Vec<(i64, i64)> = conn.tuples(
            &sel.clone()
                .filter(spaces.clone().in_([9, 10]))
                .order_by(pct.clone()),
        )?;
        assert_eq!(some, [(9, 10), (11, 9)], "{what}");
        let row = conn
            .execute(&sel.order_by(pct.clone()))?
            .first()?
            .expect("rows");
        assert_eq!(row.get::<i64, _>("percent%")?, 5, "{what}");
        assert_eq!(row.get::<i64, _>("spaces % more spaces")?, 12, "{what}");
        assert_eq!(row.get::<i64, _>(&pct)?, 5, "{what}");
        assert_eq!(row.get::<i64, _>(&spaces)?, 12, "{what}");
    }
    conn.execute(&t.update().values(row! { "spaces % more spaces" => 15 }))?;
    let all: Vec<(i64, i64)> = conn.tuples(&select(t).order_by(t.c("percent%")))?;
    assert_eq!(all, [(5, 15), (7, 15), (9, 15), (11, 15)]);
    Ok(())
}

#[test]
fn percent_schema_names_single_roundtrip() {
    run(
        origin("PercentSchemaNamesTest", "test_single_roundtrip"),
        &[Flag::PercentSchemaNames],
        |_, engine| {
            let t = percent_table(engine)?;
            let mut conn = engine.connect()?;
            for (a, b) in PERCENT_ROWS {
                conn.execute_with(
                    &t.insert(),
                    &row! { "percent%" => a, "spaces % more spaces" => b },
                )?;
            }
            assert_percent_table(&mut conn, &t)
        },
    );
}

#[test]
fn percent_schema_names_executemany_roundtrip() {
    run(
        origin("PercentSchemaNamesTest", "test_executemany_roundtrip"),
        &[Flag::PercentSchemaNames],
        |_, engine| {
            let t = percent_table(engine)?;
            let mut conn = engine.connect()?;
            conn.execute_with(
                &t.insert(),
                &row! { "percent%" => 5, "spaces % more spaces" => 12 },
            )?;
            let n = conn.execute_many(
                &t.insert(),
                PERCENT_ROWS[1..]
                    .iter()
                    .map(|(a, b)| row! { "percent%" => *a, "spaces % more spaces" => *b }),
            )?;
            assert_eq!(n, 3);
            assert_percent_table(&mut conn, &t)
        },
    );
}

#[test]
fn percent_schema_names_executemany_returning_roundtrip() {
    run(
        origin(
            "PercentSchemaNamesTest",
            "test_executemany_returning_roundtrip",
        ),
        &[Flag::PercentSchemaNames, Flag::InsertExecutemanyReturning],
        |_, engine| {
            let t = percent_table(engine)?;
            let mut conn = engine.connect()?;
            conn.execute_with(
                &t.insert(),
                &row! { "percent%" => 5, "spaces % more spaces" => 12 },
            )?;
            let stmt = t
                .insert()
                .returning((t.c("percent%"), t.c("spaces % more spaces")));
            let got: Vec<(i64, i64)> = conn
                .execute_many_returning(
                    &stmt,
                    PERCENT_ROWS[1..]
                        .iter()
                        .map(|(a, b)| row! { "percent%" => *a, "spaces % more spaces" => *b }),
                )?
                .tuples()?;
            assert_eq!(got, PERCENT_ROWS[1..]);
            assert_percent_table(&mut conn, &t)
        },
    );
}

/// `ServerSideCursorsTest`'s `test_table`: an autoincrement id and a string.
fn ss_table(engine: &Engine) -> Result<Table> {
    let md = MetaData::new();
    let t = Table::build("test_table", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("data", Type::String(Some(50))))
        .finish()?;
    md.create_all(engine)?;
    Ok(t)
}

/// The rows of `stmt` read one at a time from the cursor ([`Connection::stream`], Athanor's
/// unbuffered result: SQLAlchemy's `stream_results`).
fn streamed(conn: &mut Connection, stmt: &Select) -> Result<Vec<(i64, String)>> {
    let mut rows = Vec::new();
    conn.stream(stmt, |row| {
        rows.push(row.to::<(i64, String)>()?);
        Ok(true)
    })?;
    Ok(rows)
}

#[test]
fn server_side_cursors_roundtrip_fetchall() {
    run(
        origin("ServerSideCursorsTest", "test_roundtrip_fetchall"),
        &[Flag::ServerSideCursors],
        |_, engine| {
            let t = ss_table(engine)?;
            let mut conn = engine.connect()?;
            let mut tx = conn.begin()?;
            tx.execute_with(&t.insert(), &row! { "data" => "data1" })?;
            tx.execute_with(&t.insert(), &row! { "data" => "data2" })?;
            let by_id = select(&t).order_by(t.c("id"));
            assert_eq!(
                streamed(&mut tx, &by_id)?,
                [(1, "data1".to_string()), (2, "data2".to_string())]
            );
            tx.execute(
                &t.update()
                    .filter(t.c("id").eq(2))
                    .values(row! { "data" => t.c("data").concat(" updated") }),
            )?;
            assert_eq!(
                streamed(&mut tx, &by_id)?,
                [(1, "data1".to_string()), (2, "data2 updated".to_string())]
            );
            tx.execute(&t.delete())?;
            let n: i64 = tx.scalar(&select(func::count_star()).select_from(&t))?;
            assert_eq!(n, 0);
            tx.commit()
        },
    );
}

#[test]
fn server_side_cursors_roundtrip_fetchmany() {
    run(
        origin("ServerSideCursorsTest", "test_roundtrip_fetchmany"),
        &[Flag::ServerSideCursors],
        |_, engine| {
            let t = ss_table(engine)?;
            let mut conn = engine.connect()?;
            let mut tx = conn.begin()?;
            tx.execute_many(
                &t.insert(),
                (1..20).map(|i| row! { "data" => format!("data{i}") }),
            )?;
            let expect = |r: std::ops::Range<i64>| -> Vec<(i64, String)> {
                r.map(|i| (i, format!("data{i}"))).collect()
            };
            // fetchmany(5), fetchmany(10), then the rest, from one streamed cursor.
            let mut batches: Vec<Vec<(i64, String)>> = vec![Vec::new()];
            let sizes = [5, 10];
            tx.stream(&select(&t).order_by(t.c("id")), |row| {
                let n = batches.len();
                if n <= sizes.len() && batches[n - 1].len() == sizes[n - 1] {
                    batches.push(Vec::new());
                }
                let last = batches.len() - 1;
                batches[last].push(row.to()?);
                Ok(true)
            })?;
            assert_eq!(batches.len(), 3);
            assert_eq!(batches[0], expect(1..6));
            assert_eq!(batches[1], expect(6..16));
            assert_eq!(batches[2], expect(16..20));
            tx.commit()
        },
    );
}
