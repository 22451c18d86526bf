//! Ported from SQLAlchemy's `lib/sqlalchemy/testing/suite/test_rowcount.py` (behaviour,
//! fixtures and assertions; not code). Tests of that file not ported yet are listed, with the
//! reason, in `compliance/todo.tsv`.

use athanor::prelude::*;
use athanor::{Engine, Result};

use super::harness::{Origin, run};
use super::requirements::Flag;

const FILE: &str = "test_rowcount.py";
const CLASS: &str = "RowCountTest";

fn origin(test: &'static str) -> Origin {
    Origin {
        file: FILE,
        class: CLASS,
        test,
    }
}

/// The fixture's employees: (name, department); `employee_id` is the position, from 0.
const DATA: [(&str, &str); 9] = [
    ("Angela", "A"),
    ("Andrew", "A"),
    ("Anand", "A"),
    ("Bob", "B"),
    ("Bobette", "B"),
    ("Buffy", "B"),
    ("Charlie", "C"),
    ("Cynthia", "C"),
    ("Chris", "C"),
];

/// `employees` (employee_id INTEGER primary key, not autoincrement; name VARCHAR(50);
/// department VARCHAR(1)), created and filled with [`DATA`].
fn employees(engine: &Engine) -> Result<Table> {
    let md = MetaData::new();
    let t = Table::build("employees", &md)
        .column(
            Column::new("employee_id", Type::Integer)
                .primary_key()
                .autoincrement(false),
        )
        .column(Column::new("name", Type::String(Some(50))))
        .column(Column::new("department", Type::String(Some(1))))
        .finish()?;
    md.create_all(engine)?;
    fill(&mut engine.connect()?, &t)?;
    Ok(t)
}

fn fill(conn: &mut Connection, t: &Table) -> Result<()> {
    conn.execute_many_rows(
        &t.insert(),
        &["employee_id", "name", "department"],
        DATA.iter()
            .enumerate()
            .map(|(i, (n, d))| (i as i64, *n, *d)),
    )?;
    Ok(())
}

#[test]
fn basic() {
    run(origin("test_basic"), &[Flag::SaneRowcount], |_, engine| {
        let t = employees(engine)?;
        let got: Vec<(String, String)> = engine
            .connect()?
            .tuples(&select((t.c("name"), t.c("department"))).order_by(t.c("employee_id")))?;
        let want: Vec<(String, String)> = DATA
            .iter()
            .map(|(n, d)| (n.to_string(), d.to_string()))
            .collect();
        assert_eq!(got, want);
        Ok(())
    });
}

#[test]
fn non_rowcount_scenarios_no_raise() {
    // The close_first variation has no counterpart: a result is closed by dropping it, after
    // which Rust allows no reading of its rowcount. SQLAlchemy accepts -1 or 3; Athanor's
    // rowcount is a u64 and must be the 3.
    run(
        origin("test_non_rowcount_scenarios_no_raise"),
        &[Flag::SaneRowcount],
        |_, engine| {
            let t = employees(engine)?;
            let mut conn = engine.connect()?;
            let department = t.c("department");
            for statement in ["update", "delete", "insert", "select"] {
                let rowcount = match statement {
                    "update" => conn
                        .execute_with(
                            &t.update().filter(department.clone().eq("C")),
                            &row! { "department" => "Z" },
                        )?
                        .rowcount(),
                    "delete" => conn
                        .execute_with(
                            &t.delete().filter(department.clone().eq("C")),
                            &row! { "department" => "Z" },
                        )?
                        .rowcount(),
                    "insert" => conn.execute_many_rows(
                        &t.insert(),
                        &["employee_id", "name", "department"],
                        [
                            (25_i64, "none 1", "X"),
                            (26, "none 2", "Z"),
                            (27, "none 3", "Z"),
                        ],
                    )?,
                    _ => {
                        let r = conn.execute(
                            &select((t.c("name"), t.c("department")))
                                .filter(department.clone().eq("C")),
                        )?;
                        let n = r.rowcount();
                        r.all()?;
                        n
                    }
                };
                assert_eq!(rowcount, 3, "{statement}");
                conn.execute(&t.delete())?;
                fill(&mut conn, &t)?;
            }
            Ok(())
        },
    );
}

#[test]
fn update_rowcount1() {
    run(
        origin("test_update_rowcount1"),
        &[Flag::SaneRowcount],
        |_, engine| {
            let t = employees(engine)?;
            // WHERE matches 3, 3 rows changed.
            let r = engine.connect()?.execute_with(
                &t.update().filter(t.c("department").eq("C")),
                &row! { "department" => "Z" },
            )?;
            assert_eq!(r.rowcount(), 3);
            Ok(())
        },
    );
}

#[test]
fn update_rowcount2() {
    run(
        origin("test_update_rowcount2"),
        &[Flag::SaneRowcount],
        |_, engine| {
            let t = employees(engine)?;
            // WHERE matches 3, 0 rows changed: the rows matched are counted (MySQL connects
            // with CLIENT_FOUND_ROWS for this).
            let r = engine.connect()?.execute_with(
                &t.update().filter(t.c("department").eq("C")),
                &row! { "department" => "C" },
            )?;
            assert_eq!(r.rowcount(), 3);
            Ok(())
        },
    );
}

#[test]
fn raw_sql_rowcount() {
    run(
        origin("test_raw_sql_rowcount"),
        &[Flag::SaneRowcount],
        |_, engine| {
            employees(engine)?;
            let r = engine
                .connect()?
                .exec_driver_sql("update employees set department='Z' where department='C'")?;
            assert_eq!(r.rowcount(), 3);
            Ok(())
        },
    );
}

#[test]
fn text_rowcount() {
    run(
        origin("test_text_rowcount"),
        &[Flag::SaneRowcount],
        |_, engine| {
            employees(engine)?;
            let r = engine.connect()?.execute(&text(
                "update employees set department='Z' where department='C'",
            ))?;
            assert_eq!(r.rowcount(), 3);
            Ok(())
        },
    );
}

#[test]
fn delete_rowcount() {
    run(
        origin("test_delete_rowcount"),
        &[Flag::SaneRowcount],
        |_, engine| {
            let t = employees(engine)?;
            // WHERE matches 3, 3 rows deleted.
            let r = engine
                .connect()?
                .execute(&t.delete().filter(t.c("department").eq("C")))?;
            assert_eq!(r.rowcount(), 3);
            Ok(())
        },
    );
}

/// The executemany of the multi-rowcount tests: three names, one of them nobody's.
const EMP_NAMES: [[&str; 1]; 3] = [["Bob"], ["Cynthia"], ["nonexistent"]];

#[test]
fn multi_update_rowcount() {
    run(
        origin("test_multi_update_rowcount"),
        &[Flag::SaneRowcount, Flag::SaneMultiRowcount],
        |_, engine| {
            let t = employees(engine)?;
            let stmt = t
                .update()
                .filter(t.c("name").eq(bindparam("emp_name")))
                .values(row! { "department" => "C" });
            let mut conn = engine.connect()?;
            let n = conn.execute_many_params(&stmt, &["emp_name"], EMP_NAMES)?;
            assert_eq!(n, 2);
            let c: Vec<String> = conn.scalars(
                &select(t.c("name"))
                    .filter(t.c("department").eq("C"))
                    .order_by(t.c("employee_id")),
            )?;
            assert_eq!(c, ["Bob", "Charlie", "Cynthia", "Chris"]);
            Ok(())
        },
    );
}

#[test]
fn multi_delete_rowcount() {
    run(
        origin("test_multi_delete_rowcount"),
        &[Flag::SaneRowcount, Flag::SaneMultiRowcount],
        |_, engine| {
            let t = employees(engine)?;
            let stmt = t.delete().filter(t.c("name").eq(bindparam("emp_name")));
            let mut conn = engine.connect()?;
            let n = conn.execute_many_params(&stmt, &["emp_name"], EMP_NAMES)?;
            assert_eq!(n, 2);
            let left: i64 = conn.scalar(&select(func::count(t.c("employee_id"))))?;
            assert_eq!(left, 7);
            Ok(())
        },
    );
}

/// `test_update_delete_rowcount_return_defaults`, one `dml` variation (`update` or
/// `delete`), for both `implicit_returning` variations: `return_defaults()` leaves the
/// rowcount right (3), whether the database fetches the computed SET column with RETURNING
/// (an UPDATE on a table with implicit returning) or not.
fn rowcount_return_defaults(dml: &'static str, flags: &[Flag]) {
    let check = if dml == "update" {
        check_return_defaults::<true>
    } else {
        check_return_defaults::<false>
    };
    run(
        origin("test_update_delete_rowcount_return_defaults"),
        flags,
        check,
    );
}

fn check_return_defaults<const UPDATE: bool>(dialect: &str, engine: &Engine) -> Result<()> {
    let fixture = employees(engine)?;
    for implicit_returning in [true, false] {
        // The fixture's table, or the same table defined again with implicit_returning=False.
        let t = if implicit_returning {
            fixture.clone()
        } else {
            Table::build("employees", &MetaData::new())
                .column(
                    Column::new("employee_id", Type::Integer)
                        .primary_key()
                        .autoincrement(false),
                )
                .column(Column::new("name", Type::String(Some(50))))
                .column(Column::new("department", Type::String(Some(1))))
                .implicit_returning(false)
                .finish()?
        };
        let mut conn = engine.connect()?;
        let mut tx = conn.begin()?;
        let department = t.c("department");
        let r = if UPDATE {
            tx.execute(
                &t.update()
                    .filter(department.clone().eq("C"))
                    .set("name", department.concat("Z"))
                    .return_defaults(),
            )?
        } else {
            tx.execute(&t.delete().filter(department.eq("C")).return_defaults())?
        };
        assert_eq!(r.rowcount(), 3, "implicit_returning={implicit_returning}");
        // As SQLAlchemy 2.1 (checked on each database): an UPDATE with implicit returning
        // fetches the computed `name` of the first row; nothing else fetches anything.
        let fetched = r
            .returned_defaults()
            .map(|row| row.get::<String, _>("name"))
            .transpose()?;
        if UPDATE && implicit_returning && dialect != "mysql" {
            assert_eq!(fetched.as_deref(), Some("CZ"));
        } else {
            assert_eq!(fetched, None, "implicit_returning={implicit_returning}");
        }
        // Each variation starts from the fixture's rows.
        tx.rollback()?;
    }
    Ok(())
}

#[test]
fn update_delete_rowcount_return_defaults_update() {
    rowcount_return_defaults("update", &[Flag::SaneRowcount, Flag::UpdateReturning]);
}

#[test]
fn update_delete_rowcount_return_defaults_delete() {
    rowcount_return_defaults("delete", &[Flag::SaneRowcount, Flag::DeleteReturning]);
}
