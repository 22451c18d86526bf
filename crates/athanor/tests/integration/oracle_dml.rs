//! INSERT / UPDATE / DELETE programs against the rental schema (RETURNING, rowcount,
//! upsert, bindparam re-execution, `text()` with parameters), each run in a transaction that
//! is rolled back, checked against SQLAlchemy 2's outputs (see [`super::oracle_rental`]).

use athanor::prelude::*;
use athanor::{Connection, Engine, Result};

use super::oracle_rental::{Oracle, count_of, day, dec, load, on_every, rows_of, ts};

/// Runs one program in a transaction and rolls it back, so the next starts from the fixture.
fn rolled_back(
    e: &Engine,
    f: impl FnOnce(&mut Connection) -> Result<Vec<String>>,
) -> Result<Vec<String>> {
    let mut conn = e.connect()?;
    let mut tx = conn.begin()?;
    let out = f(&mut tx);
    tx.rollback()?;
    out
}

#[test]
fn inserts_updates_and_deletes_with_returning_and_rowcount() {
    on_every(|e| {
        let t = load(e)?;
        let mut o = Oracle::new(e);
        let (a, f, p, c, r) = (&t.actor, &t.film, &t.payment, &t.customer, &t.rental);
        let mysql = e.dialect().name() == "mysql";
        let got = rolled_back(e, |conn| {
            let ins = a
                .insert()
                .values(row! { "actor_id" => 10, "first_name" => "Zoë", "last_name" => "D'Angelo" })
                .returning((a.c("actor_id"), a.c("last_name")));
            let mut out = rows_of(conn, &ins, None)?;
            out.extend(rows_of(
                conn,
                &select(func::count_star()).select_from(a),
                None,
            )?);
            Ok(out)
        });
        o.steps("d01_insert_returning", got, &["10 | 'D'Angelo'", "6"]);
        let got = rolled_back(e, |conn| {
            let up = f
                .update()
                .filter(f.c("rating").eq("G"))
                .set("rental_rate", f.c("rental_rate") + dec("1.00"));
            let mut out = vec![count_of(conn, &up)?];
            let all = select((f.c("film_id"), f.c("rental_rate"))).order_by(f.c("film_id"));
            out.extend(rows_of(conn, &all, None)?);
            Ok(out)
        });
        o.steps(
            "d02_update_expression",
            got,
            &[
                "rowcount=2",
                "1 | 0.99m",
                "2 | 5.99m",
                "3 | 2.99m",
                "4 | 3.99m",
                "5 | 0.99m",
                "6 | 4.99m",
            ],
        );
        let got = rolled_back(e, |conn| {
            if mysql {
                // MariaDB has no UPDATE ... RETURNING (SQLAlchemy refuses to compile it too).
                return Ok(vec!["skipped".to_string()]);
            }
            let up = p
                .update()
                .filter(p.c("customer_id").eq(2))
                .set("amount", p.c("amount") * 2)
                .returning((p.c("payment_id"), p.c("amount")));
            let mut out = rows_of(conn, &up, None)?;
            out.sort();
            Ok(out)
        });
        o.steps_per(
            "d03_update_returning",
            got,
            &["3 | 11.98m", "4 | 1.98m"],
            &["3 | 11.98m", "4 | 1.98m"],
            &["skipped"],
        );
        let got = rolled_back(e, |conn| {
            let del = p.delete().filter(p.c("rental_id").is_null()).returning((
                p.c("payment_id"),
                p.c("amount"),
                p.c("payment_date"),
            ));
            let mut out = rows_of(conn, &del, None)?;
            out.sort();
            out.extend(rows_of(
                conn,
                &select(func::count_star()).select_from(p),
                None,
            )?);
            Ok(out)
        });
        o.steps(
            "d04_delete_returning",
            got,
            &[
                "7 | 0.10m | 2006-02-01 00:00:00",
                "8 | 0.20m | 2006-02-02 00:00:00",
                "6",
            ],
        );
        let got = rolled_back(e, |conn| {
            let ins = c.insert().values(row! {
                "customer_id" => 9, "first_name" => "Ünï", "last_name" => "Tést ☃ \"q\"",
                "email" => None::<&str>, "active" => false, "create_date" => day("2010-01-01"),
            });
            conn.execute(&ins)?;
            rows_of(conn, &select(c).filter(c.c("customer_id").eq(9)), None)
        });
        o.steps(
            "d12_insert_unicode_null",
            got,
            &["9 | 'Ünï' | 'Tést ☃ \"q\"' | NULL | false | 2010-01-01"],
        );
        let got = rolled_back(e, |conn| {
            let up = r
                .update()
                .filter(r.c("return_date").is_null())
                .set("return_date", ts("2006-01-01 12:00:00"));
            let mut out = vec![count_of(conn, &up)?];
            let all = select((r.c("rental_id"), r.c("return_date"))).order_by(r.c("rental_id"));
            out.extend(rows_of(conn, &all, None)?);
            Ok(out)
        });
        o.steps(
            "d13_update_datetime",
            got,
            &[
                "rowcount=2",
                "1 | 2005-05-26 22:04:30",
                "2 | 2006-01-01 12:00:00",
                "3 | 2005-06-03 09:30:00",
                "4 | 2005-06-20 00:00:00",
                "5 | 2006-01-01 12:00:00",
                "6 | 2006-01-09 03:04:05",
            ],
        );
        let got = rolled_back(e, |conn| {
            let up = a
                .update()
                .filter(a.c("actor_id").eq(99))
                .set("first_name", "x");
            let del = a.delete().filter(a.c("actor_id").eq(99));
            Ok(vec![count_of(conn, &up)?, count_of(conn, &del)?])
        });
        o.steps("d14_update_no_match", got, &["rowcount=0", "rowcount=0"]);
        let got = rolled_back(e, |conn| {
            for (id, amount) in [(20, "123.45"), (21, "-0.05")] {
                conn.execute(&p.insert().values(row! {
                    "payment_id" => id, "customer_id" => 1, "rental_id" => None::<i64>,
                    "amount" => dec(amount), "payment_date" => ts("2007-01-01 00:00:00"),
                }))?;
            }
            let back = select((p.c("payment_id"), p.c("amount")))
                .filter(p.c("payment_id").ge(20))
                .order_by(p.c("payment_id"));
            rows_of(conn, &back, None)
        });
        o.steps(
            "d15_insert_numeric_roundtrip",
            got,
            &["20 | 123.45m", "21 | -0.05m"],
        );
        o.finish()
    });
}

#[test]
fn parameters_upserts_and_statements_built_from_selects() {
    on_every(|e| {
        let t = load(e)?;
        let mut o = Oracle::new(e);
        let (l, a, f, fa) = (&t.language, &t.actor, &t.film, &t.film_actor);
        let got = rolled_back(e, |conn| {
            let stmt = select((f.c("title"), f.c("rental_rate")))
                .filter(f.c("film_id").eq(bindparam("fid")));
            let mut out = Vec::new();
            for fid in [1, 5, 99] {
                out.extend(rows_of(conn, &stmt, Some(&row! { "fid" => fid }))?);
            }
            Ok(out)
        });
        o.steps(
            "d05_bindparam_reexecute",
            got,
            &["'Academy Dinosaur' | 0.99m", "'Zoë's \"Odyssey\"' | 0.99m"],
        );
        let got = rolled_back(e, |conn| {
            let n = conn.execute_many(
                &l.insert(),
                [
                    row! { "language_id" => 5, "name" => "German" },
                    row! { "language_id" => 6, "name" => "Mandarin 中文" },
                ],
            )?;
            let mut out = vec![format!("rowcount={n}")];
            let names = select(l.c("name"))
                .filter(l.c("language_id").gt(4))
                .order_by(l.c("language_id"));
            out.extend(rows_of(conn, &names, None)?);
            Ok(out)
        });
        o.steps(
            "d06_executemany",
            got,
            &["rowcount=2", "'German'", "'Mandarin 中文'"],
        );
        let got = rolled_back(e, |conn| {
            let src =
                select(((a.c("actor_id") + 100), a.c("last_name"))).filter(a.c("actor_id").lt(3));
            conn.execute(&l.insert().from_select(["language_id", "name"], src))?;
            let back = select((l.c("language_id"), l.c("name")))
                .filter(l.c("language_id").gt(100))
                .order_by(l.c("language_id"));
            rows_of(conn, &back, None)
        });
        o.steps(
            "d07_insert_from_select",
            got,
            &["101 | 'Guiness'", "102 | 'Wahlberg'"],
        );
        let got = rolled_back(e, |conn| {
            let up = l
                .insert()
                .values_many([
                    row! { "language_id" => 2, "name" => "Italiano" },
                    row! { "language_id" => 7, "name" => "Dutch" },
                ])
                .on_conflict_do_update(["language_id"], row! { "name" => excluded("name") });
            conn.execute(&up)?;
            let all = select((l.c("language_id"), l.c("name"))).order_by(l.c("language_id"));
            rows_of(conn, &all, None)
        });
        o.steps(
            "d08_upsert",
            got,
            &[
                "1 | 'English'",
                "2 | 'Italiano'",
                "3 | 'Japanese'",
                "4 | 'Français'",
                "7 | 'Dutch'",
            ],
        );
        let got = rolled_back(e, |conn| {
            let n = select(func::count_star())
                .filter(fa.c("film_id").eq(f.c("film_id")))
                .scalar_subquery();
            let up = f.update().set("length", n).filter(f.c("film_id").lt(3));
            let mut out = vec![count_of(conn, &up)?];
            let back = select((f.c("film_id"), f.c("length")))
                .filter(f.c("film_id").lt(4))
                .order_by(f.c("film_id"));
            out.extend(rows_of(conn, &back, None)?);
            Ok(out)
        });
        o.steps(
            "d09_update_correlated",
            got,
            &["rowcount=2", "1 | 3", "2 | 2", "3 | 50"],
        );
        let got = rolled_back(e, |conn| {
            let g = select(f.c("film_id")).filter(f.c("rating").eq("G"));
            let del = fa.delete().filter(fa.c("film_id").in_select(g));
            let mut out = vec![count_of(conn, &del)?];
            let rest = select((fa.c("actor_id"), fa.c("film_id")))
                .order_by((fa.c("actor_id"), fa.c("film_id")));
            out.extend(rows_of(conn, &rest, None)?);
            Ok(out)
        });
        o.steps(
            "d10_delete_in_subquery",
            got,
            &["rowcount=3", "1 | 1", "2 | 1", "2 | 3", "3 | 1", "3 | 5"],
        );
        let got = rolled_back(e, |conn| {
            let up = text("UPDATE actor SET last_name = :n WHERE actor_id = :id");
            let n = conn
                .execute_with(&up, &row! { "n" => "O'Neil", "id" => 2 })?
                .rowcount();
            let mut out = vec![format!("rowcount={n}")];
            out.extend(rows_of(
                conn,
                &select(a.c("last_name")).filter(a.c("actor_id").eq(2)),
                None,
            )?);
            Ok(out)
        });
        o.steps("d11_text_update", got, &["rowcount=1", "'O'Neil'"]);
        o.finish()
    });
}

#[test]
fn returning_and_updates_keep_types_nulls_and_datetimes() {
    on_every(|e| {
        let t = load(e)?;
        let mut o = Oracle::new(e);
        let (c, f, r) = (&t.customer, &t.film, &t.rental);
        let got = rolled_back(e, |conn| {
            let ins = c
                .insert()
                .values(row! {
                    "customer_id" => 10, "first_name" => "A", "last_name" => "B",
                    "email" => None::<&str>, "active" => true, "create_date" => day("2011-11-11"),
                })
                .returning((c.c("active"), c.c("create_date"), c.c("email")));
            rows_of(conn, &ins, None)
        });
        o.steps(
            "d16_returning_bool_date",
            got,
            &["true | 2011-11-11 | NULL"],
        );
        let got = rolled_back(e, |conn| {
            let up = f
                .update()
                .filter(f.c("film_id").in_([1, 2]))
                .set("length", None::<i64>)
                .set("rental_rate", f.c("rental_rate") * 2)
                .set("description", f.c("title") + "!");
            let mut out = vec![count_of(conn, &up)?];
            let back = select((
                f.c("film_id"),
                f.c("length"),
                f.c("rental_rate"),
                f.c("description"),
            ))
            .filter(f.c("film_id").lt(4))
            .order_by(f.c("film_id"));
            out.extend(rows_of(conn, &back, None)?);
            Ok(out)
        });
        o.steps(
            "d17_update_set_null_and_expr",
            got,
            &[
                "rowcount=2",
                "1 | NULL | 1.98m | 'Academy Dinosaur!'",
                "2 | NULL | 9.98m | 'Ace Goldfinger!'",
                "3 | 50 | 2.99m | NULL",
            ],
        );
        let got = rolled_back(e, |conn| {
            let n = conn.execute_many(
                &r.insert(),
                [
                    row! {
                        "rental_id" => 20, "rental_date" => ts("2010-01-01 00:00:01"), "film_id" => 1,
                        "customer_id" => 1, "staff_id" => 1, "return_date" => None::<i64>,
                    },
                    row! {
                        "rental_id" => 21, "rental_date" => ts("2010-12-31 23:59:59"), "film_id" => 2,
                        "customer_id" => 2, "staff_id" => 2, "return_date" => ts("2011-01-01 00:00:00"),
                    },
                ],
            )?;
            let mut out = vec![format!("rowcount={n}")];
            let back = select((r.c("rental_id"), r.c("rental_date"), r.c("return_date")))
                .filter(r.c("rental_id").ge(20))
                .order_by(r.c("rental_id"));
            out.extend(rows_of(conn, &back, None)?);
            Ok(out)
        });
        o.steps(
            "d18_executemany_datetimes",
            got,
            &[
                "rowcount=2",
                "20 | 2010-01-01 00:00:01 | NULL",
                "21 | 2010-12-31 23:59:59 | 2011-01-01 00:00:00",
            ],
        );
        o.finish()
    });
}
