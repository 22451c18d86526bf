//! ORDER BY by name on a real database: a string names a label or column, sorts for real,
//! and an unknown name fails before anything is sent.

use athanor::Error;
use athanor::prelude::*;

use super::support::{on_all, org, scalars};

#[test]
fn a_string_sorts_by_the_label_or_column_it_names() {
    on_all(|engine| {
        let o = org(engine, "ord_names")?;
        let e = &o.emp;
        // A selected column.
        let stmt = select(e.c("name")).order_by("name");
        assert_eq!(
            scalars::<String>(engine, &stmt)?,
            ["Alice", "Bob", "Carol", "Dave", "eve"]
        );
        // A column of the FROM list that isn't selected, descending.
        let stmt = select(e.c("name")).order_by(desc("hired"));
        assert_eq!(
            scalars::<String>(engine, &stmt)?,
            ["eve", "Dave", "Bob", "Alice", "Carol"]
        );
        // A label, then a column, in one call.
        let stmt = select((e.c("name"), (e.c("id") * -1).label("neg")))
            .filter(e.c("id").le(3))
            .order_by((asc("neg"), "name"));
        assert_eq!(scalars::<String>(engine, &stmt)?, ["Carol", "Bob", "Alice"]);
        Ok(())
    });
}

#[test]
fn a_string_in_a_union_names_a_result_column() {
    on_all(|engine| {
        let o = org(engine, "ord_union")?;
        let (e, d) = (&o.emp, &o.dept);
        let stmt = select(e.c("name").label("who"))
            .filter(e.c("id").le(2))
            .union(select(d.c("name")))
            .order_by(desc("who"));
        assert_eq!(
            scalars::<String>(engine, &stmt)?,
            ["Sales", "Engineering", "Empty", "Bob", "Alice"]
        );
        let asc_first = select(e.c("name").label("who"))
            .filter(e.c("id").le(2))
            .union_all(select(d.c("name")))
            .order_by("who")
            .limit(2);
        assert_eq!(scalars::<String>(engine, &asc_first)?, ["Alice", "Bob"]);
        Ok(())
    });
}

#[test]
fn an_unknown_name_is_a_compile_error() {
    on_all(|engine| {
        let o = org(engine, "ord_unknown")?;
        let stmt = select(o.emp.c("name")).order_by(desc("nope"));
        match engine.connect()?.execute(&stmt) {
            Err(Error::Compile(e)) => assert!(e.to_string().contains("\"nope\""), "{e}"),
            Err(other) => panic!("expected a compile error, got {other:?}"),
            Ok(_) => panic!("ORDER BY \"nope\" ran"),
        }
        Ok(())
    });
}
