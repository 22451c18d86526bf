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
    Alias, Expr, FromItem, Join, JoinKind, JoinOn, Select, and_, literal_column, select,
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

    fn self_ref_error(&self) -> Error {
        Error::InvalidRequest(format!(
            "can't join {q}: {q} is self-referential (the parent and the target are the same \
             table), so the target needs an alias: write it with join_on(Table::alias(..), condition)",
            q = self.qualname,
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
        let e = rel.self_ref_error();
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
                &sec.local_cols
                    .iter()
                    .map(|c| alias.c(c))
                    .collect::<Vec<_>>(),
            );
            let sj = pairs(
                &cols(rel.target, &r.remote),
                &sec.remote_cols
                    .iter()
                    .map(|c| alias.c(c))
                    .collect::<Vec<_>>(),
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
        Error::NoForeignKeys(j) => Error::NoForeignKeys(j.clone()),
        Error::AmbiguousForeignKeys(j) => Error::AmbiguousForeignKeys(j.clone()),
        Error::Argument(m) => Error::Argument(m.clone()),
        other => Error::InvalidRequest(other.to_string()),
    }
}

/// `expr` with the columns of `table` read from `alias` instead (SQLAlchemy's
/// `ClauseAdapter`), for the condition of a self-referential `any()` / `has()`: it names the
/// model's columns, meaning the related row's. A subquery or window in it is refused rather
/// than left half-adapted.
fn adapt(e: &Expr, table: &Table, alias: &Alias) -> std::result::Result<Expr, String> {
    let b = |x: &Expr| adapt(x, table, alias).map(Box::new);
    let all = |xs: &[Expr]| {
        xs.iter()
            .map(|x| adapt(x, table, alias))
            .collect::<std::result::Result<Vec<_>, _>>()
    };
    Ok(match e {
        Expr::Column(c) => match &c.from {
            FromItem::Table(t) if t.same_as(table) => {
                alias.try_c(c.name()).map_err(|e| e.to_string())?
            }
            _ => e.clone(),
        },
        Expr::Value(_)
        | Expr::BindParam(_)
        | Expr::Null
        | Expr::Bool(_)
        | Expr::Raw(_)
        | Expr::Name(_)
        | Expr::LabelRef(_)
        | Expr::Excluded(_) => e.clone(),
        Expr::Binary(op, l, r) => Expr::Binary(*op, b(l)?, b(r)?),
        Expr::Bool2(op, xs) => Expr::Bool2(*op, all(xs)?),
        Expr::Not(x) => Expr::Not(b(x)?),
        Expr::Neg(x) => Expr::Neg(b(x)?),
        Expr::BitNot(x) => Expr::BitNot(b(x)?),
        Expr::LiteralExecute(x) => Expr::LiteralExecute(b(x)?),
        Expr::IsNull(x, neg) => Expr::IsNull(b(x)?, *neg),
        Expr::Like {
            expr,
            pattern,
            escape,
            case_insensitive,
            negated,
            affix,
        } => Expr::Like {
            expr: b(expr)?,
            pattern: b(pattern)?,
            escape: *escape,
            case_insensitive: *case_insensitive,
            negated: *negated,
            affix: affix.clone(),
        },
        Expr::Between(x, lo, hi, neg) => Expr::Between(b(x)?, b(lo)?, b(hi)?, *neg),
        Expr::InValues(x, values, neg) => Expr::InValues(b(x)?, values.clone(), *neg),
        Expr::InList(x, xs, neg) => Expr::InList(b(x)?, all(xs)?, *neg),
        Expr::InParam(x, name, neg) => Expr::InParam(b(x)?, name.clone(), *neg),
        Expr::Tuple(xs) => Expr::Tuple(all(xs)?),
        Expr::Function(f) => {
            let mut f = f.clone();
            f.args = all(&f.args)?;
            Expr::Function(f)
        }
        Expr::Cast(x, ty) => Expr::Cast(b(x)?, ty.clone()),
        Expr::Typed(x, ty) => Expr::Typed(b(x)?, ty.clone()),
        Expr::Case {
            value,
            whens,
            else_,
        } => Expr::Case {
            value: value.as_deref().map(b).transpose()?,
            whens: whens
                .iter()
                .map(|(w, t)| Ok((adapt(w, table, alias)?, adapt(t, table, alias)?)))
                .collect::<std::result::Result<_, String>>()?,
            else_: else_.as_deref().map(b).transpose()?,
        },
        Expr::Filter(x, cond) => Expr::Filter(b(x)?, b(cond)?),
        Expr::Extract(part, x) => Expr::Extract(*part, b(x)?),
        Expr::JsonGet { doc, path, ty } => Expr::JsonGet {
            doc: b(doc)?,
            path: path.clone(),
            ty: ty.clone(),
        },
        Expr::Label(name, x) => Expr::Label(name.clone(), b(x)?),
        Expr::Distinct(x) => Expr::Distinct(b(x)?),
        _ => {
            return Err(
                "a subquery, window or `*` in the condition of a self-referential \
                 relationship's any()/has() isn't supported: write the EXISTS with an alias"
                    .into(),
            );
        }
    })
}

/// `EXISTS (SELECT 1 FROM target [, secondary] WHERE <join condition> [AND cond])`, correlated
/// to the parent's table in the enclosing query (SQLAlchemy's `_criterion_exists`). A
/// self-referential relationship's target is aliased `<table>_1`, and `cond` adapted to it.
fn criterion_exists(rel: &RelJoin, cond: Option<Expr>) -> Expr {
    let one = || select(literal_column("1"));
    let r = match &rel.resolved {
        Ok(r) => *r,
        Err(e) => return one().select_from(rel.failed(copy_error(e))).exists(),
    };
    if rel.self_ref {
        let alias = rel.target.alias(format!("{}_1", rel.target.name()));
        let cond = match cond.map(|c| adapt(&c, rel.target, &alias)).transpose() {
            Ok(c) => c,
            Err(m) => {
                let e = Error::InvalidRequest(format!("{}: {m}", rel.qualname));
                return one().select_from(rel.failed(e)).exists();
            }
        };
        let local = cols(rel.parent, &r.local);
        let remote: Vec<Expr> = r
            .remote
            .iter()
            .map(|&i| alias.c(rel.target.columns()[i].name()))
            .collect();
        let on = match r.dir {
            Direction::ManyToOne => pairs(&remote, &local),
            _ => pairs(&local, &remote),
        };
        let on = match cond {
            Some(c) => on & c,
            None => on,
        };
        return one().select_from(&alias).filter(on).exists();
    }
    let (mut inner, on) = match &r.secondary {
        None => (
            one().select_from(rel.target),
            direct_on(r, rel.parent, rel.target),
        ),
        Some(sec) => {
            let pj = pairs(
                &cols(rel.parent, &r.local),
                &sec.local_cols
                    .iter()
                    .map(|c| sec.table.c(c))
                    .collect::<Vec<_>>(),
            );
            let sj = pairs(
                &cols(rel.target, &r.remote),
                &sec.remote_cols
                    .iter()
                    .map(|c| sec.table.c(c))
                    .collect::<Vec<_>>(),
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
    /// A self-referential relationship's target is aliased (`"Employee" AS "Employee_1"`) and
    /// `cond`'s columns of the model read from the alias, as SQLAlchemy adapts them:
    /// `Employee::reports.any(Employee::FIRST_NAME.eq("Jane"))` are the employees with a
    /// report named Jane.
    ///
    /// # Errors
    /// The statement fails when it runs (or compiles) with the relationship's error when it
    /// doesn't resolve (no foreign key between the tables, several without `fk`), and, for a
    /// self-referential relationship, when `cond` holds a subquery (it isn't adapted).
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
