//! One walk over a statement's tree, in a fixed order, reporting bound values and CTEs.
//!
//! The compiler uses it to find CTEs to hoist into `WITH`; the statement cache uses it to pull
//! a statement's values out without compiling it again.
//!
//! A cached shape takes its values by their position in this walk, so whatever decides those
//! positions must be in the statement's cache key ([`crate::compiler::cache_key`]): the
//! structure, the defaults of an INSERT's table, and which aliases, CTEs, subqueries and lists
//! are one shared object (the walk meets a shared alias or CTE once).

use std::collections::HashSet;

use crate::sql::StatementRef;
use crate::sql::dml::{ConflictAction, InsertSource};
use crate::sql::expr::Expr;
use crate::sql::from::{AliasTarget, Cte, FromItem, JoinOn};
use crate::sql::select::{Select, SelectBase};
use crate::types::Value;

/// A bound value found in a statement.
#[derive(Debug, Clone, Copy)]
pub enum BindRef<'a> {
    /// One value.
    One(&'a Value),
    /// An expanding list (`IN (...)`).
    Many(&'a [Value]),
}

impl BindRef<'_> {
    /// An address identifying this bind within one statement.
    pub(crate) fn addr(&self) -> usize {
        match self {
            BindRef::One(v) => *v as *const Value as usize,
            BindRef::Many(s) => s.as_ptr() as usize,
        }
    }
}

/// What the walk collects.
#[derive(Default)]
pub(crate) struct Walk<'a> {
    pub binds: Vec<BindRef<'a>>,
    pub ctes: Vec<&'a Cte>,
    /// The tables the statement reads, when `Some` (`create_all`'s order for a table made
    /// from a SELECT); `None` collects nothing.
    pub tables: Option<Vec<&'a crate::schema::Table>>,
    seen: HashSet<usize>,
    in_progress: HashSet<usize>,
}

impl<'a> Walk<'a> {
    pub(crate) fn statement(&mut self, s: StatementRef<'a>) {
        match s {
            StatementRef::Select(sel) => self.select(sel),
            StatementRef::Compound(c) => {
                for s in &c.selects {
                    self.select_base(s);
                }
                for o in &c.order_by {
                    self.expr(&o.expr);
                }
                self.opt(c.limit.as_ref());
                self.opt(c.offset.as_ref());
            }
            StatementRef::Insert(ins) => {
                match &ins.source {
                    InsertSource::Params => {}
                    InsertSource::Single(v) => self.insert_row(&ins.table, v),
                    InsertSource::Multi(rows) => {
                        for r in rows {
                            self.insert_row(&ins.table, r);
                        }
                    }
                    InsertSource::Select(cols, s) => {
                        self.select_base(s);
                        // The defaults the compiler adds to the SELECT for unnamed columns.
                        for c in ins.table.columns() {
                            if let Some(d) = c.insert_default()
                                && !cols.iter().any(|n| **n == *c.name)
                            {
                                self.insert_default(d);
                            }
                        }
                    }
                }
                if let Some(oc) = &ins.on_conflict {
                    if let ConflictAction::Update(v) = &oc.action {
                        for (_, e) in &v.0 {
                            self.expr(e);
                        }
                    }
                    self.opt(oc.where_.as_ref());
                }
                for e in &ins.returning {
                    self.expr(e);
                }
            }
            StatementRef::Update(up) => {
                for (_, e) in &up.set.0 {
                    self.expr(e);
                }
                self.opt(up.where_.as_ref());
                for e in &up.returning {
                    self.expr(e);
                }
            }
            StatementRef::Delete(d) => {
                self.opt(d.where_.as_ref());
                for e in &d.returning {
                    self.expr(e);
                }
            }
            StatementRef::Text(_) | StatementRef::Ddl(_) => {}
        }
    }

    /// A row's values, then the client-side defaults of the columns it doesn't give.
    fn insert_row(&mut self, table: &'a crate::schema::Table, row: &'a crate::sql::Values) {
        for (_, e) in &row.0 {
            self.expr(e);
        }
        for c in table.columns() {
            if let Some(d) = c.insert_default()
                && row.get(&c.name).is_none()
            {
                self.insert_default(d);
            }
        }
    }

    fn insert_default(&mut self, d: crate::schema::InsertDefault<'a>) {
        match d {
            crate::schema::InsertDefault::Value(v) => self.binds.push(BindRef::One(v)),
            crate::schema::InsertDefault::Sql(e) => self.expr(e),
        }
    }

    fn opt(&mut self, e: Option<&'a Expr>) {
        if let Some(e) = e {
            self.expr(e);
        }
    }

    pub(crate) fn select_base(&mut self, s: &'a SelectBase) {
        match s {
            SelectBase::Select(sel) => self.select(sel),
            SelectBase::Compound(_) => self.statement(match s {
                SelectBase::Compound(c) => StatementRef::Compound(c),
                SelectBase::Select(sel) => StatementRef::Select(sel),
            }),
        }
    }

    fn select(&mut self, s: &'a Select) {
        for f in &s.from {
            self.from(f);
        }
        for e in &s.columns {
            self.expr(e);
        }
        for e in &s.distinct_on {
            self.expr(e);
        }
        self.opt(s.where_.as_ref());
        for e in &s.group_by {
            self.expr(e);
        }
        self.opt(s.having.as_ref());
        for o in &s.order_by {
            self.expr(&o.expr);
        }
        self.opt(s.limit.as_ref());
        self.opt(s.offset.as_ref());
    }

    fn from(&mut self, f: &'a FromItem) {
        match f {
            FromItem::Table(t) => {
                if let Some(ts) = &mut self.tables {
                    ts.push(t);
                }
            }
            FromItem::Alias(a) => {
                let key = std::sync::Arc::as_ptr(&a.0) as usize;
                if self.seen.insert(key) {
                    match &a.0.inner {
                        AliasTarget::Select(s) => self.select_base(s),
                        AliasTarget::Cte(c) => self.cte(c),
                        AliasTarget::Values(v) => self.values(v),
                        AliasTarget::Table(t) => {
                            if let Some(ts) = &mut self.tables {
                                ts.push(t);
                            }
                        }
                    }
                }
            }
            FromItem::Cte(c) => self.cte(c),
            FromItem::Join(j) => {
                self.from(&j.left);
                self.from(&j.right);
                if let JoinOn::On(e) = &j.on {
                    self.expr(e);
                }
            }
        }
    }

    fn cte(&mut self, c: &'a Cte) {
        let key = std::sync::Arc::as_ptr(&c.0) as usize;
        if self.in_progress.contains(&key) || !self.seen.insert(key) {
            return;
        }
        self.in_progress.insert(key);
        if let Some(body) = c.0.select.get() {
            self.select_base(body);
        }
        if let Some(v) = &c.0.values {
            self.values(v);
        }
        self.in_progress.remove(&key);
        // One CTE per name; a recursive CTE's full body wins over its anchor-only handle. An
        // anonymous CTE is its own.
        let same = |x: &&Cte| {
            if c.0.anonymous || x.0.anonymous {
                std::sync::Arc::ptr_eq(&x.0, &c.0)
            } else {
                x.0.name == c.0.name
            }
        };
        match self.ctes.iter().position(same) {
            Some(i) => {
                if matches!(c.0.select.get(), Some(SelectBase::Compound(_))) {
                    self.ctes[i] = c;
                }
            }
            None => self.ctes.push(c),
        }
    }

    /// A table value constructor's values (none when they are written in as literals).
    fn values(&mut self, v: &'a crate::sql::ValuesClause) {
        if !v.0.literal_binds {
            for row in &v.0.rows {
                for e in row {
                    self.expr(e);
                }
            }
        }
    }

    pub(crate) fn expr(&mut self, e: &'a Expr) {
        match e {
            Expr::Column(c) => self.from(&c.from),
            Expr::Value(v) => self.binds.push(BindRef::One(v)),
            Expr::BindParam(_)
            | Expr::Null
            | Expr::Bool(_)
            | Expr::Raw(_)
            | Expr::Name(_)
            | Expr::LabelRef(_)
            | Expr::Excluded(_)
            | Expr::NextValue(_) => {}
            Expr::Binary(_, l, r) => {
                self.expr(l);
                self.expr(r);
            }
            Expr::Bool2(_, items) | Expr::Tuple(items) => {
                for i in items {
                    self.expr(i);
                }
            }
            Expr::InList(x, items, _) => {
                self.expr(x);
                for i in items {
                    self.expr(i);
                }
            }
            Expr::Not(x)
            | Expr::Neg(x)
            | Expr::BitNot(x)
            | Expr::LiteralExecute(x)
            | Expr::IsNull(x, _)
            | Expr::Cast(x, _)
            | Expr::Distinct(x)
            | Expr::Typed(x, _) => self.expr(x),
            Expr::Label(_, x) | Expr::Extract(_, x) => self.expr(x),
            Expr::JsonGet { doc, .. } => self.expr(doc),
            Expr::Like { expr, pattern, .. } => {
                self.expr(expr);
                self.expr(pattern);
            }
            Expr::Between(x, l, h, _) => {
                self.expr(x);
                self.expr(l);
                self.expr(h);
            }
            Expr::InValues(x, vals, _) => {
                self.expr(x);
                self.binds.push(BindRef::Many(&vals.0));
            }
            Expr::InSelect(x, s, _) => {
                self.expr(x);
                self.select_base(s);
            }
            Expr::InParam(x, _, _) => self.expr(x),
            Expr::Function(f) => {
                for a in &f.args {
                    self.expr(a);
                }
            }
            Expr::Case {
                value,
                whens,
                else_,
            } => {
                if let Some(v) = value {
                    self.expr(v);
                }
                for (c, r) in whens {
                    self.expr(c);
                    self.expr(r);
                }
                if let Some(e) = else_ {
                    self.expr(e);
                }
            }
            Expr::Over(f, w) => {
                self.expr(f);
                for p in &w.partition_by {
                    self.expr(p);
                }
                for o in &w.order_by {
                    self.expr(&o.expr);
                }
            }
            Expr::Filter(f, c) => {
                self.expr(f);
                self.expr(c);
            }
            Expr::ScalarSubquery(s) | Expr::Exists(s) => self.select_base(s),
            Expr::Star(Some(f)) => self.from(f),
            Expr::Star(None) => {}
        }
    }
}
