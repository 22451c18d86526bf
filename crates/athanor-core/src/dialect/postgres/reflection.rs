//! PostgreSQL catalog queries (`pg_catalog`): tables and views from `pg_class`, columns from
//! `pg_attribute` / `pg_attrdef`, keys and checks from `pg_constraint`, indexes from `pg_index`.

use super::super::reflection::{
    Exec, ReflectedCheck, ReflectedColumn, ReflectedForeignKey, ReflectedIndex,
    ReflectedPrimaryKey, ReflectedTable, ReflectedUnique, cell_int, cell_text,
};
use crate::error::{Error, Result};
use crate::sql::{TextClause, text};
use crate::types::Value;

/// A row when the table (or view) exists in the schema, or in the search path's first schema.
pub(crate) fn has_table(name: &str, schema: Option<&str>) -> TextClause {
    text(
        "SELECT c.relname FROM pg_catalog.pg_class c \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relname = :name AND c.relkind IN ('r', 'p', 'v', 'm', 'f') \
         AND n.nspname = coalesce(:schema, current_schema())",
    )
    .bind("name", name)
    .bind("schema", schema.map(str::to_string))
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

/// One table's (or view's) full description from `pg_catalog`.
pub(crate) fn reflect_table(
    exec: &mut Exec<'_>,
    name: &str,
    schema: Option<&str>,
) -> Result<ReflectedTable> {
    let rel = exec(
        &text(
            "SELECT c.oid, c.relkind::text, obj_description(c.oid, 'pg_class') \
             FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relname = :name AND c.relkind IN ('r', 'p', 'f', 'v', 'm') \
             AND n.nspname = coalesce(:schema, current_schema())",
        )
        .bind("name", name)
        .bind("schema", schema.map(str::to_string)),
    )?;
    let Some(row) = rel.first() else {
        return Err(Error::NoSuchTable {
            name: match schema {
                Some(s) => format!("{s}.{name}"),
                None => name.to_string(),
            },
        });
    };
    let oid = Value::Int(cell_int(row, 0));
    let is_view = matches!(cell_text(row, 1).as_deref(), Some("v" | "m"));
    let comment = cell_text(row, 2);

    let cols = exec(
        &text(
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, \
             pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, a.attgenerated::text, \
             col_description(a.attrelid, a.attnum), \
             (SELECT s.seqstart || ' ' || s.seqincrement FROM pg_catalog.pg_depend dp \
              JOIN pg_catalog.pg_sequence s ON s.seqrelid = dp.objid \
              WHERE a.attidentity <> '' AND dp.refobjid = a.attrelid \
              AND dp.refobjsubid = a.attnum AND dp.deptype = 'i' LIMIT 1) \
             FROM pg_catalog.pg_attribute a \
             LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
             WHERE a.attrelid = :oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
        )
        .bind("oid", oid.clone()),
    )?;
    let mut columns = Vec::new();
    for r in &cols {
        let mut c = ReflectedColumn::new(
            cell_text(r, 0).unwrap_or_default(),
            super::types::from_declared(&cell_text(r, 1).unwrap_or_default()),
        );
        c.nullable = cell_int(r, 2) == 0;
        let identity = cell_text(r, 4).is_some_and(|s| !s.is_empty());
        let generated = cell_text(r, 5).is_some_and(|s| !s.is_empty());
        c.default = cell_text(r, 3).filter(|_| !generated);
        c.autoincrement = identity
            || c.default
                .as_deref()
                .is_some_and(|d| d.starts_with("nextval("));
        c.comment = cell_text(r, 6);
        if identity {
            // attidentity: 'a' GENERATED ALWAYS, 'd' BY DEFAULT; the sequence behind it says
            // its start and increment.
            let mut id =
                crate::schema::Identity::new().always(cell_text(r, 4).as_deref() == Some("a"));
            let options = cell_text(r, 7).unwrap_or_default();
            let mut nums = options.split(' ').filter_map(|n| n.parse::<i64>().ok());
            if let (Some(start), Some(increment)) = (nums.next(), nums.next()) {
                id = id.start(start).increment(increment);
            }
            c.identity = Some(id);
        }
        columns.push(c);
    }

    // One row per constraint column, in key order; `fattname` is the referred column of a FK.
    let cons = exec(
        &text(
            "SELECT con.conname, con.contype::text, a.attname, fa.attname, fc.relname, fn.nspname, \
             con.confupdtype::text, con.confdeltype::text, pg_get_constraintdef(con.oid), \
             (fn.nspname = n.nspname) \
             FROM pg_catalog.pg_constraint con \
             JOIN pg_catalog.pg_class c ON c.oid = con.conrelid \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             LEFT JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY \
               AS k(attnum, fattnum, ord) ON true \
             LEFT JOIN pg_catalog.pg_attribute a \
               ON a.attrelid = con.conrelid AND a.attnum = k.attnum \
             LEFT JOIN pg_catalog.pg_attribute fa \
               ON fa.attrelid = con.confrelid AND fa.attnum = k.fattnum \
             LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid \
             LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace \
             WHERE con.conrelid = :oid AND con.contype IN ('p', 'f', 'u', 'c') \
             ORDER BY con.conname, k.ord",
        )
        .bind("oid", oid.clone()),
    )?;
    let mut primary_key = ReflectedPrimaryKey::default();
    let mut foreign_keys: Vec<ReflectedForeignKey> = Vec::new();
    let mut unique_constraints: Vec<ReflectedUnique> = Vec::new();
    let mut check_constraints = Vec::new();
    let mut last: Option<String> = None;
    for r in &cons {
        let cname = cell_text(r, 0).unwrap_or_default();
        let first = last.as_ref() != Some(&cname);
        last = Some(cname.clone());
        let col = cell_text(r, 2);
        match cell_text(r, 1).as_deref() {
            Some("p") => {
                primary_key.name = Some(cname);
                primary_key.constrained_columns.extend(col);
            }
            Some("u") => {
                if first {
                    unique_constraints.push(ReflectedUnique {
                        name: Some(cname),
                        column_names: Vec::new(),
                        duplicates_index: None,
                    });
                }
                if let (Some(u), Some(col)) = (unique_constraints.last_mut(), col) {
                    u.column_names.push(col);
                }
            }
            Some("f") => {
                if first {
                    let same_schema = cell_int(r, 9) != 0;
                    foreign_keys.push(ReflectedForeignKey {
                        name: Some(cname),
                        constrained_columns: Vec::new(),
                        referred_schema: cell_text(r, 5).filter(|_| !same_schema),
                        referred_table: cell_text(r, 4).unwrap_or_default(),
                        referred_columns: Vec::new(),
                        on_delete: fk_action(cell_text(r, 7)),
                        on_update: fk_action(cell_text(r, 6)),
                    });
                }
                if let Some(fk) = foreign_keys.last_mut() {
                    fk.constrained_columns.extend(col);
                    fk.referred_columns.extend(cell_text(r, 3));
                }
            }
            Some("c") if first => check_constraints.push(ReflectedCheck {
                name: Some(cname),
                sqltext: check_text(&cell_text(r, 8).unwrap_or_default()),
            }),
            _ => {}
        }
    }
    for (i, pk) in primary_key.constrained_columns.iter().enumerate() {
        if let Some(c) = columns.iter_mut().find(|c| &c.name == pk) {
            c.primary_key = i + 1;
        }
    }

    // Indexes other than those backing a primary key, unique or exclusion constraint.
    let ix_rows = exec(
        &text(
            "SELECT i.relname, ix.indisunique, a.attname \
             FROM pg_catalog.pg_index ix \
             JOIN pg_catalog.pg_class i ON i.oid = ix.indexrelid \
             CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
             LEFT JOIN pg_catalog.pg_attribute a \
               ON a.attrelid = ix.indrelid AND a.attnum = k.attnum AND k.attnum > 0 \
             WHERE ix.indrelid = :oid AND k.ord <= ix.indnkeyatts \
             AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con \
               WHERE con.conindid = ix.indexrelid AND con.conrelid = ix.indrelid \
               AND con.contype IN ('p', 'u', 'x')) \
             ORDER BY i.relname, k.ord",
        )
        .bind("oid", oid),
    )?;
    let mut indexes: Vec<ReflectedIndex> = Vec::new();
    for r in &ix_rows {
        let ix_name = cell_text(r, 0).unwrap_or_default();
        if indexes.last().map(|ix| &ix.name) != Some(&ix_name) {
            indexes.push(ReflectedIndex {
                name: ix_name,
                column_names: Vec::new(),
                unique: cell_int(r, 1) != 0,
            });
        }
        if let Some(ix) = indexes.last_mut() {
            ix.column_names.push(cell_text(r, 2));
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
        check_constraints,
        comment,
        is_view,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
