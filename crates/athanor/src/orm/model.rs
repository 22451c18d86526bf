//! [`Model`]: what `#[derive(Model)]` implements for a mapped struct, and [`Attr`], the typed
//! column constants it emits (`Album::TITLE`).

use std::fmt;
use std::hash::Hash;
use std::marker::PhantomData;

use athanor_core::schema::Table;
use athanor_core::sql::{ColumnRef, Expr, FromItem, IntoColumns};

use crate::{Result, RowValues, Value};

/// A struct mapped to a table: written by `#[derive(Model)]`, not by hand.
///
/// Programs use the table ([`Model::table`]), the key ([`Model::key`]) and the names
/// ([`Model::NAME`], [`Model::FIELDS`]); the other methods are how the session and the flush
/// read and write an object's columns.
///
/// The mapped columns are numbered in the table's order (the fields' order, `skip`ped fields
/// left out); every method that takes a column takes that number. The derive also gives the
/// model a [`FromRow`](crate::FromRow), so `conn.tuples::<Album, _>(&select(Album::table()))`
/// loads plain structs without a session.
///
/// ```
/// use athanor::prelude::*;
///
/// #[derive(Debug, Clone, PartialEq, Model)]
/// #[athanor(table = "Artist")]
/// struct Artist {
///     #[athanor(primary_key, column = "ArtistId")]
///     id: i64,
///     #[athanor(column = "Name", sql_type = Type::Unicode(Some(120)))]
///     name: Option<String>,
/// }
///
/// assert_eq!(Artist::table().name(), "Artist");
/// assert_eq!(Artist::FIELDS, ["id", "name"]);
/// let a = Artist { id: 1, name: Some("AC/DC".into()) };
/// assert_eq!(a.key(), Some(1));
/// let stmt = select(Artist::table()).filter(Artist::NAME.like("A%"));
/// assert_eq!(
///     stmt.compile(&athanor::dialect::Sqlite)?.sql(),
///     r#"SELECT "Artist"."ArtistId", "Artist"."Name" FROM "Artist" WHERE "Artist"."Name" LIKE ?"#
/// );
/// # Ok::<(), athanor::Error>(())
/// ```
pub trait Model: Clone + Send + Sync + 'static {
    /// The primary key: the key field's type (`Option` unwrapped), or a tuple of them in
    /// key order.
    type Key: Clone + Eq + Hash + Send + Sync + fmt::Debug + 'static;
    /// The struct's name (errors and echo name objects `Album(1)`).
    const NAME: &'static str;
    /// The mapped fields' names, in column order.
    const FIELDS: &'static [&'static str];
    /// The positions of the primary-key columns, in key order.
    const PRIMARY_KEY: &'static [usize];
    /// Columns that take a default (client or server side) when the field is `None`.
    const DEFAULTED: &'static [usize];
    /// Each mapped field's Rust type as the model writes it, whether it is an `Option`, and
    /// the column types it maps onto, in column order: what the mapping check
    /// ([`Registry`](super::Registry)) compares with the database.
    #[doc(hidden)]
    const FIELD_INFO: &'static [super::mapping::FieldInfo];

    /// The model's relationships, in field order (the derive writes them).
    #[doc(hidden)]
    const RELATIONSHIPS: &'static [super::relationship::RelInfo] = &[];

    /// A key from its values, in key order.
    ///
    /// # Errors
    /// A value that doesn't convert to its key field's type (NULL included).
    fn key_from_values(values: &[Value]) -> Result<Self::Key>;

    /// Relationship field `i` (in [`Model::RELATIONSHIPS`]' order).
    #[doc(hidden)]
    fn rel_field(&self, i: usize) -> Option<&dyn super::relationship::RelField> {
        let _ = i;
        None
    }

    /// Relationship field `i`, to change.
    #[doc(hidden)]
    fn rel_field_mut(&mut self, i: usize) -> Option<&mut dyn super::relationship::RelField> {
        let _ = i;
        None
    }

    /// The position of the column the database generates the key in (the table's
    /// autoincrement column), if any.
    fn autoincrement_index() -> Option<usize>;
    /// The mapped table (built once). Add it to a [`MetaData`](crate::schema::MetaData) with
    /// [`MetaData::add_table`](crate::schema::MetaData::add_table) to create it with the rest.
    fn table() -> &'static Table;
    /// The object's identity: `None` while a key column is unset (`None`, or `0` for the
    /// autoincrement column).
    fn key(&self) -> Option<Self::Key>;
    /// A key's values, in key order.
    fn key_values(key: &Self::Key) -> Vec<Value>;
    /// Reads the key from a row's values without moving them: the model's columns start at
    /// `offset`.
    ///
    /// # Errors
    /// A key value that doesn't convert (NULL included).
    fn key_from_row(values: &RowValues<'_>, offset: usize) -> Result<Self::Key>;
    /// Builds the object from a row whose model columns start at `offset`, moving the values
    /// out; `skip`ped fields get their `Default`.
    ///
    /// # Errors
    /// A value that doesn't fit its field, naming the column.
    fn from_row_at(values: &mut RowValues<'_>, offset: usize) -> Result<Self>;
    /// Column `i`'s value.
    fn column_value(&self, i: usize) -> Value;
    /// Writes column `i`'s value into a parameter slot.
    fn bind_column(&self, i: usize, slot: &mut Value);
    /// Sets column `i` from a database value.
    ///
    /// # Errors
    /// The value doesn't fit the field.
    fn set_column(&mut self, i: usize, v: Value) -> Result<()>;
    /// True when column `i` holds `None` (or, for the autoincrement column, an unset key).
    fn is_unset(&self, i: usize) -> bool;
    /// Appends the columns whose values differ from `old`'s.
    fn diff(&self, old: &Self, out: &mut Vec<usize>);
    /// Moves every mapped field of `from` into `self`; `skip`ped fields stay.
    fn assign_columns(&mut self, from: Self);
    /// Sets the autoincrement column back to unset (after a failed flush).
    fn reset_generated_key(&mut self);

    /// The number of mapped columns.
    fn width() -> usize {
        Self::FIELDS.len()
    }

    /// `Album(1)`, `Line(3, 1)`: how errors and echo name an object by key.
    fn describe_key(key: &Self::Key) -> String {
        let vals: Vec<String> = Self::key_values(key)
            .iter()
            .map(|v| v.to_string())
            .collect();
        format!("{}({})", Self::NAME, vals.join(", "))
    }
}

/// A typed column constant of a model (`Album::TITLE`), usable wherever the Core takes a
/// column: in `select`, `filter`, `order_by`, `group_by`, joins with Core tables. Its methods
/// build the same expressions as [`Expr`]'s.
///
/// ```
/// use athanor::prelude::*;
/// #[derive(Debug, Clone, PartialEq, Model)]
/// #[athanor(table = "Album")]
/// struct Album {
///     #[athanor(primary_key, column = "AlbumId")] id: i64,
///     #[athanor(column = "Title")] title: String,
/// }
/// let stmt = select((Album::ID, Album::TITLE)).filter(Album::TITLE.like("A%")).order_by(Album::ID.desc());
/// assert_eq!(
///     stmt.compile(&athanor::dialect::Postgres)?.sql(),
///     r#"SELECT "Album"."AlbumId", "Album"."Title" FROM "Album" WHERE "Album"."Title" LIKE $1 ORDER BY "Album"."AlbumId" DESC"#
/// );
/// assert_eq!(Album::TITLE.name(), "Title");
/// # Ok::<(), athanor::Error>(())
/// ```
pub struct Attr<M, T> {
    index: usize,
    name: &'static str,
    _model: PhantomData<fn() -> (M, T)>,
}

impl<M, T> Clone for Attr<M, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<M, T> Copy for Attr<M, T> {}

impl<M, T> fmt::Debug for Attr<M, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Attr({})", self.name)
    }
}

impl<M, T> Attr<M, T> {
    /// The constant for column `index` named `name` (the derive writes these).
    #[doc(hidden)]
    pub const fn new(index: usize, name: &'static str) -> Self {
        Attr {
            index,
            name,
            _model: PhantomData,
        }
    }

    /// The column's name in the table.
    pub fn name(self) -> &'static str {
        self.name
    }

    /// The column's position among the model's mapped columns.
    ///
    /// ```
    /// # use athanor::prelude::*;
    /// # #[derive(Debug, Clone, PartialEq, Model)]
    /// # #[athanor(table = "Album")]
    /// # struct Album {
    /// #     #[athanor(primary_key, column = "AlbumId")] id: i64,
    /// #     #[athanor(column = "Title")] title: String,
    /// # }
    /// assert_eq!((Album::ID.index(), Album::TITLE.index()), (0, 1));
    /// assert_eq!(Album::TITLE.name(), "Title");
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn index(self) -> usize {
        self.index
    }
}

impl<M: Model, T> Attr<M, T> {
    /// The column as a Core expression.
    ///
    /// ```
    /// # use athanor::prelude::*;
    /// # #[derive(Debug, Clone, PartialEq, Model)]
    /// # #[athanor(table = "Album")]
    /// # struct Album {
    /// #     #[athanor(primary_key, column = "AlbumId")] id: i64,
    /// #     #[athanor(column = "Title")] title: String,
    /// # }
    /// let next = select((Album::ID.expr() + 1).label("next"));
    /// assert_eq!(
    ///     next.compile(&athanor::dialect::Sqlite)?.sql(),
    ///     r#"SELECT "Album"."AlbumId" + ? AS next FROM "Album""#
    /// );
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn expr(self) -> Expr {
        let table = M::table();
        Expr::Column(ColumnRef {
            from: FromItem::Table(table.clone()),
            column: table.columns()[self.index].clone(),
        })
    }
}

impl<M: Model, T> From<Attr<M, T>> for Expr {
    fn from(a: Attr<M, T>) -> Expr {
        a.expr()
    }
}

impl<M: Model, T> IntoColumns for Attr<M, T> {
    fn into_columns(self, out: &mut Vec<Expr>) {
        out.push(self.expr());
    }
}

impl<M: Model, T> athanor_core::sql::IntoOrderBy for Attr<M, T> {
    fn into_order_by(self, out: &mut Vec<athanor_core::sql::Ordering>) {
        self.expr().into_order_by(out);
    }
}

impl<M: Model, T> athanor_core::sql::IntoGroupBy for Attr<M, T> {
    fn into_group_by(self, out: &mut Vec<Expr>) {
        self.expr().into_group_by(out);
    }
}

macro_rules! forward {
    ($($(#[$doc:meta])* fn $name:ident($($arg:ident : $ty:ty),*) -> $ret:ty;)+) => {
        impl<M: Model, T> Attr<M, T> {
            $(
                $(#[$doc])*
                pub fn $name(self, $($arg: $ty),*) -> $ret {
                    self.expr().$name($($arg),*)
                }
            )+
        }
    };
}

forward! {
    /// `col = other` (`IS NULL` for a NULL value).
    fn eq(other: impl Into<Expr>) -> Expr;
    /// `col != other`.
    fn ne(other: impl Into<Expr>) -> Expr;
    /// `col < other`.
    fn lt(other: impl Into<Expr>) -> Expr;
    /// `col <= other`.
    fn le(other: impl Into<Expr>) -> Expr;
    /// `col > other`.
    fn gt(other: impl Into<Expr>) -> Expr;
    /// `col >= other`.
    fn ge(other: impl Into<Expr>) -> Expr;
    /// `col IS NULL`.
    fn is_null() -> Expr;
    /// `col IS NOT NULL`.
    fn is_not_null() -> Expr;
    /// `col LIKE pattern`.
    fn like(pattern: impl Into<Expr>) -> Expr;
    /// `col NOT LIKE pattern`.
    fn not_like(pattern: impl Into<Expr>) -> Expr;
    /// Case-insensitive LIKE.
    fn ilike(pattern: impl Into<Expr>) -> Expr;
    /// `col LIKE '%s%'` with `s` escaped.
    fn contains(s: &str) -> Expr;
    /// `col LIKE 's%'` with `s` escaped.
    fn startswith(s: &str) -> Expr;
    /// `col LIKE '%s'` with `s` escaped.
    fn endswith(s: &str) -> Expr;
    /// `col BETWEEN low AND high`.
    fn between(low: impl Into<Expr>, high: impl Into<Expr>) -> Expr;
    /// `col IN (SELECT ...)`.
    fn in_select(select: impl Into<athanor_core::sql::SelectBase>) -> Expr;
    /// `col AS name`.
    fn label(name: impl Into<String>) -> Expr;
    /// `CAST(col AS ty)`.
    fn cast(ty: crate::Type) -> Expr;
    /// `col ASC` in ORDER BY.
    fn asc() -> athanor_core::sql::Ordering;
    /// `col DESC` in ORDER BY.
    fn desc() -> athanor_core::sql::Ordering;
    /// String concatenation.
    fn concat(other: impl Into<Expr>) -> Expr;
}

impl<M: Model, T> Attr<M, T> {
    /// `col IN (values)`, expanded at execution.
    ///
    /// ```
    /// # use athanor::prelude::*;
    /// # #[derive(Debug, Clone, PartialEq, Model)]
    /// # #[athanor(table = "Album")]
    /// # struct Album {
    /// #     #[athanor(primary_key, column = "AlbumId")] id: i64,
    /// #     #[athanor(column = "Title")] title: String,
    /// # }
    /// let some = select(Album::TITLE).filter(Album::ID.in_([1, 2, 3]));
    /// let compiled = some.compile(&athanor::dialect::Postgres)?;
    /// assert_eq!(
    ///     compiled.sql(),
    ///     r#"SELECT "Album"."Title" FROM "Album" WHERE "Album"."AlbumId" IN ($1, $2, $3)"#
    /// );
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn in_<I, V>(self, values: I) -> Expr
    where
        I: IntoIterator<Item = V>,
        V: athanor_core::sql::InItem,
    {
        self.expr().in_(values)
    }

    /// `col NOT IN (values)`.
    pub fn not_in<I, V>(self, values: I) -> Expr
    where
        I: IntoIterator<Item = V>,
        V: athanor_core::sql::InItem,
    {
        self.expr().not_in(values)
    }
}
