//! The workloads, each through Athanor Core and through the raw driver; shared by the
//! criterion suite and the `profile` binary (for callgrind).

use athanor::RowValues;
use athanor::prelude::*;
use athanor::sql::{Insert, Select};

use crate::{Comment, Customer, Nested, Post, Raw, Tables, User, assemble, pg_prepare};
use mysql::prelude::Queryable;

// ---- rows into records -------------------------------------------------------------------

pub fn user_of(r: &Row) -> User {
    User {
        id: r.get(0).unwrap(),
        name: r.get(1).unwrap(),
        hair_color: r.get(2).unwrap(),
    }
}

pub fn post_of(r: &Row, at: usize) -> Post {
    Post {
        id: r.get(at).unwrap(),
        user_id: r.get(at + 1).unwrap(),
        title: r.get(at + 2).unwrap(),
        body: r.get(at + 3).unwrap(),
    }
}

pub fn comment_of(r: &Row) -> Comment {
    Comment {
        id: r.get(0).unwrap(),
        post_id: r.get(1).unwrap(),
        text: r.get(2).unwrap(),
    }
}

pub fn customer_of(r: &Row) -> Customer {
    Customer {
        id: r.get(0).unwrap(),
        name: r.get(1).unwrap(),
        description: r.get(2).unwrap(),
    }
}

// ---- raw drivers: one reader per driver ------------------------------------------------------

const USERS_SQL: &str = "SELECT users.id, users.name, users.hair_color FROM users";
const JOIN_SQL: &str = "SELECT users.id, users.name, users.hair_color, posts.id, posts.user_id, posts.title, posts.body FROM users LEFT OUTER JOIN posts ON users.id = posts.user_id WHERE users.hair_color = ";
const CUSTOMER_SQL: &str = "SELECT customer.id, customer.name, customer.description FROM customer";

/// Runs a query on the raw driver, mapping each row with `f(get_i64, get_str, get_opt_str)`
/// style accessors: every driver reads by index into the record.
macro_rules! raw_query {
    ($raw:expr, $sql:expr, $params:expr, |$r:ident| $sqlite:expr, |$p:ident| $pg:expr, |$m:ident| $my:expr) => {{
        match $raw {
            Raw::Sqlite(c) => {
                let mut st = c.prepare_cached($sql).unwrap();
                let params = $params;
                let rows = st
                    .query_map(rusqlite::params_from_iter(params.iter()), |$r| Ok($sqlite))
                    .unwrap();
                rows.map(|x| x.unwrap()).collect::<Vec<_>>()
            }
            Raw::Postgres(c, cache) => {
                let st = pg_prepare(c, cache, $sql);
                let params = $params;
                let p32: Vec<i32> = params.iter().map(|v| v.as_i32()).collect();
                let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
                    params.iter().zip(&p32).map(|(v, i)| v.pg(i)).collect();
                c.query(&st, &refs)
                    .unwrap()
                    .iter()
                    .map(|$p| $pg)
                    .collect::<Vec<_>>()
            }
            Raw::MySql(c) => {
                let params = $params;
                let ps: Vec<mysql::Value> = params.iter().map(|v| v.my()).collect();
                let ps = if ps.is_empty() {
                    mysql::Params::Empty
                } else {
                    mysql::Params::Positional(ps)
                };
                c.exec_map($sql, ps, |$m: mysql::Row| $my).unwrap()
            }
        }
    }};
}

/// A parameter for the raw drivers.
#[derive(Debug)]
pub enum P {
    I(i64),
    S(&'static str),
}

impl P {
    fn as_i32(&self) -> i32 {
        match self {
            P::I(i) => *i as i32,
            P::S(_) => 0,
        }
    }
    fn pg<'a>(&'a self, i: &'a i32) -> &'a (dyn postgres::types::ToSql + Sync) {
        match self {
            P::I(_) => i,
            P::S(s) => s,
        }
    }
    fn my(&self) -> mysql::Value {
        match self {
            P::I(i) => mysql::Value::Int(*i),
            P::S(s) => mysql::Value::Bytes(s.as_bytes().to_vec()),
        }
    }
}

impl rusqlite::ToSql for P {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        match self {
            P::I(i) => i.to_sql(),
            P::S(s) => s.to_sql(),
        }
    }
}

pub fn raw_users(raw: &mut Raw) -> Vec<User> {
    raw_query!(
        raw,
        USERS_SQL,
        Vec::<P>::new(),
        |r| User {
            id: r.get(0)?,
            name: r.get(1)?,
            hair_color: r.get(2)?
        },
        |r| User {
            id: i64::from(r.get::<_, i32>(0)),
            name: r.get(1),
            hair_color: r.get(2)
        },
        |r| User {
            id: r.get(0).unwrap(),
            name: r.get(1).unwrap(),
            hair_color: r.get(2).unwrap()
        }
    )
}

pub fn raw_join(raw: &mut Raw) -> Vec<(User, Option<Post>)> {
    let sql = format!("{JOIN_SQL}{}", raw.ph(1));
    raw_query!(
        raw,
        &sql,
        vec![P::S("black")],
        |r| (
            User {
                id: r.get(0)?,
                name: r.get(1)?,
                hair_color: r.get(2)?
            },
            match r.get::<_, Option<i64>>(3)? {
                Some(id) => Some(Post {
                    id,
                    user_id: r.get(4)?,
                    title: r.get(5)?,
                    body: r.get(6)?
                }),
                None => None,
            }
        ),
        |r| (
            User {
                id: i64::from(r.get::<_, i32>(0)),
                name: r.get(1),
                hair_color: r.get(2)
            },
            r.get::<_, Option<i32>>(3).map(|id| Post {
                id: i64::from(id),
                user_id: i64::from(r.get::<_, i32>(4)),
                title: r.get(5),
                body: r.get(6)
            })
        ),
        |r| (
            User {
                id: r.get(0).unwrap(),
                name: r.get(1).unwrap(),
                hair_color: r.get(2).unwrap()
            },
            r.get::<Option<i64>, _>(3).unwrap().map(|id| Post {
                id,
                user_id: r.get(4).unwrap(),
                title: r.get(5).unwrap(),
                body: r.get(6).unwrap()
            })
        )
    )
}

pub fn raw_nested(raw: &mut Raw) -> Nested {
    let users = raw_users(raw);
    let ids: Vec<P> = users.iter().map(|u| P::I(u.id)).collect();
    let sql = format!(
        "SELECT posts.id, posts.user_id, posts.title, posts.body FROM posts WHERE posts.user_id IN ({})",
        raw.phs(0, ids.len())
    );
    let posts = raw_query!(
        raw,
        &sql,
        ids,
        |r| Post {
            id: r.get(0)?,
            user_id: r.get(1)?,
            title: r.get(2)?,
            body: r.get(3)?
        },
        |r| Post {
            id: i64::from(r.get::<_, i32>(0)),
            user_id: i64::from(r.get::<_, i32>(1)),
            title: r.get(2),
            body: r.get(3)
        },
        |r| Post {
            id: r.get(0).unwrap(),
            user_id: r.get(1).unwrap(),
            title: r.get(2).unwrap(),
            body: r.get(3).unwrap()
        }
    );
    let pids: Vec<P> = posts.iter().map(|p| P::I(p.id)).collect();
    let sql = format!(
        "SELECT comments.id, comments.post_id, comments.text FROM comments WHERE comments.post_id IN ({})",
        raw.phs(0, pids.len())
    );
    let comments = raw_query!(
        raw,
        &sql,
        pids,
        |r| Comment {
            id: r.get(0)?,
            post_id: r.get(1)?,
            text: r.get(2)?
        },
        |r| Comment {
            id: i64::from(r.get::<_, i32>(0)),
            post_id: i64::from(r.get::<_, i32>(1)),
            text: r.get(2)
        },
        |r| Comment {
            id: r.get(0).unwrap(),
            post_id: r.get(1).unwrap(),
            text: r.get(2).unwrap()
        }
    );
    let posts = assemble(posts, comments, |p| p.id, |c| c.post_id);
    assemble(users, posts, |u| u.id, |(p, _)| p.user_id)
}

pub fn raw_customers(raw: &mut Raw) -> Vec<Customer> {
    raw_query!(
        raw,
        CUSTOMER_SQL,
        Vec::<P>::new(),
        |r| Customer {
            id: r.get(0)?,
            name: r.get(1)?,
            description: r.get(2)?
        },
        |r| Customer {
            id: i64::from(r.get::<_, i32>(0)),
            name: r.get(1),
            description: r.get(2)
        },
        |r| Customer {
            id: r.get(0).unwrap(),
            name: r.get(1).unwrap(),
            description: r.get(2).unwrap()
        }
    )
}

pub fn raw_lookup(raw: &mut Raw, id: i64) -> Customer {
    let sql = format!("{CUSTOMER_SQL} WHERE customer.id = {}", raw.ph(1));
    let mut v = raw_query!(
        raw,
        &sql,
        vec![P::I(id)],
        |r| Customer {
            id: r.get(0)?,
            name: r.get(1)?,
            description: r.get(2)?
        },
        |r| Customer {
            id: i64::from(r.get::<_, i32>(0)),
            name: r.get(1),
            description: r.get(2)
        },
        |r| Customer {
            id: r.get(0).unwrap(),
            name: r.get(1).unwrap(),
            description: r.get(2).unwrap()
        }
    );
    v.pop().unwrap()
}

/// Inserts users in one statement (multi-row VALUES), as Diesel's insert benchmark does.
pub fn raw_insert_users(raw: &mut Raw, users: &[User]) {
    let values: Vec<String> = (0..users.len())
        .map(|i| format!("({})", raw.phs(i * 2, 2)))
        .collect();
    let sql = format!(
        "INSERT INTO new_users (name, hair_color) VALUES {}",
        values.join(", ")
    );
    match raw {
        Raw::Sqlite(c) => {
            let mut st = c.prepare_cached(&sql).unwrap();
            let mut i = 1;
            for u in users {
                st.raw_bind_parameter(i, &u.name).unwrap();
                st.raw_bind_parameter(i + 1, &u.hair_color).unwrap();
                i += 2;
            }
            st.raw_execute().unwrap();
        }
        Raw::Postgres(c, cache) => {
            let st = pg_prepare(c, cache, &sql);
            let mut ps: Vec<&(dyn postgres::types::ToSql + Sync)> = Vec::new();
            for u in users {
                ps.push(&u.name);
                ps.push(&u.hair_color);
            }
            c.execute(&st, &ps).unwrap();
        }
        Raw::MySql(c) => {
            let mut ps = Vec::new();
            for u in users {
                ps.push(mysql::Value::from(&u.name));
                ps.push(mysql::Value::from(&u.hair_color));
            }
            c.exec_drop(&sql, ps).unwrap();
        }
    }
}

const CUSTOMER_INSERT: &str = "INSERT INTO new_customer (id, name, description) VALUES ";

/// One prepared INSERT re-bound per row in one transaction.
pub fn raw_bulk_insert(raw: &mut Raw, rows: &[Customer]) {
    let sql = format!("{CUSTOMER_INSERT}({})", raw.phs(0, 3));
    match raw {
        Raw::Sqlite(c) => {
            let tx = c.transaction().unwrap();
            {
                let mut st = tx.prepare_cached(&sql).unwrap();
                for r in rows {
                    st.execute((r.id, &r.name, &r.description)).unwrap();
                }
            }
            tx.commit().unwrap();
        }
        Raw::Postgres(c, cache) => {
            let st = pg_prepare(c, cache, &sql);
            let mut tx = c.transaction().unwrap();
            for r in rows {
                tx.execute(&st, &[&(r.id as i32), &r.name, &r.description])
                    .unwrap();
            }
            tx.commit().unwrap();
        }
        Raw::MySql(c) => {
            let mut tx = c.start_transaction(mysql::TxOpts::default()).unwrap();
            let st = tx.prep(&sql).unwrap();
            for r in rows {
                tx.exec_drop(&st, (r.id, &r.name, &r.description)).unwrap();
            }
            tx.commit().unwrap();
        }
    }
}

/// Each row in its own transaction.
pub fn raw_single_inserts(raw: &mut Raw, rows: &[Customer]) {
    let sql = format!("{CUSTOMER_INSERT}({})", raw.phs(0, 3));
    match raw {
        Raw::Sqlite(c) => {
            for r in rows {
                let tx = c.transaction().unwrap();
                tx.prepare_cached(&sql)
                    .unwrap()
                    .execute((r.id, &r.name, &r.description))
                    .unwrap();
                tx.commit().unwrap();
            }
        }
        Raw::Postgres(c, cache) => {
            let st = pg_prepare(c, cache, &sql);
            for r in rows {
                let mut tx = c.transaction().unwrap();
                tx.execute(&st, &[&(r.id as i32), &r.name, &r.description])
                    .unwrap();
                tx.commit().unwrap();
            }
        }
        Raw::MySql(c) => {
            for r in rows {
                let mut tx = c.start_transaction(mysql::TxOpts::default()).unwrap();
                tx.exec_drop(&sql, (r.id, &r.name, &r.description)).unwrap();
                tx.commit().unwrap();
            }
        }
    }
}

// ---- Athanor -------------------------------------------------------------------------------

/// Records map straight from a result's values (`FromRow::from_row_values` moves them out);
/// `from_row` is the borrowing path for a single `Row`.
macro_rules! from_row {
    ($t:ident { $($f:ident : $i:literal),+ }) => {
        impl FromRow for $t {
            fn from_row(r: &Row) -> athanor::Result<Self> {
                Ok($t { $($f: r.get($i)?),+ })
            }
            #[inline]
            fn from_row_values(mut v: RowValues<'_>) -> athanor::Result<Self> {
                Ok($t { $($f: v.take($i)?),+ })
            }
        }
    };
}
from_row!(User {
    id: 0,
    name: 1,
    hair_color: 2
});
from_row!(Post {
    id: 0,
    user_id: 1,
    title: 2,
    body: 3
});
from_row!(Comment {
    id: 0,
    post_id: 1,
    text: 2
});
from_row!(Customer {
    id: 0,
    name: 1,
    description: 2
});

pub fn athanor_users(conn: &mut Connection, t: &Tables) -> Vec<User> {
    conn.tuples(&select(&t.users)).unwrap()
}

pub fn athanor_join(conn: &mut Connection, t: &Tables) -> Vec<(User, Option<Post>)> {
    let (u, p) = (&t.users, &t.posts);
    let stmt = select((
        u.c("id"),
        u.c("name"),
        u.c("hair_color"),
        p.c("id"),
        p.c("user_id"),
        p.c("title"),
        p.c("body"),
    ))
    .select_from(u.outerjoin(p))
    .filter(u.c("hair_color").eq("black"));
    type Joined = (
        i64,
        String,
        Option<String>,
        Option<i64>,
        Option<i64>,
        Option<String>,
        Option<String>,
    );
    conn.tuples::<Joined, _>(&stmt)
        .unwrap()
        .into_iter()
        .map(|(id, name, hair_color, pid, user_id, title, body)| {
            let post = pid.map(|pid| Post {
                id: pid,
                user_id: user_id.unwrap_or_default(),
                title: title.unwrap_or_default(),
                body,
            });
            (
                User {
                    id,
                    name,
                    hair_color,
                },
                post,
            )
        })
        .collect()
}

pub fn athanor_nested(conn: &mut Connection, t: &Tables) -> Nested {
    let users = athanor_users(conn, t);
    let posts: Vec<Post> = conn
        .tuples(&select(&t.posts).filter(t.posts.c("user_id").in_(users.iter().map(|u| u.id))))
        .unwrap();
    let comments: Vec<Comment> = conn
        .tuples(
            &select(&t.comments).filter(t.comments.c("post_id").in_(posts.iter().map(|p| p.id))),
        )
        .unwrap();
    let posts = assemble(posts, comments, |p| p.id, |c| c.post_id);
    assemble(users, posts, |u| u.id, |(p, _)| p.user_id)
}

pub fn athanor_customers(conn: &mut Connection, t: &Tables) -> Vec<Customer> {
    conn.tuples(&select(&t.customer)).unwrap()
}

pub fn athanor_insert_users(conn: &mut Connection, t: &Tables, users: &[User]) {
    let rows = users
        .iter()
        .map(|u| row! { "name" => u.name.as_str(), "hair_color" => u.hair_color.clone() });
    conn.execute(&t.new_users.insert().values_many(rows))
        .unwrap();
}

pub fn customer_row(c: &Customer) -> athanor::sql::Values {
    row! { "id" => c.id, "name" => c.name.as_str(), "description" => c.description.as_str() }
}

/// A customer as a positional row for `execute_many_rows`, borrowing its text (what the raw
/// baseline binds).
pub fn customer_values(c: &Customer) -> (i64, &str, &str) {
    (c.id, c.name.as_str(), c.description.as_str())
}

/// Each row INSERTed in its own transaction, through one `INSERT INTO new_customer` statement
/// built once and given each row's values at execution (SQLAlchemy's
/// `examples/performance/single_inserts.py` `test_core`: `conn.execute(table.insert(), row)`).
pub fn athanor_single_inserts(conn: &mut Connection, insert: &Insert, rows: &[Customer]) {
    for r in rows {
        let mut tx = conn.begin().unwrap();
        tx.execute_with(insert, &customer_row(r)).unwrap();
        tx.commit().unwrap();
    }
}

pub fn clear_customers(t: &Tables) -> impl FnMut(&mut Connection) + '_ {
    |conn| {
        conn.execute(&t.new_customer.delete()).unwrap();
    }
}

/// The primary-key lookup, built once with `bindparam("id")` and executed for each id
/// (SQLAlchemy's `test_core_reuse_stmt`; the raw baseline likewise prepares one SQL text).
pub fn lookup_statement(t: &Tables) -> Select {
    select(&t.customer).filter(t.customer.c("id").eq(bindparam("id")))
}

pub fn athanor_lookup(conn: &mut Connection, stmt: &Select, id: i64) -> Customer {
    let mut found: Vec<Customer> = conn.tuples_with(stmt, &row! { "id" => id }).unwrap();
    found.pop().unwrap()
}

/// The lookup with its statement built anew each time (SQLAlchemy's
/// `test_core_new_stmt_each_time`).
pub fn athanor_lookup_new_stmt(conn: &mut Connection, t: &Tables, id: i64) -> Customer {
    let mut found: Vec<Customer> = conn
        .tuples(&select(&t.customer).filter(t.customer.c("id").eq(id)))
        .unwrap();
    found.pop().unwrap()
}
