//! Diesel and SeaQuery (+ rusqlite / postgres) on the suite's workloads, with the same group
//! ids as `crates/athanor-bench` (`<backend>/<workload>`), so the report puts them side by side.

#![allow(clippy::unwrap_used)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkGroup, Criterion, SamplingMode, measurement::WallTime};

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

/// Whether to run `workload` on `backend`: `ATHANOR_BENCH_ONLY` (workload-name substrings)
/// keeps only those, `ATHANOR_BENCH_SKIP` (`backend/workload` substrings, e.g.
/// `postgresql/bulk_insert`) leaves those out; `bench/run.sh` uses it to repeat only the
/// quick groups in its later rounds.
fn wants(backend: &str, workload: &str) -> bool {
    let list = |var: &str| {
        std::env::var(var)
            .ok()
            .filter(|v| !v.trim().is_empty())
            .map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_string())
                    .collect::<Vec<_>>()
            })
    };
    let id = format!("{backend}/{workload}");
    list("ATHANOR_BENCH_ONLY").is_none_or(|only| only.iter().any(|o| workload.contains(o.as_str())))
        && !list("ATHANOR_BENCH_SKIP")
            .is_some_and(|skip| skip.iter().any(|s| id.contains(s.as_str())))
}

#[derive(Clone, Copy)]
enum Weight {
    Light,
    Medium,
    Heavy,
}

fn group<'c>(
    c: &'c mut Criterion,
    b: &str,
    workload: &str,
    w: Weight,
) -> BenchmarkGroup<'c, WallTime> {
    let mut g = c.benchmark_group(format!("{b}/{workload}"));
    match w {
        Weight::Light => {
            g.sample_size(30)
                .warm_up_time(Duration::from_millis(300))
                .measurement_time(Duration::from_millis(1500));
        }
        Weight::Medium => {
            g.sample_size(15)
                .sampling_mode(SamplingMode::Flat)
                .warm_up_time(Duration::from_millis(300))
                .measurement_time(Duration::from_millis(1500));
        }
        Weight::Heavy => {
            g.sample_size(10)
                .sampling_mode(SamplingMode::Flat)
                .warm_up_time(Duration::from_millis(1))
                .measurement_time(Duration::from_millis(1));
        }
    }
    g
}

fn timed<S>(
    iters: u64,
    every: u64,
    s: &mut S,
    mut clear: impl FnMut(&mut S),
    mut f: impl FnMut(&mut S),
) -> Duration {
    let mut total = Duration::ZERO;
    for i in 0..iters {
        if i % every == 0 {
            clear(s);
        }
        let t0 = Instant::now();
        f(s);
        total += t0.elapsed();
    }
    total
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

/// One implementation's functions on one connection.
macro_rules! run_impl {
    ($c:expr, $backend:expr, $name:expr, $m:ident, $conn:expr, $fill:expr) => {{
        let crit: &mut Criterion = $c;
        let b: &str = $backend;
        let conn: &mut $m::Conn = $conn;
        let fill = $fill;
        for n in [1usize, 100, 10_000] {
            let (lu, jn) = (format!("load_users_{n}"), format!("users_join_posts_{n}"));
            if !wants(b, &lu) && !wants(b, &jn) {
                continue;
            }
            $m::batch(conn, &fill(n, 1, 0));
            $m::settle(conn);
            let w = if n >= 10_000 {
                Weight::Medium
            } else {
                Weight::Light
            };
            if wants(b, &lu) {
                assert_eq!($m::load_users(conn).len(), n);
                let mut g = group(crit, b, &lu, w);
                g.bench_function($name, |bn| bn.iter(|| black_box($m::load_users(conn))));
                g.finish();
            }
            if n != 100 && wants(b, &jn) {
                assert_eq!($m::join(conn).len(), n.div_ceil(2));
                let mut g = group(crit, b, &jn, w);
                g.bench_function($name, |bn| bn.iter(|| black_box($m::join(conn))));
                g.finish();
            }
        }
        if wants(b, "nested_100x10x10") {
            $m::batch(conn, &fill(100, 10, 10));
            $m::settle(conn);
            let v = $m::nested(conn);
            assert_eq!(
                v.iter()
                    .map(|(_, p)| p.iter().map(|(_, c)| c.len()).sum::<usize>())
                    .sum::<usize>(),
                10_000
            );
            let mut g = group(crit, b, "nested_100x10x10", Weight::Medium);
            g.bench_function($name, |bn| bn.iter(|| black_box($m::nested(conn))));
            g.finish();
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
            let mut g = group(crit, b, &name, Weight::Light);
            g.bench_function($name, |bn| {
                bn.iter_custom(|iters| {
                    timed(
                        iters,
                        every,
                        conn,
                        |c| $m::batch(c, "DELETE FROM new_users"),
                        |c| $m::insert_users(c, &rows),
                    )
                })
            });
            g.finish();
        }
        if wants(b, "bulk_insert_100000") {
            let rows: Vec<(i32, String, String)> = (1..=100_000).map(customer_data).collect();
            let mut g = group(crit, b, "bulk_insert_100000", Weight::Heavy);
            g.bench_function($name, |bn| {
                bn.iter_custom(|iters| {
                    timed(
                        iters,
                        1,
                        conn,
                        |c| $m::batch(c, "DELETE FROM new_customer"),
                        |c| $m::bulk_insert(c, &rows),
                    )
                })
            });
            g.finish();
        }
        if wants(b, "single_tx_inserts_10000") {
            let rows: Vec<(i32, String, String)> = (1..=10_000).map(customer_data).collect();
            let mut g = group(crit, b, "single_tx_inserts_10000", Weight::Heavy);
            g.bench_function($name, |bn| {
                bn.iter_custom(|iters| {
                    timed(
                        iters,
                        1,
                        conn,
                        |c| $m::batch(c, "DELETE FROM new_customer"),
                        |c| $m::single_inserts(c, &rows),
                    )
                })
            });
            g.finish();
        }
        if wants(b, "fetch_500000") {
            let mut g = group(crit, b, "fetch_500000", Weight::Heavy);
            g.bench_function($name, |bn| {
                bn.iter(|| {
                    let v = $m::fetch_all(conn);
                    assert_eq!(v.len(), 500_000);
                    v
                })
            });
            g.finish();
        }
        if wants(b, "pk_lookups_10000") {
            let ids = lookup_ids(10_000);
            assert_eq!($m::lookup(conn, ids[0]).id, ids[0]);
            let mut g = group(crit, b, "pk_lookups_10000", Weight::Heavy);
            g.bench_function($name, |bn| {
                bn.iter(|| {
                    for &id in &ids {
                        black_box($m::lookup(conn, id));
                    }
                })
            });
            g.finish();
        }
    }};
}

fn target_dir() -> String {
    std::env::var("CARGO_TARGET_DIR")
        .unwrap_or_else(|_| format!("{}/target", env!("CARGO_MANIFEST_DIR")))
}

fn only_backend(b: &str) -> bool {
    match std::env::var("ATHANOR_BENCH_BACKENDS") {
        Ok(o) if !o.is_empty() => o.split(',').any(|x| x.trim() == b),
        _ => true,
    }
}

fn main() {
    use diesel::Connection;
    let mut c = Criterion::default().configure_from_args();
    let (ddl, fill) = setup_sql(&sqlite_series);
    let dir = format!("{}/peers-bench", target_dir());
    std::fs::create_dir_all(&dir).unwrap();
    for (label, file) in [
        ("sqlite-mem", None),
        ("sqlite-file", Some(format!("{dir}/peers.db"))),
    ] {
        if !only_backend(label) {
            continue;
        }
        let prag =
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";
        // Diesel.
        if let Some(f) = &file {
            for s in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{f}{s}"));
            }
        }
        let mut d =
            diesel::SqliteConnection::establish(file.as_deref().unwrap_or(":memory:")).unwrap();
        d_sqlite::batch(&mut d, prag);
        d_sqlite::batch(&mut d, &ddl);
        run_impl!(&mut c, label, "diesel", d_sqlite, &mut d, &fill);
        drop(d);
        // SeaQuery + rusqlite.
        let mut r = match &file {
            Some(f) => rusqlite::Connection::open(f).unwrap(),
            None => rusqlite::Connection::open_in_memory().unwrap(),
        };
        r.set_prepared_statement_cache_capacity(256);
        sq_sqlite::batch(&mut r, prag);
        if file.is_none() {
            sq_sqlite::batch(&mut r, &ddl);
        }
        run_impl!(&mut c, label, "seaquery", sq_sqlite, &mut r, &fill);
        // The raw driver on the same SQLite build (the report's Diesel comparison on SQLite
        // divides each by its own raw driver).
        run_impl!(&mut c, label, "raw-peers", raw_sqlite, &mut r, &fill);
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
        && only_backend("postgresql")
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
        run_impl!(&mut c, "postgresql", "diesel", d_pg, &mut d, &fill);
    }
    c.final_summary();
}
