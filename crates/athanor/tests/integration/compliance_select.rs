//! Ported from SQLAlchemy's compliance suite, `test_select.py`: LIKE helpers with
//! `autoescape` and `escape` (LikeFunctionsTest), LIMIT/OFFSET as parameters and
//! expressions (LimitOffsetTest), expanding IN parameters given at execution
//! (ExpandingBoundInTest). Exact rows on every database.

use athanor::compiler::CompileOptions;
use athanor::error::CompileError;
use athanor::prelude::*;
use athanor::sql::Select;
use athanor::{Engine, Result};

use super::support::{fresh, on_all, scalars};

/// LikeFunctionsTest's table: ids 1-10 with `/`, `%`, `_`, `#` and `9` placed where the
/// patterns can confuse them, and a NULL.
fn like_table(engine: &Engine, name: &str) -> Result<Table> {
    let md = MetaData::new();
    let t = Table::build(name, &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("data", Type::String(Some(50))))
        .finish()?;
    fresh(engine, &md)?;
    let data = [
        "abcdefg", "ab/cdefg", "ab%cdefg", "ab_cdefg", "abcde/fg", "abcde%fg", "ab#cdefg",
        "ab9cdefg", "abcde#fg", "abcd9fg",
    ];
    let mut conn = engine.connect()?;
    let mut rows: Vec<Values> = data
        .iter()
        .enumerate()
        .map(|(i, d)| row! { "id" => i as i64 + 1, "data" => *d })
        .collect();
    rows.push(row! { "id" => 11, "data" => None::<String> });
    conn.execute(&t.insert().values_many(rows))?;
    Ok(t)
}

fn like_ids(engine: &Engine, t: &Table, cond: Expr) -> Result<Vec<i64>> {
    scalars(engine, &select(t.c("id")).filter(cond).order_by(t.c("id")))
}

const ALL_BUT_10: [i64; 9] = [1, 2, 3, 4, 5, 6, 7, 8, 9];

// ported from test_select.py::LikeFunctionsTest::test_startswith_unescaped,
// test_startswith_autoescape, test_startswith_escape, test_startswith_autoescape_escape
#[test]
fn like_startswith_autoescape_and_escape() {
    on_all(|engine| {
        let t = like_table(engine, "cs_like_sw")?;
        let data = || t.c("data");
        // SQLAlchemy's unescaped `startswith("ab%c")`: a pattern, so Athanor's `like`.
        assert_eq!(
            like_ids(engine, &t, data().like("ab%c%"))?,
            [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
        );
        // autoescape=True: Athanor's default.
        assert_eq!(like_ids(engine, &t, data().startswith("ab%c"))?, [3]);
        // escape="#": the needle is already escaped by the caller.
        assert_eq!(
            like_ids(engine, &t, data().startswith("ab##c").escape('#'))?,
            [7]
        );
        // autoescape=True, escape="#".
        assert_eq!(
            like_ids(engine, &t, data().startswith("ab%c").autoescape('#'))?,
            [3]
        );
        assert_eq!(
            like_ids(engine, &t, data().startswith("ab#c").autoescape('#'))?,
            [7]
        );
        Ok(())
    });
}

// ported from test_select.py::LikeFunctionsTest::test_endswith_unescaped,
// test_endswith_autoescape, test_endswith_escape, test_endswith_autoescape_escape
#[test]
fn like_endswith_autoescape_and_escape() {
    on_all(|engine| {
        let t = like_table(engine, "cs_like_ew")?;
        let data = || t.c("data");
        assert_eq!(like_ids(engine, &t, data().like("%e%fg"))?, ALL_BUT_10);
        assert_eq!(like_ids(engine, &t, data().endswith("e%fg"))?, [6]);
        assert_eq!(
            like_ids(engine, &t, data().endswith("e##fg").escape('#'))?,
            [9]
        );
        assert_eq!(
            like_ids(engine, &t, data().endswith("e%fg").autoescape('#'))?,
            [6]
        );
        assert_eq!(
            like_ids(engine, &t, data().endswith("e#fg").autoescape('#'))?,
            [9]
        );
        Ok(())
    });
}

// ported from test_select.py::LikeFunctionsTest::test_contains_unescaped,
// test_contains_autoescape, test_contains_escape, test_contains_autoescape_escape
#[test]
fn like_contains_autoescape_and_escape() {
    on_all(|engine| {
        let t = like_table(engine, "cs_like_ct")?;
        let data = || t.c("data");
        assert_eq!(like_ids(engine, &t, data().like("%b%cde%"))?, ALL_BUT_10);
        assert_eq!(like_ids(engine, &t, data().contains("b%cde"))?, [3]);
        assert_eq!(
            like_ids(engine, &t, data().contains("b##cde").escape('#'))?,
            [7]
        );
        assert_eq!(
            like_ids(engine, &t, data().contains("b%cd").autoescape('#'))?,
            [3]
        );
        assert_eq!(
            like_ids(engine, &t, data().contains("b#cd").autoescape('#'))?,
            [7]
        );
        // The default escape character matched as text: `/` is escaped by itself.
        assert_eq!(like_ids(engine, &t, data().contains("b/cd"))?, [2]);
        // Negated (the NULL row is neither in nor out): `%` in an escaped needle is a
        // wildcard, so only the row without `b..cde` is left.
        assert_eq!(
            like_ids(engine, &t, !data().contains("b%cde").escape('#'))?,
            [10]
        );
        assert_eq!(
            like_ids(engine, &t, !data().contains("e%f"))?,
            [1, 2, 3, 4, 5, 7, 8, 9, 10]
        );
        Ok(())
    });
}

/// LimitOffsetTest's table: (id, x, y) rows 1-5.
fn lo_table(engine: &Engine, name: &str) -> Result<Table> {
    let md = MetaData::new();
    let t = Table::build(name, &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("x", Type::Integer))
        .column(Column::new("y", Type::Integer))
        .finish()?;
    fresh(engine, &md)?;
    let mut conn = engine.connect()?;
    conn.execute(&t.insert().values_many([
        row! { "id" => 1, "x" => 1, "y" => 2 },
        row! { "id" => 2, "x" => 2, "y" => 3 },
        row! { "id" => 3, "x" => 3, "y" => 4 },
        row! { "id" => 4, "x" => 4, "y" => 5 },
        row! { "id" => 5, "x" => 4, "y" => 6 },
    ]))?;
    Ok(t)
}

type Xyz = (i64, i64, i64);
const LO_ROWS: [Xyz; 5] = [(1, 1, 2), (2, 2, 3), (3, 3, 4), (4, 4, 5), (5, 4, 6)];

fn lo_rows(engine: &Engine, stmt: &Select, params: &Values) -> Result<Vec<Xyz>> {
    engine.connect()?.tuples_with(stmt, params)
}

/// `1 + 1` as SQL, never a parameter (the suite's `literal_column("1") + literal_column("1")`).
fn sql_sum(a: &str, b: &str) -> Expr {
    literal_column(a) + literal_column(b)
}

// ported from test_select.py::LimitOffsetTest::test_simple_limit, test_simple_offset,
// test_simple_limit_offset, test_bound_limit, test_bound_offset, test_bound_limit_offset
#[test]
fn limit_offset_numbers_and_bound_parameters() {
    on_all(|engine| {
        let t = lo_table(engine, "cs_lo_bound")?;
        let base = || select(&t).order_by(t.c("id"));
        let none = Values::new();
        assert_eq!(lo_rows(engine, &base().limit(2), &none)?, LO_ROWS[..2]);
        assert_eq!(lo_rows(engine, &base().offset(2), &none)?, LO_ROWS[2..]);
        assert_eq!(
            lo_rows(engine, &base().limit(2).offset(3), &none)?,
            LO_ROWS[3..]
        );
        let l = base().limit(bindparam("l"));
        assert_eq!(lo_rows(engine, &l, &row! { "l" => 2 })?, LO_ROWS[..2]);
        // The same shape with another value: the cached statement takes it.
        assert_eq!(lo_rows(engine, &l, &row! { "l" => 4 })?, LO_ROWS[..4]);
        let o = base().offset(bindparam("o"));
        assert_eq!(lo_rows(engine, &o, &row! { "o" => 2 })?, LO_ROWS[2..]);
        let lo = base().limit(bindparam("l")).offset(bindparam("o"));
        assert_eq!(
            lo_rows(engine, &lo, &row! { "l" => 2, "o" => 1 })?,
            LO_ROWS[1..3]
        );
        // A missing value is the usual error, not SQL with a hole.
        let err = lo_rows(engine, &lo, &row! { "l" => 2 }).unwrap_err();
        assert!(
            matches!(&err, athanor::Error::InvalidRequest(m) if m == "a value is required for bind parameter 'o'"),
            "{err:?}"
        );
        Ok(())
    });
}

// ported from test_select.py::LimitOffsetTest::test_expr_limit, test_expr_offset,
// test_expr_limit_offset, test_simple_limit_expr_offset, test_expr_limit_simple_offset
// (SQLAlchemy skips these on MySQL, whose LIMIT takes no expression: Athanor refuses them
// there when compiling)
#[test]
fn limit_offset_sql_expressions() {
    on_all(|engine| {
        let t = lo_table(engine, "cs_lo_expr")?;
        let base = || select(&t).order_by(t.c("id"));
        let none = Values::new();
        let cases: [(Select, &[Xyz]); 5] = [
            (base().limit(sql_sum("1", "2")), &LO_ROWS[..3]),
            (base().offset(sql_sum("1", "2")), &LO_ROWS[3..]),
            (
                base().limit(sql_sum("1", "1")).offset(sql_sum("1", "1")),
                &LO_ROWS[2..4],
            ),
            (base().limit(3).offset(sql_sum("1", "1")), &LO_ROWS[2..5]),
            (base().limit(sql_sum("1", "1")).offset(2), &LO_ROWS[2..4]),
        ];
        for (stmt, want) in cases {
            if engine.dialect().name() == "mysql" {
                let err = lo_rows(engine, &stmt, &none).unwrap_err();
                assert!(
                    matches!(&err, athanor::Error::Compile(e) if matches!(**e, CompileError::Unsupported { .. })),
                    "{err:?}"
                );
                assert_eq!(
                    err.to_string(),
                    "a SQL expression as LIMIT or OFFSET (MySQL takes a number or a bound \
                     parameter there) is not supported by the mysql dialect"
                );
            } else {
                assert_eq!(lo_rows(engine, &stmt, &none)?, want, "{stmt}");
            }
        }
        Ok(())
    });
}

// ported from test_select.py::LimitOffsetTest::test_limit_render_multiple_times,
// test_limit_offset_selectable_in_unions
#[test]
fn limit_offset_inside_subqueries_and_unions() {
    on_all(|engine| {
        let t = lo_table(engine, "cs_lo_union")?;
        // The same limited scalar subquery twice in one statement.
        let x = select(t.c("id"))
            .order_by(t.c("id"))
            .limit(bindparam("l"))
            .scalar_subquery();
        let u = select(x.clone().label("a")).union(select(x.label("b")));
        let got: Vec<(i64,)> = engine.connect()?.tuples_with(&u, &row! { "l" => 1 })?;
        assert_eq!(got, [(1,)]);
        // Each side of a UNION limited on its own, the whole ordered.
        let side = |w: i64| {
            select(&t)
                .filter(t.c("id").eq(w))
                .order_by(t.c("id"))
                .limit(1)
                .subquery(format!("s{w}"))
        };
        let (a, b) = (side(2), side(3));
        let u = select(&a)
            .union(select(&b))
            .order_by("id")
            .limit(bindparam("n"));
        let got: Vec<Xyz> = engine.connect()?.tuples_with(&u, &row! { "n" => 5 })?;
        assert_eq!(got, LO_ROWS[1..3]);
        Ok(())
    });
}

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

// ported from test_select.py::ExpandingBoundInTest::test_bound_in_scalar_bindparam,
// test_bound_in_scalar_direct, test_typed_str_in, test_multiple_empty_sets_bindparam
#[test]
fn expanding_in_lists_given_at_execution() {
    on_all(|engine| {
        let t = in_table(engine, "cs_in_bound")?;
        let x_in = t.c("x").in_(bindparam_expanding("q"));
        assert_eq!(
            in_ids(engine, &t, x_in.clone(), &row! { "q" => vec![2, 3, 4] })?,
            [2, 3, 4]
        );
        // Another length, same statement.
        assert_eq!(
            in_ids(engine, &t, x_in.clone(), &row! { "q" => vec![1] })?,
            [1]
        );
        assert_eq!(
            in_ids(engine, &t, t.c("x").in_([2, 3, 4]), &Values::new())?,
            [2, 3, 4]
        );
        let z_in = t.c("z").in_(bindparam_expanding("q"));
        assert_eq!(
            in_ids(engine, &t, z_in, &row! { "q" => vec!["z2", "z4", "nope"] })?,
            [2, 4]
        );
        let both = t.c("x").in_(bindparam_expanding("q")) & t.c("y").in_(bindparam_expanding("p"));
        let empty: Vec<i64> = Vec::new();
        assert_eq!(
            in_ids(
                engine,
                &t,
                both.clone(),
                &row! { "q" => empty.clone(), "p" => empty }
            )?,
            Vec::<i64>::new()
        );
        assert_eq!(
            in_ids(
                engine,
                &t,
                both,
                &row! { "q" => vec![1, 2, 3], "p" => vec![3, 4] }
            )?,
            [2, 3]
        );
        // A single value where a list belongs, and no value at all: the usual errors.
        let err = in_ids(engine, &t, x_in.clone(), &row! { "q" => 2 }).unwrap_err();
        assert!(
            matches!(&err, athanor::Error::InvalidRequest(m)
                if m == "bind parameter 'q' is an expanding IN list: give it a list (a Vec), not 2"),
            "{err:?}"
        );
        let err = in_ids(engine, &t, x_in, &Values::new()).unwrap_err();
        assert!(
            matches!(&err, athanor::Error::InvalidRequest(m)
                if m == "a value is required for bind parameter 'q'"),
            "{err:?}"
        );
        Ok(())
    });
}

// ported from test_select.py::ExpandingBoundInTest::test_empty_set_against_integer_bindparam,
// test_empty_set_against_integer_negation_bindparam, test_empty_set_against_string_bindparam,
// test_empty_set_against_string_negation_bindparam, test_nonempty_in_plus_empty_notin,
// test_empty_in_plus_notempty_notin, test_null_in_empty_set_is_false_bindparam
#[test]
fn expanding_in_empty_lists() {
    on_all(|engine| {
        let t = in_table(engine, "cs_in_empty")?;
        let empty_i: Vec<i64> = Vec::new();
        let empty_s: Vec<String> = Vec::new();
        let q = |v: Value| row! { "q" => v };
        let none: &[i64] = &[];
        assert_eq!(
            in_ids(
                engine,
                &t,
                t.c("x").in_(bindparam_expanding("q")),
                &q(empty_i.clone().into())
            )?,
            none
        );
        assert_eq!(
            in_ids(
                engine,
                &t,
                t.c("x").not_in(bindparam_expanding("q")),
                &q(empty_i.clone().into())
            )?,
            [1, 2, 3, 4]
        );
        assert_eq!(
            in_ids(
                engine,
                &t,
                t.c("z").in_(bindparam_expanding("q")),
                &q(empty_s.clone().into())
            )?,
            none
        );
        assert_eq!(
            in_ids(
                engine,
                &t,
                t.c("z").not_in(bindparam_expanding("q")),
                &q(empty_s.into())
            )?,
            [1, 2, 3, 4]
        );
        let cond =
            t.c("x").in_(bindparam_expanding("q")) & t.c("y").not_in(bindparam_expanding("p"));
        assert_eq!(
            in_ids(
                engine,
                &t,
                cond.clone(),
                &row! { "q" => vec![2, 3], "p" => empty_i.clone() }
            )?,
            [2, 3]
        );
        assert_eq!(
            in_ids(
                engine,
                &t,
                cond,
                &row! { "q" => empty_i.clone(), "p" => vec![2, 3] }
            )?,
            none
        );
        // NULL IN an empty set is false, not NULL.
        let stmt = select(
            case([(null().in_(bindparam_expanding("foo")), true_())])
                .else_(false_())
                .label("r"),
        );
        let got: Vec<(bool,)> = engine
            .connect()?
            .tuples_with(&stmt, &row! { "foo" => empty_i })?;
        assert_eq!(got, [(false,)]);
        Ok(())
    });
}

// ported from test_select.py::ExpandingBoundInTest::test_typed_str_in (a typed bindparam)
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

// ported from test_select.py::LimitOffsetTest::test_limit_offset_nobinds and
// test_simple_limit_offset with literal binds: the printed SQL, run as text, gives the rows
// the bound statement gives
#[test]
fn literal_binds_print_runnable_sql() {
    on_all(|engine| {
        let t = lo_table(engine, "cs_lo_literal")?;
        let base = || select(&t).order_by(t.c("id"));
        let mut conn = engine.connect()?;
        let cases: [(Select, &[Xyz]); 4] = [
            (base().limit(2).offset(3), &LO_ROWS[3..]),
            (base().offset(3), &LO_ROWS[3..]),
            (
                base().filter(t.c("x").in_([2, 4]) & t.c("y").ne(6)),
                &[(2, 2, 3), (4, 4, 5)],
            ),
            (base().filter(t.c("x").in_(Vec::<i64>::new())), &[]),
        ];
        for (stmt, want) in cases {
            let sql = literal_sql(engine, &stmt)?;
            assert!(!sql.contains('?') && !sql.contains('$'), "{sql}");
            let printed: Vec<Xyz> = conn.tuples(&text(&sql))?;
            assert_eq!(printed, want, "{sql}");
            assert_eq!(conn.tuples::<Xyz, _>(&stmt)?, want);
        }
        let sql = literal_sql(engine, &base().limit(2).offset(3))?;
        let tail = match engine.dialect().name() {
            "postgresql" => "LIMIT 2 OFFSET 3",
            _ => "LIMIT 2 OFFSET 3",
        };
        assert!(
            sql.ends_with(&format!("ORDER BY cs_lo_literal.id {tail}")),
            "{sql}"
        );
        let sql = literal_sql(engine, &base().offset(3))?;
        let tail = match engine.dialect().name() {
            "sqlite" => "LIMIT -1 OFFSET 3",
            "mysql" => "LIMIT 18446744073709551615 OFFSET 3",
            _ => "OFFSET 3",
        };
        assert!(
            sql.ends_with(&format!("ORDER BY cs_lo_literal.id {tail}")),
            "{sql}"
        );
        Ok(())
    });
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
