//! Rendering ORDER BY items, and resolving the names in them (`order_by("n")`,
//! `desc("# of albums")`, and `group_by("n")` too) as SQLAlchemy resolves label references:
//! against the labels and columns of the statement being rendered.

use super::Compiler;
use crate::error::{CompileError, Error, Result};
use crate::sql::{Direction, Expr, FromItem, Nulls, Ordering};

/// What a name in ORDER BY may refer to in the statement being rendered.
pub(crate) struct NameScope<'a> {
    /// The SELECT list (empty for a compound SELECT).
    pub(crate) columns: &'a [Expr],
    /// The FROM list of a SELECT.
    pub(crate) froms: Vec<&'a FromItem>,
    /// A compound SELECT's result column names (`None` for a SELECT).
    pub(crate) results: Option<Vec<String>>,
}

/// Where a name is resolved: a statement's ORDER BY and GROUP BY see its labels, a window's
/// ORDER BY only the FROM list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OrderPlace {
    /// A SELECT's or compound SELECT's own ORDER BY.
    Statement,
    /// `OVER (ORDER BY ...)`.
    Window,
    /// A SELECT's GROUP BY (`group_by("name")`).
    GroupBy,
}

impl OrderPlace {
    /// The clause, and the phrase telling what to do instead, for messages.
    fn words(self) -> (&'static str, &'static str) {
        match self {
            OrderPlace::GroupBy => ("GROUP BY", "group by"),
            OrderPlace::Statement | OrderPlace::Window => ("ORDER BY", "order by"),
        }
    }
}

fn invalid<T>(msg: String) -> Result<T> {
    Err(Error::from(CompileError::Invalid(msg)))
}

/// The leaves of a FROM item (tables, aliases, CTEs) that have a column `name`.
fn leaves_with<'a>(f: &'a FromItem, name: &str, out: &mut Vec<&'a FromItem>) {
    match f {
        FromItem::Join(j) => {
            leaves_with(&j.left, name, out);
            leaves_with(&j.right, name, out);
        }
        leaf => {
            if leaf.column_names().iter().any(|c| c == name) && !out.iter().any(|x| x.same_as(leaf))
            {
                out.push(leaf);
            }
        }
    }
}

impl<'a> Compiler<'a> {
    /// Renders ORDER BY items; a label of the current SELECT renders as its name.
    pub(crate) fn orderings(&mut self, items: &'a [Ordering], place: OrderPlace) -> Result<()> {
        for (i, o) in items.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            let d = self.dialect;
            let emulate = o.nulls.is_some() && !d.supports_nulls_ordering();
            if emulate {
                // `x IS NULL` sorts false (0) before true (1): non-NULLs first unless DESC.
                self.order_target(&o.expr, place)?;
                self.push(if o.nulls == Some(Nulls::First) {
                    " IS NULL DESC, "
                } else {
                    " IS NULL, "
                });
            }
            self.order_target(&o.expr, place)?;
            match o.direction {
                Some(Direction::Asc) => self.push(" ASC"),
                Some(Direction::Desc) => self.push(" DESC"),
                None => {}
            }
            if let (Some(n), false) = (o.nulls, emulate) {
                d.visit_nulls(self, n == Nulls::First)?;
            }
        }
        Ok(())
    }

    /// An ORDER BY expression: a label of the current SELECT renders as its name, a name is
    /// resolved against the statement.
    pub(crate) fn order_target(&mut self, e: &'a Expr, place: OrderPlace) -> Result<()> {
        match e {
            Expr::Label(name, inner) => {
                let selected = place == OrderPlace::Statement
                    && self.labels.last().is_some_and(|l| l.contains(name));
                if selected {
                    self.ident(name);
                    Ok(())
                } else {
                    self.expr(inner)
                }
            }
            Expr::LabelRef(name) => self.order_name(name, place),
            e => self.expr(e),
        }
    }

    /// Renders what a name in ORDER BY stands for: a compound's result column; a label of the
    /// SELECT; a selected column; a column of the FROM list (SQLAlchemy's order).
    fn order_name(&mut self, name: &'a str, place: OrderPlace) -> Result<()> {
        let Some(scope) = self.name_scopes.last() else {
            return invalid(format!(
                "the name \"{name}\" can only be used in the ORDER BY of a SELECT, where it names a label or column"
            ));
        };
        let (columns, froms) = (scope.columns, scope.froms.clone());
        if let Some(results) = &scope.results {
            if results.iter().any(|r| r == name) {
                self.ident(name);
                return Ok(());
            }
            return invalid(format!(
                "can't resolve ORDER BY \"{name}\": the compound SELECT's result columns are {}; order by one of those",
                results.join(", ")
            ));
        }
        if place != OrderPlace::Window {
            if self
                .labels
                .last()
                .is_some_and(|l| l.iter().any(|x| **x == *name))
            {
                return self.label_by_name(name, columns, &froms, place);
            }
            let selected = columns
                .iter()
                .find(|c| !matches!(c, Expr::Label(..)) && c.result_name() == Some(name));
            if let Some(c) = selected {
                return self.expr(c);
            }
        }
        let mut leaves = Vec::new();
        for f in &froms {
            leaves_with(f, name, &mut leaves);
        }
        match leaves.as_slice() {
            [leaf] => {
                self.qualifier(leaf);
                self.push(".");
                self.ident(name);
                Ok(())
            }
            [] if place == OrderPlace::Window => invalid(format!(
                "can't resolve \"{name}\" in a window's ORDER BY: no column of the FROM list has that name (a window can't see the SELECT's labels); order by an expression"
            )),
            [] => {
                let mut known: Vec<String> = columns
                    .iter()
                    .filter_map(|c| c.result_name().map(str::to_string))
                    .collect();
                for f in &froms {
                    for c in f.column_names() {
                        if !known.contains(&c) {
                            known.push(c);
                        }
                    }
                }
                let (clause, verb) = place.words();
                invalid(format!(
                    "can't resolve {clause} \"{name}\": the SELECT has no label or column of that name (it has {}); {verb} one of those, or by an expression",
                    known.join(", ")
                ))
            }
            several => invalid(format!(
                "{} \"{name}\" is ambiguous: it is a column of {}; {} the column itself (table.c(\"{name}\"))",
                place.words().0,
                several
                    .iter()
                    .map(|f| f.describe())
                    .collect::<Vec<_>>()
                    .join(" and "),
                place.words().1,
            )),
        }
    }

    /// A label of the SELECT named in ORDER BY or GROUP BY: its name, except in a GROUP BY
    /// where the name is also a column of the FROM list (PostgreSQL would group by that
    /// column): there, the labelled expression.
    fn label_by_name(
        &mut self,
        name: &str,
        columns: &'a [Expr],
        froms: &[&'a FromItem],
        place: OrderPlace,
    ) -> Result<()> {
        if place == OrderPlace::GroupBy
            && froms
                .iter()
                .any(|f| f.column_names().iter().any(|c| c == name))
        {
            let labelled = columns.iter().find_map(|c| match c {
                Expr::Label(n, inner) if **n == *name => Some(&**inner),
                _ => None,
            });
            if let Some(inner) = labelled {
                return self.expr(inner);
            }
        }
        self.ident(name);
        Ok(())
    }
}
