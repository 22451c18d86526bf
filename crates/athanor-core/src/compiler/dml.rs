//! Rendering INSERT, UPDATE and DELETE.

use std::sync::Arc;

use super::{Compiler, StatementKind};
use crate::dialect::MultiTableDml;
use crate::error::{CompileError, Error, Result};
use crate::schema::{InsertDefault, Table};
use crate::sql::{Delete, Expr, FromItem, Insert, InsertSource, Update, Values};

fn check_column(table: &Table, name: &str) -> Result<()> {
    if table.column_data(name).is_none() {
        return Err(Error::no_such_column(table.fullname(), name.to_string()));
    }
    Ok(())
}

impl<'a> Compiler<'a> {
    /// Appends a table's name, schema-qualified when it has a schema.
    pub fn table_name(&mut self, t: &'a Table) {
        self.schema_qualified(t.schema(), t.name());
    }

    fn returning(&mut self, table: &'a Table, cols: &'a [Expr], kind: StatementKind) -> Result<()> {
        if cols.is_empty() {
            return Ok(());
        }
        if !self.dialect.supports_returning(kind) {
            let what = match kind {
                StatementKind::Update => "UPDATE",
                StatementKind::Delete => "DELETE",
                _ => "INSERT",
            };
            return self.unsupported(format!("RETURNING on {what}"));
        }
        self.push(" RETURNING ");
        self.scopes.push(vec![FromItem::Table(table.clone())]);
        let names = super::select::result_names(cols);
        for (i, (c, anon)) in cols.iter().zip(&names).enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.expr(c)?;
            if let Expr::Label(n, _) = c {
                self.push(" AS ");
                self.ident(n);
                self.columns.push(n.to_string());
            } else if let Some(a) = anon {
                self.push(" AS ");
                self.ident(a);
                self.columns.push(a.clone());
            } else {
                self.columns
                    .push(c.result_name().unwrap_or("*").to_string());
            }
        }
        self.scopes.pop();
        Ok(())
    }

    fn values_row(&mut self, table: &'a Table, row: &'a Values, names: &[&'a str]) -> Result<()> {
        self.push("(");
        for (i, name) in names.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            match row.get(name) {
                Some(e) => {
                    let first = self.slots_len();
                    match table.column_data(name) {
                        Some(c) => self.column_value(&c.ty, e, |s| s.expr(e))?,
                        None => self.expr(e)?,
                    }
                    if let Some(c) = table.column_data(name) {
                        self.note_value_type(&c.ty, e, first);
                    }
                }
                None => match table.column_data(name).and_then(|c| c.insert_default()) {
                    Some(InsertDefault::Value(v)) => self.bind(v),
                    Some(InsertDefault::Sql(e)) => self.expr(e)?,
                    None => {
                        return Err(Error::from(CompileError::Invalid(format!(
                            "every row of a multi-row INSERT must give the same columns; a row lacks '{name}'"
                        ))));
                    }
                },
            }
        }
        self.push(")");
        Ok(())
    }

    pub(crate) fn insert(&mut self, ins: &'a Insert) -> Result<()> {
        let d = self.dialect;
        let table = &ins.table;
        self.push("INSERT INTO ");
        self.table_name(table);
        self.scopes.push(vec![FromItem::Table(table.clone())]);
        match &ins.source {
            InsertSource::Params => {
                self.push(" (");
                for (i, c) in table.columns().iter().enumerate() {
                    if i > 0 {
                        self.push(", ");
                    }
                    self.ident(&c.name);
                }
                self.push(") VALUES (");
                for (i, c) in table.columns().iter().enumerate() {
                    if i > 0 {
                        self.push(", ");
                    }
                    match c.ty.wraps() {
                        (_, Some(wrap)) => {
                            let value_cast = match wrap {
                                crate::types::SqlWrap::Cast(_) => {
                                    d.bind_type_cast(c.ty.value_type())
                                }
                                _ => None,
                            };
                            self.wrapped(wrap, |s| {
                                s.bind_named(Arc::from(c.name.as_str()));
                                if let Some(cast) = value_cast {
                                    s.push(&cast);
                                }
                                Ok(())
                            })?;
                        }
                        _ => self.bind_named(Arc::from(c.name.as_str())),
                    }
                }
                self.push(")");
            }
            InsertSource::Single(_) | InsertSource::Multi(_) => {
                let rows: Vec<&'a Values> = match &ins.source {
                    InsertSource::Single(v) => vec![v],
                    InsertSource::Multi(rows) => rows.iter().collect(),
                    _ => Vec::new(),
                };
                let first = rows.first().copied();
                let mut names: Vec<&'a str> =
                    first.map(|r| r.names().collect()).unwrap_or_default();
                for n in &names {
                    check_column(table, n)?;
                }
                for c in table.columns() {
                    if c.insert_default().is_some() && !names.contains(&c.name.as_str()) {
                        names.push(&c.name);
                    }
                }
                for r in rows.iter().skip(1) {
                    if r.len() != first.map_or(0, Values::len)
                        || r.names().any(|n| !names.contains(&n))
                    {
                        return Err(Error::from(CompileError::Invalid(
                            "every row of a multi-row INSERT must give the same columns".into(),
                        )));
                    }
                }
                if names.is_empty() {
                    if rows.len() > 1 {
                        return Err(Error::from(CompileError::Invalid(
                            "a multi-row INSERT needs values".into(),
                        )));
                    }
                    d.visit_default_values(self)?;
                } else {
                    self.push(" (");
                    for (i, n) in names.iter().enumerate() {
                        if i > 0 {
                            self.push(", ");
                        }
                        self.ident(n);
                    }
                    self.push(") VALUES ");
                    for (i, r) in rows.iter().enumerate() {
                        if i > 0 {
                            self.push(", ");
                        }
                        self.values_row(table, r, &names)?;
                    }
                }
            }
            InsertSource::Select(cols, sel) => {
                self.push(" (");
                for (i, n) in cols.iter().enumerate() {
                    check_column(table, n)?;
                    if i > 0 {
                        self.push(", ");
                    }
                    self.ident(n);
                }
                // As SQLAlchemy does: a column the INSERT doesn't name but that has a
                // client-side default gets it, as a value added to the SELECT's columns.
                let mut defaults = Vec::new();
                for c in table.columns() {
                    if let Some(v) = c.insert_default()
                        && !cols.iter().any(|n| **n == *c.name)
                    {
                        self.push(", ");
                        self.ident(&c.name);
                        defaults.push(v);
                    }
                }
                if !defaults.is_empty() && !matches!(**sel, crate::sql::SelectBase::Select(_)) {
                    return Err(Error::from(CompileError::Invalid(format!(
                        "INSERT INTO {} ... SELECT: the table's client-side defaults can't be added to a compound SELECT; name those columns in the SELECT",
                        table.name()
                    ))));
                }
                self.push(") ");
                let ctes = std::mem::take(&mut self.pending_ctes);
                if !ctes.is_empty() {
                    self.with_clause(&ctes)?;
                }
                let saved = std::mem::take(&mut self.scopes);
                self.insert_select_defaults = defaults;
                let r = self.nested_select(sel);
                self.scopes = saved;
                r?;
            }
        }
        if let Some(oc) = &ins.on_conflict {
            for t in &oc.target {
                check_column(table, t)?;
            }
            if let crate::sql::ConflictAction::Update(v) = &oc.action {
                for n in v.names() {
                    check_column(table, n)?;
                }
            }
            d.visit_on_conflict(self, table, oc)?;
        }
        self.scopes.pop();
        self.returning(table, &ins.returning, StatementKind::Insert)
    }

    /// Renders `name = value, ...` for UPDATE and upserts.
    pub fn set_list(&mut self, set: &'a Values) -> Result<()> {
        for (i, (name, e)) in set.0.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.ident(name);
            self.push(" = ");
            let first = self.slots_len();
            // The target table is the innermost scope's first FROM item.
            let ty = match self.scopes.last().and_then(|s| s.first()) {
                Some(FromItem::Table(t)) => t.column_data(name).map(|c| c.ty.clone()),
                _ => None,
            };
            match &ty {
                Some(ty) => self.column_value(ty, e, |s| s.expr(e))?,
                None => self.expr(e)?,
            }
            if let Some(ty) = ty {
                self.note_value_type(&ty, e, first);
            }
        }
        Ok(())
    }

    /// The FROM items other than `table` that an UPDATE's SET values and WHERE clause (or a
    /// DELETE's WHERE clause) name, in order of appearance (SQLAlchemy's `_extra_froms`).
    fn extra_froms(table: &'a Table, exprs: impl Iterator<Item = &'a Expr>) -> Vec<&'a FromItem> {
        let mut found = Vec::new();
        for e in exprs {
            super::select::collect_froms(e, &mut found);
        }
        let target = FromItem::Table(table.clone());
        found.retain(|f| !target.covers(f));
        found
    }

    fn render_from_list(&mut self, froms: &[&'a FromItem]) -> Result<()> {
        for (i, f) in froms.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.render_from(f)?;
        }
        Ok(())
    }

    pub(crate) fn update(&mut self, up: &'a Update) -> Result<()> {
        let table = &up.table;
        if up.set.is_empty() {
            return Err(Error::from(CompileError::Invalid(
                "an UPDATE needs at least one column to SET".into(),
            )));
        }
        for n in up.set.names() {
            check_column(table, n)?;
        }
        let extra = Self::extra_froms(
            table,
            up.set.0.iter().map(|(_, e)| e).chain(up.where_.as_ref()),
        );
        let style = self.dialect.multi_table_dml();
        self.push("UPDATE ");
        self.table_name(table);
        let mut scope = vec![FromItem::Table(table.clone())];
        scope.extend(extra.iter().map(|f| (*f).clone()));
        self.scopes.push(scope);
        let list = style == MultiTableDml::TableList && !extra.is_empty();
        if list {
            self.push(", ");
            self.render_from_list(&extra)?;
        }
        self.push(" SET ");
        if list {
            // MySQL's multi-table UPDATE names the target table's columns in full.
            for (i, (name, e)) in up.set.0.iter().enumerate() {
                if i > 0 {
                    self.push(", ");
                }
                self.table_name(table);
                self.push(".");
                self.ident(name);
                self.push(" = ");
                self.expr(e)?;
            }
        } else {
            self.set_list(&up.set)?;
        }
        if !list && !extra.is_empty() {
            self.push(" FROM ");
            self.render_from_list(&extra)?;
        }
        if let Some(w) = &up.where_ {
            self.push(" WHERE ");
            self.expr(w)?;
        }
        self.scopes.pop();
        self.returning(table, &up.returning, StatementKind::Update)
    }

    pub(crate) fn delete(&mut self, del: &'a Delete) -> Result<()> {
        let table = &del.table;
        let extra = Self::extra_froms(table, del.where_.iter());
        self.push("DELETE FROM ");
        self.table_name(table);
        let mut scope = vec![FromItem::Table(table.clone())];
        scope.extend(extra.iter().map(|f| (*f).clone()));
        self.scopes.push(scope);
        if !extra.is_empty() {
            match self.dialect.multi_table_dml() {
                MultiTableDml::FromAndUsing => {
                    self.push(" USING ");
                    self.render_from_list(&extra)?;
                }
                MultiTableDml::TableList if !del.returning.is_empty() => {
                    // MariaDB's DELETE ... RETURNING is the single-table form's only.
                    return self.unsupported(
                        "RETURNING on a DELETE with other tables in its WHERE clause (write \
                         the condition as a subquery: column.in_select(select(...)) or exists())",
                    );
                }
                MultiTableDml::TableList => {
                    self.push(" USING ");
                    self.table_name(table);
                    self.push(", ");
                    self.render_from_list(&extra)?;
                }
                _ => {
                    return self.unsupported(format!(
                        "DELETE with other tables ({}) in its WHERE clause (write the \
                         condition as a subquery: column.in_select(select(...)) or exists())",
                        extra
                            .iter()
                            .map(|f| f.describe())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
            }
        }
        if let Some(w) = &del.where_ {
            self.push(" WHERE ");
            self.expr(w)?;
        }
        self.scopes.pop();
        self.returning(table, &del.returning, StatementKind::Delete)
    }
}
