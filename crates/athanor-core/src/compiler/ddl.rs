//! Rendering DDL: CREATE/DROP TABLE, INDEX, SEQUENCE, TYPE.

use super::Compiler;
use crate::compiler::{Compile, CompileOptions};
use crate::error::{Error, Result};
use crate::schema::{CheckConstraint, ColumnData, IndexKey, ServerDefault, Table};
use crate::sql::{Ddl, SelectBase};
use crate::types::{Type, Value};

/// SQL text that is an expression to be parenthesized as a default: it doesn't start with a
/// quote or a parenthesis (a literal, or already wrapped) and has a character other than a
/// letter, digit or `_` (so not a bare `CURRENT_TIMESTAMP` or `10`).
pub(crate) fn is_bare_expression(sql: &str) -> bool {
    let starts_wrapped = sql.trim_start().starts_with(['\'', '"', '(']);
    !starts_wrapped && sql.chars().any(|c| !(c.is_alphanumeric() || c == '_'))
}

impl<'a> Compiler<'a> {
    pub(crate) fn ddl(&mut self, ddl: &'a Ddl) -> Result<()> {
        let d = self.dialect;
        match ddl {
            Ddl::CreateTable(t) => self.create_table(t, false)?,
            Ddl::CreateTableIfNotExists(t) => self.create_table(t, true)?,
            Ddl::DropTable(t) => {
                self.push("DROP TABLE ");
                self.table_name(t);
            }
            Ddl::DropTableIfExists(t) => {
                self.push("DROP TABLE IF EXISTS ");
                self.table_name(t);
            }
            Ddl::CreateIndex(t, ix) | Ddl::CreateIndexIfNotExists(t, ix) => {
                self.push(if ix.unique {
                    "CREATE UNIQUE INDEX "
                } else {
                    "CREATE INDEX "
                });
                if matches!(ddl, Ddl::CreateIndexIfNotExists(..)) {
                    self.push("IF NOT EXISTS ");
                }
                let name = self.constraint_name(&ix.name, ix.by_convention);
                d.visit_index_name(self, t, &name);
                self.push(" ON ");
                d.visit_index_table(self, t);
                self.push(" (");
                if ix.expressions.is_empty() {
                    self.ident_list(&ix.columns);
                } else {
                    for (i, key) in ix.expressions.iter().enumerate() {
                        if i > 0 {
                            self.push(", ");
                        }
                        match key {
                            IndexKey::Column(c) => self.ident(c),
                            IndexKey::Expression(sql) => self.push(sql),
                        }
                    }
                }
                self.push(")");
                if !ix.include.is_empty() && d.supports_index_include() {
                    self.push(" INCLUDE (");
                    self.ident_list(&ix.include);
                    self.push(")");
                }
            }
            Ddl::DropIndex(t, ix) | Ddl::DropIndexIfExists(t, ix) => {
                let name = self.constraint_name(&ix.name, ix.by_convention);
                let if_exists = matches!(ddl, Ddl::DropIndexIfExists(..));
                d.visit_drop_index(self, t, &name, if_exists)?;
            }
            Ddl::SetTableComment(t) => {
                let Some(comment) = &t.data().comment else {
                    return Err(Error::argument(format!(
                        "SetTableComment: table '{}' has no comment (use DropTableComment to remove one)",
                        t.name()
                    )));
                };
                d.visit_table_comment(self, t, Some(comment))?;
            }
            Ddl::DropTableComment(t) => d.visit_table_comment(self, t, None)?,
            Ddl::SetColumnComment(t, name) => {
                if !d.supports_comments() || d.column_comments_inline() {
                    return self.unsupported(
                        "COMMENT ON COLUMN (column comments are part of CREATE TABLE here, or unknown)",
                    );
                }
                let Some(col) = t.column_data(name) else {
                    return Err(Error::no_such_column(t.name(), name.clone()));
                };
                let Some(comment) = &col.comment else {
                    return Err(Error::argument(format!(
                        "SetColumnComment: column '{}.{name}' has no comment",
                        t.name()
                    )));
                };
                self.push("COMMENT ON COLUMN ");
                self.table_name(t);
                self.push(".");
                self.ident(name);
                self.push(" IS ");
                self.literal(&Value::Text(comment.clone()))?;
            }
            Ddl::CreateTableAs(c) => {
                self.push("CREATE ");
                if c.temporary {
                    self.push("TEMPORARY ");
                }
                self.push("TABLE ");
                if c.if_not_exists {
                    self.push("IF NOT EXISTS ");
                }
                self.qualified(c.schema.as_deref(), &c.name);
                self.push(" AS ");
                self.select_as_literals(&c.select)?;
            }
            Ddl::CreateView(v) => {
                let caps = d.view_capabilities();
                for (asked, has, what) in [
                    (v.or_replace, caps.or_replace, "CREATE OR REPLACE VIEW"),
                    (v.temporary, caps.temporary, "CREATE TEMPORARY VIEW"),
                    (
                        v.materialized,
                        caps.materialized,
                        "CREATE MATERIALIZED VIEW",
                    ),
                ] {
                    if asked && !has {
                        return self.unsupported(what);
                    }
                }
                if v.temporary && v.materialized {
                    return self.unsupported("a temporary materialized view");
                }
                self.push("CREATE ");
                if v.or_replace {
                    self.push("OR REPLACE ");
                }
                if v.temporary {
                    self.push("TEMPORARY ");
                }
                if v.materialized {
                    self.push("MATERIALIZED ");
                }
                self.push("VIEW ");
                self.qualified(v.schema.as_deref(), &v.name);
                self.push(" AS ");
                self.select_as_literals(&v.select)?;
            }
            Ddl::DropView(v) => {
                if v.materialized && !d.view_capabilities().materialized {
                    return self.unsupported("DROP MATERIALIZED VIEW");
                }
                self.push(if v.materialized {
                    "DROP MATERIALIZED VIEW "
                } else {
                    "DROP VIEW "
                });
                if v.if_exists {
                    self.push("IF EXISTS ");
                }
                self.qualified(v.schema.as_deref(), &v.name);
            }
            Ddl::CreateSequence(s) => {
                if !d.supports_sequences() {
                    return self.unsupported("CREATE SEQUENCE");
                }
                self.push("CREATE SEQUENCE ");
                self.qualified(s.schema.as_deref(), &s.name);
                if let Some(i) = s.increment {
                    self.push(&format!(" INCREMENT BY {i}"));
                }
                if let Some(st) = s.start {
                    self.push(&format!(" START WITH {st}"));
                }
            }
            Ddl::DropSequence(s) | Ddl::DropSequenceIfExists(s) => {
                if !d.supports_sequences() {
                    return self.unsupported("DROP SEQUENCE");
                }
                self.push(if matches!(ddl, Ddl::DropSequenceIfExists(_)) {
                    "DROP SEQUENCE IF EXISTS "
                } else {
                    "DROP SEQUENCE "
                });
                self.qualified(s.schema.as_deref(), &s.name);
            }
            Ddl::CreateEnum(name, values) => {
                if !d.supports_named_enums() {
                    return self.unsupported("CREATE TYPE ... AS ENUM");
                }
                self.push("CREATE TYPE ");
                self.ident(name);
                self.push(" AS ENUM (");
                for (i, v) in values.iter().enumerate() {
                    if i > 0 {
                        self.push(", ");
                    }
                    self.literal(&Value::Text(v.clone()))?;
                }
                self.push(")");
            }
            Ddl::DropEnum(name) | Ddl::DropEnumIfExists(name) => {
                if !d.supports_named_enums() {
                    return self.unsupported("DROP TYPE");
                }
                self.push(if matches!(ddl, Ddl::DropEnumIfExists(_)) {
                    "DROP TYPE IF EXISTS "
                } else {
                    "DROP TYPE "
                });
                self.ident(name);
            }
        }
        Ok(())
    }

    /// A constraint's or index's name as DDL writes it: a name made by a naming convention
    /// cut to the database's limit with a hash suffix (see
    /// [`NamingConvention`](crate::schema::NamingConvention)); a given name as it is.
    fn constraint_name<'n>(&self, name: &'n str, by_convention: bool) -> std::borrow::Cow<'n, str> {
        use crate::dialect::NameLimit;
        if !by_convention {
            return name.into();
        }
        let limit = match self.dialect.max_identifier_length() {
            NameLimit::Unlimited => None,
            NameLimit::Bytes(n) | NameLimit::Chars(n) => Some(n),
        };
        crate::schema::fit_name(name, limit)
    }

    /// `schema.name`, each quoted as needed.
    fn qualified(&mut self, schema: Option<&str>, name: &str) {
        self.schema_qualified(schema, name);
    }

    /// A SELECT inside DDL: its values written as literals (DDL takes no parameters).
    fn select_as_literals(&mut self, select: &SelectBase) -> Result<()> {
        let c = select.compile_with(self.dialect, CompileOptions::literal_binds())?;
        self.push(c.sql());
        Ok(())
    }

    fn create_table(&mut self, t: &'a Table, if_not_exists: bool) -> Result<()> {
        let d = self.dialect;
        self.push("CREATE ");
        for p in &t.data().prefixes {
            self.push(p);
            self.push(" ");
        }
        self.push(if if_not_exists {
            "TABLE IF NOT EXISTS "
        } else {
            "TABLE "
        });
        self.table_name(t);
        self.push(" (");
        let autoinc = t.autoincrement_column().map(|c| c.name.clone());
        let mut inline_pk = false;
        for (i, c) in t.columns().iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            let is_autoinc = autoinc.as_deref() == Some(c.name.as_str());
            inline_pk |= d.visit_column_ddl(self, t, c, is_autoinc)?;
            for ck in &c.checks {
                self.check_constraint(ck, " ")?;
            }
        }
        let data = t.data();
        if !data.primary_key.columns.is_empty() && !inline_pk {
            self.push(", ");
            if let Some(n) = &data.primary_key.name {
                self.push("CONSTRAINT ");
                let n = self.constraint_name(n, data.primary_key.by_convention);
                self.ident(&n);
                self.push(" ");
            }
            self.push("PRIMARY KEY (");
            self.ident_list(&data.primary_key.columns);
            self.push(")");
        }
        for u in &data.unique_constraints {
            self.push(", ");
            if let Some(n) = &u.name {
                self.push("CONSTRAINT ");
                let n = self.constraint_name(n, u.by_convention);
                self.ident(&n);
                self.push(" ");
            }
            self.push("UNIQUE (");
            self.ident_list(&u.columns);
            self.push(")");
        }
        for fk in &data.foreign_keys {
            let schema_qualified = d.foreign_key_references_schema();
            if !schema_qualified
                && fk.referred_schema.is_some()
                && fk.referred_schema.as_deref() != t.schema()
            {
                // SQLite: a constraint can't refer to another database; left out, as in
                // SQLAlchemy.
                continue;
            }
            self.push(", ");
            if let Some(n) = &fk.name {
                self.push("CONSTRAINT ");
                let n = self.constraint_name(n, fk.by_convention);
                self.ident(&n);
                self.push(" ");
            }
            self.push("FOREIGN KEY(");
            self.ident_list(&fk.columns);
            self.push(") REFERENCES ");
            let referred = fk.referred_schema.as_deref().or(t.schema());
            if schema_qualified {
                self.schema_qualified(referred, &fk.referred_table);
            } else {
                self.ident(&fk.referred_table);
            }
            self.push(" (");
            self.ident_list(&fk.referred_columns);
            self.push(")");
            for (kw, action) in [
                (" ON DELETE ", &fk.on_delete),
                (" ON UPDATE ", &fk.on_update),
            ] {
                if let Some(a) = action {
                    let upper = a.to_ascii_uppercase();
                    if !matches!(
                        upper.as_str(),
                        "CASCADE" | "SET NULL" | "SET DEFAULT" | "RESTRICT" | "NO ACTION"
                    ) {
                        return Err(Error::argument(format!(
                            "unknown foreign key action '{a}' (use CASCADE, SET NULL, SET DEFAULT, RESTRICT or NO ACTION)"
                        )));
                    }
                    self.push(kw);
                    self.push(&upper);
                }
            }
        }
        for ck in &data.check_constraints {
            self.check_constraint(ck, ", ")?;
        }
        self.push(")");
        d.visit_table_options(self, t)?;
        Ok(())
    }

    /// `[CONSTRAINT name] CHECK (condition)` after `sep`: a table's (`, `) or a column's (` `).
    fn check_constraint(&mut self, ck: &'a CheckConstraint, sep: &str) -> Result<()> {
        self.push(sep);
        if let Some(n) = &ck.name {
            self.push("CONSTRAINT ");
            let n = self.constraint_name(n, ck.by_convention);
            self.ident(&n);
            self.push(" ");
        }
        self.push("CHECK (");
        self.check_condition(ck)?;
        self.push(")");
        Ok(())
    }

    /// A comment as a string literal through the dialect's escaper; `NULL` for none.
    pub(crate) fn comment_literal(&mut self, comment: Option<&str>) -> Result<()> {
        match comment {
            Some(c) => {
                let lit = self.dialect.quote_string(c)?;
                self.push(&lit);
            }
            None => self.push("NULL"),
        }
        Ok(())
    }

    /// A CHECK condition, its `:name` values written as literals through the dialect's
    /// escaper.
    fn check_condition(&mut self, ck: &CheckConstraint) -> Result<()> {
        if ck.params.is_empty() {
            self.push(&ck.sql);
            return Ok(());
        }
        let parsed = crate::sql::text(&ck.sql);
        let mut last = 0;
        for (offset, name) in parsed.params.iter() {
            let Some((_, v)) = ck.params.iter().find(|(n, _)| n.as_str() == name.as_ref()) else {
                return Err(Error::argument(format!(
                    "CHECK ({}) has a parameter :{name} with no value; give it with .bind(\"{name}\", value)",
                    ck.sql
                )));
            };
            self.push(&parsed.sql[last..*offset]);
            self.literal(v)?;
            last = *offset;
        }
        self.push(&parsed.sql[last..]);
        if let Some((n, _)) = ck
            .params
            .iter()
            .find(|(n, _)| !parsed.param_names().any(|p| p == n))
        {
            return Err(Error::argument(format!(
                "CHECK ({}) has no parameter :{n} for the value bound to it",
                ck.sql
            )));
        }
        Ok(())
    }

    /// Renders a comma-separated list of identifiers.
    pub fn ident_list(&mut self, names: &[String]) {
        for (i, n) in names.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.ident(n);
        }
    }

    /// The default column definition: `name TYPE [NOT NULL] [DEFAULT ...]`.
    ///
    /// # Errors
    /// When the type has no DDL name on the dialect or a default can't be written.
    pub fn column_ddl_default(&mut self, c: &'a ColumnData, type_name: &str) -> Result<()> {
        self.ident(&c.name);
        self.push(" ");
        self.push(type_name);
        self.collation(&c.ty);
        self.server_default(c)?;
        if !c.nullable {
            self.push(" NOT NULL");
        }
        Ok(())
    }

    /// Renders ` COLLATE name` after a column's type when it has a collation
    /// ([`Type::Collated`]); the name is quoted as an identifier where the dialect needs it.
    pub fn collation(&mut self, ty: &Type) {
        if let Some(name) = ty.collation() {
            self.push(" COLLATE ");
            self.ident(name);
        }
    }

    /// Renders ` DEFAULT ...` when the column has a server default.
    ///
    /// # Errors
    /// When the default can't be written as a literal.
    pub fn server_default(&mut self, c: &'a ColumnData) -> Result<()> {
        match &c.server_default {
            Some(ServerDefault::Literal(v)) => {
                self.push(" DEFAULT ");
                self.literal(v)?;
            }
            Some(ServerDefault::Text(sql)) => {
                if self.dialect.parenthesize_text_default(sql) {
                    self.push(" DEFAULT (");
                    self.push(sql);
                    self.push(")");
                } else {
                    self.push(" DEFAULT ");
                    self.push(sql);
                }
            }
            Some(ServerDefault::Computed(computed)) => {
                let d = self.dialect;
                d.visit_computed(self, computed)?;
            }
            None => {}
        }
        Ok(())
    }
}
