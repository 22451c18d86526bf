//! SQLAlchemy spellings of SELECT on every database, with the exact rows: joins with an
//! explicit ON whose left side is found, GROUP BY a name, joins over duplicated foreign keys,
//! and the numbers aggregates return.

use athanor::prelude::*;
use athanor::sql::Select;
use athanor::{Engine, Result};

use athanor::Error;
use athanor::error::CompileError;

use super::support::{fresh, on_all, org, rows, s};

#[test]
fn a_foreign_key_declared_twice_joins_once() {
    on_all(|engine: &Engine| -> Result<()> {
        let md = MetaData::new();
        let a = Table::build("dupfk_a", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("name", Type::String(Some(10))))
            .finish()?;
        let d = Table::build("dupfk_d", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("a_id", Type::Integer))
            .foreign_key(ForeignKeyConstraint::new(["a_id"], "dupfk_a", ["id"]).name("dupfk_1"))
            .foreign_key(ForeignKeyConstraint::new(["a_id"], "dupfk_a", ["id"]).name("dupfk_2"))
            .finish()?;
        fresh(engine, &md)?;
        let mut conn = engine.connect()?;
        conn.execute(&a.insert().values_many([
            row! { "id" => 1, "name" => "one" },
            row! { "id" => 2, "name" => "two" },
        ]))?;
        conn.execute(&d.insert().values_many([
            row! { "id" => 10, "a_id" => 1 },
            row! { "id" => 11, "a_id" => 1 },
            row! { "id" => 12, "a_id" => 2 },
        ]))?;
        let stmt = select((d.c("id"), a.c("name")))
            .select_from(d.join(&a))
            .order_by(d.c("id"));
        assert_eq!(
            rows::<(i64, String)>(engine, &stmt)?,
            [(10, "one".into()), (11, "one".into()), (12, "two".into())]
        );
        Ok(())
    });
}

#[test]
fn join_on_finds_its_left_side_in_the_select_list() {
    on_all(|engine: &Engine| -> Result<()> {
        let o = org(engine, "sp_joinon")?;
        let (d, e) = (&o.dept, &o.emp);
        // Each employee with their manager: no foreign key, the ON clause names emp.
        let boss = e.alias("boss");
        let stmt = select((e.c("name"), boss.c("name").label("boss")))
            .join_on(&boss, e.c("manager_id").eq(boss.c("id")))
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
        // Every department with its employees earning over 60 (Empty has none).
        let stmt = select((d.c("name"), func::count(e.c("id")).label("n")))
            .outerjoin_on(e, e.c("dept_id").eq(d.c("id")) & e.c("salary").gt(60))
            .group_by(d.c("name"))
            .order_by(d.c("name"));
        assert_eq!(
            rows::<(String, i64)>(engine, &stmt)?,
            [(s("Empty"), 0), (s("Engineering"), 2), (s("Sales"), 1)]
        );
        Ok(())
    });
}

#[test]
fn full_outerjoin_keeps_both_sides_where_the_database_has_it() {
    on_all(|engine: &Engine| -> Result<()> {
        let o = org(engine, "sp_full")?;
        let (d, e) = (&o.dept, &o.emp);
        let stmt = select((d.c("name"), e.c("name").label("emp")))
            .select_from(d)
            .full_outerjoin_on(e, e.c("dept_id").eq(d.c("id")))
            .filter(d.c("id").is_null() | e.c("id").is_null());
        let inferred = select(d.c("name"))
            .select_from(d)
            .full_outerjoin(e)
            .filter(e.c("id").is_null());
        if engine.dialect().name() == "mysql" {
            for stmt in [&stmt, &inferred] {
                match engine.connect()?.execute(stmt) {
                    Err(Error::Compile(e)) => assert!(
                        matches!(
                            *e,
                            CompileError::Unsupported {
                                dialect: "mysql",
                                ..
                            }
                        ),
                        "{e:?}"
                    ),
                    other => panic!("expected Unsupported, got {other:?}"),
                }
            }
            return Ok(());
        }
        let mut got = rows::<(Option<String>, Option<String>)>(engine, &stmt)?;
        got.sort();
        assert_eq!(got, [(None, Some(s("eve"))), (Some(s("Empty")), None)]);
        assert_eq!(rows::<(String,)>(engine, &inferred)?, [(s("Empty"),)]);
        Ok(())
    });
}

#[test]
fn group_by_a_name_groups_by_the_label_or_column_it_names() {
    on_all(|engine: &Engine| -> Result<()> {
        let o = org(engine, "sp_groupname")?;
        let (d, e) = (&o.dept, &o.emp);
        // A label, grouped by name, with HAVING and ORDER BY on the statement's names.
        let stmt = select((
            e.c("dept_id").label("dept"),
            func::sum(e.c("salary")).label("total"),
            func::count_star().label("n"),
        ))
        .filter(e.c("dept_id").is_not_null())
        .group_by("dept")
        .having(func::count_star().gt(1))
        .order_by(desc("total"));
        assert_eq!(
            rows::<(i64, i64, i64)>(engine, &stmt)?,
            [(1, 180, 2), (2, 70, 2)]
        );
        // "name" is a column of both dept and emp; the selected one (dept's) is meant.
        let stmt = select((d.c("name"), func::count(e.c("id")).label("n")))
            .select_from(d.join(e))
            .group_by("name")
            .order_by("name");
        assert_eq!(
            rows::<(String, i64)>(engine, &stmt)?,
            [(s("Engineering"), 2), (s("Sales"), 2)]
        );
        // A label that is also a column's name: grouped by what it labels.
        let stmt = select((func::lower(e.c("name")).label("name"), func::count_star()))
            .group_by("name")
            .order_by("name")
            .limit(2);
        assert_eq!(
            rows::<(String, i64)>(engine, &stmt)?,
            [(s("alice"), 1), (s("bob"), 1)]
        );
        Ok(())
    });
}

/// The raw values of the first row.
fn first_row(engine: &Engine, stmt: &Select) -> Result<Vec<Value>> {
    let rows = engine.connect()?.execute(stmt)?.all()?;
    let row = rows.first().expect("one row");
    (0..stmt.columns().len())
        .map(|i| row.value(i).cloned())
        .collect()
}

#[cfg(feature = "rust_decimal")]
fn decimal(text: &str) -> Value {
    Value::Decimal(text.parse().expect("a decimal"))
}

#[test]
#[cfg(feature = "rust_decimal")]
fn numbers_come_back_as_their_expression_type_says() {
    on_all(|engine: &Engine| -> Result<()> {
        let md = MetaData::new();
        let t = Table::build("sp_numbers", &md)
            .column(Column::new("x", Type::Integer))
            .finish()?;
        fresh(engine, &md)?;
        engine.connect()?.execute(
            &t.insert()
                .values_many([row! { "x" => 1 }, row! { "x" => 2 }]),
        )?;
        // avg is untyped, as SQLAlchemy's func.avg: what the database computes (a decimal on
        // PostgreSQL and MySQL, a float on SQLite); typed Float, a float everywhere
        // (SQLAlchemy's Float turns a driver's Decimal into a float).
        let x = || t.c("x");
        let stmt = select((
            func::avg(x()),
            func::avg(x()).type_coerce(Type::Float),
            func::avg(x()).type_coerce(Type::Numeric(None, None)),
            func::avg(x()).type_coerce(Type::Numeric(Some(10), Some(2))),
        ));
        // A Numeric without a scale is a decimal everywhere: the server's own digits, or
        // SQLite's float at SQLAlchemy's default return scale of 10 digits.
        let unscaled = match engine.dialect().name() {
            "sqlite" => "1.5000000000",
            "postgresql" => "1.5000000000000000",
            _ => "1.5000",
        };
        let two = if engine.dialect().name() == "mysql" {
            "1.5000"
        } else if engine.dialect().name() == "postgresql" {
            "1.5000000000000000"
        } else {
            "1.50"
        };
        let got = first_row(engine, &stmt)?;
        let untyped = match engine.dialect().name() {
            "sqlite" => Value::Float(1.5),
            _ => decimal(unscaled),
        };
        let want = [untyped, Value::Float(1.5), decimal(unscaled), decimal(two)];
        assert_eq!(got, want);
        // Equal decimals may differ in scale: the digits are part of the answer.
        assert_eq!(format!("{got:?}"), format!("{want:?}"));
        Ok(())
    });
}
