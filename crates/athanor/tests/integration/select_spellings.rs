//! SQLAlchemy spellings of SELECT on every database, with the exact rows: joins with an
//! explicit ON whose left side is found, GROUP BY a name, joins over duplicated foreign keys,
//! and the numbers aggregates return.

use athanor::prelude::*;
use athanor::{Engine, Result};

use super::support::{fresh, on_all, rows};

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
