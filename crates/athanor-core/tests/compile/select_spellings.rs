//! SQLAlchemy spellings of SELECT: joins with an explicit ON whose left side is found
//! (`select(...).join(t, onclause)`), GROUP BY a name, and join inference over duplicate
//! foreign keys.

use athanor_core::dialect::{MySql, Postgres, Sqlite};
use athanor_core::prelude::*;
use athanor_core::sql::Select;

use crate::{Golden, assert_all, compile_error};

fn same(sql: &str) -> Golden<'_> {
    Golden {
        sqlite: sql,
        postgres: sql,
        mysql: sql,
    }
}

/// `a (id)` and `d`, with two foreign key constraints from `d.a_id` to `a.id` (named
/// differently, as a reflected schema may have them), and `e` with two different ones.
fn duplicated() -> (Table, Table, Table) {
    let md = MetaData::new();
    let a = Table::build("a", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .finish()
        .expect("a");
    let d = Table::build("d", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("a_id", Type::Integer))
        .foreign_key(ForeignKeyConstraint::new(["a_id"], "a", ["id"]).name("d_a_1"))
        .foreign_key(ForeignKeyConstraint::new(["a_id"], "a", ["id"]).name("d_a_2"))
        .finish()
        .expect("d");
    let e = Table::build("e", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("a_id", Type::Integer).foreign_key(ForeignKey::new("a.id")))
        .column(Column::new("a2_id", Type::Integer).foreign_key(ForeignKey::new("a.id")))
        .finish()
        .expect("e");
    (a, d, e)
}

#[test]
fn identical_foreign_keys_are_one_join_condition() {
    let (a, d, e) = duplicated();
    // SQLAlchemy's `_joincond_trim_constraints`: constraints that give the same condition
    // are one; both directions, and through Select::join.
    let sql = "SELECT a.id, d.id FROM a JOIN d ON a.id = d.a_id";
    assert_all(
        &select((a.c("id"), d.c("id"))).select_from(a.join(&d)),
        same(sql),
        &[],
    );
    assert_all(
        &select((a.c("id"), d.c("id"))).join_from(&a, &d),
        same(sql),
        &[],
    );
    assert_all(
        &select(a.c("id")).join(&d).add_columns(d.c("id")),
        same(sql),
        &[],
    );
    assert_all(
        &select(d.c("id")).select_from(d.join(&a)),
        same("SELECT d.id FROM d JOIN a ON d.a_id = a.id"),
        &[],
    );
    // Two foreign keys on different columns stay ambiguous.
    let two = select(a.c("id")).select_from(a.join(&e));
    for dialect in [
        &Sqlite as &dyn athanor_core::dialect::Dialect,
        &Postgres,
        &MySql,
    ] {
        assert!(matches!(
            compile_error(&two, dialect),
            Error::AmbiguousForeignKeys { .. }
        ));
    }
}

#[test]
fn join_on_finds_the_left_side_its_on_clause_names() {
    let t = crate::joins::chain();
    let (a, b, d) = (&t.a, &t.b, &t.d);
    // d has no foreign key: the ON clause says which entry of the SELECT list it joins
    // (SQLAlchemy's `find_left_clause_to_join_from`); the other entry stays in the FROM list.
    let stmt = select((a.c("id"), b.c("id"))).join_on(d, b.c("id").eq(d.c("a_id")));
    assert_all(
        &stmt,
        same("SELECT a.id, b.id FROM b JOIN d ON b.id = d.a_id, a"),
        &[],
    );
    let stmt = select((a.c("id"), b.c("id"))).join_on(d, a.c("id").eq(d.c("a_id")));
    assert_all(
        &stmt,
        same("SELECT a.id, b.id FROM a JOIN d ON a.id = d.a_id, b"),
        &[],
    );
    // One candidate: whatever the ON clause says.
    let stmt = select(a.c("id")).join_on(d, d.c("id").eq(5));
    assert_all(
        &stmt,
        Golden {
            sqlite: "SELECT a.id FROM a JOIN d ON d.id = ?",
            postgres: "SELECT a.id FROM a JOIN d ON d.id = $1",
            mysql: "SELECT a.id FROM a JOIN d ON d.id = ?",
        },
        &vals![5],
    );
    // After a join: the join built so far is the left side.
    let stmt = select(a.c("id"))
        .select_from(a)
        .join(b)
        .join_on(d, b.c("id").eq(d.c("a_id")));
    assert_all(
        &stmt,
        same("SELECT a.id FROM a JOIN b ON a.id = b.a_id JOIN d ON b.id = d.a_id"),
        &[],
    );
    // An explicit FROM list: the entry the ON clause names is replaced by the join.
    let stmt = select((a.c("id"), b.c("id")))
        .select_from(a)
        .select_from(b)
        .outerjoin_on(d, b.c("id").eq(d.c("a_id")));
    assert_all(
        &stmt,
        same("SELECT a.id, b.id FROM a, b LEFT OUTER JOIN d ON b.id = d.a_id"),
        &[],
    );
}

#[test]
fn join_on_that_names_no_single_left_side_is_an_error() {
    let t = crate::joins::chain();
    let (a, b, d) = (&t.a, &t.b, &t.d);
    // The ON clause names only the right side and two entries could be the left: no guess.
    let two = select((a.c("id"), b.c("id"))).join_on(d, d.c("id").eq(5));
    match compile_error(&two, &Sqlite) {
        Error::InvalidRequest(m) => assert!(
            m.contains("'d'") && m.contains("a, b") && m.contains("join_from_on()"),
            "{m}"
        ),
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    // Nothing to join from.
    let none = select(literal(1)).join_on(d, d.c("id").eq(5));
    match compile_error(&none, &Postgres) {
        Error::InvalidRequest(m) => assert!(m.contains("'d'"), "{m}"),
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}

#[test]
fn full_outerjoin_finds_its_left_side_and_mysql_refuses_it() {
    let t = crate::joins::chain();
    let (a, b, d) = (&t.a, &t.b, &t.d);
    let inferred = select((a.c("id"), b.c("id")))
        .select_from(a)
        .full_outerjoin(b);
    let sql = "SELECT a.id, b.id FROM a FULL OUTER JOIN b ON a.id = b.a_id";
    crate::assert_compile(&inferred, &Sqlite, sql, &[]);
    crate::assert_compile(&inferred, &Postgres, sql, &[]);
    crate::assert_unsupported(&inferred, &MySql);
    let explicit = select(a.c("id")).full_outerjoin_on(d, a.c("id").eq(d.c("a_id")));
    let sql = "SELECT a.id FROM a FULL OUTER JOIN d ON a.id = d.a_id";
    crate::assert_compile(&explicit, &Sqlite, sql, &[]);
    crate::assert_compile(&explicit, &Postgres, sql, &[]);
    crate::assert_unsupported(&explicit, &MySql);
}

#[test]
fn join_spellings_have_their_own_cache_keys() {
    let t = crate::joins::chain();
    let (a, b, d) = (&t.a, &t.b, &t.d);
    let base = || select(a.c("id")).select_from(a);
    let on = || a.c("id").eq(d.c("a_id"));
    let key = |s: &Select| athanor_core::compiler::cache_key(s.statement(), &Postgres);
    let keys = [
        key(&base().join_on(d, on())),
        key(&base().outerjoin_on(d, on())),
        key(&base().full_outerjoin_on(d, on())),
        key(&base().join_on(d, a.c("id").eq(d.c("id")))),
        key(&base().join(b)),
        key(&base().outerjoin(b)),
        key(&base().full_outerjoin(b)),
    ];
    for (i, k) in keys.iter().enumerate() {
        for (j, other) in keys.iter().enumerate().skip(i + 1) {
            assert_ne!(k, other, "statements {i} and {j} share a cache key");
        }
    }
    assert_eq!(key(&base().join_on(d, on())), keys[0]);
}

#[test]
fn group_by_a_name_is_a_label_or_column_of_the_statement() {
    let f = crate::fixture();
    let u = &f.users;
    // A label, used in HAVING and ORDER BY too.
    let stmt = select((u.c("name").label("who"), func::count_star().label("n")))
        .group_by("who")
        .having(func::count_star().gt(1))
        .order_by("who");
    assert_all(
        &stmt,
        Golden {
            sqlite: "SELECT users.name AS who, count(*) AS n FROM users GROUP BY who HAVING count(*) > ? ORDER BY who",
            postgres: "SELECT users.name AS who, count(*) AS n FROM users GROUP BY who HAVING count(*) > $1 ORDER BY who",
            mysql: "SELECT users.name AS who, count(*) AS n FROM users GROUP BY who HAVING count(*) > ? ORDER BY who",
        },
        &vals![1],
    );
    // A selected column, then a column of the FROM list; names mixed with expressions.
    let stmt = select((u.c("name"), func::count_star()))
        .group_by(("name", u.c("id")))
        .group_by(String::from("age"));
    assert_all(
        &stmt,
        same(
            "SELECT users.name, count(*) AS count_1 FROM users GROUP BY users.name, users.id, users.age",
        ),
        &[],
    );
    // A label that is also a column's name groups by what it labels: PostgreSQL would
    // read the name as the column.
    let stmt =
        select((func::lower(u.c("name")).label("name"), func::count_star())).group_by("name");
    assert_all(
        &stmt,
        same(
            "SELECT lower(users.name) AS name, count(*) AS count_1 FROM users GROUP BY lower(users.name)",
        ),
        &[],
    );
}

#[test]
fn group_by_a_name_of_nothing_or_of_two_columns_is_a_compile_error() {
    let f = crate::fixture();
    let (u, m) = (&f.users, &f.messages);
    let unknown = select((u.c("name"), func::count_star())).group_by("nope");
    match compile_error(&unknown, &Postgres) {
        Error::Compile(e) => {
            let m = e.to_string();
            assert!(
                m.contains("GROUP BY \"nope\"") && m.contains("(it has name, id, age)"),
                "{m}"
            );
        }
        other => panic!("expected Error::Compile, got {other:?}"),
    }
    let two = select(func::count_star())
        .select_from(u.join_on(m, u.c("id").eq(m.c("sender_id"))))
        .group_by("id");
    match compile_error(&two, &MySql) {
        Error::Compile(e) => {
            let msg = e.to_string();
            assert!(
                msg.contains("GROUP BY \"id\" is ambiguous") && msg.contains("users and messages"),
                "{msg}"
            );
        }
        other => panic!("expected Error::Compile, got {other:?}"),
    }
}

#[test]
fn group_by_names_have_their_own_cache_keys() {
    let f = crate::fixture();
    let u = &f.users;
    let base = || select((u.c("name"), u.c("age"), func::count_star()));
    let key = |s: &Select| athanor_core::compiler::cache_key(s.statement(), &Postgres);
    let by_name = key(&base().group_by("name"));
    assert_ne!(by_name, key(&base().group_by("age")));
    assert_ne!(by_name, key(&base().group_by(u.c("name"))));
    assert_eq!(by_name, key(&base().group_by("name")));
}
