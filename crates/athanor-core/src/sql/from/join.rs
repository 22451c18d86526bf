//! Joins: [`Join`], [`JoinKind`], [`JoinOn`] and the `join` methods of [`Table`].

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::error::Error;
use crate::schema::Table;
use crate::sql::expr::Expr;
use crate::sql::from::FromItem;
use crate::sql::from::infer::infer_on;

/// Joins on tables, as SQLAlchemy's `table.join(other)`.
impl Table {
    /// `self JOIN other` with the ON clause inferred from the foreign key between them.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// let md = MetaData::new();
    /// let artist = Table::build("Artist", &md)
    ///     .column(Column::new("ArtistId", Type::Integer).primary_key())
    ///     .column(Column::new("Name", Type::Unicode(Some(120))))
    ///     .finish()?;
    /// let album = Table::build("Album", &md)
    ///     .column(Column::new("AlbumId", Type::Integer).primary_key())
    ///     .column(Column::new("ArtistId", Type::Integer).foreign_key(ForeignKey::new("Artist.ArtistId")))
    ///     .finish()?;
    /// let stmt = select(artist.c("Name")).select_from(artist.join(&album));
    /// assert_eq!(stmt.to_string(),
    ///   r#"SELECT "Artist"."Name" FROM "Artist" JOIN "Album" ON "Artist"."ArtistId" = "Album"."ArtistId""#);
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn join(&self, other: impl Into<FromItem>) -> FromItem {
        FromItem::Table(self.clone()).join(other)
    }
    /// `self LEFT OUTER JOIN other`, ON inferred from foreign keys.
    pub fn outerjoin(&self, other: impl Into<FromItem>) -> FromItem {
        FromItem::Table(self.clone()).outerjoin(other)
    }
    /// `self JOIN other ON on`.
    pub fn join_on(&self, other: impl Into<FromItem>, on: impl Into<Expr>) -> FromItem {
        FromItem::Table(self.clone()).join_on(other, on)
    }
    /// `self LEFT OUTER JOIN other ON on`.
    pub fn outerjoin_on(&self, other: impl Into<FromItem>, on: impl Into<Expr>) -> FromItem {
        FromItem::Table(self.clone()).outerjoin_on(other, on)
    }
}

/// The kind of a join.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JoinKind {
    /// `JOIN` (inner).
    Inner,
    /// `LEFT OUTER JOIN`.
    Left,
    /// `FULL OUTER JOIN`.
    Full,
}

/// A join of two FROM items.
#[derive(Debug, Hash)]
pub struct Join {
    /// The left side.
    pub left: FromItem,
    /// The right side.
    pub right: FromItem,
    /// The join kind.
    pub kind: JoinKind,
    /// The ON condition, or why it could not be inferred.
    pub on: JoinOn,
}

/// A join's ON clause, or the error from inferring it (reported when the statement compiles).
#[derive(Debug)]
pub enum JoinOn {
    /// The condition.
    On(Expr),
    /// Inference failed.
    Error(Arc<Error>),
}

impl Hash for JoinOn {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self {
            JoinOn::On(e) => e.hash(state),
            JoinOn::Error(e) => e.to_string().hash(state),
        }
    }
}

impl Join {
    pub(crate) fn with_on(left: FromItem, right: FromItem, on: Expr, kind: JoinKind) -> FromItem {
        FromItem::Join(Arc::new(Join {
            left,
            right,
            kind,
            on: JoinOn::On(on),
        }))
    }

    /// `base JOIN right`, where `left` is `base` or one of its parts: the ON clause is `on`, or
    /// inferred from the foreign key between `left` and `right`.
    pub(crate) fn extend(
        base: FromItem,
        left: &FromItem,
        right: FromItem,
        on: Option<Expr>,
        kind: JoinKind,
    ) -> FromItem {
        let on = match on {
            Some(e) => JoinOn::On(e),
            None => match infer_on(left, &right) {
                Ok(e) => JoinOn::On(e),
                Err(e) => JoinOn::Error(Arc::new(e)),
            },
        };
        FromItem::Join(Arc::new(Join {
            left: base,
            right,
            kind,
            on,
        }))
    }

    /// `left JOIN right` whose ON clause is an error (reported when the statement compiles).
    pub(crate) fn failed(left: FromItem, right: FromItem, kind: JoinKind, e: Error) -> FromItem {
        FromItem::Join(Arc::new(Join {
            left,
            right,
            kind,
            on: JoinOn::Error(Arc::new(e)),
        }))
    }

    pub(crate) fn inferred(left: FromItem, right: FromItem, kind: JoinKind) -> FromItem {
        let on = match infer_on(&left, &right) {
            Ok(e) => JoinOn::On(e),
            Err(e) => JoinOn::Error(Arc::new(e)),
        };
        FromItem::Join(Arc::new(Join {
            left,
            right,
            kind,
            on,
        }))
    }
}
