//! Diesel and SeaQuery (+ rusqlite / postgres) on the suite's workloads, with the same group
//! ids as `crates/athanor-bench` (`<backend>/<workload>`), so the report puts them side by side.
//!
//! Each workload runs under criterion for every implementation here (`diesel`, `seaquery` on
//! SQLite, and `raw-peers`: the raw driver with the peers' own SQLite build and `postgres`),
//! then Diesel and `raw-peers` alternate in one loop (`athanor_bench_harness::Paired`), as the
//! suite alternates Athanor and its raw driver: the report judges the Diesel target on the two
//! alternated ratios. `ATHANOR_BENCH_BACKENDS`, `ATHANOR_BENCH_ONLY`, `ATHANOR_BENCH_SKIP` and
//! `ATHANOR_BENCH_PAIRED_OUT` work as in the suite.

#![allow(clippy::unwrap_used)]

use std::hint::black_box;
use std::time::Duration;

use athanor_bench_harness::{
    Paired, Weight, group, timed, timed_with_cleanup, wants, wants_backend,
};
use criterion::Criterion;

mod eager;

mod schema {
    diesel::table! { users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
    diesel::table! { posts (id) { id -> Integer, user_id -> Integer, title -> Text, body -> Nullable<Text>, } }
    diesel::table! { comments (id) { id -> Integer, post_id -> Integer, text -> Text, } }
    diesel::table! { new_users (id) { id -> Integer, name -> Text, hair_color -> Nullable<Text>, } }
    diesel::table! { customer (id) { id -> Integer, name -> Nullable<Text>, description -> Nullable<Text>, } }
    diesel::table! { new_customer (id) { id -> Integer, name -> Nullable<Text>, description -> Nullable<Text>, } }
    diesel::joinable!(posts -> users (user_id));
    diesel::joinable!(comments -> posts (post_id));
    diesel::allow_tables_to_appear_in_same_query!(users, posts, comments);
}
use schema::*;

#[derive(Debug, Clone, PartialEq, diesel::Queryable, diesel::Identifiable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i32,
    pub name: String,
    pub hair_color: Option<String>,
}

#[derive(
    Debug, Clone, PartialEq, diesel::Queryable, diesel::Identifiable, diesel::Associations,
)]
#[diesel(belongs_to(User), table_name = posts)]
pub struct Post {
    pub id: i32,
    pub user_id: i32,
    pub title: String,
    pub body: Option<String>,
}

#[derive(
    Debug, Clone, PartialEq, diesel::Queryable, diesel::Identifiable, diesel::Associations,
)]
#[diesel(belongs_to(Post), table_name = comments)]
pub struct Comment {
    pub id: i32,
    pub post_id: i32,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, diesel::Queryable, diesel::Insertable)]
#[diesel(table_name = customer)]
pub struct Customer {
    pub id: i32,
    pub name: Option<String>,
    pub description: Option<String>,
}

#[derive(diesel::Insertable)]
#[diesel(table_name = new_users)]
pub struct NewUser<'a> {
    pub name: &'a str,
    pub hair_color: Option<&'a str>,
}

#[derive(diesel::Insertable)]
#[diesel(table_name = new_customer)]
pub struct NewCustomer<'a> {
    pub id: i32,
    pub name: Option<&'a str>,
    pub description: Option<&'a str>,
}

type Nested = Vec<(User, Vec<(Post, Vec<Comment>)>)>;

fn customer_data(i: i32) -> (i32, String, String) {
    (
        i,
        format!("customer name {i}"),
        format!("customer description {i}"),
    )
}

fn lookup_ids(n: usize) -> Vec<i32> {
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % 10_000) as i32 + 1
        })
        .collect()
}

/// SQL that fills users/posts/comments with `(n, posts per user, comments per post)`.
type FillSql<'a> = Box<dyn Fn(usize, usize, usize) -> String + 'a>;

/// DDL and data, in SQL both SQLite and PostgreSQL run (series from a recursive CTE).
fn setup_sql(series: &dyn Fn(usize) -> String) -> (String, FillSql<'_>) {
    let big_series = series(500_000).replace("FROM_ZERO", "1");
    let ddl = format!(
        "DROP TABLE IF EXISTS comments; DROP TABLE IF EXISTS posts; DROP TABLE IF EXISTS users;
         DROP TABLE IF EXISTS new_users; DROP TABLE IF EXISTS customer; DROP TABLE IF EXISTS new_customer;
         CREATE TABLE users (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL, hair_color VARCHAR(255));
         CREATE TABLE posts (id INTEGER NOT NULL PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id), title VARCHAR(255) NOT NULL, body VARCHAR(255));
         CREATE TABLE comments (id INTEGER NOT NULL PRIMARY KEY, post_id INTEGER NOT NULL REFERENCES posts (id), text VARCHAR(255) NOT NULL);
         CREATE TABLE new_users (id {serial} PRIMARY KEY, name VARCHAR(255) NOT NULL, hair_color VARCHAR(255));
         CREATE TABLE customer (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(255), description VARCHAR(255));
         CREATE TABLE new_customer (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(255), description VARCHAR(255));
         INSERT INTO customer SELECT i, 'customer name ' || i, 'customer description ' || i FROM {big_series};",
        serial = if series(1).contains("generate_series") { "SERIAL" } else { "INTEGER" },
    );
    let fill = move |n: usize, per: usize, cper: usize| {
        let mut s = "DELETE FROM comments; DELETE FROM posts; DELETE FROM users;".to_string();
        s += &format!(
            "INSERT INTO users SELECT i + 1, 'User ' || i, CASE WHEN i % 2 = 0 THEN 'black' ELSE 'brown' END FROM {};",
            series(n).replace("FROM_ZERO", "0")
        );
        if per > 0 {
            s += &format!(
                "INSERT INTO posts SELECT i + 1, i / {per} + 1, 'Post ' || i || ' by user ' || (i / {per}), CASE WHEN i % 3 = 0 THEN NULL ELSE 'Body of post ' || i END FROM {};",
                series(n * per).replace("FROM_ZERO", "0")
            );
        }
        if cper > 0 {
            s += &format!(
                "INSERT INTO comments SELECT i + 1, i / {cper} + 1, 'Comment ' || i || ' on post ' || (i / {cper}) FROM {};",
                series(n * per * cper).replace("FROM_ZERO", "0")
            );
        }
        s
    };
    (ddl, Box::new(fill))
}

fn sqlite_series(n: usize) -> String {
    // FROM_ZERO is 0 or 1: the first value; n values.
    format!(
        "(WITH RECURSIVE s(i) AS (SELECT FROM_ZERO UNION ALL SELECT i + 1 FROM s WHERE i + 1 < FROM_ZERO + {n}) SELECT i FROM s)"
    )
}

fn pg_series(n: usize) -> String {
    format!("generate_series(FROM_ZERO, FROM_ZERO + {n} - 1) AS i")
}

/// The Diesel implementations, one module per connection type.
macro_rules! diesel_impls {
    ($m:ident, $conn:ty, $settle:expr) => {
        mod $m {
            use super::*;
            use diesel::connection::SimpleConnection;
            use diesel::prelude::*;
            pub type Conn = $conn;

            pub fn load_users(c: &mut Conn) -> Vec<User> {
                users::table.load::<User>(c).unwrap()
            }
            pub fn join(c: &mut Conn) -> Vec<(User, Option<Post>)> {
                users::table
                    .left_join(posts::table)
                    .filter(users::hair_color.eq("black"))
                    .load::<(User, Option<Post>)>(c)
                    .unwrap()
            }
            pub fn nested(c: &mut Conn) -> Nested {
                let us = users::table.load::<User>(c).unwrap();
                let ps = Post::belonging_to(&us).load::<Post>(c).unwrap();
                let cs = Comment::belonging_to(&ps).load::<Comment>(c).unwrap();
                let cs = cs.grouped_by(&ps);
                let pcs = ps.into_iter().zip(cs).grouped_by(&us);
                us.into_iter().zip(pcs).collect()
            }
            pub fn insert_users(c: &mut Conn, rows: &[(String, Option<String>)]) {
                let v: Vec<NewUser<'_>> = rows
                    .iter()
                    .map(|(n, h)| NewUser {
                        name: n,
                        hair_color: h.as_deref(),
                    })
                    .collect();
                diesel::insert_into(new_users::table)
                    .values(&v)
                    .execute(c)
                    .unwrap();
            }
            pub fn bulk_insert(c: &mut Conn, rows: &[(i32, String, String)]) {
                c.transaction::<_, diesel::result::Error, _>(|c| {
                    for (id, n, d) in rows {
                        diesel::insert_into(new_customer::table)
                            .values(&NewCustomer {
                                id: *id,
                                name: Some(n),
                                description: Some(d),
                            })
                            .execute(c)?;
                    }
                    Ok(())
                })
                .unwrap();
            }
            pub fn single_inserts(c: &mut Conn, rows: &[(i32, String, String)]) {
                for (id, n, d) in rows {
                    c.transaction::<_, diesel::result::Error, _>(|c| {
                        diesel::insert_into(new_customer::table)
                            .values(&NewCustomer {
                                id: *id,
                                name: Some(n),
                                description: Some(d),
                            })
                            .execute(c)?;
                        Ok(())
                    })
                    .unwrap();
                }
            }
            pub fn fetch_all(c: &mut Conn) -> Vec<Customer> {
                customer::table.load::<Customer>(c).unwrap()
            }
            pub fn lookup(c: &mut Conn, id: i32) -> Customer {
                customer::table.find(id).first::<Customer>(c).unwrap()
            }
            pub fn batch(c: &mut Conn, sql: &str) {
                c.batch_execute(sql).unwrap();
            }
            /// As the suite's `settle`: dead rows and statistics dealt with now, not by a
            /// background vacuum during a measurement.
            pub fn settle(c: &mut Conn) {
                let sql: &str = $settle;
                if !sql.is_empty() {
                    c.batch_execute(sql).unwrap();
                }
            }
        }
    };
}
diesel_impls!(d_sqlite, diesel::SqliteConnection, "");
diesel_impls!(d_pg, diesel::PgConnection, "VACUUM ANALYZE");

/// Rows read by index from rusqlite, shared by SeaQuery and the raw driver.
mod rusqlite_rows {
    use super::{Comment, Customer, Post, User};

    pub fn comment(r: &rusqlite::Row<'_>) -> rusqlite::Result<Comment> {
        Ok(Comment {
            id: r.get(0)?,
            post_id: r.get(1)?,
            text: r.get(2)?,
        })
    }

    pub fn user(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
        Ok(User {
            id: r.get(0)?,
            name: r.get(1)?,
            hair_color: r.get(2)?,
        })
    }
    pub fn post(r: &rusqlite::Row<'_>, a: usize) -> rusqlite::Result<Post> {
        Ok(Post {
            id: r.get(a)?,
            user_id: r.get(a + 1)?,
            title: r.get(a + 2)?,
            body: r.get(a + 3)?,
        })
    }
    pub fn cust(r: &rusqlite::Row<'_>) -> rusqlite::Result<Customer> {
        Ok(Customer {
            id: r.get(0)?,
            name: r.get(1)?,
            description: r.get(2)?,
        })
    }
}

/// SeaQuery builds the SQL and values; rusqlite runs them (prepared and cached).
mod sq_sqlite {
    use super::*;
    use sea_query::{Expr, ExprTrait, Iden, JoinType, Query, SqliteQueryBuilder};
    use sea_query_rusqlite::RusqliteBinder;

    #[derive(Iden)]
    enum Users {
        Table,
        Id,
        Name,
        HairColor,
    }
    #[derive(Iden)]
    enum Posts {
        Table,
        Id,
        UserId,
        Title,
        Body,
    }
    #[derive(Iden)]
    enum Comments {
        Table,
        Id,
        PostId,
        Text,
    }
    #[derive(Iden)]
    enum NewUsers {
        Table,
        Name,
        HairColor,
    }
    #[derive(Iden)]
    enum Customer {
        Table,
        Id,
        Name,
        Description,
    }
    #[derive(Iden)]
    enum NewCustomer {
        Table,
        Id,
        Name,
        Description,
    }

    pub type Conn = rusqlite::Connection;

    use super::rusqlite_rows::{comment, cust, post, user};

    fn run<T>(
        c: &Conn,
        q: (String, sea_query_rusqlite::RusqliteValues),
        f: impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Vec<T> {
        let (sql, values) = q;
        let mut st = c.prepare_cached(&sql).unwrap();
        st.query_map(&*values.as_params(), |r| f(r))
            .unwrap()
            .map(|x| x.unwrap())
            .collect()
    }

    pub fn load_users(c: &mut Conn) -> Vec<User> {
        let q = Query::select()
            .columns([
                (Users::Table, Users::Id),
                (Users::Table, Users::Name),
                (Users::Table, Users::HairColor),
            ])
            .from(Users::Table)
            .build_rusqlite(SqliteQueryBuilder);
        run(c, q, user)
    }
    pub fn join(c: &mut Conn) -> Vec<(User, Option<Post>)> {
        let q = Query::select()
            .columns([
                (Users::Table, Users::Id),
                (Users::Table, Users::Name),
                (Users::Table, Users::HairColor),
            ])
            .columns([
                (Posts::Table, Posts::Id),
                (Posts::Table, Posts::UserId),
                (Posts::Table, Posts::Title),
                (Posts::Table, Posts::Body),
            ])
            .from(Users::Table)
            .join(
                JoinType::LeftJoin,
                Posts::Table,
                Expr::col((Users::Table, Users::Id)).equals((Posts::Table, Posts::UserId)),
            )
            .and_where(Expr::col((Users::Table, Users::HairColor)).eq("black"))
            .build_rusqlite(SqliteQueryBuilder);
        run(c, q, |r| {
            let p = match r.get::<_, Option<i32>>(3)? {
                Some(_) => Some(post(r, 3)?),
                None => None,
            };
            Ok((user(r)?, p))
        })
    }
    pub fn nested(c: &mut Conn) -> Nested {
        let us = load_users(c);
        let q = Query::select()
            .columns([Posts::Id, Posts::UserId, Posts::Title, Posts::Body])
            .from(Posts::Table)
            .and_where(Expr::col(Posts::UserId).is_in(us.iter().map(|u| u.id)))
            .build_rusqlite(SqliteQueryBuilder);
        let ps = run(c, q, |r| post(r, 0));
        let q = Query::select()
            .columns([Comments::Id, Comments::PostId, Comments::Text])
            .from(Comments::Table)
            .and_where(Expr::col(Comments::PostId).is_in(ps.iter().map(|p| p.id)))
            .build_rusqlite(SqliteQueryBuilder);
        let cs = run(c, q, comment);
        let ps = assemble(ps, cs, |p| p.id, |c| c.post_id);
        assemble(us, ps, |u| u.id, |(p, _)| p.user_id)
    }
    pub fn insert_users(c: &mut Conn, rows: &[(String, Option<String>)]) {
        let mut q = Query::insert();
        q.into_table(NewUsers::Table)
            .columns([NewUsers::Name, NewUsers::HairColor]);
        for (n, h) in rows {
            q.values_panic([n.as_str().into(), h.clone().into()]);
        }
        let (sql, values) = q.build_rusqlite(SqliteQueryBuilder);
        c.prepare_cached(&sql)
            .unwrap()
            .execute(&*values.as_params())
            .unwrap();
    }
    fn insert_customer(id: i32, n: &str, d: &str) -> (String, sea_query_rusqlite::RusqliteValues) {
        Query::insert()
            .into_table(NewCustomer::Table)
            .columns([NewCustomer::Id, NewCustomer::Name, NewCustomer::Description])
            .values_panic([id.into(), n.into(), d.into()])
            .build_rusqlite(SqliteQueryBuilder)
    }
    pub fn bulk_insert(c: &mut Conn, rows: &[(i32, String, String)]) {
        let tx = c.transaction().unwrap();
        for (id, n, d) in rows {
            let (sql, values) = insert_customer(*id, n, d);
            tx.prepare_cached(&sql)
                .unwrap()
                .execute(&*values.as_params())
                .unwrap();
        }
        tx.commit().unwrap();
    }
    pub fn single_inserts(c: &mut Conn, rows: &[(i32, String, String)]) {
        for (id, n, d) in rows {
            let tx = c.transaction().unwrap();
            let (sql, values) = insert_customer(*id, n, d);
            tx.prepare_cached(&sql)
                .unwrap()
                .execute(&*values.as_params())
                .unwrap();
            tx.commit().unwrap();
        }
    }
    fn customers() -> sea_query::SelectStatement {
        Query::select()
            .columns([
                (Customer::Table, Customer::Id),
                (Customer::Table, Customer::Name),
                (Customer::Table, Customer::Description),
            ])
            .from(Customer::Table)
            .to_owned()
    }
    pub fn fetch_all(c: &mut Conn) -> Vec<super::Customer> {
        run(c, customers().build_rusqlite(SqliteQueryBuilder), cust)
    }
    pub fn lookup(c: &mut Conn, id: i32) -> super::Customer {
        let q = customers()
            .and_where(Expr::col((Customer::Table, Customer::Id)).eq(id))
            .build_rusqlite(SqliteQueryBuilder);
        run(c, q, cust).pop().unwrap()
    }
    pub fn batch(c: &mut Conn, sql: &str) {
        c.execute_batch(sql).unwrap();
    }
    pub fn settle(_: &mut Conn) {}
}

/// The raw driver on the peers' SQLite build (rusqlite 0.38, the libsqlite3-sys Diesel and
/// SeaQuery link): the same SQL and reads as the suite's raw baseline, so Diesel and SeaQuery
/// are compared against the driver on their own SQLite, not on Athanor's newer one.
mod raw_sqlite {
    use super::*;

    pub type Conn = rusqlite::Connection;

    const USERS: &str = "SELECT users.id, users.name, users.hair_color FROM users";
    const CUSTOMERS: &str = "SELECT customer.id, customer.name, customer.description FROM customer";
    const CUSTOMER_INSERT: &str =
        "INSERT INTO new_customer (id, name, description) VALUES (?, ?, ?)";

    use super::rusqlite_rows::{comment, cust, post, user};
    fn run<T, P: rusqlite::Params>(
        c: &Conn,
        sql: &str,
        params: P,
        f: impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Vec<T> {
        let mut st = c.prepare_cached(sql).unwrap();
        st.query_map(params, |r| f(r))
            .unwrap()
            .map(|x| x.unwrap())
            .collect()
    }
    fn placeholders(n: usize) -> String {
        vec!["?"; n].join(", ")
    }

    pub fn load_users(c: &mut Conn) -> Vec<User> {
        run(c, USERS, [], user)
    }
    pub fn join(c: &mut Conn) -> Vec<(User, Option<Post>)> {
        run(
            c,
            "SELECT users.id, users.name, users.hair_color, posts.id, posts.user_id, posts.title, posts.body \
             FROM users LEFT OUTER JOIN posts ON users.id = posts.user_id WHERE users.hair_color = ?",
            ["black"],
            |r| {
                let p = match r.get::<_, Option<i32>>(3)? {
                    Some(_) => Some(post(r, 3)?),
                    None => None,
                };
                Ok((user(r)?, p))
            },
        )
    }
    pub fn nested(c: &mut Conn) -> Nested {
        let us = load_users(c);
        let sql = format!(
            "SELECT posts.id, posts.user_id, posts.title, posts.body FROM posts WHERE posts.user_id IN ({})",
            placeholders(us.len())
        );
        let ps = run(
            c,
            &sql,
            rusqlite::params_from_iter(us.iter().map(|u| u.id)),
            |r| post(r, 0),
        );
        let sql = format!(
            "SELECT comments.id, comments.post_id, comments.text FROM comments WHERE comments.post_id IN ({})",
            placeholders(ps.len())
        );
        let cs = run(
            c,
            &sql,
            rusqlite::params_from_iter(ps.iter().map(|p| p.id)),
            comment,
        );
        let ps = assemble(ps, cs, |p| p.id, |c| c.post_id);
        assemble(us, ps, |u| u.id, |(p, _)| p.user_id)
    }
    pub fn insert_users(c: &mut Conn, rows: &[(String, Option<String>)]) {
        let values = vec!["(?, ?)"; rows.len()].join(", ");
        let sql = format!("INSERT INTO new_users (name, hair_color) VALUES {values}");
        let mut st = c.prepare_cached(&sql).unwrap();
        let mut i = 1;
        for (n, h) in rows {
            st.raw_bind_parameter(i, n).unwrap();
            st.raw_bind_parameter(i + 1, h).unwrap();
            i += 2;
        }
        st.raw_execute().unwrap();
    }
    pub fn bulk_insert(c: &mut Conn, rows: &[(i32, String, String)]) {
        let tx = c.transaction().unwrap();
        {
            let mut st = tx.prepare_cached(CUSTOMER_INSERT).unwrap();
            for (id, n, d) in rows {
                st.execute((id, n, d)).unwrap();
            }
        }
        tx.commit().unwrap();
    }
    pub fn single_inserts(c: &mut Conn, rows: &[(i32, String, String)]) {
        for (id, n, d) in rows {
            let tx = c.transaction().unwrap();
            tx.prepare_cached(CUSTOMER_INSERT)
                .unwrap()
                .execute((id, n, d))
                .unwrap();
            tx.commit().unwrap();
        }
    }
    pub fn fetch_all(c: &mut Conn) -> Vec<Customer> {
        run(c, CUSTOMERS, [], cust)
    }
    pub fn lookup(c: &mut Conn, id: i32) -> Customer {
        run(
            c,
            "SELECT customer.id, customer.name, customer.description FROM customer WHERE customer.id = ?",
            [id],
            cust,
        )
        .pop()
        .unwrap()
    }
    pub fn batch(c: &mut Conn, sql: &str) {
        c.execute_batch(sql).unwrap();
    }
    pub fn settle(_: &mut Conn) {}
}

fn assemble<P, C>(
    parents: Vec<P>,
    children: Vec<C>,
    pid: impl Fn(&P) -> i32,
    fk: impl Fn(&C) -> i32,
) -> Vec<(P, Vec<C>)> {
    let mut index = std::collections::HashMap::with_capacity(parents.len());
    let mut out: Vec<(P, Vec<C>)> = Vec::with_capacity(parents.len());
    for p in parents {
        index.insert(pid(&p), out.len());
        out.push((p, Vec::new()));
    }
    for c in children {
        if let Some(&i) = index.get(&fk(&c)) {
            out[i].1.push(c);
        }
    }
    out
}

/// The raw `postgres` driver, as the suite's raw baseline: each SQL text prepared once per
/// connection, rows read by index. The Diesel target on PostgreSQL divides Diesel by this and
/// Athanor by the suite's own (same driver, same SQL), each measured alternately.
mod raw_pg {
    use super::*;
    use postgres::types::ToSql;

    pub struct Conn {
        client: postgres::Client,
        prepared: std::collections::HashMap<String, postgres::Statement>,
    }

    impl Conn {
        pub fn connect(url: &str) -> Self {
            Conn {
                client: postgres::Client::connect(url, postgres::NoTls).unwrap(),
                prepared: std::collections::HashMap::new(),
            }
        }
        fn prepare(&mut self, sql: &str) -> postgres::Statement {
            if let Some(s) = self.prepared.get(sql) {
                return s.clone();
            }
            let s = self.client.prepare(sql).unwrap();
            self.prepared.insert(sql.to_string(), s.clone());
            s
        }
        pub(crate) fn rows<T>(
            &mut self,
            sql: &str,
            params: &[&(dyn ToSql + Sync)],
            f: impl Fn(&postgres::Row) -> T,
        ) -> Vec<T> {
            let st = self.prepare(sql);
            self.client
                .query(&st, params)
                .unwrap()
                .iter()
                .map(f)
                .collect()
        }
    }

    fn user(r: &postgres::Row) -> User {
        User {
            id: r.get(0),
            name: r.get(1),
            hair_color: r.get(2),
        }
    }
    fn post(r: &postgres::Row, a: usize) -> Post {
        Post {
            id: r.get(a),
            user_id: r.get(a + 1),
            title: r.get(a + 2),
            body: r.get(a + 3),
        }
    }
    fn cust(r: &postgres::Row) -> Customer {
        Customer {
            id: r.get(0),
            name: r.get(1),
            description: r.get(2),
        }
    }
    fn placeholders(from: usize, n: usize) -> String {
        (from + 1..=from + n)
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
    const CUSTOMER_INSERT: &str =
        "INSERT INTO new_customer (id, name, description) VALUES ($1, $2, $3)";

    pub fn load_users(c: &mut Conn) -> Vec<User> {
        c.rows(
            "SELECT users.id, users.name, users.hair_color FROM users",
            &[],
            user,
        )
    }
    pub fn join(c: &mut Conn) -> Vec<(User, Option<Post>)> {
        c.rows(
            "SELECT users.id, users.name, users.hair_color, posts.id, posts.user_id, posts.title, posts.body \
             FROM users LEFT OUTER JOIN posts ON users.id = posts.user_id WHERE users.hair_color = $1",
            &[&"black"],
            |r| {
                let p = r.get::<_, Option<i32>>(3).map(|_| post(r, 3));
                (user(r), p)
            },
        )
    }
    pub fn nested(c: &mut Conn) -> Nested {
        let us = load_users(c);
        let ids: Vec<&(dyn ToSql + Sync)> = us.iter().map(|u| &u.id as _).collect();
        let sql = format!(
            "SELECT posts.id, posts.user_id, posts.title, posts.body FROM posts WHERE posts.user_id IN ({})",
            placeholders(0, ids.len())
        );
        let ps = c.rows(&sql, &ids, |r| post(r, 0));
        let ids: Vec<&(dyn ToSql + Sync)> = ps.iter().map(|p| &p.id as _).collect();
        let sql = format!(
            "SELECT comments.id, comments.post_id, comments.text FROM comments WHERE comments.post_id IN ({})",
            placeholders(0, ids.len())
        );
        let cs = c.rows(&sql, &ids, |r| Comment {
            id: r.get(0),
            post_id: r.get(1),
            text: r.get(2),
        });
        let ps = assemble(ps, cs, |p| p.id, |c| c.post_id);
        assemble(us, ps, |u| u.id, |(p, _)| p.user_id)
    }
    pub fn insert_users(c: &mut Conn, rows: &[(String, Option<String>)]) {
        let values: Vec<String> = (0..rows.len())
            .map(|i| format!("({})", placeholders(i * 2, 2)))
            .collect();
        let sql = format!(
            "INSERT INTO new_users (name, hair_color) VALUES {}",
            values.join(", ")
        );
        let st = c.prepare(&sql);
        let mut ps: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(rows.len() * 2);
        for (n, h) in rows {
            ps.push(n);
            ps.push(h);
        }
        c.client.execute(&st, &ps).unwrap();
    }
    pub fn bulk_insert(c: &mut Conn, rows: &[(i32, String, String)]) {
        let st = c.prepare(CUSTOMER_INSERT);
        let mut tx = c.client.transaction().unwrap();
        for (id, n, d) in rows {
            tx.execute(&st, &[id, n, d]).unwrap();
        }
        tx.commit().unwrap();
    }
    pub fn single_inserts(c: &mut Conn, rows: &[(i32, String, String)]) {
        let st = c.prepare(CUSTOMER_INSERT);
        for (id, n, d) in rows {
            let mut tx = c.client.transaction().unwrap();
            tx.execute(&st, &[id, n, d]).unwrap();
            tx.commit().unwrap();
        }
    }
    pub fn fetch_all(c: &mut Conn) -> Vec<Customer> {
        c.rows(
            "SELECT customer.id, customer.name, customer.description FROM customer",
            &[],
            cust,
        )
    }
    pub fn lookup(c: &mut Conn, id: i32) -> Customer {
        c.rows(
            "SELECT customer.id, customer.name, customer.description FROM customer WHERE customer.id = $1",
            &[&id],
            cust,
        )
        .pop()
        .unwrap()
    }
    pub fn batch(c: &mut Conn, sql: &str) {
        c.client.batch_execute(sql).unwrap();
    }
    pub fn settle(c: &mut Conn) {
        c.client.batch_execute("VACUUM ANALYZE").unwrap();
    }
}

/// The workloads of one implementation on its own connection.
trait Workloads {
    fn batch(&mut self, sql: &str);
    /// Dead rows and statistics dealt with now, not by a background vacuum mid-measurement.
    fn settle(&mut self);
    fn load_users(&mut self) -> Vec<User>;
    fn join(&mut self) -> Vec<(User, Option<Post>)>;
    fn nested(&mut self) -> Nested;
    fn insert_users(&mut self, rows: &[(String, Option<String>)]);
    fn bulk_insert(&mut self, rows: &[(i32, String, String)]);
    fn single_inserts(&mut self, rows: &[(i32, String, String)]);
    fn fetch_all(&mut self) -> Vec<Customer>;
    fn lookup(&mut self, id: i32) -> Customer;
    /// `orm_eager_nested` (issue 15): Diesel and the raw drivers only.
    fn eager_nested(&mut self) -> Nested {
        unimplemented!("no eager loader")
    }
    /// `orm_eager_chinook` (issue 15): Diesel and the raw drivers only.
    fn eager_chinook(&mut self) -> eager::Tree {
        unimplemented!("no eager loader")
    }
}

/// `Workloads` for a module's free functions over its `Conn`.
macro_rules! workloads_of {
    ($imp:ident, $m:ident $(, eager: $nested:path, $chinook:path)?) => {
        struct $imp($m::Conn);
        impl Workloads for $imp {
            $(
                fn eager_nested(&mut self) -> Nested {
                    $nested(&mut self.0)
                }
                fn eager_chinook(&mut self) -> eager::Tree {
                    $chinook(&mut self.0)
                }
            )?
            fn batch(&mut self, sql: &str) {
                $m::batch(&mut self.0, sql)
            }
            fn settle(&mut self) {
                $m::settle(&mut self.0)
            }
            fn load_users(&mut self) -> Vec<User> {
                $m::load_users(&mut self.0)
            }
            fn join(&mut self) -> Vec<(User, Option<Post>)> {
                $m::join(&mut self.0)
            }
            fn nested(&mut self) -> Nested {
                $m::nested(&mut self.0)
            }
            fn insert_users(&mut self, rows: &[(String, Option<String>)]) {
                $m::insert_users(&mut self.0, rows)
            }
            fn bulk_insert(&mut self, rows: &[(i32, String, String)]) {
                $m::bulk_insert(&mut self.0, rows)
            }
            fn single_inserts(&mut self, rows: &[(i32, String, String)]) {
                $m::single_inserts(&mut self.0, rows)
            }
            fn fetch_all(&mut self) -> Vec<Customer> {
                $m::fetch_all(&mut self.0)
            }
            fn lookup(&mut self, id: i32) -> Customer {
                $m::lookup(&mut self.0, id)
            }
        }
    };
}
// Eager loading (issue 15): Diesel's `nested` is already its eager loader (`belonging_to` +
// `grouped_by`); the raw drivers chunk their IN lists for it (`eager::raw_*`).
workloads_of!(DieselSqlite, d_sqlite, eager: d_sqlite::nested, eager::diesel_sqlite::chinook);
workloads_of!(DieselPg, d_pg, eager: d_pg::nested, eager::diesel_pg::chinook);
workloads_of!(SeaQuerySqlite, sq_sqlite);
workloads_of!(RawSqlite, raw_sqlite, eager: eager::raw_sqlite::nested, eager::raw_sqlite::chinook);
workloads_of!(RawPg, raw_pg, eager: eager::raw_pg::nested, eager::raw_pg::chinook);

/// The implementations on one backend: criterion measures each, then Diesel and the raw
/// driver alternate.
struct Impls {
    backend: &'static str,
    diesel: Box<dyn Workloads>,
    seaquery: Option<Box<dyn Workloads>>,
    /// SeaORM, for the eager-loading rows only.
    seaorm: Option<Box<dyn Workloads>>,
    raw: Box<dyn Workloads>,
    /// Whether all of them see one database (a file, a server), so data is loaded once.
    shared: bool,
}

impl Impls {
    fn all(&mut self) -> Vec<&mut dyn Workloads> {
        let mut v: Vec<&mut dyn Workloads> = vec![&mut *self.diesel];
        if let Some(s) = &mut self.seaquery {
            v.push(&mut **s);
        }
        v.push(&mut *self.raw);
        v
    }

    /// Runs data-changing SQL (then settles) on the database, or on each one.
    fn load(&mut self, sql: &str) {
        if self.shared {
            self.diesel.batch(sql);
            self.diesel.settle();
        } else {
            for i in self.all() {
                i.batch(sql);
                i.settle();
            }
        }
    }

    /// Every implementation returns what the raw driver returns.
    fn check<T: PartialEq + std::fmt::Debug>(&mut self, f: impl Fn(&mut dyn Workloads) -> T) {
        let want = f(&mut *self.raw);
        for i in self.all() {
            assert_eq!(f(i), want);
        }
    }

    /// Criterion's group `<backend>/<workload>` over every implementation, then Diesel ÷ raw
    /// alternated. `f` runs `k` iterations on one implementation and returns their time.
    fn measure(
        &mut self,
        c: &mut Criterion,
        paired: &mut Paired,
        workload: &str,
        w: Weight,
        f: impl Fn(&mut dyn Workloads, u64) -> Duration,
    ) {
        let mut g = group(c, self.backend, workload, w);
        g.bench_function("diesel", |bn| bn.iter_custom(|k| f(&mut *self.diesel, k)));
        if let Some(s) = &mut self.seaquery {
            g.bench_function("seaquery", |bn| bn.iter_custom(|k| f(&mut **s, k)));
        }
        g.bench_function("raw-peers", |bn| bn.iter_custom(|k| f(&mut *self.raw, k)));
        g.finish();
        let (d, r) = (&mut *self.diesel, &mut *self.raw);
        paired.run(
            self.backend,
            workload,
            "diesel",
            w,
            |k| f(&mut *d, k),
            |k| f(&mut *r, k),
        );
    }
}

impl Impls {
    /// As [`Impls::measure`], for the ORMs' loaders: Diesel, SeaORM and the raw driver (SeaQuery
    /// has none); SeaORM ÷ raw is alternated too (recorded as `seaorm`).
    fn measure_diesel(
        &mut self,
        c: &mut Criterion,
        paired: &mut Paired,
        workload: &str,
        w: Weight,
        f: impl Fn(&mut dyn Workloads, u64) -> Duration,
    ) {
        let mut g = group(c, self.backend, workload, w);
        g.bench_function("diesel", |bn| bn.iter_custom(|k| f(&mut *self.diesel, k)));
        if let Some(s) = &mut self.seaorm {
            g.bench_function("seaorm", |bn| bn.iter_custom(|k| f(&mut **s, k)));
        }
        g.bench_function("raw-peers", |bn| bn.iter_custom(|k| f(&mut *self.raw, k)));
        g.finish();
        let (d, r) = (&mut *self.diesel, &mut *self.raw);
        paired.run(
            self.backend,
            workload,
            "diesel",
            w,
            |k| f(&mut *d, k),
            |k| f(&mut *r, k),
        );
        if let Some(s) = &mut self.seaorm {
            let r = &mut *self.raw;
            paired.run(
                self.backend,
                workload,
                "seaorm",
                w,
                |k| f(&mut **s, k),
                |k| f(&mut *r, k),
            );
        }
    }

    /// Runs data-changing SQL on the loaders' databases (one when shared).
    fn load_diesel(&mut self, sql: &str) {
        self.diesel.batch(sql);
        self.diesel.settle();
        if !self.shared {
            self.raw.batch(sql);
            self.raw.settle();
            if let Some(s) = &mut self.seaorm {
                s.batch(sql);
            }
        }
    }
}

/// The eager-loading workloads (issue 15): Diesel's `belonging_to` + `grouped_by` against the
/// raw driver's hand-batched statements; both trees checked equal once.
fn run_eager(c: &mut Criterion, paired: &mut Paired, imps: &mut Impls, fill: &FillSql<'_>) {
    let b = imps.backend;
    let sorted_nested = |v: Nested| {
        let v = v.into_iter().map(|(u, ps)| {
            let ps = ps.into_iter().map(|(p, cs)| (p, sorted(cs, |c| (c.id, 0))));
            (u, sorted(ps.collect(), |(p, _)| (p.id, 0)))
        });
        sorted(v.collect(), |(u, _)| (u.id, 0))
    };
    if wants(b, "orm_eager_nested") {
        imps.load_diesel(&fill(100, 10, 10));
        let want = sorted_nested(imps.raw.eager_nested());
        assert_eq!(want.len(), 100);
        assert_eq!(sorted_nested(imps.diesel.eager_nested()), want);
        if let Some(s) = &mut imps.seaorm {
            assert_eq!(sorted_nested(s.eager_nested()), want);
        }
        imps.measure_diesel(c, paired, "orm_eager_nested", Weight::Medium, |i, k| {
            timed(k, || drop(black_box(i.eager_nested())))
        });
    }
    if wants(b, "orm_eager_chinook") {
        imps.load_diesel(&eager::chinook_sql());
        let want = eager::sorted_tree(imps.raw.eager_chinook());
        assert_eq!(eager::counts(&want), (275, 347, 3503, 25));
        assert_eq!(eager::sorted_tree(imps.diesel.eager_chinook()), want);
        if let Some(s) = &mut imps.seaorm {
            assert_eq!(eager::sorted_tree(s.eager_chinook()), want);
        }
        imps.measure_diesel(c, paired, "orm_eager_chinook", Weight::Medium, |i, k| {
            timed(k, || drop(black_box(i.eager_chinook())))
        });
    }
}

/// `v` in the order of `key`: the implementations' results compared whatever order the
/// database returned rows in.
fn sorted<T>(mut v: Vec<T>, key: impl Fn(&T) -> (i32, i32)) -> Vec<T> {
    v.sort_by_key(key);
    v
}

/// Every workload on one backend.
fn run_backend(c: &mut Criterion, paired: &mut Paired, imps: &mut Impls, fill: &FillSql<'_>) {
    let b = imps.backend;
    for n in [1usize, 100, 10_000] {
        let (lu, jn) = (format!("load_users_{n}"), format!("users_join_posts_{n}"));
        if !wants(b, &lu) && !wants(b, &jn) {
            continue;
        }
        imps.load(&fill(n, 1, 0));
        let w = if n >= 10_000 {
            Weight::Medium
        } else {
            Weight::Light
        };
        if wants(b, &lu) {
            imps.check(|i| sorted(i.load_users(), |u| (u.id, 0)));
            assert_eq!(imps.raw.load_users().len(), n);
            imps.measure(c, paired, &lu, w, |i, k| {
                timed(k, || drop(black_box(i.load_users())))
            });
        }
        if n != 100 && wants(b, &jn) {
            imps.check(|i| sorted(i.join(), |(u, p)| (u.id, p.as_ref().map_or(0, |p| p.id))));
            assert_eq!(imps.raw.join().len(), n.div_ceil(2));
            imps.measure(c, paired, &jn, w, |i, k| {
                timed(k, || drop(black_box(i.join())))
            });
        }
    }
    if wants(b, "nested_100x10x10") {
        imps.load(&fill(100, 10, 10));
        // Row order is the database's choice (no ORDER BY, as in Diesel's benchmark).
        imps.check(|i| {
            let v = i.nested().into_iter().map(|(u, ps)| {
                let ps = ps.into_iter().map(|(p, cs)| (p, sorted(cs, |c| (c.id, 0))));
                (u, sorted(ps.collect(), |(p, _)| (p.id, 0)))
            });
            sorted(v.collect(), |(u, _)| (u.id, 0))
        });
        let v = imps.raw.nested();
        assert_eq!(
            v.iter()
                .map(|(_, p)| p.iter().map(|(_, c)| c.len()).sum::<usize>())
                .sum::<usize>(),
            10_000
        );
        imps.measure(c, paired, "nested_100x10x10", Weight::Medium, |i, k| {
            timed(k, || drop(black_box(i.nested())))
        });
    }
    for n in [1usize, 100] {
        let name = format!("insert_users_{n}");
        if !wants(b, &name) {
            continue;
        }
        let rows: Vec<(String, Option<String>)> = (0..n)
            .map(|i| {
                (
                    format!("User {i}"),
                    Some(if i % 2 == 0 { "black" } else { "brown" }.to_string()),
                )
            })
            .collect();
        let every = (10_000 / n as u64).max(1);
        imps.measure(c, paired, &name, Weight::Light, |i, k| {
            timed_with_cleanup(
                k,
                every,
                i,
                |i| i.batch("DELETE FROM new_users"),
                |i| i.insert_users(&rows),
            )
        });
    }
    if wants(b, "bulk_insert_100000") {
        let rows: Vec<(i32, String, String)> = (1..=100_000).map(customer_data).collect();
        imps.measure(c, paired, "bulk_insert_100000", Weight::Heavy, |i, k| {
            timed_with_cleanup(
                k,
                1,
                i,
                |i| i.batch("DELETE FROM new_customer"),
                |i| i.bulk_insert(&rows),
            )
        });
    }
    if wants(b, "single_tx_inserts_10000") {
        let rows: Vec<(i32, String, String)> = (1..=10_000).map(customer_data).collect();
        imps.measure(
            c,
            paired,
            "single_tx_inserts_10000",
            Weight::Heavy,
            |i, k| {
                timed_with_cleanup(
                    k,
                    1,
                    i,
                    |i| i.batch("DELETE FROM new_customer"),
                    |i| i.single_inserts(&rows),
                )
            },
        );
    }
    if wants(b, "fetch_500000") {
        imps.measure(c, paired, "fetch_500000", Weight::Heavy, |i, k| {
            timed(k, || assert_eq!(black_box(i.fetch_all()).len(), 500_000))
        });
    }
    if wants(b, "pk_lookups_10000") {
        let ids = lookup_ids(10_000);
        imps.check(|i| i.lookup(ids[0]));
        assert_eq!(imps.raw.lookup(ids[0]).id, ids[0]);
        imps.measure(c, paired, "pk_lookups_10000", Weight::Heavy, |i, k| {
            timed(k, || {
                for &id in &ids {
                    black_box(i.lookup(id));
                }
            })
        });
    }
}

fn target_dir() -> String {
    std::env::var("CARGO_TARGET_DIR")
        .unwrap_or_else(|_| format!("{}/target", env!("CARGO_MANIFEST_DIR")))
}

fn main() {
    use diesel::Connection;
    let mut c = Criterion::default().configure_from_args();
    let mut paired = Paired::new();
    let wants_eager = ["orm_eager_nested", "orm_eager_chinook"]
        .iter()
        .any(|w| wants("any", w));
    let (ddl, fill) = setup_sql(&sqlite_series);
    let dir = format!("{}/peers-bench", target_dir());
    std::fs::create_dir_all(&dir).unwrap();
    let prag = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";
    for (label, file) in [
        ("sqlite-mem", None),
        ("sqlite-file", Some(format!("{dir}/peers.db"))),
    ] {
        if !wants_backend(label) {
            continue;
        }
        if let Some(f) = &file {
            for s in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{f}{s}"));
            }
        }
        // In memory each implementation has its own database (each gets the DDL and data);
        // in a file they share one, created through Diesel's connection.
        let open = || {
            let r = match &file {
                Some(f) => rusqlite::Connection::open(f).unwrap(),
                None => rusqlite::Connection::open_in_memory().unwrap(),
            };
            r.set_prepared_statement_cache_capacity(256);
            r.execute_batch(prag).unwrap();
            if file.is_none() {
                r.execute_batch(&ddl).unwrap();
            }
            r
        };
        let mut d =
            diesel::SqliteConnection::establish(file.as_deref().unwrap_or(":memory:")).unwrap();
        d_sqlite::batch(&mut d, prag);
        d_sqlite::batch(&mut d, &ddl);
        let mut imps = Impls {
            backend: label,
            diesel: Box::new(DieselSqlite(d)),
            seaquery: Some(Box::new(SeaQuerySqlite(open()))),
            seaorm: wants_eager.then(|| -> Box<dyn Workloads> {
                let url = match &file {
                    Some(f) => format!("sqlite://{f}?mode=rwc"),
                    None => "sqlite::memory:".to_string(),
                };
                let mut s = eager::seaorm::SeaOrm::connect(&url, prag);
                if file.is_none() {
                    s.batch(&ddl);
                }
                Box::new(s)
            }),
            raw: Box::new(RawSqlite(open())),
            shared: file.is_some(),
        };
        run_backend(&mut c, &mut paired, &mut imps, &fill);
        run_eager(&mut c, &mut paired, &mut imps, &fill);
    }
    // Which SQLite the peers ran on, for the report.
    let _ = std::fs::write(
        format!("{}/peers-sqlite-version", target_dir()),
        rusqlite::version(),
    );
    let pg = std::env::var("ATHANOR_BENCH_POSTGRES")
        .ok()
        .or_else(|| std::env::var("ATHANOR_TEST_POSTGRES").ok())
        .filter(|s| !s.is_empty());
    if let Some(url) = pg
        && wants_backend("postgresql")
    {
        let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        if admin
            .query_opt(
                "SELECT 1 FROM pg_database WHERE datname = 'athanor_bench_peers'",
                &[],
            )
            .unwrap()
            .is_none()
        {
            admin
                .batch_execute("CREATE DATABASE athanor_bench_peers")
                .unwrap();
        }
        let url = format!("{}/athanor_bench_peers", url.rsplit_once('/').unwrap().0);
        let (ddl, fill) = setup_sql(&pg_series);
        let mut d = diesel::PgConnection::establish(&url).unwrap();
        d_pg::batch(&mut d, &ddl);
        // As the suite: no autovacuum in the middle of a measurement.
        for t in [
            "users",
            "posts",
            "comments",
            "new_users",
            "customer",
            "new_customer",
        ] {
            d_pg::batch(
                &mut d,
                &format!("ALTER TABLE {t} SET (autovacuum_enabled = false)"),
            );
        }
        d_pg::settle(&mut d);
        let mut imps = Impls {
            backend: "postgresql",
            diesel: Box::new(DieselPg(d)),
            seaquery: None,
            seaorm: wants_eager.then(|| -> Box<dyn Workloads> {
                Box::new(eager::seaorm::SeaOrm::connect(&url, ""))
            }),
            raw: Box::new(RawPg(raw_pg::Conn::connect(&url))),
            shared: true,
        };
        run_backend(&mut c, &mut paired, &mut imps, &fill);
        run_eager(&mut c, &mut paired, &mut imps, &fill);
    }
    paired.write();
    c.final_summary();
}
