//! [`MetaData`]: the collection of tables (and sequences) a program knows about.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock};

use crate::error::{Error, Result};
use crate::schema::{NamingConvention, Sequence, Table};

/// The tables a program knows, by name; a cheap, shareable handle (like SQLAlchemy's
/// `MetaData`).
///
/// ```
/// use athanor_core::prelude::*;
/// let md = MetaData::new();
/// let parent = Table::build("parent", &md)
///     .column(Column::new("id", Type::Integer).primary_key())
///     .finish()?;
/// let child = Table::build("child", &md)
///     .column(Column::new("id", Type::Integer).primary_key())
///     .column(Column::new("parent_id", Type::Integer).foreign_key(ForeignKey::new("parent.id")))
///     .finish()?;
/// let order: Vec<String> = md.sorted_tables()?.iter().map(|t| t.name().to_string()).collect();
/// assert_eq!(order, ["parent", "child"]); // create order: referenced tables first
/// # Ok::<(), athanor_core::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct MetaData(Arc<RwLock<Inner>>);

#[derive(Default)]
struct Inner {
    tables: BTreeMap<String, Table>,
    order: Vec<String>,
    sequences: Vec<Sequence>,
    naming_convention: NamingConvention,
}

impl std::fmt::Debug for MetaData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.table_names()).finish()
    }
}

impl MetaData {
    /// An empty `MetaData`.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty `MetaData` that names constraints and indexes built without a name by
    /// `convention` (SQLAlchemy's `MetaData(naming_convention=...)`); see
    /// [`NamingConvention`].
    pub fn with_naming_convention(convention: NamingConvention) -> Self {
        let md = Self::default();
        md.set_naming_convention(convention);
        md
    }

    /// Sets the naming convention for tables built from now on (tables already built keep
    /// their names).
    pub fn set_naming_convention(&self, convention: NamingConvention) {
        self.write().naming_convention = convention;
    }

    /// The naming convention tables built in this `MetaData` use.
    pub fn naming_convention(&self) -> NamingConvention {
        self.read().naming_convention.clone()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Inner> {
        self.0
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Inner> {
        self.0
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn insert_table(&self, table: Table, replace: bool) -> Result<()> {
        let key = table.fullname();
        let mut inner = self.write();
        if inner.tables.contains_key(&key) {
            if !replace {
                return Err(Error::argument(format!(
                    "table '{key}' is already defined in this MetaData; use replace_existing() to redefine it"
                )));
            }
        } else {
            inner.order.push(key.clone());
        }
        inner.tables.insert(key, table);
        Ok(())
    }

    /// Adds a table built elsewhere (an ORM model's table, a table of another `MetaData`), so
    /// that `create_all`, `drop_all` and `sorted_tables` take it in. Adding the same table
    /// object again does nothing.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// let elsewhere = MetaData::new();
    /// let t = Table::build("t", &elsewhere).column(Column::new("id", Type::Integer).primary_key()).finish()?;
    /// let md = MetaData::new();
    /// md.add_table(&t)?;
    /// md.add_table(&t)?;
    /// assert_eq!(md.table_names(), ["t"]);
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Argument`] when the `MetaData` already holds another table of that name.
    pub fn add_table(&self, table: &Table) -> Result<()> {
        if let Some(existing) = self.table(&table.fullname())
            && existing.same_as(table)
        {
            return Ok(());
        }
        self.insert_table(table.clone(), false)
    }

    /// Adds a sequence to create with `create_all`.
    pub fn add_sequence(&self, sequence: Sequence) {
        let mut inner = self.write();
        if !inner
            .sequences
            .iter()
            .any(|s| s.name == sequence.name && s.schema == sequence.schema)
        {
            inner.sequences.push(sequence);
        }
    }

    /// The sequences `create_all` creates (those added here and those on columns).
    pub fn sequences(&self) -> Vec<Sequence> {
        let inner = self.read();
        let mut seqs = inner.sequences.clone();
        for key in &inner.order {
            if let Some(t) = inner.tables.get(key) {
                for c in t.columns() {
                    if let Some(s) = &c.sequence
                        && !seqs
                            .iter()
                            .any(|x| x.name == s.name && x.schema == s.schema)
                    {
                        seqs.push(s.clone());
                    }
                }
            }
        }
        seqs
    }

    /// A table by name (`"name"` or `"schema.name"`).
    pub fn table(&self, name: &str) -> Option<Table> {
        self.read().tables.get(name).cloned()
    }

    /// A table by name, or [`Error::NoSuchTable`].
    ///
    /// # Errors
    /// [`Error::NoSuchTable`] when the `MetaData` holds no such table.
    pub fn try_table(&self, name: &str) -> Result<Table> {
        self.table(name).ok_or_else(|| Error::NoSuchTable {
            name: name.to_string(),
        })
    }

    /// True when the `MetaData` holds a table of that name.
    pub fn contains(&self, name: &str) -> bool {
        self.read().tables.contains_key(name)
    }

    /// The tables' names, sorted.
    pub fn table_names(&self) -> Vec<String> {
        self.read().tables.keys().cloned().collect()
    }

    /// The tables in the order they were defined.
    pub fn tables(&self) -> Vec<Table> {
        let inner = self.read();
        inner
            .order
            .iter()
            .filter_map(|k| inner.tables.get(k).cloned())
            .collect()
    }

    /// Removes a table.
    pub fn remove(&self, name: &str) -> Option<Table> {
        let mut inner = self.write();
        inner.order.retain(|k| k != name);
        inner.tables.remove(name)
    }

    /// Removes every table and sequence.
    pub fn clear(&self) {
        let mut inner = self.write();
        inner.tables.clear();
        inner.order.clear();
        inner.sequences.clear();
    }

    /// The tables in foreign-key dependency order: every table after the tables it refers to
    /// (the order `create_all` uses; `drop_all` uses its reverse). Self-references are allowed.
    ///
    /// # Errors
    /// [`Error::CircularDependency`] when tables refer to each other in a cycle.
    pub fn sorted_tables(&self) -> Result<Vec<Table>> {
        sort_tables(&self.tables())
    }
}

/// Sorts tables so that referenced tables come first (Kahn's algorithm, stable in definition
/// order). Foreign keys to tables outside the list are ignored.
///
/// # Errors
/// [`Error::CircularDependency`] naming the tables in a cycle.
pub fn sort_tables(tables: &[Table]) -> Result<Vec<Table>> {
    sort_tables_skipping(tables, |_, _| false)
}

/// [`sort_tables`], leaving out the foreign keys `skip` names: the ones written after the
/// rows exist (the ORM's `post_update`), which is how tables that refer to each other still
/// get an order.
///
/// ```
/// use athanor_core::prelude::*;
/// use athanor_core::schema::{sort_tables, sort_tables_skipping};
/// let md = MetaData::new();
/// let widget = Table::build("widget", &md)
///     .column(Column::new("id", Type::Integer).primary_key())
///     .column(Column::new("favorite", Type::Integer).foreign_key(ForeignKey::new("entry.id")))
///     .finish()?;
/// let entry = Table::build("entry", &md)
///     .column(Column::new("id", Type::Integer).primary_key())
///     .column(Column::new("widget", Type::Integer).foreign_key(ForeignKey::new("widget.id")))
///     .finish()?;
/// let tables = [widget.clone(), entry.clone()];
/// assert!(matches!(sort_tables(&tables), Err(Error::CircularDependency { .. })));
/// let sorted = sort_tables_skipping(&tables, |t, fk| t.name() == "widget" && fk.columns == ["favorite"])?;
/// assert_eq!(sorted[0].name(), "widget");
/// # Ok::<(), athanor_core::Error>(())
/// ```
///
/// # Errors
/// [`Error::CircularDependency`] naming the tables in a cycle that remains.
pub fn sort_tables_skipping(
    tables: &[Table],
    skip: impl Fn(&Table, &crate::schema::ForeignKeyConstraint) -> bool,
) -> Result<Vec<Table>> {
    let index: HashMap<String, usize> = tables
        .iter()
        .enumerate()
        .map(|(i, t)| (t.fullname(), i))
        .collect();
    let n = tables.len();
    let mut deps: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, t) in tables.iter().enumerate() {
        for fk in t.foreign_keys().iter().filter(|fk| !skip(t, fk)) {
            let key = match (&fk.referred_schema, t.schema()) {
                (Some(s), _) => format!("{s}.{}", fk.referred_table),
                (None, Some(s)) if index.contains_key(&format!("{s}.{}", fk.referred_table)) => {
                    format!("{s}.{}", fk.referred_table)
                }
                _ => fk.referred_table.clone(),
            };
            if let Some(&j) = index.get(&key)
                && j != i
                && !deps[i].contains(&j)
            {
                deps[i].push(j);
            }
        }
        // A table or view made from a SELECT comes after the tables and views it reads.
        if let Some(select) = t.creator_select() {
            let mut walk = crate::sql::visit::Walk::default();
            walk.tables = Some(Vec::new());
            walk.select_base(&select);
            for read in walk.tables.unwrap_or_default() {
                if let Some(&j) = index.get(&read.fullname())
                    && j != i
                    && !deps[i].contains(&j)
                {
                    deps[i].push(j);
                }
            }
        }
    }
    let mut done = vec![false; n];
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let mut progressed = false;
        for i in 0..n {
            if !done[i] && deps[i].iter().all(|&j| done[j]) {
                done[i] = true;
                out.push(tables[i].clone());
                progressed = true;
            }
        }
        if !progressed {
            let mut cycle: Vec<String> = (0..n)
                .filter(|&i| !done[i])
                .map(|i| tables[i].fullname())
                .collect();
            cycle.sort();
            return Err(Error::CircularDependency { tables: cycle });
        }
    }
    Ok(out)
}
