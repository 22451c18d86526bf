//! Expressions: boolean logic, comparisons, arithmetic and precedence, LIKE, IN, BETWEEN,
//! NULL tests, functions, CASE, CAST, EXTRACT, concatenation, parameters and `text()`.

use athanor_core::dialect::{MySql, Postgres, Sqlite};
use athanor_core::prelude::*;
use athanor_core::sql::DatePart;

use crate::{Golden, assert_all, assert_compile, fixture};

/// `SELECT users.id FROM users WHERE <cond>` with `cond` given per dialect.
#[track_caller]
fn assert_where(cond: Expr, sqlite: &str, postgres: &str, mysql: &str, params: &[Value]) {
    let f = fixture();
    let stmt = select(f.users.c("id")).filter(cond);
    let prefix = "SELECT users.id FROM users WHERE ";
    assert_all(
        &stmt,
        Golden {
            sqlite: &format!("{prefix}{sqlite}"),
            postgres: &format!("{prefix}{postgres}"),
            mysql: &format!("{prefix}{mysql}"),
        },
        params,
    );
}

/// `SELECT <expr> AS x FROM users` with the expression given per dialect.
#[track_caller]
fn assert_column(e: Expr, sqlite: &str, postgres: &str, mysql: &str, params: &[Value]) {
    let stmt = select(e.label("x"));
    assert_all(
        &stmt,
        Golden {
            sqlite: &format!("SELECT {sqlite} AS x FROM users"),
            postgres: &format!("SELECT {postgres} AS x FROM users"),
            mysql: &format!("SELECT {mysql} AS x FROM users"),
        },
        params,
    );
}

#[test]
fn comparisons() {
    let f = fixture();
    let (id, age) = (f.users.c("id"), f.users.c("age"));
    for (cond, op) in [
        (id.clone().eq(1), "="),
        (id.clone().ne(1), "!="),
        (id.clone().lt(1), "<"),
        (id.clone().le(1), "<="),
        (id.clone().gt(1), ">"),
        (id.clone().ge(1), ">="),
    ] {
        assert_where(
            cond,
            &format!("users.id {op} ?"),
            &format!("users.id {op} $1"),
            &format!("users.id {op} ?"),
            &vals![1],
        );
    }
    assert_where(
        age.eq(f.users.c("id")),
        "users.age = users.id",
        "users.age = users.id",
        "users.age = users.id",
        &[],
    );
}

#[test]
fn and_or_not() {
    let f = fixture();
    let (id, name, age) = (f.users.c("id"), f.users.c("name"), f.users.c("age"));
    assert_where(
        id.clone().gt(1) & name.clone().eq("a") & age.clone().lt(3.5),
        "users.id > ? AND users.name = ? AND users.age < ?",
        "users.id > $1 AND users.name = $2 AND users.age < $3::DOUBLE PRECISION",
        "users.id > ? AND users.name = ? AND users.age < ?",
        &vals![1, "a", 3.5],
    );
    // a AND (b OR c): OR binds looser, so it is parenthesized.
    assert_where(
        id.clone().gt(1) & (name.clone().eq("a") | name.clone().eq("b")),
        "users.id > ? AND (users.name = ? OR users.name = ?)",
        "users.id > $1 AND (users.name = $2 OR users.name = $3)",
        "users.id > ? AND (users.name = ? OR users.name = ?)",
        &vals![1, "a", "b"],
    );
    // (a AND b) OR c needs no parentheses.
    assert_where(
        (id.clone().gt(1) & name.clone().eq("a")) | name.clone().eq("b"),
        "users.id > ? AND users.name = ? OR users.name = ?",
        "users.id > $1 AND users.name = $2 OR users.name = $3",
        "users.id > ? AND users.name = ? OR users.name = ?",
        &vals![1, "a", "b"],
    );
    assert_where(
        !id.clone().gt(1),
        "NOT (users.id > ?)",
        "NOT (users.id > $1)",
        "NOT (users.id > ?)",
        &vals![1],
    );
    assert_where(
        !(id.clone().gt(1) | age.clone().lt(2)),
        "NOT (users.id > ? OR users.age < ?)",
        "NOT (users.id > $1 OR users.age < $2)",
        "NOT (users.id > ? OR users.age < ?)",
        &vals![1, 2],
    );
    assert_where(
        and_([
            id.clone().eq(1),
            or_([name.clone().eq("x"), not_(age.clone().eq(2))]),
        ]),
        "users.id = ? AND (users.name = ? OR NOT (users.age = ?))",
        "users.id = $1 AND (users.name = $2 OR NOT (users.age = $3))",
        "users.id = ? AND (users.name = ? OR NOT (users.age = ?))",
        &vals![1, "x", 2],
    );
    // Boolean constants: integers where the database has no boolean literals.
    assert_where(
        id.eq(1) & true_(),
        "users.id = ? AND 1",
        "users.id = $1 AND true",
        "users.id = ? AND true",
        &vals![1],
    );
}

#[test]
fn arithmetic_precedence() {
    let f = fixture();
    let c = |n: &str| f.users.c(n);
    assert_column(
        (c("id") + c("age")) * c("id"),
        "(users.id + users.age) * users.id",
        "(users.id + users.age) * users.id",
        "(users.id + users.age) * users.id",
        &[],
    );
    assert_column(
        c("id") - (c("age") - c("id")),
        "users.id - (users.age - users.id)",
        "users.id - (users.age - users.id)",
        "users.id - (users.age - users.id)",
        &[],
    );
    assert_column(
        c("id") - c("age") - c("id"),
        "users.id - users.age - users.id",
        "users.id - users.age - users.id",
        "users.id - users.age - users.id",
        &[],
    );
    // True division: the divisor is made a real where `/` would truncate integers (see
    // operators.rs).
    assert_column(
        c("id") / (c("age") * 2),
        "users.id / (users.age * ? + 0.0)",
        "users.id / CAST(users.age * $1 AS FLOAT)",
        "users.id / (users.age * ?)",
        &vals![2],
    );
    assert_column(
        c("id") * 2 + c("age") % 3,
        "users.id * ? + users.age % ?",
        "users.id * $1 + users.age % $2",
        "users.id * ? + users.age % ?",
        &vals![2, 3],
    );
    assert_column(
        -(c("id") + 1),
        "-(users.id + ?)",
        "-(users.id + $1)",
        "-(users.id + ?)",
        &vals![1],
    );
    // A double negation is never `--`, which starts a comment.
    assert_column(
        -(-c("age")) - -c("id"),
        "-(-users.age) - -users.id",
        "-(-users.age) - -users.id",
        "-(-users.age) - -users.id",
        &[],
    );
    assert_where(
        (c("id") + 1).gt(c("age") * 2),
        "users.id + ? > users.age * ?",
        "users.id + $1 > users.age * $2",
        "users.id + ? > users.age * ?",
        &vals![1, 2],
    );
    // Comparisons don't chain: a comparison compared again is parenthesized.
    assert_where(
        c("id").eq(c("age")).eq(false),
        "(users.id = users.age) = ?",
        "(users.id = users.age) = $1",
        "(users.id = users.age) = ?",
        &vals![false],
    );
}

#[test]
fn like_and_ilike() {
    let f = fixture();
    let name = || f.users.c("name");
    assert_where(
        name().like("A%"),
        "users.name LIKE ?",
        "users.name LIKE $1",
        "users.name LIKE ?",
        &vals!["A%"],
    );
    assert_where(
        name().not_like("A%"),
        "users.name NOT LIKE ?",
        "users.name NOT LIKE $1",
        "users.name NOT LIKE ?",
        &vals!["A%"],
    );
    assert_where(
        name().ilike("a%"),
        "lower(users.name) LIKE lower(?)",
        "users.name ILIKE $1",
        "lower(users.name) LIKE lower(?)",
        &vals!["a%"],
    );
    assert_where(
        name().not_ilike("a%"),
        "lower(users.name) NOT LIKE lower(?)",
        "users.name NOT ILIKE $1",
        "lower(users.name) NOT LIKE lower(?)",
        &vals!["a%"],
    );
    assert_where(
        !name().like("A%"),
        "users.name NOT LIKE ?",
        "users.name NOT LIKE $1",
        "users.name NOT LIKE ?",
        &vals!["A%"],
    );
    assert_where(
        name().like("a!%b").escape('!'),
        "users.name LIKE ? ESCAPE '!'",
        "users.name LIKE $1 ESCAPE '!'",
        "users.name LIKE ? ESCAPE '!'",
        &vals!["a!%b"],
    );
    // A backslash escape character is itself escaped in MySQL's string literals.
    assert_where(
        name().like("a\\%").escape('\\'),
        "users.name LIKE ? ESCAPE '\\'",
        "users.name LIKE $1 ESCAPE '\\'",
        "users.name LIKE ? ESCAPE '\\\\'",
        &vals!["a\\%"],
    );
}

#[test]
fn contains_startswith_endswith_escape_wildcards() {
    let f = fixture();
    let name = || f.users.c("name");
    assert_where(
        name().contains("50%_off/"),
        "users.name LIKE ? ESCAPE '/'",
        "users.name LIKE $1 ESCAPE '/'",
        "users.name LIKE ? ESCAPE '/'",
        &vals!["%50/%/_off//%"],
    );
    assert_where(
        name().startswith("a_b"),
        "users.name LIKE ? ESCAPE '/'",
        "users.name LIKE $1 ESCAPE '/'",
        "users.name LIKE ? ESCAPE '/'",
        &vals!["a/_b%"],
    );
    assert_where(
        name().endswith("%"),
        "users.name LIKE ? ESCAPE '/'",
        "users.name LIKE $1 ESCAPE '/'",
        "users.name LIKE ? ESCAPE '/'",
        &vals!["%/%"],
    );
}

/// `.escape(c)` after contains/startswith/endswith is SQLAlchemy's `escape=c`: the needle as
/// the caller escaped it (it used to keep the `/` escaping and only change the ESCAPE
/// character, matching neither); `.autoescape(c)` escapes with `c` instead of `/`.
#[test]
fn escape_and_autoescape_rebuild_the_affix_pattern() {
    let f = fixture();
    let name = || f.users.c("name");
    assert_where(
        name().startswith("ab#%").escape('#'),
        "users.name LIKE ? ESCAPE '#'",
        "users.name LIKE $1 ESCAPE '#'",
        "users.name LIKE ? ESCAPE '#'",
        &vals!["ab#%%"],
    );
    assert_where(
        name().contains("a/b").escape('#'),
        "users.name LIKE ? ESCAPE '#'",
        "users.name LIKE $1 ESCAPE '#'",
        "users.name LIKE ? ESCAPE '#'",
        &vals!["%a/b%"],
    );
    assert_where(
        name().endswith("a%b#_/").autoescape('#'),
        "users.name LIKE ? ESCAPE '#'",
        "users.name LIKE $1 ESCAPE '#'",
        "users.name LIKE ? ESCAPE '#'",
        &vals!["%a#%b###_/"],
    );
    // Negation keeps the needle: escape() after `!` still rebuilds.
    assert_where(
        (!name().contains("x%")).autoescape('!'),
        "users.name NOT LIKE ? ESCAPE '!'",
        "users.name NOT LIKE $1 ESCAPE '!'",
        "users.name NOT LIKE ? ESCAPE '!'",
        &vals!["%x!%%"],
    );
    // On a plain LIKE, autoescape has no needle to escape: nothing changes.
    assert_where(
        name().like("a%").autoescape('#'),
        "users.name LIKE ?",
        "users.name LIKE $1",
        "users.name LIKE ?",
        &vals!["a%"],
    );
}

#[test]
fn in_values_expand_one_placeholder_per_value() {
    let f = fixture();
    let id = || f.users.c("id");
    assert_where(
        id().in_([1, 2, 3]),
        "users.id IN (?, ?, ?)",
        "users.id IN ($1, $2, $3)",
        "users.id IN (?, ?, ?)",
        &vals![1, 2, 3],
    );
    assert_where(
        id().not_in([4]),
        "users.id NOT IN (?)",
        "users.id NOT IN ($1)",
        "users.id NOT IN (?)",
        &vals![4],
    );
    // Numbering continues after an expanded list.
    assert_where(
        id().in_([1, 2]) & f.users.c("name").eq("x"),
        "users.id IN (?, ?) AND users.name = ?",
        "users.id IN ($1, $2) AND users.name = $3",
        "users.id IN (?, ?) AND users.name = ?",
        &vals![1, 2, "x"],
    );
    let stmt = select(id()).filter(id().in_([1, 2]));
    assert_eq!(
        stmt.to_string(),
        "SELECT users.id FROM users WHERE users.id IN (:param_1_1, :param_1_2)"
    );
}

#[test]
fn in_empty_list_is_never_true() {
    let f = fixture();
    let none: [i64; 0] = [];
    assert_where(
        f.users.c("id").in_(none) & f.users.c("age").gt(1),
        "users.id IN (SELECT 1 WHERE 1!=1) AND users.age > ?",
        "users.id IN (SELECT CAST(NULL AS INTEGER) WHERE 1!=1) AND users.age > $1",
        "users.id IN (SELECT 1 FROM DUAL WHERE 1!=1) AND users.age > ?",
        &vals![1],
    );
    // PostgreSQL compares the empty set with the column's type: text with text.
    assert_where(
        f.users.c("name").not_in(Vec::<String>::new()),
        "users.name NOT IN (SELECT 1 WHERE 1!=1)",
        "users.name NOT IN (SELECT CAST(NULL AS VARCHAR(50)) WHERE 1!=1)",
        "users.name NOT IN (SELECT 1 FROM DUAL WHERE 1!=1)",
        &[],
    );
}

#[test]
fn in_exprs_tuples_and_subqueries() {
    let f = fixture();
    assert_where(
        f.users.c("id").in_exprs([f.users.c("age"), literal(3)]),
        "users.id IN (users.age, ?)",
        "users.id IN (users.age, $1)",
        "users.id IN (users.age, ?)",
        &vals![3],
    );
    assert_where(
        tuple_([f.users.c("id"), f.users.c("name")]).in_exprs([
            tuple_([literal(1), literal("a")]),
            tuple_([literal(2), literal("b")]),
        ]),
        "(users.id, users.name) IN ((?, ?), (?, ?))",
        "(users.id, users.name) IN (($1, $2), ($3, $4))",
        "(users.id, users.name) IN ((?, ?), (?, ?))",
        &vals![1, "a", 2, "b"],
    );
    assert_where(
        f.users
            .c("id")
            .in_select(select(f.messages.c("sender_id")).filter(f.messages.c("body").like("%hi%"))),
        "users.id IN (SELECT messages.sender_id FROM messages WHERE messages.body LIKE ?)",
        "users.id IN (SELECT messages.sender_id FROM messages WHERE messages.body LIKE $1)",
        "users.id IN (SELECT messages.sender_id FROM messages WHERE messages.body LIKE ?)",
        &vals!["%hi%"],
    );
    assert_where(
        f.users
            .c("id")
            .not_in_select(select(f.messages.c("sender_id"))),
        "users.id NOT IN (SELECT messages.sender_id FROM messages)",
        "users.id NOT IN (SELECT messages.sender_id FROM messages)",
        "users.id NOT IN (SELECT messages.sender_id FROM messages)",
        &[],
    );
    // A subquery over the outer query's only table keeps its FROM (nothing left to correlate).
    assert_where(
        f.users
            .c("id")
            .in_select(select(func::max(f.users.c("id")))),
        "users.id IN (SELECT max(users.id) AS max_1 FROM users)",
        "users.id IN (SELECT max(users.id) AS max_1 FROM users)",
        "users.id IN (SELECT max(users.id) AS max_1 FROM users)",
        &[],
    );
}

#[test]
fn between_and_null_tests() {
    let f = fixture();
    let age = || f.users.c("age");
    assert_where(
        age().between(18, 30),
        "users.age BETWEEN ? AND ?",
        "users.age BETWEEN $1 AND $2",
        "users.age BETWEEN ? AND ?",
        &vals![18, 30],
    );
    assert_where(
        age().not_between(1, 2),
        "users.age NOT BETWEEN ? AND ?",
        "users.age NOT BETWEEN $1 AND $2",
        "users.age NOT BETWEEN ? AND ?",
        &vals![1, 2],
    );
    for cond in [age().is_null(), age().eq(None::<f64>), age().eq(null())] {
        assert_where(
            cond,
            "users.age IS NULL",
            "users.age IS NULL",
            "users.age IS NULL",
            &[],
        );
    }
    for cond in [age().is_not_null(), age().ne(None::<f64>), !age().is_null()] {
        assert_where(
            cond,
            "users.age IS NOT NULL",
            "users.age IS NOT NULL",
            "users.age IS NOT NULL",
            &[],
        );
    }
}

#[test]
fn is_distinct_from() {
    let f = fixture();
    assert_where(
        f.users.c("age").is_distinct_from(3),
        "users.age IS DISTINCT FROM ?",
        "users.age IS DISTINCT FROM $1",
        "NOT (users.age <=> ?)",
        &vals![3],
    );
    assert_where(
        f.users.c("age").is_not_distinct_from(f.users.c("id")),
        "users.age IS NOT DISTINCT FROM users.id",
        "users.age IS NOT DISTINCT FROM users.id",
        "users.age <=> users.id",
        &[],
    );
}

#[test]
fn concat() {
    let f = fixture();
    assert_column(
        f.users.c("name").concat("!"),
        "users.name || ?",
        "users.name || $1",
        "concat(users.name, ?)",
        &vals!["!"],
    );
    assert_column(
        f.users.c("name").concat(" ").concat(f.users.c("name")),
        "users.name || ? || users.name",
        "users.name || $1 || users.name",
        "concat(concat(users.name, ?), users.name)",
        &vals![" "],
    );
}

#[test]
fn functions_and_their_result_names() {
    let f = fixture();
    let (id, name, age) = (f.users.c("id"), f.users.c("name"), f.users.c("age"));
    let stmt = select((
        func::count(id.clone()),
        func::count_star(),
        func::sum(age.clone()),
        func::avg(age.clone()),
        func::min(age.clone()),
        func::max(age.clone()),
    ));
    let sql = "SELECT count(users.id) AS count_1, count(*) AS count_2, sum(users.age) AS sum_1, \
               avg(users.age) AS avg_1, min(users.age) AS min_1, max(users.age) AS max_1 FROM users";
    assert_all(
        &stmt,
        Golden {
            sqlite: sql,
            postgres: sql,
            mysql: sql,
        },
        &[],
    );
    assert_eq!(stmt.to_string(), sql);
    assert_eq!(
        stmt.compile(&Sqlite).expect("compiles").compiled().columns,
        ["count_1", "count_2", "sum_1", "avg_1", "min_1", "max_1"]
    );

    let stmt = select((
        func::coalesce([name.clone(), literal("?")]),
        func::lower(name.clone()),
        func::upper(name.clone()),
        func::length(name.clone()),
        func::call("my_func", [id.clone(), literal(1)]),
        func::count_distinct(name.clone()).label("n"),
    ));
    assert_all(
        &stmt,
        Golden {
            sqlite: "SELECT coalesce(users.name, ?) AS coalesce_1, lower(users.name) AS lower_1, \
                     upper(users.name) AS upper_1, length(users.name) AS length_1, \
                     my_func(users.id, ?) AS my_func_1, count(DISTINCT users.name) AS n FROM users",
            postgres: "SELECT coalesce(users.name, $1) AS coalesce_1, lower(users.name) AS lower_1, \
                       upper(users.name) AS upper_1, length(users.name) AS length_1, \
                       my_func(users.id, $2) AS my_func_1, count(DISTINCT users.name) AS n FROM users",
            mysql: "SELECT coalesce(users.name, ?) AS coalesce_1, lower(users.name) AS lower_1, \
                    upper(users.name) AS upper_1, length(users.name) AS length_1, \
                    my_func(users.id, ?) AS my_func_1, count(DISTINCT users.name) AS n FROM users",
        },
        &vals!["?", 1],
    );
}

#[test]
fn labels_are_quoted_when_needed() {
    let f = fixture();
    let stmt = select((
        f.users.c("name").label("n"),
        f.users.c("age").label("# of years"),
        f.users.c("id").label("order"),
        f.users.c("id").label("UserId"),
    ));
    assert_all(
        &stmt,
        Golden {
            sqlite: r##"SELECT users.name AS n, users.age AS "# of years", users.id AS "order", users.id AS "UserId" FROM users"##,
            postgres: r##"SELECT users.name AS n, users.age AS "# of years", users.id AS "order", users.id AS "UserId" FROM users"##,
            mysql: "SELECT users.name AS n, users.age AS `# of years`, users.id AS `order`, users.id AS `UserId` FROM users",
        },
        &[],
    );
}

#[test]
fn case_searched_and_simple() {
    let f = fixture();
    let age = || f.users.c("age");
    let searched = case([(age().lt(18), literal("minor"))])
        .when(age().lt(65), "adult")
        .else_("senior");
    assert_column(
        searched,
        "CASE WHEN users.age < ? THEN ? WHEN users.age < ? THEN ? ELSE ? END",
        "CASE WHEN users.age < $1 THEN $2 WHEN users.age < $3 THEN $4 ELSE $5 END",
        "CASE WHEN users.age < ? THEN ? WHEN users.age < ? THEN ? ELSE ? END",
        &vals![18, "minor", 65, "adult", "senior"],
    );
    let simple = case([(literal("alice"), literal(1))])
        .value(f.users.c("name"))
        .when("bob", 2)
        .end();
    assert_column(
        simple,
        "CASE users.name WHEN ? THEN ? WHEN ? THEN ? END",
        // PostgreSQL: results that are all bare values get their type (unknown otherwise).
        "CASE users.name WHEN $1 THEN $2::BIGINT WHEN $3 THEN $4::BIGINT END",
        "CASE users.name WHEN ? THEN ? WHEN ? THEN ? END",
        &vals!["alice", 1, "bob", 2],
    );
    // An unlabeled CASE is named anon_1, as SQLAlchemy names it.
    let stmt = select(case([(age().gt(1), literal(1))]).else_(0));
    assert_compile(
        &stmt,
        &Sqlite,
        "SELECT CASE WHEN users.age > ? THEN ? ELSE ? END AS anon_1 FROM users",
        &vals![1, 1, 0],
    );
}

#[test]
fn cast_type_names_per_dialect() {
    let f = fixture();
    let cases: [(Type, &str, &str, &str); 9] = [
        (Type::Integer, "INTEGER", "INTEGER", "SIGNED"),
        (Type::BigInteger, "BIGINT", "BIGINT", "SIGNED"),
        (
            Type::String(Some(20)),
            "VARCHAR(20)",
            "VARCHAR(20)",
            "CHAR(20)",
        ),
        (Type::String(None), "VARCHAR", "VARCHAR", "CHAR"),
        (Type::Text, "TEXT", "TEXT", "CHAR"),
        (
            Type::Numeric(Some(10), Some(2)),
            "NUMERIC(10, 2)",
            "NUMERIC(10, 2)",
            "DECIMAL(10, 2)",
        ),
        // SQLite keeps dates as text (a CAST to DATE would make one a number); MySQL keeps
        // the microseconds.
        (Type::Date, "TEXT", "DATE", "DATE"),
        (
            Type::DateTime,
            "TEXT",
            "TIMESTAMP WITHOUT TIME ZONE",
            "DATETIME(6)",
        ),
        (Type::Time, "TEXT", "TIME WITHOUT TIME ZONE", "TIME(6)"),
    ];
    for (ty, sqlite, postgres, mysql) in cases {
        assert_column(
            cast(f.users.c("age"), ty),
            &format!("CAST(users.age AS {sqlite})"),
            &format!("CAST(users.age AS {postgres})"),
            &format!("CAST(users.age AS {mysql})"),
            &[],
        );
    }
    assert_column(
        f.users.c("name").cast(Type::Float) * 2,
        "CAST(users.name AS FLOAT) * ?",
        "CAST(users.name AS FLOAT) * $1",
        "CAST(users.name AS DOUBLE) * ?",
        &vals![2],
    );
}

#[test]
fn literal_values_are_bound() {
    let stmt = select((literal(1).label("one"), literal("it's")));
    assert_all(
        &stmt,
        Golden {
            sqlite: "SELECT ? AS one, ? AS anon_1",
            postgres: "SELECT $1::BIGINT AS one, $2 AS anon_1",
            mysql: "SELECT ? AS one, ? AS anon_1",
        },
        &vals![1, "it's"],
    );
    assert_eq!(
        stmt.to_string(),
        "SELECT :param_1 AS one, :param_2 AS anon_1"
    );
    let stmt = select(literal_column("42").label("answer"));
    assert_compile(&stmt, &MySql, "SELECT 42 AS answer", &[]);
}

#[test]
fn extract_per_dialect() {
    let f = fixture();
    let date = || f.invoice.c("InvoiceDate");
    let stmt = select(extract(DatePart::Year, date()).label("y"));
    assert_all(
        &stmt,
        Golden {
            sqlite: r#"SELECT CAST(STRFTIME('%Y', "Invoice"."InvoiceDate") AS INTEGER) AS y FROM "Invoice""#,
            postgres: r#"SELECT EXTRACT(year FROM "Invoice"."InvoiceDate") AS y FROM "Invoice""#,
            mysql: "SELECT EXTRACT(year FROM `Invoice`.`InvoiceDate`) AS y FROM `Invoice`",
        },
        &[],
    );
    let stmt = select(date().extract(DatePart::Month).label("m"))
        .filter(extract(DatePart::Day, date()).eq(1));
    assert_all(
        &stmt,
        Golden {
            sqlite: r#"SELECT CAST(STRFTIME('%m', "Invoice"."InvoiceDate") AS INTEGER) AS m FROM "Invoice" WHERE CAST(STRFTIME('%d', "Invoice"."InvoiceDate") AS INTEGER) = ?"#,
            postgres: r#"SELECT EXTRACT(month FROM "Invoice"."InvoiceDate") AS m FROM "Invoice" WHERE EXTRACT(day FROM "Invoice"."InvoiceDate") = $1"#,
            mysql: "SELECT EXTRACT(month FROM `Invoice`.`InvoiceDate`) AS m FROM `Invoice` WHERE EXTRACT(day FROM `Invoice`.`InvoiceDate`) = ?",
        },
        &vals![1],
    );
    // Parts rendered as arithmetic stay one operand inside a larger expression.
    // (Integer floor division: a plain `/` where `/` truncates integers.)
    let stmt = select(
        literal(10)
            .floordiv(extract(DatePart::Quarter, date()))
            .label("q"),
    );
    assert_all(
        &stmt,
        Golden {
            sqlite: r#"SELECT ? / ((CAST(STRFTIME('%m', "Invoice"."InvoiceDate") AS INTEGER) + 2) / 3) AS q FROM "Invoice""#,
            postgres: r#"SELECT $1 / EXTRACT(quarter FROM "Invoice"."InvoiceDate") AS q FROM "Invoice""#,
            mysql: "SELECT FLOOR(? / EXTRACT(quarter FROM `Invoice`.`InvoiceDate`)) AS q FROM `Invoice`",
        },
        &vals![10],
    );
    let stmt = select((extract(DatePart::Dow, date()) * 2).label("d"));
    assert_all(
        &stmt,
        Golden {
            sqlite: r#"SELECT CAST(STRFTIME('%w', "Invoice"."InvoiceDate") AS INTEGER) * ? AS d FROM "Invoice""#,
            postgres: r#"SELECT EXTRACT(dow FROM "Invoice"."InvoiceDate") * $1 AS d FROM "Invoice""#,
            mysql: "SELECT (DAYOFWEEK(`Invoice`.`InvoiceDate`) - 1) * ? AS d FROM `Invoice`",
        },
        &vals![2],
    );
}

#[test]
fn bindparam_is_named_at_execution() {
    let f = fixture();
    let stmt = select(f.users.c("name")).filter(f.users.c("id").eq(bindparam("uid")));
    assert_all(
        &stmt,
        Golden {
            sqlite: "SELECT users.name FROM users WHERE users.id = ?",
            postgres: "SELECT users.name FROM users WHERE users.id = $1",
            mysql: "SELECT users.name FROM users WHERE users.id = ?",
        },
        &[],
    );
    assert_eq!(
        stmt.to_string(),
        "SELECT users.name FROM users WHERE users.id = :uid"
    );
    let compiled = stmt.compile(&Postgres).expect("compiles");
    let seven = Value::from(7);
    let binds = athanor_core::compiler::statement_binds(stmt.statement());
    let params = compiled
        .compiled()
        .params(&binds, &|n| (n == "uid").then_some(&seven))
        .expect("uid is given");
    assert_eq!(params, [&seven]);
    assert!(compiled.compiled().params(&binds, &|_| None).is_err());
}

#[test]
fn text_with_named_params_and_casts() {
    let t = text("SELECT * FROM users WHERE id = :id AND created > :since::date OR id = :id")
        .bind("id", 5)
        .bind("since", "2020-01-01");
    // `?` dialects bind `:id` once per use; PostgreSQL numbers it once and uses `$1` twice.
    let q = "SELECT * FROM users WHERE id = ? AND created > ?::date OR id = ?";
    assert_compile(&t, &Sqlite, q, &vals![5, "2020-01-01", 5]);
    assert_compile(&t, &MySql, q, &vals![5, "2020-01-01", 5]);
    assert_compile(
        &t,
        &Postgres,
        "SELECT * FROM users WHERE id = $1 AND created > $2::date OR id = $1",
        &vals![5, "2020-01-01"],
    );
    assert_eq!(
        t.to_string(),
        "SELECT * FROM users WHERE id = :id AND created > :since::date OR id = :id"
    );
    // Quoted text and escaped colons are not parameters.
    let t = text(r"SELECT ':not_a_param', '\:x', x FROM t WHERE a = \:b");
    assert_compile(
        &t,
        &Postgres,
        r"SELECT ':not_a_param', '\:x', x FROM t WHERE a = :b",
        &[],
    );
}

/// `in_(bindparam_expanding("q"))`: one placeholder per item of the list given at execution,
/// the dialect's empty set for an empty list; every length is one cached shape.
#[test]
fn expanding_bindparam_is_sized_at_execution() {
    use athanor_core::compiler::{ParamSpec, compile};
    let f = fixture();
    let stmt = select(f.users.c("id")).filter(f.users.c("id").not_in(bindparam_expanding("q")));
    assert_eq!(
        stmt.to_string(),
        "SELECT users.id FROM users WHERE users.id NOT IN (:q)"
    );
    let three = Value::from(vec![1, 2, 3]);
    let empty = Value::from(Vec::<i64>::new());
    for (d, sql3, sql0) in [
        (
            &Sqlite as &dyn athanor_core::dialect::Dialect,
            "SELECT users.id FROM users WHERE users.id NOT IN (?, ?, ?)",
            "SELECT users.id FROM users WHERE users.id NOT IN (SELECT 1 WHERE 1!=1)",
        ),
        (
            &Postgres,
            "SELECT users.id FROM users WHERE users.id NOT IN ($1, $2, $3)",
            "SELECT users.id FROM users WHERE users.id NOT IN (SELECT CAST(NULL AS INTEGER) WHERE 1!=1)",
        ),
        (
            &MySql,
            "SELECT users.id FROM users WHERE users.id NOT IN (?, ?, ?)",
            "SELECT users.id FROM users WHERE users.id NOT IN (SELECT 1 FROM DUAL WHERE 1!=1)",
        ),
    ] {
        let c = compile(stmt.statement(), d).expect("compiles");
        assert_eq!(c.static_sql(), None);
        assert_eq!(
            c.slots().collect::<Vec<_>>(),
            [&ParamSpec::NamedExpanding("q".into())]
        );
        assert_eq!(c.sql_for(&[], &|_| Some(&three)), sql3);
        assert_eq!(c.sql_for(&[], &|_| Some(&empty)), sql0);
        let params = c.params(&[], &|_| Some(&three)).expect("a list");
        assert_eq!(params, [&Value::Int(1), &Value::Int(2), &Value::Int(3)]);
        assert!(c.params(&[], &|_| Some(&empty)).expect("a list").is_empty());
    }
    // A tuple takes a list of tuples of its length (tuple IN), not of single values.
    let pairs = select(column("a"))
        .filter(tuple_([column("a"), column("b")]).in_(bindparam_expanding("q")));
    let c = compile(pairs.statement(), &Sqlite).expect("compiles");
    let two = Value::from(vec![(1, "x"), (2, "y")]);
    assert_eq!(
        c.sql_for(&[], &|_| Some(&two)),
        "SELECT a WHERE (a, b) IN ((?, ?), (?, ?))"
    );
    let params = c.params(&[], &|_| Some(&two)).expect("pairs");
    assert_eq!(
        params,
        [
            &Value::Int(1),
            &Value::from("x"),
            &Value::Int(2),
            &Value::from("y")
        ]
    );
    assert!(matches!(
        c.params(&[], &|_| Some(&three)),
        Err(Error::InvalidRequest(_))
    ));
}

/// A typed `bindparam` casts its placeholder where the database infers parameter types
/// from context (PostgreSQL), and is the bare placeholder elsewhere.
#[test]
fn typed_bindparam_casts_on_postgres_only() {
    let stmt = select(
        (bindparam_typed("a", Type::Integer) + bindparam_typed("b", Type::Integer)).label("n"),
    );
    assert_compile(&stmt, &Sqlite, "SELECT ? + ? AS n", &[]);
    assert_compile(
        &stmt,
        &Postgres,
        "SELECT $1::INTEGER + $2::INTEGER AS n",
        &[],
    );
    assert_compile(&stmt, &MySql, "SELECT ? + ? AS n", &[]);
}
