//! Fixtures shared by the benchmarks: backends, schemas, data and the records rows map into.
//!
//! The suite (`benches/suite.rs`) runs every workload through Athanor Core and through the raw
//! driver underneath it (rusqlite, `postgres`, `mysql`), on SQLite in memory and in a file, and
//! on PostgreSQL / MariaDB when `ATHANOR_BENCH_POSTGRES` / `ATHANOR_BENCH_MYSQL` (or the
//! `ATHANOR_TEST_*` URLs) are set. Server benchmarks use their own database, `athanor_bench`.
//! `src/bin/report.rs` turns criterion's estimates into `bench/RESULTS.md` and
//! `bench/results.json`.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::large_enum_variant,
    clippy::manual_is_multiple_of,
    clippy::useless_vec
)]

use athanor::prelude::*;

pub mod eager;
pub mod eager_orm;
pub mod orm;
pub mod workloads;

/// Name of the private database the server benchmarks create and use.
pub const BENCH_DB: &str = "athanor_bench";

/// Where the benchmarks run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// SQLite, in memory.
    SqliteMem,
    /// SQLite, a file (WAL, `synchronous = NORMAL`).
    SqliteFile(String),
    /// PostgreSQL at this URL (the `athanor_bench` database).
    Postgres(String),
    /// MariaDB / MySQL at this URL (the `athanor_bench` database).
    MySql(String),
}

impl Backend {
    /// Short name used in benchmark ids and the report.
    pub fn label(&self) -> &'static str {
        match self {
            Backend::SqliteMem => "sqlite-mem",
            Backend::SqliteFile(_) => "sqlite-file",
            Backend::Postgres(_) => "postgresql",
            Backend::MySql(_) => "mariadb",
        }
    }

    /// Every backend configured in the environment.
    pub fn all() -> Vec<Backend> {
        let mut out = vec![Backend::SqliteMem];
        let dir = bench_dir();
        std::fs::create_dir_all(&dir).ok();
        let file = format!("{dir}/bench.db");
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(format!("{file}{suffix}"));
        }
        out.push(Backend::SqliteFile(file));
        if let Some(url) = env_url("ATHANOR_BENCH_POSTGRES", "ATHANOR_TEST_POSTGRES") {
            match ensure_database(&url, true) {
                Ok(u) => out.push(Backend::Postgres(u)),
                Err(e) => eprintln!("skipping PostgreSQL benchmarks: {e}"),
            }
        }
        if let Some(url) = env_url("ATHANOR_BENCH_MYSQL", "ATHANOR_TEST_MYSQL") {
            match ensure_database(&url, false) {
                Ok(u) => out.push(Backend::MySql(u)),
                Err(e) => eprintln!("skipping MariaDB benchmarks: {e}"),
            }
        }
        out.retain(|b| athanor_bench_harness::wants_backend(b.label()));
        out
    }

    /// The Athanor URL.
    pub fn url(&self) -> String {
        match self {
            Backend::SqliteMem => "sqlite://".into(),
            Backend::SqliteFile(p) => format!("sqlite:///{p}"),
            Backend::Postgres(u) | Backend::MySql(u) => u.clone(),
        }
    }

    /// An Athanor engine.
    pub fn engine(&self) -> Engine {
        create_engine(&self.url()).unwrap()
    }

    /// One Athanor connection, configured like the raw connection.
    pub fn connect(&self, engine: &Engine) -> Connection {
        let mut conn = engine.connect().unwrap();
        if let Backend::SqliteFile(_) = self {
            conn.exec_driver_sql("PRAGMA journal_mode = WAL").unwrap();
            conn.exec_driver_sql("PRAGMA synchronous = NORMAL").unwrap();
        }
        conn
    }

    /// The raw driver connection.
    pub fn raw(&self) -> Raw {
        match self {
            Backend::SqliteMem | Backend::SqliteFile(_) => {
                let c = match self {
                    Backend::SqliteFile(p) => rusqlite::Connection::open(p).unwrap(),
                    _ => rusqlite::Connection::open_in_memory().unwrap(),
                };
                c.set_prepared_statement_cache_capacity(256);
                if let Backend::SqliteFile(_) = self {
                    c.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
                        .unwrap();
                }
                Raw::Sqlite(c)
            }
            Backend::Postgres(u) => Raw::Postgres(
                u.parse::<postgres::Config>()
                    .unwrap()
                    .connect(postgres::NoTls)
                    .unwrap(),
                std::collections::HashMap::new(),
            ),
            Backend::MySql(u) => {
                Raw::MySql(mysql::Conn::new(mysql::Opts::from_url(u).unwrap()).unwrap())
            }
        }
    }

    /// The engine the ORM workloads' sessions use: `engine` itself, except on SQLite in a
    /// file, where a session's pooled connection must run with the suite's settings
    /// (`synchronous = NORMAL` is per connection): there, an engine of one connection, set up
    /// once and kept in its pool.
    pub fn orm_engine(&self, engine: &Engine) -> Engine {
        match self {
            Backend::SqliteFile(_) => {
                let e =
                    create_engine(&format!("{}?pool_size=1&max_overflow=0", self.url())).unwrap();
                drop(self.connect(&e));
                let sync: i64 = e
                    .connect()
                    .unwrap()
                    .scalar(&text("PRAGMA synchronous"))
                    .unwrap();
                assert_eq!(sync, 1, "the pooled connection keeps synchronous = NORMAL");
                e
            }
            _ => engine.clone(),
        }
    }

    /// True when Athanor and the raw driver see different databases (SQLite in memory), so
    /// each needs its own data.
    pub fn separate_databases(&self) -> bool {
        matches!(self, Backend::SqliteMem)
    }
}

/// `target/athanor-bench` (or `CARGO_TARGET_DIR`'s).
pub fn bench_dir() -> String {
    let target = std::env::var("CARGO_TARGET_DIR")
        .unwrap_or_else(|_| format!("{}/../../target", env!("CARGO_MANIFEST_DIR")));
    format!("{target}/athanor-bench")
}

fn env_url(a: &str, b: &str) -> Option<String> {
    std::env::var(a)
        .ok()
        .or_else(|| std::env::var(b).ok())
        .filter(|s| !s.is_empty())
}

/// Creates the `athanor_bench` database on the server if needed; returns its URL.
fn ensure_database(url: &str, pg: bool) -> Result<String, String> {
    let (base, _db) = url.rsplit_once('/').ok_or("URL without a database")?;
    if pg {
        let mut c = url
            .parse::<postgres::Config>()
            .map_err(|e| e.to_string())?
            .connect(postgres::NoTls)
            .map_err(|e| e.to_string())?;
        let exists = c
            .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&BENCH_DB])
            .map_err(|e| e.to_string())?
            .is_some();
        if !exists {
            c.batch_execute(&format!("CREATE DATABASE {BENCH_DB}"))
                .map_err(|e| e.to_string())?;
        }
    } else {
        use mysql::prelude::Queryable;
        let mut c = mysql::Conn::new(mysql::Opts::from_url(url).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
        c.query_drop(format!("CREATE DATABASE IF NOT EXISTS {BENCH_DB}"))
            .map_err(|e| e.to_string())?;
    }
    Ok(format!("{base}/{BENCH_DB}"))
}

/// A raw driver connection.
pub enum Raw {
    Sqlite(rusqlite::Connection),
    /// The client and its prepared statements by SQL (prepared once, as a careful user does).
    Postgres(
        postgres::Client,
        std::collections::HashMap<String, postgres::Statement>,
    ),
    MySql(mysql::Conn),
}

/// Prepares once per connection.
pub fn pg_prepare(
    c: &mut postgres::Client,
    cache: &mut std::collections::HashMap<String, postgres::Statement>,
    sql: &str,
) -> postgres::Statement {
    if let Some(s) = cache.get(sql) {
        return s.clone();
    }
    let s = c.prepare(sql).unwrap();
    cache.insert(sql.to_string(), s.clone());
    s
}

impl Raw {
    /// Runs parameterless SQL.
    pub fn batch(&mut self, sql: &str) {
        match self {
            Raw::Sqlite(c) => c.execute_batch(sql).unwrap(),
            Raw::Postgres(c, _) => c.batch_execute(sql).unwrap(),
            Raw::MySql(c) => {
                use mysql::prelude::Queryable;
                c.query_drop(sql).unwrap()
            }
        }
    }

    /// The placeholder for parameter `n` (1-based).
    pub fn ph(&self, n: usize) -> String {
        match self {
            Raw::Postgres(..) => format!("${n}"),
            _ => "?".into(),
        }
    }

    /// `ph(start+1), ph(start+2), ...` `count` times.
    pub fn phs(&self, start: usize, count: usize) -> String {
        (1..=count)
            .map(|i| self.ph(start + i))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A row of `users` (Diesel's benchmark schema).
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub hair_color: Option<String>,
}

/// A row of `posts`.
#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    pub id: i64,
    pub user_id: i64,
    pub title: String,
    pub body: Option<String>,
}

/// A row of `comments`.
#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    pub id: i64,
    pub post_id: i64,
    pub text: String,
}

/// A row of `customer` (SQLAlchemy's `examples/performance`).
#[derive(Debug, Clone, PartialEq)]
pub struct Customer {
    pub id: i64,
    pub name: String,
    pub description: String,
}

/// Users with their posts with their comments.
pub type Nested = Vec<(User, Vec<(Post, Vec<Comment>)>)>;

/// Groups children under parents by key, in parent order (the assembly step shared by every
/// implementation of the nested load).
pub fn assemble<P, C>(
    parents: Vec<P>,
    children: Vec<C>,
    pid: impl Fn(&P) -> i64,
    fk: impl Fn(&C) -> i64,
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

/// The benchmark tables, as Athanor `Table`s.
pub struct Tables {
    pub metadata: MetaData,
    pub users: Table,
    pub posts: Table,
    pub comments: Table,
    /// For the insert workloads (kept apart so loads see a fixed table).
    pub new_users: Table,
    /// SQLAlchemy's `Customer`, filled with [`BIG`] rows.
    pub customer: Table,
    /// `Customer` for the insert workloads.
    pub new_customer: Table,
}

/// Rows in the large `customer` table.
pub const BIG: usize = 500_000;

impl Tables {
    pub fn new() -> Tables {
        let metadata = MetaData::new();
        let s = || Type::String(Some(255));
        let users = Table::build("users", &metadata)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("name", s()).nullable(false))
            .column(Column::new("hair_color", s()))
            .finish()
            .unwrap();
        let posts = Table::build("posts", &metadata)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("user_id", Type::Integer).nullable(false))
            .column(Column::new("title", s()).nullable(false))
            .column(Column::new("body", s()))
            .foreign_key(ForeignKeyConstraint::new(["user_id"], "users", ["id"]))
            .finish()
            .unwrap();
        let comments = Table::build("comments", &metadata)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("post_id", Type::Integer).nullable(false))
            .column(Column::new("text", s()).nullable(false))
            .foreign_key(ForeignKeyConstraint::new(["post_id"], "posts", ["id"]))
            .finish()
            .unwrap();
        let new_users = Table::build("new_users", &metadata)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("name", s()).nullable(false))
            .column(Column::new("hair_color", s()))
            .finish()
            .unwrap();
        let customer = Table::build("customer", &metadata)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("name", s()))
            .column(Column::new("description", s()))
            .finish()
            .unwrap();
        let new_customer = Table::build("new_customer", &metadata)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("name", s()))
            .column(Column::new("description", s()))
            .finish()
            .unwrap();
        Tables {
            metadata,
            users,
            posts,
            comments,
            new_users,
            customer,
            new_customer,
        }
    }

    /// Creates the tables (dropping old ones) through Athanor, and fills `customer`.
    pub fn create(&self, engine: &Engine) {
        self.metadata.drop_all_with(engine, true).unwrap();
        self.metadata.create_all(engine).unwrap();
        let mut conn = engine.connect().unwrap();
        let mut tx = conn.begin().unwrap();
        for chunk in (1..=BIG).collect::<Vec<_>>().chunks(1000) {
            let rows = chunk.iter().map(|&i| {
                let c = customer(i);
                row! { "id" => c.id, "name" => c.name, "description" => c.description }
            });
            tx.execute(&self.customer.insert().values_many(rows))
                .unwrap();
        }
        tx.commit().unwrap();
        if engine.dialect().name() == "postgresql" {
            // No autovacuum waking up in the middle of a measurement (the bulk and
            // single-insert workloads delete and rewrite `new_customer` on every iteration);
            // `fill` vacuums explicitly instead.
            for t in self.metadata.tables() {
                conn.exec_driver_sql(&format!(
                    "ALTER TABLE {} SET (autovacuum_enabled = false)",
                    t.name()
                ))
                .unwrap();
            }
        }
        settle(&mut conn);
    }

    /// Replaces the contents of users/posts/comments: `n` users (even ones black-haired),
    /// `posts_per` posts each, `comments_per` comments per post.
    pub fn fill(&self, conn: &mut Connection, n: usize, posts_per: usize, comments_per: usize) {
        let mut tx = conn.begin().unwrap();
        tx.execute(&self.comments.delete()).unwrap();
        tx.execute(&self.posts.delete()).unwrap();
        tx.execute(&self.users.delete()).unwrap();
        for chunk in (0..n).collect::<Vec<_>>().chunks(500) {
            tx.execute(&self.users.insert().values_many(chunk.iter().map(|&i| {
                let u = user(i);
                row! { "id" => u.id, "name" => u.name, "hair_color" => u.hair_color }
            })))
            .unwrap();
        }
        let posts: Vec<usize> = (0..n * posts_per).collect();
        for chunk in posts.chunks(500) {
            tx.execute(&self.posts.insert().values_many(chunk.iter().map(|&j| {
                let p = post(j, posts_per);
                row! { "id" => p.id, "user_id" => p.user_id, "title" => p.title, "body" => p.body }
            })))
            .unwrap();
        }
        let comments: Vec<usize> = (0..n * posts_per * comments_per).collect();
        for chunk in comments.chunks(500) {
            tx.execute(&self.comments.insert().values_many(chunk.iter().map(|&k| {
                let c = comment(k, comments_per);
                row! { "id" => c.id, "post_id" => c.post_id, "text" => c.text }
            })))
            .unwrap();
        }
        tx.commit().unwrap();
        settle(conn);
    }
}

/// After rewriting tables on a server, clears the dead rows and refreshes the statistics
/// now, so neither happens in the background while a workload is measured (every
/// implementation then reads the same, settled tables).
pub fn settle(conn: &mut Connection) {
    match conn.engine().dialect().name() {
        "postgresql" => {
            conn.exec_driver_sql("VACUUM ANALYZE").unwrap();
        }
        "mysql" => {
            conn.exec_driver_sql("ANALYZE TABLE users, posts, comments, customer")
                .unwrap();
        }
        _ => {}
    }
}

impl Default for Tables {
    fn default() -> Self {
        Tables::new()
    }
}

/// User `i` (0-based); ids start at 1.
pub fn user(i: usize) -> User {
    User {
        id: i as i64 + 1,
        name: format!("User {i}"),
        hair_color: Some(if i % 2 == 0 { "black" } else { "brown" }.to_string()),
    }
}

/// Post `j` (0-based) of a data set with `per` posts per user.
pub fn post(j: usize, per: usize) -> Post {
    Post {
        id: j as i64 + 1,
        user_id: (j / per) as i64 + 1,
        title: format!("Post {j} by user {}", j / per),
        body: if j % 3 == 0 {
            None
        } else {
            Some(format!("Body of post {j}"))
        },
    }
}

/// Comment `k` (0-based) of a data set with `per` comments per post.
pub fn comment(k: usize, per: usize) -> Comment {
    Comment {
        id: k as i64 + 1,
        post_id: (k / per) as i64 + 1,
        text: format!("Comment {k} on post {}", k / per),
    }
}

/// Customer `i` (1-based id).
pub fn customer(i: usize) -> Customer {
    Customer {
        id: i as i64,
        name: format!("customer name {i}"),
        description: format!("customer description {i}"),
    }
}

/// The ids looked up by the primary-key workload: a fixed pseudo-random sequence in 1..=10 000.
pub fn lookup_ids(n: usize) -> Vec<i64> {
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % 10_000) as i64 + 1
        })
        .collect()
}

/// Copies tables from Athanor's SQLite database into the raw connection's (SQLite in memory,
/// where the two can't share one database): schema from `sqlite_master`, then the rows.
pub fn copy_sqlite(conn: &mut Connection, raw: &rusqlite::Connection, tables: &[&Table]) {
    raw.execute_batch("PRAGMA foreign_keys = OFF; BEGIN")
        .unwrap();
    for t in tables {
        let name = t.name();
        let ddl: String = conn
            .execute_with(
                &text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :n"),
                &row! { "n" => name },
            )
            .unwrap()
            .scalar()
            .unwrap();
        raw.execute_batch(&format!("DROP TABLE IF EXISTS {name}"))
            .unwrap();
        raw.execute_batch(&ddl).unwrap();
        let cols = t.columns().len();
        let ph = vec!["?"; cols].join(", ");
        let mut ins = raw
            .prepare(&format!("INSERT INTO {name} VALUES ({ph})"))
            .unwrap();
        for row in conn.execute(&select(*t)).unwrap() {
            let vals: Vec<rusqlite::types::Value> = row
                .values()
                .iter()
                .map(|v| match v {
                    Value::Int(i) => rusqlite::types::Value::Integer(*i),
                    Value::Text(s) => rusqlite::types::Value::Text(s.clone()),
                    Value::Float(f) => rusqlite::types::Value::Real(*f),
                    _ => rusqlite::types::Value::Null,
                })
                .collect();
            ins.execute(rusqlite::params_from_iter(vals)).unwrap();
        }
    }
    raw.execute_batch("COMMIT; PRAGMA foreign_keys = ON")
        .unwrap();
}
