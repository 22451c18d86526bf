//! `Select::join_on` and `Select::outerjoin_on`: joining a FROM item with an ON clause you
//! give, to the FROM entry that clause refers to (SQLAlchemy's `select(...).join(right,
//! onclause)` and `.outerjoin(right, onclause)`).

use crate::error::Error;
use crate::sql::expr::Expr;
use crate::sql::from::{FromItem, Join, JoinKind};
use crate::sql::select::Select;

impl Select {
    /// Joins `right` ON `on` to the FROM entry the ON clause refers to (SQLAlchemy's
    /// `select(...).join(right, onclause)`).
    ///
    /// The left side is the one entry of the FROM list ([`Select::select_from`], earlier
    /// joins; with none yet, the tables of the SELECT list and WHERE clause) that `on` names
    /// besides `right`; when the FROM list has a single entry, that one. Calls chain, so a
    /// self-join or a second join to the same table through an alias reads as in SQLAlchemy.
    ///
    /// # Errors
    /// Compiling the statement fails with [`Error::InvalidRequest`] when no entry or more than
    /// one qualifies (name the left side with [`Select::join_from_on`]).
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::{MySql, Postgres, Sqlite};
    /// let md = MetaData::new();
    /// let language = Table::build("language", &md)
    ///     .column(Column::new("id", Type::Integer).primary_key())
    ///     .column(Column::new("name", Type::String(Some(20))))
    ///     .finish()?;
    /// let film = Table::build("film", &md)
    ///     .column(Column::new("title", Type::String(Some(100))))
    ///     .column(Column::new("language_id", Type::Integer)
    ///         .foreign_key(ForeignKey::new("language.id")))
    ///     .column(Column::new("original_language_id", Type::Integer)
    ///         .foreign_key(ForeignKey::new("language.id")))
    ///     .finish()?;
    /// // Two foreign keys to language: say which with the ON clause.
    /// let orig = language.alias("orig");
    /// let stmt = select((film.c("title"), language.c("name"), orig.c("name").label("orig")))
    ///     .join_on(&language, film.c("language_id").eq(language.c("id")))
    ///     .outerjoin_on(&orig, film.c("original_language_id").eq(orig.c("id")));
    /// let sql = "SELECT film.title, language.name, orig.name AS orig FROM film \
    ///     JOIN language ON film.language_id = language.id \
    ///     LEFT OUTER JOIN language AS orig ON film.original_language_id = orig.id";
    /// assert_eq!(stmt.compile(&Sqlite)?.sql(), sql);
    /// assert_eq!(stmt.compile(&Postgres)?.sql(), sql);
    /// assert_eq!(stmt.compile(&MySql)?.sql(), sql);
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn join_on(self, right: impl Into<FromItem>, on: impl Into<Expr>) -> Self {
        self.explicit_join(right.into(), on.into(), JoinKind::Inner)
    }

    /// As [`Select::join_on`] with `LEFT OUTER JOIN` (SQLAlchemy's
    /// `select(...).outerjoin(right, onclause)`).
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// let md = MetaData::new();
    /// let staff = Table::build("staff", &md)
    ///     .column(Column::new("id", Type::Integer).primary_key())
    ///     .column(Column::new("name", Type::String(Some(40))))
    ///     .column(Column::new("boss_id", Type::Integer).foreign_key(ForeignKey::new("staff.id")))
    ///     .finish()?;
    /// let boss = staff.alias("boss");
    /// let stmt = select((staff.c("name"), boss.c("name").label("boss")))
    ///     .outerjoin_on(&boss, staff.c("boss_id").eq(boss.c("id")));
    /// assert_eq!(stmt.to_string(),
    ///     "SELECT staff.name, boss.name AS boss FROM staff LEFT OUTER JOIN staff AS boss ON staff.boss_id = boss.id");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn outerjoin_on(self, right: impl Into<FromItem>, on: impl Into<Expr>) -> Self {
        self.explicit_join(right.into(), on.into(), JoinKind::Left)
    }

    fn explicit_join(mut self, right: FromItem, on: Expr, kind: JoinKind) -> Self {
        let explicit = !self.from.is_empty();
        let candidates: Vec<FromItem> = if explicit {
            self.from.clone()
        } else {
            let mut found = Vec::new();
            for e in self.columns.iter().chain(self.where_.as_ref()) {
                crate::compiler::collect_froms(e, &mut found);
            }
            found
                .into_iter()
                .filter(|f| !f.same_as(&right))
                .cloned()
                .collect()
        };
        let mut named = Vec::new();
        crate::compiler::collect_froms(&on, &mut named);
        let able: Vec<usize> = candidates
            .iter()
            .enumerate()
            .filter(|(_, f)| {
                !f.same_as(&right) && named.iter().any(|n| !n.same_as(&right) && f.covers(n))
            })
            .map(|(i, _)| i)
            .collect();
        let pick = match able.as_slice() {
            [i] => Ok(*i),
            [] if candidates.len() == 1 => Ok(0),
            [] => Err(format!(
                "don't know which FROM entry to join '{}' to: its ON clause names none of {}; \
                 use join_from_on() to name the left side",
                right.describe(),
                describe_all(&candidates),
            )),
            many => Err(format!(
                "can't determine which FROM entry to join '{}' to: its ON clause names {}; use \
                 join_from_on() to name the left side",
                right.describe(),
                describe_all(
                    &many
                        .iter()
                        .map(|i| candidates[*i].clone())
                        .collect::<Vec<_>>()
                ),
            )),
        };
        let from = &mut self.edit().from;
        match pick {
            Ok(i) => {
                let base = candidates[i].clone();
                let joined = Join::extend(base.clone(), &base, right, Some(on), kind);
                if explicit {
                    from[i] = joined;
                } else {
                    from.push(joined);
                }
            }
            Err(message) => from.push(Join::failed(
                right.clone(),
                right,
                kind,
                Error::InvalidRequest(message),
            )),
        }
        self
    }
}

fn describe_all(items: &[FromItem]) -> String {
    let names: Vec<String> = items.iter().map(FromItem::describe).collect();
    if names.is_empty() {
        "an empty FROM list".into()
    } else {
        names.join(", ")
    }
}
