//! The schema translate map: every schema-qualified name a statement renders (tables in
//! SELECT and DML, sequences, DDL) goes through it; `None` stands for "no schema" both ways.

use athanor_core::compiler::{SchemaTranslateMap, compile_translated};
use athanor_core::dialect::{Dialect, MySql, Postgres, Sqlite};
use athanor_core::prelude::*;
use athanor_core::sql::{Ddl, StatementRef};

fn sql(stmt: StatementRef<'_>, dialect: &dyn Dialect, map: &SchemaTranslateMap) -> String {
    compile_translated(stmt, dialect, Some(map))
        .unwrap_or_else(|e| panic!("{e}"))
        .static_sql()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn tables_in_dml_and_ddl_and_sequences_are_translated() {
    let md = MetaData::new();
    let t = Table::build("t", &md)
        .schema("alt")
        .column(
            Column::new("id", Type::Integer)
                .sequence(Sequence::new("t_seq").schema("alt"))
                .primary_key(),
        )
        .column(Column::new("x", Type::Integer))
        .finish()
        .unwrap();
    let map = SchemaTranslateMap::new().translate(Some("alt"), Some("real"));
    let update = t.update().values(row! { "x" => 1 }).filter(t.c("id").eq(2));
    assert_eq!(
        sql(update.statement(), &Postgres, &map),
        "UPDATE real.t SET x = $1 WHERE real.t.id = $2"
    );
    let delete = t.delete().filter(t.c("id").eq(2));
    assert_eq!(
        sql(delete.statement(), &MySql, &map),
        "DELETE FROM `real`.t WHERE `real`.t.id = ?"
    );
    let seq = Sequence::new("t_seq").schema("alt");
    assert_eq!(
        sql(select(seq.next_value()).statement(), &Postgres, &map),
        "SELECT nextval('real.t_seq') AS nextval_1"
    );
    let create = Ddl::CreateTable(t.clone());
    assert_eq!(
        sql(create.statement(), &Postgres, &map),
        "CREATE TABLE real.t (id INTEGER DEFAULT nextval('real.t_seq') NOT NULL, x INTEGER, PRIMARY KEY (id))"
    );
    // To no schema: unqualified.
    let to_default = SchemaTranslateMap::new().translate(Some("alt"), None);
    assert_eq!(
        sql(select(t.c("x")).statement(), &Sqlite, &to_default),
        "SELECT t.x FROM t"
    );
}
