//! Results that don't guess: a name several columns share is an error, not the first match.

use athanor::prelude::*;
use athanor::Error;

use super::support::on_all;

#[test]
fn a_name_two_columns_share_is_ambiguous_and_positions_still_work() {
    on_all(|engine| {
        let mut conn = engine.connect()?;
        for stmt in [
            select((literal(1).label("id"), literal(2).label("id"), literal(3).label("x"))),
        ] {
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
        }
        let text_row = conn.execute(&text("SELECT 1 AS id, 2 AS id"))?.one()?;
        assert!(matches!(
            text_row.get::<i64, _>("id"),
            Err(Error::InvalidRequest(_))
        ));
        assert_eq!(text_row.get::<i64, _>(1)?, 2);
        Ok(())
    });
}

