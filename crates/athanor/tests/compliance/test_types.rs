//! Ported from SQLAlchemy's `lib/sqlalchemy/testing/suite/test_types.py` (behaviour,
//! fixtures and assertions; not code): strings, unicode, text, binary, integers and a
//! type read and written through CASTs (`CastTypeDecoratorTest`) here;
//! division, booleans, enums and arrays in `test_types_scalars.rs`; dates and intervals in
//! `test_types_dates.rs`, numerics in `test_types_numeric.rs`, JSON in `test_types_json.rs`,
//! UUIDs in `test_types_uuid.rs`.
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
/// literal of `ty` (`literal(..).literal_execute()`: written into the SQL at execution), then
/// a NULL; the rows a WHERE comparing `x` with the literal `compare` (the first input by
/// default) finds (or, without `where_`, every non-NULL row) are each one of `outputs`; the
/// same SELECT compiled with literal binds and run as text finds as many; `x IS NULL` finds
/// the NULL row.
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
    let lit = |v: &Value| literal(v.clone()).type_coerce(ty.clone()).literal_execute();
    let mut conn = engine.connect()?;
    for v in inputs.iter().chain([&Value::Null]) {
        conn.execute(&t.insert().values(row! { "x" => lit(v) }))?;
    }
    let stmt = if where_ {
        let c = compare.unwrap_or_else(|| inputs[0].clone());
        select(t.c("x")).filter(t.c("x").eq(lit(&c)))
    } else {
        select(t.c("x")).filter(t.c("x").is_not_null())
    };
    // The statement finds the rows with its literal_execute values written in; the same
    // SELECT compiled with literal binds, run as text, finds as many.
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

const CAST_TYPE_DECORATOR: &str = "CastTypeDecoratorTest";

#[test]
fn cast_type_decorator_special_type() {
    run(
        at(CAST_TYPE_DECORATOR, "test_special_type"),
        &[],
        |_, engine| {
            use athanor::types::SqlWrap;
            // VARCHAR(50) in the database, integers in the program: read through
            // `CAST(x AS INTEGER)`, written and compared through `CAST(? AS VARCHAR(50))`.
            let string_as_int = Type::String(Some(50))
                .column_expression(SqlWrap::cast(Type::Integer))
                .bind_expression(SqlWrap::cast(Type::String(Some(50))));
            let md = MetaData::new();
            let t = Table::build("t", &md)
                .column(Column::new("x", string_as_int))
                .finish()?;
            md.create_all(engine)?;
            let mut conn = engine.connect()?;
            conn.execute_many(&t.insert(), [1, 2, 3].map(|x| row! { "x" => x }))?;
            let mut all: Vec<i64> = conn.scalars(&select(&t))?;
            all.sort_unstable();
            assert_eq!(all, [1, 2, 3]);
            let found: Vec<i64> = conn.scalars(&select(&t).filter(t.c("x").eq(2)))?;
            assert_eq!(found, [2]);
            Ok(())
        },
    );
}
