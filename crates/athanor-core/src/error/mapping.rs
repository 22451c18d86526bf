//! [`MappingError`]: every mismatch between mapped models and the database's tables.

use std::fmt;

/// The mismatches between mapped models and the database's tables, all of them (the ORM's
/// mapping check, `athanor::orm::Registry::check`). `Display` lists one per line.
///
/// ```
/// use athanor_core::error::{MappingError, Mismatch, MismatchKind};
/// let e = MappingError::new(vec![
///     Mismatch::new("Album", "Album", MismatchKind::MissingColumn { similar: None }).on("title", "Title"),
///     Mismatch::new("Genre", "Genre", MismatchKind::MissingTable),
/// ]);
/// assert_eq!(e.to_string(), "2 mapping mismatches between the models and the database:\n  \
///     Album.title: table \"Album\" has no column \"Title\"\n  \
///     Genre: table \"Genre\" does not exist");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MappingError {
    /// Every mismatch, model by model in the order the models were registered.
    pub mismatches: Vec<Mismatch>,
}

impl MappingError {
    /// The error for these mismatches.
    pub fn new(mismatches: Vec<Mismatch>) -> Self {
        MappingError { mismatches }
    }
}

impl fmt::Display for MappingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.mismatches.len();
        write!(
            f,
            "{n} mapping mismatch{} between the models and the database:",
            if n == 1 { "" } else { "es" }
        )?;
        for m in &self.mismatches {
            write!(f, "\n  {m}")?;
        }
        Ok(())
    }
}

impl std::error::Error for MappingError {}

/// One difference between a model and its table in the database.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Mismatch {
    /// The model (the struct's name).
    pub model: String,
    /// The table, schema-qualified when the model names a schema.
    pub table: String,
    /// The model's field, when the mismatch concerns one.
    pub field: Option<String>,
    /// The column, when the mismatch concerns one.
    pub column: Option<String>,
    /// What differs.
    pub kind: MismatchKind,
}

impl Mismatch {
    /// A mismatch of a whole model and table.
    pub fn new(model: impl Into<String>, table: impl Into<String>, kind: MismatchKind) -> Self {
        Mismatch {
            model: model.into(),
            table: table.into(),
            field: None,
            column: None,
            kind,
        }
    }

    /// Names the field and column it concerns.
    pub fn on(mut self, field: impl Into<String>, column: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self.column = Some(column.into());
        self
    }

    /// Names the column it concerns (a column no field maps).
    pub fn column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (model, table) = (&self.model, &self.table);
        match &self.field {
            Some(field) => write!(f, "{model}.{field}: ")?,
            None => write!(f, "{model}: ")?,
        }
        let column = self.column.as_deref().unwrap_or("?");
        match &self.kind {
            MismatchKind::MissingTable => write!(f, "table \"{table}\" does not exist"),
            MismatchKind::MissingColumn { similar: None } => {
                write!(f, "table \"{table}\" has no column \"{column}\"")
            }
            MismatchKind::MissingColumn {
                similar: Some(other),
            } => write!(
                f,
                "table \"{table}\" has no column \"{column}\" (it has \"{other}\": names are compared exactly)"
            ),
            MismatchKind::IncompatibleType {
                rust_type,
                sql_type,
            } => write!(
                f,
                "column \"{column}\" is {sql_type}, which a field of type `{rust_type}` can't hold"
            ),
            MismatchKind::Nullable { rust_type } => write!(
                f,
                "column \"{column}\" is nullable but the field is `{rust_type}`, not an Option: loading a NULL would fail"
            ),
            MismatchKind::NotGenerated => write!(
                f,
                "the model leaves key column \"{column}\" to the database, which has no default, sequence or autoincrement for it: an INSERT without a key would fail"
            ),
            MismatchKind::UnmappedColumn { sql_type } => write!(
                f,
                "column \"{column}\" of table \"{table}\" ({sql_type} NOT NULL, no default) is not mapped: an INSERT would fail"
            ),
            MismatchKind::PrimaryKey { model, database } => write!(
                f,
                "the primary key of table \"{table}\" is ({}) in the model, {} in the database",
                model.join(", "),
                if database.is_empty() {
                    "none".to_string()
                } else {
                    format!("({})", database.join(", "))
                }
            ),
            MismatchKind::Relationship { reason } => write!(f, "{reason}"),
        }
    }
}

/// What differs between a model and its table ([`Mismatch`]).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum MismatchKind {
    /// The model's table does not exist.
    MissingTable,
    /// A mapped column does not exist in the table.
    MissingColumn {
        /// A column whose name differs only in case, if the table has one.
        similar: Option<String>,
    },
    /// The column's type can't be read into (or written from) the field's Rust type.
    IncompatibleType {
        /// The field's type, as written in the model.
        rust_type: String,
        /// The column's type, as the database declares it.
        sql_type: String,
    },
    /// A nullable column mapped by a field that isn't an `Option`.
    Nullable {
        /// The field's type, as written in the model.
        rust_type: String,
    },
    /// The model expects the database to generate its key (an autoincrement key), and the
    /// column has no way to.
    NotGenerated,
    /// A NOT NULL column without a default that no field maps.
    UnmappedColumn {
        /// The column's type, as the database declares it.
        sql_type: String,
    },
    /// The model's key columns are not the table's primary key.
    PrimaryKey {
        /// The model's key columns, in key order.
        model: Vec<String>,
        /// The table's primary-key columns (empty when it has none).
        database: Vec<String>,
    },
    /// A relationship the tables' foreign keys can't support (no foreign key, several without
    /// `fk`, a `back_populates` partner or `order_by` column that doesn't exist).
    Relationship {
        /// What is wrong, naming the relationship.
        reason: String,
    },
}
