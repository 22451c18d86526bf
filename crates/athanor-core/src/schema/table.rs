//! [`Table`]: a named set of columns with its keys, constraints and indexes.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::schema::MetaData;
use crate::schema::column::{Autoincrement, Column, ColumnData, NameKey};
use crate::schema::constraint::{
    CheckConstraint, ForeignKeyConstraint, Index, PrimaryKeyConstraint, UniqueConstraint,
};
use crate::sql::{ColumnRef, CreateTableAs, CreateView, Ddl, DropView, Expr, FromItem, SelectBase};

/// A table: cheap to clone (a shared handle), immutable once built.
///
/// Build one with [`Table::build`]; it joins its [`MetaData`].
///
/// ```
/// use athanor_core::prelude::*;
/// let metadata = MetaData::new();
/// let users = Table::build("users", &metadata)
///     .column(Column::new("id", Type::Integer).primary_key())
///     .column(Column::new("name", Type::String(Some(50))).nullable(false))
///     .finish()?;
/// assert_eq!(users.name(), "users");
/// assert_eq!(users.primary_key().columns, vec!["id"]);
/// assert!(metadata.contains("users"));
/// # Ok::<(), athanor_core::Error>(())
/// ```
#[derive(Clone)]
pub struct Table(pub(crate) Arc<TableData>);

/// What a [`Table`] holds.
#[derive(Debug)]
#[non_exhaustive]
pub struct TableData {
    /// The table's name.
    pub name: String,
    /// Its schema (PostgreSQL schema, MySQL database).
    pub schema: Option<String>,
    /// Its columns in order.
    pub columns: Vec<Arc<ColumnData>>,
    /// Its primary key (empty when it has none).
    pub primary_key: PrimaryKeyConstraint,
    /// Its foreign keys.
    pub foreign_keys: Vec<ForeignKeyConstraint>,
    /// Its unique constraints.
    pub unique_constraints: Vec<UniqueConstraint>,
    /// Its check constraints.
    pub check_constraints: Vec<CheckConstraint>,
    /// Its indexes.
    pub indexes: Vec<Index>,
    /// A comment.
    pub comment: Option<String>,
    /// May statements on the table fetch database-computed values with `RETURNING`
    /// (SQLAlchemy's `implicit_returning`; see [`TableBuilder::implicit_returning`]).
    pub implicit_returning: bool,
    /// Keywords between `CREATE` and `TABLE` (`TEMPORARY`): see [`TableBuilder::prefixes`].
    pub prefixes: Vec<String>,
    /// A digest of everything above (see [`Table`]'s `Hash`).
    key: u128,
    /// The shape digest of `select(table)`, the first time one is built: later ones start
    /// with their statement-cache key known (`Select::memo`), so running a new
    /// `select(&table)` does not hash its columns again.
    pub(crate) select_all_key: std::sync::OnceLock<u128>,
    /// The DDL that creates and drops the table when it isn't plain `CREATE TABLE` /
    /// `DROP TABLE` (see [`Table::set_creator_ddl`]). Not part of the table's digest: it
    /// changes no statement that reads or writes the table.
    ddl: std::sync::RwLock<CustomDdl>,
}

/// A table's own create/drop DDL, kept without the table itself (no `Arc` cycle).
#[derive(Debug, Clone, Default)]
struct CustomDdl {
    creator: Option<Creator>,
    dropper: Option<Dropper>,
}

#[derive(Debug, Clone)]
enum Creator {
    IfNotExists,
    As(CreateTableAs),
    View(CreateView),
}

#[derive(Debug, Clone)]
enum Dropper {
    IfExists,
    View(DropView),
}

impl Table {
    /// Starts building a table that will join `metadata`.
    pub fn build(name: impl Into<String>, metadata: &MetaData) -> TableBuilder {
        TableBuilder {
            metadata: metadata.clone(),
            name: name.into(),
            schema: None,
            columns: Vec::new(),
            primary_key: None,
            foreign_keys: Vec::new(),
            uniques: Vec::new(),
            checks: Vec::new(),
            indexes: Vec::new(),
            comment: None,
            prefixes: Vec::new(),
            replace: false,
            implicit_returning: true,
        }
    }

    /// The table's name.
    pub fn name(&self) -> &str {
        &self.0.name
    }

    /// The table's schema.
    pub fn schema(&self) -> Option<&str> {
        self.0.schema.as_deref()
    }

    /// `schema.name`, or `name`: the key it has in its [`MetaData`].
    pub fn fullname(&self) -> String {
        match &self.0.schema {
            Some(s) => format!("{s}.{}", self.0.name),
            None => self.0.name.clone(),
        }
    }

    /// Everything the table holds.
    pub fn data(&self) -> &TableData {
        &self.0
    }

    /// The column definitions.
    pub fn columns(&self) -> &[Arc<ColumnData>] {
        &self.0.columns
    }

    /// The primary key.
    pub fn primary_key(&self) -> &PrimaryKeyConstraint {
        &self.0.primary_key
    }

    /// The foreign keys.
    pub fn foreign_keys(&self) -> &[ForeignKeyConstraint] {
        &self.0.foreign_keys
    }

    /// The indexes.
    pub fn indexes(&self) -> &[Index] {
        &self.0.indexes
    }

    /// A column as an expression.
    ///
    /// # Panics
    /// When the table has no such column: naming a column that doesn't exist is a programming
    /// error, like indexing past a slice. Use [`Table::try_c`] for names that come from input.
    #[track_caller]
    pub fn c(&self, name: &str) -> Expr {
        match self.try_c(name) {
            Ok(e) => e,
            Err(e) => panic!("{e}"),
        }
    }

    /// A column as an expression, or [`Error::NoSuchColumn`].
    ///
    /// # Errors
    /// [`Error::NoSuchColumn`] naming the table and the column.
    pub fn try_c(&self, name: &str) -> Result<Expr> {
        self.column_data(name)
            .map(|col| {
                Expr::Column(ColumnRef {
                    from: FromItem::Table(self.clone()),
                    column: col.clone(),
                })
            })
            .ok_or_else(|| Error::no_such_column(self.fullname(), name.to_string()))
    }

    /// The definition of a column by name.
    pub fn column_data(&self, name: &str) -> Option<&Arc<ColumnData>> {
        self.0.columns.iter().find(|c| c.name == name)
    }

    /// Every column as an expression, in order.
    pub fn all_columns(&self) -> Vec<Expr> {
        self.column_exprs().collect()
    }

    /// Every column as an expression, without collecting them (`select(&table)`).
    pub(crate) fn column_exprs(&self) -> impl ExactSizeIterator<Item = Expr> + '_ {
        self.0.columns.iter().map(|c| {
            Expr::Column(ColumnRef {
                from: FromItem::Table(self.clone()),
                column: c.clone(),
            })
        })
    }

    /// The single autoincrementing integer primary-key column, if the table has one.
    pub fn autoincrement_column(&self) -> Option<&Arc<ColumnData>> {
        let pk = &self.0.primary_key.columns;
        if pk.len() != 1 {
            return None;
        }
        let col = self.column_data(&pk[0])?;
        let has_fk = self.0.foreign_keys.iter().any(|fk| fk.columns == *pk);
        match col.autoincrement {
            Autoincrement::Yes => Some(col),
            Autoincrement::Auto if col.ty.is_integer() && !has_fk => Some(col),
            _ => None,
        }
    }

    /// True when both handles are the same table object.
    pub fn same_as(&self, other: &Table) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// Sets the DDL that `table.create` and `create_all` run for this table instead of `CREATE TABLE` (SQLAlchemy 2.1's
    /// `Table.set_creator_ddl`): [`Ddl::CreateTableIfNotExists`] of this table, or a
    /// [`CreateTableAs`] / [`CreateView`] of its name ([`CreateTableAs::table_in`] and
    /// [`CreateView::table_in`] set it themselves). [`Ddl::CreateTable`] of the table puts
    /// back the default.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::Sqlite;
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md).column(Column::new("x", Type::Integer)).finish()?;
    /// t.set_creator_ddl(Ddl::CreateTableIfNotExists(t.clone()))?;
    /// t.set_dropper_ddl(Ddl::DropTableIfExists(t.clone()))?;
    /// assert_eq!(t.creator_ddl().compile(&Sqlite)?.sql(), "CREATE TABLE IF NOT EXISTS t (x INTEGER)");
    /// assert_eq!(t.dropper_ddl().compile(&Sqlite)?.sql(), "DROP TABLE IF EXISTS t");
    /// let other = Table::build("other", &md).column(Column::new("x", Type::Integer)).finish()?;
    /// assert!(matches!(t.set_creator_ddl(Ddl::CreateTable(other)), Err(Error::Argument(_))));
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Argument`] for DDL that doesn't create this table.
    pub fn set_creator_ddl(&self, ddl: Ddl) -> Result<()> {
        let creator = match ddl {
            Ddl::CreateTable(t) if t == *self => None,
            Ddl::CreateTableIfNotExists(t) if t == *self => Some(Creator::IfNotExists),
            Ddl::CreateTableAs(c) if self.named(&c.name, c.schema.as_deref()) => {
                Some(Creator::As(*c))
            }
            Ddl::CreateView(v) if self.named(&v.name, v.schema.as_deref()) => {
                Some(Creator::View(*v))
            }
            other => {
                return Err(Error::argument(format!(
                    "set_creator_ddl: {other:?} does not create table '{}' (give CREATE TABLE [IF NOT EXISTS] of it, or a CreateTableAs / CreateView of its name)",
                    self.fullname()
                )));
            }
        };
        self.custom_ddl_mut().creator = creator;
        Ok(())
    }

    /// Sets the DDL that `drop` and `drop_all` run for this table instead of `DROP TABLE`
    /// (SQLAlchemy 2.1's `Table.set_dropper_ddl`): [`Ddl::DropTableIfExists`] of this table
    /// or a [`DropView`] of its name; [`Ddl::DropTable`] of it puts back the default. See
    /// [`Table::set_creator_ddl`].
    ///
    /// # Errors
    /// [`Error::Argument`] for DDL that doesn't drop this table.
    pub fn set_dropper_ddl(&self, ddl: Ddl) -> Result<()> {
        let dropper = match ddl {
            Ddl::DropTable(t) if t == *self => None,
            Ddl::DropTableIfExists(t) if t == *self => Some(Dropper::IfExists),
            Ddl::DropView(v) if self.named(&v.name, v.schema.as_deref()) => Some(Dropper::View(*v)),
            other => {
                return Err(Error::argument(format!(
                    "set_dropper_ddl: {other:?} does not drop table '{}' (give DROP TABLE [IF EXISTS] of it, or a DropView of its name)",
                    self.fullname()
                )));
            }
        };
        self.custom_ddl_mut().dropper = dropper;
        Ok(())
    }

    /// The DDL that creates the table: `CREATE TABLE`, or what
    /// [`Table::set_creator_ddl`] set.
    pub fn creator_ddl(&self) -> Ddl {
        match &self.custom_ddl().creator {
            None => Ddl::CreateTable(self.clone()),
            Some(Creator::IfNotExists) => Ddl::CreateTableIfNotExists(self.clone()),
            Some(Creator::As(c)) => Ddl::CreateTableAs(Box::new(c.clone())),
            Some(Creator::View(v)) => Ddl::CreateView(Box::new(v.clone())),
        }
    }

    /// The DDL that drops the table: `DROP TABLE`, or what [`Table::set_dropper_ddl`] set.
    pub fn dropper_ddl(&self) -> Ddl {
        match &self.custom_ddl().dropper {
            None => Ddl::DropTable(self.clone()),
            Some(Dropper::IfExists) => Ddl::DropTableIfExists(self.clone()),
            Some(Dropper::View(v)) => Ddl::DropView(Box::new(v.clone())),
        }
    }

    /// The SELECT the table is made from, when its creator is a [`CreateTableAs`] or a
    /// [`CreateView`] (`create_all` makes it after the tables that SELECT reads).
    pub(crate) fn creator_select(&self) -> Option<SelectBase> {
        match &self.custom_ddl().creator {
            Some(Creator::As(c)) => Some(c.select.clone()),
            Some(Creator::View(v)) => Some(v.select.clone()),
            _ => None,
        }
    }

    fn named(&self, name: &str, schema: Option<&str>) -> bool {
        self.0.name == name && self.0.schema.as_deref() == schema
    }

    fn custom_ddl(&self) -> std::sync::RwLockReadGuard<'_, CustomDdl> {
        self.0
            .ddl
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn custom_ddl_mut(&self) -> std::sync::RwLockWriteGuard<'_, CustomDdl> {
        self.0
            .ddl
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// An alias of the table (`FROM "Artist" AS a`).
    pub fn alias(&self, name: impl Into<String>) -> crate::sql::Alias {
        crate::sql::Alias::new(FromItem::Table(self.clone()), Some(name.into()))
    }
}

/// Part of a statement's cache key: a 128-bit digest, taken when the table is built, of its
/// whole definition — name, schema, and every column's name, type, primary-key flag,
/// nullability, client-side default (its kind, as for any value), server default,
/// autoincrement setting, sequence and comment, then the keys, constraints and indexes. The
/// compiler reads some of these when it renders a statement (the columns a default adds to an
/// INSERT, the primary key MySQL's upsert names, the column reporting an inserted key); keying
/// on all of them keeps the key right when it reads more.
impl Hash for Table {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u128(self.0.key);
    }
}

/// Two handles are equal when they are the same table, or tables of the same definition (as
/// [`Table`]'s `Hash` digests it).
impl PartialEq for Table {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
            || (self.0.key == other.0.key
                && self.0.name == other.0.name
                && self.0.schema == other.0.schema)
    }
}

/// Shows the table as SQLAlchemy's `repr`:
/// `Table('Album', MetaData(), Column('AlbumId', INTEGER(), table=<Album>, primary_key=True, nullable=False), ..., schema=None)`.
impl fmt::Debug for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = &self.0;
        write!(f, "Table('{}', MetaData()", t.name)?;
        for c in &t.columns {
            write!(f, ", Column('{}', {}", c.name, type_repr(&c.ty))?;
            for fk in t
                .foreign_keys
                .iter()
                .filter(|fk| fk.columns == [c.name.clone()])
            {
                write!(
                    f,
                    ", ForeignKey('{}.{}')",
                    fk.referred_table,
                    fk.referred_columns
                        .first()
                        .map(String::as_str)
                        .unwrap_or("")
                )?;
            }
            write!(f, ", table=<{}>", t.name)?;
            if c.primary_key {
                f.write_str(", primary_key=True")?;
            }
            if !c.nullable {
                f.write_str(", nullable=False")?;
            }
            f.write_str(")")?;
        }
        match &t.schema {
            Some(s) => write!(f, ", schema='{s}')"),
            None => f.write_str(", schema=None)"),
        }
    }
}

/// Displays the table's name (as SQLAlchemy's `str(table)`).
impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.fullname())
    }
}

fn type_repr(ty: &crate::types::Type) -> String {
    use crate::types::Type;
    match ty {
        Type::Declared { sql, .. } => {
            let upper = sql.to_ascii_uppercase();
            match upper.split_once('(') {
                Some((base, args)) => {
                    let args = args.trim_end_matches(')');
                    let mut parts = args.split(',').map(str::trim);
                    match (parts.next(), parts.next()) {
                        (Some(p), Some(s)) => format!("{}(precision={p}, scale={s})", base.trim()),
                        (Some(l), None) => format!("{}(length={l})", base.trim()),
                        _ => format!("{}()", base.trim()),
                    }
                }
                None => format!("{upper}()"),
            }
        }
        Type::String(Some(n)) => format!("String(length={n})"),
        Type::Unicode(Some(n)) => format!("Unicode(length={n})"),
        Type::Numeric(Some(p), Some(s)) => format!("Numeric(precision={p}, scale={s})"),
        other => format!("{other:?}()"),
    }
}

/// Builds a [`Table`]; see [`Table::build`].
#[must_use = "call finish() to build the table"]
pub struct TableBuilder {
    metadata: MetaData,
    name: String,
    schema: Option<String>,
    columns: Vec<Column>,
    primary_key: Option<PrimaryKeyConstraint>,
    foreign_keys: Vec<ForeignKeyConstraint>,
    uniques: Vec<UniqueConstraint>,
    checks: Vec<CheckConstraint>,
    indexes: Vec<Index>,
    comment: Option<String>,
    prefixes: Vec<String>,
    replace: bool,
    implicit_returning: bool,
}

impl TableBuilder {
    /// Puts the table in a schema (PostgreSQL schema, MySQL database).
    pub fn schema(mut self, schema: impl Into<String>) -> Self {
        self.schema = Some(schema.into());
        self
    }
    /// Adds a column.
    pub fn column(mut self, column: Column) -> Self {
        self.columns.push(column);
        self
    }
    /// Sets a (composite or named) primary key; overrides columns marked `primary_key()`.
    pub fn primary_key(mut self, pk: PrimaryKeyConstraint) -> Self {
        self.primary_key = Some(pk);
        self
    }
    /// Adds a (composite) foreign key.
    pub fn foreign_key(mut self, fk: ForeignKeyConstraint) -> Self {
        self.foreign_keys.push(fk);
        self
    }
    /// Adds a unique constraint.
    pub fn unique(mut self, unique: UniqueConstraint) -> Self {
        self.uniques.push(unique);
        self
    }
    /// Adds a check constraint.
    pub fn check(mut self, check: CheckConstraint) -> Self {
        self.checks.push(check);
        self
    }
    /// Adds an index.
    pub fn index(mut self, index: Index) -> Self {
        self.indexes.push(index);
        self
    }
    /// Sets the table's comment.
    pub fn comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }
    /// With `false`, [`Update::return_defaults`](crate::sql::Update::return_defaults) and
    /// [`Insert::return_defaults`](crate::sql::Insert::return_defaults) add no `RETURNING` to
    /// statements on this table (SQLAlchemy's `implicit_returning=False`): an INSERT's
    /// generated key comes from the last row id where the database reports one, an UPDATE
    /// runs unchanged. On by default.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// let md = MetaData::new();
    /// let t = Table::build("t", &md)
    ///     .column(Column::new("x", Type::Integer))
    ///     .implicit_returning(false)
    ///     .finish()?;
    /// assert!(!t.data().implicit_returning);
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn implicit_returning(mut self, on: bool) -> Self {
        self.implicit_returning = on;
        self
    }

    /// Keywords written between `CREATE` and `TABLE` (SQLAlchemy's `Table(...,
    /// prefixes=[...])`): `["TEMPORARY"]` makes a temporary table, which lives as long as the
    /// connection that created it and is seen by that connection only (create it with
    /// `conn.execute(&Ddl::CreateTable(table))` and inspect it through that connection, see
    /// `Connection::into_inspector` in `athanor`). Each prefix is one or more SQL keywords:
    /// letters, digits, `_` and spaces.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::dialect::{MySql, Postgres, Sqlite};
    /// use athanor_core::sql::Ddl;
    /// let md = MetaData::new();
    /// let t = Table::build("scratch", &md)
    ///     .column(Column::new("x", Type::Integer))
    ///     .prefixes(["TEMPORARY"])
    ///     .finish()?;
    /// for dialect in [&Sqlite as &dyn athanor_core::dialect::Dialect, &Postgres, &MySql] {
    ///     assert_eq!(Ddl::CreateTable(t.clone()).compile(dialect)?.sql(),
    ///         "CREATE TEMPORARY TABLE scratch (x INTEGER)");
    /// }
    /// let bad = Table::build("t2", &md).column(Column::new("x", Type::Integer)).prefixes(["TEMP; DROP"]);
    /// assert!(matches!(bad.finish(), Err(Error::Argument(_))));
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn prefixes<I, S>(mut self, prefixes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.prefixes = prefixes.into_iter().map(Into::into).collect();
        self
    }
    /// Replaces a table of the same name already in the `MetaData` instead of failing
    /// (SQLAlchemy's `extend_existing`).
    pub fn replace_existing(mut self) -> Self {
        self.replace = true;
        self
    }

    /// Checks the definition and adds the table to its `MetaData`.
    ///
    /// # Errors
    /// [`Error::Argument`] for a duplicate column, a constraint naming a column the table
    /// doesn't have, or a name already taken in the `MetaData`. (A table with no columns is
    /// allowed, as in SQLAlchemy; only PostgreSQL can create one.)
    pub fn finish(self) -> Result<Table> {
        let table = self.build_data()?;
        let metadata = self.metadata.clone();
        metadata.insert_table(table.clone(), self.replace)?;
        Ok(table)
    }

    /// Names the constraints and indexes built without a name by the `MetaData`'s
    /// [`NamingConvention`](crate::schema::NamingConvention) (and renames those whose
    /// template uses `%(constraint_name)s`).
    fn apply_naming_convention(
        &self,
        primary_key: &mut PrimaryKeyConstraint,
        foreign_keys: &mut [ForeignKeyConstraint],
        uniques: &mut [UniqueConstraint],
        checks: &mut [CheckConstraint],
        indexes: &mut [Index],
    ) -> Result<()> {
        use crate::schema::naming::{Kind, Subject};
        let convention = self.metadata.naming_convention();
        fn subject<'a>(
            kind: Kind,
            table: &'a str,
            columns: &'a [String],
            name: Option<&'a str>,
        ) -> Subject<'a> {
            Subject {
                kind,
                table,
                columns,
                referred_table: "",
                referred_columns: &[],
                name,
            }
        }
        let table = self.name.as_str();
        if !primary_key.columns.is_empty()
            && let Some(n) = convention.name_for(&subject(
                Kind::Pk,
                table,
                &primary_key.columns,
                primary_key.name.as_deref(),
            ))?
        {
            primary_key.name = Some(n);
            primary_key.by_convention = true;
        }
        for fk in foreign_keys {
            let s = Subject {
                referred_table: &fk.referred_table,
                referred_columns: &fk.referred_columns,
                ..subject(Kind::Fk, table, &fk.columns, fk.name.as_deref())
            };
            if let Some(n) = convention.name_for(&s)? {
                fk.name = Some(n);
                fk.by_convention = true;
            }
        }
        for u in uniques {
            if let Some(n) =
                convention.name_for(&subject(Kind::Uq, table, &u.columns, u.name.as_deref()))?
            {
                u.name = Some(n);
                u.by_convention = true;
            }
        }
        for ck in checks {
            if let Some(n) =
                convention.name_for(&subject(Kind::Ck, table, &[], ck.name.as_deref()))?
            {
                ck.name = Some(n);
                ck.by_convention = true;
            }
        }
        for ix in indexes {
            let given = (!ix.name.is_empty()).then_some(ix.name.as_str());
            if let Some(n) = convention.name_for(&subject(Kind::Ix, table, &ix.columns, given))? {
                ix.name = n;
                ix.by_convention = true;
            }
        }
        Ok(())
    }

    fn build_data(&self) -> Result<Table> {
        let fullname = match &self.schema {
            Some(s) => format!("{s}.{}", self.name),
            None => self.name.clone(),
        };
        if self.name.is_empty() {
            return Err(Error::argument("a table needs a name"));
        }
        // A table with no columns is allowed, as in SQLAlchemy: PostgreSQL has them
        // (`CREATE TABLE t ()`), and reflection must be able to load one.
        for p in &self.prefixes {
            let keyword_chars = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == ' ';
            if p.trim().is_empty() || !p.chars().all(keyword_chars) {
                return Err(Error::argument(format!(
                    "table '{fullname}': prefix {p:?} is not SQL keywords (letters, digits, '_', spaces)"
                )));
            }
        }
        let mut seen = std::collections::HashSet::new();
        for c in &self.columns {
            if c.name.is_empty() {
                return Err(Error::argument(format!(
                    "table '{fullname}' has a column with no name"
                )));
            }
            if !seen.insert(c.name.as_str()) {
                return Err(Error::argument(format!(
                    "table '{fullname}' has two columns named '{}'",
                    c.name
                )));
            }
        }
        let primary_key = match &self.primary_key {
            Some(pk) => pk.clone(),
            None => PrimaryKeyConstraint::new(
                self.columns
                    .iter()
                    .filter(|c| c.primary_key)
                    .map(|c| c.name.clone()),
            ),
        };
        let mut foreign_keys = Vec::new();
        for c in &self.columns {
            for fk in &c.foreign_keys {
                let parts: Vec<&str> = fk.target.split('.').collect();
                let (schema, table, col) = match parts.as_slice() {
                    [t, c] => (None, *t, *c),
                    [s, t, c] => (Some(s.to_string()), *t, *c),
                    _ => {
                        return Err(Error::argument(format!(
                            "foreign key target '{}' on {fullname}.{} is not 'table.column'",
                            fk.target, c.name
                        )));
                    }
                };
                foreign_keys.push(ForeignKeyConstraint {
                    name: fk.name.clone(),
                    columns: vec![c.name.clone()],
                    referred_schema: schema,
                    referred_table: table.to_string(),
                    referred_columns: vec![col.to_string()],
                    on_delete: fk.on_delete.clone(),
                    on_update: fk.on_update.clone(),
                    by_convention: false,
                });
            }
        }
        foreign_keys.extend(self.foreign_keys.iter().cloned());
        let mut uniques: Vec<UniqueConstraint> = self
            .columns
            .iter()
            .filter(|c| c.unique)
            .map(|c| UniqueConstraint::new([c.name.clone()]))
            .collect();
        uniques.extend(self.uniques.iter().cloned());
        let mut indexes: Vec<Index> = self
            .columns
            .iter()
            .filter(|c| c.index)
            .map(|c| Index::unnamed([c.name.clone()]))
            .collect();
        indexes.extend(self.indexes.iter().cloned());

        let has = |name: &str| self.columns.iter().any(|c| c.name == name);
        let check_cols = |what: &str, cols: &[String]| -> Result<()> {
            if cols.is_empty() {
                return Err(Error::argument(format!(
                    "{what} on '{fullname}' names no columns"
                )));
            }
            for col in cols {
                if !has(col) {
                    return Err(Error::argument(format!(
                        "{what} on '{fullname}' names column '{col}', which the table does not have"
                    )));
                }
            }
            Ok(())
        };
        if !primary_key.columns.is_empty() {
            check_cols("the primary key", &primary_key.columns)?;
        }
        for fk in &foreign_keys {
            check_cols("a foreign key", &fk.columns)?;
            if fk.columns.len() != fk.referred_columns.len() {
                return Err(Error::argument(format!(
                    "a foreign key on '{fullname}' has {} columns but refers to {}",
                    fk.columns.len(),
                    fk.referred_columns.len()
                )));
            }
        }
        for u in &uniques {
            check_cols("a unique constraint", &u.columns)?;
        }
        for ix in &indexes {
            if ix.expressions.is_empty() || !ix.columns.is_empty() {
                check_cols(&format!("index '{}'", ix.name), &ix.columns)?;
            }
            if !ix.include.is_empty() {
                check_cols(&format!("index '{}' INCLUDE", ix.name), &ix.include)?;
            }
        }
        let mut primary_key = primary_key;
        let mut checks = self.checks.clone();
        self.apply_naming_convention(
            &mut primary_key,
            &mut foreign_keys,
            &mut uniques,
            &mut checks,
            &mut indexes,
        )?;

        let columns: Vec<Arc<ColumnData>> = self
            .columns
            .iter()
            .map(|c| {
                let pk = primary_key.columns.contains(&c.name);
                Arc::new(ColumnData {
                    name: c.name.clone(),
                    name_key: NameKey::of(&c.name, &c.ty),
                    ty: c.ty.clone(),
                    primary_key: pk,
                    nullable: c.nullable.unwrap_or(!pk),
                    default: c.default.clone(),
                    default_sql: c.default_sql.clone(),
                    server_default: c.server_default.clone(),
                    autoincrement: c.autoincrement,
                    sequence: c.sequence.clone(),
                    identity: c.identity.clone(),
                    comment: c.comment.clone(),
                    checks: c.checks.clone(),
                })
            })
            .collect();
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        self.name.hash(&mut h);
        self.schema.hash(&mut h);
        self.comment.hash(&mut h);
        self.implicit_returning.hash(&mut h);
        self.prefixes.hash(&mut h);
        h.write_usize(columns.len());
        for c in &columns {
            // Every field: a new one must be added here (the destructuring says so).
            let ColumnData {
                name,
                name_key: _,
                ty,
                primary_key,
                nullable,
                default,
                default_sql,
                server_default,
                autoincrement,
                sequence,
                identity,
                comment,
                checks,
            } = &**c;
            name.hash(&mut h);
            ty.hash(&mut h);
            primary_key.hash(&mut h);
            nullable.hash(&mut h);
            default.hash(&mut h);
            default_sql.hash(&mut h);
            server_default.hash(&mut h);
            autoincrement.hash(&mut h);
            sequence.hash(&mut h);
            identity.hash(&mut h);
            comment.hash(&mut h);
            checks.hash(&mut h);
        }
        primary_key.hash(&mut h);
        foreign_keys.hash(&mut h);
        uniques.hash(&mut h);
        checks.hash(&mut h);
        indexes.hash(&mut h);
        Ok(Table(Arc::new(TableData {
            name: self.name.clone(),
            schema: self.schema.clone(),
            columns,
            primary_key,
            foreign_keys,
            unique_constraints: uniques,
            check_constraints: checks,
            indexes,
            comment: self.comment.clone(),
            implicit_returning: self.implicit_returning,
            prefixes: self.prefixes.clone(),
            key: h.digest128(),
            select_all_key: std::sync::OnceLock::new(),
            ddl: std::sync::RwLock::default(),
        })))
    }
}
