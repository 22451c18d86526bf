//! Results that don't guess: a name several columns share is an error, not the first match.

use athanor::Error;
use athanor::prelude::*;

use super::support::on_all;

#[test]
fn a_name_two_columns_share_is_ambiguous_and_positions_still_work() {
    on_all(|engine| {
        let mut conn = engine.connect()?;
        let stmt = select((
            literal(1).label("id"),
            literal(2).label("id"),
            literal(3).label("x"),
        ));
        let row = conn.execute(&stmt)?.one()?;
        match row.get::<i64, _>("id") {
            Err(Error::InvalidRequest(m)) => assert!(
                m.contains("ambiguous column name 'id'") && m.contains("positions 0, 1"),
                "{m}"
            ),
            other => panic!("expected an ambiguous-name error, got {other:?}"),
        }
        assert!(matches!(row.value("id"), Err(Error::InvalidRequest(_))));
        assert_eq!(row.get::<i64, _>(0)?, 1);
        assert_eq!(row.get::<i64, _>(1)?, 2);
        assert_eq!(row.get::<i64, _>("x")?, 3);
        assert_eq!(row.to::<(i64, i64, i64)>()?, (1, 2, 3));
        let text_row = conn.execute(&text("SELECT 1 AS id, 2 AS id"))?.one()?;
        assert!(matches!(
            text_row.get::<i64, _>("id"),
            Err(Error::InvalidRequest(_))
        ));
        assert_eq!(text_row.get::<i64, _>(1)?, 2);
        Ok(())
    });
}

/// The text of a decimal result value (its scale shows: `0.30`, not `0.3`).
#[cfg(feature = "rust_decimal")]
fn decimal_text(v: &athanor::Value) -> String {
    match v {
        athanor::Value::Decimal(d) => d.to_string(),
        other => panic!("expected a decimal, got {other:?}"),
    }
}

#[cfg(feature = "rust_decimal")]
#[test]
fn a_numeric_result_is_the_decimal_at_its_scale() {
    on_all(|engine| {
        let md = MetaData::new();
        let t = Table::build("exact_numeric", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("total", Type::Numeric(Some(10), Some(2))))
            .finish()?;
        super::support::fresh(engine, &md)?;
        let mut conn = engine.connect()?;
        conn.execute(&t.insert().values_many([
            row! { "id" => 1, "total" => 0.1 },
            row! { "id" => 2, "total" => 0.2 },
            row! { "id" => 3, "total" => 5 },
        ]))?;
        // SQLite adds the REALs to 5.300000000000001; the column's scale makes it 5.30.
        let sum = select(func::sum(t.c("total")).label("sum"));
        let row = conn.execute(&sum)?.one()?;
        assert_eq!(decimal_text(row.value("sum")?), "5.30");
        // A CAST to NUMERIC(10, 2) is rounded to 2 places (SQLite's CAST leaves the REAL).
        let cast_ = select(cast(literal(5.728), Type::Numeric(Some(10), Some(2))).label("c"));
        let row = conn.execute(&cast_)?.one()?;
        assert_eq!(decimal_text(row.value("c")?), "5.73");
        // Every way of reading rows: buffered, typed, streamed; integers get the scale too.
        let by_id = select((t.c("id"), t.c("total"))).order_by(t.c("id"));
        let all: Vec<String> = conn
            .execute(&by_id)?
            .map(|r| decimal_text(&r.values()[1]))
            .collect();
        assert_eq!(all, ["0.10", "0.20", "5.00"]);
        let typed: Vec<(i64, rust_decimal::Decimal)> = conn.tuples(&by_id)?;
        let typed: Vec<String> = typed.iter().map(|(_, d)| d.to_string()).collect();
        assert_eq!(typed, ["0.10", "0.20", "5.00"]);
        let mut streamed = Vec::new();
        conn.stream(&by_id, |r| {
            streamed.push(decimal_text(&r.values()[1]));
            Ok(true)
        })?;
        assert_eq!(streamed, ["0.10", "0.20", "5.00"]);
        // Read as f64, the value is the nearest float to the decimal.
        let total: f64 = conn.execute(&sum)?.scalar()?;
        assert_eq!(total, 5.3);
        Ok(())
    });
}

#[test]
fn inserted_primary_key_row_holds_every_key_column() {
    on_all(|engine| {
        let md = MetaData::new();
        // A composite key: one column given, one with a client-side default.
        let line = Table::build("exact_pk_line", &md)
            .column(Column::new("invoice_id", Type::Integer).primary_key())
            .column(
                Column::new("line_no", Type::Integer)
                    .primary_key()
                    .default(7),
            )
            .column(Column::new("sku", Type::String(Some(10))))
            .finish()?;
        // A single generated key.
        let item = Table::build("exact_pk_item", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("name", Type::String(Some(10))))
            .finish()?;
        super::support::fresh(engine, &md)?;
        let mut conn = engine.connect()?;

        let r = conn.execute(
            &line
                .insert()
                .values(row! { "invoice_id" => 3, "line_no" => 2, "sku" => "a" }),
        )?;
        let key = r
            .inserted_primary_key_row()
            .expect("a single-row insert has a key");
        assert_eq!(key.columns(), ["invoice_id", "line_no"]);
        assert_eq!(key.to::<(i64, i64)>()?, (3, 2));
        assert_eq!(key.get::<i64, _>("line_no")?, 2);
        // The old accessor only speaks for single-column keys.
        assert_eq!(r.inserted_primary_key(), None);

        let r = conn.execute(
            &line
                .insert()
                .values(row! { "invoice_id" => 4, "sku" => "b" }),
        )?;
        let key = r.inserted_primary_key_row().expect("key");
        assert_eq!(key.to::<(i64, i64)>()?, (4, 7));

        // Values given at execution for an INSERT without values().
        let r = conn.execute_with(
            &line.insert(),
            &row! { "invoice_id" => 5, "line_no" => 1, "sku" => "c" },
        )?;
        assert_eq!(
            r.inserted_primary_key_row()
                .expect("key")
                .to::<(i64, i64)>()?,
            (5, 1)
        );

        let r = conn.execute(&item.insert().values(row! { "name" => "x" }))?;
        let key = r.inserted_primary_key_row().expect("key");
        assert_eq!(key.get::<i64, _>(0)?, 1);
        assert_eq!(key.get::<i64, _>("id")?, 1);
        assert_eq!(r.inserted_primary_key(), Some(&athanor::Value::Int(1)));

        // Not a single-row INSERT: no key.
        let many = line.insert().values_many([
            row! { "invoice_id" => 6, "line_no" => 1, "sku" => "d" },
            row! { "invoice_id" => 6, "line_no" => 2, "sku" => "e" },
        ]);
        assert!(conn.execute(&many)?.inserted_primary_key_row().is_none());
        assert!(
            conn.execute(&select(line.c("sku")))?
                .inserted_primary_key_row()
                .is_none()
        );
        let all = select((line.c("invoice_id"), line.c("line_no")))
            .order_by(line.c("invoice_id"))
            .order_by(line.c("line_no"));
        let rows: Vec<(i64, i64)> = conn.tuples(&all)?;
        assert_eq!(rows, [(3, 2), (4, 7), (5, 1), (6, 1), (6, 2)]);
        Ok(())
    });
}
