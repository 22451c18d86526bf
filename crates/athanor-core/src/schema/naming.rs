//! [`NamingConvention`]: names for constraints and indexes built from a template
//! (SQLAlchemy's `MetaData(naming_convention=...)`), and the cut with a hash suffix that fits
//! a long one to the database's limit.

use crate::error::{Error, Result};

/// The templates a [`MetaData`](crate::schema::MetaData) names its unnamed constraints and
/// indexes with, per kind: `pk`, `fk`, `uq`, `ck`, `ix` (SQLAlchemy's `naming_convention`).
///
/// A template is text with SQLAlchemy's `%(token)s` placeholders (`%%` is a `%`):
/// `table_name`; `column_0_name`, `column_0_key`, `column_0_label` (`table_column`), and
/// any other position for `0`; `column_0_N_name` (every column, joined by `_`) and
/// `column_0N_name` (joined without); `referred_table_name`, `referred_column_0_name` (foreign
/// keys); `constraint_name` (the name given, which the template then dresses).
///
/// The default names indexes `ix_%(column_0_label)s`, and that template stays in effect for
/// indexes when a convention has no `ix` of its own (a [`Column::index`](crate::schema::Column::index)
/// needs a name). A name made from a template and longer than the database allows is cut
/// when the DDL is written: its first `limit - 8` characters, `_`, and the last 4 hex digits
/// of the MD5 of the whole name, as SQLAlchemy does; a name given outright is used as given.
///
/// ```
/// use athanor_core::prelude::*;
/// use athanor_core::dialect::{Postgres, Sqlite};
/// use athanor_core::schema::NamingConvention;
/// let md = MetaData::with_naming_convention(
///     NamingConvention::new()
///         .pk("pk_%(table_name)s")
///         .uq("uq_%(table_name)s_%(column_0_N_name)s")
///         .fk("fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"),
/// );
/// let t = Table::build("t", &md)
///     .column(Column::new("id", Type::Integer).primary_key())
///     .column(Column::new("a", Type::Integer).index())
///     .column(Column::new("b", Type::Integer).foreign_key(ForeignKey::new("t.id")))
///     .unique(UniqueConstraint::new(["a", "b"]))
///     .finish()?;
/// assert_eq!(t.primary_key().name.as_deref(), Some("pk_t"));
/// assert_eq!(t.indexes()[0].name, "ix_t_a");
/// assert_eq!(Ddl::CreateTable(t.clone()).compile(&Sqlite)?.sql(),
///     "CREATE TABLE t (id INTEGER NOT NULL, a INTEGER, b INTEGER, CONSTRAINT pk_t PRIMARY KEY (id), \
///      CONSTRAINT uq_t_a_b UNIQUE (a, b), CONSTRAINT fk_t_b_t FOREIGN KEY(b) REFERENCES t (id))");
///
/// // Too long for PostgreSQL's 63: cut, with a hash of the whole name.
/// let long = Table::build("a_table_with_a_rather_long_name", &md)
///     .column(Column::new("and_a_column_with_a_long_name_too", Type::Integer).index())
///     .finish()?;
/// let ix = long.indexes()[0].clone();
/// assert_eq!(ix.name, "ix_a_table_with_a_rather_long_name_and_a_column_with_a_long_name_too");
/// assert_eq!(Ddl::CreateIndex(long, ix).compile(&Postgres)?.sql(),
///     "CREATE INDEX ix_a_table_with_a_rather_long_name_and_a_column_with_a__815a \
///      ON a_table_with_a_rather_long_name (and_a_column_with_a_long_name_too)");
/// # Ok::<(), athanor_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NamingConvention {
    pk: Option<String>,
    fk: Option<String>,
    uq: Option<String>,
    ck: Option<String>,
    ix: Option<String>,
}

/// SQLAlchemy's default index template.
const DEFAULT_IX: &str = "ix_%(column_0_label)s";

impl Default for NamingConvention {
    /// Indexes named `ix_%(column_0_label)s`; constraints left unnamed (SQLAlchemy's default).
    fn default() -> Self {
        NamingConvention {
            pk: None,
            fk: None,
            uq: None,
            ck: None,
            ix: Some(DEFAULT_IX.to_string()),
        }
    }
}

/// Which kind of constraint a name is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Pk,
    Fk,
    Uq,
    Ck,
    Ix,
}

/// What a template's tokens read.
pub(crate) struct Subject<'a> {
    pub kind: Kind,
    pub table: &'a str,
    pub columns: &'a [String],
    pub referred_table: &'a str,
    pub referred_columns: &'a [String],
    pub name: Option<&'a str>,
}

impl NamingConvention {
    /// A convention with no templates: constraints unnamed, indexes named by the default
    /// `ix_%(column_0_label)s`. Add templates with [`pk`](Self::pk), [`fk`](Self::fk), ...
    pub fn new() -> Self {
        NamingConvention {
            ix: None,
            ..Default::default()
        }
    }
    /// The primary key's template.
    pub fn pk(mut self, template: impl Into<String>) -> Self {
        self.pk = Some(template.into());
        self
    }
    /// Foreign keys' template.
    pub fn fk(mut self, template: impl Into<String>) -> Self {
        self.fk = Some(template.into());
        self
    }
    /// Unique constraints' template.
    pub fn uq(mut self, template: impl Into<String>) -> Self {
        self.uq = Some(template.into());
        self
    }
    /// Check constraints' template.
    pub fn ck(mut self, template: impl Into<String>) -> Self {
        self.ck = Some(template.into());
        self
    }
    /// Indexes' template.
    pub fn ix(mut self, template: impl Into<String>) -> Self {
        self.ix = Some(template.into());
        self
    }

    fn template(&self, kind: Kind) -> Option<&str> {
        match kind {
            Kind::Pk => self.pk.as_deref(),
            Kind::Fk => self.fk.as_deref(),
            Kind::Uq => self.uq.as_deref(),
            Kind::Ck => self.ck.as_deref(),
            Kind::Ix => self.ix.as_deref().or(Some(DEFAULT_IX)),
        }
    }

    /// The name the convention gives `subject`: `None` when it has no template for the kind,
    /// or the constraint is named and the template doesn't use `%(constraint_name)s`.
    ///
    /// # Errors
    /// [`Error::Argument`] for a template with an unknown token, or `%(constraint_name)s`
    /// on an unnamed constraint.
    pub(crate) fn name_for(&self, subject: &Subject<'_>) -> Result<Option<String>> {
        let Some(template) = self.template(subject.kind) else {
            return Ok(None);
        };
        if subject.name.is_some() && !template.contains("%(constraint_name)s") {
            return Ok(None);
        }
        render(template, subject).map(Some)
    }
}

/// `template` with its `%(token)s` placeholders filled in.
fn render(template: &str, subject: &Subject<'_>) -> Result<String> {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 1..];
        if let Some(after) = tail.strip_prefix('%') {
            out.push('%');
            rest = after;
            continue;
        }
        let Some((token, after)) = tail.strip_prefix('(').and_then(|t| t.split_once(")s")) else {
            return Err(Error::argument(format!(
                "naming convention '{template}': a '%' that starts no %(token)s (write %% for a %)"
            )));
        };
        out.push_str(&token_value(token, subject, template)?);
        rest = after;
    }
    out.push_str(rest);
    Ok(out)
}

fn token_value(token: &str, s: &Subject<'_>, template: &str) -> Result<String> {
    let unknown = || {
        Error::argument(format!(
            "naming convention '{template}': unknown token %({token})s"
        ))
    };
    match token {
        "table_name" => return Ok(s.table.to_string()),
        "constraint_name" => {
            return s.name.map(str::to_string).ok_or_else(|| {
                Error::argument(format!(
                    "naming convention '{template}' uses %(constraint_name)s: the constraint needs a name"
                ))
            });
        }
        "referred_table_name" if s.kind == Kind::Fk => return Ok(s.referred_table.to_string()),
        _ => {}
    }
    // [referred_]column_<i>[_N|N]_<name|key|label>
    let (referred, body) = match token.strip_prefix("referred_") {
        Some(b) => (true, b),
        None => (false, token),
    };
    let body = body.strip_prefix("column_").ok_or_else(unknown)?;
    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
    let index: usize = body[..digits].parse().map_err(|_| unknown())?;
    let (sep, attr) = match &body[digits..] {
        b if b.starts_with("_N_") => (Some("_"), &b[3..]),
        b if b.starts_with("N_") => (Some(""), &b[2..]),
        b => (None, b.strip_prefix('_').ok_or_else(unknown)?),
    };
    if referred && (s.kind != Kind::Fk || attr != "name") {
        return Err(unknown());
    }
    let cols = if referred {
        s.referred_columns
    } else {
        s.columns
    };
    let one = |c: &String| -> Result<String> {
        match attr {
            "name" | "key" => Ok(c.clone()),
            "label" if !referred => Ok(format!("{}_{c}", s.table)),
            _ => Err(unknown()),
        }
    };
    match sep {
        Some(sep) => Ok(cols.iter().map(one).collect::<Result<Vec<_>>>()?.join(sep)),
        None => match cols.get(index) {
            Some(c) => one(c),
            None => {
                one(&String::new())?;
                Ok(String::new())
            }
        },
    }
}

/// A convention-made name fitted to `limit` characters: unchanged when it fits, else its
/// first `limit - 8` characters, `_`, and the last 4 hex digits of its MD5 (SQLAlchemy's
/// `_truncate_and_render_maxlen_name`).
pub(crate) fn fit_name(name: &str, limit: Option<usize>) -> std::borrow::Cow<'_, str> {
    use md5::Digest;
    let Some(limit) = limit else {
        return name.into();
    };
    if name.chars().count() <= limit {
        return name.into();
    }
    let head: String = name.chars().take(limit.saturating_sub(8)).collect();
    let digest = md5::Md5::digest(name.as_bytes());
    // The last 4 hex digits are the last 2 bytes.
    let n = digest.len();
    format!("{head}_{:02x}{:02x}", digest[n - 2], digest[n - 1]).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject<'a>(kind: Kind, columns: &'a [String], name: Option<&'a str>) -> Subject<'a> {
        Subject {
            kind,
            table: "t",
            columns,
            referred_table: "r",
            referred_columns: columns,
            name,
        }
    }

    #[test]
    fn tokens() {
        let cols = vec!["a".to_string(), "b".to_string()];
        let s = subject(Kind::Fk, &cols, None);
        let r = |t: &str| render(t, &s);
        assert_eq!(r("x_%(column_0_N_name)s").ok(), Some("x_a_b".into()));
        assert_eq!(r("x_%(column_0N_name)s").ok(), Some("x_ab".into()));
        assert_eq!(r("%(column_1_label)s").ok(), Some("t_b".into()));
        assert_eq!(r("%(column_5_name)s|").ok(), Some("|".into()));
        assert_eq!(r("%(referred_column_0_N_name)s").ok(), Some("a_b".into()));
        assert_eq!(
            r("100%%_%(referred_table_name)s").ok(),
            Some("100%_r".into())
        );
        assert!(r("%(nope)s").is_err());
        assert!(r("%(constraint_name)s").is_err());
        assert!(r("50% off").is_err());
        let ck = subject(Kind::Ck, &[], Some("pos"));
        assert_eq!(
            render("ck_%(table_name)s_%(constraint_name)s", &ck).ok(),
            Some("ck_t_pos".into())
        );
        assert!(render("%(referred_table_name)s", &ck).is_err());
    }

    #[test]
    fn named_constraints_keep_their_name() {
        let nc = NamingConvention::new().uq("uq_%(table_name)s");
        let cols = vec!["a".to_string()];
        assert_eq!(
            nc.name_for(&subject(Kind::Uq, &cols, Some("mine"))).ok(),
            Some(None)
        );
        assert_eq!(
            nc.name_for(&subject(Kind::Uq, &cols, None)).ok(),
            Some(Some("uq_t".into()))
        );
        assert_eq!(
            nc.name_for(&subject(Kind::Pk, &cols, None)).ok(),
            Some(None)
        );
        assert_eq!(
            nc.name_for(&subject(Kind::Ix, &cols, None)).ok(),
            Some(Some("ix_t_a".into()))
        );
    }

    #[test]
    fn fit_matches_sqlalchemy() {
        // SQLAlchemy 2.1 on PostgreSQL (63) names this index
        // ix_t_y_is_a_long_column_name_that_is_long_long_long_lon_5426.
        let name = "ix_t_y_is_a_long_column_name_that_is_long_long_long_long_long_long_long_x";
        assert_eq!(
            fit_name(name, Some(63)),
            "ix_t_y_is_a_long_column_name_that_is_long_long_long_lon_5426"
        );
        assert_eq!(fit_name("short", Some(63)), "short");
        assert_eq!(fit_name(name, None), name);
    }
}
