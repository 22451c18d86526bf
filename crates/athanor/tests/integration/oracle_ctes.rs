//! CTEs built on CTEs and used in subqueries, windows over expressions and subqueries,
//! aggregates joined to aggregates (expected rows from SQLAlchemy 2; see
//! [`super::oracle_rental`]).

use athanor::prelude::*;

use super::oracle_rental::{Oracle, load, on_every};

#[test]
fn ctes_windows_and_joined_aggregates() {
    on_every(|e| {
        let t = load(e)?;
        let mut o = Oracle::new(e);
        let (c, f, fa, r, p) = (&t.customer, &t.film, &t.film_actor, &t.rental, &t.payment);
        let totals = || {
            select((p.c("customer_id"), func::sum(p.c("amount")).label("total")))
                .group_by(p.c("customer_id"))
                .cte("totals")
        };
        let tt = totals();
        let big = select(tt.c("customer_id"))
            .filter(tt.c("total").gt(5))
            .cte("big");
        let stmt = select(c.c("first_name"))
            .filter(c.c("customer_id").in_select(select(big.c("customer_id"))))
            .order_by(c.c("customer_id"));
        o.same(
            e,
            "u01_cte_on_cte",
            &stmt,
            &["'Mary'", "'Patricia'", "'Linda'"],
        );
        let tt = totals();
        let t_of = select(tt.c("total"))
            .filter(tt.c("customer_id").eq(c.c("customer_id")))
            .scalar_subquery();
        let stmt = select((c.c("customer_id"), t_of.label("t"))).order_by(c.c("customer_id"));
        o.same(
            e,
            "u02_cte_in_scalar_subquery",
            &stmt,
            &["1 | 9.07m", "2 | 6.98m", "3 | 9.99m", "4 | 0.20m"],
        );
        let w = Window::new()
            .partition_by(f.c("film_id") % 2)
            .order_by(f.c("film_id").desc());
        let stmt = select((f.c("film_id"), func::row_number().over(w).label("rn")))
            .order_by(f.c("film_id"));
        o.same(
            e,
            "u03_window_partition_expr_param",
            &stmt,
            &["1 | 3", "2 | 3", "3 | 2", "4 | 2", "5 | 1", "6 | 1"],
        );
        let s = select((p.c("customer_id"), func::sum(p.c("amount")).label("total")))
            .group_by(p.c("customer_id"))
            .subquery("s");
        let stmt = select((
            s.c("customer_id"),
            func::rank()
                .over(Window::new().order_by(s.c("total").desc()))
                .label("r"),
        ))
        .order_by(s.c("customer_id"));
        o.same(
            e,
            "u04_ntile_like_rank_on_numeric_sum",
            &stmt,
            &["1 | 2", "2 | 3", "3 | 1", "4 | 4"],
        );
        let fa_n = select((fa.c("film_id"), func::count_star().label("actors")))
            .group_by(fa.c("film_id"))
            .subquery("fa_n");
        let r_n = select((r.c("film_id"), func::count_star().label("rentals")))
            .group_by(r.c("film_id"))
            .subquery("r_n");
        let stmt = select((f.c("film_id"), fa_n.c("actors"), r_n.c("rentals")))
            .select_from(
                f.outerjoin_on(&fa_n, fa_n.c("film_id").eq(f.c("film_id")))
                    .outerjoin_on(&r_n, r_n.c("film_id").eq(f.c("film_id"))),
            )
            .order_by(f.c("film_id"));
        o.same(
            e,
            "u05_join_subquery_with_aggregate_on_both",
            &stmt,
            &[
                "1 | 3 | 2",
                "2 | 2 | 2",
                "3 | 1 | 1",
                "4 | 1 | NULL",
                "5 | 1 | 1",
                "6 | NULL | NULL",
            ],
        );
        let stmt = select((
            func::count_distinct(p.c("amount")).label("n"),
            func::sum(distinct(p.c("amount"))).label("s"),
        ));
        o.same(
            e,
            "u06_distinct_count_and_sum_distinct",
            &stmt,
            &["7 | 25.25m"],
        );
        let stmt = select((
            c.c("customer_id"),
            func::coalesce([func::sum(p.c("amount")), literal(0)]).label("paid"),
        ))
        .select_from(c.outerjoin_on(p, p.c("customer_id").eq(c.c("customer_id"))))
        .group_by(c.c("customer_id"))
        .order_by(c.c("customer_id"));
        o.same(
            e,
            "u07_coalesce_sum_outer",
            &stmt,
            &["1 | 9.07m", "2 | 6.98m", "3 | 9.99m", "4 | 0.20m"],
        );
        o.finish()
    });
}
