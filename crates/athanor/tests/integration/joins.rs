//! Joins inferred from foreign keys, and statements over several tables, on every database
//! with the exact rows.

use athanor::error::CompileError;
use athanor::prelude::*;
use athanor::{Engine, Error, Result};

use super::support::{fresh, on_all, rows};

/// Sakila's customer / rental / payment in miniature: `payment` refers to both `customer`
/// and `rental`.
pub(crate) struct Shop {
    pub(crate) customer: Table,
    pub(crate) rental: Table,
    pub(crate) payment: Table,
}

/// Builds and fills [`Shop`] in tables named `{prefix}_customer`, `{prefix}_rental` and
/// `{prefix}_payment`:
///
/// | customer | rentals | payments (cents) |
/// |---|---|---|
/// | 1 Ann | 10, 11, 12 | 299 (10), 499 (11), 99 (12) |
/// | 2 Ben | 20 | 500 (20) |
/// | 3 Cy | — | — |
pub(crate) fn shop(engine: &Engine, prefix: &str) -> Result<Shop> {
    let md = MetaData::new();
    let cname = format!("{prefix}_customer");
    let rname = format!("{prefix}_rental");
    let customer = Table::build(cname.as_str(), &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("name", Type::String(Some(20))).nullable(false))
        .finish()?;
    let rental = Table::build(rname.as_str(), &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(
            Column::new("customer_id", Type::Integer)
                .foreign_key(ForeignKey::new(format!("{cname}.id"))),
        )
        .finish()?;
    let payment = Table::build(format!("{prefix}_payment").as_str(), &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(
            Column::new("customer_id", Type::Integer)
                .foreign_key(ForeignKey::new(format!("{cname}.id"))),
        )
        .column(
            Column::new("rental_id", Type::Integer)
                .foreign_key(ForeignKey::new(format!("{rname}.id"))),
        )
        .column(Column::new("cents", Type::Integer).nullable(false))
        .finish()?;
    fresh(engine, &md)?;
    let mut conn = engine.connect()?;
    conn.execute(&customer.insert().values_many([
        row! { "id" => 1, "name" => "Ann" },
        row! { "id" => 2, "name" => "Ben" },
        row! { "id" => 3, "name" => "Cy" },
    ]))?;
    conn.execute(&rental.insert().values_many([
        row! { "id" => 10, "customer_id" => 1 },
        row! { "id" => 11, "customer_id" => 1 },
        row! { "id" => 12, "customer_id" => 1 },
        row! { "id" => 20, "customer_id" => 2 },
    ]))?;
    conn.execute(&payment.insert().values_many([
        row! { "id" => 100, "customer_id" => 1, "rental_id" => 10, "cents" => 299 },
        row! { "id" => 101, "customer_id" => 1, "rental_id" => 11, "cents" => 499 },
        row! { "id" => 102, "customer_id" => 1, "rental_id" => 12, "cents" => 99 },
        row! { "id" => 103, "customer_id" => 2, "rental_id" => 20, "cents" => 500 },
    ]))?;
    Ok(Shop {
        customer,
        rental,
        payment,
    })
}

#[test]
fn a_join_chain_counts_each_payment_once() {
    on_all(|engine| {
        let t = shop(engine, "jn_chain")?;
        let (c, p) = (&t.customer, &t.payment);
        // payment joins rental (the table just joined), not customer: each payment once.
        let stmt = select((c.c("id"), func::sum(p.c("cents")).label("total")))
            .select_from(c.join(&t.rental).join(p))
            .group_by(c.c("id"))
            .order_by(c.c("id"));
        assert_eq!(rows::<(i64, i64)>(engine, &stmt)?, [(1, 897), (2, 500)]);
        Ok(())
    });
}

#[test]
fn update_whose_where_names_another_table() {
    on_all(|engine| {
        let t = shop(engine, "jn_upd")?;
        let (p, r) = (&t.payment, &t.rental);
        let mut conn = engine.connect()?;
        // Ann's payments for rentals 11 and 12 (by the rental's id, a column of another table).
        let up = p
            .update()
            .set("cents", p.c("cents") + 1)
            .filter(p.c("rental_id").eq(r.c("id")))
            .filter(r.c("id").ge(11) & r.c("customer_id").eq(1));
        assert_eq!(conn.execute(&up)?.rowcount(), 2);
        let stmt = select((p.c("id"), p.c("cents"))).order_by(p.c("id"));
        assert_eq!(
            conn.execute(&stmt)?.tuples::<(i64, i64)>()?,
            [(100, 299), (101, 500), (102, 100), (103, 500)]
        );
        // A SET value from the other table.
        let copy = p
            .update()
            .set("cents", r.c("id"))
            .filter(p.c("rental_id").eq(r.c("id")) & r.c("customer_id").eq(2));
        assert_eq!(conn.execute(&copy)?.rowcount(), 1);
        let ben = stmt.filter(p.c("id").eq(103));
        assert_eq!(conn.execute(&ben)?.tuples::<(i64, i64)>()?, [(103, 20)]);
        Ok(())
    });
}

#[test]
fn delete_whose_where_names_another_table() {
    on_all(|engine| {
        let t = shop(engine, "jn_del")?;
        let (p, r) = (&t.payment, &t.rental);
        let mut conn = engine.connect()?;
        let del = p
            .delete()
            .filter(p.c("rental_id").eq(r.c("id")) & r.c("customer_id").eq(1));
        if engine.dialect().name() == "sqlite" {
            // SQLite has no DELETE ... USING: refused before it reaches the database.
            match conn.execute(&del) {
                Err(Error::Compile(e)) => assert!(
                    matches!(
                        *e,
                        CompileError::Unsupported {
                            dialect: "sqlite",
                            ..
                        }
                    ),
                    "{e:?}"
                ),
                other => panic!("expected Unsupported, got {other:?}"),
            }
            return Ok(());
        }
        assert_eq!(conn.execute(&del)?.rowcount(), 3);
        let left = select(p.c("id")).order_by(p.c("id"));
        assert_eq!(conn.execute(&left)?.scalars::<i64>()?, [103]);
        Ok(())
    });
}

#[test]
fn select_join_and_outerjoin_infer_the_left_side() {
    on_all(|engine| {
        let t = shop(engine, "jn_implicit")?;
        let (c, r, p) = (&t.customer, &t.rental, &t.payment);
        // Every customer, with the count of their payments (Cy has none): customer, then
        // rental, then payment on the rental.
        let stmt = select((c.c("name"), func::count(p.c("id")).label("n")))
            .select_from(c)
            .outerjoin(r)
            .outerjoin(p)
            .group_by(c.c("name"))
            .order_by(c.c("name"));
        assert_eq!(
            rows::<(String, i64)>(engine, &stmt)?,
            [("Ann".into(), 3), ("Ben".into(), 1), ("Cy".into(), 0)]
        );
        // No FROM list: the left side comes from the SELECT list (the joined table's own
        // columns don't count); an alias keeps the table's foreign keys.
        let cc = c.alias("cc");
        let stmt = select((cc.c("name"), func::count(r.c("id")).label("n")))
            .join(r)
            .group_by(cc.c("name"))
            .order_by(cc.c("name"));
        assert_eq!(
            rows::<(String, i64)>(engine, &stmt)?,
            [("Ann".into(), 3), ("Ben".into(), 1)]
        );
        // With payment in the SELECT list too, customer and payment could both join rental:
        // an error, not a guess.
        let two = select((cc.c("name"), p.c("cents"))).join(r);
        assert!(matches!(
            engine.connect()?.execute(&two),
            Err(Error::InvalidRequest(_))
        ));
        Ok(())
    });
}
