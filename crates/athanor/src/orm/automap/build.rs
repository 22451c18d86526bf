//! Making the classes of an automap from a [`MetaData`]'s tables: which tables get a class,
//! the relationships their foreign keys give, and their names (SQLAlchemy's `prepare()`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};

use athanor_core::schema::{ForeignKeyConstraint, MetaData, Table};

use super::AutomapOptions;
use crate::orm::relationship::Direction;
use crate::{Error, Result, Value};

/// Numbers classes across every automap of the process: a session's store and a handle name
/// their class by it.
static NEXT_CLASS: AtomicU32 = AtomicU32::new(1);

/// The classes of one automap.
pub(crate) struct Classes {
    pub(crate) list: Vec<ClassInfo>,
    pub(crate) metadata: MetaData,
}

/// One class: its table, as numbers the session works with.
pub(crate) struct ClassInfo {
    pub(crate) id: u32,
    pub(crate) name: String,
    pub(crate) table: Table,
    pub(crate) columns: Vec<String>,
    pub(crate) primary_key: Vec<usize>,
    /// The column the database generates the key in.
    pub(crate) autoincrement: Option<usize>,
    /// Columns left out of an INSERT when NULL: the generated key, server defaults.
    pub(crate) defaulted: Vec<usize>,
    /// Client-side defaults (`Column::default`), put into a new object at the flush.
    pub(crate) defaults: Vec<(usize, Value)>,
    pub(crate) rels: Vec<DynRel>,
    /// `(child column, parent column)` pairs of each foreign key to the class's own table.
    pub(crate) self_refs: Vec<Vec<(usize, usize)>>,
}

/// An association table's columns.
pub(crate) struct Secondary {
    pub(crate) table: Table,
    /// Its columns referring to the parent's `local` columns (same order).
    pub(crate) local_cols: Vec<String>,
    /// Its columns referring to the target's `remote` columns (same order).
    pub(crate) remote_cols: Vec<String>,
}

/// One relationship of a class.
pub(crate) struct DynRel {
    pub(crate) name: String,
    pub(crate) dir: Direction,
    /// The target class's index in [`Classes::list`].
    pub(crate) target: usize,
    /// The parent's columns of the join: its foreign key for many-to-one, the referred columns
    /// otherwise.
    pub(crate) local: Vec<usize>,
    /// The target's columns, paired with `local` (many-to-many: with the secondary's).
    pub(crate) remote: Vec<usize>,
    pub(crate) secondary: Option<Secondary>,
    /// The partner on the target (`Album.artist` for `Artist.album_collection`).
    pub(crate) back: Option<usize>,
    pub(crate) fk_columns: Vec<String>,
}

impl ClassInfo {
    /// The position of a column, or [`Error::NoSuchColumn`].
    pub(crate) fn col(&self, name: &str) -> Result<usize> {
        self.columns
            .iter()
            .position(|c| c == name)
            .ok_or_else(|| Error::no_such_column(self.name.clone(), name.to_string()))
    }

    /// The position of a relationship, or an error listing the class's relationships.
    pub(crate) fn rel(&self, name: &str) -> Result<usize> {
        self.rels
            .iter()
            .position(|r| r.name == name)
            .ok_or_else(|| {
                let names: Vec<&str> = self.rels.iter().map(|r| r.name.as_str()).collect();
                Error::InvalidRequest(format!(
                    "class {} has no relationship \"{name}\" (it has: {})",
                    self.name,
                    if names.is_empty() {
                        "none".to_string()
                    } else {
                        names.join(", ")
                    }
                ))
            })
    }
}

fn positions(t: &Table, names: &[String]) -> Option<Vec<usize>> {
    names
        .iter()
        .map(|n| t.columns().iter().position(|c| c.name() == n))
        .collect()
}

/// The key of the table a foreign key refers to, as `MetaData` names it.
fn referred_key(fk: &ForeignKeyConstraint, from: &Table) -> String {
    match (fk.referred_schema.as_deref(), from.schema()) {
        (Some(s), _) | (None, Some(s)) => format!("{s}.{}", fk.referred_table),
        (None, None) => fk.referred_table.clone(),
    }
}

/// SQLAlchemy's test for an association table: exactly two foreign keys, whose columns are
/// all of the table's columns.
fn association(t: &Table) -> Option<(&ForeignKeyConstraint, &ForeignKeyConstraint)> {
    let [a, b] = t.foreign_keys() else {
        return None;
    };
    let all = t
        .columns()
        .iter()
        .all(|c| a.columns.iter().chain(&b.columns).any(|x| x == c.name()));
    all.then_some((a, b))
}

fn default_scalar(_local: &str, referred: &str, _fk: &ForeignKeyConstraint) -> String {
    referred.to_lowercase()
}

fn default_collection(_local: &str, referred: &str, _fk: &ForeignKeyConstraint) -> String {
    format!("{}_collection", referred.to_lowercase())
}

/// The classes of `metadata`'s tables, named and related as `opts` says.
pub(crate) fn classes(metadata: &MetaData, opts: &AutomapOptions) -> Result<Classes> {
    let tables = metadata.tables();
    let mut list: Vec<ClassInfo> = Vec::new();
    let mut pairs: Vec<Table> = Vec::new();
    for t in &tables {
        if association(t).is_some() {
            pairs.push(t.clone());
        } else if !t.primary_key().columns.is_empty() {
            let name = match &opts.classname {
                Some(f) => f(t),
                None => t.name().to_string(),
            };
            list.push(class_info(name, t)?);
        }
    }
    list.sort_by(|a, b| a.name.cmp(&b.name));
    if let Some(w) = list.windows(2).find(|w| w[0].name == w[1].name) {
        return Err(Error::Argument(format!(
            "automap: two tables ({} and {}) make a class named \"{}\": give classname_for_table",
            w[0].table.fullname(),
            w[1].table.fullname(),
            w[0].name
        )));
    }
    let by_table: HashMap<String, usize> = list
        .iter()
        .enumerate()
        .map(|(i, c)| (c.table.fullname(), i))
        .collect();
    let scalar = |l: &str, r: &str, fk: &ForeignKeyConstraint| match &opts.scalar {
        Some(f) => f(l, r, fk),
        None => default_scalar(l, r, fk),
    };
    let collection = |l: &str, r: &str, fk: &ForeignKeyConstraint| match &opts.collection {
        Some(f) => f(l, r, fk),
        None => default_collection(l, r, fk),
    };
    // Each foreign key: a many-to-one on its table, then (after every class has its own)
    // the one-to-many on the referred class.
    let mut backrefs: Vec<(usize, usize, usize, ForeignKeyConstraint)> = Vec::new();
    for i in 0..list.len() {
        let table = list[i].table.clone();
        for fk in table.foreign_keys() {
            let Some(&j) = by_table.get(&referred_key(fk, &table)) else {
                continue;
            };
            let name = scalar(&list[i].name, &list[j].name, fk);
            if !free(&list[i], &name, fk)? {
                continue;
            }
            let (Some(local), Some(remote)) = (
                positions(&table, &fk.columns),
                positions(&list[j].table, &fk.referred_columns),
            ) else {
                continue;
            };
            list[i].rels.push(DynRel {
                name,
                dir: Direction::ManyToOne,
                target: j,
                local,
                remote,
                secondary: None,
                back: None,
                fk_columns: fk.columns.clone(),
            });
            backrefs.push((i, list[i].rels.len() - 1, j, fk.clone()));
        }
    }
    for (i, k, j, fk) in backrefs {
        let name = collection(&list[j].name, &list[i].name, &fk);
        if !free(&list[j], &name, &fk)? {
            continue;
        }
        let (local, remote) = (
            list[i].rels[k].remote.clone(),
            list[i].rels[k].local.clone(),
        );
        list[j].rels.push(DynRel {
            name,
            dir: Direction::OneToMany,
            target: i,
            local,
            remote,
            secondary: None,
            back: Some(k),
            fk_columns: fk.columns.clone(),
        });
        list[i].rels[k].back = Some(list[j].rels.len() - 1);
    }
    for t in &pairs {
        many_to_many(&mut list, &by_table, t, &collection)?;
    }
    Ok(Classes {
        list,
        metadata: metadata.clone(),
    })
}

/// A many-to-many pair through association table `t`.
fn many_to_many(
    list: &mut [ClassInfo],
    by_table: &HashMap<String, usize>,
    t: &Table,
    collection: &dyn Fn(&str, &str, &ForeignKeyConstraint) -> String,
) -> Result<()> {
    let Some((fa, fb)) = association(t) else {
        return Ok(());
    };
    let (Some(&a), Some(&b)) = (
        by_table.get(&referred_key(fa, t)),
        by_table.get(&referred_key(fb, t)),
    ) else {
        return Ok(());
    };
    let (Some(la), Some(lb)) = (
        positions(&list[a].table, &fa.referred_columns),
        positions(&list[b].table, &fb.referred_columns),
    ) else {
        return Ok(());
    };
    let sides = [
        (a, b, fa, fb, la.clone(), lb.clone()),
        (b, a, fb, fa, lb, la),
    ];
    let mut made: Vec<(usize, usize)> = Vec::new();
    for (p, c, fp, fc, local, remote) in sides {
        let name = collection(&list[p].name, &list[c].name, fp);
        if !free(&list[p], &name, fp)? {
            continue;
        }
        list[p].rels.push(DynRel {
            name,
            dir: Direction::ManyToMany,
            target: c,
            local,
            remote,
            secondary: Some(Secondary {
                table: t.clone(),
                local_cols: fp.columns.clone(),
                remote_cols: fc.columns.clone(),
            }),
            back: None,
            fk_columns: fp.columns.iter().chain(&fc.columns).cloned().collect(),
        });
        made.push((p, list[p].rels.len() - 1));
    }
    if let [(p, k), (q, l)] = made[..] {
        list[p].rels[k].back = Some(l);
        list[q].rels[l].back = Some(k);
    }
    Ok(())
}

/// True when `name` is free on the class for a relationship; a relationship of that name
/// keeps it (a warning names the foreign key left without one); a column of that name is an
/// error.
fn free(class: &ClassInfo, name: &str, fk: &ForeignKeyConstraint) -> Result<bool> {
    if class.columns.iter().any(|c| c == name) {
        return Err(Error::Argument(format!(
            "automap: the relationship {}.{name} (foreign key {} -> {}) would hide the column {name}: give name_for_scalar_relationship / name_for_collection_relationship to name it otherwise",
            class.name,
            fk.columns.join(", "),
            fk.referred_table
        )));
    }
    if class.rels.iter().any(|r| r.name == name) {
        tracing::warn!(
            target: "athanor::orm",
            "automap: {}.{name} exists already; the foreign key ({}) -> {} gets no relationship of that name (give naming functions to name it)",
            class.name,
            fk.columns.join(", "),
            fk.referred_table
        );
        return Ok(false);
    }
    Ok(true)
}

fn class_info(name: String, t: &Table) -> Result<ClassInfo> {
    let columns: Vec<String> = t.columns().iter().map(|c| c.name().to_string()).collect();
    let primary_key = positions(t, &t.primary_key().columns).ok_or_else(|| {
        Error::Argument(format!(
            "automap: the primary key of {} names a column it doesn't have",
            t.fullname()
        ))
    })?;
    let autoincrement = t
        .autoincrement_column()
        .and_then(|c| columns.iter().position(|n| n == c.name()));
    let defaulted = t
        .columns()
        .iter()
        .enumerate()
        .filter(|(i, c)| Some(*i) == autoincrement || c.server_default.is_some())
        .map(|(i, _)| i)
        .collect();
    let defaults = t
        .columns()
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.default.clone().map(|d| (i, d)))
        .collect();
    let self_refs = t
        .foreign_keys()
        .iter()
        .filter(|fk| referred_key(fk, t) == t.fullname())
        .filter_map(|fk| {
            Some(
                positions(t, &fk.columns)?
                    .into_iter()
                    .zip(positions(t, &fk.referred_columns)?)
                    .collect(),
            )
        })
        .collect();
    Ok(ClassInfo {
        id: NEXT_CLASS.fetch_add(1, Ordering::Relaxed),
        name,
        table: t.clone(),
        columns,
        primary_key,
        autoincrement,
        defaulted,
        defaults,
        rels: Vec::new(),
        self_refs,
    })
}
