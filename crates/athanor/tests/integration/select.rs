//! The expression language on a real database: every construct, with the exact rows.

use athanor::prelude::*;
use athanor::sql::{CompoundSelect, Select};
use athanor::{Engine, Error, Result};

use super::support::{hired_date, on_all, org, rows, s, scalars};

/// Employee ids matching a condition, in id order.
fn ids(engine: &Engine, t: &Table, cond: Expr) -> Result<Vec<i64>> {
    scalars(engine, &select(t.c("id")).filter(cond).order_by(t.c("id")))
}

#[test]
fn filter_and_or_not() {
    on_all(|engine| {
        let o = org(engine, "sel_bool")?;
        let e = &o.emp;
        assert_eq!(
            ids(engine, e, e.c("salary").gt(60) & e.c("dept_id").eq(1))?,
            [1, 2]
        );
        assert_eq!(
            ids(engine, e, e.c("name").eq("eve") | e.c("salary").ge(100))?,
            [1, 5]
        );
        // NOT over a NULL dept_id is NULL: eve (no dept) is in neither side.
        assert_eq!(ids(engine, e, !e.c("dept_id").eq(1))?, [3, 4]);
        assert_eq!(ids(engine, e, not_(e.c("dept_id").eq(2)))?, [1, 2]);
        assert_eq!(
            ids(
                engine,
                e,
                and_([e.c("dept_id").eq(2), e.c("salary").is_not_null()])
            )?,
            [3]
        );
        assert_eq!(
            ids(
                engine,
                e,
                or_([e.c("id").eq(2), e.c("id").eq(4), e.c("id").eq(9)])
            )?,
            [2, 4]
        );
        // (a OR b) AND c keeps its parentheses.
        assert_eq!(
            ids(
                engine,
                e,
                (e.c("id").eq(1) | e.c("id").eq(3)) & e.c("dept_id").eq(2)
            )?,
            [3]
        );
        assert_eq!(ids(engine, e, and_(Vec::new()))?, [1, 2, 3, 4, 5]);
        assert_eq!(ids(engine, e, or_(Vec::new()))?, Vec::<i64>::new());
        // Two filter() calls are ANDed; filter_by compares columns of the first table.
        let two = select(e.c("id"))
            .filter(e.c("dept_id").eq(1))
            .filter(e.c("salary").lt(90));
        assert_eq!(scalars::<i64>(engine, &two)?, [2]);
        let by = select(e).filter_by([("name", "Carol")]);
        assert_eq!(
            rows::<(i64, String, i64, i64, i64, String)>(engine, &by)?,
            [(3, s("Carol"), 2, 70, 1, s("2019-07-30"))]
        );
        Ok(())
    });
}

#[test]
fn comparisons() {
    on_all(|engine| {
        let o = org(engine, "sel_cmp")?;
        let (e, sal) = (&o.emp, || o.emp.c("salary"));
        assert_eq!(ids(engine, e, sal().eq(80))?, [2]);
        assert_eq!(ids(engine, e, sal().ne(80))?, [1, 3, 5]);
        assert_eq!(ids(engine, e, sal().lt(70))?, [5]);
        assert_eq!(ids(engine, e, sal().le(70))?, [3, 5]);
        assert_eq!(ids(engine, e, sal().gt(80))?, [1]);
        assert_eq!(ids(engine, e, sal().ge(80))?, [1, 2]);
        // Comparing with None is IS NULL / IS NOT NULL, as in SQLAlchemy.
        assert_eq!(ids(engine, e, sal().eq(None::<i64>))?, [4]);
        assert_eq!(ids(engine, e, sal().ne(None::<i64>))?, [1, 2, 3, 5]);
        // Column against column, and a value on the left.
        assert_eq!(
            ids(engine, e, e.c("manager_id").lt(e.c("id")))?,
            [2, 3, 4, 5]
        );
        assert_eq!(ids(engine, e, literal(75).lt(sal()))?, [1, 2]);
        assert_eq!(ids(engine, e, e.c("name").gt("Carol"))?, [4, 5]);
        assert_eq!(
            ids(engine, e, e.c("manager_id").is_distinct_from(1))?,
            [1, 4, 5]
        );
        assert_eq!(
            ids(
                engine,
                e,
                e.c("manager_id").is_not_distinct_from(None::<i64>)
            )?,
            [1]
        );
        Ok(())
    });
}

#[test]
fn arithmetic_and_concatenation() {
    on_all(|engine| {
        let o = org(engine, "sel_arith")?;
        let e = &o.emp;
        let sal = || e.c("salary");
        let stmt = select((
            (sal() + 5).label("plus"),
            (sal() - 5).label("minus"),
            (sal() * 2).label("times"),
            (sal() / 4).label("div"),
            (sal() % 30).label("rem"),
            (-sal()).label("neg"),
            ((sal() + 10) * 2).label("grouped"),
            e.c("name").concat("!").concat(e.c("hired")).label("tag"),
        ))
        .filter(e.c("id").eq(2));
        let got = rows::<(i64, i64, i64, f64, i64, i64, i64, String)>(engine, &stmt)?;
        assert_eq!(
            got,
            [(85, 75, 160, 20.0, 20, -80, 180, s("Bob!2021-03-01"))]
        );
        // NULL propagates through arithmetic.
        let null = select((sal() + 1).label("x")).filter(e.c("id").eq(4));
        assert_eq!(scalars::<Option<i64>>(engine, &null)?, [None]);
        // Arithmetic in WHERE.
        assert_eq!(ids(engine, e, (sal() * 2).gt(150))?, [1, 2]);
        Ok(())
    });
}

#[test]
fn like_ilike_and_autoescape() {
    on_all(|engine| {
        let o = org(engine, "sel_like")?;
        let e = &o.emp;
        let name = || e.c("name");
        assert_eq!(ids(engine, e, name().like("A%"))?, [1]);
        assert_eq!(ids(engine, e, name().like("_o%"))?, [2]);
        // LIKE is case-sensitive on PostgreSQL, not (for ASCII) on SQLite and MySQL.
        let not_a: &[i64] = if engine.dialect().name() == "postgresql" {
            &[1, 2, 5]
        } else {
            &[2, 5]
        };
        assert_eq!(ids(engine, e, name().not_like("%a%"))?, not_a);
        // Case-insensitive on every dialect.
        assert_eq!(ids(engine, e, name().ilike("E%"))?, [5]);
        assert_eq!(ids(engine, e, name().ilike("%A%"))?, [1, 3, 4]);
        assert_eq!(ids(engine, e, name().not_ilike("%A%"))?, [2, 5]);
        assert_eq!(ids(engine, e, name().contains("ar"))?, [3]);
        assert_eq!(ids(engine, e, name().startswith("Da"))?, [4]);
        assert_eq!(ids(engine, e, name().endswith("e"))?, [1, 4, 5]);
        // contains() escapes wildcards; a raw LIKE '%' matches everything.
        assert_eq!(ids(engine, e, name().contains("%"))?, Vec::<i64>::new());
        assert_eq!(ids(engine, e, name().contains("_"))?, Vec::<i64>::new());
        assert_eq!(ids(engine, e, name().like("%"))?.len(), 5);
        // An explicit ESCAPE character.
        let mut conn = engine.connect()?;
        conn.execute(&e.update().set("name", "50%_off").filter(e.c("id").eq(5)))?;
        drop(conn);
        assert_eq!(ids(engine, e, name().like("50!%!_%").escape('!'))?, [5]);
        assert_eq!(
            ids(engine, e, name().like("5!%%").escape('!'))?,
            Vec::<i64>::new()
        );
        assert_eq!(ids(engine, e, name().contains("%_"))?, [5]);
        Ok(())
    });
}

#[test]
fn in_and_not_in() {
    on_all(|engine| {
        let o = org(engine, "sel_in")?;
        let (e, d) = (&o.emp, &o.dept);
        assert_eq!(ids(engine, e, e.c("id").in_([1, 3, 99]))?, [1, 3]);
        assert_eq!(ids(engine, e, e.c("name").in_(["Bob", "eve"]))?, [2, 5]);
        assert_eq!(ids(engine, e, e.c("id").not_in([1, 2]))?, [3, 4, 5]);
        // Empty lists: IN () is never true, NOT IN () always.
        assert_eq!(
            ids(engine, e, e.c("id").in_(Vec::<i64>::new()))?,
            Vec::<i64>::new()
        );
        assert_eq!(
            ids(engine, e, e.c("id").not_in(Vec::<i64>::new()))?,
            [1, 2, 3, 4, 5]
        );
        assert_eq!(
            ids(
                engine,
                e,
                e.c("id").in_(Vec::<i64>::new()) | e.c("id").eq(2)
            )?,
            [2]
        );
        // A long list (expanded at execution).
        assert_eq!(ids(engine, e, e.c("id").in_(4..1000))?, [4, 5]);
        // Subqueries.
        let sales = select(d.c("id")).filter(d.c("name").eq("Sales"));
        assert_eq!(
            ids(engine, e, e.c("dept_id").in_select(sales.clone()))?,
            [3, 4]
        );
        // NOT IN with a NULL dept_id is NULL for eve.
        assert_eq!(ids(engine, e, e.c("dept_id").not_in_select(sales))?, [1, 2]);
        assert_eq!(
            ids(
                engine,
                e,
                e.c("manager_id").in_exprs([literal(3), e.c("id") - 1])
            )?,
            [2, 4, 5]
        );
        Ok(())
    });
}

#[test]
fn between_and_null_tests() {
    on_all(|engine| {
        let o = org(engine, "sel_between")?;
        let e = &o.emp;
        assert_eq!(ids(engine, e, e.c("salary").between(60, 90))?, [2, 3]);
        assert_eq!(ids(engine, e, e.c("salary").between(70, 80))?, [2, 3]);
        assert_eq!(ids(engine, e, e.c("salary").not_between(60, 90))?, [1, 5]);
        assert_eq!(
            ids(engine, e, e.c("hired").between("2020-01-01", "2021-12-31"))?,
            [1, 2]
        );
        assert_eq!(ids(engine, e, e.c("salary").is_null())?, [4]);
        assert_eq!(ids(engine, e, e.c("salary").is_not_null())?, [1, 2, 3, 5]);
        assert_eq!(ids(engine, e, !e.c("manager_id").is_null())?, [2, 3, 4, 5]);
        Ok(())
    });
}

#[test]
fn distinct() {
    on_all(|engine| {
        let o = org(engine, "sel_distinct")?;
        let e = &o.emp;
        let stmt = select(e.c("manager_id"))
            .distinct()
            .order_by(e.c("manager_id").asc().nulls_first());
        assert_eq!(
            scalars::<Option<i64>>(engine, &stmt)?,
            [None, Some(1), Some(3)]
        );
        let last = select(e.c("manager_id"))
            .distinct()
            .order_by(e.c("manager_id").asc().nulls_last());
        assert_eq!(
            scalars::<Option<i64>>(engine, &last)?,
            [Some(1), Some(3), None]
        );
        let n = select(func::count_distinct(e.c("dept_id")).label("n"));
        assert_eq!(scalars::<i64>(engine, &n)?, [2]);
        let n = select(func::count(e.c("manager_id")).distinct().label("n"));
        assert_eq!(scalars::<i64>(engine, &n)?, [2]);
        Ok(())
    });
}

#[test]
fn joins_with_inferred_on() {
    on_all(|engine| {
        let o = org(engine, "sel_join")?;
        let (e, d) = (&o.emp, &o.dept);
        let inner = select((e.c("name"), d.c("name").label("dept")))
            .select_from(e.join(d))
            .order_by(e.c("id"));
        assert_eq!(
            rows::<(String, String)>(engine, &inner)?,
            [
                (s("Alice"), s("Engineering")),
                (s("Bob"), s("Engineering")),
                (s("Carol"), s("Sales")),
                (s("Dave"), s("Sales")),
            ]
        );
        // The same join from the other side.
        let reverse = select((e.c("name"), d.c("name").label("dept")))
            .select_from(d.join(e))
            .order_by(e.c("id"));
        assert_eq!(rows::<(String, String)>(engine, &reverse)?.len(), 4);
        // LEFT OUTER JOIN keeps eve, with no department.
        let outer = select((e.c("name"), d.c("name").label("dept")))
            .select_from(e.outerjoin(d))
            .order_by(e.c("id"));
        let got = rows::<(String, Option<String>)>(engine, &outer)?;
        assert_eq!(got.len(), 5);
        assert_eq!(got[4], (s("eve"), None));
        // Departments with nobody in them.
        let empty = select(d.c("name"))
            .select_from(d.outerjoin(e))
            .filter(e.c("id").is_null());
        assert_eq!(scalars::<String>(engine, &empty)?, ["Empty"]);
        // An explicit ON.
        let on = select(e.c("name"))
            .select_from(e.join_on(d, e.c("dept_id").eq(d.c("id")) & d.c("name").eq("Sales")))
            .order_by(e.c("name"));
        assert_eq!(scalars::<String>(engine, &on)?, ["Carol", "Dave"]);
        let outer_on = select((d.c("name"), func::count(e.c("id")).label("n")))
            .select_from(d.outerjoin_on(e, e.c("dept_id").eq(d.c("id"))))
            .group_by(d.c("name"))
            .order_by(d.c("name"));
        assert_eq!(
            rows::<(String, i64)>(engine, &outer_on)?,
            [(s("Empty"), 0), (s("Engineering"), 2), (s("Sales"), 2)]
        );
        // An implicit join through WHERE.
        let implicit = select((e.c("name"), d.c("name")))
            .filter(e.c("dept_id").eq(d.c("id")) & d.c("id").eq(2))
            .order_by(e.c("id"));
        assert_eq!(
            rows::<(String, String)>(engine, &implicit)?,
            [(s("Carol"), s("Sales")), (s("Dave"), s("Sales"))]
        );
        Ok(())
    });
}

#[test]
fn join_inference_errors() {
    on_all(|engine| {
        let md = MetaData::new();
        let a = Table::build("sel_joinerr_a", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .finish()?;
        let b = Table::build("sel_joinerr_b", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .finish()?;
        let two = Table::build("sel_joinerr_two", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(
                Column::new("x", Type::Integer).foreign_key(ForeignKey::new("sel_joinerr_a.id")),
            )
            .column(
                Column::new("y", Type::Integer).foreign_key(ForeignKey::new("sel_joinerr_a.id")),
            )
            .finish()?;
        super::support::fresh(engine, &md)?;
        let mut conn = engine.connect()?;
        let err = conn
            .execute(&select(a.c("id")).select_from(a.join(&b)))
            .expect_err("no foreign key between a and b");
        assert!(
            matches!(&err, Error::NoForeignKeys(j) if j.left.contains("sel_joinerr_a") && j.right.contains("sel_joinerr_b")),
            "{err:?}"
        );
        let err = conn
            .execute(&select(a.c("id")).select_from(a.join(&two)))
            .expect_err("two foreign keys");
        assert!(matches!(err, Error::AmbiguousForeignKeys { .. }), "{err:?}");
        // An explicit ON resolves the ambiguity.
        let ok = select(a.c("id")).select_from(a.join_on(&two, two.c("x").eq(a.c("id"))));
        assert!(conn.execute(&ok)?.all()?.is_empty());
        Ok(())
    });
}

#[test]
fn select_from_star_and_columns() {
    on_all(|engine| {
        let o = org(engine, "sel_from")?;
        let (e, d) = (&o.emp, &o.dept);
        let n = select(func::count_star()).select_from(e);
        assert_eq!(scalars::<i64>(engine, &n)?, [5]);
        let all = select(d).order_by(d.c("id"));
        assert_eq!(
            rows::<(i64, String)>(engine, &all)?,
            [(1, s("Engineering")), (2, s("Sales")), (3, s("Empty"))]
        );
        let star = select(star()).select_from(d).filter(d.c("id").eq(2));
        assert_eq!(rows::<(i64, String)>(engine, &star)?, [(2, s("Sales"))]);
        let more = select(d.c("id"))
            .add_columns(d.c("name"))
            .filter(d.c("id").eq(3));
        assert_eq!(rows::<(i64, String)>(engine, &more)?, [(3, s("Empty"))]);
        let only = select(d)
            .with_only_columns(d.c("name"))
            .filter(d.c("id").eq(1));
        assert_eq!(scalars::<String>(engine, &only)?, ["Engineering"]);
        // A SELECT with no FROM at all.
        let bare = select((literal(1) + literal(2)).label("three"));
        assert_eq!(scalars::<i64>(engine, &bare)?, [3]);
        Ok(())
    });
}

#[test]
fn group_by_and_having() {
    on_all(|engine| {
        let o = org(engine, "sel_group")?;
        let e = &o.emp;
        let stmt = select((
            e.c("dept_id"),
            func::count_star().label("n"),
            func::sum(e.c("salary")).label("total"),
        ))
        .group_by(e.c("dept_id"))
        .having(func::count_star().gt(1))
        .order_by(e.c("dept_id"));
        assert_eq!(
            rows::<(i64, i64, i64)>(engine, &stmt)?,
            [(1, 2, 180), (2, 2, 70)]
        );
        // Grouping by an expression.
        // Grouped by the label: PostgreSQL can't match a repeated expression whose parameters
        // are bound twice.
        let recent = || {
            extract(DatePart::Year, hired_date(engine, e))
                .gt(2020)
                .label("recent")
        };
        let by_expr = select((recent(), func::count_star().label("n")))
            .group_by(recent())
            .having(func::min(e.c("id")).gt(0))
            .order_by(asc("n"));
        assert_eq!(
            rows::<(bool, i64)>(engine, &by_expr)?,
            [(false, 2), (true, 3)]
        );
        // Grouping by several columns.
        let pairs = select((e.c("dept_id"), e.c("manager_id"), func::count_star()))
            .group_by((e.c("dept_id"), e.c("manager_id")))
            .filter(e.c("dept_id").is_not_null())
            .order_by(e.c("dept_id"))
            .order_by(e.c("manager_id").asc().nulls_first());
        assert_eq!(
            rows::<(i64, Option<i64>, i64)>(engine, &pairs)?,
            [
                (1, None, 1),
                (1, Some(1), 1),
                (2, Some(1), 1),
                (2, Some(3), 1)
            ]
        );
        Ok(())
    });
}

#[test]
fn order_by_directions_and_label_names() {
    on_all(|engine| {
        let o = org(engine, "sel_order")?;
        let e = &o.emp;
        let names = |stmt: Select| scalars::<String>(engine, &stmt);
        assert_eq!(
            names(select(e.c("name")).order_by(e.c("name").asc()))?,
            ["Alice", "Bob", "Carol", "Dave", "eve"]
        );
        assert_eq!(
            names(select(e.c("name")).order_by(e.c("id").desc()))?,
            ["eve", "Dave", "Carol", "Bob", "Alice"]
        );
        assert_eq!(
            names(select(e.c("name")).order_by(desc(e.c("hired"))))?,
            ["eve", "Dave", "Bob", "Alice", "Carol"]
        );
        // Several keys: department descending, then name ascending.
        assert_eq!(
            names(
                select(e.c("name"))
                    .filter(e.c("dept_id").is_not_null())
                    .order_by_all([e.c("dept_id").desc(), e.c("name").asc()])
            )?,
            ["Carol", "Dave", "Alice", "Bob"]
        );
        // By a label's name (SQLAlchemy's desc("label")), including one with a space.
        let stmt = select((e.c("manager_id"), func::count_star().label("# of reports")))
            .filter(e.c("manager_id").is_not_null())
            .group_by(e.c("manager_id"))
            .order_by(desc("# of reports"))
            .order_by(asc("manager_id"));
        let got = engine.connect()?.execute(&stmt)?;
        assert_eq!(got.columns(), ["manager_id", "# of reports"]);
        assert_eq!(got.tuples::<(i64, i64)>()?, [(1, 2), (3, 2)]);
        let by_label = select((e.c("name"), (e.c("salary") * -1).label("neg")))
            .filter(e.c("salary").is_not_null())
            .order_by(asc("neg"));
        assert_eq!(
            rows::<(String, i64)>(engine, &by_label)?
                .into_iter()
                .map(|r| r.0)
                .collect::<Vec<_>>(),
            ["Alice", "Bob", "Carol", "eve"]
        );
        Ok(())
    });
}

#[test]
fn limit_and_offset() {
    on_all(|engine| {
        let o = org(engine, "sel_limit")?;
        let e = &o.emp;
        let base = || select(e.c("id")).order_by(e.c("id"));
        assert_eq!(scalars::<i64>(engine, &base().limit(2))?, [1, 2]);
        assert_eq!(scalars::<i64>(engine, &base().limit(2).offset(1))?, [2, 3]);
        assert_eq!(scalars::<i64>(engine, &base().offset(3))?, [4, 5]);
        assert_eq!(scalars::<i64>(engine, &base().slice(1, 3))?, [2, 3]);
        assert_eq!(scalars::<i64>(engine, &base().limit(0))?, Vec::<i64>::new());
        assert_eq!(scalars::<i64>(engine, &base().limit(10).offset(4))?, [5]);
        assert_eq!(
            scalars::<i64>(engine, &base().offset(10))?,
            Vec::<i64>::new()
        );
        Ok(())
    });
}

#[test]
fn functions() {
    on_all(|engine| {
        let o = org(engine, "sel_func")?;
        let e = &o.emp;
        let sal = || e.c("salary");
        let aggregates = select((
            func::count(sal()),
            func::count_star(),
            func::sum(sal()),
            func::avg(sal()),
            func::min(sal()),
            func::max(sal()),
            func::min(e.c("name")),
            func::max(e.c("hired")),
        ));
        assert_eq!(
            rows::<(i64, i64, i64, f64, i64, i64, String, String)>(engine, &aggregates)?,
            [(4, 5, 300, 75.0, 50, 100, s("Alice"), s("2023-02-10"))]
        );
        // Aggregates over no rows: count is 0, the rest NULL.
        let none = select((func::count(sal()), func::sum(sal()), func::max(sal())))
            .filter(e.c("id").gt(100));
        assert_eq!(
            rows::<(i64, Option<i64>, Option<i64>)>(engine, &none)?,
            [(0, None, None)]
        );
        let scalar_funcs = select((
            func::coalesce([sal(), literal(0)]),
            func::lower(e.c("name")),
            func::upper(e.c("name")),
            func::length(e.c("name")),
            func::abs(-sal() + 10),
            func::substr(e.c("name"), 2, 3),
            func::replace(e.c("name"), "a", "4"),
            func::trim(literal("  x ")),
        ))
        .filter(e.c("id").in_([3, 4]))
        .order_by(e.c("id"));
        assert_eq!(
            rows::<(
                i64,
                String,
                String,
                i64,
                Option<i64>,
                String,
                String,
                String
            )>(engine, &scalar_funcs)?,
            [
                (
                    70,
                    s("carol"),
                    s("CAROL"),
                    5,
                    Some(60),
                    s("aro"),
                    s("C4rol"),
                    s("x")
                ),
                (
                    0,
                    s("dave"),
                    s("DAVE"),
                    4,
                    None,
                    s("ave"),
                    s("D4ve"),
                    s("x")
                ),
            ]
        );
        // char_length counts characters everywhere; length is the database's own (bytes on
        // MySQL, as SQLAlchemy's func.length renders it).
        let unicode = select(func::char_length(literal("ñandú")));
        assert_eq!(scalars::<i64>(engine, &unicode)?, [5]);
        let bytes = if engine.dialect().name() == "mysql" {
            7
        } else {
            5
        };
        let unicode = select(func::length(literal("ñandú")));
        assert_eq!(scalars::<i64>(engine, &unicode)?, [bytes]);
        // Any function by name.
        let named = select((
            func::call("abs", [literal(-7)]),
            func::call("coalesce", [null(), literal("fallback")]),
        ));
        assert_eq!(rows::<(i64, String)>(engine, &named)?, [(7, s("fallback"))]);
        let rounded = select(func::round(literal(2.567), 1));
        assert_eq!(scalars::<f64>(engine, &rounded)?, [2.6]);
        Ok(())
    });
}

#[test]
fn labels_name_result_columns() {
    on_all(|engine| {
        let o = org(engine, "sel_label")?;
        let e = &o.emp;
        let stmt = select((
            e.c("name").label("who"),
            (e.c("salary") * 12).label("yearly pay"),
            e.c("id"),
        ))
        .filter(e.c("id").eq(1));
        let r = engine.connect()?.execute(&stmt)?;
        assert_eq!(r.columns(), ["who", "yearly pay", "id"]);
        let row = r.one()?;
        assert_eq!(row.get::<String, _>("who")?, "Alice");
        assert_eq!(row.get::<i64, _>("yearly pay")?, 1200);
        Ok(())
    });
}

#[test]
fn alias_self_join() {
    on_all(|engine| {
        let o = org(engine, "sel_alias")?;
        let e = &o.emp;
        let m = e.alias("m");
        let stmt = select((e.c("name"), m.c("name").label("manager")))
            .select_from(e.join_on(&m, e.c("manager_id").eq(m.c("id"))))
            .order_by(e.c("id"));
        assert_eq!(
            rows::<(String, String)>(engine, &stmt)?,
            [
                (s("Bob"), s("Alice")),
                (s("Carol"), s("Alice")),
                (s("Dave"), s("Carol")),
                (s("eve"), s("Carol")),
            ]
        );
        // Two aliases of the same table, and a filter on the alias.
        let boss = e.alias("boss");
        let stmt = select(e.c("name"))
            .select_from(e.join_on(&boss, e.c("manager_id").eq(boss.c("id"))))
            .filter(boss.c("salary").gt(e.c("salary")))
            .order_by(e.c("name"));
        assert_eq!(scalars::<String>(engine, &stmt)?, ["Bob", "Carol", "eve"]);
        // Selecting every column of an alias.
        let whole = select(&m).filter(m.c("id").eq(2));
        assert_eq!(
            rows::<(i64, String, i64, i64, i64, String)>(engine, &whole)?,
            [(2, s("Bob"), 1, 80, 1, s("2021-03-01"))]
        );
        Ok(())
    });
}

#[test]
fn subqueries() {
    on_all(|engine| {
        let o = org(engine, "sel_subq")?;
        let (e, d) = (&o.emp, &o.dept);
        let counts = select((e.c("dept_id"), func::count_star().label("n")))
            .group_by(e.c("dept_id"))
            .subquery("counts");
        let stmt = select((d.c("name"), counts.c("n")))
            .select_from(d.join_on(&counts, d.c("id").eq(counts.c("dept_id"))))
            .order_by(d.c("id"));
        assert_eq!(
            rows::<(String, i64)>(engine, &stmt)?,
            [(s("Engineering"), 2), (s("Sales"), 2)]
        );
        // Selecting from a subquery alone, and filtering on its columns.
        let rich = select((e.c("name"), e.c("salary")))
            .filter(e.c("salary").ge(70))
            .subquery("rich");
        let stmt = select(rich.c("name"))
            .filter(rich.c("salary").lt(100))
            .order_by(rich.c("name"));
        assert_eq!(scalars::<String>(engine, &stmt)?, ["Bob", "Carol"]);
        // An anonymous subquery.
        let anon = select(e.c("id")).filter(e.c("id").gt(3)).subquery_anon();
        let stmt = select(func::count_star()).select_from(&anon);
        assert_eq!(scalars::<i64>(engine, &stmt)?, [2]);
        // A scalar subquery compared with a column: above-average earners.
        let avg = select(func::avg(e.c("salary"))).scalar_subquery();
        assert_eq!(ids(engine, e, e.c("salary").gt(avg))?, [1, 2]);
        Ok(())
    });
}

#[test]
fn correlated_scalar_subquery() {
    on_all(|engine| {
        let o = org(engine, "sel_corr")?;
        let (e, d) = (&o.emp, &o.dept);
        let n = select(func::count_star())
            .filter(e.c("dept_id").eq(d.c("id")))
            .scalar_subquery()
            .label("n");
        let stmt = select((d.c("name"), n)).order_by(d.c("id"));
        assert_eq!(
            rows::<(String, i64)>(engine, &stmt)?,
            [(s("Engineering"), 2), (s("Sales"), 2), (s("Empty"), 0)]
        );
        // Correlated in WHERE: employees paid the most in their department.
        let inner = e.alias("inner_e");
        let top = select(func::max(inner.c("salary")))
            .filter(inner.c("dept_id").eq(e.c("dept_id")))
            .scalar_subquery();
        assert_eq!(ids(engine, e, e.c("salary").eq(top))?, [1, 3]);
        Ok(())
    });
}

#[test]
fn exists_and_not_exists() {
    on_all(|engine| {
        let o = org(engine, "sel_exists")?;
        let (e, d) = (&o.emp, &o.dept);
        let staffed = select(e.c("id"))
            .filter(e.c("dept_id").eq(d.c("id")))
            .exists();
        let stmt = select(d.c("name"))
            .filter(staffed.clone())
            .order_by(d.c("id"));
        assert_eq!(scalars::<String>(engine, &stmt)?, ["Engineering", "Sales"]);
        let stmt = select(d.c("name")).filter(!staffed);
        assert_eq!(scalars::<String>(engine, &stmt)?, ["Empty"]);
        let rich = select(e.c("id"))
            .filter(e.c("salary").gt(d.c("id") * 50))
            .exists();
        let stmt = select(d.c("name")).filter(rich).order_by(d.c("id"));
        assert_eq!(scalars::<String>(engine, &stmt)?, ["Engineering"]);
        // EXISTS as a value.
        let any = select(
            select(e.c("id"))
                .filter(e.c("name").eq("Bob"))
                .exists()
                .label("b"),
        );
        assert_eq!(scalars::<bool>(engine, &any)?, [true]);
        Ok(())
    });
}

#[test]
fn set_operations() {
    on_all(|engine| {
        let o = org(engine, "sel_setops")?;
        let e = &o.emp;
        let paid = || select(e.c("name")).filter(e.c("salary").ge(70)); // Alice, Bob, Carol
        let alices = || select(e.c("name")).filter(e.c("manager_id").eq(1)); // Bob, Carol
        let run = |c: CompoundSelect| scalars::<String>(engine, &c.order_by(column("name")));
        assert_eq!(run(paid().union(alices()))?, ["Alice", "Bob", "Carol"]);
        assert_eq!(
            run(paid().union_all(alices()))?,
            ["Alice", "Bob", "Bob", "Carol", "Carol"]
        );
        assert_eq!(run(paid().intersect(alices()))?, ["Bob", "Carol"]);
        assert_eq!(run(paid().except(alices()))?, ["Alice"]);
        assert_eq!(run(union([paid(), alices()]))?, ["Alice", "Bob", "Carol"]);
        assert_eq!(run(union_all([paid(), alices()]))?.len(), 5);
        assert_eq!(run(intersect([paid(), alices()]))?, ["Bob", "Carol"]);
        assert_eq!(run(except([paid(), alices()]))?, ["Alice"]);
        // Three parts, with LIMIT/OFFSET on the whole.
        let three = paid()
            .union(alices())
            .union(select(e.c("name")).filter(e.c("id").eq(5)))
            .order_by(column("name").desc())
            .limit(2)
            .offset(1);
        assert_eq!(scalars::<String>(engine, &three)?, ["Carol", "Bob"]);
        // A compound as a subquery.
        let sub = paid().union(alices()).subquery("u");
        let n = select(func::count_star()).select_from(&sub);
        assert_eq!(scalars::<i64>(engine, &n)?, [3]);
        Ok(())
    });
}

#[test]
fn ctes_plain_and_recursive() {
    on_all(|engine| {
        let o = org(engine, "sel_cte")?;
        let (e, d) = (&o.emp, &o.dept);
        let totals = select((e.c("dept_id"), func::sum(e.c("salary")).label("total")))
            .group_by(e.c("dept_id"))
            .cte("totals");
        let stmt = select((d.c("name"), totals.c("total")))
            .select_from(d.join_on(&totals, totals.c("dept_id").eq(d.c("id"))))
            .order_by(desc("total"));
        assert_eq!(
            rows::<(String, i64)>(engine, &stmt)?,
            [(s("Engineering"), 180), (s("Sales"), 70)]
        );
        // The management chain above Dave.
        let anchor = select((
            e.c("id"),
            e.c("manager_id"),
            e.c("name"),
            literal(0).label("depth"),
        ))
        .filter(e.c("id").eq(4));
        let chain = anchor.cte_recursive("chain");
        let step = select((
            e.c("id"),
            e.c("manager_id"),
            e.c("name"),
            (chain.c("depth") + 1).label("depth"),
        ))
        .select_from(e.join_on(&chain, e.c("id").eq(chain.c("manager_id"))));
        let chain = chain.union_all(step);
        let stmt = select((chain.c("name"), chain.c("depth"))).order_by(chain.c("depth"));
        assert_eq!(
            rows::<(String, i64)>(engine, &stmt)?,
            [(s("Dave"), 0), (s("Carol"), 1), (s("Alice"), 2)]
        );
        // Counting 1..=10 without a table.
        let nums = select(literal(1).label("n")).cte_recursive("nums");
        let nums = nums
            .clone()
            .union_all(select((nums.c("n") + 1).label("n")).filter(nums.c("n").lt(10)));
        let total = select(func::sum(nums.c("n")));
        assert_eq!(scalars::<i64>(engine, &total)?, [55]);
        Ok(())
    });
}

#[test]
fn window_functions() {
    on_all(|engine| {
        let o = org(engine, "sel_window")?;
        let e = &o.emp;
        let rn = func::row_number()
            .over(
                Window::new()
                    .partition_by(e.c("dept_id"))
                    .order_by(e.c("id").desc()),
            )
            .label("rn");
        let running = func::sum(e.c("salary"))
            .over(Window::new().order_by(e.c("id")))
            .label("running");
        let prev = func::lag(e.c("name"))
            .over(Window::new().order_by(e.c("id")))
            .label("prev");
        let stmt = select((e.c("name"), rn, running, prev)).order_by(e.c("id"));
        assert_eq!(
            rows::<(String, i64, i64, Option<String>)>(engine, &stmt)?,
            [
                (s("Alice"), 2, 100, None),
                (s("Bob"), 1, 180, Some(s("Alice"))),
                (s("Carol"), 2, 250, Some(s("Bob"))),
                (s("Dave"), 1, 250, Some(s("Carol"))),
                (s("eve"), 1, 300, Some(s("Dave"))),
            ]
        );
        // An empty window, in its own statement: MariaDB 10.11 mis-sorts the other windows of
        // a SELECT that also has `OVER ()` (reproducible in the mariadb client).
        let total = func::count_star().over(Window::new()).label("total");
        let stmt = select((e.c("name"), total)).order_by(e.c("id"));
        assert_eq!(
            rows::<(String, i64)>(engine, &stmt)?
                .iter()
                .map(|r| r.1)
                .collect::<Vec<_>>(),
            [5; 5]
        );
        let rank = func::rank()
            .over(Window::new().order_by(e.c("manager_id")))
            .label("r");
        let dense = func::dense_rank()
            .over(Window::new().order_by(e.c("manager_id")))
            .label("d");
        let stmt = select((e.c("id"), rank, dense))
            .filter(e.c("manager_id").is_not_null())
            .order_by(e.c("id"));
        assert_eq!(
            rows::<(i64, i64, i64)>(engine, &stmt)?,
            [(2, 1, 1), (3, 1, 1), (4, 3, 2), (5, 3, 2)]
        );
        // A frame: the sum of each salary and the one before it.
        let pair = func::sum(e.c("salary"))
            .over(Window::new().order_by(e.c("id")).rows(Some(-1), Some(0)))
            .label("pair");
        let next = func::lead(e.c("id"))
            .over(Window::new().order_by(e.c("id")))
            .label("next");
        let stmt = select((pair, next)).order_by(e.c("id"));
        assert_eq!(
            rows::<(Option<i64>, Option<i64>)>(engine, &stmt)?,
            [
                (Some(100), Some(2)),
                (Some(180), Some(3)),
                (Some(150), Some(4)),
                (Some(70), Some(5)),
                (Some(50), None),
            ]
        );
        Ok(())
    });
}

#[test]
fn case_expressions() {
    on_all(|engine| {
        let o = org(engine, "sel_case")?;
        let e = &o.emp;
        let band = case([
            (e.c("salary").ge(80), literal("high")),
            (e.c("salary").ge(60), literal("mid")),
        ])
        .else_("low")
        .label("band");
        let dept = case([])
            .value(e.c("dept_id"))
            .when(1, "eng")
            .when(2, "sales")
            .end()
            .label("d");
        let stmt = select((band, dept)).order_by(e.c("id"));
        assert_eq!(
            rows::<(String, Option<String>)>(engine, &stmt)?,
            [
                (s("high"), Some(s("eng"))),
                (s("high"), Some(s("eng"))),
                (s("mid"), Some(s("sales"))),
                (s("low"), Some(s("sales"))),
                (s("low"), None),
            ]
        );
        // CASE inside an aggregate.
        let highs = select(func::sum(
            case([(e.c("salary").ge(80), literal(1))]).else_(0),
        ));
        assert_eq!(scalars::<i64>(engine, &highs)?, [2]);
        Ok(())
    });
}

#[test]
fn cast_literal_and_constants() {
    on_all(|engine| {
        let o = org(engine, "sel_cast")?;
        let e = &o.emp;
        let stmt = select((
            cast(e.c("salary"), Type::String(Some(10))).label("s"),
            e.c("name")
                .concat(cast(e.c("id"), Type::String(Some(10))))
                .label("tag"),
            cast(literal("42"), Type::Integer).label("i"),
            cast(literal("2.5"), Type::Float).label("f"),
            (cast(e.c("salary"), Type::Float) / 8).label("eighth"),
        ))
        .filter(e.c("id").eq(1));
        assert_eq!(
            rows::<(String, String, i64, f64, f64)>(engine, &stmt)?,
            [(s("100"), s("Alice1"), 42, 2.5, 12.5)]
        );
        let consts = select((
            literal(7).label("seven"),
            literal("hi").label("hi"),
            literal(1.5).label("x"),
            null().label("nothing"),
            true_().label("t"),
            false_().label("f"),
            literal_column("3 * 4").label("raw"),
        ));
        assert_eq!(
            rows::<(i64, String, f64, Option<i64>, bool, bool, i64)>(engine, &consts)?,
            [(7, s("hi"), 1.5, None, true, false, 12)]
        );
        assert_eq!(ids(engine, e, true_())?.len(), 5);
        assert_eq!(ids(engine, e, false_())?, Vec::<i64>::new());
        Ok(())
    });
}

#[test]
fn tuple_in() {
    on_all(|engine| {
        let o = org(engine, "sel_tuple")?;
        let e = &o.emp;
        let pairs = tuple_([e.c("dept_id"), e.c("name")]).in_exprs([
            tuple_([literal(1), literal("Bob")]),
            tuple_([literal(2), literal("Dave")]),
            tuple_([literal(2), literal("Bob")]),
        ]);
        assert_eq!(ids(engine, e, pairs)?, [2, 4]);
        let sub = select((e.c("dept_id"), e.c("salary"))).filter(e.c("salary").ge(80));
        let by_select = tuple_([e.c("dept_id"), e.c("salary")]).in_select(sub);
        assert_eq!(ids(engine, e, by_select)?, [1, 2]);
        let eq = tuple_([e.c("id"), e.c("name")]).eq(tuple_([literal(3), literal("Carol")]));
        assert_eq!(ids(engine, e, eq)?, [3]);
        Ok(())
    });
}

#[test]
fn extract_on_dates_stored_as_text() {
    on_all(|engine| {
        let o = org(engine, "sel_extract")?;
        let e = &o.emp;
        let h = || hired_date(engine, e);
        let stmt = select((
            extract(DatePart::Year, h()).label("y"),
            h().extract(DatePart::Month).label("m"),
            extract(DatePart::Day, h()).label("d"),
        ))
        .order_by(e.c("id"));
        assert_eq!(
            rows::<(i64, i64, i64)>(engine, &stmt)?,
            [
                (2020, 1, 15),
                (2021, 3, 1),
                (2019, 7, 30),
                (2022, 11, 5),
                (2023, 2, 10),
            ]
        );
        assert_eq!(
            ids(engine, e, extract(DatePart::Year, h()).gt(2020))?,
            [2, 4, 5]
        );
        assert_eq!(
            ids(engine, e, extract(DatePart::Month, h()).le(3))?,
            [1, 2, 5]
        );
        let q = select(extract(DatePart::Quarter, h())).order_by(e.c("id"));
        assert_eq!(scalars::<i64>(engine, &q)?, [1, 1, 3, 4, 1]);
        // 2020-01-15 was a Wednesday (0 = Sunday); day 15 of the year.
        let dow = select((extract(DatePart::Dow, h()), extract(DatePart::Doy, h())))
            .filter(e.c("id").eq(1));
        assert_eq!(rows::<(i64, i64)>(engine, &dow)?, [(3, 15)]);
        Ok(())
    });
}

/// `values()` as a FROM item joined to a table and as a CTE, on every database (PostgreSQL's
/// `(VALUES ...) AS v (a, b)`, SQLite's renaming SELECT, MariaDB's UNION ALL of SELECTs):
/// the exact rows, text and numbers intact.
#[test]
fn values_as_a_from_item_and_a_cte() {
    on_all(|engine| {
        let o = org(engine, "values_from")?;
        let e = &o.emp;
        let v = athanor::sql::values([("id", Type::Integer), ("note", Type::String(Some(40)))])
            .data([(1, "first, 'quoted'"), (3, "third ünïcode")])
            .alias("v");
        let got: Vec<(i64, String)> = engine.connect()?.tuples(
            &select((e.c("id"), v.c("note")))
                .join_from_on(e, &v, e.c("id").eq(v.c("id")))
                .order_by(e.c("id")),
        )?;
        assert_eq!(
            got,
            [
                (1, "first, 'quoted'".to_string()),
                (3, "third ünïcode".to_string())
            ]
        );
        let cte = athanor::sql::values([("n", Type::Integer)])
            .data([(10,), (20,), (30,)])
            .cte("nums");
        let total: i64 = engine
            .connect()?
            .scalar(&select(func::sum(cte.c("n"))).filter(cte.c("n").gt(10)))?;
        assert_eq!(total, 50);
        Ok(())
    });
}
