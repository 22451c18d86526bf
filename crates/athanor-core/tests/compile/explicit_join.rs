//! `Select::join_on` / `outerjoin_on`: SQLAlchemy's `select(...).join(right, onclause)`,
//! the left side found from the ON clause.

use athanor_core::dialect::{MySql, Postgres, Sqlite};
use athanor_core::prelude::*;

use crate::{assert_compile, fixture};

#[test]
fn the_left_side_is_the_from_entry_the_on_clause_names() {
    let f = fixture();
    let (users, messages) = (&f.users, &f.messages);
    let recipient = users.alias("recipient");
    // Two foreign keys from messages to users: the ON clauses say which is which.
    let stmt = select((
        users.c("name"),
        recipient.c("name").label("to"),
        messages.c("body"),
    ))
    .select_from(users)
    .join_on(messages, messages.c("sender_id").eq(users.c("id")))
    .outerjoin_on(&recipient, messages.c("recipient_id").eq(recipient.c("id")));
    assert_compile(
        &stmt,
        &Sqlite,
        "SELECT users.name, recipient.name AS \"to\", messages.body FROM users \
         JOIN messages ON messages.sender_id = users.id \
         LEFT OUTER JOIN users AS recipient ON messages.recipient_id = recipient.id",
        &[],
    );
}

#[test]
fn an_on_clause_naming_no_entry_or_several_is_an_error() {
    let f = fixture();
    let (users, messages, artist) = (&f.users, &f.messages, &f.artist);
    let nowhere = select(users.c("name"))
        .select_from(users)
        .select_from(artist)
        .join_on(messages, messages.c("id").eq(1));
    match nowhere.compile(&Sqlite) {
        Err(Error::InvalidRequest(m)) => assert!(m.contains("names none of"), "{m}"),
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    let both = select(users.c("name"))
        .select_from(users)
        .select_from(artist)
        .join_on(
            messages,
            messages.c("sender_id").eq(users.c("id")) & artist.c("ArtistId").eq(messages.c("id")),
        );
    match both.compile(&Sqlite) {
        Err(Error::InvalidRequest(m)) => assert!(m.contains("can't determine"), "{m}"),
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}

/// A table without a schema beside a same-named table of another schema is aliased
/// `name_1` in that SELECT (its columns follow), so neither reference is ambiguous; a
/// subquery holding both keeps the alias to itself.
#[test]
fn same_named_table_in_another_schema_is_aliased() {
    let md = MetaData::new();
    let other = Table::build("t", &md)
        .schema("other")
        .column(Column::new("id", Type::Integer).primary_key())
        .finish()
        .unwrap();
    let t = Table::build("t", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("other_id", Type::Integer))
        .finish()
        .unwrap();
    let joined = select(&t)
        .join_from_on(&t, &other, t.c("other_id").eq(other.c("id")))
        .filter(t.c("id").eq(1));
    assert_compile(
        &joined,
        &Postgres,
        "SELECT t_1.id, t_1.other_id FROM t AS t_1 JOIN other.t ON t_1.other_id = other.t.id WHERE t_1.id = $1",
        &vals![1],
    );
    assert_compile(
        &joined,
        &MySql,
        "SELECT t_1.id, t_1.other_id FROM t AS t_1 JOIN other.t ON t_1.other_id = other.t.id WHERE t_1.id = ?",
        &vals![1],
    );
    let sub = joined.subquery_anon();
    let outer = select((&t, sub.c("id"))).join_from_on(&t, &sub, t.c("other_id").eq(sub.c("id")));
    assert_compile(
        &outer,
        &Sqlite,
        "SELECT t.id, t.other_id, anon_1.id FROM t JOIN (SELECT t_1.id, t_1.other_id FROM t AS t_1 JOIN other.t ON t_1.other_id = other.t.id WHERE t_1.id = ?) AS anon_1 ON t.other_id = anon_1.id",
        &vals![1],
    );
}
