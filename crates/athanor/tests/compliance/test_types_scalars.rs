//! Ported from SQLAlchemy's `test_types.py`: `TrueDivTest`, `BooleanTest`, `EnumTest` and
//! `ArrayTest`. Shared helpers are in `test_types.rs`.

use athanor::prelude::*;
use athanor::{Engine, Result};

use super::harness::run;
use super::requirements::Flag;
use super::test_types::{at, literal_round_trip};

const TRUEDIV: &str = "TrueDivTest";

fn typed(sql: &str, ty: Type) -> Expr {
    literal_column(sql).type_coerce(ty)
}

#[test]
fn truediv_integer() {
    run(at(TRUEDIV, "test_truediv_integer"), &[], |_, engine| {
        let mut conn = engine.connect()?;
        for (l, r, want) in [("15", "10", 1.5), ("-15", "10", -1.5)] {
            let got: f64 =
                conn.scalar(&select(typed(l, Type::Integer) / typed(r, Type::Integer)))?;
            assert_eq!(got, want, "{l} / {r}");
        }
        Ok(())
    });
}

#[test]
fn floordiv_integer() {
    run(at(TRUEDIV, "test_floordiv_integer"), &[], |_, engine| {
        let mut conn = engine.connect()?;
        for (l, r, want) in [("15", "10", 1), ("-15", "5", -3)] {
            let got: i64 = conn.scalar(&select(
                typed(l, Type::Integer).floordiv(typed(r, Type::Integer)),
            ))?;
            assert_eq!(got, want, "{l} // {r}");
        }
        Ok(())
    });
}

#[test]
fn truediv_numeric() {
    run(at(TRUEDIV, "test_truediv_numeric"), &[], |_, engine| {
        let ty = Type::Numeric(Some(10), Some(2));
        let got: rust_decimal::Decimal = engine
            .connect()?
            .scalar(&select(typed("5.52", ty.clone()) / typed("2.4", ty)))?;
        assert_eq!(got, rust_decimal::Decimal::new(23, 1));
        Ok(())
    });
}

#[test]
fn floordiv_numeric() {
    run(at(TRUEDIV, "test_floordiv_numeric"), &[], |_, engine| {
        let ty = Type::Numeric(None, None);
        let got: rust_decimal::Decimal = engine.connect()?.scalar(&select(
            typed("5.52", ty.clone()).floordiv(typed("2.4", ty)),
        ))?;
        assert_eq!(got, rust_decimal::Decimal::new(2, 0));
        Ok(())
    });
}

#[test]
fn truediv_float() {
    run(at(TRUEDIV, "test_truediv_float"), &[], |_, engine| {
        let got: f64 = engine.connect()?.scalar(&select(
            typed("5.52", Type::Float) / typed("2.4", Type::Float),
        ))?;
        assert_eq!(got, 2.3);
        Ok(())
    });
}

#[test]
fn truediv_integer_bound() {
    run(
        at(TRUEDIV, "test_truediv_integer_bound"),
        &[],
        |_, engine| {
            let got: f64 = engine
                .connect()?
                .scalar(&select(literal(15) / literal(10)))?;
            assert_eq!(got, 1.5);
            Ok(())
        },
    );
}

#[test]
fn floordiv_integer_bound() {
    run(
        at(TRUEDIV, "test_floordiv_integer_bound"),
        &[],
        |_, engine| {
            let got: i64 = engine
                .connect()?
                .scalar(&select(literal(15).floordiv(literal(10))))?;
            assert_eq!(got, 1);
            Ok(())
        },
    );
}

const BOOLEAN: &str = "BooleanTest";

/// `boolean_table` (id, value BOOLEAN, unconstrained_value BOOLEAN).
fn boolean_table(engine: &Engine) -> Result<Table> {
    let md = MetaData::new();
    let t = Table::build("boolean_table", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("value", Type::Boolean))
        .column(Column::new("unconstrained_value", Type::Boolean))
        .finish()?;
    md.create_all(engine)?;
    Ok(t)
}

#[test]
fn boolean_render_literal_bool() {
    run(at(BOOLEAN, "test_render_literal_bool"), &[], |_, e| {
        literal_round_trip(
            e,
            Type::Boolean,
            &[Value::Bool(true), Value::Bool(false)],
            &[true, false],
            None,
            true,
        )
    });
}

#[test]
fn boolean_round_trip() {
    run(at(BOOLEAN, "test_round_trip"), &[], |_, engine| {
        let t = boolean_table(engine)?;
        let mut conn = engine.connect()?;
        conn.execute_with(
            &t.insert(),
            &row! { "id" => 1, "value" => true, "unconstrained_value" => false },
        )?;
        let got: Vec<(bool, bool)> =
            conn.tuples(&select((t.c("value"), t.c("unconstrained_value"))))?;
        assert_eq!(got, [(true, false)]);
        Ok(())
    });
}

#[test]
fn boolean_null() {
    run(
        at(BOOLEAN, "test_null"),
        &[Flag::NullableBooleans],
        |_, engine| {
            let t = boolean_table(engine)?;
            let mut conn = engine.connect()?;
            conn.execute_with(
                &t.insert(),
                &row! { "id" => 1, "value" => Value::Null, "unconstrained_value" => Value::Null },
            )?;
            let got: Vec<(Option<bool>, Option<bool>)> =
                conn.tuples(&select((t.c("value"), t.c("unconstrained_value"))))?;
            assert_eq!(got, [(None, None)]);
            Ok(())
        },
    );
}

#[test]
fn boolean_whereclause() {
    run(at(BOOLEAN, "test_whereclause"), &[], |_, engine| {
        let t = boolean_table(engine)?;
        let mut conn = engine.connect()?;
        conn.execute_many(
            &t.insert(),
            [
                row! { "id" => 1, "value" => true, "unconstrained_value" => true },
                row! { "id" => 2, "value" => false, "unconstrained_value" => false },
            ],
        )?;
        for c in ["value", "unconstrained_value"] {
            let yes: i64 = conn.scalar(&select(t.c("id")).filter(t.c(c)))?;
            assert_eq!(yes, 1, "WHERE {c}");
            let no: i64 = conn.scalar(&select(t.c("id")).filter(!t.c(c)))?;
            assert_eq!(no, 2, "WHERE NOT {c}");
        }
        Ok(())
    });
}

const ENUM: &str = "EnumTest";
const ENUM_VALUES: [&str; 5] = ["a", "b", "a%", "b%percent", "réveillé"];

fn enum_table(engine: &Engine) -> Result<Table> {
    let md = MetaData::new();
    let t = Table::build("enum_table", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new(
            "enum_data",
            Type::Enum {
                name: Some("myenum".into()),
                variants: ENUM_VALUES.iter().map(|s| s.to_string()).collect(),
            },
        ))
        .finish()?;
    md.create_all(engine)?;
    Ok(t)
}

const MANY: [(i64, &str); 4] = [(1, "b%percent"), (2, "réveillé"), (3, "b"), (4, "a%")];

#[test]
fn enum_round_trip() {
    run(at(ENUM, "test_round_trip"), &[], |_, engine| {
        let t = enum_table(engine)?;
        let mut conn = engine.connect()?;
        for data in ENUM_VALUES {
            conn.execute_with(&t.insert(), &row! { "id" => 1, "enum_data" => data })?;
            let got: String = conn.scalar(&select(t.c("enum_data")).filter(t.c("id").eq(1)))?;
            assert_eq!(got, data);
            conn.execute(&t.delete())?;
        }
        Ok(())
    });
}

#[test]
fn enum_round_trip_executemany() {
    run(at(ENUM, "test_round_trip_executemany"), &[], |_, engine| {
        let t = enum_table(engine)?;
        let mut conn = engine.connect()?;
        conn.execute_many_rows(&t.insert(), &["id", "enum_data"], MANY)?;
        let got: Vec<String> = conn.scalars(&select(t.c("enum_data")).order_by(t.c("id")))?;
        assert_eq!(got, MANY.map(|(_, s)| s));
        Ok(())
    });
}

// SQLAlchemy's executemany with RETURNING: `execute_many_returning`, rows back in the order
// of the parameter rows.
#[test]
fn enum_round_trip_executemany_returning() {
    run(
        at(ENUM, "test_round_trip_executemany_returning"),
        &[Flag::InsertExecutemanyReturning],
        |_, engine| {
            let t = enum_table(engine)?;
            let mut conn = engine.connect()?;
            let got: Vec<String> = conn
                .execute_many_returning(
                    &t.insert().returning(t.c("enum_data")),
                    MANY.map(|(id, s)| row! { "id" => id, "enum_data" => s }),
                )?
                .scalars()?;
            assert_eq!(got, MANY.map(|(_, s)| s));
            Ok(())
        },
    );
}

const ARRAY: &str = "ArrayTest";

#[test]
fn array_literal_simple() {
    run(
        at(ARRAY, "test_literal_simple"),
        &[Flag::ArrayType],
        |_, e| {
            literal_round_trip(
                e,
                Type::Array(Box::new(Type::Integer)),
                &[Value::from(vec![1_i64, 2, 3])],
                &[vec![1_i64, 2, 3]],
                None,
                false,
            )
        },
    );
}

/// `ARRAY(String, dimensions=2)`: an array of arrays of strings (`VARCHAR[][]` on
/// PostgreSQL), its values nested `Vec`s.
fn string_matrix() -> Type {
    Type::Array(Box::new(Type::Array(Box::new(Type::String(None)))))
}

fn matrix_data() -> Vec<Vec<&'static str>> {
    vec![vec!["one", "two"], vec!["thr'ee", "réve🐍 illé"]]
}

#[test]
fn array_roundtrip() {
    run(
        at(ARRAY, "test_array_roundtrip"),
        &[Flag::ArrayType],
        |_, engine| {
            let md = MetaData::new();
            let t = Table::build("array_table", &md)
                .column(Column::new("id", Type::Integer).primary_key())
                .column(Column::new(
                    "single_dim",
                    Type::Array(Box::new(Type::Integer)),
                ))
                .column(Column::new("multi_dim", string_matrix()))
                .finish()?;
            md.create_all(engine)?;
            let mut conn = engine.connect()?;
            conn.execute_with(
                &t.insert(),
                &row! { "id" => 1, "single_dim" => vec![1_i64, 2, 3], "multi_dim" => matrix_data() },
            )?;
            let row = conn
                .execute(&select((t.c("single_dim"), t.c("multi_dim"))))?
                .one()?;
            let single: Vec<i64> = row.get(0)?;
            let multi: Vec<Vec<String>> = row.get(1)?;
            assert_eq!(single, [1, 2, 3]);
            assert_eq!(multi, matrix_data());
            Ok(())
        },
    );
}

#[test]
fn array_literal_complex() {
    run(
        at(ARRAY, "test_literal_complex"),
        &[Flag::ArrayType],
        |_, e| {
            let data: Vec<Vec<String>> = matrix_data()
                .into_iter()
                .map(|r| r.into_iter().map(String::from).collect())
                .collect();
            literal_round_trip(
                e,
                string_matrix(),
                &[Value::from(matrix_data())],
                &[data],
                None,
                false,
            )
        },
    );
}
