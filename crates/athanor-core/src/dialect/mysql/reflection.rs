//! MySQL / MariaDB catalog queries (`information_schema`): `TABLES`, `COLUMNS`,
//! `KEY_COLUMN_USAGE` + `REFERENTIAL_CONSTRAINTS` for keys, `STATISTICS` for indexes and
//! `CHECK_CONSTRAINTS` for checks.
//!
//! Column defaults are SQL text: MariaDB reports them as such; MySQL reports a literal's bare
//! value, which is quoted through the dialect's escaper. MariaDB prints characters beyond
//! U+FFFF in a default as `?` in its own catalog (the table itself stores them right), so a
//! reflected default loses them there.

use super::super::reflection::{
    Exec, ObjectKind, ReflectedCheck, ReflectedColumn, ReflectedForeignKey, ReflectedIndex,
    ReflectedTable, ReflectedUnique, cell_int, cell_text,
};
use super::MySql;
use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::sql::{TextClause, text};
use crate::types::Value;

/// A row when the table (or view) exists in the database, or the connection's database.
pub(crate) fn has_table(name: &str, schema: Option<&str>) -> TextClause {
    text(
        "SELECT table_name FROM information_schema.tables \
         WHERE table_name = :name AND table_schema = coalesce(:schema, database())",
    )
    .bind("name", name)
    .bind("schema", schema.map(str::to_string))
}

/// Those of `names` that name a table or view in the database (the connection's for
/// `None`): one query.
pub(crate) fn has_tables(names: &[&str], schema: Option<&str>) -> TextClause {
    super::super::reflection::with_names(
        "SELECT table_name FROM information_schema.tables \
         WHERE table_name IN :names AND table_schema = coalesce(:schema, database())",
        names,
    )
    .bind("schema", schema.map(str::to_string))
}

/// Table names (MariaDB's system-versioned tables included) or view names, sorted.
pub(crate) fn table_names(
    exec: &mut Exec<'_>,
    schema: Option<&str>,
    views: bool,
) -> Result<Vec<String>> {
    let kinds = if views {
        "'VIEW'"
    } else {
        "'BASE TABLE', 'SYSTEM VERSIONED'"
    };
    let sql = format!(
        "SELECT TABLE_NAME FROM information_schema.TABLES \
         WHERE TABLE_SCHEMA = coalesce(:schema, database()) AND TABLE_TYPE IN ({kinds})"
    );
    let rows = exec(&text(&sql).bind("schema", schema.map(str::to_string)))?;
    let mut names: Vec<String> = rows.iter().filter_map(|r| cell_text(r, 0)).collect();
    names.sort();
    Ok(names)
}

/// The sequences of a database (the connection's own for `None`), sorted (MariaDB).
pub(crate) fn sequence_names(exec: &mut Exec<'_>, schema: Option<&str>) -> Result<Vec<String>> {
    let sql = "SELECT TABLE_NAME FROM information_schema.TABLES \
               WHERE TABLE_SCHEMA = coalesce(:schema, database()) AND TABLE_TYPE = 'SEQUENCE'";
    let rows = exec(&text(sql).bind("schema", schema.map(str::to_string)))?;
    let mut names: Vec<String> = rows.iter().filter_map(|r| cell_text(r, 0)).collect();
    names.sort();
    Ok(names)
}

/// `ON DELETE` / `ON UPDATE` as `REFERENTIAL_CONSTRAINTS` reports it; the defaults (RESTRICT,
/// which `SHOW CREATE TABLE` leaves out, and NO ACTION) are `None`, as in SQLAlchemy.
fn fk_action(rule: Option<String>) -> Option<String> {
    rule.filter(|r| r != "RESTRICT" && r != "NO ACTION")
}

/// A column default as SQL text. MariaDB's `COLUMN_DEFAULT` is already SQL (`'abc'`, `0`,
/// `current_timestamp()`, `NULL` for none); MySQL's is the bare value, to be quoted unless
/// `EXTRA` says it is an expression.
fn column_default(
    dialect: &MySql,
    raw: Option<String>,
    extra: &str,
    mariadb: bool,
) -> Result<Option<String>> {
    let Some(d) = raw else {
        return Ok(None);
    };
    if mariadb {
        return Ok((d != "NULL").then_some(d));
    }
    if extra.contains("DEFAULT_GENERATED") {
        Ok(Some(d))
    } else {
        // MySQL reports a literal default as its bare value: quote it as DDL would.
        dialect.quote_string(&d).map(Some)
    }
}

/// MariaDB's JSON is an alias of LONGTEXT that adds the column check
/// `json_valid(`col`)`, named after the column: such a column is reflected as `json`, the
/// type it was declared with (the check is reported too, as the database has it).
fn mariadb_json_columns(columns: &mut [ReflectedColumn], checks: &[ReflectedCheck]) {
    for c in columns {
        let json_check = format!("json_valid(`{}`)", c.name.replace('`', "``"));
        let is_json = c.ty.to_string().eq_ignore_ascii_case("longtext")
            && checks
                .iter()
                .any(|ck| ck.name.as_deref() == Some(c.name.as_str()) && ck.sqltext == json_check);
        if is_json {
            c.ty = super::types::from_declared("json");
        }
    }
}

/// A table's options as SQLAlchemy's `get_table_options` reports them from `SHOW CREATE
/// TABLE`: `mysql_engine`, `mysql_default charset`, `mysql_collate`, `mysql_comment` and one
/// `mysql_<option>` per option set at CREATE (`CREATE_OPTIONS`: `row_format=DYNAMIC`, ...),
/// from a row whose cells 3, 5, 6, 7 and 8 are `TABLE_COMMENT`, `ENGINE`, the collation's
/// character set, `TABLE_COLLATION` and `CREATE_OPTIONS`.
fn table_options(row: &[Value]) -> std::collections::BTreeMap<String, String> {
    let mut o = std::collections::BTreeMap::new();
    for (key, cell) in [
        ("mysql_comment", 3),
        ("mysql_engine", 5),
        ("mysql_default charset", 6),
        ("mysql_collate", 7),
    ] {
        if let Some(v) = cell_text(row, cell).filter(|v| !v.is_empty()) {
            o.insert(key.to_string(), v);
        }
    }
    for opt in cell_text(row, 8).unwrap_or_default().split_whitespace() {
        if let Some((k, v)) = opt.split_once('=') {
            o.insert(format!("mysql_{}", k.to_ascii_lowercase()), v.to_string());
        }
    }
    o
}

fn no_such_table(name: &str, schema: Option<&str>) -> Error {
    Error::NoSuchTable {
        name: match schema {
            Some(s) => format!("{s}.{name}"),
            None => name.to_string(),
        },
    }
}

/// A view's definition, `information_schema.VIEWS`.
pub(crate) fn view_definition(
    exec: &mut Exec<'_>,
    name: &str,
    schema: Option<&str>,
) -> Result<String> {
    let rows = exec(
        &text(
            "SELECT VIEW_DEFINITION FROM information_schema.VIEWS \
             WHERE TABLE_SCHEMA = coalesce(:schema, database()) AND TABLE_NAME = :name",
        )
        .bind("name", name)
        .bind("schema", schema.map(str::to_string)),
    )?;
    rows.first()
        .and_then(|r| cell_text(r, 0))
        .ok_or_else(|| no_such_table(name, schema))
}

/// One table's (or view's) full description from `information_schema`.
pub(crate) fn reflect_table(
    dialect: &MySql,
    exec: &mut Exec<'_>,
    name: &str,
    schema: Option<&str>,
) -> Result<ReflectedTable> {
    match reflect_tables(
        dialect,
        exec,
        schema,
        Some(&[name.to_string()]),
        ObjectKind::ANY,
    )?
    .pop()
    {
        Some(t) => Ok(t),
        // Not in the catalog: a temporary table of this connection, which `information_schema`
        // doesn't list (MariaDB before 11.2, MySQL) but the SHOW statements describe.
        None if schema.is_none() => temp_table(dialect, exec, name),
        None => Err(no_such_table(name, schema)),
    }
}

/// `SHOW FULL COLUMNS FROM name`'s rows; `None` when there is no such table (error 1146).
fn show_columns(exec: &mut Exec<'_>, name: &str) -> Result<Option<Vec<Vec<Value>>>> {
    // `:` would start a bound parameter in the statement's text: no table is looked up by
    // such a name here.
    if name.contains(':') {
        return Ok(None);
    }
    let quoted = format!("`{}`", name.replace('`', "``"));
    match exec(&text(&format!("SHOW FULL COLUMNS FROM {quoted}"))) {
        Ok(rows) => Ok(Some(rows)),
        Err(e) if e.database_error().and_then(|d| d.errno) == Some(1146) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Does the connection see a table `name` (a temporary one, which the catalog doesn't list)?
pub(crate) fn has_temp_table(exec: &mut Exec<'_>, name: &str) -> Result<bool> {
    Ok(show_columns(exec, name)?.is_some())
}

/// A temporary table (or any table the connection sees by this unqualified name) from `SHOW
/// FULL COLUMNS` and `SHOW INDEX`: columns, primary key, indexes and the unique constraints
/// they are (temporary tables have no foreign keys; their checks and options are not
/// reported).
fn temp_table(dialect: &MySql, exec: &mut Exec<'_>, name: &str) -> Result<ReflectedTable> {
    let Some(cols) = show_columns(exec, name)? else {
        return Err(no_such_table(name, None));
    };
    let quoted = format!("`{}`", name.replace('`', "``"));
    let mut table = ReflectedTable {
        name: name.to_string(),
        ..ReflectedTable::default()
    };
    // Field, Type, Collation, Null, Key, Default, Extra, Privileges, Comment.
    for r in &cols {
        let mut c = ReflectedColumn::new(
            cell_text(r, 0).unwrap_or_default(),
            super::types::from_declared(&cell_text(r, 1).unwrap_or_default()),
        );
        c.nullable = cell_text(r, 3).as_deref() == Some("YES");
        let extra = cell_text(r, 6).unwrap_or_default().to_ascii_uppercase();
        if !extra.contains("GENERATED") {
            // SHOW COLUMNS gives a literal default as its bare value, as MySQL's catalog does.
            c.default = column_default(dialect, cell_text(r, 5), &extra, false)?;
        }
        c.autoincrement = extra.contains("AUTO_INCREMENT");
        c.comment = cell_text(r, 8).filter(|s| !s.is_empty());
        table.columns.push(c);
    }
    // Table, Non_unique, Key_name, Seq_in_index, Column_name, ...: in key order.
    let ix_rows = exec(&text(&format!("SHOW INDEX FROM {quoted}")))?;
    for r in &ix_rows {
        let ix_name = cell_text(r, 2).unwrap_or_default();
        let col = cell_text(r, 4);
        if ix_name == "PRIMARY" {
            table.primary_key.constrained_columns.extend(col);
            continue;
        }
        if table.indexes.last().map(|ix| &ix.name) != Some(&ix_name) {
            table.indexes.push(ReflectedIndex {
                name: ix_name,
                column_names: Vec::new(),
                unique: cell_int(r, 1) == 0,
                duplicates_constraint: None,
                expressions: None,
                include_columns: Vec::new(),
            });
        }
        if let Some(ix) = table.indexes.last_mut() {
            ix.column_names.push(col);
        }
    }
    for (i, pk) in table.primary_key.constrained_columns.iter().enumerate() {
        if let Some(c) = table.columns.iter_mut().find(|c| &c.name == pk) {
            c.primary_key = i + 1;
        }
    }
    sort_indexes_and_list_uniques(&mut table);
    Ok(table)
}

/// Sorts a table's indexes by name (byte order, as PostgreSQL's and SQLite's; the catalog's
/// collation may not be) and lists each unique one as a unique constraint too: MySQL keeps a
/// UNIQUE constraint as a unique index of the same name.
fn sort_indexes_and_list_uniques(table: &mut ReflectedTable) {
    table.indexes.sort_by(|a, b| a.name.cmp(&b.name));
    table.unique_constraints = table
        .indexes
        .iter()
        .filter(|ix| ix.unique)
        .map(|ix| ReflectedUnique {
            name: Some(ix.name.clone()),
            column_names: ix.column_names.iter().flatten().cloned().collect(),
            duplicates_index: Some(ix.name.clone()),
        })
        .collect();
}

/// Every object of `kind` in the database (those named in `filter`, when given), in name
/// order, from five `information_schema` queries whatever their number: the objects, their
/// columns, their keys, their indexes, their checks.
pub(crate) fn reflect_tables(
    dialect: &MySql,
    exec: &mut Exec<'_>,
    schema: Option<&str>,
    filter: Option<&[String]>,
    kind: ObjectKind,
) -> Result<Vec<ReflectedTable>> {
    let mut types = Vec::new();
    if kind.contains(ObjectKind::TABLE) {
        types.extend(["'BASE TABLE'", "'SYSTEM VERSIONED'"]);
    }
    if kind.contains(ObjectKind::VIEW) {
        types.push("'VIEW'");
    }
    if types.is_empty() || filter.is_some_and(<[String]>::is_empty) {
        return Ok(Vec::new());
    }
    // The tables' names as a condition on a view's TABLE_NAME column (`col`).
    let names = |col: &str| match filter {
        Some(f) => {
            let binds: Vec<String> = (0..f.len()).map(|i| format!(":n{i}")).collect();
            format!(" AND {col} IN ({})", binds.join(", "))
        }
        None => String::new(),
    };
    let bind = |sql: &str, db: &str| {
        let mut q = text(sql)
            .bind("schema", schema.map(str::to_string))
            .bind("db", db.to_string());
        for (i, n) in filter.unwrap_or_default().iter().enumerate() {
            q = q.bind(&format!("n{i}"), n.clone());
        }
        q
    };
    let found = exec(&bind(
        &format!(
            "SELECT t.TABLE_SCHEMA, t.TABLE_NAME, t.TABLE_TYPE, t.TABLE_COMMENT, VERSION(), \
             t.ENGINE, co.CHARACTER_SET_NAME, t.TABLE_COLLATION, t.CREATE_OPTIONS \
             FROM information_schema.TABLES t \
             LEFT JOIN information_schema.COLLATIONS co ON co.COLLATION_NAME = t.TABLE_COLLATION \
             WHERE t.TABLE_SCHEMA = coalesce(:schema, database()) AND t.TABLE_TYPE IN ({}){} \
             ORDER BY t.TABLE_NAME",
            types.join(", "),
            names("t.TABLE_NAME")
        ),
        "",
    ))?;
    let Some(first) = found.first() else {
        return Ok(Vec::new());
    };
    let db = cell_text(first, 0).unwrap_or_default();
    let mariadb = cell_text(first, 4).is_some_and(|v| v.contains("MariaDB"));
    let mut tables = Vec::with_capacity(found.len());
    let mut by_name = std::collections::HashMap::new();
    for (i, row) in found.iter().enumerate() {
        let name = cell_text(row, 1).unwrap_or_default();
        let is_view = cell_text(row, 2).as_deref() == Some("VIEW");
        by_name.insert(name.clone(), i);
        tables.push(ReflectedTable {
            name,
            schema: schema.map(str::to_string),
            comment: cell_text(row, 3).filter(|c| !c.is_empty() && !is_view),
            is_view,
            options: if is_view {
                Default::default()
            } else {
                table_options(row)
            },
            ..ReflectedTable::default()
        });
    }
    let table_of = |row: &[Value]| cell_text(row, 0).and_then(|n| by_name.get(&n).copied());

    let cols = exec(&bind(
        &format!(
            "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, \
             COLUMN_COMMENT, GENERATION_EXPRESSION \
             FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = :db{} \
             ORDER BY TABLE_NAME, ORDINAL_POSITION",
            names("TABLE_NAME")
        ),
        &db,
    ))?;
    for r in &cols {
        let Some(t) = table_of(r) else { continue };
        let r = &r[1..];
        let mut c = ReflectedColumn::new(
            cell_text(r, 0).unwrap_or_default(),
            super::types::from_declared(&cell_text(r, 1).unwrap_or_default()),
        );
        c.nullable = cell_text(r, 2).as_deref() == Some("YES");
        let extra = cell_text(r, 4).unwrap_or_default().to_ascii_uppercase();
        if !extra.contains("GENERATED") || extra.contains("DEFAULT_GENERATED") {
            c.default = column_default(dialect, cell_text(r, 3), &extra, mariadb)?;
        }
        c.autoincrement = extra.contains("AUTO_INCREMENT");
        c.comment = cell_text(r, 5).filter(|s| !s.is_empty());
        if extra.contains("GENERATED") && !extra.contains("DEFAULT_GENERATED") {
            // EXTRA: `VIRTUAL GENERATED` or `STORED GENERATED` (MariaDB's PERSISTENT too).
            let stored = extra.contains("STORED") || extra.contains("PERSISTENT");
            if let Some(sql) = cell_text(r, 6) {
                c.computed = Some(crate::schema::Computed::new(sql).persisted(stored));
            }
        }
        tables[t].columns.push(c);
    }

    // Primary key and foreign keys, one row per column in key order.
    let keys = exec(&bind(
        &format!(
            "SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA, \
             k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.UPDATE_RULE, r.DELETE_RULE \
             FROM information_schema.KEY_COLUMN_USAGE k \
             LEFT JOIN information_schema.REFERENTIAL_CONSTRAINTS r \
               ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME \
               AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME \
             WHERE k.TABLE_SCHEMA = :db{} \
             AND (k.CONSTRAINT_NAME = 'PRIMARY' OR k.REFERENCED_TABLE_NAME IS NOT NULL) \
             ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION",
            names("k.TABLE_NAME")
        ),
        &db,
    ))?;
    // MySQL keeps no name for a primary key (it is always PRIMARY): None, as in SQLAlchemy.
    for r in &keys {
        let Some(t) = table_of(r) else { continue };
        let r = &r[1..];
        let table = &mut tables[t];
        let cname = cell_text(r, 0).unwrap_or_default();
        let col = cell_text(r, 1).unwrap_or_default();
        if cname == "PRIMARY" {
            table.primary_key.constrained_columns.push(col);
            continue;
        }
        if table.foreign_keys.last().and_then(|f| f.name.as_ref()) != Some(&cname) {
            table.foreign_keys.push(ReflectedForeignKey {
                name: Some(cname),
                constrained_columns: Vec::new(),
                // As SQLAlchemy: `None` for the connection's database,
                // named when a schema was asked for.
                referred_schema: cell_text(r, 2).filter(|s| *s != db || schema.is_some()),
                referred_table: cell_text(r, 3).unwrap_or_default(),
                referred_columns: Vec::new(),
                on_delete: fk_action(cell_text(r, 6)),
                on_update: fk_action(cell_text(r, 5)),

                deferrable: None,
                initially: None,
            });
        }
        if let Some(fk) = table.foreign_keys.last_mut() {
            fk.constrained_columns.push(col);
            fk.referred_columns
                .push(cell_text(r, 4).unwrap_or_default());
        }
    }
    for table in &mut tables {
        for (i, pk) in table.primary_key.constrained_columns.iter().enumerate() {
            if let Some(c) = table.columns.iter_mut().find(|c| &c.name == pk) {
                c.primary_key = i + 1;
            }
        }
    }

    // Every key but PRIMARY, the ones InnoDB made for foreign keys included (as SQLAlchemy).
    let ix_rows = exec(&bind(
        &format!(
            "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME \
             FROM information_schema.STATISTICS \
             WHERE TABLE_SCHEMA = :db AND INDEX_NAME <> 'PRIMARY'{} \
             ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
            names("TABLE_NAME")
        ),
        &db,
    ))?;
    for r in &ix_rows {
        let Some(t) = table_of(r) else { continue };
        let r = &r[1..];
        let indexes = &mut tables[t].indexes;
        let ix_name = cell_text(r, 0).unwrap_or_default();
        if indexes.last().map(|ix| &ix.name) != Some(&ix_name) {
            indexes.push(ReflectedIndex {
                name: ix_name,
                column_names: Vec::new(),
                expressions: None,
                unique: cell_int(r, 1) == 0,
                include_columns: Vec::new(),
                duplicates_constraint: None,
            });
        }
        if let Some(ix) = indexes.last_mut() {
            ix.column_names.push(cell_text(r, 2));
        }
    }
    for table in &mut tables {
        sort_indexes_and_list_uniques(table);
    }

    // MariaDB's CHECK_CONSTRAINTS has TABLE_NAME (check names are per table there); MySQL 8's
    // is reached through TABLE_CONSTRAINTS.
    let checks = exec(&bind(
        &format!(
            "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE \
             FROM information_schema.CHECK_CONSTRAINTS \
             WHERE CONSTRAINT_SCHEMA = :db{} ORDER BY TABLE_NAME, CONSTRAINT_NAME",
            names("TABLE_NAME")
        ),
        &db,
    ))
    .or_else(|_| {
        exec(&bind(
            &format!(
                "SELECT t.TABLE_NAME, c.CONSTRAINT_NAME, c.CHECK_CLAUSE \
                 FROM information_schema.TABLE_CONSTRAINTS t \
                 JOIN information_schema.CHECK_CONSTRAINTS c \
                   ON c.CONSTRAINT_SCHEMA = t.CONSTRAINT_SCHEMA \
                   AND c.CONSTRAINT_NAME = t.CONSTRAINT_NAME \
                 WHERE t.TABLE_SCHEMA = :db AND t.CONSTRAINT_TYPE = 'CHECK'{} \
                 ORDER BY t.TABLE_NAME, c.CONSTRAINT_NAME",
                names("t.TABLE_NAME")
            ),
            &db,
        ))
    })?;
    for r in &checks {
        let Some(t) = table_of(r) else { continue };
        let r = &r[1..];
        tables[t].check_constraints.push(ReflectedCheck {
            name: cell_text(r, 0),
            sqltext: cell_text(r, 1).unwrap_or_default(),
        });
    }
    if mariadb {
        for table in &mut tables {
            mariadb_json_columns(&mut table.columns, &table.check_constraints);
        }
    }
    Ok(tables)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_sql_text() {
        let d = |raw: Option<&str>, extra: &str, mariadb: bool| {
            column_default(&MySql, raw.map(str::to_string), extra, mariadb).unwrap()
        };
        assert_eq!(d(Some("NULL"), "", true), None);
        assert_eq!(d(Some("'a'"), "", true).as_deref(), Some("'a'"));
        assert_eq!(d(Some("it's"), "", false).as_deref(), Some("'it''s'"));
        assert_eq!(d(Some(r"a\b"), "", false).as_deref(), Some(r"'a\\b'"));
        let nbe = MySql {
            no_backslash_escapes: true,
            ..MySql
        };
        assert_eq!(
            column_default(&nbe, Some(r"a\b".into()), "", false).unwrap(),
            Some(r"'a\b'".into())
        );
        assert_eq!(
            d(Some("CURRENT_TIMESTAMP"), "DEFAULT_GENERATED", false).as_deref(),
            Some("CURRENT_TIMESTAMP")
        );
        assert_eq!(d(None, "", false), None);
    }

    #[test]
    fn default_fk_actions_are_none() {
        assert_eq!(fk_action(Some("RESTRICT".into())), None);
        assert_eq!(fk_action(Some("NO ACTION".into())), None);
        assert_eq!(
            fk_action(Some("CASCADE".into())).as_deref(),
            Some("CASCADE")
        );
    }
}
