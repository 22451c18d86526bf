//! Operators with SQLAlchemy's meaning on every database: true division, floor division,
//! `+` on strings.

use athanor::prelude::*;
use athanor::{Engine, Result};

use super::support::{fresh, on_all, rows, scalars};

/// `{prefix}_nums (id, a INTEGER, b INTEGER, x FLOAT, s VARCHAR(20), t VARCHAR(20))` with
/// rows (1, 7, 2, 7.5, 'ab', 'cd') and (2, -7, 2, -7.5, 'x', NULL).
fn nums(engine: &Engine, prefix: &str) -> Result<Table> {
    let md = MetaData::new();
    let t = Table::build(format!("{prefix}_nums").as_str(), &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("a", Type::Integer))
        .column(Column::new("b", Type::Integer))
        .column(Column::new("x", Type::Float))
        .column(Column::new("s", Type::String(Some(20))))
        .column(Column::new("t", Type::String(Some(20))))
        .finish()?;
    fresh(engine, &md)?;
    engine.connect()?.execute(&t.insert().values_many([
        row! { "id" => 1, "a" => 7, "b" => 2, "x" => 7.5, "s" => "ab", "t" => "cd" },
        row! { "id" => 2, "a" => -7, "b" => 2, "x" => -7.5, "s" => "x", "t" => None::<String> },
    ]))?;
    Ok(t)
}

/// One expression over the rows, in id order.
fn column<T: FromValue>(engine: &Engine, t: &Table, e: Expr) -> Result<Vec<T>> {
    scalars(engine, &select(e.label("v")).order_by(t.c("id")))
}

#[test]
fn division_is_true_division() {
    on_all(|engine| {
        let t = nums(engine, "ops_div")?;
        let (a, b, x) = (|| t.c("a"), || t.c("b"), || t.c("x"));
        assert_eq!(column::<f64>(engine, &t, a() / b())?, [3.5, -3.5]);
        assert_eq!(column::<f64>(engine, &t, a() / 2)?, [3.5, -3.5]);
        assert_eq!(column::<f64>(engine, &t, x() / b())?, [3.75, -3.75]);
        assert_eq!(column::<f64>(engine, &t, (a() + 1) / b() / 2)?, [2.0, -1.5]);
        // In WHERE: 7 / 2 > 3 holds only for a true quotient.
        let ids = select(t.c("id"))
            .filter((a() / b()).gt(3))
            .order_by(t.c("id"));
        assert_eq!(scalars::<i64>(engine, &ids)?, [1]);
        // Bare values too.
        let bare = select((literal(7) / literal(2)).label("v"));
        assert_eq!(scalars::<f64>(engine, &bare)?, [3.5]);
        Ok(())
    });
}

#[test]
fn floor_division() {
    on_all(|engine| {
        let t = nums(engine, "ops_floordiv")?;
        let (a, b, x) = (|| t.c("a"), || t.c("b"), || t.c("x"));
        // Integers: SQLAlchemy renders a plain `/` where it truncates (SQLite, PostgreSQL),
        // so a negative quotient rounds toward zero there; MySQL computes FLOOR.
        let negative = if engine.dialect().name() == "mysql" {
            -4
        } else {
            -3
        };
        assert_eq!(column::<i64>(engine, &t, a().floordiv(b()))?, [3, negative]);
        assert_eq!(column::<i64>(engine, &t, a().floordiv(2))?, [3, negative]);
        // Anything else is the floor of the true quotient on every database.
        assert_eq!(column::<f64>(engine, &t, x().floordiv(b()))?, [3.0, -4.0]);
        assert_eq!(column::<f64>(engine, &t, a().floordiv(x()))?, [0.0, 0.0]);
        assert_eq!(column::<f64>(engine, &t, x().floordiv(-2))?, [-4.0, 3.0]);
        let bare = select(literal(7).floordiv(literal(2)).label("v"));
        assert_eq!(scalars::<i64>(engine, &bare)?, [3]);
        Ok(())
    });
}
#[test]
fn plus_concatenates_strings() {
    on_all(|engine| {
        let t = nums(engine, "ops_concat")?;
        let (s, tt) = (|| t.c("s"), || t.c("t"));
        assert_eq!(
            column::<Option<String>>(engine, &t, s() + tt())?,
            [Some("abcd".to_string()), None]
        );
        assert_eq!(
            column::<String>(engine, &t, s() + "!" + s())?,
            ["ab!ab", "x!x"]
        );
        assert_eq!(
            column::<String>(engine, &t, literal("<") + s())?,
            ["<ab", "<x"]
        );
        // Numbers still add.
        assert_eq!(column::<i64>(engine, &t, t.c("a") + t.c("b"))?, [9, -5]);
        let got = rows::<(String,)>(
            engine,
            &select((s() + "?").label("q")).filter((s() + "z").eq("abz")),
        )?;
        assert_eq!(got, [("ab?".to_string(),)]);
        Ok(())
    });
}

// Regular expressions, bitwise operators and COLLATE: a NULL text matches nothing, a bad
// pattern is an error (not a panic), XOR is XOR where the database has no operator for it.
#[test]
fn regexp_bitwise_and_collate() {
    on_all(|engine| {
        let t = nums(engine, "ops_re")?;
        let (a, s, tt) = (|| t.c("a"), || t.c("s"), || t.c("t"));
        let ids = |cond: Expr| select(t.c("id")).filter(cond).order_by(t.c("id"));
        assert_eq!(scalars::<i64>(engine, &ids(s().regexp_match("^a.$")))?, [1]);
        assert_eq!(scalars::<i64>(engine, &ids(!s().regexp_match("^a")))?, [2]);
        // Row 2's `t` is NULL: neither matched nor not matched.
        assert_eq!(scalars::<i64>(engine, &ids(tt().regexp_match("d")))?, [1]);
        assert_eq!(
            scalars::<i64>(engine, &ids(!tt().regexp_match("d")))?,
            Vec::<i64>::new()
        );
        let err = scalars::<i64>(engine, &ids(s().regexp_match("(")));
        assert!(err.is_err(), "{err:?}");
        // 7 ^ 2 = 5; 7 & 2 = 2; 7 | 8 = 15; 7 << 2 = 28; ~(7 - 8) = 0. (Row 1 only: MySQL's
        // results are unsigned 64-bit numbers, so -7's don't fit an i64 there.)
        let one = |e: Expr| select(e.label("v")).filter(t.c("id").eq(1));
        assert_eq!(
            scalars::<i64>(engine, &one(a().bitwise_xor(t.c("b"))))?,
            [5]
        );
        assert_eq!(scalars::<i64>(engine, &one(a().bitwise_and(2)))?, [2]);
        assert_eq!(scalars::<i64>(engine, &one(a().bitwise_or(8)))?, [15]);
        assert_eq!(scalars::<i64>(engine, &one(a().bitwise_lshift(2)))?, [28]);
        assert_eq!(scalars::<i64>(engine, &one(a().bitwise_rshift(1)))?, [3]);
        assert_eq!(scalars::<i64>(engine, &one((a() - 8).bitwise_not()))?, [0]);
        let collation = match engine.dialect().name() {
            "postgresql" => "C",
            "mysql" => "utf8mb4_bin",
            _ => "BINARY",
        };
        let got = column::<String>(engine, &t, s().collate(collation))?;
        assert_eq!(got, ["ab", "x"]);
        Ok(())
    });
}
