//! SQLite catalog queries (`sqlite_master`, `pragma_*` table functions).

use crate::sql::{TextClause, text};

/// A row when the table (or view) exists; a schema is an attached database name.
pub(crate) fn has_table(name: &str, schema: Option<&str>) -> TextClause {
    match schema {
        // `pragma_table_list` (SQLite 3.37): a database that isn't attached has no rows, where
        // `<schema>.sqlite_master` would be an error (SQLAlchemy answers False).
        Some(s) => text(
            "SELECT name FROM pragma_table_list \
             WHERE schema = :schema AND type IN ('table', 'view') AND name = :name",
        )
        .bind("schema", s)
        .bind("name", name),
        // The main database and the connection's temporary tables (as SQLAlchemy's
        // `PRAGMA table_info`, which searches both): `drop_all` finds a temporary table.
        None => text(
            "SELECT name FROM (SELECT name, type FROM sqlite_master \
             UNION ALL SELECT name, type FROM sqlite_temp_master) \
             WHERE type IN ('table', 'view') AND name = :name",
        )
        .bind("name", name),
    }
}

/// Those of `names` that name a table or view in the schema (`main` for `None`): one query.
pub(crate) fn has_tables(names: &[&str], schema: Option<&str>) -> TextClause {
    match schema {
        Some(s) => super::super::reflection::with_names(
            "SELECT name FROM pragma_table_list \
             WHERE schema = :schema AND type IN ('table', 'view') AND name IN :names",
            names,
        )
        .bind("schema", s),
        None => super::super::reflection::with_names(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name IN :names",
            names,
        ),
    }
}

use super::super::reflection::{
    Exec, ReflectedCheck, ReflectedColumn, ReflectedForeignKey, ReflectedIndex,
    ReflectedPrimaryKey, ReflectedTable, ReflectedUnique, cell_int, cell_text,
};
use crate::error::{Error, Result};

fn schema_prefix(schema: Option<&str>) -> String {
    match schema {
        Some(s) => format!("\"{}\".", s.replace('"', "\"\"")),
        None => String::new(),
    }
}

/// Table or view names, sorted; SQLite's internal tables are left out.
pub(crate) fn table_names(
    exec: &mut Exec<'_>,
    schema: Option<&str>,
    views: bool,
) -> Result<Vec<String>> {
    let sql = format!(
        "SELECT name FROM {}sqlite_master WHERE type = :kind AND name NOT LIKE 'sqlite~_%' ESCAPE '~' ORDER BY name",
        schema_prefix(schema)
    );
    let rows = exec(&text(&sql).bind("kind", if views { "view" } else { "table" }))?;
    Ok(rows.iter().filter_map(|r| cell_text(r, 0)).collect())
}

/// A view's `CREATE VIEW` statement, from `sqlite_master`.
pub(crate) fn view_definition(
    exec: &mut Exec<'_>,
    name: &str,
    schema: Option<&str>,
) -> Result<String> {
    let rows = exec(
        &text(&format!(
            "SELECT sql FROM {}sqlite_master WHERE type = 'view' AND name = :name",
            schema_prefix(schema)
        ))
        .bind("name", name),
    )?;
    rows.first()
        .and_then(|r| cell_text(r, 0))
        .ok_or_else(|| Error::NoSuchTable {
            name: match schema {
                Some(s) => format!("{s}.{name}"),
                None => name.to_string(),
            },
        })
}

/// One table's full description from `sqlite_master` and the `pragma_*` table functions.
pub(crate) fn reflect_table(
    exec: &mut Exec<'_>,
    name: &str,
    schema: Option<&str>,
) -> Result<ReflectedTable> {
    let prefix = schema_prefix(schema);
    let master = exec(
        &text(&format!(
            "SELECT type, sql FROM {prefix}sqlite_master WHERE type IN ('table', 'view') AND name = :name"
        ))
        .bind("name", name),
    )?;
    let Some(row) = master.first() else {
        return Err(Error::NoSuchTable {
            name: match schema {
                Some(s) => format!("{s}.{name}"),
                None => name.to_string(),
            },
        });
    };
    let is_view = cell_text(row, 0).as_deref() == Some("view");
    let ddl = cell_text(row, 1).unwrap_or_default();
    let constraints = parse_constraints(&ddl);
    let schema_arg = schema.map(str::to_string);

    let cols = exec(
        &text("SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(:name, :schema) ORDER BY cid")
            .bind("name", name)
            .bind("schema", schema_arg.clone().unwrap_or_else(|| "main".into())),
    )?;
    let mut columns = Vec::new();
    for r in &cols {
        if cell_int(r, 5) != 0 && cell_int(r, 5) != 2 && cell_int(r, 5) != 3 {
            continue; // hidden columns of virtual tables
        }
        let mut c = ReflectedColumn::new(
            cell_text(r, 0).unwrap_or_default(),
            super::types::from_declared(&cell_text(r, 1).unwrap_or_default()),
        );
        c.nullable = cell_int(r, 2) == 0;
        c.default = cell_text(r, 3);
        // hidden: 2 a VIRTUAL generated column, 3 a STORED one; the expression is only in
        // the CREATE TABLE text.
        let hidden = cell_int(r, 5);
        if (hidden == 2 || hidden == 3)
            && let Some(sql) = generated_expr(&ddl, &c.name)
        {
            c.computed = Some(crate::schema::Computed::new(sql).persisted(hidden == 3));
        }
        c.primary_key = usize::try_from(cell_int(r, 4)).unwrap_or(0);
        columns.push(c);
    }
    let mut pk: Vec<&ReflectedColumn> = columns.iter().filter(|c| c.primary_key > 0).collect();
    pk.sort_by_key(|c| c.primary_key);
    let primary_key = ReflectedPrimaryKey {
        name: constraints.primary_key.clone(),
        constrained_columns: pk.iter().map(|c| c.name.clone()).collect(),
    };
    // Only a key declared exactly `INTEGER` is the rowid, which SQLite fills in; a `BIGINT`
    // or `SMALLINT` key is a plain column (https://sqlite.org/lang_createtable.html#rowid).
    if pk.len() == 1 && pk[0].type_text().trim().eq_ignore_ascii_case("INTEGER") {
        let n = pk[0].name.clone();
        if let Some(c) = columns.iter_mut().find(|c| c.name == n) {
            c.autoincrement = true;
        }
    }

    let fk_rows = exec(
        &text("SELECT id, seq, \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list(:name, :schema) ORDER BY id DESC, seq")
            .bind("name", name)
            .bind("schema", schema_arg.clone().unwrap_or_else(|| "main".into())),
    )?;
    let mut foreign_keys: Vec<ReflectedForeignKey> = Vec::new();
    let mut last_id = None;
    for r in &fk_rows {
        let id = cell_int(r, 0);
        let from = cell_text(r, 3).unwrap_or_default();
        let to = cell_text(r, 4);
        if last_id != Some(id) {
            last_id = Some(id);
            let action = |i| cell_text(r, i).filter(|a| a != "NO ACTION");
            foreign_keys.push(ReflectedForeignKey {
                name: None,
                constrained_columns: Vec::new(),
                // A constraint refers to its own database: named when a schema was asked
                // for, as SQLAlchemy does.
                referred_schema: schema.map(str::to_string),
                referred_table: cell_text(r, 2).unwrap_or_default(),
                referred_columns: Vec::new(),
                on_delete: action(6),
                on_update: action(5),

                deferrable: None,
                initially: None,
            });
        }
        if let Some(fk) = foreign_keys.last_mut() {
            fk.constrained_columns.push(from);
            fk.referred_columns.push(to.unwrap_or_default());
        }
    }
    for fk in &mut foreign_keys {
        if fk.referred_columns.iter().any(String::is_empty) {
            // REFERENCES parent with no column list: the parent's primary key.
            let rows = exec(
                &text(
                    "SELECT name FROM pragma_table_info(:name, :schema) WHERE pk > 0 ORDER BY pk",
                )
                .bind("name", fk.referred_table.clone())
                .bind(
                    "schema",
                    schema_arg.clone().unwrap_or_else(|| "main".into()),
                ),
            )?;
            fk.referred_columns = rows.iter().filter_map(|r| cell_text(r, 0)).collect();
        }
        fk.name = constraints
            .foreign_keys
            .iter()
            .find(|(_, cols)| *cols == fk.constrained_columns)
            .map(|(n, _)| n.clone());
    }

    // Deterministic, as on the other dialects: by name, then constrained columns.
    foreign_keys
        .sort_by(|a, b| (&a.name, &a.constrained_columns).cmp(&(&b.name, &b.constrained_columns)));

    let ix_rows = exec(
        &text(
            "SELECT name, \"unique\", origin FROM pragma_index_list(:name, :schema) ORDER BY name",
        )
        .bind("name", name)
        .bind(
            "schema",
            schema_arg.clone().unwrap_or_else(|| "main".into()),
        ),
    )?;
    let mut indexes = Vec::new();
    let mut unique_constraints = Vec::new();
    for r in &ix_rows {
        let ix_name = cell_text(r, 0).unwrap_or_default();
        let origin = cell_text(r, 2).unwrap_or_default();
        let info = exec(
            &text("SELECT name FROM pragma_index_info(:name, :schema) ORDER BY seqno")
                .bind("name", ix_name.clone())
                .bind(
                    "schema",
                    schema_arg.clone().unwrap_or_else(|| "main".into()),
                ),
        )?;
        let cols: Vec<Option<String>> = info.iter().map(|r| cell_text(r, 0)).collect();
        match origin.as_str() {
            // A key that is an expression has no name here, and SQLite keeps the expression
            // only in the CREATE INDEX text: such an index is left out, as SQLAlchemy does.
            "c" if cols.iter().any(Option::is_none) => {}
            "c" => indexes.push(ReflectedIndex {
                name: ix_name,
                column_names: cols,
                expressions: None,
                unique: cell_int(r, 1) != 0,
                include_columns: Vec::new(),
                duplicates_constraint: None,
            }),
            "u" => {
                let names: Vec<String> = cols.into_iter().flatten().collect();
                let cname = constraints
                    .uniques
                    .iter()
                    .find(|(_, c)| *c == names)
                    .map(|(n, _)| n.clone());
                unique_constraints.push(ReflectedUnique {
                    name: cname,
                    column_names: names,
                    duplicates_index: None,
                });
            }
            _ => {}
        }
    }
    Ok(ReflectedTable {
        name: name.to_string(),
        schema: schema.map(str::to_string),
        columns,
        primary_key,
        foreign_keys,
        indexes,
        unique_constraints,
        check_constraints: constraints.checks,
        comment: None,
        is_view,
        options: Default::default(),
    })
}

/// One table's description where SQLite finds an unqualified name: the connection's
/// temporary database first (a temporary table hides a main one of its name), else the main
/// one; reported with no schema, as asked.
pub(crate) fn reflect_table_or_temp(
    exec: &mut Exec<'_>,
    name: &str,
    schema: Option<&str>,
) -> Result<ReflectedTable> {
    if schema.is_some() {
        return reflect_table(exec, name, schema);
    }
    let temp = exec(
        &text(
            "SELECT name FROM sqlite_temp_master WHERE type IN ('table', 'view') AND name = :name",
        )
        .bind("name", name),
    )?;
    if temp.is_empty() {
        return reflect_table(exec, name, None);
    }
    let mut t = reflect_table(exec, name, Some("temp"))?;
    t.schema = None;
    Ok(t)
}

/// The connection's temporary table (or view) names, sorted (`sqlite_temp_master`).
pub(crate) fn temp_names(exec: &mut Exec<'_>, views: bool) -> Result<Vec<String>> {
    let rows = exec(
        &text(
            "SELECT name FROM sqlite_temp_master WHERE type = :kind \
             AND name NOT LIKE 'sqlite~_%' ESCAPE '~' ORDER BY name",
        )
        .bind("kind", if views { "view" } else { "table" }),
    )?;
    Ok(rows.iter().filter_map(|r| cell_text(r, 0)).collect())
}

/// Constraint names SQLite keeps only in the CREATE TABLE text.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Constraints {
    pub primary_key: Option<String>,
    pub foreign_keys: Vec<(String, Vec<String>)>,
    pub uniques: Vec<(String, Vec<String>)>,
    pub checks: Vec<ReflectedCheck>,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Quoted(String),
    Punct(char),
    Literal,
}

fn tokenize(sql: &str) -> Vec<(Tok, usize, usize)> {
    let chars: Vec<(usize, char)> = sql.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '-' && chars.get(i + 1).map(|x| x.1) == Some('-') {
            while i < chars.len() && chars[i].1 != '\n' {
                i += 1;
            }
        } else if matches!(c, '"' | '`' | '[' | '\'') {
            let close = if c == '[' { ']' } else { c };
            let mut s = String::new();
            i += 1;
            while i < chars.len() {
                let ch = chars[i].1;
                if ch == close {
                    if close != ']' && chars.get(i + 1).map(|x| x.1) == Some(close) {
                        s.push(ch);
                        i += 2;
                        continue;
                    }
                    break;
                }
                s.push(ch);
                i += 1;
            }
            i += 1;
            let end = chars.get(i).map_or(sql.len(), |x| x.0);
            out.push((
                if c == '\'' {
                    Tok::Literal
                } else {
                    Tok::Quoted(s)
                },
                start,
                end,
            ));
        } else if c.is_alphanumeric() || c == '_' {
            let mut s = String::new();
            while i < chars.len()
                && (chars[i].1.is_alphanumeric() || chars[i].1 == '_' || chars[i].1 == '$')
            {
                s.push(chars[i].1);
                i += 1;
            }
            let end = chars.get(i).map_or(sql.len(), |x| x.0);
            out.push((Tok::Word(s), start, end));
        } else {
            i += 1;
            let end = chars.get(i).map_or(sql.len(), |x| x.0);
            out.push((Tok::Punct(c), start, end));
        }
    }
    out
}

/// The expression of column `column`'s `[GENERATED ALWAYS] AS (expr)` in a CREATE TABLE
/// statement, as written.
fn generated_expr(sql: &str, column: &str) -> Option<String> {
    let toks = tokenize(sql);
    let (mut depth, mut at_start, mut in_col) = (0usize, false, false);
    for (i, (t, _, _)) in toks.iter().enumerate() {
        match t {
            Tok::Punct('(') => {
                depth += 1;
                if depth == 1 {
                    at_start = true;
                    continue;
                }
            }
            Tok::Punct(')') => depth = depth.saturating_sub(1),
            Tok::Punct(',') if depth == 1 => {
                (at_start, in_col) = (true, false);
                continue;
            }
            t if depth == 1 && at_start => {
                in_col = ident(t).is_some_and(|n| n.eq_ignore_ascii_case(column));
            }
            _ if depth == 1
                && in_col
                && is_kw(toks.get(i), "AS")
                && matches!(toks.get(i + 1), Some((Tok::Punct('('), _, _))) =>
            {
                let open = i + 1;
                let mut d = 0usize;
                for (t, start, _) in toks.iter().skip(open) {
                    match t {
                        Tok::Punct('(') => d += 1,
                        Tok::Punct(')') => {
                            d -= 1;
                            if d == 0 {
                                return Some(sql[toks[open].2..*start].trim().to_string());
                            }
                        }
                        _ => {}
                    }
                }
                return None;
            }
            _ => {}
        }
        at_start = false;
    }
    None
}

fn ident(t: &Tok) -> Option<String> {
    match t {
        Tok::Word(w) | Tok::Quoted(w) => Some(w.clone()),
        _ => None,
    }
}

fn is_kw(t: Option<&(Tok, usize, usize)>, kw: &str) -> bool {
    matches!(t, Some((Tok::Word(w), _, _)) if w.eq_ignore_ascii_case(kw))
}

/// Reads `(a, b)` starting at token `i` (the open parenthesis); returns names and the index
/// after the close.
fn column_list(toks: &[(Tok, usize, usize)], mut i: usize) -> (Vec<String>, usize) {
    let mut cols = Vec::new();
    if !matches!(toks.get(i), Some((Tok::Punct('('), _, _))) {
        return (cols, i);
    }
    i += 1;
    let mut depth = 1;
    let mut expect_name = true;
    while i < toks.len() && depth > 0 {
        match &toks[i].0 {
            Tok::Punct('(') => depth += 1,
            Tok::Punct(')') => depth -= 1,
            Tok::Punct(',') if depth == 1 => expect_name = true,
            t if depth == 1 && expect_name => {
                if let Some(n) = ident(t) {
                    cols.push(n);
                }
                expect_name = false;
            }
            _ => {}
        }
        i += 1;
    }
    (cols, i)
}

/// Finds named PRIMARY KEY / FOREIGN KEY / UNIQUE constraints and every CHECK in a CREATE
/// TABLE statement.
pub(crate) fn parse_constraints(sql: &str) -> Constraints {
    let toks = tokenize(sql);
    let mut out = Constraints::default();
    let mut i = 0;
    while i < toks.len() {
        let mut name = None;
        let mut j = i;
        if is_kw(toks.get(i), "CONSTRAINT") {
            name = toks.get(i + 1).and_then(|t| ident(&t.0));
            j = i + 2;
        }
        if is_kw(toks.get(j), "PRIMARY") && is_kw(toks.get(j + 1), "KEY") {
            if name.is_some() {
                out.primary_key = name;
            }
            i = j + 2;
        } else if is_kw(toks.get(j), "FOREIGN") && is_kw(toks.get(j + 1), "KEY") {
            let (cols, next) = column_list(&toks, j + 2);
            if let Some(n) = name {
                out.foreign_keys.push((n, cols));
            }
            i = next;
        } else if is_kw(toks.get(j), "UNIQUE") {
            let (cols, next) = column_list(&toks, j + 1);
            if let Some(n) = name {
                out.uniques.push((n, cols));
            }
            i = next.max(j + 1);
        } else if is_kw(toks.get(j), "CHECK")
            && matches!(toks.get(j + 1), Some((Tok::Punct('('), _, _)))
        {
            let open = j + 1;
            let mut depth = 0;
            let mut k = open;
            while k < toks.len() {
                match toks[k].0 {
                    Tok::Punct('(') => depth += 1,
                    Tok::Punct(')') => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                k += 1;
            }
            if k < toks.len() {
                let inner = &sql[toks[open].2..toks[k].1];
                out.checks.push(ReflectedCheck {
                    name,
                    sqltext: inner.trim().to_string(),
                });
            }
            i = k + 1;
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_generated_expressions() {
        let sql = "CREATE TABLE t (id INTEGER, normal INTEGER, \
                   \"c v\" INTEGER GENERATED ALWAYS AS (normal + (2 * id)) VIRTUAL, \
                   s INTEGER AS (normal - 42) STORED, CHECK (normal > 0))";
        assert_eq!(
            generated_expr(sql, "c v").as_deref(),
            Some("normal + (2 * id)")
        );
        assert_eq!(generated_expr(sql, "S").as_deref(), Some("normal - 42"));
        assert_eq!(generated_expr(sql, "normal"), None);
        assert_eq!(generated_expr(sql, "nope"), None);
    }

    #[test]
    fn finds_constraint_names() {
        let c = parse_constraints(
            "CREATE TABLE [Album] ( [AlbumId] INTEGER NOT NULL, x INT CHECK (x > 0 AND (x < 10)), \
             CONSTRAINT [PK_Album] PRIMARY KEY ([AlbumId]), \
             CONSTRAINT \"fk a\" FOREIGN KEY ([ArtistId], b) REFERENCES [Artist] ([ArtistId], c), \
             CONSTRAINT uq_x UNIQUE (x), CONSTRAINT ck_named CHECK (x <> 'a)b'))",
        );
        assert_eq!(c.primary_key.as_deref(), Some("PK_Album"));
        assert_eq!(
            c.foreign_keys,
            vec![(
                "fk a".to_string(),
                vec!["ArtistId".to_string(), "b".to_string()]
            )]
        );
        assert_eq!(c.uniques, vec![("uq_x".to_string(), vec!["x".to_string()])]);
        assert_eq!(c.checks.len(), 2);
        assert_eq!(c.checks[0].sqltext, "x > 0 AND (x < 10)");
        assert_eq!(c.checks[1].name.as_deref(), Some("ck_named"));
        assert_eq!(c.checks[1].sqltext, "x <> 'a)b'");
    }
}
