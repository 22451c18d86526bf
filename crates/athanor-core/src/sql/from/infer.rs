//! A join's ON clause inferred from the foreign keys between its sides (SQLAlchemy's
//! `Join._join_condition`).

use crate::error::{Error, Result};
use crate::schema::Table;
use crate::sql::expr::Expr;
use crate::sql::from::FromItem;

/// The tables (or aliased tables) a FROM item is made of, leftmost first.
fn leaves(item: &FromItem, out: &mut Vec<FromItem>) {
    match item {
        FromItem::Join(j) => {
            leaves(&j.left, out);
            leaves(&j.right, out);
        }
        other => out.push(other.clone()),
    }
}

fn refers_to(fk: &crate::schema::ForeignKeyConstraint, from: &Table, target: &Table) -> bool {
    fk.referred_table == target.name()
        && match (&fk.referred_schema, target.schema()) {
            (Some(a), Some(b)) => a == b,
            (None, None) => true,
            (None, Some(s)) => from.schema() == Some(s),
            (Some(_), None) => false,
        }
}

/// Infers a join's ON clause from foreign keys, as SQLAlchemy's `Join._join_condition` does.
///
/// The right-most part of the left side is asked first (SQLAlchemy's `a_subset`): in
/// `a.join(&b).join(&c)` a foreign key between `b` and `c` wins even when `c` also refers to
/// `a`. Only when that part has none are all the tables of the left side asked together; more
/// than one foreign key among them is [`Error::AmbiguousForeignKeys`], never a guess.
pub(super) fn infer_on(left: &FromItem, right: &FromItem) -> Result<Expr> {
    let right_table = right
        .table()
        .ok_or_else(|| Error::no_foreign_keys(left.describe(), right.describe(), JOIN_HINT))?;
    if let FromItem::Join(j) = left {
        let mut subset = Vec::new();
        leaves(&j.right, &mut subset);
        let found = conditions(&subset, right, right_table);
        if !found.is_empty() {
            return one_condition(found, left, right);
        }
    }
    let mut all = Vec::new();
    leaves(left, &mut all);
    let found = conditions(&all, right, right_table);
    one_condition(found, left, right)
}

/// One foreign key's join condition, and what identifies it: the left table it joins (its
/// position among the left side's tables) and the column pairs, left column first.
struct Found {
    key: (usize, Vec<(String, String)>),
    on: Expr,
}

/// The ON condition of every foreign key between one of `lefts` and `right`: those of the
/// right table referring to a left table, then those of a left table referring to the right.
fn conditions(lefts: &[FromItem], right: &FromItem, right_table: &Table) -> Vec<Found> {
    let mut found = Vec::new();
    for (i, l) in lefts.iter().enumerate() {
        let Some(lt) = l.table() else { continue };
        let right_to_left = right_table
            .foreign_keys()
            .iter()
            .filter(|fk| refers_to(fk, right_table, lt))
            .map(|fk| (fk, false));
        let left_to_right = lt
            .foreign_keys()
            .iter()
            .filter(|fk| refers_to(fk, lt, right_table))
            .map(|fk| (fk, true));
        for (fk, left_has_fk) in right_to_left.chain(left_to_right) {
            let pairs: Vec<(String, String)> = fk
                .columns
                .iter()
                .zip(&fk.referred_columns)
                .map(|(col, rcol)| {
                    if left_has_fk {
                        (col.clone(), rcol.clone())
                    } else {
                        (rcol.clone(), col.clone())
                    }
                })
                .collect();
            let conds: Vec<Expr> = pairs
                .iter()
                .map(|(l_col, r_col)| {
                    l.column_of(lt, l_col)
                        .eq(right.column_of(right_table, r_col))
                })
                .collect();
            found.push(Found {
                key: (i, pairs),
                on: crate::sql::expr::and_(conds),
            });
        }
    }
    found
}

/// Whether a foreign key links any table of `left` with `right` (SQLAlchemy's `_can_join`).
pub(crate) fn can_join(left: &FromItem, right: &FromItem) -> bool {
    let Some(right_table) = right.table() else {
        return false;
    };
    let mut all = Vec::new();
    leaves(left, &mut all);
    !conditions(&all, right, right_table).is_empty()
}

/// The one condition found, or the error saying there were none or several. Foreign keys
/// that give the same condition (the same columns of the same tables, a constraint declared
/// twice) are one, as in SQLAlchemy's `_joincond_trim_constraints`.
/// What a failed inference tells the user to do.
const JOIN_HINT: &str = "give the ON clause explicitly with join_on()";

fn one_condition(found: Vec<Found>, left: &FromItem, right: &FromItem) -> Result<Expr> {
    let mut found = found.into_iter();
    let Some(first) = found.next() else {
        return Err(Error::no_foreign_keys(
            left.describe(),
            right.describe(),
            JOIN_HINT,
        ));
    };
    if found.any(|other| other.key != first.key) {
        return Err(Error::ambiguous_foreign_keys(
            left.describe(),
            right.describe(),
            JOIN_HINT,
        ));
    }
    Ok(first.on)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Column, ForeignKey, MetaData};
    use crate::sql::from::JoinOn;
    use crate::types::Type;

    #[test]
    fn an_inferred_on_is_what_the_tables_columns_would_write() {
        let md = MetaData::new();
        let users = Table::build("users", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .finish()
            .unwrap();
        let posts = Table::build("posts", &md)
            .column(Column::new("id", Type::Integer).primary_key())
            .column(Column::new("user_id", Type::Integer).foreign_key(ForeignKey::new("users.id")))
            .finish()
            .unwrap();
        let FromItem::Join(j) = users.outerjoin(&posts) else {
            panic!("not a join");
        };
        let JoinOn::On(on) = &j.on else {
            panic!("no ON inferred: {:?}", j.on);
        };
        // The same columns (primary key flag and all), not stand-ins that only share a name.
        let by_hand = users.c("id").eq(posts.c("user_id"));
        assert_eq!(format!("{on:?}"), format!("{by_hand:?}"));
    }
}
