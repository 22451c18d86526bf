//! [`exists()`]: SQLAlchemy's zero-argument `exists()`, built up with `filter` and
//! `select_from` (a SELECT's own [`Select::exists`] makes the same from a whole SELECT).

use std::sync::Arc;

use crate::sql::expr::Expr;
use crate::sql::from::FromItem;
use crate::sql::select::{IntoColumns, Select, SelectBase, select};

/// `EXISTS (SELECT * ...)` under construction (SQLAlchemy's `exists()`): add conditions with
/// [`Exists::filter`] and tables with [`Exists::select_from`]; use it where an expression
/// goes (`filter`, `!`, `&`, `|`, a SELECT list). Its tables correlate to the enclosing
/// query, as any subquery's do.
///
/// ```
/// use athanor_core::prelude::*;
/// let md = MetaData::new();
/// let artist = Table::build("artist", &md)
///     .column(Column::new("id", Type::Integer).primary_key())
///     .column(Column::new("name", Type::String(Some(50))))
///     .finish()?;
/// let album = Table::build("album", &md)
///     .column(Column::new("artist_id", Type::Integer))
///     .finish()?;
/// let has_albums = exists().filter(album.c("artist_id").eq(artist.c("id")));
/// assert_eq!(
///     select(artist.c("name")).filter(has_albums.clone()).to_string(),
///     "SELECT artist.name FROM artist WHERE EXISTS (SELECT * FROM album WHERE album.artist_id = artist.id)"
/// );
/// assert_eq!(
///     select(artist.c("name")).filter(!has_albums).to_string(),
///     "SELECT artist.name FROM artist WHERE NOT EXISTS (SELECT * FROM album WHERE album.artist_id = artist.id)"
/// );
/// # Ok::<(), athanor_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Exists {
    select: Select,
}

/// `EXISTS (SELECT * ...)`: SQLAlchemy's zero-argument `exists()`; see [`Exists`]. For an
/// existing SELECT, use [`Select::exists`].
pub fn exists() -> Exists {
    Exists {
        select: select(Expr::Star(None)),
    }
}

impl Exists {
    /// Adds a WHERE condition to the inner SELECT; several are ANDed.
    pub fn filter(self, cond: impl Into<Expr>) -> Self {
        Exists {
            select: self.select.filter(cond),
        }
    }
    /// Adds a FROM item to the inner SELECT (when no condition names its table).
    pub fn select_from(self, from: impl Into<FromItem>) -> Self {
        Exists {
            select: self.select.select_from(from),
        }
    }
    /// `EXISTS (...) AS name`, for a SELECT list.
    pub fn label(self, name: impl Into<String>) -> Expr {
        Expr::from(self).label(name)
    }
}

impl From<Exists> for Expr {
    fn from(e: Exists) -> Expr {
        Expr::Exists(Arc::new(SelectBase::Select(Box::new(e.select))))
    }
}

impl IntoColumns for Exists {
    fn into_columns(self, out: &mut Vec<Expr>) {
        out.push(Expr::from(self));
    }
}

impl std::ops::Not for Exists {
    type Output = Expr;
    fn not(self) -> Expr {
        !Expr::from(self)
    }
}

impl<T: Into<Expr>> std::ops::BitAnd<T> for Exists {
    type Output = Expr;
    fn bitand(self, rhs: T) -> Expr {
        Expr::from(self) & rhs
    }
}

impl<T: Into<Expr>> std::ops::BitOr<T> for Exists {
    type Output = Expr;
    fn bitor(self, rhs: T) -> Expr {
        Expr::from(self) | rhs
    }
}
