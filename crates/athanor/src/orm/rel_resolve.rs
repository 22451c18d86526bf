//! Working out a relationship from the two tables' foreign keys (SQLAlchemy's mapper
//! configuration): which side holds the key, which columns pair up, the secondary table's
//! columns, the order of a collection, the `back_populates` partner. Done once per
//! relationship, on first use; a declaration the tables can't support is an error naming it.

use std::any::TypeId;
use std::collections::HashMap;
use std::sync::{OnceLock, RwLock};

use athanor_core::schema::{ForeignKeyConstraint, Table};

use super::model::Model;
use super::relationship::{Direction, RelInfo};
use crate::{Error, Result};

/// A secondary table's columns: those pointing at the parent and at the target.
#[derive(Debug)]
pub(crate) struct Secondary {
    pub(crate) table: &'static Table,
    /// Secondary columns referencing the parent's `local` columns (same order).
    pub(crate) local_cols: Vec<String>,
    /// Secondary columns referencing the target's `remote` columns (same order).
    pub(crate) remote_cols: Vec<String>,
}

/// A relationship worked out.
#[derive(Debug)]
pub(crate) struct Resolved {
    pub(crate) dir: Direction,
    /// The parent's columns of the join (its foreign key for many-to-one; the columns the
    /// child's or secondary's foreign key refers to otherwise).
    pub(crate) local: Vec<usize>,
    /// The target's columns, paired with `local` (many-to-many: with the secondary's).
    pub(crate) remote: Vec<usize>,
    pub(crate) secondary: Option<Secondary>,
    /// The collection's order: target column, descending.
    pub(crate) order_by: Vec<(usize, bool)>,
    /// The `back_populates` partner: its index among the target's relationships.
    pub(crate) back: Option<usize>,
    /// Many-to-one onto the target's primary key (in key order): the identity map answers.
    pub(crate) remote_is_key: bool,
    /// The foreign key's columns may be NULL (a joined load is then an outer join).
    pub(crate) nullable: bool,
}

type Cache = RwLock<HashMap<(TypeId, usize), &'static Resolved>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// Relationship `i` of `P` (whose target is `C`), worked out once per process.
pub(crate) fn resolved<P: Model, C: Model>(i: usize) -> Result<&'static Resolved> {
    let key = (TypeId::of::<P>(), i);
    if let Ok(map) = cache().read()
        && let Some(r) = map.get(&key)
    {
        return Ok(r);
    }
    let r = resolve::<P, C>(i)?;
    let mut map = cache().write().unwrap_or_else(|p| p.into_inner());
    Ok(*map.entry(key).or_insert_with(|| Box::leak(Box::new(r))))
}

fn col_index(t: &Table, name: &str) -> Option<usize> {
    t.columns().iter().position(|c| c.name() == name)
}

fn refers_to(fk: &ForeignKeyConstraint, t: &Table) -> bool {
    fk.referred_table == t.name()
        && (fk.referred_schema.is_none()
            || t.schema().is_none()
            || fk.referred_schema.as_deref() == t.schema())
}

fn qualified(t: &Table) -> String {
    match t.schema() {
        Some(s) => format!("{s}.{}", t.name()),
        None => t.name().to_string(),
    }
}

fn argument(info: &RelInfo, msg: impl std::fmt::Display) -> Error {
    Error::Argument(format!("relationship {}: {msg}", info.qualname))
}

/// The foreign keys of `from` onto `to` that the declaration allows (`fk` names columns).
fn candidates<'t>(info: &RelInfo, from: &'t Table, to: &Table) -> Vec<&'t ForeignKeyConstraint> {
    from.foreign_keys()
        .iter()
        .filter(|fk| refers_to(fk, to))
        .filter(|fk| {
            info.fk.is_empty()
                || (fk.columns.len() == info.fk.len()
                    && fk.columns.iter().all(|c| info.fk.contains(&c.as_str())))
        })
        .collect()
}

fn pick<'t>(
    info: &RelInfo,
    found: Vec<&'t ForeignKeyConstraint>,
    left: &Table,
    right: &Table,
) -> Result<&'t ForeignKeyConstraint> {
    match found.as_slice() {
        [one] => Ok(one),
        [] => Err(Error::no_foreign_keys(
            format!("{} ({})", info.qualname, qualified(left)),
            qualified(right),
            if info.fk.is_empty() {
                "declare the foreign key (foreign_key = \"table.column\") on the model".into()
            } else {
                format!("no foreign key has the columns fk = {:?}", info.fk)
            },
        )),
        many => Err(Error::ambiguous_foreign_keys(
            format!("{} ({})", info.qualname, qualified(left)),
            qualified(right),
            format!(
                "name the foreign key's column(s) with fk = \"...\" on the relationship (one of: {})",
                many.iter()
                    .map(|fk| fk.columns.join(", "))
                    .collect::<Vec<_>>()
                    .join(" | ")
            ),
        )),
    }
}

fn indexes(info: &RelInfo, t: &Table, cols: &[String]) -> Result<Vec<usize>> {
    cols.iter()
        .map(|c| {
            col_index(t, c).ok_or_else(|| {
                argument(
                    info,
                    format!("column {c} of {} is not mapped by the model", t.name()),
                )
            })
        })
        .collect()
}

/// Works relationship `i` of `P` out.
fn resolve<P: Model, C: Model>(i: usize) -> Result<Resolved> {
    let info = &P::RELATIONSHIPS[i];
    let pt = P::table();
    let ct = C::table();
    let self_ref = TypeId::of::<P>() == TypeId::of::<C>();
    let (dir, local, remote, secondary, fk_cols_nullable) = if let Some(sec) = info.secondary {
        let st = sec();
        if self_ref {
            return Err(argument(
                info,
                "a self-referential many-to-many relationship is not supported yet",
            ));
        }
        let to_parent = pick(info, candidates(info, st, pt), st, pt)?;
        let to_target = pick(info, candidates(info, st, ct), st, ct)?;
        let local = indexes(info, pt, &to_parent.referred_columns)?;
        let remote = indexes(info, ct, &to_target.referred_columns)?;
        let secondary = Secondary {
            table: st,
            local_cols: to_parent.columns.clone(),
            remote_cols: to_target.columns.clone(),
        };
        (Direction::ManyToMany, local, remote, Some(secondary), false)
    } else {
        let outward = candidates(info, pt, ct); // the parent holds the key
        let inward = candidates(info, ct, pt); // the target holds it
        let dir = if self_ref {
            // The same constraints both ways: `remote_side` says which end is the target's.
            let fk = pick(info, outward.clone(), pt, ct)?;
            if !info.remote_side.is_empty() {
                if fk
                    .referred_columns
                    .iter()
                    .all(|c| info.remote_side.contains(&c.as_str()))
                {
                    Direction::ManyToOne
                } else if fk
                    .columns
                    .iter()
                    .all(|c| info.remote_side.contains(&c.as_str()))
                {
                    Direction::OneToMany
                } else {
                    return Err(argument(
                        info,
                        format!(
                            "remote_side {:?} names neither end of the foreign key {:?} -> {:?}",
                            info.remote_side, fk.columns, fk.referred_columns
                        ),
                    ));
                }
            } else {
                match info.direction {
                    Some(d) => d,
                    None if info.many => Direction::OneToMany,
                    None => Direction::ManyToOne,
                }
            }
        } else {
            match info.direction {
                Some(Direction::ManyToMany) => {
                    return Err(argument(info, "many_to_many needs a secondary table"));
                }
                Some(d) => d,
                None if info.many => Direction::OneToMany,
                None => match (outward.is_empty(), inward.is_empty()) {
                    (false, true) => Direction::ManyToOne,
                    (true, false) => Direction::OneToMany,
                    (true, true) => Direction::ManyToOne, // reported by pick below
                    (false, false) => {
                        return Err(argument(
                            info,
                            format!(
                                "both {} and {} hold foreign keys to each other: say many_to_one or one_to_one",
                                pt.name(),
                                ct.name()
                            ),
                        ));
                    }
                },
            }
        };
        if info.many && dir == Direction::ManyToOne {
            return Err(argument(
                info,
                "a many-to-one relationship is a Related<_> field, not a Collection<_>",
            ));
        }
        match dir {
            Direction::ManyToOne => {
                let fk = pick(info, outward, pt, ct)?;
                let local = indexes(info, pt, &fk.columns)?;
                let remote = indexes(info, ct, &fk.referred_columns)?;
                let nullable = fk
                    .columns
                    .iter()
                    .any(|c| pt.columns().iter().any(|x| x.name() == c && x.nullable));
                (dir, local, remote, None, nullable)
            }
            _ => {
                let fk = pick(info, inward, ct, pt)?;
                let local = indexes(info, pt, &fk.referred_columns)?;
                let remote = indexes(info, ct, &fk.columns)?;
                (dir, local, remote, None, true)
            }
        }
    };
    let mut order_by = Vec::new();
    for spec in info.order_by {
        let mut words = spec.split_whitespace();
        let col = words.next().unwrap_or_default();
        let desc = match words.next().map(str::to_ascii_lowercase).as_deref() {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(other) => {
                return Err(argument(
                    info,
                    format!("order_by \"{spec}\": `{other}` is neither asc nor desc"),
                ));
            }
        };
        let Some(c) = col_index(ct, col) else {
            return Err(argument(
                info,
                format!("order_by names {col}, not a column of {}", ct.name()),
            ));
        };
        order_by.push((c, desc));
    }
    let back = match info.back_populates {
        None => None,
        Some(name) => {
            let Some(j) = C::RELATIONSHIPS.iter().position(|r| r.name == name) else {
                return Err(argument(
                    info,
                    format!(
                        "back_populates = \"{name}\": {} has no such relationship",
                        C::NAME
                    ),
                ));
            };
            let other = &C::RELATIONSHIPS[j];
            if other.target() != TypeId::of::<P>() {
                return Err(argument(
                    info,
                    format!(
                        "back_populates = \"{name}\": {} does not point back at {}",
                        other.qualname,
                        P::NAME
                    ),
                ));
            }
            Some(j)
        }
    };
    let remote_is_key = dir == Direction::ManyToOne && remote.as_slice() == C::PRIMARY_KEY;
    Ok(Resolved {
        dir,
        local,
        remote,
        secondary,
        order_by,
        back,
        remote_is_key,
        nullable: fk_cols_nullable,
    })
}
