//! Ported from SQLAlchemy's `test_select.py`, class `ExpandingBoundInTest`: IN over lists
//! given now or at execution (`bindparam_expanding`), empty lists, and tuple IN; and class
//! `PostCompileParamsTest`: parameters written into the SQL at execution (`literal_execute`).

use athanor::compiler::{CompileOptions, compile};
use athanor::prelude::*;
use athanor::sql::Select;
use athanor::{Engine, Result};

use super::harness::run;
use super::requirements::Flag;
use super::test_select::{origin, some_table};

const CLASS: &str = "ExpandingBoundInTest";

/// The class's `some_table`: (id, x, y, z) rows 1-4, `z` = "z1".."z4".
fn fixture(engine: &Engine) -> Result<Table> {
    let rows = (1..=4i64)
        .map(|i| {
            vec![
                Value::Int(i),
                Value::Int(i),
                Value::Int(i + 1),
                Value::from(format!("z{i}")),
            ]
        })
        .collect::<Vec<_>>();
    some_table(
        engine,
        &[
            ("x", Type::Integer),
            ("y", Type::Integer),
            ("z", Type::String(Some(50))),
        ],
        &rows,
    )
}

/// `SELECT id FROM some_table WHERE cond ORDER BY id`, run with `params`.
fn ids(engine: &Engine, t: &Table, cond: Expr, params: &Values) -> Result<Vec<i64>> {
    let stmt = select(t.c("id")).filter(cond).order_by(t.c("id"));
    let rows: Vec<(i64,)> = engine.connect()?.tuples_with(&stmt, params)?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

const NONE: &[i64] = &[];
const ALL: &[i64] = &[1, 2, 3, 4];

fn no_params() -> Values {
    Values::new()
}

fn empty_ints() -> Vec<i64> {
    Vec::new()
}

#[test]
fn expanding_multiple_empty_sets_bindparam() {
    run(
        origin(CLASS, "test_multiple_empty_sets_bindparam"),
        &[],
        |_, engine| {
            let t = fixture(engine)?;
            let cond =
                t.c("x").in_(bindparam_expanding("q")) & t.c("y").in_(bindparam_expanding("p"));
            let params = row! { "q" => empty_ints(), "p" => empty_ints() };
            assert_eq!(ids(engine, &t, cond.clone(), &params)?, NONE);
            // The same statement with lists in them.
            let params = row! { "q" => vec![1, 2, 3], "p" => vec![3, 4] };
            assert_eq!(ids(engine, &t, cond, &params)?, [2, 3]);
            Ok(())
        },
    );
}

#[test]
fn expanding_multiple_empty_sets_direct() {
    run(
        origin(CLASS, "test_multiple_empty_sets_direct"),
        &[],
        |_, engine| {
            let t = fixture(engine)?;
            let cond = t.c("x").in_(empty_ints()) & t.c("y").in_(empty_ints());
            assert_eq!(ids(engine, &t, cond, &no_params())?, NONE);
            Ok(())
        },
    );
}

#[test]
fn expanding_empty_heterogeneous_tuples_direct() {
    run(
        origin(CLASS, "test_empty_heterogeneous_tuples_direct"),
        &[Flag::TupleInWithEmpty],
        |_, engine| {
            let t = fixture(engine)?;
            let go = |items: Vec<(i64, &str)>| {
                ids(
                    engine,
                    &t,
                    tuple_([t.c("x"), t.c("z")]).in_(items),
                    &no_params(),
                )
            };
            assert_eq!(go(vec![])?, NONE);
            assert_eq!(go(vec![(2, "z2"), (3, "z3"), (4, "z4")])?, [2, 3, 4]);
            assert_eq!(go(vec![])?, NONE);
            Ok(())
        },
    );
}

#[test]
fn expanding_empty_homogeneous_tuples_direct() {
    run(
        origin(CLASS, "test_empty_homogeneous_tuples_direct"),
        &[Flag::TupleInWithEmpty],
        |_, engine| {
            let t = fixture(engine)?;
            let go = |items: Vec<(i64, i64)>| {
                ids(
                    engine,
                    &t,
                    tuple_([t.c("x"), t.c("y")]).in_(items),
                    &no_params(),
                )
            };
            assert_eq!(go(vec![])?, NONE);
            assert_eq!(go(vec![(1, 2), (2, 3), (3, 4)])?, [1, 2, 3]);
            assert_eq!(go(vec![])?, NONE);
            Ok(())
        },
    );
}

#[test]
fn expanding_bound_in_scalar_bindparam() {
    run(
        origin(CLASS, "test_bound_in_scalar_bindparam"),
        &[],
        |_, engine| {
            let t = fixture(engine)?;
            let cond = t.c("x").in_(bindparam_expanding("q"));
            let got = ids(engine, &t, cond.clone(), &row! { "q" => vec![2, 3, 4] })?;
            assert_eq!(got, [2, 3, 4]);
            // Another length, same statement.
            assert_eq!(
                ids(engine, &t, cond.clone(), &row! { "q" => vec![1] })?,
                [1]
            );
            // A single value where a list belongs, and no value at all: the usual errors.
            let err = ids(engine, &t, cond.clone(), &row! { "q" => 2 }).unwrap_err();
            assert!(
                matches!(&err, athanor::Error::InvalidRequest(m)
                    if m == "bind parameter 'q' is an expanding IN list: give it a list (a Vec), not 2"),
                "{err:?}"
            );
            let err = ids(engine, &t, cond, &no_params()).unwrap_err();
            assert!(
                matches!(&err, athanor::Error::InvalidRequest(m)
                    if m == "a value is required for bind parameter 'q'"),
                "{err:?}"
            );
            Ok(())
        },
    );
}

#[test]
fn expanding_bound_in_scalar_direct() {
    run(
        origin(CLASS, "test_bound_in_scalar_direct"),
        &[],
        |_, engine| {
            let t = fixture(engine)?;
            let got = ids(engine, &t, t.c("x").in_([2, 3, 4]), &no_params())?;
            assert_eq!(got, [2, 3, 4]);
            Ok(())
        },
    );
}

#[test]
fn expanding_nonempty_in_plus_empty_notin() {
    run(
        origin(CLASS, "test_nonempty_in_plus_empty_notin"),
        &[],
        |_, engine| {
            let t = fixture(engine)?;
            let cond = t.c("x").in_([2, 3]) & t.c("id").not_in(empty_ints());
            assert_eq!(ids(engine, &t, cond, &no_params())?, [2, 3]);
            Ok(())
        },
    );
}

#[test]
fn expanding_empty_in_plus_notempty_notin() {
    run(
        origin(CLASS, "test_empty_in_plus_notempty_notin"),
        &[],
        |_, engine| {
            let t = fixture(engine)?;
            let cond = t.c("x").in_(empty_ints()) & t.c("id").not_in([2, 3]);
            assert_eq!(ids(engine, &t, cond, &no_params())?, NONE);
            Ok(())
        },
    );
}

#[test]
fn expanding_bound_in_two_tuple_direct() {
    run(
        origin(CLASS, "test_bound_in_two_tuple_direct"),
        &[Flag::TupleIn],
        |_, engine| {
            let t = fixture(engine)?;
            let cond = tuple_([t.c("x"), t.c("y")]).in_([(2, 3), (3, 4), (4, 5)]);
            assert_eq!(ids(engine, &t, cond, &no_params())?, [2, 3, 4]);
            Ok(())
        },
    );
}

#[test]
fn expanding_bound_in_heterogeneous_two_tuple_direct() {
    run(
        origin(CLASS, "test_bound_in_heterogeneous_two_tuple_direct"),
        &[Flag::TupleIn],
        |_, engine| {
            let t = fixture(engine)?;
            let cond = tuple_([t.c("x"), t.c("z")]).in_([(2, "z2"), (3, "z3"), (4, "z4")]);
            assert_eq!(ids(engine, &t, cond, &no_params())?, [2, 3, 4]);
            Ok(())
        },
    );
}

/// The eight `test_empty_set_against_*` tests: column `col`, IN or NOT IN, an empty list
/// given now (`direct`) or at execution (`bindparam`).
fn empty_set_against(engine: &Engine, col: &str, negated: bool, direct: bool) -> Result<()> {
    let t = fixture(engine)?;
    let want = if negated { ALL } else { NONE };
    let (cond, params) = match (direct, col) {
        (true, "x") => (in_or_not(t.c(col), empty_ints(), negated), no_params()),
        (true, _) => (
            in_or_not(t.c(col), Vec::<String>::new(), negated),
            no_params(),
        ),
        (false, "x") => (
            in_or_not(t.c(col), bindparam_expanding("q"), negated),
            row! { "q" => empty_ints() },
        ),
        (false, _) => (
            in_or_not(t.c(col), bindparam_expanding("q"), negated),
            row! { "q" => Vec::<String>::new() },
        ),
    };
    assert_eq!(
        ids(engine, &t, cond, &params)?,
        want,
        "{col} negated={negated}"
    );
    Ok(())
}

fn in_or_not(c: Expr, values: impl athanor::sql::IntoInValues, negated: bool) -> Expr {
    if negated {
        c.not_in(values)
    } else {
        c.in_(values)
    }
}

#[test]
fn expanding_empty_set_against_integer_bindparam() {
    run(
        origin(CLASS, "test_empty_set_against_integer_bindparam"),
        &[],
        |_, e| empty_set_against(e, "x", false, false),
    );
}

#[test]
fn expanding_empty_set_against_integer_direct() {
    run(
        origin(CLASS, "test_empty_set_against_integer_direct"),
        &[],
        |_, e| empty_set_against(e, "x", false, true),
    );
}

#[test]
fn expanding_empty_set_against_integer_negation_bindparam() {
    run(
        origin(CLASS, "test_empty_set_against_integer_negation_bindparam"),
        &[],
        |_, e| empty_set_against(e, "x", true, false),
    );
}

#[test]
fn expanding_empty_set_against_integer_negation_direct() {
    run(
        origin(CLASS, "test_empty_set_against_integer_negation_direct"),
        &[],
        |_, e| empty_set_against(e, "x", true, true),
    );
}

#[test]
fn expanding_empty_set_against_string_bindparam() {
    run(
        origin(CLASS, "test_empty_set_against_string_bindparam"),
        &[],
        |_, e| empty_set_against(e, "z", false, false),
    );
}

#[test]
fn expanding_empty_set_against_string_direct() {
    run(
        origin(CLASS, "test_empty_set_against_string_direct"),
        &[],
        |_, e| empty_set_against(e, "z", false, true),
    );
}

#[test]
fn expanding_empty_set_against_string_negation_bindparam() {
    run(
        origin(CLASS, "test_empty_set_against_string_negation_bindparam"),
        &[],
        |_, e| empty_set_against(e, "z", true, false),
    );
}

#[test]
fn expanding_empty_set_against_string_negation_direct() {
    run(
        origin(CLASS, "test_empty_set_against_string_negation_direct"),
        &[],
        |_, e| empty_set_against(e, "z", true, true),
    );
}

/// `CASE WHEN NULL IN (<empty>) THEN true ELSE false END`: false (or 0), not NULL.
fn null_in_empty_set(engine: &Engine, cond: Expr, params: &Values) -> Result<()> {
    let stmt = select(case([(cond, true_())]).else_(false_()).label("r"));
    let got: Vec<(bool,)> = engine.connect()?.tuples_with(&stmt, params)?;
    assert_eq!(got, [(false,)]);
    Ok(())
}

#[test]
fn expanding_null_in_empty_set_is_false_bindparam() {
    run(
        origin(CLASS, "test_null_in_empty_set_is_false_bindparam"),
        &[],
        |_, engine| {
            let cond = null().in_(bindparam_expanding("foo"));
            null_in_empty_set(engine, cond, &row! { "foo" => empty_ints() })
        },
    );
}

#[test]
fn expanding_null_in_empty_set_is_false_direct() {
    run(
        origin(CLASS, "test_null_in_empty_set_is_false_direct"),
        &[],
        |_, engine| null_in_empty_set(engine, null().in_(empty_ints()), &no_params()),
    );
}

#[test]
fn expanding_empty_heterogeneous_tuples_bindparam() {
    run(
        origin(CLASS, "test_empty_heterogeneous_tuples_bindparam"),
        &[Flag::TupleInWithEmpty],
        |_, engine| {
            let t = fixture(engine)?;
            let cond = tuple_([t.c("x"), t.c("z")]).in_(bindparam_expanding("q"));
            let params = row! { "q" => Vec::<(i64, String)>::new() };
            assert_eq!(ids(engine, &t, cond, &params)?, NONE);
            Ok(())
        },
    );
}

#[test]
fn expanding_empty_homogeneous_tuples_bindparam() {
    run(
        origin(CLASS, "test_empty_homogeneous_tuples_bindparam"),
        &[Flag::TupleInWithEmpty],
        |_, engine| {
            let t = fixture(engine)?;
            let cond = tuple_([t.c("x"), t.c("y")]).in_(bindparam_expanding("q"));
            let params = row! { "q" => Vec::<(i64, i64)>::new() };
            assert_eq!(ids(engine, &t, cond, &params)?, NONE);
            Ok(())
        },
    );
}

#[test]
fn expanding_bound_in_two_tuple_bindparam() {
    run(
        origin(CLASS, "test_bound_in_two_tuple_bindparam"),
        &[Flag::TupleIn],
        |_, engine| {
            let t = fixture(engine)?;
            let cond = tuple_([t.c("x"), t.c("y")]).in_(bindparam_expanding("q"));
            let params = row! { "q" => vec![(2, 3), (3, 4), (4, 5)] };
            assert_eq!(ids(engine, &t, cond.clone(), &params)?, [2, 3, 4]);
            // Items of another length than the tuple's: an error, not SQL the database
            // reads differently.
            let params = row! { "q" => vec![(2, 3, 4)] };
            let err = ids(engine, &t, cond, &params).unwrap_err();
            assert!(
                matches!(&err, athanor::Error::InvalidRequest(m)
                    if m == "bind parameter 'q' is compared with a tuple of 2: give each item \
                             as a tuple of 2 values, not 3"),
                "{err:?}"
            );
            Ok(())
        },
    );
}

#[test]
fn expanding_bound_in_heterogeneous_two_tuple_bindparam() {
    run(
        origin(CLASS, "test_bound_in_heterogeneous_two_tuple_bindparam"),
        &[Flag::TupleIn],
        |_, engine| {
            let t = fixture(engine)?;
            let cond = tuple_([t.c("x"), t.c("z")]).in_(bindparam_expanding("q"));
            let params = row! { "q" => vec![(2, "z2"), (3, "z3"), (4, "z4")] };
            assert_eq!(ids(engine, &t, cond, &params)?, [2, 3, 4]);
            Ok(())
        },
    );
}

/// `text()` with `:q` an expanding list, run with `q` (on the fixture's table).
fn text_ids(engine: &Engine, sql: &str, q: Value) -> Result<Vec<i64>> {
    let stmt = text(sql).expanding("q");
    let rows: Vec<(i64,)> = engine.connect()?.tuples_with(&stmt, &row! { "q" => q })?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

const Z_IN: &str = "select id FROM some_table WHERE z IN :q ORDER BY id";
const XZ_IN: &str = "select id FROM some_table WHERE (x, z) IN :q ORDER BY id";

#[test]
fn expanding_typed_str_in() {
    run(origin(CLASS, "test_typed_str_in"), &[], |_, engine| {
        fixture(engine)?;
        // SQLAlchemy's `bindparam("q", type_=String, expanding=True)`: the items' type is
        // their own here.
        let got = text_ids(engine, Z_IN, Value::from(vec!["z2", "z3", "z4"]))?;
        assert_eq!(got, [2, 3, 4]);
        Ok(())
    });
}

#[test]
fn expanding_untyped_str_in() {
    run(origin(CLASS, "test_untyped_str_in"), &[], |_, engine| {
        fixture(engine)?;
        // Strings are items, not sequences of characters (tuples).
        let got = text_ids(engine, Z_IN, Value::from(vec!["z2", "z3", "z4"]))?;
        assert_eq!(got, [2, 3, 4]);
        Ok(())
    });
}

#[test]
fn expanding_bound_in_heterogeneous_two_tuple_text_bindparam() {
    run(
        origin(
            CLASS,
            "test_bound_in_heterogeneous_two_tuple_text_bindparam",
        ),
        &[Flag::TupleIn],
        |_, engine| {
            fixture(engine)?;
            let q = Value::from(vec![(2, "z2"), (3, "z3"), (4, "z4")]);
            assert_eq!(text_ids(engine, XZ_IN, q)?, [2, 3, 4]);
            Ok(())
        },
    );
}

/// The suite's `LikeATuple`, a sequence that is not a Python tuple: here, each item built as
/// a `Value::Array` by hand.
fn like_a_tuple_items() -> Value {
    Value::Array(
        [(2, "z2"), (3, "z3"), (4, "z4")]
            .into_iter()
            .map(|(x, z)| Value::Array(vec![Value::Int(x), Value::from(z)]))
            .collect(),
    )
}

#[test]
fn expanding_bound_in_heterogeneous_two_tuple_typed_bindparam_non_tuple() {
    run(
        origin(
            CLASS,
            "test_bound_in_heterogeneous_two_tuple_typed_bindparam_non_tuple",
        ),
        &[Flag::TupleIn],
        |_, engine| {
            fixture(engine)?;
            assert_eq!(text_ids(engine, XZ_IN, like_a_tuple_items())?, [2, 3, 4]);
            Ok(())
        },
    );
}

#[test]
fn expanding_bound_in_heterogeneous_two_tuple_text_bindparam_non_tuple() {
    run(
        origin(
            CLASS,
            "test_bound_in_heterogeneous_two_tuple_text_bindparam_non_tuple",
        ),
        &[Flag::TupleIn],
        |_, engine| {
            fixture(engine)?;
            assert_eq!(text_ids(engine, XZ_IN, like_a_tuple_items())?, [2, 3, 4]);
            // Items of different lengths are refused before anything is sent.
            let mixed = Value::Array(vec![
                Value::Array(vec![Value::Int(2), Value::from("z2")]),
                Value::Array(vec![Value::Int(3)]),
            ]);
            let err = text_ids(engine, XZ_IN, mixed).unwrap_err();
            assert!(
                matches!(&err, athanor::Error::InvalidRequest(m)
                    if m.starts_with("bind parameter 'q' is a list of tuples whose items differ")),
                "{err:?}"
            );
            Ok(())
        },
    );
}

// ---- PostCompileParamsTest ----

/// The SQL a statement is executed with for `q` (what the engine sends: `literal_execute`
/// values written in) and the parameters sent with it.
fn sent(engine: &Engine, stmt: &Select, q: &Value) -> Result<(String, usize)> {
    let compiled = compile(stmt.statement(), engine.dialect())?;
    let sql = compiled
        .execution_sql(&[], &|_| Some(q), engine.dialect())?
        .into_owned();
    let params = compiled.params(&[], &|_| Some(q))?.len();
    Ok((sql, params))
}

#[test]
fn post_compile_compile() {
    run(
        origin("PostCompileParamsTest", "test_compile"),
        &[Flag::StandardCursorSql],
        |_, engine| {
            let t = fixture(engine)?;
            let stmt = select(t.c("id")).filter(t.c("x").eq(bindparam("q").literal_execute()));
            // Compiled (and cached) without the value: a marker stands for it.
            assert_eq!(
                stmt.to_string(),
                "SELECT some_table.id FROM some_table WHERE some_table.x = __[POSTCOMPILE_q]"
            );
            let c = stmt.compile(engine.dialect())?;
            assert_eq!(
                c.sql(),
                "SELECT some_table.id FROM some_table WHERE some_table.x = __[POSTCOMPILE_q]"
            );
            assert!(c.params().is_empty());
            Ok(())
        },
    );
}

#[test]
fn post_compile_compile_literal_binds() {
    run(
        origin("PostCompileParamsTest", "test_compile_literal_binds"),
        &[Flag::StandardCursorSql],
        |_, engine| {
            let t = fixture(engine)?;
            // SQLAlchemy's `bindparam("q", 10, literal_execute=True)`: a value given now.
            let stmt = select(t.c("id")).filter(t.c("x").eq(literal(10).literal_execute()));
            let sql = stmt
                .compile_with(engine.dialect(), CompileOptions::literal_binds())?
                .sql()
                .to_string();
            assert_eq!(
                sql,
                "SELECT some_table.id FROM some_table WHERE some_table.x = 10"
            );
            Ok(())
        },
    );
}

#[test]
fn post_compile_execute() {
    run(
        origin("PostCompileParamsTest", "test_execute"),
        &[Flag::StandardCursorSql],
        |_, engine| {
            let t = fixture(engine)?;
            let stmt = select(t.c("id")).filter(t.c("x").eq(bindparam("q").literal_execute()));
            let (sql, params) = sent(engine, &stmt, &Value::Int(10))?;
            assert_eq!(
                sql,
                "SELECT some_table.id FROM some_table WHERE some_table.x = 10"
            );
            assert_eq!(params, 0);
            // Executed: one cached statement, each value written in.
            let mut conn = engine.connect()?;
            let got: Vec<(i64,)> = conn.tuples_with(&stmt, &row! { "q" => 10 })?;
            assert_eq!(got, []);
            let got: Vec<(i64,)> = conn.tuples_with(&stmt, &row! { "q" => 3 })?;
            assert_eq!(got, [(3,)]);
            Ok(())
        },
    );
}

#[test]
fn post_compile_execute_expanding_plus_literal_execute() {
    run(
        origin(
            "PostCompileParamsTest",
            "test_execute_expanding_plus_literal_execute",
        ),
        &[Flag::StandardCursorSql],
        |_, engine| {
            let t = fixture(engine)?;
            let stmt =
                select(t.c("id")).filter(t.c("x").in_(bindparam_expanding("q").literal_execute()));
            let (sql, params) = sent(engine, &stmt, &Value::from(vec![5, 6, 7]))?;
            assert_eq!(
                sql,
                "SELECT some_table.id FROM some_table WHERE some_table.x IN (5, 6, 7)"
            );
            assert_eq!(params, 0);
            let got: Vec<(i64,)> = engine
                .connect()?
                .tuples_with(&stmt, &row! { "q" => vec![1, 3, 7] })?;
            assert_eq!(got, [(1,), (3,)]);
            Ok(())
        },
    );
}

#[test]
fn post_compile_execute_tuple_expanding_plus_literal_execute() {
    run(
        origin(
            "PostCompileParamsTest",
            "test_execute_tuple_expanding_plus_literal_execute",
        ),
        &[Flag::StandardCursorSql, Flag::TupleIn],
        |_, engine| {
            let t = fixture(engine)?;
            let stmt = select(t.c("id")).filter(
                tuple_([t.c("x"), t.c("y")]).in_(bindparam_expanding("q").literal_execute()),
            );
            // (SQLAlchemy writes `IN (VALUES (5, 10), ...)` on SQLite; the row values work
            // there as they are.)
            let (sql, params) = sent(engine, &stmt, &Value::from(vec![(5, 10), (12, 18)]))?;
            assert_eq!(
                sql,
                "SELECT some_table.id FROM some_table WHERE (some_table.x, some_table.y) \
                 IN ((5, 10), (12, 18))"
            );
            assert_eq!(params, 0);
            let got: Vec<(i64,)> = engine
                .connect()?
                .tuples_with(&stmt, &row! { "q" => vec![(2, 3), (12, 18)] })?;
            assert_eq!(got, [(2,)]);
            Ok(())
        },
    );
}

#[test]
fn post_compile_execute_tuple_expanding_plus_literal_heterogeneous_execute() {
    run(
        origin(
            "PostCompileParamsTest",
            "test_execute_tuple_expanding_plus_literal_heterogeneous_execute",
        ),
        &[Flag::StandardCursorSql, Flag::TupleIn],
        |_, engine| {
            let t = fixture(engine)?;
            let stmt = select(t.c("id")).filter(
                tuple_([t.c("x"), t.c("z")]).in_(bindparam_expanding("q").literal_execute()),
            );
            let q = Value::from(vec![(5, "z1"), (12, "z3")]);
            let (sql, params) = sent(engine, &stmt, &q)?;
            assert_eq!(
                sql,
                "SELECT some_table.id FROM some_table WHERE (some_table.x, some_table.z) \
                 IN ((5, 'z1'), (12, 'z3'))"
            );
            assert_eq!(params, 0);
            let got: Vec<(i64,)> = engine
                .connect()?
                .tuples_with(&stmt, &row! { "q" => vec![(3, "z3"), (12, "z3")] })?;
            assert_eq!(got, [(3,)]);
            Ok(())
        },
    );
}
