//! Bound parameters printed as literals (`literal_binds`) and typed bind parameters, on
//! every database: the printed SQL runs and gives back what went in. (The compliance suite's
//! own tests of these are in `tests/compliance/`.)

use athanor::compiler::CompileOptions;
use athanor::prelude::*;
use athanor::{Engine, Result};

use super::support::{fresh, on_all};

/// ExpandingBoundInTest's table: (id, x, y, z) rows 1-4.
fn in_table(engine: &Engine, name: &str) -> Result<Table> {
    let md = MetaData::new();
    let t = Table::build(name, &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("x", Type::Integer))
        .column(Column::new("y", Type::Integer))
        .column(Column::new("z", Type::String(Some(50))))
        .finish()?;
    fresh(engine, &md)?;
    let mut conn = engine.connect()?;
    conn.execute(&t.insert().values_many([
        row! { "id" => 1, "x" => 1, "y" => 2, "z" => "z1" },
        row! { "id" => 2, "x" => 2, "y" => 3, "z" => "z2" },
        row! { "id" => 3, "x" => 3, "y" => 4, "z" => "z3" },
        row! { "id" => 4, "x" => 4, "y" => 5, "z" => "z4" },
    ]))?;
    Ok(t)
}

fn in_ids(engine: &Engine, t: &Table, cond: Expr, params: &Values) -> Result<Vec<i64>> {
    let stmt = select(t.c("id")).filter(cond).order_by(t.c("id"));
    let rows: Vec<(i64,)> = engine.connect()?.tuples_with(&stmt, params)?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

// A typed bindparam renders as any other and binds its value as its type.
#[test]
fn typed_bindparam_says_its_type() {
    on_all(|engine| {
        let t = in_table(engine, "cs_in_typed")?;
        let stmt = select(
            (bindparam_typed("a", Type::Integer) + bindparam_typed("b", Type::Integer)).label("n"),
        );
        assert_eq!(stmt.clone().to_string(), "SELECT :a + :b AS n");
        let got: Vec<(i64,)> = engine
            .connect()?
            .tuples_with(&stmt, &row! { "a" => 2, "b" => 3 })?;
        assert_eq!(got, [(5,)]);
        let z = t.c("z").eq(bindparam_typed("z", Type::String(Some(50))));
        assert_eq!(in_ids(engine, &t, z, &row! { "z" => "z3" })?, [3]);
        Ok(())
    });
}

/// The SQL `compile_with(.., literal_binds)` prints for the engine's dialect.
fn literal_sql(engine: &Engine, stmt: &impl Compile) -> Result<String> {
    Ok(stmt
        .compile_with(engine.dialect(), CompileOptions::literal_binds())?
        .sql()
        .to_string())
}

// Text through the dialect's one escaper: quotes and backslashes come back as they went in
// (the round trip of test_types.py's literal tests, for the values every database takes).
#[test]
fn literal_binds_escape_text_through_the_dialect() {
    on_all(|engine| {
        let mut conn = engine.connect()?;
        for s in ["plain", "it's", r"back\slash", r"\'", "50%_off", "zoë ☃"] {
            let stmt = select(literal(s).label("v"));
            let sql = literal_sql(engine, &stmt)?;
            let got: Vec<(String,)> = conn.tuples(&text(&sql))?;
            assert_eq!(got, [(s.to_string(),)], "{sql}");
        }
        let stmt = select((literal(40) + literal(2)).label("v"));
        let sql = literal_sql(engine, &stmt)?;
        let got: Vec<(i64,)> = conn.tuples(&text(&sql))?;
        assert_eq!(got, [(42,)], "{sql}");
        // A bindparam has no value to print; a NUL has no literal form.
        let stmt = select(t_col()).filter(t_col().eq(bindparam("x")));
        let err = literal_sql(engine, &stmt).unwrap_err();
        assert_eq!(
            err.to_string(),
            "can't compile statement: bind parameter 'x' has no value to render as a literal: \
             give it one, or print without literal binds"
        );
        let stmt = select(literal("a\0b").label("v"));
        assert!(matches!(
            literal_sql(engine, &stmt),
            Err(athanor::Error::Compile(_))
        ));
        Ok(())
    });
}

fn t_col() -> Expr {
    column("x")
}

/// A `literal_execute` value for a `UuidChar` column is written in as the column holds it
/// (32 hex digits), as a bound value is: in an INSERT and in a comparison.
#[test]
fn literal_execute_writes_a_uuid_as_its_column_holds_it() {
    on_all(|engine| {
        let md = MetaData::new();
        let t = Table::build("lit_exec_uuid", &md)
            .column(Column::new("x", Type::UuidChar))
            .finish()?;
        fresh(engine, &md)?;
        let text_uuid = "67e55044-10b1-426f-9247-bb680e5fe0c8";
        let lit = || {
            literal(text_uuid)
                .type_coerce(Type::UuidChar)
                .literal_execute()
        };
        let mut conn = engine.connect()?;
        conn.execute(&t.insert().values(row! { "x" => lit() }))?;
        let stored: Vec<String> = conn.scalars(&text("SELECT x FROM lit_exec_uuid"))?;
        assert_eq!(stored, ["67e5504410b1426f9247bb680e5fe0c8"]);
        let found: Vec<i64> =
            conn.scalars(&select(func::count(t.c("x"))).filter(t.c("x").eq(lit())))?;
        assert_eq!(found, [1]);
        Ok(())
    });
}
