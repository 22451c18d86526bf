//! A fourth round of SELECT programs against the rental schema: whole tables, unicode string
//! functions, HAVING against a subquery, CASE inside aggregates, equality on dates and
//! datetimes, NULLs in arithmetic (expected rows from SQLAlchemy 2; see
//! [`super::oracle_rental`]).

use athanor::prelude::*;

use super::oracle_rental::{Oracle, day, dec, load, on_every, ts};

#[test]
fn whole_tables_strings_and_dates() {
    on_every(|e| {
        let t = load(e)?;
        let mut o = Oracle::new(e);
        let (a, c, f, p, r) = (&t.actor, &t.customer, &t.film, &t.payment, &t.rental);
        let stmt = select(p)
            .filter(p.c("payment_id").in_([1, 7]))
            .order_by(p.c("payment_id"));
        o.same(
            e,
            "s01_select_whole_table",
            &stmt,
            &[
                "1 | 1 | 1 | 2.99m | 2005-05-25 11:30:37",
                "7 | 1 | NULL | 0.10m | 2006-02-01 00:00:00",
            ],
        );
        let stmt = select(c).order_by(c.c("customer_id")).limit(2);
        o.same(
            e,
            "s02_select_whole_customer",
            &stmt,
            &[
                "1 | 'Mary' | 'Smith' | 'mary@example.com' | true | 2006-02-14",
                "2 | 'Patricia' | 'Johnson' | NULL | true | 2006-02-15",
            ],
        );
        let stmt = select((
            func::substr(f.c("title"), 1, 3).label("s"),
            func::char_length(f.c("title")).label("n"),
            func::upper(func::substr(f.c("description"), 1, 7)).label("u"),
        ))
        .filter(f.c("film_id").eq(5));
        o.per_dialect(
            e,
            "s03_unicode_substr_charlen",
            &stmt,
            &["'Zoë' | 15 | 'ÜNïCODE'"],
            &["'Zoë' | 15 | 'ÜNÏCODE'"],
            &["'Zoë' | 15 | 'ÜNÏCODE'"],
        );
        let stmt =
            select((f.c("title") + ":" + cast(f.c("length"), Type::String(None))).label("t"))
                .filter(f.c("film_id").lt(3))
                .order_by(f.c("film_id"));
        o.same(
            e,
            "s04_concat_string_int",
            &stmt,
            &["'Academy Dinosaur:86'", "'Ace Goldfinger:48'"],
        );
        let stmt = select(c.c("customer_id"))
            .filter(
                c.c("create_date")
                    .lt(cast(literal("2007-01-01"), Type::Date)),
            )
            .order_by(c.c("customer_id"));
        // Deviation on SQLite: SQLAlchemy renders CAST(... AS DATE), which SQLite turns into
        // the number 2007 (NUMERIC affinity), so no date compares below it and SQLAlchemy
        // returns no rows; Athanor casts to TEXT there (the value kept, as ISO dates compare
        // as text) and returns the rows the other databases return.
        o.per_dialect(
            e,
            "s07_cast_string_to_date_compare",
            &stmt,
            &["1", "2"],
            &["1", "2"],
            &["1", "2"],
        );
        let stmt = select((
            func::trim(literal("  x'y  ")).label("t"),
            func::replace(a.c("last_name"), "'", "''").label("r"),
        ))
        .filter(a.c("actor_id").eq(5));
        o.same(
            e,
            "s08_trim_and_replace_quote",
            &stmt,
            &["'x'y' | 'O''Brien'"],
        );
        let stmt =
            select(r.c("rental_id")).filter(r.c("rental_date").eq(ts("2005-06-01 08:00:00")));
        o.same(e, "s13_datetime_equality", &stmt, &["3"]);
        let stmt = select(c.c("customer_id")).filter(c.c("create_date").eq(day("2006-02-15")));
        o.same(e, "s14_date_equality", &stmt, &["2"]);
        let stmt = select(f.c("film_id"))
            .filter(f.c("length").between(49.5, 86.5))
            .filter(f.c("length").gt(49.5))
            .order_by(f.c("film_id"));
        o.same(e, "v01_between_floats_int_column", &stmt, &["1", "3"]);
        // PostgreSQL: a float among a function's integer arguments is cast to NUMERIC (it
        // would otherwise be sent to an integer parameter), so the result is the decimal
        // SQLAlchemy with psycopg2 gets from its literal 0.5.
        let stmt = select((
            f.c("film_id"),
            func::coalesce([f.c("length"), literal(0.5)]).label("l"),
        ))
        .filter(f.c("film_id").in_([3, 4]))
        .order_by(f.c("film_id"));
        o.per_dialect(
            e,
            "v02_coalesce_int_float",
            &stmt,
            &["3 | 50", "4 | 0.5f"],
            &["3 | 50m", "4 | 0.5m"],
            &["3 | 50.0f", "4 | 0.5f"],
        );
        o.finish()
    });
}

#[test]
fn aggregates_with_subqueries_case_and_nulls() {
    on_every(|e| {
        let t = load(e)?;
        let mut o = Oracle::new(e);
        let (c, f, p, r) = (&t.customer, &t.film, &t.payment, &t.rental);
        let avg_len = select(func::avg(f.c("length"))).scalar_subquery();
        let stmt = select((f.c("rating"), func::avg(f.c("length")).label("a")))
            .group_by(f.c("rating"))
            .having(func::avg(f.c("length")).gt(avg_len))
            .order_by(f.c("rating"));
        o.per_dialect(
            e,
            "s05_having_correlated",
            &stmt,
            &["NULL | 117.0f", "'PG' | 86.0f"],
            &[
                "'PG' | 86.0000000000000000m",
                "NULL | 117.0000000000000000m",
            ],
            &["NULL | 117.0000m", "'PG' | 86.0000m"],
        );
        let stmt = select((
            p.c("customer_id"),
            (func::sum(p.c("amount")) / func::count_star()).label("avg"),
        ))
        .group_by(p.c("customer_id"))
        .order_by(p.c("customer_id"));
        o.per_dialect(
            e,
            "s06_manual_avg",
            &stmt,
            &["1 | 2.27m", "2 | 3.49m", "3 | 9.99m", "4 | 0.20m"],
            &[
                "1 | 2.2675000000000000m",
                "2 | 3.4900000000000000m",
                "3 | 9.9900000000000000m",
                "4 | 0.20000000000000000000m",
            ],
            &[
                "1 | 2.267500m",
                "2 | 3.490000m",
                "3 | 9.990000m",
                "4 | 0.200000m",
            ],
        );
        let top = select(p.c("customer_id"))
            .order_by(p.c("amount").desc())
            .limit(2)
            .subquery_anon();
        let stmt = select(c.c("first_name"))
            .filter(c.c("customer_id").in_select(select(top.c("customer_id"))))
            .order_by(c.c("customer_id"));
        o.same(
            e,
            "s09_limit_in_subquery_in",
            &stmt,
            &["'Patricia'", "'Linda'"],
        );
        let big = case([(p.c("amount").gt(1), p.c("amount"))]).else_(dec("0"));
        let small = case([(p.c("amount").le(1), literal(1))]).end();
        let stmt = select((
            p.c("customer_id"),
            func::sum(big).label("big"),
            func::count(small).label("small"),
        ))
        .group_by(p.c("customer_id"))
        .order_by(p.c("customer_id"));
        o.per_dialect(
            e,
            "s10_sum_case_pivot",
            &stmt,
            &[
                "1 | 7.98m | 2",
                "2 | 5.99m | 1",
                "3 | 9.99m | 0",
                "4 | 0.00m | 1",
            ],
            &[
                "1 | 7.98m | 2",
                "2 | 5.99m | 1",
                "3 | 9.99m | 0",
                "4 | 0m | 1",
            ],
            &[
                "1 | 7.98m | 2",
                "2 | 5.99m | 1",
                "3 | 9.99m | 0",
                "4 | 0.00m | 1",
            ],
        );
        let stmt = select((
            p.c("payment_id"),
            (p.c("amount") % literal(1)).label("cents"),
        ))
        .filter(p.c("payment_id").lt(4))
        .order_by(p.c("payment_id"));
        o.per_dialect(
            e,
            "s11_numeric_mod",
            &stmt,
            &["1 | 0.00m", "2 | 0.00m", "3 | 0.00m"],
            &["1 | 0.99m", "2 | 0.99m", "3 | 0.99m"],
            &["1 | 0.99m", "2 | 0.99m", "3 | 0.99m"],
        );
        let stmt = select((
            f.c("film_id"),
            func::avg(f.c("length")).over(Window::new()).label("a"),
        ))
        .filter(f.c("film_id").lt(3))
        .order_by(f.c("film_id"));
        o.per_dialect(
            e,
            "s12_avg_of_ints_over_window",
            &stmt,
            &["1 | 67.0f", "2 | 67.0f"],
            &["1 | 67.0000000000000000m", "2 | 67.0000000000000000m"],
            &["1 | 67.0000m", "2 | 67.0000m"],
        );
        let sq = select(r.c("customer_id")).distinct().subquery_anon();
        let stmt = select(func::count_star()).select_from(&sq);
        o.same(e, "s15_count_subquery_rows", &stmt, &["3"]);
        let has = exists().filter(r.c("customer_id").eq(c.c("customer_id")));
        let stmt = select(c.c("customer_id"))
            .filter(or_([!has, c.c("active").eq(false)]))
            .order_by(c.c("customer_id"));
        o.same(e, "s16_exists_negated_and_or", &stmt, &["3", "4"]);
        let stmt = select(f.c("film_id"))
            .filter(or_([f.c("rating").in_(["G"]), f.c("rating").is_null()]))
            .order_by(f.c("film_id"));
        o.same(e, "s17_in_with_one_item_and_none", &stmt, &["2", "4", "5"]);
        let stmt = select((
            f.c("film_id"),
            (f.c("length") + f.c("release_year")).label("s"),
            (f.c("rental_rate") * f.c("length")).label("p"),
        ))
        .order_by(f.c("film_id"));
        o.same(
            e,
            "s18_arith_on_nullable_sum",
            &stmt,
            &[
                "1 | 2092 | 85.14m",
                "2 | 2054 | 239.52m",
                "3 | 2057 | 149.50m",
                "4 | NULL | NULL",
                "5 | NULL | 115.83m",
                "6 | 2095 | 434.13m",
            ],
        );
        o.finish()
    });
}
