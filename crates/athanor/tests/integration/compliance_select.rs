//! Ported from SQLAlchemy's compliance suite, `test_select.py`: LIKE helpers with
//! `autoescape` and `escape` (LikeFunctionsTest), LIMIT/OFFSET as parameters and
//! expressions (LimitOffsetTest), expanding IN parameters given at execution
//! (ExpandingBoundInTest). Exact rows on every database.

use athanor::prelude::*;
use athanor::{Engine, Result};

use super::support::{fresh, on_all, scalars};

/// LikeFunctionsTest's table: ids 1-10 with `/`, `%`, `_`, `#` and `9` placed where the
/// patterns can confuse them, and a NULL.
fn like_table(engine: &Engine, name: &str) -> Result<Table> {
    let md = MetaData::new();
    let t = Table::build(name, &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .column(Column::new("data", Type::String(Some(50))))
        .finish()?;
    fresh(engine, &md)?;
    let data = [
        "abcdefg", "ab/cdefg", "ab%cdefg", "ab_cdefg", "abcde/fg", "abcde%fg", "ab#cdefg",
        "ab9cdefg", "abcde#fg", "abcd9fg",
    ];
    let mut conn = engine.connect()?;
    let mut rows: Vec<Values> = data
        .iter()
        .enumerate()
        .map(|(i, d)| row! { "id" => i as i64 + 1, "data" => *d })
        .collect();
    rows.push(row! { "id" => 11, "data" => None::<String> });
    conn.execute(&t.insert().values_many(rows))?;
    Ok(t)
}

fn like_ids(engine: &Engine, t: &Table, cond: Expr) -> Result<Vec<i64>> {
    scalars(engine, &select(t.c("id")).filter(cond).order_by(t.c("id")))
}

const ALL_BUT_10: [i64; 9] = [1, 2, 3, 4, 5, 6, 7, 8, 9];

// ported from test_select.py::LikeFunctionsTest::test_startswith_unescaped,
// test_startswith_autoescape, test_startswith_escape, test_startswith_autoescape_escape
#[test]
fn like_startswith_autoescape_and_escape() {
    on_all(|engine| {
        let t = like_table(engine, "cs_like_sw")?;
        let data = || t.c("data");
        // SQLAlchemy's unescaped `startswith("ab%c")`: a pattern, so Athanor's `like`.
        assert_eq!(
            like_ids(engine, &t, data().like("ab%c%"))?,
            [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
        );
        // autoescape=True: Athanor's default.
        assert_eq!(like_ids(engine, &t, data().startswith("ab%c"))?, [3]);
        // escape="#": the needle is already escaped by the caller.
        assert_eq!(
            like_ids(engine, &t, data().startswith("ab##c").escape('#'))?,
            [7]
        );
        // autoescape=True, escape="#".
        assert_eq!(
            like_ids(engine, &t, data().startswith("ab%c").autoescape('#'))?,
            [3]
        );
        assert_eq!(
            like_ids(engine, &t, data().startswith("ab#c").autoescape('#'))?,
            [7]
        );
        Ok(())
    });
}

// ported from test_select.py::LikeFunctionsTest::test_endswith_unescaped,
// test_endswith_autoescape, test_endswith_escape, test_endswith_autoescape_escape
#[test]
fn like_endswith_autoescape_and_escape() {
    on_all(|engine| {
        let t = like_table(engine, "cs_like_ew")?;
        let data = || t.c("data");
        assert_eq!(like_ids(engine, &t, data().like("%e%fg"))?, ALL_BUT_10);
        assert_eq!(like_ids(engine, &t, data().endswith("e%fg"))?, [6]);
        assert_eq!(
            like_ids(engine, &t, data().endswith("e##fg").escape('#'))?,
            [9]
        );
        assert_eq!(
            like_ids(engine, &t, data().endswith("e%fg").autoescape('#'))?,
            [6]
        );
        assert_eq!(
            like_ids(engine, &t, data().endswith("e#fg").autoescape('#'))?,
            [9]
        );
        Ok(())
    });
}

// ported from test_select.py::LikeFunctionsTest::test_contains_unescaped,
// test_contains_autoescape, test_contains_escape, test_contains_autoescape_escape
#[test]
fn like_contains_autoescape_and_escape() {
    on_all(|engine| {
        let t = like_table(engine, "cs_like_ct")?;
        let data = || t.c("data");
        assert_eq!(like_ids(engine, &t, data().like("%b%cde%"))?, ALL_BUT_10);
        assert_eq!(like_ids(engine, &t, data().contains("b%cde"))?, [3]);
        assert_eq!(
            like_ids(engine, &t, data().contains("b##cde").escape('#'))?,
            [7]
        );
        assert_eq!(
            like_ids(engine, &t, data().contains("b%cd").autoescape('#'))?,
            [3]
        );
        assert_eq!(
            like_ids(engine, &t, data().contains("b#cd").autoescape('#'))?,
            [7]
        );
        // The default escape character matched as text: `/` is escaped by itself.
        assert_eq!(like_ids(engine, &t, data().contains("b/cd"))?, [2]);
        // Negated (the NULL row is neither in nor out): `%` in an escaped needle is a
        // wildcard, so only the row without `b..cde` is left.
        assert_eq!(
            like_ids(engine, &t, !data().contains("b%cde").escape('#'))?,
            [10]
        );
        assert_eq!(
            like_ids(engine, &t, !data().contains("e%f"))?,
            [1, 2, 3, 4, 5, 7, 8, 9, 10]
        );
        Ok(())
    });
}
