//! MySQL / MariaDB catalog queries (`information_schema`): `TABLES`, `COLUMNS`,
//! `KEY_COLUMN_USAGE` + `REFERENTIAL_CONSTRAINTS` for keys, `STATISTICS` for indexes and
//! `CHECK_CONSTRAINTS` for checks.
//!
//! Column defaults are SQL text: MariaDB reports them as such; MySQL reports a literal's bare
//! value, which is quoted through the dialect's escaper. MariaDB prints characters beyond
//! U+FFFF in a default as `?` in its own catalog (the table itself stores them right), so a
//! reflected default loses them there.

use super::super::reflection::{
    Exec, ReflectedCheck, ReflectedColumn, ReflectedForeignKey, ReflectedIndex,
    ReflectedPrimaryKey, ReflectedTable, ReflectedUnique, cell_int, cell_text,
};
use super::MySql;
use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::sql::{TextClause, text};

/// A row when the table (or view) exists in the database, or the connection's database.
pub(crate) fn has_table(name: &str, schema: Option<&str>) -> TextClause {
    text(
        "SELECT table_name FROM information_schema.tables \
         WHERE table_name = :name AND table_schema = coalesce(:schema, database())",
    )
    .bind("name", name)
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

/// One table's (or view's) full description from `information_schema`.
pub(crate) fn reflect_table(
    dialect: &MySql,
    exec: &mut Exec<'_>,
    name: &str,
    schema: Option<&str>,
) -> Result<ReflectedTable> {
    let found = exec(
        &text(
            "SELECT TABLE_SCHEMA, TABLE_TYPE, TABLE_COMMENT, VERSION() \
             FROM information_schema.TABLES \
             WHERE TABLE_SCHEMA = coalesce(:schema, database()) AND TABLE_NAME = :name",
        )
        .bind("name", name)
        .bind("schema", schema.map(str::to_string)),
    )?;
    let Some(row) = found.first() else {
        return Err(Error::NoSuchTable {
            name: match schema {
                Some(s) => format!("{s}.{name}"),
                None => name.to_string(),
            },
        });
    };
    let db = cell_text(row, 0).unwrap_or_default();
    let is_view = cell_text(row, 1).as_deref() == Some("VIEW");
    let comment = cell_text(row, 2).filter(|c| !c.is_empty() && !is_view);
    let mariadb = cell_text(row, 3).is_some_and(|v| v.contains("MariaDB"));
    let q = |sql: &str| text(sql).bind("db", db.clone()).bind("name", name);

    let cols = exec(&q(
        "SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, COLUMN_COMMENT \
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = :db AND TABLE_NAME = :name \
         ORDER BY ORDINAL_POSITION",
    ))?;
    let mut columns = Vec::new();
    for r in &cols {
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
        columns.push(c);
    }

    // Primary key and foreign keys, one row per column in key order.
    let keys = exec(&q(
        "SELECT k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA, \
         k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.UPDATE_RULE, r.DELETE_RULE \
         FROM information_schema.KEY_COLUMN_USAGE k \
         LEFT JOIN information_schema.REFERENTIAL_CONSTRAINTS r \
           ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME \
           AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME \
         WHERE k.TABLE_SCHEMA = :db AND k.TABLE_NAME = :name \
         AND (k.CONSTRAINT_NAME = 'PRIMARY' OR k.REFERENCED_TABLE_NAME IS NOT NULL) \
         ORDER BY k.CONSTRAINT_NAME, k.ORDINAL_POSITION",
    ))?;
    // MySQL keeps no name for a primary key (it is always PRIMARY): None, as in SQLAlchemy.
    let mut primary_key = ReflectedPrimaryKey::default();
    let mut foreign_keys: Vec<ReflectedForeignKey> = Vec::new();
    for r in &keys {
        let cname = cell_text(r, 0).unwrap_or_default();
        let col = cell_text(r, 1).unwrap_or_default();
        if cname == "PRIMARY" {
            primary_key.constrained_columns.push(col);
            continue;
        }
        if foreign_keys.last().and_then(|f| f.name.as_ref()) != Some(&cname) {
            foreign_keys.push(ReflectedForeignKey {
                name: Some(cname),
                constrained_columns: Vec::new(),
                referred_schema: cell_text(r, 2).filter(|s| *s != db),
                referred_table: cell_text(r, 3).unwrap_or_default(),
                referred_columns: Vec::new(),
                on_delete: fk_action(cell_text(r, 6)),
                on_update: fk_action(cell_text(r, 5)),
            });
        }
        if let Some(fk) = foreign_keys.last_mut() {
            fk.constrained_columns.push(col);
            fk.referred_columns
                .push(cell_text(r, 4).unwrap_or_default());
        }
    }
    for (i, pk) in primary_key.constrained_columns.iter().enumerate() {
        if let Some(c) = columns.iter_mut().find(|c| &c.name == pk) {
            c.primary_key = i + 1;
        }
    }

    // Every key but PRIMARY, the ones InnoDB made for foreign keys included (as SQLAlchemy).
    let ix_rows = exec(&q(
        "SELECT INDEX_NAME, NON_UNIQUE, COLUMN_NAME FROM information_schema.STATISTICS \
         WHERE TABLE_SCHEMA = :db AND TABLE_NAME = :name AND INDEX_NAME <> 'PRIMARY' \
         ORDER BY INDEX_NAME, SEQ_IN_INDEX",
    ))?;
    let mut indexes: Vec<ReflectedIndex> = Vec::new();
    for r in &ix_rows {
        let ix_name = cell_text(r, 0).unwrap_or_default();
        if indexes.last().map(|ix| &ix.name) != Some(&ix_name) {
            indexes.push(ReflectedIndex {
                name: ix_name,
                column_names: Vec::new(),
                unique: cell_int(r, 1) == 0,
            });
        }
        if let Some(ix) = indexes.last_mut() {
            ix.column_names.push(cell_text(r, 2));
        }
    }
    let unique_constraints = indexes
        .iter()
        .filter(|ix| ix.unique)
        .map(|ix| ReflectedUnique {
            name: Some(ix.name.clone()),
            column_names: ix.column_names.iter().flatten().cloned().collect(),
            duplicates_index: Some(ix.name.clone()),
        })
        .collect();

    // MariaDB's CHECK_CONSTRAINTS has TABLE_NAME (check names are per table there); MySQL 8's
    // is reached through TABLE_CONSTRAINTS.
    let checks = exec(&q(
        "SELECT CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS \
         WHERE CONSTRAINT_SCHEMA = :db AND TABLE_NAME = :name ORDER BY CONSTRAINT_NAME",
    ))
    .or_else(|_| {
        exec(&q(
            "SELECT c.CONSTRAINT_NAME, c.CHECK_CLAUSE FROM information_schema.TABLE_CONSTRAINTS t \
             JOIN information_schema.CHECK_CONSTRAINTS c \
               ON c.CONSTRAINT_SCHEMA = t.CONSTRAINT_SCHEMA AND c.CONSTRAINT_NAME = t.CONSTRAINT_NAME \
             WHERE t.TABLE_SCHEMA = :db AND t.TABLE_NAME = :name AND t.CONSTRAINT_TYPE = 'CHECK' \
             ORDER BY c.CONSTRAINT_NAME",
        ))
    })?;
    let check_constraints: Vec<ReflectedCheck> = checks
        .iter()
        .map(|r| ReflectedCheck {
            name: cell_text(r, 0),
            sqltext: cell_text(r, 1).unwrap_or_default(),
        })
        .collect();
    if mariadb {
        mariadb_json_columns(&mut columns, &check_constraints);
    }

    Ok(ReflectedTable {
        name: name.to_string(),
        schema: schema.map(str::to_string),
        columns,
        primary_key,
        foreign_keys,
        indexes,
        unique_constraints,
        check_constraints,
        comment,
        is_view,
    })
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
