//! Derive macros for Athanor's ORM. Use them through `athanor` (`use athanor::prelude::*`),
//! which re-exports [`macro@Model`]; the generated code names `::athanor`.
//!
//! The generated code is kept small (it is compiled for every model): one `impl Model`, one
//! `impl FromRow`, and one typed column constant per mapped field. Mistakes only a database
//! can show (a missing column, a type mismatch) are found by the runtime mapping check, not by
//! trait bounds.

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as Tokens};
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{
    Data, DeriveInput, Expr, Fields, GenericArgument, Ident, LitStr, PathArguments, Type,
    parse_macro_input,
};

/// `#[derive(Model)]`: maps a struct with named fields to a table (SQLAlchemy's declarative
/// mapping).
///
/// It implements `athanor::orm::Model` (the table, the key, reading and writing the fields)
/// and `athanor::FromRow` for the struct, and gives it one typed column constant per mapped
/// field, named after the field in capitals (`title` → `Album::TITLE`, an
/// `athanor::orm::Attr`). The struct must be `Clone` (the session snapshots an object on its
/// first change) and every mapped field's type an `athanor::orm::FieldType` (`i64`, `String`,
/// `Option<T>`, ...); a field's nullability comes from `Option`.
///
/// On the struct, `#[athanor(...)]` takes:
///
/// | attribute | meaning | default |
/// |---|---|---|
/// | `table = "Album"` | the table's name | the struct's name |
/// | `schema = "music"` | the table's schema (PostgreSQL schema, MySQL database) | none |
///
/// On a field:
///
/// | attribute | meaning |
/// |---|---|
/// | `column = "AlbumId"` | the column's name (default: the field's name) |
/// | `primary_key` | a key column; on several fields for a composite key (the key is then a tuple, in field order) |
/// | `autoincrement`, `autoincrement = false` | whether the database generates the key (default: as SQLAlchemy, a single integer key column does); an unset key (`0`, or `None`) is then left out of the INSERT and the generated one written back |
/// | `default = <expr>` | a client-side default, used when the field is `None` (written into the object at the flush) |
/// | `server_default = "SQL"` | a server-side default: a `None` field is left out of the INSERT, and the object expires after the flush (its next read loads the server's value) |
/// | `sql_type = <Type>` | the column's SQL type (`Type::Unicode(Some(120))`, `Type::BigInteger`), instead of the field type's own |
/// | `foreign_key = "Artist.ArtistId"` | a foreign key (the flush orders tables by them, joins infer their ON from them) |
/// | `unique`, `index` | a UNIQUE constraint, an index |
/// | `skip` | not mapped: the field takes its `Default` when loaded, and flushes never write it |
///
/// A field typed `Collection<T>` (one-to-many, many-to-many) or `Related<T>` (many-to-one,
/// one-to-one), `T` another model, is a relationship (SQLAlchemy's `relationship()`): the
/// derive gives the model a constant named as the field (`Artist::albums`, an
/// `athanor::orm::Rel`) for load paths, joins (`query.join(Track::album)`), `any()` / `has()`
/// filters and the session's relationship methods. Its columns come from the two tables'
/// foreign keys, worked out on first use. On a relationship field, `#[athanor(...)]` takes:
///
/// | attribute | meaning | default |
/// |---|---|---|
/// | `back_populates = "artist"` | the relationship of `T` pointing back: changing one side through the session changes the other | none |
/// | `secondary = PlaylistTrack::table()` | a many-to-many relationship's secondary table (an expression giving `&'static Table`) | none |
/// | `fk = "SupportRepId"` (`"A, B"` for a composite key) | the foreign key's columns, when the tables have several foreign keys between them (without it, using the relationship is an `AmbiguousForeignKeys` error naming them) | the only foreign key |
/// | `remote_side = "EmployeeId"` | a self-referential relationship's target side: the referred key for the many-to-one end (`manager`), the foreign key for the one-to-many end | — |
/// | `order_by = "AlbumId"`, `"Milliseconds desc, Name"` | a collection's order, by the target's columns | the database's order |
/// | `cascade = "all, delete-orphan"` | SQLAlchemy's cascades: `all`, `save-update`, `merge`, `delete`, `delete-orphan` (with `delete`), `refresh-expire`, `expunge`, `none` | `"save-update, merge"` |
/// | `passive_deletes` | deleting the parent leaves its children to the database's `ON DELETE` | off |
/// | `post_update` | the foreign key is written by a second UPDATE (rows that point at each other) | off |
/// | `lazy = "selectin"` | how the relationship loads with its parent when no loader option says: `"raise"` (not loaded; reading it is an error naming it), `"select"`, `"selectin"`, `"joined"` | `"raise"` |
/// | `many_to_one`, `one_to_many`, `one_to_one`, `many_to_many` | the direction, when the foreign keys don't tell it (both tables hold keys to each other); `many_to_many` needs `secondary` | from the foreign keys |
///
/// The struct must also be `Clone` (the session snapshots objects on their first change) and
/// its mapped field types `PartialEq`.
///
/// Mistakes the derive can see are compile errors pointing at the field (or the struct)
/// they concern, one error per mistake: no primary key; an unknown attribute (with a
/// "did you mean" for near spellings and for other ORMs' names: `nullable`, `name`, `pk`);
/// an attribute given twice; a field type with no SQL mapping (one error at the field's
/// type, from a `FieldType` bound stated once on the impl, not one per use); two fields on
/// one column; `skip` with `primary_key`; `autoincrement` on a non-key field, on a column of
/// a composite key, or on a non-integer type; a `skip`ped field without `Default`; a struct
/// that isn't `Clone + Send + Sync`; a tuple struct, an enum, generics; a column attribute on
/// a relationship field or a relationship attribute on a column; an unknown cascade,
/// `delete-orphan` without `delete`; a `lazy` strategy that doesn't exist; a direction that
/// contradicts the field's type (`many_to_one` on a `Collection`); `many_to_many` without
/// `secondary`. Each has a compile-fail test with the exact message
/// (`crates/athanor/tests/derive_fail/`). Mistakes that need both models' tables (no foreign
/// key between them, several without `fk`, a `back_populates` naming nothing) are errors
/// naming the relationship when it is first used.
/// Mismatches only the database can show (a missing column, an incompatible type) are
/// reported by the mapping check, `athanor::orm::Registry::check`.
///
/// A runnable example of every attribute comes with this reference in `athanor`'s
/// documentation (`athanor::orm::Model`, the derive).
#[proc_macro_derive(Model, attributes(athanor))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match expand(&input) {
        Ok(t) => t.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

struct FieldSpec {
    ident: Ident,
    ty: Type,
    /// The type inside `Option<...>`, when the field is an `Option`.
    inner: Option<Type>,
    column: String,
    primary_key: bool,
    autoincrement: Option<bool>,
    default: Option<Expr>,
    server_default: Option<LitStr>,
    sql_type: Option<Expr>,
    foreign_key: Option<LitStr>,
    unique: bool,
    index: bool,
    span: Span,
}

fn option_inner(ty: &Type) -> Option<Type> {
    let Type::Path(p) = ty else { return None };
    if p.qself.is_some() {
        return None;
    }
    let last = p.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(t) if args.args.len() == 1 => Some(t.clone()),
        _ => None,
    }
}

/// The attributes a struct takes.
const STRUCT_ATTRS: &[&str] = &["table", "schema"];
/// The attributes a field takes.
const FIELD_ATTRS: &[&str] = &[
    "column",
    "primary_key",
    "autoincrement",
    "default",
    "server_default",
    "sql_type",
    "foreign_key",
    "unique",
    "index",
    "skip",
];
/// The attributes a relationship field (`Collection<T>`, `Related<T>`) takes.
const REL_ATTRS: &[&str] = &[
    "back_populates",
    "secondary",
    "fk",
    "remote_side",
    "order_by",
    "cascade",
    "passive_deletes",
    "post_update",
    "lazy",
    "many_to_one",
    "one_to_many",
    "one_to_one",
    "many_to_many",
];

/// A relationship field: `Collection<T>` (many) or `Related<T>` (one).
struct RelSpec {
    ident: Ident,
    ty: Type,
    target: Type,
    many: bool,
    back_populates: Option<String>,
    secondary: Option<Expr>,
    fk: Vec<String>,
    remote_side: Vec<String>,
    order_by: Vec<String>,
    cascade: Option<[bool; 6]>,
    passive_deletes: bool,
    post_update: bool,
    lazy: Option<String>,
    direction: Option<String>,
}

/// `Collection<T>` → (T, true), `Related<T>` → (T, false).
fn relationship_target(ty: &Type) -> Option<(Type, bool)> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    let many = match last.ident.to_string().as_str() {
        "Collection" => true,
        "Related" => false,
        _ => return None,
    };
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(t) if args.args.len() == 1 => Some((t.clone(), many)),
        _ => None,
    }
}

/// Splits `"a, b"` into its names.
fn names(lit: &LitStr) -> Vec<String> {
    lit.value()
        .split(',')
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// The words of a `cascade` string.
const CASCADES: &[&str] = &[
    "all",
    "save-update",
    "merge",
    "delete",
    "delete-orphan",
    "refresh-expire",
    "expunge",
    "none",
];

/// SQLAlchemy's cascade string → [save_update, merge, delete, delete_orphan, refresh_expire, expunge].
fn parse_cascade(lit: &LitStr) -> syn::Result<[bool; 6]> {
    let mut c = [false; 6];
    for word in names(lit) {
        match word.as_str() {
            "all" => {
                c[0] = true;
                c[1] = true;
                c[2] = true;
                c[4] = true;
                c[5] = true;
            }
            "save-update" => c[0] = true,
            "merge" => c[1] = true,
            "delete" => c[2] = true,
            "delete-orphan" => c[3] = true,
            "refresh-expire" => c[4] = true,
            "expunge" => c[5] = true,
            "none" => {}
            other => {
                return Err(syn::Error::new(
                    lit.span(),
                    format!(
                        "unknown cascade `{other}`{} (cascades: {})",
                        hint(other, CASCADES),
                        CASCADES.join(", ")
                    ),
                ));
            }
        }
    }
    if c[3] && !c[2] {
        return Err(syn::Error::new(
            lit.span(),
            "cascade `delete-orphan` needs `delete` too (\"all, delete-orphan\" or \"save-update, delete, delete-orphan\")",
        ));
    }
    Ok(c)
}

fn parse_relationship(
    f: &syn::Field,
    ident: &Ident,
    target: Type,
    many: bool,
) -> syn::Result<RelSpec> {
    let mut spec = RelSpec {
        ident: ident.clone(),
        ty: f.ty.clone(),
        target,
        many,
        back_populates: None,
        secondary: None,
        fk: Vec::new(),
        remote_side: Vec::new(),
        order_by: Vec::new(),
        cascade: None,
        passive_deletes: false,
        post_update: false,
        lazy: None,
        direction: None,
    };
    let mut seen: Vec<String> = Vec::new();
    let on = format!("relationship `{ident}`");
    for attr in &f.attrs {
        if !attr.path().is_ident("athanor") {
            continue;
        }
        attr.parse_nested_meta(|meta| {
            let p = &meta.path;
            let what = p
                .get_ident()
                .map_or_else(|| path_text(p), Ident::to_string);
            if REL_ATTRS.contains(&what.as_str()) {
                once(&mut seen, &meta, &what, &on)?;
            }
            match what.as_str() {
                "back_populates" => {
                    spec.back_populates = Some(meta.value()?.parse::<LitStr>()?.value());
                }
                "secondary" => spec.secondary = Some(meta.value()?.parse::<Expr>()?),
                "fk" => spec.fk = names(&meta.value()?.parse::<LitStr>()?),
                "remote_side" => spec.remote_side = names(&meta.value()?.parse::<LitStr>()?),
                "order_by" => spec.order_by = names(&meta.value()?.parse::<LitStr>()?),
                "cascade" => spec.cascade = Some(parse_cascade(&meta.value()?.parse::<LitStr>()?)?),
                "passive_deletes" => spec.passive_deletes = true,
                "post_update" => spec.post_update = true,
                "lazy" => {
                    let lit = meta.value()?.parse::<LitStr>()?;
                    let v = lit.value();
                    if !["raise", "select", "selectin", "joined"].contains(&v.as_str()) {
                        return Err(syn::Error::new(
                            lit.span(),
                            format!("lazy = \"{v}\": a relationship loads \"raise\" (the default), \"select\", \"selectin\" or \"joined\""),
                        ));
                    }
                    spec.lazy = Some(v);
                }
                "many_to_one" | "one_to_many" | "one_to_one" | "many_to_many" => {
                    if let Some(d) = &spec.direction {
                        return Err(meta.error(format!("{on} is `{d}` already")));
                    }
                    spec.direction = Some(what.clone());
                }
                _ if FIELD_ATTRS.contains(&what.as_str()) => {
                    return Err(meta.error(format!(
                        "`{what}` is a column attribute, and field `{ident}` is a relationship (a relationship takes: {})",
                        REL_ATTRS.join(", ")
                    )));
                }
                _ => {
                    return Err(meta.error(format!(
                        "unknown #[athanor] attribute `{what}` on relationship `{ident}`{} (a relationship takes: {})",
                        hint(&what, REL_ATTRS),
                        REL_ATTRS.join(", ")
                    )));
                }
            }
            Ok(())
        })?;
    }
    let dir = spec.direction.as_deref();
    if many && matches!(dir, Some("many_to_one" | "one_to_one")) {
        return Err(syn::Error::new(
            ident.span(),
            format!(
                "relationship `{ident}` is a Collection, so it can't be `{}` (use Related<_>)",
                dir.unwrap_or_default()
            ),
        ));
    }
    if !many && matches!(dir, Some("one_to_many" | "many_to_many")) {
        return Err(syn::Error::new(
            ident.span(),
            format!(
                "relationship `{ident}` is a Related, so it can't be `{}` (use Collection<_>)",
                dir.unwrap_or_default()
            ),
        ));
    }
    if dir == Some("many_to_many") && spec.secondary.is_none() {
        return Err(syn::Error::new(
            ident.span(),
            format!(
                "relationship `{ident}` is many_to_many: give its secondary table (secondary = PlaylistTrack::table())"
            ),
        ));
    }
    Ok(spec)
}

fn path_text(p: &syn::Path) -> String {
    p.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}

/// An attribute given twice is an error (the second would silently win).
fn once(
    seen: &mut Vec<String>,
    meta: &syn::meta::ParseNestedMeta<'_>,
    what: &str,
    on: &str,
) -> syn::Result<()> {
    if seen.iter().any(|s| s == what) {
        return Err(meta.error(format!("`{what}` is given twice on {on}")));
    }
    seen.push(what.to_string());
    Ok(())
}

/// A hint for an unknown attribute: what users of SQLAlchemy or other ORMs write instead,
/// or a near spelling of a known one.
fn hint(what: &str, known: &[&str]) -> String {
    if known == STRUCT_ATTRS && FIELD_ATTRS.contains(&what) {
        return format!(": `{what}` goes on a field");
    }
    if known == FIELD_ATTRS && STRUCT_ATTRS.contains(&what) {
        return format!(": `{what}` goes on the struct");
    }
    let alias = match what {
        "nullable" | "null" | "not_null" => {
            return ": nullability comes from the type, `Option<T>` for a nullable column".into();
        }
        "name" | "rename" | "column_name" => Some("column"),
        "tablename" | "table_name" | "__tablename__" => Some("table"),
        "pk" | "primary" | "primarykey" | "id" | "key" => Some("primary_key"),
        "type" | "type_" | "sql" => Some("sql_type"),
        "ignore" | "transient" | "skip_serializing" => Some("skip"),
        "fk" | "references" | "foreignkey" => Some("foreign_key"),
        "server_default_text" | "db_default" => Some("server_default"),
        "auto_increment" | "autoinc" | "serial" | "identity" => Some("autoincrement"),
        _ => None,
    };
    let near = alias.filter(|a| known.contains(a)).or_else(|| {
        known
            .iter()
            .copied()
            .map(|k| (edit_distance(what, k), k))
            .filter(|&(d, k)| d <= 2.max(k.len() / 4))
            .min()
            .map(|(_, k)| k)
    });
    near.map_or_else(String::new, |k| format!("; did you mean `{k}`?"))
}

/// Levenshtein distance, for the hint above.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

fn expand(input: &DeriveInput) -> syn::Result<Tokens> {
    let name = &input.ident;
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new(
            input.generics.span(),
            "#[derive(Model)] does not take generic structs: a model maps one table",
        ));
    }
    let mut table = name.to_string();
    let mut schema: Option<String> = None;
    let mut seen: Vec<String> = Vec::new();
    for attr in &input.attrs {
        if !attr.path().is_ident("athanor") {
            continue;
        }
        attr.parse_nested_meta(|meta| {
            let what = meta
                .path
                .get_ident()
                .map_or_else(|| path_text(&meta.path), Ident::to_string);
            if meta.path.is_ident("table") {
                once(&mut seen, &meta, &what, "the struct")?;
                table = meta.value()?.parse::<LitStr>()?.value();
                Ok(())
            } else if meta.path.is_ident("schema") {
                once(&mut seen, &meta, &what, "the struct")?;
                schema = Some(meta.value()?.parse::<LitStr>()?.value());
                Ok(())
            } else {
                Err(meta.error(format!(
                    "unknown #[athanor] attribute `{what}` on the struct{} (the struct takes `table` and `schema`)",
                    hint(&what, STRUCT_ATTRS)
                )))
            }
        })?;
    }
    let data = match &input.data {
        Data::Struct(data) => data,
        Data::Enum(_) | Data::Union(_) => {
            let kind = if matches!(input.data, Data::Enum(_)) {
                "an enum"
            } else {
                "a union"
            };
            return Err(syn::Error::new(
                name.span(),
                format!(
                    "#[derive(Model)] can't map {kind}: a model is a struct with named fields, one per column"
                ),
            ));
        }
    };
    let Fields::Named(named) = &data.fields else {
        return Err(syn::Error::new(
            name.span(),
            "#[derive(Model)] needs a struct with named fields: the field names are the default column names",
        ));
    };
    let mut fields: Vec<FieldSpec> = Vec::new();
    let mut skipped: Vec<(Ident, Type)> = Vec::new();
    let mut rels: Vec<RelSpec> = Vec::new();
    for f in &named.named {
        let Some(ident) = f.ident.clone() else {
            continue;
        };
        if let Some((target, many)) = relationship_target(&f.ty) {
            rels.push(parse_relationship(f, &ident, target, many)?);
            continue;
        }
        let mut spec = FieldSpec {
            column: ident.unraw().to_string(),
            ident: ident.clone(),
            inner: option_inner(&f.ty),
            ty: f.ty.clone(),
            primary_key: false,
            autoincrement: None,
            default: None,
            server_default: None,
            sql_type: None,
            foreign_key: None,
            unique: false,
            index: false,
            span: f.span(),
        };
        let mut skip = false;
        let mut seen: Vec<String> = Vec::new();
        let on = format!("field `{ident}`");
        for attr in &f.attrs {
            if !attr.path().is_ident("athanor") {
                continue;
            }
            attr.parse_nested_meta(|meta| {
                let p = &meta.path;
                let what = p
                    .get_ident()
                    .map_or_else(|| path_text(p), Ident::to_string);
                if FIELD_ATTRS.contains(&what.as_str()) {
                    once(&mut seen, &meta, &what, &on)?;
                }
                if REL_ATTRS.contains(&what.as_str()) {
                    let also = if what == "fk" {
                        "; a column's foreign key is foreign_key = \"Table.column\""
                    } else {
                        ""
                    };
                    return Err(meta.error(format!(
                        "`{what}` is a relationship attribute, and field `{ident}` is a column (a relationship's field is a Collection<T> or a Related<T>){also}"
                    )));
                }
                if p.is_ident("column") {
                    spec.column = meta.value()?.parse::<LitStr>()?.value();
                } else if p.is_ident("primary_key") {
                    spec.primary_key = true;
                } else if p.is_ident("autoincrement") {
                    spec.autoincrement = Some(if meta.input.peek(syn::Token![=]) {
                        meta.value()?.parse::<syn::LitBool>()?.value
                    } else {
                        true
                    });
                } else if p.is_ident("default") {
                    spec.default = Some(meta.value()?.parse::<Expr>()?);
                } else if p.is_ident("server_default") {
                    spec.server_default = Some(meta.value()?.parse::<LitStr>()?);
                } else if p.is_ident("sql_type") {
                    spec.sql_type = Some(meta.value()?.parse::<Expr>()?);
                } else if p.is_ident("foreign_key") {
                    let target = meta.value()?.parse::<LitStr>()?;
                    let text = target.value();
                    let parts: Vec<&str> = text.split('.').collect();
                    if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.is_empty()) {
                        return Err(syn::Error::new(
                            target.span(),
                            format!(
                                "foreign_key of field `{ident}` must name \"table.column\" or \"schema.table.column\", not \"{text}\""
                            ),
                        ));
                    }
                    spec.foreign_key = Some(target);
                } else if p.is_ident("unique") {
                    spec.unique = true;
                } else if p.is_ident("index") {
                    spec.index = true;
                } else if p.is_ident("skip") {
                    skip = true;
                } else {
                    return Err(meta.error(format!(
                        "unknown #[athanor] attribute `{what}` on field `{ident}`{} (a field takes: {})",
                        hint(&what, FIELD_ATTRS),
                        FIELD_ATTRS.join(", ")
                    )));
                }
                Ok(())
            })?;
        }
        if skip {
            if spec.primary_key {
                return Err(syn::Error::new(
                    ident.span(),
                    format!("field `{ident}` can't be both `skip` and `primary_key`"),
                ));
            }
            skipped.push((ident, f.ty.clone()));
        } else {
            if let Some(other) = fields.iter().find(|o| o.column == spec.column) {
                return Err(syn::Error::new(
                    ident.span(),
                    format!(
                        "field `{ident}` maps to column \"{}\", which field `{}` maps to already",
                        spec.column, other.ident
                    ),
                ));
            }
            fields.push(spec);
        }
    }
    let pk: Vec<usize> = (0..fields.len())
        .filter(|&i| fields[i].primary_key)
        .collect();
    if pk.is_empty() {
        return Err(syn::Error::new(
            name.span(),
            format!(
                "model `{name}` has no primary key: mark its key field(s) #[athanor(primary_key)] (the session finds objects by key)"
            ),
        ));
    }
    for f in &fields {
        if f.autoincrement == Some(true) && !f.primary_key {
            return Err(syn::Error::new(
                f.ident.span(),
                format!(
                    "field `{}` is `autoincrement` but not part of the primary key (only a key the database generates can autoincrement)",
                    f.ident
                ),
            ));
        }
        if f.autoincrement == Some(true) && pk.len() > 1 {
            return Err(syn::Error::new(
                f.ident.span(),
                format!(
                    "field `{}` is `autoincrement`, but the primary key has {} columns: only a single-column integer key is generated by the database",
                    f.ident,
                    pk.len()
                ),
            ));
        }
    }
    Ok(generate(
        name,
        &table,
        schema.as_deref(),
        &fields,
        &pk,
        &skipped,
        &rels,
    ))
}

fn generate(
    name: &Ident,
    table: &str,
    schema: Option<&str>,
    fields: &[FieldSpec],
    pk: &[usize],
    skipped: &[(Ident, Type)],
    rels: &[RelSpec],
) -> Tokens {
    let a = quote!(::athanor::orm::__private);
    let name_str = name.to_string();
    let idents: Vec<&Ident> = fields.iter().map(|f| &f.ident).collect();
    let tys: Vec<&Type> = fields.iter().map(|f| &f.ty).collect();
    let field_names: Vec<String> = fields.iter().map(|f| f.ident.unraw().to_string()).collect();
    let idx: Vec<usize> = (0..fields.len()).collect();

    // The table, built once.
    let columns = fields.iter().map(|f| {
        let ty = &f.ty;
        let col = &f.column;
        let sql_type = match &f.sql_type {
            Some(e) => quote_spanned!(e.span()=> { #[allow(unused_imports)] use #a::Type; let t: #a::Type = #e; t }),
            None => quote_spanned!(ty.span()=> <#ty as #a::FieldType>::sql_type()),
        };
        let mut c = quote!(#a::Column::new(#col, #sql_type));
        if f.primary_key {
            c = quote!(#c.primary_key());
        } else {
            c = quote_spanned!(ty.span()=> #c.nullable(<#ty as #a::FieldType>::NULLABLE));
        }
        if let Some(b) = f.autoincrement {
            c = quote!(#c.autoincrement(#b));
        }
        if let Some(d) = &f.default {
            c = quote!(#c.default(#a::Value::from(#d)));
        }
        if let Some(d) = &f.server_default {
            c = quote!(#c.server_default(#a::ServerDefault::text(#d)));
        }
        if let Some(fk) = &f.foreign_key {
            c = quote!(#c.foreign_key(#a::ForeignKey::new(#fk)));
        }
        if f.unique {
            c = quote!(#c.unique());
        }
        if f.index {
            c = quote!(#c.index());
        }
        quote!(.column(#c))
    });
    let schema_call = schema.map(|s| quote!(.schema(#s)));

    // The key.
    let key_tys: Vec<Tokens> = pk
        .iter()
        .map(|&i| {
            let f = &fields[i];
            match &f.inner {
                Some(t) => quote!(#t),
                None => {
                    let t = &f.ty;
                    quote!(#t)
                }
            }
        })
        .collect();
    let key_ty = if pk.len() == 1 {
        key_tys[0].clone()
    } else {
        quote!((#(#key_tys),*))
    };
    let key_parts: Vec<Tokens> = pk
        .iter()
        .enumerate()
        .map(|(n, &i)| {
            let f = &fields[i];
            let id = &f.ident;
            let var = format_ident!("k{}", n);
            let unset = quote!(if Self::autoincrement_index() == ::core::option::Option::Some(#i)
                && #a::FieldType::is_unset_key(&self.#id) { return ::core::option::Option::None; });
            if f.inner.is_some() {
                quote!(#unset let #var = ::core::clone::Clone::clone(self.#id.as_ref()?);)
            } else {
                quote!(#unset let #var = ::core::clone::Clone::clone(&self.#id);)
            }
        })
        .collect();
    let key_vars: Vec<Ident> = (0..pk.len()).map(|n| format_ident!("k{}", n)).collect();
    let key_value = if pk.len() == 1 {
        quote!(#(#key_vars)*)
    } else {
        quote!((#(#key_vars),*))
    };
    let key_values = if pk.len() == 1 {
        let t = &key_tys[0];
        quote!(::std::vec![<#t as #a::FieldType>::to_value(key)])
    } else {
        let parts = (0..pk.len()).map(|n| {
            let t = &key_tys[n];
            let n = syn::Index::from(n);
            quote!(<#t as #a::FieldType>::to_value(&key.#n))
        });
        quote!(::std::vec![#(#parts),*])
    };
    let key_reads = pk.iter().enumerate().map(|(n, &i)| {
        let t = &key_tys[n];
        let var = format_ident!("k{}", n);
        quote!(let #var: #t = #a::peek_field::<#t>(values, offset + #i)?;)
    });
    let pk_lits = pk.iter();
    let infos = fields.iter().map(|f| {
        let ty = &f.ty;
        let written: String = quote!(#ty)
            .to_string()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .replace(',', ", ");
        quote_spanned!(ty.span()=> ::athanor::orm::__private::FieldInfo {
            rust_type: #written,
            nullable: <#ty as ::athanor::orm::__private::FieldType>::NULLABLE,
            accepts: <#ty as ::athanor::orm::__private::FieldType>::accepts,
        })
    });
    let defaulted: Vec<usize> = fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.default.is_some() || f.server_default.is_some())
        .map(|(i, _)| i)
        .collect();

    let takes = fields.iter().enumerate().map(|(i, f)| {
        let id = &f.ident;
        let ty = &f.ty;
        quote_spanned!(ty.span()=> #id: #a::take_field::<#ty>(values, offset + #i)?,)
    });
    // Spanned at the field's type: a skipped field without `Default` is an error there.
    let skipped_init = skipped.iter().map(
        |(id, ty)| quote_spanned!(ty.span()=> #id: <#ty as ::core::default::Default>::default(),),
    );
    let sets = fields.iter().enumerate().map(|(i, f)| {
        let id = &f.ident;
        let ty = &f.ty;
        quote!(#i => { self.#id = #a::convert_field::<#ty>(v, Self::FIELDS[#i])?; })
    });
    let consts = fields.iter().enumerate().map(|(i, f)| {
        let cname = format_ident!("{}", f.ident.unraw().to_string().to_uppercase(), span = f.span);
        let ty = &f.ty;
        let col = &f.column;
        let doc = format!("The `{col}` column (field `{}`).", f.ident);
        quote!(#[doc = #doc] pub const #cname: ::athanor::orm::Attr<#name, #ty> = ::athanor::orm::Attr::new(#i, #col);)
    });

    // Every field type's `FieldType` bound, stated once on the impl at the field's type: a
    // type with no SQL mapping is one error pointing at that field, not one per use.
    let bounds = fields.iter().map(|f| {
        let ty = &f.ty;
        quote_spanned!(ty.span()=> #ty: ::athanor::orm::__private::FieldType)
    });
    // An explicit `autoincrement` needs an integer field: the database generates integers.
    let generated = fields
        .iter()
        .filter(|f| f.autoincrement == Some(true))
        .map(|f| {
            let ty = &f.ty;
            quote_spanned!(ty.span()=> #ty: ::athanor::orm::__private::GeneratedKey)
        });
    // The struct's own `Clone + Send + Sync` (the session snapshots objects and is `Send`),
    // stated once at its name.
    let cloned = std::iter::once(
        quote_spanned!(name.span()=> #name: ::core::clone::Clone + ::core::marker::Send + ::core::marker::Sync),
    );
    let bounds: Vec<Tokens> = cloned.chain(bounds).chain(generated).collect();

    // Relationships: their fields start unloaded, one constant and one description each.
    let rel_init = rels.iter().map(|r| {
        let id = &r.ident;
        let ty = &r.ty;
        let qual = format!("{name_str}.{}", id.unraw());
        quote_spanned!(ty.span()=> #id: <#ty as #a::UnloadedField>::unloaded(#qual),)
    });
    let rel_idx: Vec<usize> = (0..rels.len()).collect();
    let rel_idents: Vec<&Ident> = rels.iter().map(|r| &r.ident).collect();
    let rel_consts = rels.iter().enumerate().map(|(j, r)| {
        let id = &r.ident;
        let target = &r.target;
        let kind = if r.many { quote!(Many) } else { quote!(One) };
        let fname = id.unraw().to_string();
        let doc = format!("The `{fname}` relationship (to `{}`).", quote!(#target));
        quote!(#[doc = #doc] #[allow(non_upper_case_globals)] pub const #id: ::athanor::orm::Rel<#name, #target, ::athanor::orm::#kind> = ::athanor::orm::Rel::new(#j, #fname);)
    });
    let rel_infos = rels.iter().map(|r| {
        let fname = r.ident.unraw().to_string();
        let qual = format!("{name_str}.{fname}");
        let many = r.many;
        let target = &r.target;
        let secondary = match &r.secondary {
            Some(e) => quote!(::core::option::Option::Some({
                fn __secondary() -> &'static #a::Table { #e }
                __secondary
            })),
            None => quote!(::core::option::Option::None),
        };
        let fk = &r.fk;
        let remote = &r.remote_side;
        let order = &r.order_by;
        let back = match &r.back_populates {
            Some(b) => quote!(::core::option::Option::Some(#b)),
            None => quote!(::core::option::Option::None),
        };
        let [su, me, de, dor, re, ex] = r
            .cascade
            .unwrap_or([true, true, false, false, false, false]);
        let pd = r.passive_deletes;
        let pu = r.post_update;
        let lazy = match r.lazy.as_deref() {
            Some("select") => quote!(Select),
            Some("selectin") => quote!(Selectin),
            Some("joined") => quote!(Joined),
            _ => quote!(Raise),
        };
        let dir = match r.direction.as_deref() {
            Some("many_to_one") => quote!(::core::option::Option::Some(#a::Direction::ManyToOne)),
            Some("one_to_many") => quote!(::core::option::Option::Some(#a::Direction::OneToMany)),
            Some("many_to_many") => quote!(::core::option::Option::Some(#a::Direction::ManyToMany)),
            _ => quote!(::core::option::Option::None),
        };
        quote!(#a::RelInfo {
            name: #fname,
            qualname: #qual,
            many: #many,
            secondary: #secondary,
            fk: &[#(#fk),*],
            remote_side: &[#(#remote),*],
            back_populates: #back,
            order_by: &[#(#order),*],
            cascade: #a::Cascade {
                save_update: #su, merge: #me, delete: #de, delete_orphan: #dor,
                refresh_expire: #re, expunge: #ex,
            },
            passive_deletes: #pd,
            post_update: #pu,
            lazy: #a::Lazy::#lazy,
            direction: #dir,
            ops: &#a::RelImpl::<#name, #target>::NEW,
        })
    });
    let key_converts = pk.iter().enumerate().map(|(n, &i)| {
        let t = &key_tys[n];
        let var = format_ident!("k{}", n);
        quote!(let #var: #t = #a::convert_field::<#t>(
            ::core::clone::Clone::clone(values.get(#n).unwrap_or(&#a::Value::Null)),
            Self::FIELDS[#i],
        )?;)
    });

    quote! {
        impl ::athanor::orm::Model for #name where #(#bounds),* {
            type Key = #key_ty;
            const NAME: &'static str = #name_str;
            const FIELDS: &'static [&'static str] = &[#(#field_names),*];
            const PRIMARY_KEY: &'static [usize] = &[#(#pk_lits),*];
            const DEFAULTED: &'static [usize] = &[#(#defaulted),*];
            const FIELD_INFO: &'static [#a::FieldInfo] = &[#(#infos),*];

            fn autoincrement_index() -> ::core::option::Option<usize> {
                static AUTO: ::std::sync::OnceLock<::core::option::Option<usize>> = ::std::sync::OnceLock::new();
                *AUTO.get_or_init(|| #a::autoincrement_index(Self::table()))
            }

            fn table() -> &'static #a::Table {
                static TABLE: ::std::sync::OnceLock<#a::Table> = ::std::sync::OnceLock::new();
                TABLE.get_or_init(|| {
                    #a::build_table(
                        #table,
                        #a::Table::build(#table, &#a::MetaData::new())
                            #schema_call
                            #(#columns)*
                    )
                })
            }

            fn key(&self) -> ::core::option::Option<Self::Key> {
                #(#key_parts)*
                ::core::option::Option::Some(#key_value)
            }

            fn key_values(key: &Self::Key) -> ::std::vec::Vec<#a::Value> {
                #key_values
            }

            const RELATIONSHIPS: &'static [#a::RelInfo] = &[#(#rel_infos),*];

            fn key_from_values(values: &[#a::Value]) -> #a::Result<Self::Key> {
                #(#key_converts)*
                ::core::result::Result::Ok(#key_value)
            }

            fn rel_field(&self, i: usize) -> ::core::option::Option<&dyn #a::RelField> {
                match i {
                    #(#rel_idx => ::core::option::Option::Some(&self.#rel_idents),)*
                    _ => ::core::option::Option::None,
                }
            }

            fn rel_field_mut(&mut self, i: usize) -> ::core::option::Option<&mut dyn #a::RelField> {
                match i {
                    #(#rel_idx => ::core::option::Option::Some(&mut self.#rel_idents),)*
                    _ => ::core::option::Option::None,
                }
            }

            fn key_from_row(values: &#a::RowValues<'_>, offset: usize) -> #a::Result<Self::Key> {
                #(#key_reads)*
                ::core::result::Result::Ok(#key_value)
            }

            fn from_row_at(values: &mut #a::RowValues<'_>, offset: usize) -> #a::Result<Self> {
                #a::check_width(values, offset, #name_str, Self::FIELDS.len())?;
                ::core::result::Result::Ok(#name {
                    #(#takes)*
                    #(#skipped_init)*
                    #(#rel_init)*
                })
            }

            fn column_value(&self, i: usize) -> #a::Value {
                match i {
                    #(#idx => <#tys as #a::FieldType>::to_value(&self.#idents),)*
                    _ => #a::Value::Null,
                }
            }

            fn bind_column(&self, i: usize, slot: &mut #a::Value) {
                match i {
                    #(#idx => <#tys as #a::FieldType>::bind(&self.#idents, slot),)*
                    _ => *slot = #a::Value::Null,
                }
            }

            fn set_column(&mut self, i: usize, v: #a::Value) -> #a::Result<()> {
                match i {
                    #(#sets)*
                    _ => {}
                }
                ::core::result::Result::Ok(())
            }

            fn is_unset(&self, i: usize) -> bool {
                match i {
                    #(#idx => #a::is_unset_field::<Self, #tys>(&self.#idents, i),)*
                    _ => false,
                }
            }

            fn diff(&self, old: &Self, out: &mut ::std::vec::Vec<usize>) {
                #(if self.#idents != old.#idents { out.push(#idx); })*
            }

            fn assign_columns(&mut self, from: Self) {
                #(self.#idents = from.#idents;)*
            }

            fn reset_generated_key(&mut self) {
                match Self::autoincrement_index() {
                    #(::core::option::Option::Some(#idx) => {
                        if let ::core::option::Option::Some(v) = <#tys as #a::FieldType>::unset_key() {
                            self.#idents = v;
                        }
                    })*
                    _ => {}
                }
            }
        }

        impl ::athanor::FromRow for #name where #(#bounds),* {
            fn from_row(row: &::athanor::Row) -> #a::Result<Self> {
                #a::from_row::<Self>(row)
            }
            fn check_columns(names: &[::std::string::String]) -> #a::Result<()> {
                #a::check_row_columns::<Self>(names)
            }
            fn from_row_values(mut values: #a::RowValues<'_>) -> #a::Result<Self> {
                <Self as ::athanor::orm::Model>::from_row_at(&mut values, 0)
            }
        }

        #[allow(dead_code)]
        impl #name {
            #(#consts)*
            #(#rel_consts)*
        }
    }
}
