//! The SQL compiler: one default renderer, with dialect hooks for what differs.
//!
//! [`compile`] turns a statement into a [`Compiled`]: SQL text with parameter slots, which
//! depends only on the statement's *shape*. Its values are pulled out separately (a cheap walk
//! over the tree), so a statement cache can reuse one `Compiled` for every execution of the
//! same shape with new values; see [`StatementCache`].

mod cache;
mod columns;
mod compiled;
pub(crate) mod ddl;
mod dml;
mod expr;
mod order_by;
mod processors;
mod reuse;
mod schema_map;
mod select;

pub use select::ValuesWrap;
pub(crate) use select::{collect_froms, result_names};

use std::collections::HashMap;
use std::sync::Arc;

pub use cache::{CacheStats, StatementCache, cache_key};
pub(crate) use cache::{key_digest, shape_digest};
pub use columns::ResultColumns;
use compiled::ResultSizeHint;
pub use compiled::{Compiled, ParamSpec, StatementKind};
pub use processors::{DEFAULT_DECIMAL_RETURN_SCALE, ResultProcessors};
pub use schema_map::SchemaTranslateMap;

use crate::dialect::{Dialect, ParamStyle};
use crate::error::{CompileError, Error, Result};
use crate::sql::visit::{BindRef, Walk};
use crate::sql::{Executable, Expr, FromItem, StatementRef};
use crate::types::{Type, Value};

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
            if compiled.reused(slot, &walk.binds).is_some() || compiled.literal.contains(&slot) {
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
                ParamSpec::NamedExpanding(n) => {
                    if let Some(v) = named(n) {
                        match compiled::expanded_list(n, v) {
                            Some(list) => params.extend(list?.0.into_iter().cloned()),
                            None => params.push(v.clone()),
                        }
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

    /// Compiles for a dialect with [`CompileOptions`]: with
    /// [`literal_binds`](CompileOptions::literal_binds), every value is written into the SQL
    /// as a literal through the dialect's one escaper ([`Dialect::literal`]), and
    /// [`CompiledStatement::params`] is empty (SQLAlchemy's
    /// `compile(compile_kwargs={"literal_binds": True})`). That SQL is for printing,
    /// logging and reading; Athanor always executes statements with bound values.
    ///
    /// ```
    /// use athanor_core::prelude::*;
    /// use athanor_core::compiler::CompileOptions;
    /// use athanor_core::dialect::{MySql, Postgres};
    /// let stmt = select(column("id"))
    ///     .filter(column("name").eq(r"O'Brien\") & column("id").in_([1, 2]))
    ///     .limit(5);
    /// let c = stmt.compile_with(&Postgres, CompileOptions::literal_binds())?;
    /// assert_eq!(c.sql(), r"SELECT id WHERE name = 'O''Brien\' AND id IN (1, 2) LIMIT 5");
    /// assert!(c.params().is_empty());
    /// let c = stmt.compile_with(&MySql, CompileOptions::literal_binds())?;
    /// assert_eq!(c.sql(), r"SELECT id WHERE name = 'O''Brien\\' AND id IN (1, 2) LIMIT 5");
    /// # Ok::<(), athanor_core::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Compile::compile`]; with literal binds, [`Error::Compile`] for a `bindparam`
    /// without a value or a value with no literal form (a NUL character, a NaN).
    fn compile_with(
        &self,
        dialect: &dyn Dialect,
        options: CompileOptions,
    ) -> Result<CompiledStatement> {
        if !options.literal_binds {
            return self.compile(dialect);
        }
        let stmt = self.statement();
        let compiled = Arc::new(compile(stmt, dialect)?);
        let binds = statement_binds(stmt);
        let text_values = text_values(stmt);
        let named = |n: &str| {
            text_values
                .iter()
                .find(|(k, _)| k.as_ref() == n)
                .map(|(_, v)| v)
        };
        let sql = compiled.literal_sql(&binds, &named, dialect)?;
        Ok(CompiledStatement {
            sql,
            params: Vec::new(),
            compiled,
        })
    }
}

/// How [`Compile::compile_with`] compiles.
///
/// ```
/// use athanor_core::compiler::CompileOptions;
/// assert!(CompileOptions::literal_binds().literal_binds);
/// assert!(!CompileOptions::default().literal_binds);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CompileOptions {
    /// Write values into the SQL as literals instead of placeholders (for printing only).
    pub literal_binds: bool,
}

impl CompileOptions {
    /// Options with [`literal_binds`](CompileOptions::literal_binds) on.
    pub fn literal_binds() -> Self {
        CompileOptions {
            literal_binds: true,
        }
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
    compile_translated(stmt, dialect, None)
}

/// Compiles a statement's shape for a dialect, schema names translated by `schema_map`
/// (see [`SchemaTranslateMap`]).
///
/// # Errors
/// As [`Compile::compile`].
pub fn compile_translated(
    stmt: StatementRef<'_>,
    dialect: &dyn Dialect,
    schema_map: Option<&SchemaTranslateMap>,
) -> Result<Compiled> {
    let mut walk = Walk::default();
    walk.statement(stmt);
    let mut c = Compiler::new(dialect);
    c.schema_map = schema_map.filter(|m| !m.is_empty());
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
            c.wrap_columns = true;
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
            Slot::NamedMany(n) => {
                has_expanding = true;
                ParamSpec::NamedExpanding(n)
            }
        };
        slots.push((off, spec));
    }
    if !cacheable {
        return Err(Error::from(CompileError::Invalid(
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
        literal: c.literal_slots,
        sql: None,
        style: dialect.param_style(),
        columns: c.columns,
        kind,
        returns_rows,
        cacheable,
        autoincrement_column,
        last_result_size: ResultSizeHint::default(),
        controls_transactions: Default::default(),
        result_columns: columns::ColumnsMemo::default(),
        walk_binds: 0,
        processors: ResultProcessors::of(stmt),
        same,
        same_named: Vec::new(),
        uuid_slots: c.uuid_slots,
    };
    if compiled.style == ParamStyle::Numeric {
        // One placeholder per parameter name (`$1` at each use).
        let mut first: HashMap<&str, usize> = HashMap::new();
        for (k, (_, spec)) in compiled.slots.iter().enumerate() {
            if compiled.literal.contains(&k) {
                continue;
            }
            if let ParamSpec::Named(n) = spec {
                match first.get(&**n) {
                    Some(&of) => compiled.same_named.push((k, of)),
                    None => {
                        first.insert(n, k);
                    }
                }
            }
        }
    }
    // Only value slots reuse one another (not those written in as literals).
    let positional = |k: usize| {
        matches!(compiled.slots.get(k), Some((_, ParamSpec::Positional(_))))
            && !compiled.literal.contains(&k)
    };
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
    if !has_expanding
        && compiled.literal.is_empty()
        && (compiled.same.is_empty() || compiled.style != ParamStyle::Numeric)
    {
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
    NamedMany(Arc<str>),
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
    /// The slots whose values are written in as literals at execution (`literal_execute`).
    literal_slots: Vec<usize>,
    /// CTEs to render at the start of an INSERT's SELECT rather than before the INSERT.
    pending_ctes: Vec<&'a crate::sql::Cte>,
    /// Client-side defaults an INSERT ... SELECT appends to its SELECT's columns (for the
    /// table's columns the INSERT doesn't name), taken by the first SELECT rendered.
    insert_select_defaults: Vec<crate::schema::InsertDefault<'a>>,
    /// Slots whose value goes to, or is compared with, a `Uuid` column (text there is bound
    /// as what the column holds: [`crate::types::bind_for_type`]), with the column's type.
    uuid_slots: Vec<(usize, Type)>,
    anon_aliases: Vec<(usize, String)>,
    anon_count: usize,
    /// FROM items of the enclosing SELECTs, innermost last (for correlation).
    scopes: Vec<Vec<FromItem>>,
    /// Per SELECT being rendered, innermost last: the names of the schema-qualified tables in
    /// its FROM list. A table of the same name without a schema is aliased `name_1` there,
    /// so the two can't be confused (SQLAlchemy's ambiguous table name map).
    ambiguous: Vec<Vec<&'a str>>,
    /// Schema names rendered as others ([`SchemaTranslateMap`]).
    schema_map: Option<&'a SchemaTranslateMap>,
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
    /// The next SELECT rendered is the statement itself (not a CTE's or subquery's body): its
    /// columns of a [`Type::Wrapped`] type are read through their column expressions.
    wrap_columns: bool,
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
            literal_slots: Vec::new(),
            pending_ctes: Vec::new(),
            insert_select_defaults: Vec::new(),
            uuid_slots: Vec::new(),
            anon_aliases: Vec::new(),
            anon_count: 0,
            scopes: Vec::new(),
            ambiguous: Vec::new(),
            schema_map: None,
            labels: Vec::new(),
            name_scopes: Vec::new(),
            columns: Vec::new(),
            unqualified: false,
            ddl: false,
            bad_name: None,
            dedupe_names: false,
            wrap_columns: false,
            reuse: reuse::ReuseState::default(),
            same: Vec::new(),
        }
    }

    /// The schema to render for an object whose own schema is `schema`: `schema` itself,
    /// or what the statement's [`SchemaTranslateMap`] turns it into.
    pub fn effective_schema<'s>(&'s self, schema: Option<&'s str>) -> Option<&'s str> {
        match self.schema_map {
            Some(m) => m.schema_for(schema),
            None => schema,
        }
    }

    /// Appends `name`, qualified by its effective schema (see
    /// [`Compiler::effective_schema`]) when it has one: `schema.name`.
    pub fn schema_qualified(&mut self, schema: Option<&str>, name: &str) {
        let schema = match self.schema_map {
            Some(m) => m.schema_for(schema),
            None => schema,
        };
        if let Some(s) = schema {
            self.ident(s);
            self.push(".");
        }
        self.ident(name);
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

    /// A named list parameter, expanded at execution (`bindparam_expanding`).
    fn bind_named_many(&mut self, name: Arc<str>, empty_set: String, width: usize) {
        self.empty_sets.push((self.slots.len(), empty_set));
        if width > 1 {
            self.tuple_widths.push((self.slots.len(), width));
        }
        self.slots.push((self.out.len(), Slot::NamedMany(name)));
    }

    /// How many value slots the SQL so far has.
    pub(crate) fn slots_len(&self) -> usize {
        self.slots.len()
    }

    /// Renders `wrap` (a [`Type::Wrapped`]'s SQL) around what `inner` renders.
    pub(crate) fn wrapped(
        &mut self,
        wrap: &crate::types::SqlWrap,
        inner: impl FnOnce(&mut Self) -> Result<()>,
    ) -> Result<()> {
        use crate::types::SqlWrap;
        match wrap {
            SqlWrap::Cast(ty) => {
                self.push("CAST(");
                inner(self)?;
                self.push(" AS ");
                let t = self.dialect.cast_type_name(ty)?;
                self.push(&t);
                self.push(")");
            }
            SqlWrap::Function(name) => {
                let plain = name.split('.').all(|part| {
                    let mut chars = part.chars();
                    chars
                        .next()
                        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
                });
                if !plain {
                    return Err(Error::from(CompileError::Invalid(format!(
                        "a wrapped type's function name must be a plain SQL name, not {name:?}"
                    ))));
                }
                self.push(name);
                self.push("(");
                inner(self)?;
                self.push(")");
            }
        }
        Ok(())
    }

    /// Renders the operand `e` of a value for a column of type `ty` (an INSERT or UPDATE
    /// value, the other side of a comparison) with `render`: a bound value for a
    /// [`Type::Wrapped`] with a bind expression goes through it, typed on PostgreSQL as the
    /// program's value (`CAST($1::INTEGER AS VARCHAR(50))`).
    pub(crate) fn column_value(
        &mut self,
        ty: &Type,
        e: &Expr,
        render: impl FnOnce(&mut Self) -> Result<()>,
    ) -> Result<()> {
        let (_, Some(wrap)) = ty.wraps() else {
            return render(self);
        };
        if !matches!(e, Expr::Value(_) | Expr::BindParam(_)) {
            return render(self);
        }
        let value_cast = match wrap {
            crate::types::SqlWrap::Cast(_) => self.dialect.bind_type_cast(ty.value_type()),
            _ => None,
        };
        self.wrapped(wrap, |c| {
            render(c)?;
            if let Some(cast) = value_cast {
                c.push(&cast);
            }
            Ok(())
        })
    }

    /// Notes that the value `e` just rendered from slot `first` on is for a column of type
    /// `ty` (an INSERT or UPDATE value, a comparison's other side).
    pub(crate) fn note_value_type(&mut self, ty: &Type, e: &Expr, first: usize) {
        let ty = ty.value_type();
        // `literal(text).type_coerce(Type::Uuid)` (perhaps `.literal_execute()`): the value
        // inside.
        let mut e = e;
        while let Expr::LiteralExecute(inner) | Expr::Typed(inner, _) = e {
            e = inner.as_ref();
        }
        if matches!(ty.generic(), Type::Uuid | Type::UuidChar)
            && matches!(e, Expr::Value(_) | Expr::BindParam(_))
            && self.slots.len() == first + 1
        {
            self.uuid_slots.push((first, ty.generic().clone()));
        }
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
        Err(Error::from(CompileError::Unsupported {
            dialect: self.dialect.name(),
            construct: construct.into(),
        }))
    }

    fn text(&mut self, t: &'a crate::sql::TextClause) {
        let mut last = 0;
        for (off, name) in t.params.iter() {
            self.out.push_str(&t.sql[last..*off]);
            last = *off;
            if t.expanding.contains(name) {
                let empty_set = self.dialect.empty_set(&[]);
                self.push("(");
                self.bind_named_many(name.clone(), empty_set, 1);
                self.push(")");
            } else {
                self.bind_named_typed(name.clone());
            }
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
