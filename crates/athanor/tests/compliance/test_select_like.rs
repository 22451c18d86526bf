//! Ported from SQLAlchemy's `test_select.py`, class `LikeFunctionsTest`: `contains`,
//! `startswith`, `endswith` with and without escaping, and regular expressions.
//!
//! Athanor's `contains`/`startswith`/`endswith` escape by default (SQLAlchemy's
//! `autoescape=True`); SQLAlchemy's unescaped form is `like(pattern)` here (see
//! `compliance/deviations/test_select.md`).

use std::collections::BTreeSet;

use athanor::prelude::*;
use athanor::{Engine, Result};

use super::harness::run;
use super::requirements::Flag;
use super::test_select::{origin, some_table};

const CLASS: &str = "LikeFunctionsTest";

/// The class's `some_table`: ids 1-10 with `/`, `%`, `_`, `#` and `9` placed where the
/// patterns can confuse them, and 11 with NULL data.
fn fixture(engine: &Engine) -> Result<Table> {
    let data = [
        "abcdefg", "ab/cdefg", "ab%cdefg", "ab_cdefg", "abcde/fg", "abcde%fg", "ab#cdefg",
        "ab9cdefg", "abcde#fg", "abcd9fg",
    ];
    let mut rows: Vec<Vec<Value>> = data
        .iter()
        .zip(1i64..)
        .map(|(d, id)| vec![Value::Int(id), Value::from(*d)])
        .collect();
    rows.push(vec![Value::Int(11), Value::Null]);
    some_table(engine, &[("data", Type::String(Some(50)))], &rows)
}

/// The ids of the rows where `expr(data)` holds, as a set (the suite's `_test`).
fn check(engine: &Engine, t: &Table, expr: impl Fn(Expr) -> Expr, want: &[i64]) -> Result<()> {
    let cond = expr(t.c("data"));
    let got: Vec<(i64,)> = engine
        .connect()?
        .tuples(&select(t.c("id")).filter(cond.clone()))?;
    let got: BTreeSet<i64> = got.into_iter().map(|(i,)| i).collect();
    let want: BTreeSet<i64> = want.iter().copied().collect();
    assert_eq!(got, want, "{}", select(t.c("id")).filter(cond));
    Ok(())
}

const ONE_TO_TEN: &[i64] = &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const ONE_TO_NINE: &[i64] = &[1, 2, 3, 4, 5, 6, 7, 8, 9];

#[test]
fn like_startswith_unescaped() {
    run(origin(CLASS, "test_startswith_unescaped"), &[], |_, e| {
        check(e, &fixture(e)?, |c| c.like("ab%c%"), ONE_TO_TEN)
    });
}

#[test]
fn like_startswith_autoescape() {
    run(
        origin(CLASS, "test_startswith_autoescape"),
        &[Flag::LikeEscapes],
        |_, e| check(e, &fixture(e)?, |c| c.startswith("ab%c"), &[3]),
    );
}

#[test]
fn like_startswith_escape() {
    run(
        origin(CLASS, "test_startswith_escape"),
        &[Flag::LikeEscapes],
        |_, e| check(e, &fixture(e)?, |c| c.startswith("ab##c").escape('#'), &[7]),
    );
}

#[test]
fn like_startswith_autoescape_escape() {
    run(
        origin(CLASS, "test_startswith_autoescape_escape"),
        &[Flag::LikeEscapes],
        |_, e| {
            let t = fixture(e)?;
            check(e, &t, |c| c.startswith("ab%c").autoescape('#'), &[3])?;
            check(e, &t, |c| c.startswith("ab#c").autoescape('#'), &[7])
        },
    );
}

#[test]
fn like_endswith_unescaped() {
    run(origin(CLASS, "test_endswith_unescaped"), &[], |_, e| {
        check(e, &fixture(e)?, |c| c.like("%e%fg"), ONE_TO_NINE)
    });
}

#[test]
fn like_endswith_autoescape() {
    run(
        origin(CLASS, "test_endswith_autoescape"),
        &[Flag::LikeEscapes],
        |_, e| check(e, &fixture(e)?, |c| c.endswith("e%fg"), &[6]),
    );
}

#[test]
fn like_endswith_escape() {
    run(
        origin(CLASS, "test_endswith_escape"),
        &[Flag::LikeEscapes],
        |_, e| check(e, &fixture(e)?, |c| c.endswith("e##fg").escape('#'), &[9]),
    );
}

#[test]
fn like_endswith_autoescape_escape() {
    run(
        origin(CLASS, "test_endswith_autoescape_escape"),
        &[Flag::LikeEscapes],
        |_, e| {
            let t = fixture(e)?;
            check(e, &t, |c| c.endswith("e%fg").autoescape('#'), &[6])?;
            check(e, &t, |c| c.endswith("e#fg").autoescape('#'), &[9])
        },
    );
}

#[test]
fn like_contains_unescaped() {
    run(origin(CLASS, "test_contains_unescaped"), &[], |_, e| {
        check(e, &fixture(e)?, |c| c.like("%b%cde%"), ONE_TO_NINE)
    });
}

#[test]
fn like_contains_autoescape() {
    run(
        origin(CLASS, "test_contains_autoescape"),
        &[Flag::LikeEscapes],
        |_, e| {
            let t = fixture(e)?;
            check(e, &t, |c| c.contains("b%cde"), &[3])?;
            // The default escape character matched as text: `/` is escaped by itself.
            check(e, &t, |c| c.contains("b/cd"), &[2])?;
            // Negated: the NULL row is neither in nor out.
            check(e, &t, |c| !c.contains("e%f"), &[1, 2, 3, 4, 5, 7, 8, 9, 10])
        },
    );
}

#[test]
fn like_contains_escape() {
    run(
        origin(CLASS, "test_contains_escape"),
        &[Flag::LikeEscapes],
        |_, e| {
            let t = fixture(e)?;
            check(e, &t, |c| c.contains("b##cde").escape('#'), &[7])?;
            // `%` in a needle escaped by the caller is a wildcard.
            check(e, &t, |c| !c.contains("b%cde").escape('#'), &[10])
        },
    );
}

#[test]
fn like_contains_autoescape_escape() {
    run(
        origin(CLASS, "test_contains_autoescape_escape"),
        &[Flag::LikeEscapes],
        |_, e| {
            let t = fixture(e)?;
            check(e, &t, |c| c.contains("b%cd").autoescape('#'), &[3])?;
            check(e, &t, |c| c.contains("b#cd").autoescape('#'), &[7])
        },
    );
}

#[test]
fn like_startswith_sqlexpr() {
    run(origin(CLASS, "test_startswith_sqlexpr"), &[], |_, e| {
        check(
            e,
            &fixture(e)?,
            |c| c.startswith_expr(literal_column("'ab%c'")),
            ONE_TO_TEN,
        )
    });
}

#[test]
fn like_endswith_sqlexpr() {
    run(origin(CLASS, "test_endswith_sqlexpr"), &[], |_, e| {
        check(
            e,
            &fixture(e)?,
            |c| c.endswith_expr(literal_column("'e%fg'")),
            ONE_TO_NINE,
        )
    });
}

#[test]
fn like_not_regexp_match() {
    run(
        origin(CLASS, "test_not_regexp_match"),
        &[Flag::RegexpMatch],
        |_, e| {
            check(
                e,
                &fixture(e)?,
                |c| !c.regexp_match("a.cde"),
                &[2, 3, 4, 7, 8, 10],
            )
        },
    );
}

#[test]
fn like_regexp_replace() {
    run(
        origin(CLASS, "test_regexp_replace"),
        &[Flag::RegexpReplace],
        |_, e| {
            check(
                e,
                &fixture(e)?,
                |c| c.regexp_replace("a.cde", "FOO").contains("FOO"),
                &[1, 5, 6, 9],
            )
        },
    );
}

#[test]
fn like_regexp_match() {
    run(
        origin(CLASS, "test_regexp_match"),
        &[Flag::RegexpMatch],
        |_, e| {
            let t = fixture(e)?;
            let all: Vec<i64> = (1..=10).collect();
            let cases: [(&str, &[i64]); 7] = [
                ("a.cde", &[1, 5, 6, 9]),
                ("abc", &[1, 5, 6, 9, 10]),
                ("^abc", &[1, 5, 6, 9, 10]),
                ("9cde", &[8]),
                ("^a", &all),
                ("(b|c)", &all),
                ("^(b|c)", &[]),
            ];
            for (pattern, want) in cases {
                check(e, &t, |c| c.regexp_match(pattern), want)?;
            }
            Ok(())
        },
    );
}
