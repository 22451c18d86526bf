//! Ported from SQLAlchemy's `test_types.py`: `NumericTest`. SQLAlchemy's `asdecimal` flag
//! is which Rust type the test reads: `Decimal` (asdecimal) or `f64`.

use std::fmt::Debug;

use athanor::prelude::*;
use athanor::{Engine, Error, Result};
use rust_decimal::Decimal;

use super::harness::run;
use super::requirements::Flag;
use super::test_types::{at, literal_round_trip};

const CLASS: &str = "NumericTest";

fn dec(s: &str) -> Decimal {
    s.parse()
        .or_else(|_| Decimal::from_scientific(s))
        .unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn round(x: f64, places: i32) -> f64 {
    let k = 10f64.powi(places);
    (x * k).round() / k
}

/// Every item of `a` is in `b` and every item of `b` in `a` (SQLAlchemy compares sets).
fn same_set<T: PartialEq + Debug>(a: &[T], b: &[T], what: &str) {
    assert!(
        a.iter().all(|x| b.contains(x)) && b.iter().all(|x| a.contains(x)),
        "{what}: {a:?} != {b:?}"
    );
}

/// SQLAlchemy's `do_numeric_test`: the inputs inserted with executemany into `t.x` of `ty`
/// read back (each passed through `filter`) as the set `outputs` (with `check_scale`, their
/// texts too); then 2.9 stored and `x + 37.12`, given `ty`, computed by the database, is a
/// number: 40.02.
fn do_numeric_test<T>(
    engine: &Engine,
    ty: Type,
    inputs: &[Value],
    outputs: &[T],
    filter: fn(T) -> T,
    check_scale: bool,
) -> Result<()>
where
    T: FromValue + PartialEq + Debug + ToString + Clone,
{
    let md = MetaData::new();
    let t = Table::build("t", &md)
        .column(Column::new("x", ty.clone()))
        .finish()?;
    md.create_all(engine)?;
    let mut conn = engine.connect()?;
    conn.execute_many(
        &t.insert(),
        inputs.iter().map(|v| row! { "x" => v.clone() }),
    )?;
    let got: Vec<T> = conn.scalars(&select(t.c("x")))?;
    let got: Vec<T> = got.into_iter().map(filter).collect();
    let want: Vec<T> = outputs.iter().cloned().map(filter).collect();
    same_set(&got, &want, &format!("{ty}"));
    if check_scale {
        let mut a: Vec<String> = got.iter().map(T::to_string).collect();
        let mut b: Vec<String> = want.iter().map(T::to_string).collect();
        a.sort();
        a.dedup();
        b.sort();
        b.dedup();
        assert_eq!(a, b, "{ty}: scale");
    }
    conn.execute(&t.delete())?;
    conn.execute_with(&t.insert(), &row! { "x" => dec("2.9") })?;
    let sum: f64 = conn.scalar(&select((t.c("x") + dec("37.12")).type_coerce(ty.clone())))?;
    assert_eq!(round(sum, 3), 40.02, "{ty}: x + 37.12");
    Ok(())
}

/// The same for nullable reads (a NULL input reads back as `None`).
fn do_numeric_null<T: FromValue + PartialEq + Debug>(engine: &Engine, ty: Type) -> Result<()> {
    let md = MetaData::new();
    let t = Table::build("t_null", &md)
        .column(Column::new("x", ty))
        .finish()?;
    md.create_all(engine)?;
    let mut conn = engine.connect()?;
    conn.execute_many(&t.insert(), [row! { "x" => Value::Null }])?;
    let got: Vec<Option<T>> = conn.scalars(&select(t.c("x")))?;
    assert_eq!(got, [None]);
    Ok(())
}

fn numeric_8_4() -> Type {
    Type::Numeric(Some(8), Some(4))
}

fn both_15_7563() -> [Value; 2] {
    [Value::Float(15.7563), Value::from(dec("15.7563"))]
}

#[test]
fn render_literal_numeric() {
    run(at(CLASS, "test_render_literal_numeric"), &[], |_, e| {
        literal_round_trip(
            e,
            numeric_8_4(),
            &both_15_7563(),
            &[dec("15.7563")],
            None,
            true,
        )
    });
}

#[test]
fn render_literal_numeric_asfloat() {
    run(
        at(CLASS, "test_render_literal_numeric_asfloat"),
        &[],
        |_, e| {
            literal_round_trip(
                e,
                numeric_8_4(),
                &both_15_7563(),
                &[15.7563_f64],
                None,
                true,
            )
        },
    );
}

/// A float read back and rounded to 5 places (SQLAlchemy's filter).
#[derive(Debug, PartialEq)]
struct Rounded5(f64);

impl FromValue for Rounded5 {
    fn from_value(v: &Value) -> std::result::Result<Self, athanor::error::ConversionError> {
        f64::from_value(v).map(|x| Rounded5(round(x, 5)))
    }
}

#[test]
fn render_literal_float() {
    run(at(CLASS, "test_render_literal_float"), &[], |_, e| {
        literal_round_trip(
            e,
            Type::Float,
            &both_15_7563(),
            &[Rounded5(15.7563)],
            None,
            false,
        )
    });
}

#[test]
fn float_custom_scale() {
    run(
        at(CLASS, "test_float_custom_scale"),
        &[Flag::PrecisionGenericFloatType],
        |_, e| {
            do_numeric_test(
                e,
                Type::Float,
                &[Value::Float(15.7563827), Value::from(dec("15.7563827"))],
                &[dec("15.7563827")],
                |x| x,
                true,
            )
        },
    );
}

#[test]
fn numeric_as_decimal() {
    run(at(CLASS, "test_numeric_as_decimal"), &[], |_, e| {
        do_numeric_test(
            e,
            numeric_8_4(),
            &both_15_7563(),
            &[dec("15.7563")],
            |x| x,
            false,
        )
    });
}

#[test]
fn numeric_as_float() {
    run(at(CLASS, "test_numeric_as_float"), &[], |_, e| {
        do_numeric_test(
            e,
            numeric_8_4(),
            &both_15_7563(),
            &[15.7563_f64],
            |x| x,
            false,
        )
    });
}

#[test]
fn infinity_floats() {
    run(
        at(CLASS, "test_infinity_floats"),
        &[Flag::InfinityFloats],
        |_, e| {
            do_numeric_test(
                e,
                Type::Float,
                &[Value::Float(f64::INFINITY)],
                &[f64::INFINITY],
                |x| x,
                false,
            )
        },
    );
}

#[test]
fn numeric_null_as_decimal() {
    run(
        at(CLASS, "test_numeric_null_as_decimal"),
        &[Flag::FetchNullFromNumeric],
        |_, e| do_numeric_null::<Decimal>(e, numeric_8_4()),
    );
}

#[test]
fn numeric_null_as_float() {
    run(
        at(CLASS, "test_numeric_null_as_float"),
        &[Flag::FetchNullFromNumeric],
        |_, e| do_numeric_null::<f64>(e, numeric_8_4()),
    );
}

#[test]
fn float_as_decimal() {
    run(
        at(CLASS, "test_float_as_decimal"),
        &[Flag::FloatsToFourDecimals],
        |_, e| {
            do_numeric_test(
                e,
                Type::Float,
                &[Value::Float(15.756), Value::from(dec("15.756"))],
                &[dec("15.756")],
                |x: Decimal| x.round_dp(4),
                false,
            )?;
            do_numeric_null::<Decimal>(e, Type::Float)
        },
    );
}

#[test]
fn float_as_float() {
    run(at(CLASS, "test_float_as_float"), &[], |_, e| {
        do_numeric_test(
            e,
            Type::Float,
            &[Value::Float(15.756), Value::from(dec("15.756"))],
            &[15.756_f64],
            |x| round(x, 5),
            false,
        )
    });
}

#[test]
fn float_coerce_round_trip() {
    run(
        at(CLASS, "test_float_coerce_round_trip"),
        &[Flag::LiteralFloatCoercion],
        |_, engine| {
            let got: f64 = engine.connect()?.scalar(&select(literal(15.7563)))?;
            assert_eq!(got, 15.7563);
            Ok(())
        },
    );
}

#[test]
fn decimal_coerce_round_trip() {
    run(
        at(CLASS, "test_decimal_coerce_round_trip"),
        &[Flag::ImplicitDecimalBinds],
        |_, engine| {
            let got: Decimal = engine.connect()?.scalar(&select(literal(dec("15.7563"))))?;
            assert_eq!(got, dec("15.7563"));
            Ok(())
        },
    );
}

#[test]
fn decimal_coerce_round_trip_w_cast() {
    run(
        at(CLASS, "test_decimal_coerce_round_trip_w_cast"),
        &[],
        |_, engine| {
            let got: Decimal = engine.connect()?.scalar(&select(cast(
                literal(dec("15.7563")),
                Type::Numeric(Some(10), Some(4)),
            )))?;
            assert_eq!(got, dec("15.7563"));
            Ok(())
        },
    );
}

/// `do_numeric_test` with these decimals in and out, as decimals.
fn decimals(engine: &Engine, ty: Type, numbers: &[&str]) -> Result<()> {
    let ds: Vec<Decimal> = numbers.iter().map(|s| dec(s)).collect();
    let values: Vec<Value> = ds.iter().map(|d| Value::from(*d)).collect();
    do_numeric_test(engine, ty, &values, &ds, |x| x, false)
}

#[test]
fn precision_decimal() {
    run(
        at(CLASS, "test_precision_decimal"),
        &[Flag::PrecisionNumericsGeneral],
        |_, e| {
            decimals(
                e,
                Type::Numeric(Some(18), Some(12)),
                &["54.234246451650", "0.004354", "900.0"],
            )
        },
    );
}

#[test]
fn enotation_decimal() {
    run(
        at(CLASS, "test_enotation_decimal"),
        &[Flag::PrecisionNumericsEnotationLarge],
        |_, e| {
            decimals(
                e,
                Type::Numeric(Some(18), Some(14)),
                &[
                    "1E-2",
                    "1E-3",
                    "1E-4",
                    "1E-5",
                    "1E-6",
                    "1E-7",
                    "1E-8",
                    "0.01000005940696",
                    "0.00000005940696",
                    "0.00000000000696",
                    "0.70000000000696",
                    "696E-12",
                ],
            )
        },
    );
}

#[test]
fn enotation_decimal_large() {
    run(
        at(CLASS, "test_enotation_decimal_large"),
        &[Flag::PrecisionNumericsEnotationLarge],
        |_, e| {
            decimals(
                e,
                Type::Numeric(Some(25), Some(2)),
                &["4E+8", "5748E+15", "1.521E+15", "00000000000000.1E+12"],
            )
        },
    );
}

#[test]
fn many_significant_digits() {
    run(
        at(CLASS, "test_many_significant_digits"),
        &[Flag::PrecisionNumericsManySignificantDigits],
        |_, e| {
            decimals(
                e,
                Type::Numeric(Some(38), Some(12)),
                &[
                    "31943874831932418390.01",
                    "319438950232418390.273596",
                    "87673.594069654243",
                ],
            )
        },
    );
}

/// The decimals as text, so the scale counts (`Decimal` equality ignores it: 1 == 1.000).
fn texts(ds: &[Decimal]) -> Vec<String> {
    ds.iter().map(Decimal::to_string).collect()
}

// `do_numeric_test(Numeric(5, 3), {1.000}, check_scale=True)`: a `Numeric(5, 3)` value 1.000
// comes back as the decimal 1.000, scale kept, though SQLite stores it as the integer 1. Read
// too every way a column's type reaches a result (a subquery, a label, a UNION, a literal
// given the type, a CAST).
#[test]
fn numeric_no_decimal() {
    run(
        at(CLASS, "test_numeric_no_decimal"),
        &[Flag::PrecisionNumericsRetainsSignificantDigits],
        |_, engine| {
            let ty = Type::Numeric(Some(5), Some(3));
            do_numeric_test(
                engine,
                ty.clone(),
                &[Value::from(dec("1.000"))],
                &[dec("1.000")],
                |x| x,
                true,
            )?;
            let md = MetaData::new();
            let t = Table::build("t2", &md)
                .column(Column::new("x", ty.clone()))
                .finish()?;
            md.create_all(engine)?;
            let mut conn = engine.connect()?;
            conn.execute_many(&t.insert(), [row! { "x" => dec("1.000") }])?;
            conn.execute_with(&t.insert(), &row! { "x" => dec("1.000") })?;
            conn.execute(&t.insert().values(row! { "x" => 1 }))?;
            let want = ["1.000", "1.000", "1.000"];
            let all: Vec<Decimal> = conn.scalars(&select(&t))?;
            assert_eq!(texts(&all), want);
            let col: Vec<Decimal> = conn.scalars(&select(t.c("x")))?;
            assert_eq!(texts(&col), want);
            let sq = select(&t).subquery("sq");
            let sub: Vec<Decimal> = conn.scalars(&select(sq.c("x")))?;
            assert_eq!(texts(&sub), want);
            let label: Vec<Decimal> = conn.scalars(&select(t.c("x").label("y")))?;
            assert_eq!(texts(&label), want);
            let union: Vec<Decimal> = conn.scalars(&union_all([select(&t), select(&t)]))?;
            assert_eq!(texts(&union), [want, want].concat());
            let lit: Decimal =
                conn.scalar(&select(literal(dec("1.000")).type_coerce(ty.clone())))?;
            assert_eq!(lit.to_string(), "1.000");
            let cast_: Decimal = conn.scalar(&select(cast(literal(dec("1")), ty)))?;
            assert_eq!(cast_.to_string(), "1.000");
            Ok(())
        },
    );
}

#[test]
fn float_is_not_numeric() {
    run(
        at(CLASS, "test_float_is_not_numeric"),
        &[Flag::FloatIsNumeric],
        |_, engine| {
            let d = engine.dialect();
            let numeric = d.type_name(&Type::Numeric(None, None))?;
            for ty in [Type::Float, Type::Double] {
                let name = d.type_name(&ty)?;
                if name == numeric {
                    return Err(Error::Argument(format!("{ty} is named {name}, as NUMERIC")));
                }
            }
            Ok(())
        },
    );
}
