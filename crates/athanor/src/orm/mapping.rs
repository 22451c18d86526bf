//! [`Registry`]: the mapping check. Models are compiled against nothing but themselves; a
//! registry compares them with the tables a database really has (SQLAlchemy's
//! `DeferredReflection.prepare(engine)`, or `mapper()` onto an autoloaded table) and reports
//! every mismatch at once.

use std::any::TypeId;

use athanor_core::error::{MappingError, Mismatch, MismatchKind};
use athanor_core::schema::{MetaData, Table};

use super::model::Model;
use crate::{Engine, Error, Result, Type};

/// What the mapping check knows of one mapped field (written by `#[derive(Model)]`).
#[derive(Debug, Clone, Copy)]
pub struct FieldInfo {
    /// The field's type as the model writes it (`Option<String>`).
    pub rust_type: &'static str,
    /// True for an `Option`.
    pub nullable: bool,
    /// [`FieldType::accepts`](super::FieldType::accepts) of the field's type.
    pub accepts: fn(&Type) -> bool,
}

/// One registered model: its description, without its type.
#[derive(Clone, Copy)]
struct Entry {
    id: TypeId,
    name: &'static str,
    table: fn() -> &'static Table,
    fields: &'static [&'static str],
    info: &'static [FieldInfo],
    primary_key: &'static [usize],
    autoincrement: fn() -> Option<usize>,
    relationships: &'static [super::relationship::RelInfo],
}

/// A set of models, checked together against a database (SQLAlchemy's `registry` with
/// `DeferredReflection`): [`Registry::check`] reflects each model's table and reports every
/// mismatch in one [`Error::Mapping`].
///
/// What is compared, model by model (a model's table is looked up under its name and schema):
///
/// | mismatch ([`MismatchKind`]) | when | why it matters |
/// |---|---|---|
/// | `MissingTable` | the table doesn't exist | every statement fails |
/// | `MissingColumn` | a mapped column doesn't exist (names compared exactly; a name differing only in case is shown) | every load fails |
/// | `IncompatibleType` | the column's reflected type is not one the field's Rust type maps onto ([`FieldType::accepts`](super::FieldType::accepts)): an `i64` on `TEXT`, an `i32` on `BIGINT`, a `NaiveDate` on a timestamp | loads fail or values don't fit |
/// | `Nullable` | a field that isn't an `Option` on a nullable column (not a primary-key column) | loading a NULL fails |
/// | `NotGenerated` | the model leaves its key to the database (an autoincrement key) and the column has no default, sequence or autoincrement | an INSERT of a new object fails |
/// | `UnmappedColumn` | a column no field maps is NOT NULL without a default (and not generated) | an INSERT fails |
/// | `PrimaryKey` | the model's key columns are not the table's primary key (compared as sets) | the identity map could hold two objects for one row, or one for two |
///
/// Not mismatches: an `Option` field on a NOT NULL column (the field is merely wider); a
/// `String` on `NVARCHAR(120)` or any length (a value too long is the database's error on
/// write, as for any statement); an `f64` on `NUMERIC` (SQLAlchemy's `Float(asdecimal=False)`);
/// an unmapped column that is nullable or has a default (SQLAlchemy maps a subset of a table's
/// columns too); foreign keys, indexes and constraints (they change no load or write of the
/// mapped columns).
///
/// ```
/// use athanor::orm::Registry;
/// use athanor::error::MismatchKind;
/// use athanor::prelude::*;
///
/// #[derive(Debug, Clone, PartialEq, Model)]
/// #[athanor(table = "artist")]
/// struct Artist {
///     #[athanor(primary_key)]
///     id: i64,
///     name: Option<String>,
/// }
///
/// #[derive(Debug, Clone, PartialEq, Model)]
/// #[athanor(table = "album")]
/// struct Album {
///     #[athanor(primary_key)]
///     id: i64,
///     title: String,
///     year: i64,
/// }
///
/// let engine = create_engine("sqlite://")?;
/// let mut conn = engine.connect()?;
/// conn.execute(&text("CREATE TABLE artist (id INTEGER PRIMARY KEY, name VARCHAR(120))"))?;
/// conn.execute(&text(
///     "CREATE TABLE album (id INTEGER PRIMARY KEY, title VARCHAR(160), year TEXT NOT NULL, artist_id INTEGER NOT NULL)",
/// ))?;
///
/// // The artist matches; the album doesn't, in three ways, all reported.
/// Registry::new().model::<Artist>().check(&engine)?;
/// let err = Registry::new().model::<Artist>().model::<Album>().check(&engine).unwrap_err();
/// let Error::Mapping(report) = &err else { panic!("{err}") };
/// let kinds: Vec<&MismatchKind> = report.mismatches.iter().map(|m| &m.kind).collect();
/// assert!(matches!(kinds[..], [
///     MismatchKind::Nullable { .. },
///     MismatchKind::IncompatibleType { .. },
///     MismatchKind::UnmappedColumn { .. },
/// ]));
/// assert_eq!(err.to_string(), "3 mapping mismatches between the models and the database:
///   Album.title: column \"title\" is nullable but the field is `String`, not an Option: loading a NULL would fail
///   Album.year: column \"year\" is TEXT, which a field of type `i64` can't hold
///   Album: column \"artist_id\" of table \"album\" (INTEGER NOT NULL, no default) is not mapped: an INSERT would fail");
/// # Ok::<(), athanor::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct Registry {
    entries: Vec<Entry>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.entries.iter().map(|e| e.name).collect();
        write!(f, "Registry({})", names.join(", "))
    }
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Registry {
        Registry::default()
    }

    /// Adds model `M` (once: adding it again changes nothing).
    pub fn model<M: Model>(mut self) -> Registry {
        self.add::<M>();
        self
    }

    /// Adds model `M` in place (once).
    pub fn add<M: Model>(&mut self) -> &mut Registry {
        let id = TypeId::of::<M>();
        if !self.entries.iter().any(|e| e.id == id) {
            self.entries.push(Entry {
                id,
                name: M::NAME,
                table: M::table,
                fields: M::FIELDS,
                info: M::FIELD_INFO,
                primary_key: M::PRIMARY_KEY,
                autoincrement: M::autoincrement_index,
                relationships: M::RELATIONSHIPS,
            });
        }
        self
    }

    /// The registered models' tables, in the order the models were added.
    pub fn tables(&self) -> Vec<&'static Table> {
        self.entries.iter().map(|e| (e.table)()).collect()
    }

    /// A [`MetaData`] holding the registered models' tables (to `create_all` them: it creates
    /// them in foreign-key order).
    ///
    /// # Errors
    /// [`Error::Argument`] when two models map tables of the same name differently.
    pub fn metadata(&self) -> Result<MetaData> {
        let md = MetaData::new();
        for t in self.tables() {
            md.add_table(t)?;
        }
        Ok(md)
    }

    /// Every mismatch between the registered models and the database's tables, in the order
    /// the models were added (an empty list when they match).
    ///
    /// # Errors
    /// The database's error while reflecting (a missing table is a mismatch, not an error).
    pub fn mismatches(&self, engine: &Engine) -> Result<Vec<Mismatch>> {
        let insp = engine.inspect();
        let mut out = Vec::new();
        for e in &self.entries {
            let table = (e.table)();
            let reflected = match insp.reflect_table(table.name(), table.schema()) {
                Ok(r) => r,
                Err(Error::NoSuchTable { .. }) => {
                    out.push(Mismatch::new(
                        e.name,
                        table.fullname(),
                        MismatchKind::MissingTable,
                    ));
                    continue;
                }
                Err(err) => return Err(err),
            };
            check_model(e, table, &reflected, &mut out);
            // Relationships: worked out from the models' foreign keys.
            for (i, info) in e.relationships.iter().enumerate() {
                if let Err(err) = info.ops.resolve(i) {
                    out.push(Mismatch::new(
                        e.name,
                        table.fullname(),
                        MismatchKind::Relationship {
                            reason: err.to_string(),
                        },
                    ));
                }
            }
        }
        Ok(out)
    }

    /// Checks the registered models against the database: `Ok` when every model matches its
    /// table, else one [`Error::Mapping`] listing every mismatch (see the table above).
    ///
    /// # Errors
    /// [`Error::Mapping`]; the database's error while reflecting.
    pub fn check(&self, engine: &Engine) -> Result<()> {
        let found = self.mismatches(engine)?;
        if found.is_empty() {
            Ok(())
        } else {
            Err(Error::Mapping(MappingError::new(found)))
        }
    }
}

fn check_model(
    e: &Entry,
    table: &Table,
    reflected: &athanor_core::dialect::reflection::ReflectedTable,
    out: &mut Vec<Mismatch>,
) {
    let fullname = table.fullname();
    let mismatch = |kind| Mismatch::new(e.name, fullname.clone(), kind);
    let db_key = &reflected.primary_key.constrained_columns;
    let auto = (e.autoincrement)();
    for (i, col) in table.columns().iter().enumerate() {
        let (Some(field), Some(info)) = (e.fields.get(i), e.info.get(i)) else {
            continue;
        };
        let name = col.name();
        let Some(rc) = reflected.columns.iter().find(|c| c.name == name) else {
            let similar = reflected
                .columns
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case(name))
                .map(|c| c.name.clone());
            out.push(mismatch(MismatchKind::MissingColumn { similar }).on(*field, name));
            continue;
        };
        if !(info.accepts)(&rc.ty) {
            out.push(
                mismatch(MismatchKind::IncompatibleType {
                    rust_type: info.rust_type.to_string(),
                    sql_type: rc.type_text(),
                })
                .on(*field, name),
            );
        }
        // A primary-key column holds no NULL (SQLite's legacy NULLs in a non-integer key
        // aside), whatever the catalog says.
        if rc.nullable && !info.nullable && !db_key.iter().any(|k| k == name) {
            out.push(
                mismatch(MismatchKind::Nullable {
                    rust_type: info.rust_type.to_string(),
                })
                .on(*field, name),
            );
        }
        if auto == Some(i) && !rc.autoincrement && rc.default.is_none() {
            out.push(mismatch(MismatchKind::NotGenerated).on(*field, name));
        }
    }
    for rc in &reflected.columns {
        let mapped = table.columns().iter().any(|c| c.name() == rc.name);
        if !mapped && !rc.nullable && rc.default.is_none() && !rc.autoincrement {
            out.push(
                mismatch(MismatchKind::UnmappedColumn {
                    sql_type: rc.type_text(),
                })
                .column(rc.name.clone()),
            );
        }
    }
    let model_key: Vec<String> = e
        .primary_key
        .iter()
        .filter_map(|&i| table.columns().get(i).map(|c| c.name().to_string()))
        .collect();
    let mut a: Vec<&String> = model_key.iter().collect();
    let mut b: Vec<&String> = db_key.iter().collect();
    a.sort();
    b.sort();
    if a != b {
        out.push(mismatch(MismatchKind::PrimaryKey {
            model: model_key.clone(),
            database: db_key.clone(),
        }));
    }
}
