//! Ported from SQLAlchemy's compliance suite, `test_insert.py`: the INSERT behaviours issue 17
//! found Athanor getting wrong, on every database.

use athanor::prelude::*;

use super::support::{fresh, on_all, rows, s};

// ported from test_insert.py::InsertBehaviorTest::test_insert_from_select_with_defaults
#[test]
fn insert_from_select_with_defaults() {
    on_all(|engine| {
        let md = MetaData::new();
        let t = Table::build("cmp_includes_defaults", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("data", Type::String(Some(50))))
            .column(Column::new("x", Type::Integer).default(5))
            .column(Column::new("y", Type::Integer).default(4))
            .finish()?;
        fresh(engine, &md)?;
        let mut conn = engine.connect()?;
        conn.execute(&t.insert().values_many([
            row! { "id" => 1, "data" => "data1" },
            row! { "id" => 2, "data" => "data2" },
            row! { "id" => 3, "data" => "data3" },
        ]))?;
        let src = select((t.c("id") + 5, t.c("data"))).filter(t.c("data").in_(["data2", "data3"]));
        let stmt = t.insert().from_select(["id", "data"], src);
        // The defaults of the columns the INSERT doesn't name join the SELECT's columns.
        if engine.dialect().name() == "sqlite" {
            assert_eq!(
                stmt.compile(&*engine.dialect())?.sql(),
                "INSERT INTO cmp_includes_defaults (id, data, x, y) \
                 SELECT cmp_includes_defaults.id + ? AS anon_1, cmp_includes_defaults.data, ?, ? \
                 FROM cmp_includes_defaults WHERE cmp_includes_defaults.data IN (?, ?)"
            );
        }
        conn.execute(&stmt)?;
        drop(conn);
        let got: Vec<(i64, String, Option<i64>, Option<i64>)> =
            rows(engine, &select(&t).order_by(t.c("id")))?;
        assert_eq!(
            got,
            [
                (1, s("data1"), Some(5), Some(4)),
                (2, s("data2"), Some(5), Some(4)),
                (3, s("data3"), Some(5), Some(4)),
                (7, s("data2"), Some(5), Some(4)),
                (8, s("data3"), Some(5), Some(4)),
            ]
        );
        Ok(())
    });
}
