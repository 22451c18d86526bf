//! [`Compiled`]: a compiled statement shape — SQL text with parameter slots — and how one
//! execution's values fill them ([`Compiled::sql_for`], [`Compiled::params`]).

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::Arc;

use super::columns::{self, ResultColumns};
use super::processors::ResultProcessors;
use crate::dialect::{ParamCast, ParamStyle};
use crate::error::{Error, Result};
use crate::sql::StatementRef;
use crate::sql::visit::{BindRef, Walk};
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
    /// A named list given at execution (`bindparam_expanding("q")`), expanded to one
    /// placeholder per item.
    NamedExpanding(Arc<str>),
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
    pub(super) template: String,
    pub(super) slots: Vec<(usize, ParamSpec)>,
    /// (slot index, the subquery standing for an empty list) of each expanding slot.
    pub(super) empty_sets: Vec<(usize, String)>,
    /// (slot index, values per item) of each expanding slot of tuples (tuple IN).
    pub(super) tuple_widths: Vec<(usize, usize)>,
    /// The dialect's cast giving a value its own type ([`Dialect::param_cast`](crate::dialect::Dialect::param_cast)), rendered
    /// from the value at execution after each expanding item and each slot in `typed`.
    pub(super) cast: Option<ParamCast>,
    /// The named slots (`text()`'s `:x`, `bindparam` operands) the cast applies to.
    pub(super) typed: Vec<usize>,
    /// The slots whose values are written into the SQL as literals at execution
    /// ([`Expr::literal_execute`](crate::sql::Expr::literal_execute)): no placeholder, no
    /// parameter.
    pub(super) literal: Vec<usize>,
    pub(super) sql: Option<String>,
    pub(super) style: ParamStyle,
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
    pub(super) last_result_size: ResultSizeHint,
    /// The result columns the database reported for this shape (see
    /// [`Compiled::result_columns`]).
    pub(super) result_columns: columns::ColumnsMemo,
    /// How many values a statement of this shape binds in walk order; 0 when no slot takes
    /// one (only named parameters, or none), and the walk is skipped.
    pub(super) walk_binds: usize,
    /// What the engine does to each result row (see [`Compiled::result_processors`]).
    pub(super) processors: ResultProcessors,
    /// (slot, earlier slot) pairs: a value in GROUP BY / HAVING / ORDER BY inside an
    /// expression the SELECT list also has, and the SELECT list's value it stands for. Where
    /// placeholders are numbered (`$1`) and the two values are equal, the later one reuses the
    /// earlier placeholder, so PostgreSQL sees the same expression (see [`reuse`]).
    pub(super) same: Vec<(usize, usize)>,
    /// (slot, first slot) pairs: a named parameter used again, and its first use. Where
    /// placeholders are numbered the later use takes the first's placeholder (`$1` twice), so
    /// the database sees one parameter with one type; `?` dialects bind it once per use.
    pub(super) same_named: Vec<(usize, usize)>,
    /// Slots whose value is for a `Uuid` column, with its type (see
    /// [`Compiled::uuid_params`]).
    pub(super) uuid_slots: Vec<(usize, crate::types::Type)>,
    /// Whether a `text()` shape may begin or end a transaction, once the engine has read it
    /// (see [`Compiled::controls_transactions`]).
    pub(super) controls_transactions: FlagMemo,
}

/// A yes/no the engine works out from a shape's SQL the first time it runs: 0 unknown, 1 no,
/// 2 yes. (Two threads that work it out at once store the same answer.)
#[derive(Debug, Default)]
pub(super) struct FlagMemo(std::sync::atomic::AtomicU8);

impl Clone for FlagMemo {
    fn clone(&self) -> Self {
        FlagMemo(std::sync::atomic::AtomicU8::new(
            self.0.load(std::sync::atomic::Ordering::Relaxed),
        ))
    }
}

/// The number of values an execution of a shape last returned, so the next one can size its
/// result buffer once instead of growing it row by row.
#[derive(Debug, Default)]
pub(super) struct ResultSizeHint(std::sync::atomic::AtomicUsize);

impl Clone for ResultSizeHint {
    fn clone(&self) -> Self {
        ResultSizeHint(std::sync::atomic::AtomicUsize::new(
            self.0.load(std::sync::atomic::Ordering::Relaxed),
        ))
    }
}

impl Compiled {
    /// A statement's values for this shape (what [`Compiled::params`] takes), as
    /// [`statement_binds`](super::statement_binds), sized by the shape; a shape whose slots take no values (only
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

    /// Whether this shape's SQL may begin or end a transaction (raw SQL such as `BEGIN`), as
    /// `decide` says the first time it is asked; later calls return the remembered answer. The
    /// engine asks only of `text()` shapes, whose leading keyword (what it decides by) is the
    /// same for every execution: expanding parameters change only what follows it.
    pub fn controls_transactions(&self, decide: impl FnOnce() -> bool) -> bool {
        use std::sync::atomic::Ordering;
        match self.controls_transactions.0.load(Ordering::Relaxed) {
            1 => false,
            2 => true,
            _ => {
                let yes = decide();
                self.controls_transactions
                    .0
                    .store(if yes { 2 } else { 1 }, Ordering::Relaxed);
                yes
            }
        }
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
    /// dialect with [`Dialect::param_cast`](crate::dialect::Dialect::param_cast) a float or decimal given to `text()`'s `:x`, a
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
        match self.render(binds, named, None) {
            Ok(sql) => sql,
            // Without a dialect nothing is written as a literal, and nothing else fails.
            Err(_) => Cow::Borrowed(&self.template),
        }
    }

    /// True when the shape has parameters written in as literals at execution
    /// ([`Expr::literal_execute`](crate::sql::Expr::literal_execute)): run it with the SQL of
    /// [`Compiled::execution_sql`].
    pub fn has_literal_execute(&self) -> bool {
        !self.literal.is_empty()
    }

    /// The SQL to execute for these values: as [`Compiled::sql_for`], with the values of
    /// `literal_execute` parameters written in as literals by `dialect` (which
    /// [`Compiled::params`] leaves out).
    ///
    /// # Errors
    /// [`Error::Compile`] for a value with no literal form (a NUL, a NaN).
    pub fn execution_sql<'s, 'v>(
        &'s self,
        binds: &[BindRef<'_>],
        named: &dyn Fn(&str) -> Option<&'v Value>,
        dialect: &dyn crate::dialect::Dialect,
    ) -> Result<Cow<'s, str>> {
        self.render(binds, named, Some(dialect))
    }

    fn render<'s, 'v>(
        &'s self,
        binds: &[BindRef<'_>],
        named: &dyn Fn(&str) -> Option<&'v Value>,
        dialect: Option<&dyn crate::dialect::Dialect>,
    ) -> Result<Cow<'s, str>> {
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
            return Ok(Cow::Borrowed(sql));
        }
        let mut out = String::with_capacity(self.template.len() + 16);
        let mut last = 0;
        let mut n = 0usize;
        // The placeholder number of each slot, for a later slot that reuses it.
        let mut numbers: Vec<usize> = Vec::new();
        for (i, (off, spec)) in self.slots.iter().enumerate() {
            out.push_str(&self.template[last..*off]);
            last = *off;
            if self.literal.contains(&i) {
                numbers.push(0);
                self.write_literal(&mut out, i, spec, binds, named, dialect)?;
                continue;
            }
            if let Some(of) = self.reused(i, binds) {
                let k = numbers.get(of).copied().unwrap_or(0);
                numbers.push(k);
                let _ = write!(out, "${k}");
                continue;
            }
            numbers.push(n + 1);
            // The items of an expanding slot: the statement's list, or the named list given
            // (whose items may be tuples: then they say the width).
            let mut width = self.tuple_width(i);
            let items: Option<Vec<&Value>> = match spec {
                ParamSpec::Expanding(j) => match binds.get(*j) {
                    Some(BindRef::Many(v)) => Some(v.iter().collect()),
                    _ => None,
                },
                ParamSpec::NamedExpanding(name) => {
                    match named(name).and_then(|v| expanded_list(name, v)) {
                        Some(Ok((flat, w))) => {
                            width = w;
                            Some(flat)
                        }
                        _ => None,
                    }
                }
                _ => None,
            };
            match spec {
                ParamSpec::NamedExpanding(_) if items.is_none() => {
                    // No list yet (printing the statement): one placeholder standing for it.
                    n += 1;
                    placeholder(&mut out, self.style, n, i + 1, None, spec);
                }
                ParamSpec::Expanding(_) | ParamSpec::NamedExpanding(_) => {
                    let len = items.as_ref().map_or(1, Vec::len);
                    if len == 0 {
                        out.push_str(self.empty_set(i));
                    }
                    // Tuple IN: `(?, ?), (?, ?)`, one group per item.
                    for k in 0..len {
                        if k > 0 {
                            out.push_str(", ");
                        }
                        if width > 1 && k % width == 0 {
                            out.push('(');
                        }
                        n += 1;
                        placeholder(&mut out, self.style, n, i + 1, Some(k + 1), spec);
                        if let (Some(cast), Some(v)) = (self.cast, items.as_ref())
                            && let Some(sql) = v.get(k).and_then(|v| cast(v))
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
        Ok(Cow::Owned(out))
    }

    /// Writes a `literal_execute` slot's value(s) as literals; without a dialect or a value
    /// (printing the statement), the marker `__[POSTCOMPILE_name]` standing for them.
    fn write_literal<'v>(
        &self,
        out: &mut String,
        slot: usize,
        spec: &ParamSpec,
        binds: &[BindRef<'_>],
        named: &dyn Fn(&str) -> Option<&'v Value>,
        dialect: Option<&dyn crate::dialect::Dialect>,
    ) -> Result<()> {
        let mut width = self.tuple_width(slot);
        let (items, expanding): (Option<Vec<&Value>>, bool) = match spec {
            ParamSpec::Positional(j) => (
                match binds.get(*j) {
                    Some(BindRef::One(v)) => Some(vec![*v]),
                    _ => None,
                },
                false,
            ),
            ParamSpec::Expanding(j) => (
                match binds.get(*j) {
                    Some(BindRef::Many(v)) => Some(v.iter().collect()),
                    _ => None,
                },
                true,
            ),
            ParamSpec::Named(name) => (named(name).map(|v| vec![v]), false),
            ParamSpec::NamedExpanding(name) => (
                match named(name).and_then(|v| expanded_list(name, v)) {
                    Some(list) => {
                        let (flat, w) = list?;
                        width = w;
                        Some(flat)
                    }
                    None => None,
                },
                true,
            ),
        };
        let (Some(d), Some(items)) = (dialect, items) else {
            let name = match spec {
                ParamSpec::Named(n) | ParamSpec::NamedExpanding(n) => n.to_string(),
                _ => format!("param_{}", slot + 1),
            };
            let _ = write!(out, "__[POSTCOMPILE_{name}]");
            return Ok(());
        };
        if expanding && items.is_empty() {
            out.push_str(self.empty_set(slot));
        }
        let uuid = self
            .uuid_slots
            .iter()
            .find(|(s, _)| *s == slot)
            .map(|(_, t)| t);
        for (k, v) in items.iter().enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            if width > 1 && k % width == 0 {
                out.push('(');
            }
            // Text for a Uuid column is written as the column holds it, as it is bound (and
            // as literal_sql writes it).
            let converted = match uuid {
                Some(ty) => crate::types::bind_for_type(ty, v, d.native_uuid())?,
                None => None,
            };
            out.push_str(&d.literal(converted.as_ref().unwrap_or(v))?);
            if width > 1 && k % width == width - 1 {
                out.push(')');
            }
        }
        Ok(())
    }

    /// The SQL with every parameter written as a literal through the dialect's one escaper
    /// ([`Dialect::literal`](crate::dialect::Dialect::literal)): for printing, never for
    /// execution (see [`Compile::compile_with`](super::Compile::compile_with)). Expanding lists
    /// become their items (the dialect's empty set for none).
    ///
    /// # Errors
    /// [`Error::Compile`] for a named parameter without a value (SQLAlchemy: a bind parameter
    /// without a renderable value), or a value with no literal form (a NUL, a NaN).
    pub fn literal_sql<'v>(
        &self,
        binds: &[BindRef<'v>],
        named: &dyn Fn(&str) -> Option<&'v Value>,
        dialect: &dyn crate::dialect::Dialect,
    ) -> Result<String> {
        let missing = |name: &str| {
            Error::from(crate::error::CompileError::Invalid(format!(
                "bind parameter '{name}' has no value to render as a literal: give it one, or \
                 print without literal binds"
            )))
        };
        let mut out = String::with_capacity(self.template.len() + 16);
        let mut last = 0;
        for (i, (off, spec)) in self.slots.iter().enumerate() {
            out.push_str(&self.template[last..*off]);
            last = *off;
            let expanding = matches!(spec, ParamSpec::Expanding(_) | ParamSpec::NamedExpanding(_));
            let mut width = if expanding { self.tuple_width(i) } else { 1 };
            let items: Vec<&Value> = match spec {
                ParamSpec::Positional(j) => match binds.get(*j) {
                    Some(BindRef::One(v)) => vec![*v],
                    _ => return Err(Error::InvalidRequest(format!("parameter {j} is missing"))),
                },
                ParamSpec::Named(name) => match named(name) {
                    Some(v) => vec![v],
                    None => return Err(missing(name)),
                },
                ParamSpec::Expanding(j) => match binds.get(*j) {
                    Some(BindRef::Many(v)) => v.iter().collect(),
                    Some(BindRef::One(v)) => vec![*v],
                    None => return Err(Error::InvalidRequest(format!("parameter {j} is missing"))),
                },
                ParamSpec::NamedExpanding(name) => match named(name) {
                    Some(v) => match expanded_list(name, v) {
                        Some(list) => {
                            let (flat, w) = list?;
                            width = w;
                            flat
                        }
                        None => vec![v],
                    },
                    None => return Err(missing(name)),
                },
            };
            if expanding && items.is_empty() {
                out.push_str(self.empty_set(i));
            }
            let uuid = self
                .uuid_slots
                .iter()
                .find(|(s, _)| *s == i)
                .map(|(_, t)| t);
            for (k, v) in items.iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                if width > 1 && k % width == 0 {
                    out.push('(');
                }
                // Text for a Uuid column is written as the column holds it, as it is bound.
                let converted = match uuid {
                    Some(ty) => crate::types::bind_for_type(ty, v, dialect.native_uuid())?,
                    None => None,
                };
                out.push_str(&dialect.literal(converted.as_ref().unwrap_or(v))?);
                if width > 1 && k % width == width - 1 {
                    out.push(')');
                }
            }
        }
        out.push_str(&self.template[last..]);
        Ok(out)
    }

    /// The earlier slot whose placeholder `slot` reuses in this execution: only where
    /// placeholders are numbered and both values are equal (see [`reuse`]).
    pub(super) fn reused(&self, slot: usize, binds: &[BindRef<'_>]) -> Option<usize> {
        if self.style != ParamStyle::Numeric {
            return None;
        }
        if let Some(&(_, of)) = self.same_named.iter().find(|(s, _)| *s == slot) {
            return Some(of);
        }
        if self.same.is_empty() {
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

    pub(super) fn tuple_width(&self, slot: usize) -> usize {
        self.tuple_widths
            .iter()
            .find(|(s, _)| *s == slot)
            .map_or(1, |(_, w)| *w)
    }

    pub(super) fn empty_set(&self, slot: usize) -> &str {
        self.empty_sets
            .iter()
            .find(|(s, _)| *s == slot)
            .map_or("SELECT 1 WHERE 1!=1", |(_, sql)| sql)
    }

    /// The positions, among one execution's [`params`](Compiled::params), of the values for
    /// `Uuid` (or `UuidChar`) columns, with the column's type: their text (a `UuidChar`'s
    /// UUIDs too) is bound as the column holds it ([`crate::types::bind_for_type`]).
    ///
    /// `named` resolves named parameters as for [`Compiled::params`]: a named expanding list
    /// stands for as many positions as it has values.
    pub fn uuid_params<'v>(
        &self,
        binds: &[BindRef<'v>],
        named: &dyn Fn(&str) -> Option<&'v Value>,
    ) -> Vec<(usize, &crate::types::Type)> {
        let mut out = Vec::new();
        if self.uuid_slots.is_empty() {
            return out;
        }
        let mut at = 0usize;
        for (slot, (_, spec)) in self.slots.iter().enumerate() {
            if self.reused(slot, binds).is_some() || self.literal.contains(&slot) {
                continue;
            }
            let n = match spec {
                ParamSpec::Expanding(i) => match binds.get(*i) {
                    Some(BindRef::Many(vs)) => vs.len(),
                    _ => 1,
                },
                // As many as `params` sends for it (none for a list it can't read: then
                // `params` has failed already).
                ParamSpec::NamedExpanding(name) => named(name)
                    .and_then(|v| expanded_list(name, v))
                    .and_then(|list| list.ok())
                    .map_or(0, |(flat, _)| flat.len()),
                _ => 1,
            };
            // An IN list's items are each a value for the column.
            if let Some((_, ty)) = self.uuid_slots.iter().find(|(s, _)| *s == slot) {
                out.extend((at..at + n).map(|k| (k, ty)));
            }
            at += n;
        }
        out
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
            if self.literal.contains(&slot) {
                // Written into the SQL, not sent; still required.
                if let ParamSpec::Named(name) | ParamSpec::NamedExpanding(name) = spec
                    && named(name).is_none()
                {
                    return Err(Error::InvalidRequest(format!(
                        "a value is required for bind parameter '{name}'"
                    )));
                }
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
                ParamSpec::NamedExpanding(name) => match named(name) {
                    Some(v @ Value::Array(_)) => {
                        let Some(list) = expanded_list(name, v) else {
                            continue;
                        };
                        let (flat, width) = list?;
                        let want = self.tuple_width(slot);
                        if want > 1 && width != want && !flat.is_empty() {
                            return Err(Error::InvalidRequest(format!(
                                "bind parameter '{name}' is compared with a tuple of {want}: \
                                 give each item as a tuple of {want} values, not {width}"
                            )));
                        }
                        out.extend(flat);
                    }
                    Some(v) => {
                        return Err(Error::InvalidRequest(format!(
                            "bind parameter '{name}' is an expanding IN list: give it a list \
                             (a Vec), not {v}"
                        )));
                    }
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

/// The values of a named expanding list given at execution, flat, and how many make one item:
/// a list of values (1), or a list of tuples (each a [`Value::Array`] of the same length,
/// as `Value::from(vec![(2, "z2"), (3, "z3")])` makes) for tuple IN. `None` when `v` is no
/// list.
///
/// # Errors
/// [`Error::InvalidRequest`] for tuples of different lengths, or a list mixing tuples and
/// single values.
pub(crate) fn expanded_list<'v>(
    name: &str,
    v: &'v Value,
) -> Option<Result<(Vec<&'v Value>, usize)>> {
    let Value::Array(items) = v else {
        return None;
    };
    let width = match items.first() {
        Some(Value::Array(first)) => first.len(),
        _ => 1,
    };
    if width == 1 && !items.iter().any(|i| matches!(i, Value::Array(_))) {
        return Some(Ok((items.iter().collect(), 1)));
    }
    let mut flat = Vec::with_capacity(items.len() * width);
    for item in items {
        match item {
            Value::Array(inner) if inner.len() == width && width > 0 => flat.extend(inner.iter()),
            _ => {
                return Some(Err(Error::InvalidRequest(format!(
                    "bind parameter '{name}' is a list of tuples whose items differ: give \
                     every item as a tuple of {width} values"
                ))));
            }
        }
    }
    Some(Ok((flat, width)))
}

pub(super) fn placeholder(
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
            (ParamSpec::Named(name), _) | (ParamSpec::NamedExpanding(name), None) => {
                let _ = write!(out, ":{name}");
            }
            (ParamSpec::NamedExpanding(name), Some(k)) => {
                let _ = write!(out, ":{name}_{k}");
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
