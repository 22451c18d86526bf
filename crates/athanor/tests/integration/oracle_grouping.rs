//! GROUP BY / ORDER BY / HAVING on expressions holding bound parameters, which PostgreSQL
//! only matches up when the same parameter is used (expected rows from SQLAlchemy 2; see
//! [`super::oracle_rental`]).

use athanor::prelude::*;

use super::oracle_rental::{Oracle, load, on_every};

#[test]
fn grouping_by_expressions_with_parameters() {
    on_every(|e| {
        let t = load(e)?;
        let mut o = Oracle::new(e);
        let f = &t.film;
        let b = || f.c("release_year") - 2000;
        let stmt = select((b().label("b"), func::count_star().label("n")))
            .group_by(b())
            .order_by(b());
        o.per_dialect(
            e,
            "t01_group_by_param_expr",
            &stmt,
            &["NULL | 1", "6 | 2", "7 | 2", "8 | 1"],
            &["6 | 2", "7 | 2", "8 | 1", "NULL | 1"],
            &["NULL | 1", "6 | 2", "7 | 2", "8 | 1"],
        );
        // The same shape with other (still equal) values: the cached statement binds them.
        let b90 = || f.c("release_year") - 1990;
        let stmt = select((b90().label("b"), func::count_star().label("n")))
            .group_by(b90())
            .order_by(b90());
        let mut want = vec!["16 | 2", "17 | 2", "18 | 1"];
        if e.dialect().name() == "postgresql" {
            want.push("NULL | 1");
        } else {
            want.insert(0, "NULL | 1");
        }
        o.same(e, "t01_again_with_other_values", &stmt, &want);
        let k = || case([(f.c("length").lt(60), literal("short"))]).else_("long");
        let stmt = select((k().label("k"), func::count_star().label("n")))
            .group_by(k())
            .order_by(k());
        o.same(
            e,
            "t02_group_by_case_with_params",
            &stmt,
            &["'long' | 4", "'short' | 2"],
        );
        let stmt = select(func::count_star().label("n"))
            .select_from(f)
            .group_by(f.c("film_id") % 2)
            .order_by(func::count_star());
        o.same(e, "t03_group_by_unlabeled_param_expr", &stmt, &["3", "3"]);
        let stmt = select(f.c("film_id")).order_by((func::abs(f.c("film_id") - 3), f.c("film_id")));
        o.same(
            e,
            "t04_order_by_param_expr_not_selected",
            &stmt,
            &["3", "2", "4", "1", "5", "6"],
        );
        let bucket = || f.c("length").floordiv(30);
        let stmt = select((bucket().label("bucket"), func::count_star().label("n")))
            .filter(f.c("length").is_not_null())
            .group_by(bucket())
            .order_by(bucket());
        o.same(
            e,
            "t05_group_by_floordiv",
            &stmt,
            &["1 | 2", "2 | 2", "3 | 1"],
        );
        if e.dialect().name() != "mysql" {
            // MariaDB can't see film.release_year in HAVING (SQLAlchemy's SQL fails there too).
            let stmt = select((b().label("b"), func::count_star().label("n")))
                .group_by(b())
                .having(b().gt(6))
                .order_by(b());
            o.per_dialect(
                e,
                "t06_having_param_expr",
                &stmt,
                &[
                "7 | 2",
                "8 | 1",
            ],
                &[
                "7 | 2",
                "8 | 1",
            ],
                &["ERROR OperationalError: (pymysql.err.OperationalError) (1054, \"Unknown column 'film.release_year' in 'HAVING'\")"],
            );
        }
        o.finish()
    });
}
