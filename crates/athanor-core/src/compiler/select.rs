//! Rendering SELECT, compound SELECT, FROM clauses, CTEs; FROM inference and correlation.

use std::sync::Arc;

use super::Compiler;
use super::order_by::{NameScope, OrderPlace};
use crate::error::{Error, Result};
use crate::sql::{
    Alias, AliasTarget, CompoundSelect, Cte, Expr, FromItem, JoinKind, JoinOn, Select, SelectBase,
    SetOp,
};

/// The result names of a SELECT list, as SQLAlchemy names them: labels and column names;
/// `count_1`, `sum_1`, ... for unlabeled functions; `anon_N` for other expressions.
/// The column expression of a SELECT-list item naming a column of a [`Type::Wrapped`] type
/// (perhaps labelled), which the outermost SELECT reads it through.
///
/// [`Type::Wrapped`]: crate::Type::Wrapped
pub(crate) fn column_wrap(c: &Expr) -> Option<&crate::types::SqlWrap> {
    match c {
        Expr::Label(_, inner) => match &**inner {
            Expr::Column(col) => col.column.ty.wraps().0,
            _ => None,
        },
        Expr::Column(col) => col.column.ty.wraps().0,
        _ => None,
    }
}

pub(crate) fn result_names(columns: &[Expr]) -> Vec<Option<String>> {
    let mut fn_counts: Vec<(Arc<str>, usize)> = Vec::new();
    let mut anon = 0;
    columns
        .iter()
        .map(|c| match c {
            Expr::Label(..) | Expr::Column(_) | Expr::Name(_) | Expr::Star(_) | Expr::Raw(_) => {
                None
            }
            Expr::Typed(e, _) if e.result_name().is_some() => None,
            Expr::Function(_) | Expr::NextValue(_) => {
                // A sequence's next value is named as SQLAlchemy names its function.
                let name: Arc<str> = match c {
                    Expr::Function(f) => f.name.clone(),
                    _ => Arc::from("nextval"),
                };
                let n = match fn_counts.iter_mut().find(|(n, _)| *n == name) {
                    Some((_, k)) => {
                        *k += 1;
                        *k
                    }
                    None => {
                        fn_counts.push((name.clone(), 1));
                        1
                    }
                };
                Some(format!("{name}_{n}"))
            }
            _ => {
                anon += 1;
                Some(format!("anon_{anon}"))
            }
        })
        .collect()
}

/// Collects the FROM items an expression's columns come from, without entering subqueries.
pub(crate) fn collect_froms<'e>(e: &'e Expr, out: &mut Vec<&'e FromItem>) {
    let add = |f: &'e FromItem, out: &mut Vec<&'e FromItem>| {
        if !out.iter().any(|x| x.same_as(f)) {
            out.push(f);
        }
    };
    match e {
        Expr::Column(c) => add(&c.from, out),
        Expr::Star(Some(f)) => add(f, out),
        Expr::Binary(_, l, r) => {
            collect_froms(l, out);
            collect_froms(r, out);
        }
        Expr::Bool2(_, items) | Expr::Tuple(items) => {
            for i in items {
                collect_froms(i, out);
            }
        }
        Expr::InList(x, items, _) => {
            collect_froms(x, out);
            for i in items {
                collect_froms(i, out);
            }
        }
        Expr::Not(x)
        | Expr::Neg(x)
        | Expr::BitNot(x)
        | Expr::LiteralExecute(x)
        | Expr::IsNull(x, _)
        | Expr::Cast(x, _)
        | Expr::Distinct(x)
        | Expr::Typed(x, _)
        | Expr::Label(_, x)
        | Expr::Extract(_, x)
        | Expr::JsonGet { doc: x, .. }
        | Expr::InValues(x, _, _)
        | Expr::InSelect(x, _, _)
        | Expr::InParam(x, _, _) => collect_froms(x, out),
        Expr::Like { expr, pattern, .. } => {
            collect_froms(expr, out);
            collect_froms(pattern, out);
        }
        Expr::Between(x, l, h, _) => {
            collect_froms(x, out);
            collect_froms(l, out);
            collect_froms(h, out);
        }
        Expr::Function(f) => {
            for a in &f.args {
                collect_froms(a, out);
            }
        }
        Expr::Case {
            value,
            whens,
            else_,
        } => {
            if let Some(v) = value {
                collect_froms(v, out);
            }
            for (c, r) in whens {
                collect_froms(c, out);
                collect_froms(r, out);
            }
            if let Some(e) = else_ {
                collect_froms(e, out);
            }
        }
        Expr::Over(f, w) => {
            collect_froms(f, out);
            for p in &w.partition_by {
                collect_froms(p, out);
            }
            for o in &w.order_by {
                collect_froms(&o.expr, out);
            }
        }
        Expr::Filter(f, c) => {
            collect_froms(f, out);
            collect_froms(c, out);
        }
        _ => {}
    }
}

pub(crate) fn join_error(e: &Error) -> Error {
    match e {
        Error::NoForeignKeys(j) => Error::NoForeignKeys(j.clone()),
        Error::AmbiguousForeignKeys(j) => Error::AmbiguousForeignKeys(j.clone()),
        Error::InvalidRequest(m) => Error::InvalidRequest(m.clone()),
        other => Error::InvalidRequest(other.to_string()),
    }
}

/// What [`Compiler::values_rows`] writes around a bound value of a column of this type:
/// (before, after), or nothing.
pub type ValuesWrap<'f> = dyn Fn(&crate::types::Type) -> Result<Option<(String, String)>> + 'f;

/// A values() row as wide as its columns, or the error saying it isn't.
fn check_values_row(v: &crate::sql::ValuesClause, i: usize) -> Result<()> {
    let (row, width) = (&v.0.rows[i], v.0.columns.len());
    if row.len() == width {
        return Ok(());
    }
    Err(Error::from(crate::error::CompileError::Invalid(format!(
        "values() row {} has {} values for {} columns",
        i + 1,
        row.len(),
        width
    ))))
}

/// The names of the schema-qualified tables in a FROM item (joins included, subqueries not).
fn schema_tables<'a>(f: &'a FromItem, out: &mut Vec<&'a str>) {
    match f {
        FromItem::Table(t) if t.schema().is_some() => out.push(t.name()),
        FromItem::Join(j) => {
            schema_tables(&j.left, out);
            schema_tables(&j.right, out);
        }
        _ => {}
    }
}

impl<'a> Compiler<'a> {
    /// The name of a CTE: its own, or for an anonymous one its stem numbered in order of
    /// first use (`anon_1`, `some_name_1`).
    pub(crate) fn cte_name(&mut self, c: &'a crate::sql::Cte) -> String {
        if !c.0.anonymous {
            return c.name().to_string();
        }
        let key = Arc::as_ptr(&c.0) as usize;
        if let Some((_, n)) = self.anon_aliases.iter().find(|(k, _)| *k == key) {
            return n.clone();
        }
        let stem = c.name();
        let number = if stem == "anon" {
            self.anon_count += 1;
            self.anon_count
        } else {
            let taken = self
                .anon_aliases
                .iter()
                .filter(|(_, n)| n.rsplit_once('_').is_some_and(|(s, _)| s == stem))
                .count();
            taken + 1
        };
        let n = format!("{stem}_{number}");
        self.anon_aliases.push((key, n.clone()));
        n
    }

    /// Renders a table value constructor's rows: `VALUES (a, b), (c, d)`, each value bound
    /// or written as a literal; `row_prefix` goes before each row (MySQL's `ROW`), and `wrap`
    /// gives, from a column's type, the text to write before and after each bound value of
    /// that column (PostgreSQL's `::type`, which the database can't infer from a parameter).
    ///
    /// # Errors
    /// [`CompileError::Invalid`](crate::error::CompileError::Invalid) for a row whose width
    /// isn't the column count, or no rows; a literal the dialect can't write.
    pub fn values_rows(
        &mut self,
        v: &'a crate::sql::ValuesClause,
        row_prefix: &str,
        wrap: &ValuesWrap<'_>,
    ) -> Result<()> {
        let data = &v.0;
        if data.rows.is_empty() {
            return Err(Error::from(crate::error::CompileError::Invalid(
                "values() has no rows: give them with .data(...)".into(),
            )));
        }
        self.push("VALUES ");
        for (i, row) in data.rows.iter().enumerate() {
            check_values_row(v, i)?;
            if i > 0 {
                self.push(", ");
            }
            self.push(row_prefix);
            self.push("(");
            for (k, (e, (_, ty))) in row.iter().zip(&data.columns).enumerate() {
                if k > 0 {
                    self.push(", ");
                }
                match e {
                    Expr::Value(value) if data.literal_binds => self.literal(value)?,
                    _ => match wrap(ty)? {
                        Some((before, after)) => {
                            self.push(&before);
                            self.expr(e)?;
                            self.push(&after);
                        }
                        None => self.expr(e)?,
                    },
                }
            }
            self.push(")");
        }
        Ok(())
    }

    /// Renders a table value constructor's rows as `SELECT a AS x, b AS y UNION ALL SELECT
    /// c, d` (the columns named in the first), for a database whose VALUES can't be used (or
    /// can't take parameters) there.
    ///
    /// # Errors
    /// As [`Compiler::values_rows`].
    pub fn values_as_selects(&mut self, v: &'a crate::sql::ValuesClause) -> Result<()> {
        let data = &v.0;
        if data.rows.is_empty() {
            return Err(Error::from(crate::error::CompileError::Invalid(
                "values() has no rows: give them with .data(...)".into(),
            )));
        }
        for (i, row) in data.rows.iter().enumerate() {
            check_values_row(v, i)?;
            self.push(if i > 0 {
                " UNION ALL SELECT "
            } else {
                "SELECT "
            });
            for (k, (e, (name, _))) in row.iter().zip(&data.columns).enumerate() {
                if k > 0 {
                    self.push(", ");
                }
                match e {
                    Expr::Value(value) if data.literal_binds => self.literal(value)?,
                    _ => self.expr(e)?,
                }
                if i == 0 {
                    self.push(" AS ");
                    self.ident(name);
                }
            }
        }
        Ok(())
    }

    /// The name of an alias: its own, or `anon_N` numbered in order of first use.
    pub(crate) fn alias_name(&mut self, a: &'a Alias) -> String {
        if let Some(n) = a.name() {
            return n.to_string();
        }
        let key = Arc::as_ptr(&a.0) as usize;
        if let Some((_, n)) = self.anon_aliases.iter().find(|(k, _)| *k == key) {
            return n.clone();
        }
        self.anon_count += 1;
        let n = format!("anon_{}", self.anon_count);
        self.anon_aliases.push((key, n.clone()));
        n
    }

    /// The FROM list of a SELECT: explicit items, then items inferred from its columns and
    /// WHERE clause, less those the enclosing SELECTs provide (correlation).
    fn froms(&self, s: &'a Select) -> Vec<&'a FromItem> {
        let mut inferred: Vec<&'a FromItem> = Vec::new();
        for c in &s.columns {
            collect_froms(c, &mut inferred);
        }
        if let Some(w) = &s.where_ {
            collect_froms(w, &mut inferred);
        }
        if let Some(h) = &s.having {
            collect_froms(h, &mut inferred);
        }
        let mut list: Vec<&'a FromItem> = s.from.iter().collect();
        let extra: Vec<&'a FromItem> = inferred
            .into_iter()
            .filter(|f| !s.from.iter().any(|x| x.covers(f)))
            .collect();
        let correlated: Vec<&'a FromItem> = extra
            .iter()
            .copied()
            .filter(|f| {
                !self
                    .scopes
                    .iter()
                    .any(|scope| scope.iter().any(|x| x.covers(f)))
            })
            .collect();
        if correlated.is_empty() && list.is_empty() {
            list.extend(extra);
        } else {
            list.extend(correlated);
        }
        list
    }

    /// Renders a SELECT nested in another statement (subquery, IN, EXISTS), correlated to the
    /// enclosing FROMs.
    pub(crate) fn nested_select(&mut self, s: &'a SelectBase) -> Result<()> {
        match s {
            SelectBase::Select(sel) => {
                self.select(sel)?;
            }
            SelectBase::Compound(c) => {
                self.compound(c)?;
            }
        }
        Ok(())
    }

    /// Renders a SELECT with no correlation to enclosing statements (FROM subqueries, CTEs).
    fn isolated_select(&mut self, s: &'a SelectBase) -> Result<Vec<String>> {
        let saved = std::mem::take(&mut self.scopes);
        self.dedupe_names = true;
        let r = match s {
            SelectBase::Select(sel) => self.select(sel),
            SelectBase::Compound(c) => self.compound(c),
        };
        self.scopes = saved;
        r
    }

    /// Renders a SELECT; returns its result column names.
    pub(crate) fn select(&mut self, s: &'a Select) -> Result<Vec<String>> {
        let saved_reuse = self.enter_select();
        let out = self.select_body(s);
        self.leave_select(saved_reuse);
        out
    }

    fn select_body(&mut self, s: &'a Select) -> Result<Vec<String>> {
        let d = self.dialect;
        // Taken before any subquery of this SELECT is rendered: they are this SELECT's.
        let insert_defaults = std::mem::take(&mut self.insert_select_defaults);
        let wrap_columns = std::mem::take(&mut self.wrap_columns);
        let froms = self.froms(s);
        self.push("SELECT ");
        if s.distinct {
            if s.distinct_on.is_empty() {
                self.push("DISTINCT ");
            } else {
                if !d.supports_distinct_on() {
                    return self.unsupported("DISTINCT ON");
                }
                self.push("DISTINCT ON (");
                self.expr_list(&s.distinct_on)?;
                self.push(") ");
            }
        }
        self.scopes
            .push(froms.iter().map(|f| (*f).clone()).collect());
        let mut qualified = Vec::new();
        for f in &froms {
            schema_tables(f, &mut qualified);
        }
        self.ambiguous.push(qualified);
        self.name_scopes.push(NameScope {
            columns: &s.columns,
            froms: froms.clone(),
            results: None,
        });
        let names = result_names(&s.columns);
        // A subquery's or CTE's columns need distinct names (the enclosing query names them).
        let deduped = std::mem::take(&mut self.dedupe_names)
            .then(|| crate::sql::dedupe_names(&s.columns, &names));
        let mut out_names = Vec::with_capacity(s.columns.len());
        let mut labels = Vec::new();
        if s.columns.is_empty() {
            return Err(Error::from(crate::error::CompileError::Invalid(
                "a SELECT needs at least one column".into(),
            )));
        }
        for (i, (c, anon)) in s.columns.iter().zip(&names).enumerate() {
            if i > 0 {
                self.push(", ");
            }
            let first_slot = self.slots.len();
            let wrap = if wrap_columns { column_wrap(c) } else { None };
            match c {
                _ if wrap.is_some() => {
                    if let (Some(w), Expr::Label(_, inner)) = (wrap, c) {
                        self.wrapped(w, |s| s.expr(inner))?;
                    } else if let Some(w) = wrap {
                        self.wrapped(w, |s| s.expr(c))?;
                    }
                }
                Expr::Value(v) => d.visit_select_literal(self, v),
                Expr::Label(_, inner) if matches!(**inner, Expr::Value(_)) => {
                    if let Expr::Value(v) = &**inner {
                        d.visit_select_literal(self, v);
                    }
                }
                _ => self.expr(c)?,
            }
            self.note_column(c, first_slot);
            let renamed = deduped.as_ref().and_then(|d| d.get(i));
            if let Expr::Label(name, _) = c {
                let name = renamed.map_or(&**name, String::as_str);
                self.push(" AS ");
                self.ident(name);
                labels.push(Arc::from(name));
                out_names.push(name.to_string());
            } else if let Some(anon) = anon {
                let anon = renamed.unwrap_or(anon);
                self.push(" AS ");
                self.ident(anon);
                out_names.push(anon.clone());
            } else {
                let natural = c.result_name().unwrap_or("*");
                match renamed {
                    Some(n) if n != natural => {
                        self.push(" AS ");
                        self.ident(n);
                        out_names.push(n.clone());
                    }
                    // A wrapped column keeps its name (`CAST(t.x AS INTEGER) AS x`).
                    _ if wrap.is_some() => {
                        self.push(" AS ");
                        self.ident(natural);
                        out_names.push(natural.to_string());
                    }
                    _ => out_names.push(natural.to_string()),
                }
            }
        }
        for v in insert_defaults {
            self.push(", ");
            match v {
                crate::schema::InsertDefault::Value(v) => d.visit_select_literal(self, v),
                crate::schema::InsertDefault::Sql(e) => self.expr(e)?,
            }
        }
        self.labels.push(labels);
        if !froms.is_empty() {
            self.push(" FROM ");
            for (i, f) in froms.iter().enumerate() {
                if i > 0 {
                    self.push(", ");
                }
                self.render_from(f)?;
            }
        }
        if let Some(w) = &s.where_ {
            self.push(" WHERE ");
            self.expr(w)?;
        }
        self.reuse_phase(true);
        if !s.group_by.is_empty() {
            self.push(" GROUP BY ");
            // A label of this SELECT is grouped by its name, so an expression holding
            // parameters is not repeated with new ones (which PostgreSQL can't match up) — unless
            // the name is also a column of the FROM list, which would win on PostgreSQL.
            let from_columns: Vec<String> = froms.iter().flat_map(|f| f.column_names()).collect();
            for (i, g) in s.group_by.iter().enumerate() {
                if i > 0 {
                    self.push(", ");
                }
                match g {
                    Expr::Label(name, inner) => {
                        let selected = self.labels.last().is_some_and(|l| l.contains(name));
                        if selected && !from_columns.iter().any(|c| **c == **name) {
                            self.ident(name);
                        } else {
                            self.expr(inner)?;
                        }
                    }
                    Expr::LabelRef(_) => self.order_target(g, OrderPlace::GroupBy)?,
                    other => self.expr(other)?,
                }
            }
        }
        if let Some(h) = &s.having {
            self.push(" HAVING ");
            self.expr(h)?;
        }
        if !s.order_by.is_empty() {
            self.push(" ORDER BY ");
            self.orderings(&s.order_by, OrderPlace::Statement)?;
        }
        self.reuse_phase(false);
        if let Some(options) = s.fetch {
            d.visit_fetch(self, s.limit.as_ref(), s.offset.as_ref(), options)?;
        } else if s.limit.is_some() || s.offset.is_some() {
            d.visit_limit_offset(self, s.limit.as_ref(), s.offset.as_ref())?;
        }
        if let Some(fu) = &s.for_update {
            d.visit_for_update(self, fu)?;
        }
        self.labels.pop();
        self.name_scopes.pop();
        self.scopes.pop();
        self.ambiguous.pop();
        Ok(out_names)
    }

    /// Renders a compound SELECT; returns its result column names.
    pub(crate) fn compound(&mut self, c: &'a CompoundSelect) -> Result<Vec<String>> {
        let d = self.dialect;
        let keyword = match c.op {
            SetOp::Union => " UNION ",
            SetOp::UnionAll => " UNION ALL ",
            SetOp::Intersect => " INTERSECT ",
            SetOp::IntersectAll => " INTERSECT ALL ",
            SetOp::Except => " EXCEPT ",
            SetOp::ExceptAll => " EXCEPT ALL ",
        };
        if matches!(
            c.op,
            SetOp::Intersect | SetOp::IntersectAll | SetOp::Except | SetOp::ExceptAll
        ) && !d.supports_intersect_except()
        {
            return self.unsupported(keyword.trim());
        }
        if matches!(c.op, SetOp::IntersectAll | SetOp::ExceptAll)
            && !d.supports_intersect_except_all()
        {
            return self.unsupported(keyword.trim());
        }
        let mut names = Vec::new();
        for (i, s) in c.selects.iter().enumerate() {
            if i > 0 {
                self.push(keyword);
            }
            let wrap = match s {
                SelectBase::Select(sel) => {
                    !sel.order_by.is_empty() || sel.limit.is_some() || sel.offset.is_some()
                }
                SelectBase::Compound(inner) => inner.op != c.op,
            };
            // A member with its own ORDER BY/LIMIT, or a nested set operation of another
            // kind, is parenthesized; where that isn't SQL (SQLite), it is selected from as a
            // subquery, which means the same: `SELECT * FROM (a INTERSECT b)`.
            let as_subquery = wrap && !d.supports_parenthesized_compound();
            let n = if as_subquery {
                self.push("SELECT * FROM (");
                let n = self.isolated_select(s)?;
                self.push(")");
                n
            } else {
                if wrap {
                    self.push("(");
                }
                let n = match s {
                    SelectBase::Select(sel) => self.select(sel)?,
                    SelectBase::Compound(inner) => self.compound(inner)?,
                };
                if wrap {
                    self.push(")");
                }
                n
            };
            if i == 0 {
                names = n;
            }
        }
        if !c.order_by.is_empty() {
            self.push(" ORDER BY ");
            let saved = self.unqualified;
            self.unqualified = true;
            self.name_scopes.push(NameScope {
                columns: &[],
                froms: Vec::new(),
                results: Some(names.clone()),
            });
            let r = self.orderings(&c.order_by, OrderPlace::Statement);
            self.name_scopes.pop();
            self.unqualified = saved;
            r?;
        }
        if c.limit.is_some() || c.offset.is_some() {
            d.visit_limit_offset(self, c.limit.as_ref(), c.offset.as_ref())?;
        }
        Ok(names)
    }

    /// Renders one FROM item.
    pub(crate) fn render_from(&mut self, f: &'a FromItem) -> Result<()> {
        match f {
            FromItem::Table(t) => match self.ambiguous_alias(t) {
                Some(alias) => {
                    self.ident(t.name());
                    self.push(" AS ");
                    self.ident(&alias);
                }
                None => self.qualifier(f),
            },
            FromItem::Cte(_) => self.qualifier(f),
            FromItem::Alias(a) => {
                match &a.0.inner {
                    AliasTarget::Table(t) => self.schema_qualified(t.schema(), t.name()),
                    AliasTarget::Select(s) => {
                        self.push("(");
                        self.isolated_select(s)?;
                        self.push(")");
                    }
                    AliasTarget::Cte(c) => {
                        let name = self.cte_name(c);
                        self.ident(&name);
                    }
                    AliasTarget::Values(v) => {
                        let name = self.alias_name(a);
                        return self.dialect.visit_values_from(self, v, &name);
                    }
                }
                self.push(" AS ");
                let name = self.alias_name(a);
                self.ident(&name);
            }
            FromItem::Join(j) => {
                self.render_from(&j.left)?;
                self.push(match j.kind {
                    JoinKind::Inner => " JOIN ",
                    JoinKind::Left => " LEFT OUTER JOIN ",
                    JoinKind::Full => {
                        if !self.dialect.supports_full_outer_join() {
                            return self.unsupported("FULL OUTER JOIN");
                        }
                        " FULL OUTER JOIN "
                    }
                });
                let nested = matches!(j.right, FromItem::Join(_));
                if nested {
                    self.push("(");
                }
                self.render_from(&j.right)?;
                if nested {
                    self.push(")");
                }
                self.push(" ON ");
                match &j.on {
                    JoinOn::On(e) => self.expr(e)?,
                    JoinOn::Error(e) => return Err(join_error(e)),
                }
            }
        }
        Ok(())
    }

    /// Renders `WITH [RECURSIVE] name AS (...), ... ` before the statement.
    pub(crate) fn with_clause(&mut self, ctes: &[&'a Cte]) -> Result<()> {
        self.push("WITH ");
        if ctes.iter().any(|c| c.0.recursive) {
            self.push("RECURSIVE ");
        }
        for (i, c) in ctes.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            let name = self.cte_name(c);
            self.ident(&name);
            if let Some(v) = &c.0.values {
                self.push("(");
                for (k, (n, _)) in v.0.columns.iter().enumerate() {
                    if k > 0 {
                        self.push(", ");
                    }
                    self.ident(n);
                }
                self.push(") AS (");
                self.dialect.visit_values_rows(self, v)?;
                self.push(")");
                continue;
            }
            if c.0.recursive {
                self.push("(");
                for (k, (n, _)) in c.0.columns.iter().enumerate() {
                    if k > 0 {
                        self.push(", ");
                    }
                    self.ident(n);
                }
                self.push(")");
            }
            self.push(" AS (");
            match c.0.select.get() {
                Some(body) => {
                    self.isolated_select(body)?;
                }
                None => {
                    return Err(Error::from(crate::error::CompileError::Invalid(format!(
                        "CTE '{}' has no query",
                        c.name()
                    ))));
                }
            }
            self.push(")");
        }
        self.push(" ");
        Ok(())
    }
}
