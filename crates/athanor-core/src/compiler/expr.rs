//! Rendering expressions, with parentheses from operator precedence.

use super::Compiler;
use super::order_by::OrderPlace;
use crate::error::{CompileError, Error, Result};
use crate::sql::{BinaryOp, BoolOp, Expr, FromItem, Window};
use crate::types::Type;

/// Binding strength of an expression's top operator (higher binds tighter).
pub(crate) fn precedence(e: &Expr) -> u8 {
    match e {
        Expr::Bool2(BoolOp::Or, _) => 1,
        Expr::Bool2(BoolOp::And, _) => 2,
        Expr::Not(_) => 3,
        Expr::Binary(op, ..) => op.precedence(),
        Expr::IsNull(..)
        | Expr::Like { .. }
        | Expr::Between(..)
        | Expr::InValues(..)
        | Expr::InParam(..)
        | Expr::InList(..)
        | Expr::InSelect(..) => 5,
        Expr::Neg(_) | Expr::BitNot(_) => 9,
        Expr::Label(_, e) | Expr::Typed(e, _) | Expr::LiteralExecute(e) => precedence(e),
        _ => 10,
    }
}

/// The types an IN list's items are compared with: a tuple's element types, or the single
/// expression's.
/// The type of a column `e` names when it is a [`Type::Wrapped`] with a bind expression.
fn bind_wrapped(e: &Expr) -> Option<&Type> {
    match e {
        Expr::Column(c) if c.column.ty.wraps().1.is_some() => Some(&c.column.ty),
        _ => None,
    }
}

fn in_types(x: &Expr) -> Vec<Type> {
    match x {
        Expr::Tuple(items) => items.iter().map(Expr::sql_type).collect(),
        x => vec![x.sql_type()],
    }
}

fn op_text(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Eq => " = ",
        BinaryOp::Ne => " != ",
        BinaryOp::Lt => " < ",
        BinaryOp::Le => " <= ",
        BinaryOp::Gt => " > ",
        BinaryOp::Ge => " >= ",
        BinaryOp::Add => " + ",
        BinaryOp::Sub => " - ",
        BinaryOp::Mul => " * ",
        BinaryOp::Div | BinaryOp::FloorDiv => " / ",
        BinaryOp::Mod => " % ",
        BinaryOp::Concat => " || ",
        BinaryOp::Is => " IS ",
        BinaryOp::IsNot => " IS NOT ",
        BinaryOp::IsDistinctFrom => " IS DISTINCT FROM ",
        BinaryOp::IsNotDistinctFrom => " IS NOT DISTINCT FROM ",
        BinaryOp::Collate => " COLLATE ",
        BinaryOp::BitAnd => " & ",
        BinaryOp::BitOr => " | ",
        BinaryOp::BitXor => " ^ ",
        BinaryOp::LShift => " << ",
        BinaryOp::RShift => " >> ",
        BinaryOp::RegexpMatch => " REGEXP ",
        BinaryOp::NotRegexpMatch => " NOT REGEXP ",
    }
}

impl<'a> Compiler<'a> {
    /// Renders an expression, wrapped in parentheses when it binds looser than `min`.
    pub fn operand(&mut self, e: &'a Expr, min: u8) -> Result<()> {
        if precedence(e) < min {
            self.push("(");
            self.expr(e)?;
            self.push(")");
            Ok(())
        } else {
            self.expr(e)
        }
    }

    /// An operand of an operator: a bound value goes through the dialect's
    /// [`visit_operand_value`](crate::dialect::Dialect::visit_operand_value).
    fn value_operand(&mut self, e: &'a Expr, min: u8) -> Result<()> {
        match e {
            Expr::Value(v) => {
                let d = self.dialect;
                d.visit_operand_value(self, v);
                Ok(())
            }
            Expr::BindParam(name) => {
                self.bind_named_typed(name.clone());
                Ok(())
            }
            other => self.operand(other, min),
        }
    }

    /// Renders an operand as [`Compiler::operand`] does, but a bare value through the
    /// dialect's [`visit_select_literal`](crate::dialect::Dialect::visit_select_literal), for
    /// places where nothing else tells the database its type (`? + ?`).
    pub fn untyped_operand(&mut self, e: &'a Expr, min: u8) -> Result<()> {
        match e {
            Expr::Value(v) => {
                let d = self.dialect;
                d.visit_select_literal(self, v);
                Ok(())
            }
            other => self.operand(other, min),
        }
    }

    /// Renders `left op right` with the default operator text.
    ///
    /// Arithmetic and `||` associate to the left (`a - b - c`); comparisons don't chain, so a
    /// comparison on the left keeps its parentheses (`(a = b) = c`, which PostgreSQL needs).
    pub fn binary_default(&mut self, op: BinaryOp, l: &'a Expr, r: &'a Expr) -> Result<()> {
        let p = op.precedence();
        let left_min = if p <= BinaryOp::Eq.precedence() {
            p + 1
        } else {
            p
        };
        // A value compared with a column of a wrapped type goes through its bind expression.
        match bind_wrapped(r) {
            Some(ty) => self.column_value(ty, l, |c| c.value_operand(l, left_min))?,
            None => self.value_operand(l, left_min)?,
        }
        self.push(op_text(op));
        match bind_wrapped(l) {
            Some(ty) => self.column_value(ty, r, |c| c.value_operand(r, p + 1)),
            None => self.value_operand(r, p + 1),
        }
    }

    /// Renders the left operand of arithmetic `l op r`, parenthesized when it binds looser
    /// than `op` (arithmetic associates to the left); a bare value is typed by the dialect
    /// when neither operand says its type.
    ///
    /// # Errors
    /// When the operand can't be rendered.
    pub fn arithmetic_left(&mut self, op: BinaryOp, l: &'a Expr, r: &'a Expr) -> Result<()> {
        if l.sql_type() == Type::Null && r.sql_type() == Type::Null {
            self.untyped_operand(l, op.precedence())
        } else {
            self.value_operand(l, op.precedence())
        }
    }

    /// Renders the right operand of arithmetic `l op r`, parenthesized unless it binds
    /// tighter than `op`; typed as in [`Compiler::arithmetic_left`].
    ///
    /// # Errors
    /// When the operand can't be rendered.
    pub fn arithmetic_right(&mut self, op: BinaryOp, l: &'a Expr, r: &'a Expr) -> Result<()> {
        if l.sql_type() == Type::Null && r.sql_type() == Type::Null {
            self.untyped_operand(r, op.precedence() + 1)
        } else {
            self.value_operand(r, op.precedence() + 1)
        }
    }

    /// Renders a comma-separated list of expressions.
    pub fn expr_list(&mut self, items: &'a [Expr]) -> Result<()> {
        for (i, e) in items.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.expr(e)?;
        }
        Ok(())
    }

    /// The alias of a table without a schema named like a schema-qualified table of the
    /// SELECT being rendered (`some_table_1` beside `other.some_table`), if it is one.
    pub(crate) fn ambiguous_alias(&self, t: &crate::schema::Table) -> Option<String> {
        // A table translated to no schema is not one (SQLAlchemy decides before translating).
        (t.schema().is_none()
            && self.effective_schema(None).is_none()
            && self
                .ambiguous
                .last()
                .is_some_and(|names| names.contains(&t.name())))
        .then(|| format!("{}_1", t.name()))
    }

    /// Renders the qualifier of a column from a FROM item (`"Artist"`, `anon_1`).
    pub(crate) fn qualifier(&mut self, f: &'a FromItem) {
        match f {
            FromItem::Table(t) => match self.ambiguous_alias(t) {
                Some(alias) => self.ident(&alias),
                None => self.schema_qualified(t.schema(), t.name()),
            },
            FromItem::Alias(a) => {
                let name = self.alias_name(a);
                self.ident(&name);
            }
            FromItem::Cte(c) => {
                let name = self.cte_name(c);
                self.ident(&name);
            }
            FromItem::Join(_) => {}
        }
    }

    /// Renders one expression node ([`Compiler::expr`] decides placeholder reuse first).
    pub(crate) fn expr_node(&mut self, e: &'a Expr) -> Result<()> {
        let d = self.dialect;
        match e {
            Expr::Column(c) => {
                if !self.unqualified {
                    self.qualifier(&c.from);
                    self.push(".");
                }
                self.ident(&c.column.name);
            }
            Expr::Value(v) => self.bind(v),
            Expr::BindParam(name) => self.bind_named(name.clone()),
            Expr::Null => self.push("NULL"),
            Expr::Bool(b) => d.visit_bool(self, *b),
            Expr::Raw(sql) => self.push(sql),
            Expr::Name(n) => self.ident(n),
            Expr::LabelRef(_) => self.order_target(e, OrderPlace::Statement)?,
            Expr::Binary(op, l, r) => match op {
                BinaryOp::Concat => d.visit_concat(self, l, r)?,
                BinaryOp::IsDistinctFrom | BinaryOp::IsNotDistinctFrom => {
                    d.visit_distinct_from(self, *op == BinaryOp::IsNotDistinctFrom, l, r)?
                }
                BinaryOp::Div => d.visit_truediv(self, l, r)?,
                BinaryOp::BitXor => d.visit_bitwise_xor(self, l, r)?,
                BinaryOp::RegexpMatch | BinaryOp::NotRegexpMatch => {
                    d.visit_regexp_match(self, *op == BinaryOp::NotRegexpMatch, l, r)?
                }
                BinaryOp::FloorDiv => d.visit_floordiv(self, l, r)?,
                BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Mod => {
                    // Neither side may say what type it is (`? + ?`): the dialect then types
                    // the values.
                    self.arithmetic_left(*op, l, r)?;
                    self.push(op_text(*op));
                    self.arithmetic_right(*op, l, r)?;
                }
                _ => {
                    let first = self.slots_len();
                    self.binary_default(*op, l, r)?;
                    // A value compared with a typed column is bound as that column holds it.
                    if matches!(
                        op,
                        BinaryOp::Eq
                            | BinaryOp::Ne
                            | BinaryOp::Lt
                            | BinaryOp::Le
                            | BinaryOp::Gt
                            | BinaryOp::Ge
                    ) {
                        self.note_value_type(&l.sql_type(), r, first);
                        self.note_value_type(&r.sql_type(), l, first);
                    }
                }
            },
            Expr::Bool2(op, items) => {
                let (sep, p) = match op {
                    BoolOp::And => (" AND ", 2),
                    BoolOp::Or => (" OR ", 1),
                };
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.push(sep);
                    }
                    self.operand(item, p + 1)?;
                }
            }
            Expr::Not(x) => {
                self.push("NOT ");
                self.operand(x, 10)?;
            }
            Expr::Distinct(x) => {
                self.push("DISTINCT ");
                self.operand(x, 6)?;
            }
            Expr::LiteralExecute(x) => {
                // Its parameters are written in as literals at execution.
                let first = self.slots_len();
                self.expr(x)?;
                let end = self.slots_len();
                self.literal_slots.extend(first..end);
            }
            Expr::BitNot(x) => {
                self.push("~");
                self.operand(x, 10)?;
            }
            Expr::Neg(x) => {
                // A negation inside is parenthesized: `--` would start a comment.
                self.push("-");
                self.operand(x, 10)?;
            }
            Expr::IsNull(x, negated) => {
                self.operand(x, 6)?;
                self.push(if *negated { " IS NOT NULL" } else { " IS NULL" });
            }
            Expr::Like {
                expr,
                pattern,
                escape,
                case_insensitive,
                negated,
                ..
            } => {
                if *case_insensitive {
                    d.visit_ilike(self, expr, pattern, *negated)?;
                } else {
                    self.operand(expr, 6)?;
                    self.push(if *negated { " NOT LIKE " } else { " LIKE " });
                    self.operand(pattern, 6)?;
                }
                if let Some(ch) = escape {
                    self.push(" ESCAPE ");
                    self.literal(&crate::types::Value::Text(ch.to_string()))?;
                }
            }
            Expr::Between(x, lo, hi, negated) => {
                self.operand(x, 6)?;
                self.push(if *negated {
                    " NOT BETWEEN "
                } else {
                    " BETWEEN "
                });
                self.value_operand(lo, 6)?;
                self.push(" AND ");
                self.value_operand(hi, 6)?;
            }
            Expr::InValues(x, vals, negated) => {
                let arity = match &**x {
                    Expr::Tuple(items) => items.len(),
                    _ => 1,
                };
                if arity != vals.1 && (arity > 1 || vals.1 > 1) {
                    return Err(Error::from(CompileError::Invalid(format!(
                        "IN compares {arity} value(s) with items of {}: give tuple_() as many \
                         expressions as each item has values",
                        vals.1
                    ))));
                }
                self.operand(x, 6)?;
                self.push(if *negated { " NOT IN (" } else { " IN (" });
                let slot = self.slots_len();
                self.bind_many(&vals.0, d.empty_set(&in_types(x)), vals.1);
                // A Uuid column's IN list binds text items as the column holds them, as `=`
                // does.
                let ty = x.sql_type();
                if arity == 1 && matches!(ty.generic(), Type::Uuid | Type::UuidChar) {
                    self.uuid_slots.push((slot, ty.generic().clone()));
                }
                self.push(")");
            }
            Expr::InParam(x, name, negated) => {
                // On a tuple, each item of the list given at execution is a tuple of as many
                // values (tuple IN).
                let width = match &**x {
                    Expr::Tuple(items) => items.len(),
                    _ => 1,
                };
                self.operand(x, 6)?;
                self.push(if *negated { " NOT IN (" } else { " IN (" });
                self.bind_named_many(name.clone(), d.empty_set(&in_types(x)), width);
                self.push(")");
            }
            Expr::InList(x, items, negated) => {
                self.operand(x, 6)?;
                self.push(if *negated { " NOT IN (" } else { " IN (" });
                if items.is_empty() {
                    self.push(&d.empty_set(&in_types(x)));
                } else {
                    self.expr_list(items)?;
                }
                self.push(")");
            }
            Expr::InSelect(x, s, negated) => {
                self.operand(x, 6)?;
                self.push(if *negated { " NOT IN (" } else { " IN (" });
                self.nested_select(s)?;
                self.push(")");
            }
            Expr::Tuple(items) => {
                self.push("(");
                self.expr_list(items)?;
                self.push(")");
            }
            Expr::Function(f) => d.visit_function(self, f)?,
            Expr::Cast(x, ty) => {
                self.push("CAST(");
                self.expr(x)?;
                self.push(" AS ");
                let t = d.cast_type_name(ty)?;
                self.push(&t);
                self.push(")");
            }
            Expr::Case {
                value,
                whens,
                else_,
            } => {
                self.push("CASE");
                if let Some(v) = value {
                    self.push(" ");
                    self.expr(v)?;
                }
                // When every result is a bare value, nothing tells the database their type.
                let untyped = whens
                    .iter()
                    .map(|(_, r)| r)
                    .chain(else_.as_deref())
                    .all(|r| r.sql_type() == Type::Null);
                for (cond, result) in whens {
                    self.push(" WHEN ");
                    self.expr(cond)?;
                    self.push(" THEN ");
                    if untyped {
                        self.untyped_operand(result, 0)?
                    } else {
                        self.expr(result)?
                    }
                }
                if let Some(e) = else_ {
                    self.push(" ELSE ");
                    if untyped {
                        self.untyped_operand(e, 0)?
                    } else {
                        self.expr(e)?
                    }
                }
                self.push(" END");
            }
            Expr::Over(f, w) => {
                self.expr(f)?;
                self.push(" OVER (");
                self.window(w)?;
                self.push(")");
            }
            Expr::Filter(f, cond) => {
                if !d.supports_aggregate_filter() {
                    return self.unsupported("FILTER (WHERE ...) on an aggregate");
                }
                self.expr(f)?;
                self.push(" FILTER (WHERE ");
                self.expr(cond)?;
                self.push(")");
            }
            Expr::Extract(part, x) => d.visit_extract(self, *part, x)?,
            Expr::JsonGet { path, .. } if path.is_empty() => {
                return Err(Error::from(CompileError::Invalid(
                    "as_string(), as_integer(), ... read an element of a JSON document: call them \
                     on col.index(key) or col.path(keys)"
                        .into(),
                )));
            }
            Expr::JsonGet { doc, path, ty } => d.visit_json_get(self, doc, path, ty)?,
            Expr::Typed(x, ty) if matches!(**x, Expr::BindParam(_)) => {
                // A typed named parameter says its type where the database needs it to
                // (PostgreSQL: `$1::DATE`), so a NULL in it is a NULL of that type.
                self.expr(x)?;
                if let Some(cast) = d.bind_type_cast(ty) {
                    self.push(&cast);
                }
            }
            Expr::Label(_, x) | Expr::Typed(x, _) => self.expr(x)?,
            Expr::ScalarSubquery(s) => {
                self.push("(");
                self.nested_select(s)?;
                self.push(")");
            }
            Expr::Exists(s) => {
                self.push("EXISTS (");
                self.nested_select(s)?;
                self.push(")");
            }
            Expr::Star(None) => self.push("*"),
            Expr::Star(Some(f)) => {
                self.qualifier(f);
                self.push(".*");
            }
            Expr::Excluded(col) => d.visit_excluded(self, col)?,
            Expr::NextValue(seq) => d.visit_next_value(self, seq)?,
        }
        Ok(())
    }

    fn frame_bound(&mut self, b: &crate::sql::FrameBound, start: bool) -> Result<()> {
        use crate::sql::FrameBound;
        match b {
            FrameBound::Unbounded if start => self.push("UNBOUNDED PRECEDING"),
            FrameBound::Unbounded => self.push("UNBOUNDED FOLLOWING"),
            FrameBound::CurrentRow => self.push("CURRENT ROW"),
            FrameBound::Preceding(v) => {
                self.literal(v)?;
                self.push(" PRECEDING");
            }
            FrameBound::Following(v) => {
                self.literal(v)?;
                self.push(" FOLLOWING");
            }
        }
        Ok(())
    }

    fn window(&mut self, w: &'a Window) -> Result<()> {
        let mut space = false;
        if !w.partition_by.is_empty() {
            self.push("PARTITION BY ");
            self.expr_list(&w.partition_by)?;
            space = true;
        }
        if !w.order_by.is_empty() {
            if space {
                self.push(" ");
            }
            self.push("ORDER BY ");
            self.orderings(&w.order_by, OrderPlace::Window)?;
            space = true;
        }
        if let Some(f) = &w.frame {
            if space {
                self.push(" ");
            }
            self.push(if f.rows {
                "ROWS BETWEEN "
            } else {
                "RANGE BETWEEN "
            });
            let bound = |n: Option<i64>, start: bool| match n {
                None if start => "UNBOUNDED PRECEDING".to_string(),
                None => "UNBOUNDED FOLLOWING".to_string(),
                Some(0) => "CURRENT ROW".to_string(),
                Some(n) if n < 0 => format!("{} PRECEDING", n.unsigned_abs()),
                Some(n) => format!("{n} FOLLOWING"),
            };
            let s = format!("{} AND {}", bound(f.start, true), bound(f.end, false));
            self.push(&s);
        }
        if let Some(f) = &w.value_frame {
            if space {
                self.push(" ");
            }
            self.push(if f.rows {
                "ROWS BETWEEN "
            } else {
                "RANGE BETWEEN "
            });
            self.frame_bound(&f.start, true)?;
            self.push(" AND ");
            self.frame_bound(&f.end, false)?;
        }
        Ok(())
    }
}
