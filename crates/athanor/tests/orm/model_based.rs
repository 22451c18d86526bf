//! Generated session programs (adds, edits, values set back, deletes, flushes, commits,
//! rollbacks, expiry, gets and queries over a parent and a child table), each run against a
//! model of what the database must hold, and run twice: with the flush's batched INSERTs and
//! with one INSERT per object (the slow path the batches must equal). After every commit the
//! tables must hold exactly the model's rows; every get and query must see the model's values.
//!
//! `ATHANOR_DIFF_CASES` sets the number of programs (default 40 on SQLite, a quarter of that
//! on each server), `ATHANOR_DIFF_SEED` the first seed.

use std::collections::BTreeMap;

use athanor::prelude::*;
use athanor::{Engine, Error, Result};

use super::support::{Rng, fresh_engines, quiet};

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "mb_parent")]
struct Parent {
    #[athanor(primary_key, autoincrement = false)]
    id: i64,
    #[athanor(sql_type = Type::String(Some(40)))]
    name: String,
    score: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "mb_child")]
struct Child {
    #[athanor(primary_key, autoincrement = false)]
    id: i64,
    #[athanor(foreign_key = "mb_parent.id")]
    parent_id: i64,
    v: Option<i64>,
    #[athanor(sql_type = Type::String(Some(40)))]
    note: Option<String>,
}

/// What the session holds, and so what the database must hold after a commit.
#[derive(Clone, Default)]
struct State {
    parents: BTreeMap<i64, (Parent, Ref<Parent>)>,
    children: BTreeMap<i64, (Child, Ref<Child>)>,
}

fn table_rows(engine: &Engine) -> Result<(Vec<Parent>, Vec<Child>)> {
    let mut conn = engine.connect()?;
    let p = conn.tuples::<Parent, _>(&select(Parent::table()).order_by(Parent::ID))?;
    let c = conn.tuples::<Child, _>(&select(Child::table()).order_by(Child::ID))?;
    Ok((p, c))
}

fn model_rows(m: &State) -> (Vec<Parent>, Vec<Child>) {
    (
        m.parents.values().map(|(p, _)| p.clone()).collect(),
        m.children.values().map(|(c, _)| c.clone()).collect(),
    )
}

/// Runs one generated program; returns the table contents after each commit.
fn run_program(engine: &Engine, seed: u64, batch: bool) -> Result<Vec<(Vec<Parent>, Vec<Child>)>> {
    {
        let mut conn = engine.connect()?;
        conn.execute(&Child::table().delete())?;
        conn.execute(&Parent::table().delete())?;
    }
    let mut rng = Rng(seed | 1);
    let mut s = Session::new(engine).with_batched_inserts(batch);
    let mut committed = State::default();
    let mut now = State::default();
    let mut next_id = 1i64;
    let mut snapshots = Vec::new();
    let names = ["a", "b", "c"];
    let trace = std::env::var("ATHANOR_DIFF_TRACE").is_ok();
    for step in 0..40 {
        let op = rng.below(100);
        if trace {
            eprintln!(
                "step {step}: op {op}; children {:?}",
                now.children.values().map(|c| &c.0).collect::<Vec<_>>()
            );
        }
        let ctx = |what: &str| format!("seed {seed}, step {step}: {what}");
        match op {
            0..=17 => {
                let p = Parent {
                    id: next_id,
                    name: names[rng.below(3) as usize].into(),
                    score: (rng.below(2) == 0).then_some(rng.below(100) as f64 / 4.0),
                };
                next_id += 1;
                let h = s.add(p.clone())?;
                now.parents.insert(p.id, (p, h));
            }
            18..=37 => {
                let parents: Vec<i64> = now.parents.keys().copied().collect();
                if let Some(pid) = rng.pick(&parents) {
                    let c = Child {
                        id: next_id,
                        parent_id: pid,
                        v: (rng.below(3) != 0).then_some(rng.below(1000) as i64 - 500),
                        note: (rng.below(2) == 0).then(|| format!("n{}", rng.below(5))),
                    };
                    next_id += 1;
                    let h = s.add(c.clone())?;
                    now.children.insert(c.id, (c, h));
                }
            }
            38..=49 => {
                let ids: Vec<i64> = now.parents.keys().copied().collect();
                if let Some(id) = rng.pick(&ids) {
                    let entry = now.parents.get_mut(&id).ok_or(Error::NoResultFound)?;
                    let obj = s.edit(entry.1)?;
                    assert_eq!(*obj, entry.0, "{}", ctx("edit sees the model's values"));
                    match rng.below(3) {
                        0 => obj.name = names[rng.below(3) as usize].into(),
                        1 => obj.score = (rng.below(2) == 0).then_some(rng.below(100) as f64 / 4.0),
                        _ => {
                            // Changed, then set back: no change.
                            obj.name = "temporary".into();
                            obj.name = entry.0.name.clone();
                        }
                    }
                    entry.0 = obj.clone();
                }
            }
            50..=61 => {
                let ids: Vec<i64> = now.children.keys().copied().collect();
                let parents: Vec<i64> = now.parents.keys().copied().collect();
                if let (Some(id), Some(pid)) = (rng.pick(&ids), rng.pick(&parents)) {
                    let entry = now.children.get_mut(&id).ok_or(Error::NoResultFound)?;
                    let obj = s.edit(entry.1)?;
                    match rng.below(3) {
                        0 => obj.v = obj.v.map(|v| v + 1).or(Some(0)),
                        1 => obj.parent_id = pid,
                        _ => obj.note = None,
                    }
                    entry.0 = obj.clone();
                }
            }
            62..=69 => {
                let ids: Vec<i64> = now.children.keys().copied().collect();
                if let Some(id) = rng.pick(&ids) {
                    let (_, h) = now.children.remove(&id).ok_or(Error::NoResultFound)?;
                    s.delete(h)?;
                }
            }
            70..=75 => {
                let free: Vec<i64> = now
                    .parents
                    .keys()
                    .copied()
                    .filter(|p| !now.children.values().any(|(c, _)| c.parent_id == *p))
                    .collect();
                if let Some(id) = rng.pick(&free) {
                    let (_, h) = now.parents.remove(&id).ok_or(Error::NoResultFound)?;
                    s.delete(h)?;
                }
            }
            76..=79 => s.flush()?,
            80..=81 => {
                // A child of a missing parent: the flush fails, rolls the transaction back,
                // and leaves everything the session held unflushed; the program goes on
                // without the bad object.
                let bad = s.add(Child {
                    id: next_id,
                    parent_id: 999_999,
                    v: None,
                    note: None,
                })?;
                next_id += 1;
                let e = s
                    .flush()
                    .expect_err("a child of a missing parent can't be flushed");
                assert!(
                    matches!(e, Error::Integrity(_)),
                    "{}: {e}",
                    ctx("the failed flush's error")
                );
                s.expunge(bad)?;
            }
            82..=88 => {
                s.commit()?;
                committed = now.clone();
                let rows = table_rows(engine)?;
                assert_eq!(rows, model_rows(&now), "{}", ctx("the tables after commit"));
                snapshots.push(rows);
            }
            89..=91 => {
                s.rollback()?;
                now = committed.clone();
            }
            92..=93 => {
                // Expiry discards unflushed changes (tested elsewhere): flush them first.
                s.flush()?;
                s.expire_all();
            }
            94..=96 => {
                let id = rng.below(next_id as u64 + 1) as i64;
                let got = s.get::<Parent>(id)?;
                match now.parents.get(&id) {
                    Some((p, h)) => {
                        assert_eq!(got, Some(*h), "{}", ctx("get gives the one object"));
                        assert_eq!(s.read(*h)?, p, "{}", ctx("get's values"));
                    }
                    None => assert_eq!(got, None, "{}", ctx("get of a missing key")),
                }
            }
            97 => {
                // A bulk UPDATE, the session's objects computed in Rust.
                let k = rng.below(next_id as u64 + 1) as i64;
                let n = s
                    .query::<Parent>()
                    .filter(Parent::ID.le(k))
                    .update(row! { "score" => 1.5 }, Synchronize::Evaluate)?;
                let mut want = 0;
                for (p, _) in now.parents.values_mut().filter(|(p, _)| p.id <= k) {
                    p.score = Some(1.5);
                    want += 1;
                }
                assert_eq!(n, want, "{}", ctx("the bulk update's row count"));
                // A later failed flush would roll the bulk statement back with the rest of
                // the transaction (it is not replayed, unlike the session's own changes):
                // the program commits it at once, keeping the model simple.
                s.commit()?;
                committed = now.clone();
            }
            98 => {
                // A bulk DELETE, the session's objects found by RETURNING or a SELECT.
                let n = s
                    .query::<Child>()
                    .filter(Child::V.is_null())
                    .delete(Synchronize::Fetch)?;
                let before = now.children.len();
                now.children.retain(|_, (c, _)| c.v.is_some());
                assert_eq!(
                    n as usize,
                    before - now.children.len(),
                    "{}",
                    ctx("the bulk delete's row count")
                );
                s.commit()?;
                committed = now.clone();
            }
            _ => {
                let all = s.query::<Child>().order_by(Child::ID).all()?;
                let want: Vec<Ref<Child>> = now.children.values().map(|(_, h)| *h).collect();
                assert_eq!(all, want, "{}", ctx("the query's objects (autoflushed)"));
                for (c, h) in now.children.values() {
                    assert_eq!(s.read(*h)?, c, "{}", ctx("the query's values"));
                }
            }
        }
    }
    s.commit()?;
    let rows = table_rows(engine)?;
    assert_eq!(rows, model_rows(&now), "seed {seed}: the tables at the end");
    snapshots.push(rows);
    Ok(snapshots)
}

#[test]
fn generated_session_programs_match_the_model_batched_or_not() {
    let cases: u64 = std::env::var("ATHANOR_DIFF_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let seed0: u64 = std::env::var("ATHANOR_DIFF_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_0fa7a0);
    for (name, engine, _guard) in fresh_engines() {
        let md = MetaData::new();
        md.add_table(Parent::table())
            .and_then(|()| md.add_table(Child::table()))
            .unwrap_or_else(|e| panic!("{e}"));
        quiet(|| md.drop_all(&engine).and_then(|()| md.create_all(&engine)))
            .unwrap_or_else(|e| panic!("[{name}] {e}"));
        let n = if name == "sqlite" {
            cases
        } else {
            cases.div_ceil(4)
        };
        for i in 0..n {
            let seed = seed0.wrapping_add(i.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let batched = run_program(&engine, seed, true)
                .unwrap_or_else(|e| panic!("[{name}] seed {seed}, batched: {e}"));
            let slow = run_program(&engine, seed, false)
                .unwrap_or_else(|e| panic!("[{name}] seed {seed}, row by row: {e}"));
            assert!(
                batched == slow,
                "[{name}] seed {seed}: batched and row-by-row flushes differ"
            );
        }
    }
}
