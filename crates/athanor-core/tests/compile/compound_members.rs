//! Members of a compound SELECT that need parentheses (a nested set operation of another
//! kind, a member with its own ORDER BY / LIMIT): parenthesized where the dialect allows it,
//! selected from as a subquery on SQLite, which has no parenthesized compound members.

use athanor_core::prelude::*;

use crate::{Golden, assert_all, fixture};

#[test]
fn a_nested_set_operation_is_parenthesized_or_a_subquery() {
    let f = fixture();
    let (users, messages) = (&f.users, &f.messages);
    let inner = intersect([
        select(messages.c("sender_id")),
        select(messages.c("recipient_id")),
    ]);
    let stmt = union([
        athanor_core::sql::SelectBase::from(select(users.c("id"))),
        inner.into(),
    ])
    .order_by(users.c("id"));
    assert_all(
        &stmt,
        Golden {
            sqlite: "SELECT users.id FROM users UNION SELECT * FROM (SELECT messages.sender_id \
                     FROM messages INTERSECT SELECT messages.recipient_id FROM messages) ORDER BY id",
            postgres: "SELECT users.id FROM users UNION (SELECT messages.sender_id FROM messages \
                       INTERSECT SELECT messages.recipient_id FROM messages) ORDER BY id",
            mysql: "SELECT users.id FROM users UNION (SELECT messages.sender_id FROM messages \
                    INTERSECT SELECT messages.recipient_id FROM messages) ORDER BY id",
        },
        &[],
    );
}

#[test]
fn a_member_with_its_own_limit_is_parenthesized_or_a_subquery() {
    let f = fixture();
    let users = &f.users;
    let oldest = select(users.c("id"))
        .order_by(users.c("age").desc())
        .limit(1);
    let stmt = union_all([select(users.c("id")).filter(users.c("age").lt(18)), oldest]);
    assert_all(
        &stmt,
        Golden {
            sqlite: "SELECT users.id FROM users WHERE users.age < ? UNION ALL SELECT * FROM \
                     (SELECT users.id FROM users ORDER BY users.age DESC LIMIT ?)",
            postgres: "SELECT users.id FROM users WHERE users.age < $1 UNION ALL \
                       (SELECT users.id FROM users ORDER BY users.age DESC LIMIT $2)",
            mysql: "SELECT users.id FROM users WHERE users.age < ? UNION ALL \
                    (SELECT users.id FROM users ORDER BY users.age DESC LIMIT ?)",
        },
        &vals![18, 1],
    );
}
