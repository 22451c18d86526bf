//! `Select::join_on` / `outerjoin_on`: SQLAlchemy's `select(...).join(right, onclause)`,
//! the left side found from the ON clause.

use athanor_core::dialect::Sqlite;
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
