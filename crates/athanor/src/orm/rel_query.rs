//! Relationships in queries: joins along a relationship ([`Query::join`]`(Track::album)`,
//! SQLAlchemy's `query.join(Track.album)`) and EXISTS filters ([`Rel::any`], [`Rel::has`],
//! [`Rel::exists`]; SQLAlchemy's `Artist.albums.any(...)`, `Album.artist.has(...)`).
//!
//! Both take their conditions from the relationship as [`resolved`] works it out (the
//! foreign key's columns, the secondary table's for many-to-many), written as SQLAlchemy
//! writes them: the referred column first (`"Album"."AlbumId" = "Track"."AlbumId"`). A
//! relationship that doesn't resolve (no foreign key, several without `fk`) doesn't fail where
//! the query is built: the statement carries the error, and running or compiling it reports
//! it, as a Core join whose ON clause can't be inferred does.
//!
//! [`Query::join`]: super::Query::join

use std::any::TypeId;
use std::sync::Arc;

use athanor_core::schema::Table;
use athanor_core::sql::{
    Expr, FromItem, Join, JoinKind, JoinOn, Select, and_, literal_column, select,
};

use super::model::Model;
use super::rel_resolve::{Resolved, resolved};
use super::relationship::{Direction, Many, One, Rel, RelKind};
use crate::{Error, Result};

mod sealed {
    pub trait Sealed {}
}

/// What [`Query::join`](super::Query::join) and [`Query::outerjoin`](super::Query::outerjoin)
/// take: a relationship (`Track::album`, the ON clause from its foreign key), or anything a
/// FROM clause holds (a table, an alias, a CTE, a join; the ON clause inferred from the foreign
/// keys between the tables). Implemented by Athanor only.
pub trait IntoJoinTarget: sealed::Sealed {
    #[doc(hidden)]
    fn into_join_target(self) -> JoinTarget;
}

/// A join's right side, as [`IntoJoinTarget`] gives it.
#[doc(hidden)]
pub struct JoinTarget(Target);

enum Target {
    From(FromItem),
    Rel(RelJoin),
}

impl<T: Into<FromItem>> sealed::Sealed for T {}
impl<T: Into<FromItem>> IntoJoinTarget for T {
    fn into_join_target(self) -> JoinTarget {
        JoinTarget(Target::From(self.into()))
    }
}

impl<P, C, K> sealed::Sealed for Rel<P, C, K> {}
impl<P: Model, C: Model, K: RelKind> IntoJoinTarget for Rel<P, C, K> {
    fn into_join_target(self) -> JoinTarget {
        JoinTarget(Target::Rel(RelJoin::of(self)))
    }
}

/// A relationship, types erased, with what a join or an EXISTS needs of it.
struct RelJoin {
    qualname: &'static str,
    parent: &'static Table,
    target: &'static Table,
    self_ref: bool,
    resolved: Result<&'static Resolved>,
}

impl RelJoin {
    fn of<P: Model, C: Model, K: RelKind>(rel: Rel<P, C, K>) -> RelJoin {
        RelJoin {
            qualname: rel.info().qualname,
            parent: P::table(),
            target: C::table(),
            self_ref: TypeId::of::<P>() == TypeId::of::<C>(),
            resolved: resolved::<P, C>(rel.index()),
        }
    }

    /// A FROM item that fails the statement with `e` when it is compiled.
    fn failed(&self, e: Error) -> FromItem {
        FromItem::Join(Arc::new(Join {
            left: FromItem::from(self.parent),
            right: FromItem::from(self.target),
            kind: JoinKind::Inner,
            on: JoinOn::Error(Arc::new(e)),
        }))
    }

    fn self_ref_error(&self, what: &str) -> Error {
        Error::InvalidRequest(format!(
            "{what} {q}: {q} is self-referential (the parent and the target are the same table), \
             so the target needs an alias: write it with {hint}",
            q = self.qualname,
            hint = if what == "can't join" {
                "join_on(Table::alias(..), condition)"
            } else {
                "exists().select_from(Table::alias(..)).filter(condition)"
            },
        ))
    }
}

/// `parent.c = other.c AND ...` for paired columns, the first item's columns first.
fn pairs(left: &[Expr], right: &[Expr]) -> Expr {
    let mut conds: Vec<Expr> = left
        .iter()
        .zip(right)
        .map(|(l, r)| l.clone().eq(r.clone()))
        .collect();
    if conds.len() == 1 {
        conds.pop().unwrap_or(Expr::Bool(true))
    } else {
        and_(conds)
    }
}

fn cols(t: &Table, idx: &[usize]) -> Vec<Expr> {
    idx.iter().map(|&i| t.c(t.columns()[i].name())).collect()
}

/// The condition between parent and target of a one-to-many or many-to-one relationship:
/// the referred columns first, as SQLAlchemy writes its `primaryjoin`.
fn direct_on(r: &Resolved, parent: &Table, target: &Table) -> Expr {
    let local = cols(parent, &r.local);
    let remote = cols(target, &r.remote);
    match r.dir {
        Direction::ManyToOne => pairs(&remote, &local),
        _ => pairs(&local, &remote),
    }
}

/// Applies `stmt.join(rel)`: the join from the relationship's parent (joined onto the FROM
/// entry holding it, or added) to its target; many-to-many through the secondary table,
/// aliased `<secondary>_<n>` as SQLAlchemy aliases it (`n` from 1, the first name not in
/// `aliases`, the names the query's joins gave before).
pub(crate) fn join(
    stmt: Select,
    target: JoinTarget,
    kind: JoinKind,
    aliases: &mut Vec<String>,
) -> Select {
    let rel = match target.0 {
        Target::From(f) => {
            return match kind {
                JoinKind::Left => stmt.outerjoin(f),
                _ => stmt.join(f),
            };
        }
        Target::Rel(rel) => rel,
    };
    let r = match &rel.resolved {
        Ok(r) => *r,
        Err(e) => return stmt.select_from(rel.failed(copy_error(e))),
    };
    if rel.self_ref {
        let e = rel.self_ref_error("can't join");
        return stmt.select_from(rel.failed(e));
    }
    let outer = kind == JoinKind::Left;
    match &r.secondary {
        None => {
            let on = direct_on(r, rel.parent, rel.target);
            if outer {
                stmt.outerjoin_from_on(rel.parent, rel.target, on)
            } else {
                stmt.join_from_on(rel.parent, rel.target, on)
            }
        }
        Some(sec) => {
            let name = (1..)
                .map(|n| format!("{}_{n}", sec.table.name()))
                .find(|a| !aliases.contains(a))
                .unwrap_or_default();
            aliases.push(name.clone());
            let alias = sec.table.alias(name);
            let pj = pairs(
                &cols(rel.parent, &r.local),
                &sec.local_cols.iter().map(|c| alias.c(c)).collect::<Vec<_>>(),
            );
            let sj = pairs(
                &cols(rel.target, &r.remote),
                &sec.remote_cols.iter().map(|c| alias.c(c)).collect::<Vec<_>>(),
            );
            if outer {
                // parent LEFT OUTER JOIN (secondary JOIN target ON sj) ON pj, as SQLAlchemy
                // nests it: a parent without a related row keeps one row of NULLs.
                let right = FromItem::from(&alias).join_on(rel.target, sj);
                stmt.outerjoin_from_on(rel.parent, right, pj)
            } else {
                stmt.join_from_on(rel.parent, &alias, pj)
                    .join_from_on(&alias, rel.target, sj)
            }
        }
    }
}

/// The resolution error again (errors aren't `Clone`; a relationship's errors are these).
fn copy_error(e: &Error) -> Error {
    match e {
        Error::NoForeignKeys { left, right, hint } => Error::NoForeignKeys {
            left: left.clone(),
            right: right.clone(),
            hint: hint.clone(),
        },
        Error::AmbiguousForeignKeys { left, right, hint } => Error::AmbiguousForeignKeys {
            left: left.clone(),
            right: right.clone(),
            hint: hint.clone(),
        },
        Error::Argument(m) => Error::Argument(m.clone()),
        other => Error::InvalidRequest(other.to_string()),
    }
}

/// `EXISTS (SELECT 1 FROM target [, secondary] WHERE <join condition> [AND cond])`, correlated
/// to the parent's table in the enclosing query (SQLAlchemy's `_criterion_exists`).
fn criterion_exists(rel: &RelJoin, cond: Option<Expr>) -> Expr {
    let one = || select(literal_column("1"));
    let r = match &rel.resolved {
        Ok(r) => *r,
        Err(e) => return one().select_from(rel.failed(copy_error(e))).exists(),
    };
    if rel.self_ref {
        let e = rel.self_ref_error("can't filter by");
        return one().select_from(rel.failed(e)).exists();
    }
    let (mut inner, on) = match &r.secondary {
        None => (
            one().select_from(rel.target),
            direct_on(r, rel.parent, rel.target),
        ),
        Some(sec) => {
            let pj = pairs(
                &cols(rel.parent, &r.local),
                &sec.local_cols.iter().map(|c| sec.table.c(c)).collect::<Vec<_>>(),
            );
            let sj = pairs(
                &cols(rel.target, &r.remote),
                &sec.remote_cols.iter().map(|c| sec.table.c(c)).collect::<Vec<_>>(),
            );
            (
                one().select_from(rel.target).select_from(sec.table),
                pj & sj,
            )
        }
    };
    inner = inner.filter(match cond {
        Some(c) => on & c,
        None => on,
    });
    inner.exists()
}

impl<P: Model, C: Model> Rel<P, C, Many> {
    /// `EXISTS` a related object meeting `cond` (SQLAlchemy's `Artist.albums.any(cond)`): a
    /// correlated subquery to use in `filter`. A many-to-many relationship goes through its
    /// secondary table. For "any related object at all", see [`Rel::exists`].
    ///
    /// A relationship that doesn't resolve (no foreign key between the tables, several
    /// without `fk`) makes the statement fail when it runs, with that error; so does a
    /// self-referential one (its target would need an alias).
    ///
    /// ```
    /// use athanor::prelude::*;
    /// use athanor::orm::{Collection, Related};
    /// #[derive(Debug, Clone, PartialEq, Default, Model)]
    /// #[athanor(table = "Artist")]
    /// struct Artist {
    ///     #[athanor(primary_key, column = "ArtistId")] id: i64,
    ///     #[athanor(column = "Name")] name: Option<String>,
    ///     albums: Collection<Album>,
    /// }
    /// #[derive(Debug, Clone, PartialEq, Default, Model)]
    /// #[athanor(table = "Album")]
    /// struct Album {
    ///     #[athanor(primary_key, column = "AlbumId")] id: i64,
    ///     #[athanor(column = "Title")] title: String,
    ///     #[athanor(column = "ArtistId", foreign_key = "Artist.ArtistId")] artist_id: i64,
    ///     artist: Related<Artist>,
    /// }
    /// let (engine, _) = athanor::chinook::load()?;
    /// let mut s = Session::new(&engine);
    /// let q = s.query_as::<Option<String>>(Artist::NAME)
    ///     .filter(Artist::albums.any(Album::TITLE.like("%Rock%")))
    ///     .order_by(Artist::NAME)
    ///     .limit(2);
    /// assert_eq!(
    ///     q.statement().compile(&athanor::dialect::Sqlite)?.sql(),
    ///     r#"SELECT "Artist"."Name" FROM "Artist" WHERE EXISTS (SELECT 1 FROM "Album" WHERE "Artist"."ArtistId" = "Album"."ArtistId" AND "Album"."Title" LIKE ?) ORDER BY "Artist"."Name" LIMIT ?"#
    /// );
    /// assert_eq!(q.all()?, [Some("AC/DC".to_string()), Some("Deep Purple".to_string())]);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn any(self, cond: impl Into<Expr>) -> Expr {
        criterion_exists(&RelJoin::of(self), Some(cond.into()))
    }
}

impl<P: Model, C: Model> Rel<P, C, One> {
    /// `EXISTS` the related object, meeting `cond` (SQLAlchemy's `Album.artist.has(cond)`): a
    /// correlated subquery to use in `filter`. For "has a related object at all", see
    /// [`Rel::exists`]. Errors are reported as [`Rel::any`]'s.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// use athanor::orm::{Collection, Related};
    /// #[derive(Debug, Clone, PartialEq, Default, Model)]
    /// #[athanor(table = "Artist")]
    /// struct Artist {
    ///     #[athanor(primary_key, column = "ArtistId")] id: i64,
    ///     #[athanor(column = "Name")] name: Option<String>,
    ///     albums: Collection<Album>,
    /// }
    /// #[derive(Debug, Clone, PartialEq, Default, Model)]
    /// #[athanor(table = "Album")]
    /// struct Album {
    ///     #[athanor(primary_key, column = "AlbumId")] id: i64,
    ///     #[athanor(column = "Title")] title: String,
    ///     #[athanor(column = "ArtistId", foreign_key = "Artist.ArtistId")] artist_id: i64,
    ///     artist: Related<Artist>,
    /// }
    /// let (engine, _) = athanor::chinook::load()?;
    /// let mut s = Session::new(&engine);
    /// let q = s.query_as::<String>(Album::TITLE)
    ///     .filter(Album::artist.has(Artist::NAME.eq("AC/DC")))
    ///     .order_by(Album::ID);
    /// assert_eq!(
    ///     q.statement().compile(&athanor::dialect::Postgres)?.sql(),
    ///     r#"SELECT "Album"."Title" FROM "Album" WHERE EXISTS (SELECT 1 FROM "Artist" WHERE "Artist"."ArtistId" = "Album"."ArtistId" AND "Artist"."Name" = $1) ORDER BY "Album"."AlbumId""#
    /// );
    /// assert_eq!(q.all()?, ["For Those About To Rock We Salute You", "Let There Be Rock"]);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn has(self, cond: impl Into<Expr>) -> Expr {
        criterion_exists(&RelJoin::of(self), Some(cond.into()))
    }
}

impl<P: Model, C: Model, K: RelKind> Rel<P, C, K> {
    /// `EXISTS` a related object, with no further condition: SQLAlchemy's `any()` / `has()`
    /// called without a criterion (`Artist.albums.any()`). Negate it with `!` for "has none".
    /// Errors are reported as [`Rel::any`]'s.
    ///
    /// ```
    /// use athanor::prelude::*;
    /// use athanor::orm::{Collection, Related};
    /// #[derive(Debug, Clone, PartialEq, Default, Model)]
    /// #[athanor(table = "Artist")]
    /// struct Artist {
    ///     #[athanor(primary_key, column = "ArtistId")] id: i64,
    ///     #[athanor(column = "Name")] name: Option<String>,
    ///     albums: Collection<Album>,
    /// }
    /// #[derive(Debug, Clone, PartialEq, Default, Model)]
    /// #[athanor(table = "Album")]
    /// struct Album {
    ///     #[athanor(primary_key, column = "AlbumId")] id: i64,
    ///     #[athanor(column = "ArtistId", foreign_key = "Artist.ArtistId")] artist_id: i64,
    ///     artist: Related<Artist>,
    /// }
    /// let (engine, _) = athanor::chinook::load()?;
    /// let mut s = Session::new(&engine);
    /// assert_eq!(s.query::<Artist>().filter(Artist::albums.exists()).count()?, 204);
    /// let none = s.query::<Artist>().filter(!Artist::albums.exists());
    /// assert_eq!(
    ///     none.statement().compile(&athanor::dialect::Sqlite)?.sql(),
    ///     r#"SELECT "Artist"."ArtistId", "Artist"."Name" FROM "Artist" WHERE NOT EXISTS (SELECT 1 FROM "Album" WHERE "Artist"."ArtistId" = "Album"."ArtistId")"#
    /// );
    /// assert_eq!(none.count()?, 71);
    /// # Ok::<(), athanor::Error>(())
    /// ```
    pub fn exists(self) -> Expr {
        criterion_exists(&RelJoin::of(self), None)
    }
}
