//! The flush's batched paths against the plain ones, over generated sessions, on every
//! database.
//!
//! - New objects whose keys the database generates go out in batches
//!   (`Connection::insert_many_returning_keys`: one INSERT re-bound per object on SQLite and
//!   MySQL, multi-row `INSERT ... RETURNING` on PostgreSQL and MariaDB). An engine with
//!   `EngineOptions::use_insertmanyvalues(false)` sends one INSERT per object instead: the same
//!   program on both must give every object the same key and leave the same rows.
//! - Changed objects are written by one UPDATE per shape re-bound per object, each object's
//!   row count checked: after every commit the rows must be exactly the objects the program
//!   holds (a model of what it did), and a row gone behind the session's back must fail the
//!   flush with `StaleData`, writing nothing.
//!
//! `ATHANOR_ORM_DIFF_CASES` sets the number of generated programs per database (default 24;
//! two more are large enough to cross PostgreSQL's and MariaDB's 500-row batches),
//! `ATHANOR_ORM_DIFF_SEED` picks another set.

use athanor::prelude::*;
use athanor::{EngineOptions, Error, Result, create_engine_with};

use super::super::servers;
use super::support::{Rng, statements};

#[derive(Debug, Clone, PartialEq, Model)]
#[athanor(table = "fp_item")]
struct Item {
    #[athanor(primary_key)]
    id: i64,
    #[athanor(sql_type = Type::String(Some(80)))]
    name: String,
    qty: Option<i64>,
    price: Option<f64>,
    flag: bool,
    /// A client-side default, put into the object at the flush.
    #[athanor(sql_type = Type::String(Some(20)), default = "none")]
    note: Option<String>,
    /// A server default: an object that leaves it unset INSERTs without the column.
    #[athanor(server_default = "7")]
    score: Option<i64>,
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .map(|v| {
            v.parse()
                .unwrap_or_else(|_| panic!("{name}={v} is not a number"))
        })
        .unwrap_or(default)
}

const NAMES: &[&str] = &[
    "plain",
    "it's",
    "naïve ☕",
    "back\\slash",
    "",
    "%_like",
    "line\nbreak",
];

/// A new object: its key given or left to the database, its other columns drawn at random,
/// `None` included. Given keys are 100 000 apart from 1 000 000 on: SQLite and MySQL generate
/// the next key after the largest in the table, and a program never adds that many objects
/// after one, so a given key never meets a generated one. (Not negative keys: after -1,
/// SQLite generates 0, which a model reads as "not generated yet".)
fn new_item(rng: &mut Rng, explicit: &mut i64) -> Item {
    let id = if rng.chance(20) {
        *explicit += 100_000;
        *explicit
    } else {
        0
    };
    Item {
        id,
        name: format!(
            "{} {}",
            NAMES[rng.below(NAMES.len() as u64) as usize],
            rng.below(1000)
        ),
        qty: rng
            .chance(70)
            .then(|| rng.below(2_000_000) as i64 - 1_000_000),
        // Eighths: exact in every database's floating type.
        price: rng.chance(60).then(|| (rng.below(80_000) as f64) / 8.0),
        flag: rng.chance(50),
        note: rng.chance(50).then(|| {
            NAMES[rng.below(NAMES.len() as u64) as usize]
                .chars()
                .take(20)
                .collect()
        }),
        score: rng.chance(50).then(|| rng.below(100) as i64),
    }
}

/// What the program does to an object it holds.
fn change(rng: &mut Rng, o: &mut Item) {
    match rng.below(6) {
        0 => o.name = format!("renamed {}", rng.below(1000)),
        1 => {
            o.qty = if rng.chance(30) {
                None
            } else {
                Some(rng.below(100) as i64)
            }
        }
        2 => o.price = Some((rng.below(800) as f64) / 8.0),
        3 => o.flag = !o.flag,
        4 => {
            // Set and set back: nothing to write.
            let old = o.qty;
            o.qty = Some(-5);
            o.qty = old;
        }
        _ => {
            o.note = Some("changed".into());
            o.score = Some(rng.below(100) as i64);
        }
    }
}

/// The rows of the table, in key order.
fn rows(engine: &Engine) -> Result<Vec<Item>> {
    engine
        .connect()?
        .tuples(&select(Item::table()).order_by(Item::ID))
}

/// One generated program: rounds of new objects (some with their keys given) and changes to
/// objects added in earlier rounds, each round committed. Returns every object as the session
/// reads it after the last commit (reloaded), in the order they were added.
fn program(engine: &Engine, seed: u64, size: u64) -> Result<Vec<Item>> {
    let mut rng = Rng(seed | 1);
    let mut s = Session::new(engine);
    let mut handles: Vec<Ref<Item>> = Vec::new();
    let mut explicit = 900_000;
    for _ in 0..1 + rng.below(3) {
        // Changes to objects of earlier rounds (reloaded after their commit).
        for &h in &handles {
            if rng.chance(30) {
                change(&mut rng, s.edit(h)?);
            }
        }
        let n = rng.below(size + 1);
        let new: Vec<Item> = (0..n).map(|_| new_item(&mut rng, &mut explicit)).collect();
        if rng.chance(30) {
            // Added one by one, with a flush in the middle.
            for (k, o) in new.into_iter().enumerate() {
                handles.push(s.add(o)?);
                if k == n as usize / 2 {
                    s.flush()?;
                }
            }
        } else {
            handles.extend(s.add_all(new)?);
        }
        s.commit()?;
    }
    handles.iter().map(|&h| s.read(h).cloned()).collect()
}

/// The table `fp_item` on a fresh engine: the batched one (default), or one that inserts row
/// by row.
fn table_on(engine: &Engine) -> Result<()> {
    let md = MetaData::new();
    md.add_table(Item::table())?;
    md.create_all(engine)
}

#[test]
fn batched_inserts_give_the_keys_and_rows_of_one_insert_per_object() {
    let base = env_u64("ATHANOR_ORM_DIFF_SEED", 0x5eed_0014);
    let cases = env_u64("ATHANOR_ORM_DIFF_CASES", 24);
    let slow = || EngineOptions::new().use_insertmanyvalues(false);
    // (database, batched engine, row-by-row engine, the private databases kept alive)
    let mut pairs: Vec<(&str, Engine, Engine, Vec<servers::ServerDb>)> = Vec::new();
    let sqlite = |opts: EngineOptions| create_engine_with("sqlite://", opts).expect("sqlite");
    pairs.push((
        "sqlite",
        sqlite(EngineOptions::new()),
        sqlite(slow()),
        Vec::new(),
    ));
    let test = "batched_inserts";
    if let (Some(a), Some(b)) = (servers::postgres(test), servers::postgres(test)) {
        let slow_engine = create_engine_with(&b.url, slow()).expect("postgresql");
        pairs.push(("postgresql", a.engine.clone(), slow_engine, vec![a, b]));
    }
    if let (Some(a), Some(b)) = (servers::mysql(test), servers::mysql(test)) {
        let slow_engine = create_engine_with(&b.url, slow()).expect("mysql");
        pairs.push(("mysql", a.engine.clone(), slow_engine, vec![a, b]));
    }
    for (name, batched, row_by_row, _dbs) in &pairs {
        for case in 0..cases + 2 {
            // Two large programs cross the 500-row batches of the servers.
            let size = if case >= cases { 1_100 } else { 40 };
            let seed = base.wrapping_add(case.wrapping_mul(0x9e37_79b9));
            for e in [batched, row_by_row] {
                e.connect()
                    .and_then(|mut c| c.exec_driver_sql("DROP TABLE IF EXISTS fp_item"))
                    .expect("drop");
                table_on(e).expect("create");
            }
            let fast = program(batched, seed, size)
                .unwrap_or_else(|e| panic!("[{name}] case {case} (seed {seed}), batched: {e}"));
            let plain = program(row_by_row, seed, size)
                .unwrap_or_else(|e| panic!("[{name}] case {case} (seed {seed}), row by row: {e}"));
            assert_eq!(
                fast, plain,
                "[{name}] case {case} (seed {seed}): the objects"
            );
            let (fast_rows, plain_rows) = (rows(batched).unwrap(), rows(row_by_row).unwrap());
            assert_eq!(fast_rows, plain_rows, "[{name}] case {case}: the rows");
            // And the rows are the objects the program holds.
            let mut held = fast.clone();
            held.sort_by_key(|o| o.id);
            assert_eq!(fast_rows, held, "[{name}] case {case}: rows and objects");
        }
    }
}

#[test]
fn generated_keys_are_read_back_in_row_order_across_batches() {
    for (name, engine, guard) in servers::all("keys_in_row_order") {
        // The same database, its statements echoed.
        drop(engine);
        let url = guard.as_ref().map_or("sqlite://", |g| g.url.as_str());
        let engine = create_engine_with(url, super::support::recorded()).unwrap();
        table_on(&engine).unwrap();
        let mut s = Session::new(&engine);
        // More than one 500-row batch; the names say which row each object is.
        let objs = (0..1_234).map(|i| Item {
            id: 0,
            name: format!("row {i}"),
            qty: Some(i),
            price: None,
            flag: i % 2 == 0,
            note: None,
            score: None,
        });
        let handles = s.add_all(objs).unwrap();
        let ((), sent) = statements(|| s.flush().unwrap());
        let inserts: Vec<&String> = sent.iter().filter(|l| l.starts_with("INSERT")).collect();
        if name == "sqlite" {
            // One prepared INSERT, re-bound per object (echoed once, as execute_many).
            assert_eq!(inserts.len(), 1, "[{name}] {inserts:?}");
        } else {
            // Batches of 500 rows, each returning its keys.
            assert_eq!(inserts.len(), 3, "[{name}] {inserts:?}");
            assert!(inserts.iter().all(|l| l.contains("RETURNING")), "[{name}]");
        }
        let keys: Vec<i64> = handles.iter().map(|&h| s.read(h).unwrap().id).collect();
        assert!(
            keys.windows(2).all(|w| w[0] < w[1]),
            "[{name}] keys in add order"
        );
        s.commit().unwrap();
        let stored: Vec<(i64, String)> = engine
            .connect()
            .unwrap()
            .tuples(&select((Item::ID, Item::NAME)).order_by(Item::ID))
            .unwrap();
        let expected: Vec<(i64, String)> = keys
            .iter()
            .enumerate()
            .map(|(i, &k)| (k, format!("row {i}")))
            .collect();
        assert_eq!(stored, expected, "[{name}] each object's key is its row's");
    }
}

#[test]
fn a_changed_object_whose_row_is_gone_fails_the_batched_update() {
    for (name, engine, _guard) in servers::all("stale_batched_update") {
        table_on(&engine).unwrap();
        let mut s = Session::new(&engine).with_expire_on_commit(false);
        let items: Vec<Item> = (1..=5)
            .map(|i| Item {
                id: i,
                name: format!("item {i}"),
                qty: Some(i),
                price: None,
                flag: false,
                note: None,
                score: Some(1),
            })
            .collect();
        let handles = s.add_all(items).unwrap();
        s.commit().unwrap();
        // Row 3 goes behind the session's back.
        engine
            .connect()
            .unwrap()
            .execute(&delete(Item::table()).filter(Item::ID.eq(3)))
            .unwrap();
        for &h in &handles {
            s.edit(h).unwrap().qty = Some(100);
        }
        let err = s.commit().unwrap_err();
        assert!(matches!(err, Error::StaleData(_)), "[{name}] {err}");
        assert!(err.to_string().contains("Item(3)"), "[{name}] {err}");
        // Nothing was written: rows 1 and 2 were updated in the rolled-back transaction.
        let qty: Vec<Option<i64>> = engine
            .connect()
            .unwrap()
            .scalars(&select(Item::QTY).order_by(Item::ID))
            .unwrap();
        assert_eq!(qty, [Some(1), Some(2), Some(4), Some(5)], "[{name}]");
    }
}
