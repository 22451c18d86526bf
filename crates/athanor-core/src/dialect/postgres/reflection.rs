//! PostgreSQL catalog queries (`pg_catalog`): tables and views from `pg_class`, columns from
//! `pg_attribute` / `pg_attrdef`, keys and checks from `pg_constraint`, indexes from `pg_index`.

use super::super::reflection::{
    Exec, ObjectKind, ReflectedCheck, ReflectedColumn, ReflectedForeignKey, ReflectedIndex,
    ReflectedTable, ReflectedUnique, cell_int, cell_text,
};
use crate::error::{Error, Result};
use crate::sql::{TextClause, text};
use crate::types::Value;

/// A row when the table (or view) exists in the schema, or (no schema) in the search path's
/// first schema or among the connection's temporary objects.
pub(crate) fn has_table(name: &str, schema: Option<&str>) -> TextClause {
    const BASE: &str = "SELECT c.relname FROM pg_catalog.pg_class c \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relname = :name AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ";
    match schema {
        Some(s) => text(&format!("{BASE}AND n.nspname = :schema"))
            .bind("name", name)
            .bind("schema", s),
        // The current schema, or the session's temporary tables (SQLAlchemy looks through the
        // search path, where they come first): `drop_all` finds a temporary table.
        None => text(&format!(
            "{BASE}AND (n.nspname = current_schema() OR n.oid = pg_catalog.pg_my_temp_schema())"
        ))
        .bind("name", name),
    }
}

/// A row when the enum type exists in the default schema (where `CREATE TYPE` puts it).
pub(crate) fn has_enum(name: &str) -> TextClause {
    text(
        "SELECT t.typname FROM pg_catalog.pg_type t \
         JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace \
         WHERE t.typname = :name AND t.typtype = 'e' AND n.nspname = current_schema()",
    )
    .bind("name", name)
}

/// Those of `names` that name a table or view in the schema (the current one for `None`):
/// one query.
pub(crate) fn has_tables(names: &[&str], schema: Option<&str>) -> TextClause {
    super::super::reflection::with_names(
        "SELECT c.relname FROM pg_catalog.pg_class c \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relname IN :names AND c.relkind IN ('r', 'p', 'v', 'm', 'f') \
         AND n.nspname = coalesce(:schema, current_schema())",
        names,
    )
    .bind("schema", schema.map(str::to_string))
}

/// The condition on `c` (pg_class) that adds the connection's temporary schema.
const TEMP_TOO: &str = " OR c.relnamespace = pg_catalog.pg_my_temp_schema()";

/// Which objects a reflection query covers: a schema's (the current one for `None`), the
/// connection's temporary ones, or both.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Scope {
    Schema,
    Temporary,
    Both,
}

/// The connection's temporary tables (or views), sorted.
pub(crate) fn temp_names(exec: &mut Exec<'_>, views: bool) -> Result<Vec<String>> {
    let kinds = if views { "'v'" } else { "'r', 'p', 'f'" };
    let sql = format!(
        "SELECT c.relname FROM pg_catalog.pg_class c \
         WHERE c.relkind IN ({kinds}) AND c.relnamespace = pg_catalog.pg_my_temp_schema() \
         ORDER BY c.relname"
    );
    let rows = exec(&text(&sql))?;
    Ok(rows.iter().filter_map(|r| cell_text(r, 0)).collect())
}

/// Table names (ordinary, partitioned and foreign tables) or view names, sorted.
pub(crate) fn table_names(
    exec: &mut Exec<'_>,
    schema: Option<&str>,
    views: bool,
) -> Result<Vec<String>> {
    let kinds = if views { "'v'" } else { "'r', 'p', 'f'" };
    let sql = format!(
        "SELECT c.relname FROM pg_catalog.pg_class c \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relkind IN ({kinds}) AND n.nspname = coalesce(:schema, current_schema())"
    );
    let rows = exec(&text(&sql).bind("schema", schema.map(str::to_string)))?;
    let mut names: Vec<String> = rows.iter().filter_map(|r| cell_text(r, 0)).collect();
    names.sort();
    Ok(names)
}

/// The sequences of a schema (the current one for `None`), sorted.
pub(crate) fn sequence_names(exec: &mut Exec<'_>, schema: Option<&str>) -> Result<Vec<String>> {
    let sql = "SELECT c.relname FROM pg_catalog.pg_class c \
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
               WHERE c.relkind = 'S' AND n.nspname = coalesce(:schema, current_schema())";
    let rows = exec(&text(sql).bind("schema", schema.map(str::to_string)))?;
    let mut names: Vec<String> = rows.iter().filter_map(|r| cell_text(r, 0)).collect();
    names.sort();
    Ok(names)
}

/// `ON DELETE` / `ON UPDATE` from `pg_constraint.confdeltype` / `confupdtype`; NO ACTION, the
/// default, is `None`.
fn fk_action(code: Option<String>) -> Option<String> {
    Some(
        match code.as_deref()? {
            "c" => "CASCADE",
            "r" => "RESTRICT",
            "n" => "SET NULL",
            "d" => "SET DEFAULT",
            _ => return None,
        }
        .to_string(),
    )
}

/// The condition of `CHECK (...)` as `pg_get_constraintdef` prints it, without the keyword
/// and the parentheses PostgreSQL wraps around it (as SQLAlchemy reports it).
fn check_text(def: &str) -> String {
    let def = def.trim();
    let def = def.strip_suffix(" NOT VALID").unwrap_or(def);
    let inner = def.strip_prefix("CHECK").map_or(def, str::trim_start);
    let mut s = inner;
    for _ in 0..2 {
        match strip_outer_parens(s) {
            Some(t) => s = t,
            None => break,
        }
    }
    s.to_string()
}

/// `(x)` → `x` when the first parenthesis closes at the end (quotes respected).
fn strip_outer_parens(s: &str) -> Option<&str> {
    let s = s.trim();
    if !s.starts_with('(') || !s.ends_with(')') {
        return None;
    }
    let (mut depth, mut quote) = (0usize, None);
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth == 0 && i != s.len() - 1 {
                    return None;
                }
            }
            _ => {}
        }
    }
    Some(s[1..s.len() - 1].trim())
}

/// `relkind` letters of the objects of `kind`.
fn relkinds(kind: ObjectKind) -> Vec<&'static str> {
    let mut k = Vec::new();
    if kind.contains(ObjectKind::TABLE) {
        k.extend(["'r'", "'p'", "'f'"]);
    }
    if kind.contains(ObjectKind::VIEW) {
        k.push("'v'");
    }
    if kind.contains(ObjectKind::MATERIALIZED_VIEW) {
        k.push("'m'");
    }
    k
}

/// Names of the objects of `kind` (materialized views included), sorted.
pub(crate) fn object_names(
    exec: &mut Exec<'_>,
    schema: Option<&str>,
    kind: ObjectKind,
) -> Result<Vec<String>> {
    let kinds = relkinds(kind);
    if kinds.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT c.relname FROM pg_catalog.pg_class c \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relkind IN ({}) AND n.nspname = coalesce(:schema, current_schema()) \
         ORDER BY c.relname",
        kinds.join(", ")
    );
    let rows = exec(&text(&sql).bind("schema", schema.map(str::to_string)))?;
    Ok(rows.iter().filter_map(|r| cell_text(r, 0)).collect())
}

/// A view's (or materialized view's) definition, `pg_get_viewdef`.
pub(crate) fn view_definition(
    exec: &mut Exec<'_>,
    name: &str,
    schema: Option<&str>,
) -> Result<String> {
    let rows = exec(
        &text(
            "SELECT pg_get_viewdef(c.oid, true) FROM pg_catalog.pg_class c \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relname = :name AND c.relkind IN ('v', 'm') \
             AND n.nspname = coalesce(:schema, current_schema())",
        )
        .bind("name", name)
        .bind("schema", schema.map(str::to_string)),
    )?;
    rows.first()
        .and_then(|r| cell_text(r, 0))
        .ok_or_else(|| no_such_table(name, schema))
}

fn no_such_table(name: &str, schema: Option<&str>) -> Error {
    Error::NoSuchTable {
        name: match schema {
            Some(s) => format!("{s}.{name}"),
            None => name.to_string(),
        },
    }
}

/// One table's (or view's) full description from `pg_catalog`.
pub(crate) fn reflect_table(
    exec: &mut Exec<'_>,
    name: &str,
    schema: Option<&str>,
) -> Result<ReflectedTable> {
    // No schema: the current one's or a temporary object; a temporary table hides a
    // permanent one of its name, as PostgreSQL resolves names, and comes last.
    let scope = if schema.is_none() {
        Scope::Both
    } else {
        Scope::Schema
    };
    reflect_tables(
        exec,
        schema,
        Some(&[name.to_string()]),
        ObjectKind::ANY,
        scope,
    )?
    .pop()
    .ok_or_else(|| no_such_table(name, schema))
}

/// Every object of `kind` in the schema (those named in `filter`, when given), in name
/// order, from four catalog queries whatever their number: the objects, their columns, their
/// constraints, their indexes.
pub(crate) fn reflect_tables(
    exec: &mut Exec<'_>,
    schema: Option<&str>,
    filter: Option<&[String]>,
    kind: ObjectKind,
    scope: Scope,
) -> Result<Vec<ReflectedTable>> {
    let kinds = relkinds(kind);
    if kinds.is_empty() || filter.is_some_and(<[String]>::is_empty) {
        return Ok(Vec::new());
    }
    // The objects, as a condition on `c` (pg_class) and `n` (pg_namespace) every query shares.
    let in_schema = "n.nspname = coalesce(:schema, current_schema())";
    let place = match scope {
        Scope::Schema => in_schema.to_string(),
        // (The schema's condition stays, false, so that `:schema` is bound in every form.)
        Scope::Temporary => format!("({in_schema} AND false){TEMP_TOO}"),
        Scope::Both => format!("{in_schema}{TEMP_TOO}"),
    };
    let mut cond = format!("c.relkind IN ({}) AND ({place})", kinds.join(", "));
    if let Some(f) = filter {
        let binds: Vec<String> = (0..f.len()).map(|i| format!(":n{i}")).collect();
        cond.push_str(&format!(" AND c.relname IN ({})", binds.join(", ")));
    }
    let bind = |sql: &str| {
        let mut q = text(sql).bind("schema", schema.map(str::to_string));
        for (i, n) in filter.unwrap_or_default().iter().enumerate() {
            q = q.bind(&format!("n{i}"), n.clone());
        }
        q
    };
    let rels = format!(
        "SELECT c.oid FROM pg_catalog.pg_class c \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE {cond}"
    );
    let rel_rows = exec(&bind(&format!(
        "SELECT c.oid, c.relname, c.relkind::text, obj_description(c.oid, 'pg_class'), \
         array_to_string(c.reloptions, ','), \
         (SELECT t.spcname FROM pg_catalog.pg_tablespace t WHERE t.oid = c.reltablespace) \
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         WHERE {cond} ORDER BY c.relname, c.relnamespace = pg_catalog.pg_my_temp_schema()"
    )))?;
    if rel_rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut tables = Vec::with_capacity(rel_rows.len());
    let mut by_oid = std::collections::HashMap::new();
    for (i, row) in rel_rows.iter().enumerate() {
        by_oid.insert(cell_int(row, 0), i);
        tables.push(ReflectedTable {
            name: cell_text(row, 1).unwrap_or_default(),
            schema: schema.map(str::to_string),
            is_view: matches!(cell_text(row, 2).as_deref(), Some("v" | "m")),
            comment: cell_text(row, 3),
            options: [("postgresql_with", 4), ("postgresql_tablespace", 5)]
                .into_iter()
                .filter_map(|(k, i)| Some((k.to_string(), cell_text(row, i)?)))
                .filter(|(_, v)| !v.is_empty())
                .collect(),
            ..ReflectedTable::default()
        });
    }
    let table_of = |row: &[Value]| by_oid.get(&cell_int(row, 0)).copied();

    let cols = exec(&bind(&format!(
        "SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, \
         pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, a.attgenerated::text, \
         col_description(a.attrelid, a.attnum), \
         (SELECT concat_ws(' ', s.seqstart, s.seqincrement, s.seqmin, s.seqmax, \
          s.seqcycle::int, s.seqcache) FROM pg_catalog.pg_depend dp \
          JOIN pg_catalog.pg_sequence s ON s.seqrelid = dp.objid \
          WHERE a.attidentity <> '' AND dp.refobjid = a.attrelid \
          AND dp.refobjsubid = a.attnum AND dp.deptype = 'i' LIMIT 1), \
         (SELECT co.collname FROM pg_catalog.pg_collation co \
          JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid \
          WHERE co.oid = a.attcollation AND a.attcollation <> ty.typcollation) \
         FROM pg_catalog.pg_attribute a \
         LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
         WHERE a.attrelid IN ({rels}) AND a.attnum > 0 AND NOT a.attisdropped \
         ORDER BY a.attrelid, a.attnum"
    )))?;
    for r in &cols {
        let Some(t) = table_of(r) else { continue };
        let r = &r[1..];
        let mut c = ReflectedColumn::new(
            cell_text(r, 0).unwrap_or_default(),
            super::types::from_declared(&cell_text(r, 1).unwrap_or_default()),
        );
        c.nullable = cell_int(r, 2) == 0;
        let identity = cell_text(r, 4).is_some_and(|s| !s.is_empty());
        let generated = cell_text(r, 5).filter(|s| !s.is_empty());
        if let (Some(kind), Some(sql)) = (&generated, cell_text(r, 3)) {
            // attgenerated: 's' stored, 'v' virtual (PostgreSQL 18).
            c.computed = Some(crate::schema::Computed::new(sql).persisted(kind == "s"));
        }
        c.default = cell_text(r, 3).filter(|_| generated.is_none());
        c.autoincrement = identity
            || c.default
                .as_deref()
                .is_some_and(|d| d.starts_with("nextval("));
        c.comment = cell_text(r, 6);
        // A collation other than its type's default (`COLLATE "POSIX"`), as SQLAlchemy
        // reports it.
        if let Some(collation) = cell_text(r, 8) {
            c.ty = c.ty.collate(&collation);
        }
        if identity {
            // attidentity: 'a' GENERATED ALWAYS, 'd' BY DEFAULT; the sequence behind it says
            // the rest, every option set (as SQLAlchemy reports it).
            c.identity = Some(identity_options(
                cell_text(r, 4).as_deref() == Some("a"),
                &cell_text(r, 7).unwrap_or_default(),
            ));
        }
        tables[t].columns.push(c);
    }

    // One row per constraint column, in key order; `fattname` is the referred column of a FK.
    let cons = exec(&bind(&format!(
        "SELECT con.conrelid, con.conname, con.contype::text, a.attname, fa.attname, \
         fc.relname, fn.nspname, con.confupdtype::text, con.confdeltype::text, \
         pg_get_constraintdef(con.oid), (fn.nspname = cn.nspname), \
         con.condeferrable, con.condeferred \
         FROM pg_catalog.pg_constraint con \
         JOIN pg_catalog.pg_class cc ON cc.oid = con.conrelid \
         JOIN pg_catalog.pg_namespace cn ON cn.oid = cc.relnamespace \
         LEFT JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY \
           AS k(attnum, fattnum, ord) ON true \
         LEFT JOIN pg_catalog.pg_attribute a \
           ON a.attrelid = con.conrelid AND a.attnum = k.attnum \
         LEFT JOIN pg_catalog.pg_attribute fa \
           ON fa.attrelid = con.confrelid AND fa.attnum = k.fattnum \
         LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid \
         LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace \
         WHERE con.conrelid IN ({rels}) AND con.contype IN ('p', 'f', 'u', 'c') \
         ORDER BY con.conrelid, con.conname, k.ord"
    )))?;
    let mut last: Option<(usize, String)> = None;
    for r in &cons {
        let Some(t) = table_of(r) else { continue };
        let r = &r[1..];
        let table = &mut tables[t];
        let cname = cell_text(r, 0).unwrap_or_default();
        let key = (t, cname.clone());
        let first = last.as_ref() != Some(&key);
        last = Some(key);
        let col = cell_text(r, 2);
        match cell_text(r, 1).as_deref() {
            Some("p") => {
                table.primary_key.name = Some(cname);
                table.primary_key.constrained_columns.extend(col);
            }
            Some("u") => {
                if first {
                    table.unique_constraints.push(ReflectedUnique {
                        name: Some(cname),
                        column_names: Vec::new(),
                        duplicates_index: None,
                    });
                }
                if let (Some(u), Some(col)) = (table.unique_constraints.last_mut(), col) {
                    u.column_names.push(col);
                }
            }
            Some("f") => {
                if first {
                    let same_schema = cell_int(r, 9) != 0;
                    table.foreign_keys.push(ReflectedForeignKey {
                        name: Some(cname),
                        constrained_columns: Vec::new(),
                        // As SQLAlchemy: `None` for the table's own schema when
                        // that is the default one; named when a schema was asked for.
                        referred_schema: cell_text(r, 5)
                            .filter(|_| !same_schema || schema.is_some()),
                        referred_table: cell_text(r, 4).unwrap_or_default(),
                        referred_columns: Vec::new(),
                        on_delete: fk_action(cell_text(r, 7)),
                        on_update: fk_action(cell_text(r, 6)),
                        deferrable: (cell_int(r, 10) != 0).then_some(true),
                        initially: (cell_int(r, 11) != 0).then(|| "DEFERRED".to_string()),
                    });
                }
                if let Some(fk) = table.foreign_keys.last_mut() {
                    fk.constrained_columns.extend(col);
                    fk.referred_columns.extend(cell_text(r, 3));
                }
            }
            Some("c") if first => table.check_constraints.push(ReflectedCheck {
                name: Some(cname),
                sqltext: check_text(&cell_text(r, 8).unwrap_or_default()),
            }),
            _ => {}
        }
    }
    for table in &mut tables {
        for (i, pk) in table.primary_key.constrained_columns.iter().enumerate() {
            if let Some(c) = table.columns.iter_mut().find(|c| &c.name == pk) {
                c.primary_key = i + 1;
            }
        }
    }

    // Indexes other than those backing a primary key or exclusion constraint; one backing a
    // unique constraint names it (`duplicates_constraint`). A key that is an expression
    // (attnum 0) comes as `pg_get_indexdef`'s text of it; keys past `indnkeyatts` are the
    // INCLUDE columns.
    let ix_rows = exec(&bind(&format!(
        "SELECT ix.indrelid, i.relname, ix.indisunique, a.attname, con.conname, \
         k.ord > ix.indnkeyatts, \
         CASE WHEN k.attnum = 0 THEN pg_get_indexdef(ix.indexrelid, k.ord::int, true) END \
         FROM pg_catalog.pg_index ix \
         JOIN pg_catalog.pg_class i ON i.oid = ix.indexrelid \
         CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
         LEFT JOIN pg_catalog.pg_attribute a \
           ON a.attrelid = ix.indrelid AND a.attnum = k.attnum AND k.attnum > 0 \
         LEFT JOIN pg_catalog.pg_constraint con \
           ON con.conindid = ix.indexrelid AND con.conrelid = ix.indrelid \
           AND con.contype IN ('p', 'u', 'x') \
         WHERE ix.indrelid IN ({rels}) \
         AND (con.contype IS NULL OR con.contype = 'u') \
         ORDER BY ix.indrelid, i.relname, k.ord"
    )))?;
    for r in &ix_rows {
        let Some(t) = table_of(r) else { continue };
        let r = &r[1..];
        let indexes = &mut tables[t].indexes;
        let ix_name = cell_text(r, 0).unwrap_or_default();
        if indexes.last().map(|ix| &ix.name) != Some(&ix_name) {
            indexes.push(ReflectedIndex {
                name: ix_name,
                column_names: Vec::new(),
                // Every key's text, for now; kept below only where a key is an expression.
                expressions: Some(Vec::new()),
                unique: cell_int(r, 1) != 0,
                include_columns: Vec::new(),
                duplicates_constraint: cell_text(r, 3),
            });
        }
        if let Some(ix) = indexes.last_mut() {
            let column = cell_text(r, 2);
            if cell_int(r, 4) != 0 {
                ix.include_columns.extend(column);
                continue;
            }
            let key = column
                .clone()
                .or_else(|| cell_text(r, 5))
                .unwrap_or_default();
            ix.expressions.get_or_insert_with(Vec::new).push(key);
            ix.column_names.push(column);
        }
    }
    for ix in tables.iter_mut().flat_map(|t| t.indexes.iter_mut()) {
        if ix.column_names.iter().all(Option::is_some) {
            ix.expressions = None;
        }
    }
    Ok(tables)
}

/// An identity's options from its sequence's `start increment min max cycle cache` (numbers
/// separated by spaces, `cycle` 0 or 1); a part missing or unreadable is left unset.
fn identity_options(always: bool, seq: &str) -> crate::schema::Identity {
    let mut id = crate::schema::Identity::new().always(always);
    let nums: Vec<Option<i64>> = seq.split(' ').map(|n| n.parse::<i64>().ok()).collect();
    let at = |i: usize| nums.get(i).copied().flatten();
    if let Some(n) = at(0) {
        id = id.start(n);
    }
    if let Some(n) = at(1) {
        id = id.increment(n);
    }
    if let Some(n) = at(2) {
        id = id.minvalue(n);
    }
    if let Some(n) = at(3) {
        id = id.maxvalue(n);
    }
    if let Some(n) = at(4) {
        id = id.cycle(n != 0);
    }
    if let Some(n) = at(5) {
        id = id.cache(n);
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_options_from_sequence() {
        let id = identity_options(true, "2 3 -2 42 1 4");
        let want = crate::schema::Identity::new()
            .always(true)
            .start(2)
            .increment(3)
            .minvalue(-2)
            .maxvalue(42)
            .cycle(true)
            .cache(4);
        assert_eq!(id, want);
        let partial = identity_options(false, "1 1");
        assert_eq!(
            partial,
            crate::schema::Identity::new().start(1).increment(1)
        );
        assert_eq!(identity_options(false, ""), crate::schema::Identity::new());
    }

    #[test]
    fn check_text_drops_keyword_and_wrapping_parens() {
        assert_eq!(
            check_text("CHECK ((price > (0)::numeric))"),
            "price > (0)::numeric"
        );
        assert_eq!(
            check_text("CHECK (((a > 1) AND (a < 5))) NOT VALID"),
            "(a > 1) AND (a < 5)"
        );
        assert_eq!(check_text("CHECK (f(a))"), "f(a)");
        assert_eq!(check_text("CHECK ((a <> ')'::text))"), "a <> ')'::text");
    }

    #[test]
    fn fk_actions_from_letters() {
        assert_eq!(fk_action(Some("c".into())).as_deref(), Some("CASCADE"));
        assert_eq!(fk_action(Some("n".into())).as_deref(), Some("SET NULL"));
        assert_eq!(fk_action(Some("a".into())), None);
        assert_eq!(fk_action(None), None);
    }
}
