//! The SQL compiler: one default renderer, with dialect hooks for what differs.
//!
//! [`compile`] turns a statement into a [`Compiled`]: SQL text with parameter slots, which
//! depends only on the statement's *shape*. Its values are pulled out separately (a cheap walk
//! over the tree), so a statement cache can reuse one `Compiled` for every execution of the
//! same shape with new values; see [`StatementCache`].

mod cache;
mod columns;
mod ddl;
mod dml;
mod expr;
mod order_by;
mod processors;
mod reuse;
mod select;

pub(crate) use select::{collect_froms, result_names};

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

pub use cache::{CacheStats, StatementCache, cache_key};
pub(crate) use cache::{key_digest, shape_digest};
pub use columns::ResultColumns;
pub use processors::{DEFAULT_DECIMAL_RETURN_SCALE, ResultProcessors};

use crate::dialect::{Dialect, ParamCast, ParamStyle};
use crate::error::{CompileError, Error, Result};
use crate::sql::visit::{BindRef, Walk};
use crate::sql::{Executable, FromItem, StatementRef};
use crate::types::Value;

/// Where a parameter's value comes from at execution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamSpec {
    /// The statement's n-th value in walk order.
    Positional(usize),
    /// The statement's n-th value in walk order: a list, expanded to one placeholder per item.
    Expanding(usize),
    /// A named parameter given at execution (`bindparam("x")`, `text(":x")`).
    Named(Arc<str>),
}

/// What kind of statement was compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementKind {
    /// SELECT or a compound SELECT.
    Select,
    /// INSERT.
    Insert,
    /// UPDATE.
    Update,
    /// DELETE.
    Delete,
    /// Raw SQL.
    Text,
    /// DDL.
    Ddl,
}

/// A compiled statement shape: SQL with parameter slots, reusable for every execution of
/// statements with the same shape.
#[derive(Debug, Clone)]
pub struct Compiled {
    template: String,
    slots: Vec<(usize, ParamSpec)>,
    /// (slot index, the subquery standing for an empty list) of each expanding slot.
    empty_sets: Vec<(usize, String)>,
    /// (slot index, values per item) of each expanding slot of tuples (tuple IN).
    tuple_widths: Vec<(usize, usize)>,
    /// The dialect's cast giving a value its own type ([`Dialect::param_cast`]), rendered
    /// from the value at execution after each expanding item and each slot in `typed`.
    cast: Option<ParamCast>,
    /// The named slots (`text()`'s `:x`, `bindparam` operands) the cast applies to.
    typed: Vec<usize>,
    sql: Option<String>,
    style: ParamStyle,
    /// Result column names (SELECT list or RETURNING).
    pub columns: Vec<String>,
    /// The kind of statement.
    pub kind: StatementKind,
    /// True when the statement returns rows (SELECT, RETURNING, and text).
    pub returns_rows: bool,
    /// False when the shape can't be reused (it is then compiled each time).
    pub cacheable: bool,
    /// For INSERT: the table's single autoincrement column, to report the inserted key.
    pub autoincrement_column: Option<String>,
    /// Values the last execution of this shape returned (see [`Compiled::result_size_hint`]).
    last_result_size: ResultSizeHint,
    /// The result columns the database reported for this shape (see
    /// [`Compiled::result_columns`]).
    result_columns: columns::ColumnsMemo,
    /// How many values a statement of this shape binds in walk order; 0 when no slot takes
    /// one (only named parameters, or none), and the walk is skipped.
    walk_binds: usize,
    /// What the engine does to each result row (see [`Compiled::result_processors`]).
    processors: ResultProcessors,
    /// (slot, earlier slot) pairs: a value in GROUP BY / HAVING / ORDER BY inside an
    /// expression the SELECT list also has, and the SELECT list's value it stands for. Where
    /// placeholders are numbered (`$1`) and the two values are equal, the later one reuses the
    /// earlier placeholder, so PostgreSQL sees the same expression (see [`reuse`]).
    same: Vec<(usize, usize)>,
}

/// The number of values an execution of a shape last returned, so the next one can size its
/// result buffer once instead of growing it row by row.
#[derive(Debug, Default)]
struct ResultSizeHint(std::sync::atomic::AtomicUsize);

impl Clone for ResultSizeHint {
    fn clone(&self) -> Self {
        ResultSizeHint(std::sync::atomic::AtomicUsize::new(
            self.0.load(std::sync::atomic::Ordering::Relaxed),
        ))
    }
}

impl Compiled {
    /// A statement's values for this shape (what [`Compiled::params`] takes), as
    /// [`statement_binds`], sized by the shape; a shape whose slots take no values (only
    /// `bindparam`s, or none) doesn't walk the statement.
    pub fn statement_binds<'a>(&self, stmt: StatementRef<'a>) -> Vec<BindRef<'a>> {
        if self.walk_binds == 0 {
            return Vec::new();
        }
        let mut walk = Walk::default();
        walk.binds.reserve(self.walk_binds);
        walk.statement(stmt);
        walk.binds
    }

    /// The SQL, when it doesn't depend on expanding parameters; `None` otherwise.
    pub fn static_sql(&self) -> Option<&str> {
        self.sql.as_deref()
    }

    /// How many values (rows × columns) the last execution of this shape returned, as
    /// recorded by [`Compiled::record_result_size`]: a capacity for the next result's buffer.
    pub fn result_size_hint(&self) -> usize {
        self.last_result_size
            .0
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Records how many values an execution returned (see [`Compiled::result_size_hint`]).
    pub fn record_result_size(&self, values: usize) {
        self.last_result_size
            .0
            .store(values, std::sync::atomic::Ordering::Relaxed);
    }

    /// The result columns the database reported the first time this shape ran, if it has
    /// run: the engine reuses them instead of reading names for every execution (a driver
    /// still checks the count, and reports names afresh when it differs).
    pub fn result_columns(&self) -> Option<&Arc<ResultColumns>> {
        self.result_columns.get()
    }

    /// Remembers the result columns the database reported (see [`Compiled::result_columns`]).
    /// Ignored for `text()` and for SQL with a `*`, whose columns follow the schema rather
    /// than the statement, and once names are set.
    pub fn remember_result_columns(&self, columns: &Arc<ResultColumns>) {
        if self.kind != StatementKind::Text && self.cacheable && !self.template.contains('*') {
            self.result_columns.set(columns.clone());
        }
    }

    /// What the engine does to each result row of this shape on its way to the user: a
    /// `Numeric(_, Some(scale))` column that arrives as a float becomes the decimal at its
    /// scale (see [`ResultProcessors`]).
    pub fn result_processors(&self) -> &ResultProcessors {
        &self.processors
    }

    /// The parameter slots, in placeholder order.
    pub fn slots(&self) -> impl Iterator<Item = &ParamSpec> {
        self.slots.iter().map(|(_, s)| s)
    }

    /// The SQL for a particular set of values: expanding lists sized to theirs, and on a
    /// dialect with [`Dialect::param_cast`] a float or decimal given to `text()`'s `:x`, a
    /// `bindparam` operand or an IN list saying its type (`$1::DOUBLE PRECISION`), so the
    /// SQL follows the values' kinds while the shape stays one cache entry. `named` resolves
    /// named parameters as in [`Compiled::params`].
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::compiler::compile;
    /// use athanor_core::dialect::Postgres;
    /// let stmt = text("SELECT n * :x / total FROM t");
    /// let c = compile(stmt.statement(), &Postgres)?;
    /// let (float, int) = (Value::Float(100.0), Value::Int(100));
    /// assert_eq!(c.sql_for(&[], &|_| Some(&float)), "SELECT n * $1::DOUBLE PRECISION / total FROM t");
    /// assert_eq!(c.sql_for(&[], &|_| Some(&int)), "SELECT n * $1 / total FROM t");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    pub fn sql_for<'s, 'v>(
        &'s self,
        binds: &[BindRef<'_>],
        named: &dyn Fn(&str) -> Option<&'v Value>,
    ) -> Cow<'s, str> {
        let cast_of = |slot: usize| -> Option<&'static str> {
            let cast = self.cast?;
            match self.slots.get(slot) {
                Some((_, ParamSpec::Named(name))) if self.typed.contains(&slot) => {
                    named(name).and_then(cast)
                }
                _ => None,
            }
        };
        if let Some(sql) = &self.sql
            && self.typed.iter().all(|&i| cast_of(i).is_none())
        {
            return Cow::Borrowed(sql);
        }
        let mut out = String::with_capacity(self.template.len() + 16);
        let mut last = 0;
        let mut n = 0usize;
        // The placeholder number of each slot, for a later slot that reuses it.
        let mut numbers: Vec<usize> = Vec::new();
        for (i, (off, spec)) in self.slots.iter().enumerate() {
            out.push_str(&self.template[last..*off]);
            last = *off;
            if let Some(of) = self.reused(i, binds) {
                let k = numbers.get(of).copied().unwrap_or(0);
                numbers.push(k);
                let _ = write!(out, "${k}");
                continue;
            }
            numbers.push(n + 1);
            match spec {
                ParamSpec::Expanding(j) => {
                    let len = match binds.get(*j) {
                        Some(BindRef::Many(v)) => v.len(),
                        _ => 1,
                    };
                    if len == 0 {
                        out.push_str(self.empty_set(i));
                    }
                    // Tuple IN: `(?, ?), (?, ?)`, one group per item.
                    let width = self.tuple_width(i);
                    for k in 0..len {
                        if k > 0 {
                            out.push_str(", ");
                        }
                        if width > 1 && k % width == 0 {
                            out.push('(');
                        }
                        n += 1;
                        placeholder(&mut out, self.style, n, i + 1, Some(k + 1), spec);
                        if let (Some(cast), Some(BindRef::Many(v))) = (self.cast, binds.get(*j))
                            && let Some(sql) = v.get(k).and_then(cast)
                        {
                            out.push_str(sql);
                        }
                        if width > 1 && k % width == width - 1 {
                            out.push(')');
                        }
                    }
                }
                _ => {
                    n += 1;
                    placeholder(&mut out, self.style, n, i + 1, None, spec);
                    if let Some(sql) = cast_of(i) {
                        out.push_str(sql);
                    }
                }
            }
        }
        out.push_str(&self.template[last..]);
        Cow::Owned(out)
    }

    /// The earlier slot whose placeholder `slot` reuses in this execution: only where
    /// placeholders are numbered and both values are equal (see [`reuse`]).
    fn reused(&self, slot: usize, binds: &[BindRef<'_>]) -> Option<usize> {
        if self.same.is_empty() || self.style != ParamStyle::Numeric {
            return None;
        }
        let &(_, of) = self.same.iter().find(|(s, _)| *s == slot)?;
        let value = |k: usize| match self.slots.get(k) {
            Some((_, ParamSpec::Positional(i))) => match binds.get(*i) {
                Some(BindRef::One(v)) => Some(*v),
                _ => None,
            },
            _ => None,
        };
        match (value(slot), value(of)) {
            (Some(a), Some(b)) if a == b => Some(of),
            _ => None,
        }
    }

    fn tuple_width(&self, slot: usize) -> usize {
        self.tuple_widths
            .iter()
            .find(|(s, _)| *s == slot)
            .map_or(1, |(_, w)| *w)
    }

    fn empty_set(&self, slot: usize) -> &str {
        self.empty_sets
            .iter()
            .find(|(s, _)| *s == slot)
            .map_or("SELECT 1 WHERE 1!=1", |(_, sql)| sql)
    }

    /// The parameter values for one execution, in placeholder order.
    ///
    /// `binds` are the statement's values in walk order; `named` resolves named parameters.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] when a named parameter has no value.
    pub fn params<'v>(
        &self,
        binds: &[BindRef<'v>],
        named: &dyn Fn(&str) -> Option<&'v Value>,
    ) -> Result<Vec<&'v Value>> {
        let mut out = Vec::with_capacity(self.slots.len());
        for (slot, (_, spec)) in self.slots.iter().enumerate() {
            if self.reused(slot, binds).is_some() {
                continue;
            }
            match spec {
                ParamSpec::Positional(i) => match binds.get(*i) {
                    Some(BindRef::One(v)) => out.push(*v),
                    _ => return Err(Error::InvalidRequest(format!("parameter {i} is missing"))),
                },
                ParamSpec::Expanding(i) => match binds.get(*i) {
                    Some(BindRef::Many(vs)) => out.extend(vs.iter()),
                    Some(BindRef::One(v)) => out.push(*v),
                    None => return Err(Error::InvalidRequest(format!("parameter {i} is missing"))),
                },
                ParamSpec::Named(name) => match named(name) {
                    Some(v) => out.push(v),
                    None => {
                        return Err(Error::InvalidRequest(format!(
                            "a value is required for bind parameter '{name}'"
                        )));
                    }
                },
            }
        }
        Ok(out)
    }
}

fn placeholder(
    out: &mut String,
    style: ParamStyle,
    n: usize,
    slot: usize,
    item: Option<usize>,
    spec: &ParamSpec,
) {
    match style {
        ParamStyle::Qmark | ParamStyle::Format => out.push('?'),
        ParamStyle::Numeric => {
            let _ = write!(out, "${n}");
        }
        ParamStyle::Named => match (spec, item) {
            (ParamSpec::Named(name), _) => {
                let _ = write!(out, ":{name}");
            }
            (_, Some(k)) => {
                let _ = write!(out, ":param_{slot}_{k}");
            }
            (_, None) => {
                let _ = write!(out, ":param_{slot}");
            }
        },
    }
}

/// A statement compiled with its values: the SQL and parameters one execution sends.
///
/// ```
/// use athanor_core::prelude::*;
/// use athanor_core::dialect::Postgres;
/// let stmt = select(column("x")).filter(column("x").in_([1, 2]));
/// let c = stmt.compile(&Postgres)?;
/// assert_eq!(c.sql(), "SELECT x WHERE x IN ($1, $2)");
/// assert_eq!(c.params(), &[Value::Int(1), Value::Int(2)]);
/// # Ok::<(), athanor_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct CompiledStatement {
    sql: String,
    params: Vec<Value>,
    compiled: Arc<Compiled>,
}

impl CompiledStatement {
    /// The SQL text.
    pub fn sql(&self) -> &str {
        &self.sql
    }
    /// The parameter values in placeholder order (named parameters not yet given are absent).
    pub fn params(&self) -> &[Value] {
        &self.params
    }
    /// The reusable shape.
    pub fn compiled(&self) -> &Arc<Compiled> {
        &self.compiled
    }
}

impl std::fmt::Display for CompiledStatement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.sql)
    }
}

/// Compiling on statements: `stmt.compile(&dialect)`.
pub trait Compile: Executable {
    /// Compiles for a dialect, with this statement's values.
    ///
    /// # Errors
    /// [`Error::Compile`] when the dialect can't render a construct; join and column errors
    /// found while rendering.
    fn compile(&self, dialect: &dyn Dialect) -> Result<CompiledStatement> {
        let stmt = self.statement();
        let compiled = Arc::new(compile(stmt, dialect)?);
        let mut walk = Walk::default();
        walk.statement(stmt);
        let text_values = text_values(stmt);
        let named = |n: &str| {
            text_values
                .iter()
                .find(|(k, _)| k.as_ref() == n)
                .map(|(_, v)| v)
        };
        let sql = compiled.sql_for(&walk.binds, &named).into_owned();
        let mut params = Vec::new();
        for (slot, (_, spec)) in compiled.slots.iter().enumerate() {
            if compiled.reused(slot, &walk.binds).is_some() {
                continue;
            }
            match spec {
                ParamSpec::Positional(i) | ParamSpec::Expanding(i) => match walk.binds.get(*i) {
                    Some(BindRef::One(v)) => params.push((*v).clone()),
                    Some(BindRef::Many(vs)) => params.extend(vs.iter().cloned()),
                    None => {}
                },
                ParamSpec::Named(n) => {
                    if let Some(v) = named(n) {
                        params.push(v.clone());
                    }
                }
            }
        }
        Ok(CompiledStatement {
            sql,
            params,
            compiled,
        })
    }
}

impl<T: Executable + ?Sized> Compile for T {}

/// The values a `text()` statement binds by name.
pub fn text_values(stmt: StatementRef<'_>) -> &[(Arc<str>, Value)] {
    match stmt {
        StatementRef::Text(t) => &t.values,
        _ => &[],
    }
}

/// The statement's values in walk order (what [`Compiled::params`] takes).
pub fn statement_binds(stmt: StatementRef<'_>) -> Vec<BindRef<'_>> {
    let mut walk = Walk::default();
    walk.statement(stmt);
    walk.binds
}

/// Compiles a statement's shape for a dialect.
///
/// # Errors
/// As [`Compile::compile`].
pub fn compile(stmt: StatementRef<'_>, dialect: &dyn Dialect) -> Result<Compiled> {
    let mut walk = Walk::default();
    walk.statement(stmt);
    let mut c = Compiler::new(dialect);
    c.ddl = matches!(stmt, StatementRef::Ddl(_));
    let kind = match stmt {
        StatementRef::Select(_) | StatementRef::Compound(_) => StatementKind::Select,
        StatementRef::Insert(_) => StatementKind::Insert,
        StatementRef::Update(_) => StatementKind::Update,
        StatementRef::Delete(_) => StatementKind::Delete,
        StatementRef::Text(_) => StatementKind::Text,
        StatementRef::Ddl(_) => StatementKind::Ddl,
    };
    if insert_from_select(stmt) {
        // `INSERT INTO t (...) WITH ... SELECT`: MySQL has no WITH before INSERT.
        c.pending_ctes = walk.ctes;
    } else if !walk.ctes.is_empty() {
        c.with_clause(&walk.ctes)?;
    }
    let mut autoincrement_column = None;
    match stmt {
        StatementRef::Select(s) => {
            c.columns = c.select(s)?;
        }
        StatementRef::Compound(s) => {
            c.columns = c.compound(s)?;
        }
        StatementRef::Insert(i) => {
            c.insert(i)?;
            autoincrement_column = i.table.autoincrement_column().map(|c| c.name.clone());
        }
        StatementRef::Update(u) => c.update(u)?,
        StatementRef::Delete(d) => c.delete(d)?,
        StatementRef::Text(t) => c.text(t),
        StatementRef::Ddl(d) => c.ddl(d)?,
    }
    if let Some(e) = c.bad_name.take() {
        return Err(e);
    }
    let returns_rows = match kind {
        StatementKind::Select | StatementKind::Text => true,
        _ => !c.columns.is_empty(),
    };
    // Map each rendered value to its position in walk order.
    let index: HashMap<usize, usize> = walk
        .binds
        .iter()
        .enumerate()
        .rev()
        .map(|(i, b)| (b.addr(), i))
        .collect();
    let same: Vec<(usize, usize)> = std::mem::take(&mut c.same);
    let mut cacheable = true;
    let mut slots = Vec::with_capacity(c.slots.len());
    let mut has_expanding = false;
    for (off, slot) in c.slots {
        let spec = match slot {
            Slot::Bind(b) => match index.get(&b.addr()) {
                Some(&i) => match b {
                    BindRef::One(_) => ParamSpec::Positional(i),
                    BindRef::Many(_) => {
                        has_expanding = true;
                        ParamSpec::Expanding(i)
                    }
                },
                None => {
                    cacheable = false;
                    ParamSpec::Positional(usize::MAX)
                }
            },
            Slot::Named(n) => ParamSpec::Named(n),
        };
        slots.push((off, spec));
    }
    if !cacheable {
        return Err(Error::Compile(CompileError::Invalid(
            "internal error: a rendered value was not found by the statement walk".into(),
        )));
    }
    let mut compiled = Compiled {
        template: c.out,
        slots,
        empty_sets: c.empty_sets,
        tuple_widths: c.tuple_widths,
        cast: dialect.param_cast(),
        typed: c.typed,
        sql: None,
        style: dialect.param_style(),
        columns: c.columns,
        kind,
        returns_rows,
        cacheable,
        autoincrement_column,
        last_result_size: ResultSizeHint::default(),
        result_columns: columns::ColumnsMemo::default(),
        walk_binds: 0,
        processors: ResultProcessors::of(stmt),
        same,
    };
    // Only value slots reuse one another.
    let positional =
        |k: usize| matches!(compiled.slots.get(k), Some((_, ParamSpec::Positional(_))));
    let same: Vec<(usize, usize)> = compiled
        .same
        .iter()
        .copied()
        .filter(|&(s, of)| of < s && positional(s) && positional(of))
        .collect();
    compiled.same = same;
    if compiled
        .slots
        .iter()
        .any(|(_, s)| matches!(s, ParamSpec::Positional(_) | ParamSpec::Expanding(_)))
    {
        compiled.walk_binds = walk.binds.len();
    }
    // With reusable slots the SQL depends on the values (equal ones share a placeholder).
    if !has_expanding && (compiled.same.is_empty() || compiled.style != ParamStyle::Numeric) {
        compiled.sql = Some(compiled.sql_for(&[], &|_| None).into_owned());
    }
    Ok(compiled)
}

fn insert_from_select(stmt: StatementRef<'_>) -> bool {
    matches!(stmt, StatementRef::Insert(i) if matches!(i.source, crate::sql::InsertSource::Select(..)))
}

/// A value placeholder in the SQL being built.
enum Slot<'a> {
    Bind(BindRef<'a>),
    Named(Arc<str>),
}

/// The renderer: SQL text and parameter slots, built by a walk over the statement with hooks
/// into the dialect. Dialects use its methods to render the pieces they override.
pub struct Compiler<'a> {
    dialect: &'a dyn Dialect,
    out: String,
    slots: Vec<(usize, Slot<'a>)>,
    empty_sets: Vec<(usize, String)>,
    tuple_widths: Vec<(usize, usize)>,
    /// Named slots whose values say their type at execution (see [`Compiled::sql_for`]).
    typed: Vec<usize>,
    /// CTEs to render at the start of an INSERT's SELECT rather than before the INSERT.
    pending_ctes: Vec<&'a crate::sql::Cte>,
    anon_aliases: Vec<(usize, String)>,
    anon_count: usize,
    /// FROM items of the enclosing SELECTs, innermost last (for correlation).
    scopes: Vec<Vec<FromItem>>,
    /// Labels of the SELECT being rendered (ORDER BY may name them).
    labels: Vec<Vec<Arc<str>>>,
    /// What names in ORDER BY may refer to, innermost statement last.
    name_scopes: Vec<order_by::NameScope<'a>>,
    columns: Vec<String>,
    unqualified: bool,
    /// Rendering DDL: names are checked against the dialect's identifier limit, not its
    /// label limit.
    ddl: bool,
    /// The first name the dialect can't hold (see [`Compiler::ident`]).
    bad_name: Option<Error>,
    /// Placeholder reuse (see [`reuse`]): the SELECT list's parameterized columns, the
    /// expression being rendered in reuse mode, and the (slot, earlier slot) pairs found.
    reuse: reuse::ReuseState,
    /// (slot, earlier slot) pairs for [`Compiled::same`].
    same: Vec<(usize, usize)>,
    /// The next SELECT is a subquery's or CTE's body: a result name taken by an earlier
    /// column is labeled `name_1`, `name_2`, ... (`crate::sql::dedupe_names`).
    dedupe_names: bool,
}

impl<'a> Compiler<'a> {
    fn new(dialect: &'a dyn Dialect) -> Self {
        Compiler {
            dialect,
            out: String::with_capacity(256),
            slots: Vec::new(),
            empty_sets: Vec::new(),
            tuple_widths: Vec::new(),
            typed: Vec::new(),
            pending_ctes: Vec::new(),
            anon_aliases: Vec::new(),
            anon_count: 0,
            scopes: Vec::new(),
            labels: Vec::new(),
            name_scopes: Vec::new(),
            columns: Vec::new(),
            unqualified: false,
            ddl: false,
            bad_name: None,
            dedupe_names: false,
            reuse: reuse::ReuseState::default(),
            same: Vec::new(),
        }
    }

    /// The dialect being compiled for.
    pub fn dialect(&self) -> &'a dyn Dialect {
        self.dialect
    }

    /// Appends SQL text.
    pub fn push(&mut self, sql: &str) {
        self.out.push_str(sql);
    }

    /// Appends an identifier, quoted when the dialect needs it. A name the dialect can't
    /// hold (too long, a NUL; see [`crate::dialect::identifiers`]) fails the compile with
    /// [`Error::Argument`].
    pub fn ident(&mut self, name: &str) {
        let d = self.dialect;
        if self.bad_name.is_none()
            && let Err(e) = d.check_identifier(name, self.ddl)
        {
            self.bad_name = Some(e);
        }
        if d.needs_quote(name) {
            let (open, close) = d.quote_chars();
            self.out.push(open);
            for ch in name.chars() {
                if ch == close {
                    self.out.push(close);
                }
                self.out.push(ch);
            }
            self.out.push(close);
        } else {
            self.out.push_str(name);
        }
    }

    /// Appends a bound value's placeholder.
    pub fn bind(&mut self, v: &'a Value) {
        if let Some(of) = self.reuse.next_slot() {
            self.same.push((self.slots.len(), of));
        }
        self.slots
            .push((self.out.len(), Slot::Bind(BindRef::One(v))));
    }

    fn bind_many(&mut self, v: &'a [Value], empty_set: String, width: usize) {
        self.empty_sets.push((self.slots.len(), empty_set));
        if width > 1 {
            self.tuple_widths.push((self.slots.len(), width));
        }
        self.slots
            .push((self.out.len(), Slot::Bind(BindRef::Many(v))));
    }

    fn bind_named(&mut self, name: Arc<str>) {
        self.slots.push((self.out.len(), Slot::Named(name)));
    }

    /// A named parameter whose context would type it (an operand, `text()`): its value
    /// says its type at execution, through the dialect's [`Dialect::param_cast`].
    fn bind_named_typed(&mut self, name: Arc<str>) {
        self.typed.push(self.slots.len());
        self.bind_named(name);
    }

    /// Appends a literal for DDL through the dialect's escaping.
    ///
    /// # Errors
    /// When the dialect can't write the value as a literal.
    pub fn literal(&mut self, v: &Value) -> Result<()> {
        let s = self.dialect.literal(v)?;
        self.out.push_str(&s);
        Ok(())
    }

    fn unsupported<T>(&self, construct: impl Into<String>) -> Result<T> {
        Err(Error::Compile(CompileError::Unsupported {
            dialect: self.dialect.name(),
            construct: construct.into(),
        }))
    }

    fn text(&mut self, t: &'a crate::sql::TextClause) {
        let mut last = 0;
        for (off, name) in t.params.iter() {
            self.out.push_str(&t.sql[last..*off]);
            last = *off;
            self.bind_named_typed(name.clone());
        }
        self.out.push_str(&t.sql[last..]);
    }
}

macro_rules! display_via_default_dialect {
    ($($t:ty),*) => {$(
        /// Prints the SQL as SQLAlchemy's `print(stmt)` does: standard SQL with `:name`
        /// parameters. Use `compile(&dialect)` for a database's SQL.
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self.compile(&crate::dialect::DefaultDialect) {
                    Ok(c) => f.write_str(c.sql()),
                    Err(e) => write!(f, "<statement that can't be compiled: {e}>"),
                }
            }
        }
    )*};
}
display_via_default_dialect!(
    crate::sql::Select,
    crate::sql::CompoundSelect,
    crate::sql::Insert,
    crate::sql::Update,
    crate::sql::Delete,
    crate::sql::TextClause,
    crate::sql::Ddl
);
