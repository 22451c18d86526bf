//! `athanor reflect`: a database's tables as the [`Inspector`](athanor::Inspector) sees them,
//! printed for people (`text`, like psql's `\d`) or for tools (`json`, SQLAlchemy's keys).

use std::fmt::Write;

use athanor::Engine;
use athanor::dialect::reflection::{ReflectedColumn, ReflectedTable};
use serde::Serialize;

use crate::{Failure, Format, open_engine};

/// Reflects the tables asked for (all of the schema's when none are) and renders them.
pub(crate) fn run(
    url: &str,
    tables: &[String],
    schema: Option<&str>,
    format: Format,
) -> Result<String, Failure> {
    let engine = open_engine(url, true)?;
    let reflected = reflect(&engine, tables, schema)?;
    let dialect = engine.dialect().name();
    Ok(match format {
        Format::Text => text(&reflected, schema),
        Format::Json => json(dialect, &reflected)?,
    })
}

/// Every table asked for, sorted by name; an unknown name fails before anything is printed.
fn reflect(
    engine: &Engine,
    tables: &[String],
    schema: Option<&str>,
) -> Result<Vec<ReflectedTable>, Failure> {
    let insp = engine.inspect();
    let mut names = if tables.is_empty() {
        insp.get_table_names(schema)?
    } else {
        tables.to_vec()
    };
    names.sort();
    names.dedup();
    names
        .iter()
        .map(|n| Ok(insp.reflect_table(n, schema)?))
        .collect()
}

// ---- json ------------------------------------------------------------------------------------

#[derive(Serialize)]
struct JsonReport<'a> {
    dialect: &'a str,
    tables: Vec<JsonTable<'a>>,
}

#[derive(Serialize)]
struct JsonTable<'a> {
    name: &'a str,
    columns: Vec<JsonColumn<'a>>,
    primary_key: JsonPrimaryKey<'a>,
    foreign_keys: Vec<JsonForeignKey<'a>>,
    indexes: Vec<JsonIndex<'a>>,
    unique_constraints: Vec<JsonUnique<'a>>,
}

#[derive(Serialize)]
struct JsonColumn<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    ty: String,
    nullable: bool,
    default: Option<&'a str>,
    primary_key: bool,
}

#[derive(Serialize)]
struct JsonPrimaryKey<'a> {
    name: Option<&'a str>,
    constrained_columns: &'a [String],
}

#[derive(Serialize)]
struct JsonForeignKey<'a> {
    name: Option<&'a str>,
    constrained_columns: &'a [String],
    referred_table: &'a str,
    referred_columns: &'a [String],
}

#[derive(Serialize)]
struct JsonIndex<'a> {
    name: &'a str,
    column_names: &'a [Option<String>],
    unique: bool,
}

#[derive(Serialize)]
struct JsonUnique<'a> {
    name: Option<&'a str>,
    column_names: &'a [String],
}

fn json_table(t: &ReflectedTable) -> JsonTable<'_> {
    JsonTable {
        name: &t.name,
        columns: t
            .columns
            .iter()
            .map(|c| JsonColumn {
                name: &c.name,
                ty: c.type_text(),
                nullable: c.nullable,
                default: c.default.as_deref(),
                primary_key: c.primary_key > 0,
            })
            .collect(),
        primary_key: JsonPrimaryKey {
            name: t.primary_key.name.as_deref(),
            constrained_columns: &t.primary_key.constrained_columns,
        },
        foreign_keys: t
            .foreign_keys
            .iter()
            .map(|fk| JsonForeignKey {
                name: fk.name.as_deref(),
                constrained_columns: &fk.constrained_columns,
                referred_table: &fk.referred_table,
                referred_columns: &fk.referred_columns,
            })
            .collect(),
        // PostgreSQL's unique-constraint indexes are shown as the constraints only.
        indexes: t
            .indexes
            .iter()
            .filter(|ix| ix.duplicates_constraint.is_none())
            .map(|ix| JsonIndex {
                name: &ix.name,
                column_names: &ix.column_names,
                unique: ix.unique,
            })
            .collect(),
        unique_constraints: t
            .unique_constraints
            .iter()
            .map(|u| JsonUnique {
                name: u.name.as_deref(),
                column_names: &u.column_names,
            })
            .collect(),
    }
}

fn json(dialect: &str, tables: &[ReflectedTable]) -> Result<String, Failure> {
    let report = JsonReport {
        dialect,
        tables: tables.iter().map(json_table).collect(),
    };
    let mut out = serde_json::to_string_pretty(&report)
        .map_err(|e| Failure(format!("cannot write JSON: {e}")))?;
    out.push('\n');
    Ok(out)
}

// ---- text ------------------------------------------------------------------------------------

fn text(tables: &[ReflectedTable], schema: Option<&str>) -> String {
    if tables.is_empty() {
        return "No tables found.\n".to_string();
    }
    let mut out = String::new();
    for (i, t) in tables.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        text_table(&mut out, t, schema);
    }
    out
}

/// `a, b`: a column list.
fn list<S: AsRef<str>>(names: &[S]) -> String {
    names
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join(", ")
}

fn key_marker(c: &ReflectedColumn, key_len: usize) -> String {
    match c.primary_key {
        0 => String::new(),
        _ if key_len <= 1 => "PK".to_string(),
        n => format!("PK {n}"),
    }
}

fn text_table(out: &mut String, t: &ReflectedTable, schema: Option<&str>) {
    let qualified = match t.schema.as_deref().or(schema) {
        Some(s) => format!("{s}.{}", t.name),
        None => t.name.clone(),
    };
    let _ = writeln!(out, "Table \"{qualified}\"");

    let header = ["Column", "Type", "Nullable", "Default", "Key"].map(str::to_string);
    let key_len = t.primary_key.constrained_columns.len();
    let rows: Vec<[String; 5]> = t
        .columns
        .iter()
        .map(|c| {
            [
                c.name.clone(),
                c.type_text(),
                if c.nullable { "" } else { "not null" }.to_string(),
                c.default.clone().unwrap_or_default(),
                key_marker(c, key_len),
            ]
        })
        .collect();
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String; 5]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        format!(" {}", padded.join(" | ")).trim_end().to_string()
    };
    let _ = writeln!(out, "{}", line(&header));
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(w + 2)).collect();
    let _ = writeln!(out, "{}", rule.join("+"));
    for row in &rows {
        let _ = writeln!(out, "{}", line(row));
    }

    let pk = &t.primary_key;
    if !pk.constrained_columns.is_empty() {
        let name = pk
            .name
            .as_deref()
            .map(|n| format!("{n} "))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "Primary key: {name}({})",
            list(&pk.constrained_columns)
        );
    }
    if !t.foreign_keys.is_empty() {
        let _ = writeln!(out, "Foreign keys:");
        for fk in &t.foreign_keys {
            let name = fk
                .name
                .as_deref()
                .map(|n| format!("{n}: "))
                .unwrap_or_default();
            let target = match &fk.referred_schema {
                Some(s) => format!("{s}.{}", fk.referred_table),
                None => fk.referred_table.clone(),
            };
            let mut line = format!(
                "    {name}{} -> {target}({})",
                list(&fk.constrained_columns),
                list(&fk.referred_columns)
            );
            if let Some(a) = &fk.on_delete {
                let _ = write!(line, " ON DELETE {a}");
            }
            if let Some(a) = &fk.on_update {
                let _ = write!(line, " ON UPDATE {a}");
            }
            let _ = writeln!(out, "{line}");
        }
    }
    // PostgreSQL's unique-constraint indexes are shown as the constraints only.
    if t.indexes
        .iter()
        .any(|ix| ix.duplicates_constraint.is_none())
    {
        let _ = writeln!(out, "Indexes:");
        for ix in t
            .indexes
            .iter()
            .filter(|ix| ix.duplicates_constraint.is_none())
        {
            let cols: Vec<&str> = ix
                .column_names
                .iter()
                .map(|c| c.as_deref().unwrap_or("<expression>"))
                .collect();
            let unique = if ix.unique { " UNIQUE" } else { "" };
            let _ = writeln!(out, "    {}{unique} ({})", ix.name, cols.join(", "));
        }
    }
    if !t.unique_constraints.is_empty() {
        let _ = writeln!(out, "Unique constraints:");
        for u in &t.unique_constraints {
            let name = u
                .name
                .as_deref()
                .map(|n| format!("{n} "))
                .unwrap_or_default();
            let _ = writeln!(out, "    {name}({})", list(&u.column_names));
        }
    }
    if !t.check_constraints.is_empty() {
        let _ = writeln!(out, "Check constraints:");
        for ck in &t.check_constraints {
            let name = ck
                .name
                .as_deref()
                .map(|n| format!("{n} "))
                .unwrap_or_default();
            let _ = writeln!(out, "    {name}CHECK ({})", ck.sqltext);
        }
    }
}
