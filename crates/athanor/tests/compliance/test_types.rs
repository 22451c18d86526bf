//! Ported from SQLAlchemy's `lib/sqlalchemy/testing/suite/test_types.py` (behaviour,
//! fixtures and assertions; not code): strings, unicode, text, binary, integers, division,
//! booleans and enums here; dates and intervals in `test_types_dates.rs`, numerics in
//! `test_types_numeric.rs`, JSON in `test_types_json.rs`, UUIDs in `test_types_uuid.rs`.
//! Tests of that file not ported yet are listed, with the reason, in `compliance/todo.tsv`.

use std::fmt::Debug;

use athanor::compiler::CompileOptions;
use athanor::prelude::*;
use athanor::{Engine, Result};

use super::harness::{Origin, run};
use super::requirements::Flag;

pub(crate) const FILE: &str = "test_types.py";

pub(crate) fn at(class: &'static str, test: &'static str) -> Origin {
    Origin {
        file: FILE,
        class,
        test,
    }
}

/// The SQL `compile_with(.., literal_binds)` writes for the engine's dialect.
pub(crate) fn literal_sql(engine: &Engine, stmt: &impl Compile) -> Result<String> {
    Ok(stmt
        .compile_with(engine.dialect(), CompileOptions::literal_binds())?
        .sql()
        .to_string())
}

/// SQLAlchemy's `literal_round_trip` fixture: each input is written into an INSERT as a
/// literal of `ty` (the statement compiled with literal binds and run as text), then a NULL;
/// the rows a WHERE comparing `x` with the literal `compare` (the first input by default)
/// finds, run as literal SQL too (or, without `where_`, every non-NULL row), are each one of
/// `outputs`; `x IS NULL` finds the NULL row.
pub(crate) fn literal_round_trip<T>(
    engine: &Engine,
    ty: Type,
    inputs: &[Value],
    outputs: &[T],
    compare: Option<Value>,
    where_: bool,
) -> Result<()>
where
    T: FromValue + PartialEq + Debug,
{
    let md = MetaData::new();
    let t = Table::build("t", &md)
        .column(Column::new("x", ty.clone()))
        .finish()?;
    md.create_all(engine)?;
    let lit = |v: &Value| literal(v.clone()).type_coerce(ty.clone());
    let mut conn = engine.connect()?;
    for v in inputs.iter().chain([&Value::Null]) {
        let sql = literal_sql(engine, &t.insert().values(row! { "x" => lit(v) }))?;
        conn.execute(&text(&sql))?;
    }
    let stmt = if where_ {
        let c = compare.unwrap_or_else(|| inputs[0].clone());
        select(t.c("x")).filter(t.c("x").eq(lit(&c)))
    } else {
        select(t.c("x")).filter(t.c("x").is_not_null())
    };
    // The literal SQL finds the rows; they are read through the statement itself, whose
    // column has the type (text() has no result types to process values with).
    let sql = literal_sql(engine, &stmt)?;
    let found: Vec<Value> = conn.scalars(&text(&sql))?;
    let rows: Vec<T> = conn.scalars(&stmt)?;
    assert!(!rows.is_empty(), "no rows returned by {sql}");
    assert_eq!(found.len(), rows.len(), "{sql}");
    for r in &rows {
        assert!(
            outputs.contains(r),
            "{r:?} is not one of {outputs:?} ({sql})"
        );
    }
    let nulls: Vec<Option<T>> = conn.scalars(&select(t.c("x")).filter(t.c("x").is_null()))?;
    assert_eq!(nulls, [None]);
    Ok(())
}

/// The same as [`literal_round_trip`] for text values.
fn text_lit(engine: &Engine, ty: Type, data: &str) -> Result<()> {
    literal_round_trip(
        engine,
        ty,
        &[Value::from(data)],
        &[data.to_string()],
        None,
        true,
    )
}

const UNICODE: &str = "Alors vous imaginez ma 🐍 surprise, au lever du jour, quand une drôle de \
                       petite 🐍 voix m’a réveillé. Elle disait: « S’il vous plaît… dessine-moi \
                       🐍 un mouton! »";
const NON_ASCII: &str = "réve🐍 illé";

/// `unicode_table` (id INTEGER primary key, unicode_data of `ty`).
fn unicode_table(engine: &Engine, ty: Type) -> Result<Table> {
    let md = MetaData::new();
    let t = Table::build("unicode_table", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("unicode_data", ty))
        .finish()?;
    md.create_all(engine)?;
    Ok(t)
}

fn unicode_round_trip(engine: &Engine, ty: Type) -> Result<()> {
    let t = unicode_table(engine, ty)?;
    let mut conn = engine.connect()?;
    conn.execute_with(&t.insert(), &row! { "id" => 1, "unicode_data" => UNICODE })?;
    let got: Vec<String> = conn.scalars(&select(t.c("unicode_data")))?;
    assert_eq!(got, [UNICODE]);
    Ok(())
}

fn unicode_round_trip_executemany(engine: &Engine, ty: Type) -> Result<()> {
    let t = unicode_table(engine, ty)?;
    let mut conn = engine.connect()?;
    conn.execute_many(
        &t.insert(),
        (1..4).map(|i| row! { "id" => i, "unicode_data" => UNICODE }),
    )?;
    let got: Vec<String> = conn.scalars(&select(t.c("unicode_data")).order_by(t.c("id")))?;
    assert_eq!(got, [UNICODE; 3]);
    Ok(())
}

/// Inserts `value` and reads it back unchanged (`""` stays `""`, NULL stays NULL).
fn unicode_one(engine: &Engine, ty: Type, value: Option<&str>) -> Result<()> {
    let t = unicode_table(engine, ty)?;
    let mut conn = engine.connect()?;
    conn.execute_with(&t.insert(), &row! { "id" => 1, "unicode_data" => value })?;
    let got: Vec<Option<String>> = conn.scalars(&select(t.c("unicode_data")))?;
    assert_eq!(got, [value.map(str::to_string)]);
    Ok(())
}

macro_rules! unicode_tests {
    ($class:literal, $ty:expr, $req:expr, ($empty:literal, $empty_req:expr), $null:literal,
     [$rt:ident, $rtm:ident, $lit:ident, $lit_na:ident, $empty_fn:ident, $null_fn:ident]) => {
        #[test]
        fn $rt() {
            run(at($class, "test_round_trip"), $req, |_, e| {
                unicode_round_trip(e, $ty)
            });
        }
        #[test]
        fn $rtm() {
            run(at($class, "test_round_trip_executemany"), $req, |_, e| {
                unicode_round_trip_executemany(e, $ty)
            });
        }
        #[test]
        fn $lit() {
            run(at($class, "test_literal"), $req, |_, e| {
                text_lit(e, $ty, UNICODE)
            });
        }
        #[test]
        fn $lit_na() {
            run(at($class, "test_literal_non_ascii"), $req, |_, e| {
                text_lit(e, $ty, NON_ASCII)
            });
        }
        #[test]
        fn $empty_fn() {
            run(at($class, $empty), $empty_req, |_, e| {
                unicode_one(e, $ty, Some(""))
            });
        }
        #[test]
        fn $null_fn() {
            run(at($class, $null), $req, |_, e| unicode_one(e, $ty, None));
        }
    };
}

unicode_tests!(
    "UnicodeVarcharTest",
    Type::Unicode(Some(255)),
    &[Flag::UnicodeData],
    (
        "test_empty_strings_varchar",
        &[Flag::UnicodeData, Flag::EmptyStringsVarchar]
    ),
    "test_null_strings_varchar",
    [
        unicode_varchar_round_trip,
        unicode_varchar_round_trip_executemany,
        unicode_varchar_literal,
        unicode_varchar_literal_non_ascii,
        unicode_varchar_empty_strings,
        unicode_varchar_null_strings
    ]
);

unicode_tests!(
    "UnicodeTextTest",
    Type::UnicodeText,
    &[Flag::UnicodeData, Flag::TextType],
    (
        "test_empty_strings_text",
        &[Flag::UnicodeData, Flag::TextType, Flag::EmptyStringsText]
    ),
    "test_null_strings_text",
    [
        unicode_text_round_trip,
        unicode_text_round_trip_executemany,
        unicode_text_literal,
        unicode_text_literal_non_ascii,
        unicode_text_empty_strings,
        unicode_text_null_strings
    ]
);

const BINARY: &str = "BinaryTest";

#[test]
fn binary_roundtrip() {
    run(
        at(BINARY, "test_binary_roundtrip"),
        &[Flag::BinaryLiterals],
        |_, engine| {
            for data in [&b"this is binary"[..], &b"7\xe7\x9f"[..]] {
                let md = MetaData::new();
                let t = Table::build("binary_table", &md)
                    .column(Column::new("id", Type::Integer).primary_key())
                    .column(Column::new("binary_data", Type::LargeBinary))
                    .finish()?;
                md.create_all(engine)?;
                let mut conn = engine.connect()?;
                conn.execute_with(
                    &t.insert(),
                    &row! { "id" => 1, "binary_data" => data.to_vec() },
                )?;
                let got: Vec<Vec<u8>> = conn.scalars(&select(t.c("binary_data")))?;
                assert_eq!(got, [data.to_vec()], "{data:?}");
                md.drop_all(engine)?;
            }
            Ok(())
        },
    );
}

const TEXT: &str = "TextTest";

fn text_one(engine: &Engine, value: Option<&str>) -> Result<()> {
    let md = MetaData::new();
    let t = Table::build("text_table", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("text_data", Type::Text))
        .finish()?;
    md.create_all(engine)?;
    let mut conn = engine.connect()?;
    conn.execute_with(&t.insert(), &row! { "id" => 1, "text_data" => value })?;
    let got: Vec<Option<String>> = conn.scalars(&select(t.c("text_data")))?;
    assert_eq!(got, [value.map(str::to_string)]);
    Ok(())
}

#[test]
fn text_roundtrip() {
    run(
        at(TEXT, "test_text_roundtrip"),
        &[Flag::TextType],
        |_, e| text_one(e, Some("some text")),
    );
}

#[test]
fn text_empty_strings() {
    run(
        at(TEXT, "test_text_empty_strings"),
        &[Flag::TextType, Flag::EmptyStringsText],
        |_, e| text_one(e, Some("")),
    );
}

#[test]
fn text_null_strings() {
    run(
        at(TEXT, "test_text_null_strings"),
        &[Flag::TextType],
        |_, e| text_one(e, None),
    );
}

const QUOTING: &str = "some 'text' hey \"hi there\" that's text";
const BACKSLASHES: &str = r"backslash one \ backslash two \\ end";

#[test]
fn text_literal() {
    run(at(TEXT, "test_literal"), &[Flag::TextType], |_, e| {
        text_lit(e, Type::Text, "some text")
    });
}

#[test]
fn text_literal_non_ascii() {
    run(
        at(TEXT, "test_literal_non_ascii"),
        &[Flag::TextType, Flag::UnicodeDataNoSpecialTypes],
        |_, e| text_lit(e, Type::Text, NON_ASCII),
    );
}

#[test]
fn text_literal_quoting() {
    run(
        at(TEXT, "test_literal_quoting"),
        &[Flag::TextType],
        |_, e| text_lit(e, Type::Text, QUOTING),
    );
}

#[test]
fn text_literal_backslashes() {
    run(
        at(TEXT, "test_literal_backslashes"),
        &[Flag::TextType],
        |_, e| text_lit(e, Type::Text, BACKSLASHES),
    );
}

#[test]
fn text_literal_percentsigns() {
    run(
        at(TEXT, "test_literal_percentsigns"),
        &[Flag::TextType],
        |_, e| text_lit(e, Type::Text, r"percent % signs %% percent"),
    );
}

const STRING: &str = "StringTest";

#[test]
fn string_nolength_string() {
    run(
        at(STRING, "test_nolength_string"),
        &[Flag::UnboundedVarchar],
        |_, engine| {
            let md = MetaData::new();
            Table::build("foo", &md)
                .column(Column::new("one", Type::String(None)))
                .finish()?;
            md.create_all(engine)?;
            md.drop_all(engine)?;
            Ok(())
        },
    );
}

#[test]
fn string_literal() {
    run(at(STRING, "test_literal"), &[], |_, e| {
        text_lit(e, Type::String(Some(40)), "some text")
    });
}

#[test]
fn string_literal_non_ascii() {
    run(
        at(STRING, "test_literal_non_ascii"),
        &[Flag::UnicodeDataNoSpecialTypes],
        |_, e| text_lit(e, Type::String(Some(40)), NON_ASCII),
    );
}

#[test]
fn string_dont_truncate_rightside() {
    run(
        at(STRING, "test_dont_truncate_rightside"),
        &[],
        |_, engine| {
            let cases: [(&str, &[&str]); 3] =
                [("%B%", &["AB", "BC"]), ("A%C", &["AC"]), ("A%C%Z", &[])];
            for (pattern, expected) in cases {
                let md = MetaData::new();
                let t = Table::build("t", &md)
                    .column(Column::new("x", Type::String(Some(2))))
                    .finish()?;
                md.create_all(engine)?;
                let mut conn = engine.connect()?;
                conn.execute_many(&t.insert(), ["AB", "BC", "AC"].map(|x| row! { "x" => x }))?;
                let got: Vec<String> = conn.scalars(
                    &select(t.c("x"))
                        .filter(t.c("x").like(pattern))
                        .order_by(t.c("x")),
                )?;
                assert_eq!(got, expected, "{pattern}");
                drop(conn);
                md.drop_all(engine)?;
            }
            Ok(())
        },
    );
}

#[test]
fn string_literal_quoting() {
    run(at(STRING, "test_literal_quoting"), &[], |_, e| {
        text_lit(e, Type::String(Some(40)), QUOTING)
    });
}

#[test]
fn string_literal_backslashes() {
    run(at(STRING, "test_literal_backslashes"), &[], |_, e| {
        text_lit(e, Type::String(Some(40)), BACKSLASHES)
    });
}

#[test]
fn string_concatenate_binary() {
    run(at(STRING, "test_concatenate_binary"), &[], |_, engine| {
        let got: String = engine.connect()?.scalar(&select(literal("a") + "b"))?;
        assert_eq!(got, "ab");
        Ok(())
    });
}

#[test]
fn string_concatenate_clauselist() {
    run(
        at(STRING, "test_concatenate_clauselist"),
        &[],
        |_, engine| {
            let got: String = engine
                .connect()?
                .scalar(&select(literal("a") + "b" + "c" + "d" + "e"))?;
            assert_eq!(got, "abcde");
            Ok(())
        },
    );
}

const INTEGER: &str = "IntegerTest";

const HUGE_INTS: [i64; 11] = [
    2147483649,
    2147483648,
    2147483647,
    2147483646,
    -2147483649,
    -2147483648,
    -2147483647,
    -2147483646,
    0,
    1376537018368127,
    -1376537018368127,
];

#[test]
fn integer_literal() {
    run(at(INTEGER, "test_literal"), &[], |_, e| {
        literal_round_trip(e, Type::Integer, &[Value::Int(5)], &[5_i64], None, true)
    });
}

#[test]
fn integer_huge_int_auto_accommodation() {
    run(
        at(INTEGER, "test_huge_int_auto_accommodation"),
        &[],
        |_, engine| {
            let mut conn = engine.connect()?;
            for v in HUGE_INTS {
                let got: i64 = conn.scalar(&select(literal(v)).filter(literal(v).eq(v)))?;
                assert_eq!(got, v);
            }
            Ok(())
        },
    );
}

#[test]
fn integer_huge_int() {
    run(at(INTEGER, "test_huge_int"), &[], |_, engine| {
        for v in HUGE_INTS {
            let md = MetaData::new();
            let t = Table::build("integer_table", &md)
                .column(Column::new("id", Type::Integer).primary_key())
                .column(Column::new("integer_data", Type::BigInteger))
                .finish()?;
            md.create_all(engine)?;
            let mut conn = engine.connect()?;
            conn.execute_with(&t.insert(), &row! { "id" => 1, "integer_data" => v })?;
            let got: Vec<i64> = conn.scalars(&select(t.c("integer_data")))?;
            assert_eq!(got, [v]);
            drop(conn);
            md.drop_all(engine)?;
        }
        Ok(())
    });
}

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

// SQLAlchemy's executemany with RETURNING runs as one multi-VALUES INSERT .. RETURNING
// ("insertmanyvalues"); Athanor's multi-row `values_many` is that statement.
#[test]
fn enum_round_trip_executemany_returning() {
    run(
        at(ENUM, "test_round_trip_executemany_returning"),
        &[Flag::InsertExecutemanyReturning],
        |_, engine| {
            let t = enum_table(engine)?;
            let mut conn = engine.connect()?;
            let stmt = t
                .insert()
                .values_many(MANY.map(|(id, s)| row! { "id" => id, "enum_data" => s }))
                .returning(t.c("enum_data"));
            let got: Vec<String> = conn.execute(&stmt)?.scalars()?;
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
