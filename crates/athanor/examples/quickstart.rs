//! The seed transcript: an in-memory SQLite engine, a `users` table, two rows, a filter.
//!
//! Run with `cargo run --example quickstart`.

use athanor::prelude::*;

fn main() -> Result<(), athanor::Error> {
    let engine = create_engine("sqlite:///:memory:")?;
    let metadata = MetaData::new();
    let users = Table::build("users", &metadata)
        .column(Column::new("name", Type::String(None)))
        .column(Column::new("age", Type::Float))
        .finish()?;
    metadata.create_all(&engine)?;

    let mut conn = engine.connect()?;
    conn.execute(
        &users
            .insert()
            .values(row! { "name" => "Alice", "age" => 27.3 }),
    )?;
    conn.execute(
        &users
            .insert()
            .values(row! { "name" => "Bob", "age" => 45.1 }),
    )?;

    let stmt = select(&users).filter(users.c("age").gt(30));
    println!("{stmt}");
    let records = conn.execute(&stmt)?.all()?;
    for r in &records {
        println!("{r:?}");
    }
    let age: Option<f64> = records[0].get("age")?;
    println!("age: {age:?}");
    Ok(())
}
