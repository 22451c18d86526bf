//! What most dialects render the same way, for their hooks to call: a function call, the
//! generic types' standard DDL names.

use crate::compiler::Compiler;
use crate::error::{CompileError, Error, Result};
use crate::sql::{Expr, FunctionCall};
use crate::types::Type;

/// Renders `name([DISTINCT] args)`; `count()` with no arguments is `count(*)`.
///
/// # Errors
/// When an argument can't be rendered.
pub fn function_default<'a>(c: &mut Compiler<'a>, name: &str, f: &'a FunctionCall) -> Result<()> {
    c.push(name);
    c.push("(");
    if f.distinct {
        c.push("DISTINCT ");
    }
    if f.args.is_empty() && &*f.name == "count" {
        c.push("*");
    } else {
        // A float or decimal value among integer arguments (`coalesce(length, 0.5)`) is cast
        // where the dialect would otherwise type it as an integer.
        let integer_arg = f.args.iter().any(|a| a.sql_type().is_integer());
        for (i, a) in f.args.iter().enumerate() {
            if i > 0 {
                c.push(", ");
            }
            match a {
                Expr::Value(v) if integer_arg => match c.dialect().function_value_cast(v) {
                    Some(cast) => {
                        c.bind(v);
                        c.push(cast);
                    }
                    None => c.expr(a)?,
                },
                _ => c.expr(a)?,
            }
        }
    }
    c.push(")");
    Ok(())
}

/// The standard DDL names of the generic types.
///
/// # Errors
/// [`CompileError::Unsupported`] for ARRAY (PostgreSQL only).
pub fn default_type_name(dialect: &'static str, ty: &Type) -> Result<String> {
    let len = |n: &Option<u32>| n.map(|n| format!("({n})")).unwrap_or_default();
    Ok(match ty {
        Type::Integer => "INTEGER".into(),
        Type::SmallInteger => "SMALLINT".into(),
        Type::BigInteger => "BIGINT".into(),
        Type::Float => "FLOAT".into(),
        Type::Double => "DOUBLE".into(),
        Type::Numeric(Some(p), Some(s)) => format!("NUMERIC({p}, {s})"),
        Type::Numeric(Some(p), None) => format!("NUMERIC({p})"),
        Type::Numeric(..) => "NUMERIC".into(),
        Type::String(n) | Type::Unicode(n) => format!("VARCHAR{}", len(n)),
        Type::Text | Type::UnicodeText => "TEXT".into(),
        Type::Boolean => "BOOLEAN".into(),
        Type::Date => "DATE".into(),
        Type::Time | Type::TimeTz => "TIME".into(),
        Type::DateTime | Type::DateTimeTz => "DATETIME".into(),
        Type::Interval | Type::IntervalPrecision { .. } => "INTERVAL".into(),
        Type::LargeBinary => "BLOB".into(),
        Type::Enum { variants, .. } => {
            let n = variants
                .iter()
                .map(|v| v.chars().count())
                .max()
                .unwrap_or(1);
            format!("VARCHAR({n})")
        }
        Type::Json => "JSON".into(),
        Type::Uuid | Type::UuidChar => "CHAR(32)".into(),
        Type::Array(_) => {
            return Err(Error::from(CompileError::Unsupported {
                dialect,
                construct: "ARRAY type".into(),
            }));
        }
        Type::Declared { sql, .. } | Type::Other(sql) => sql.clone(),
        // The collation is the column's DDL's (`COLLATE`), not part of the type's name.
        Type::Collated { ty, .. } | Type::Wrapped { ty, .. } => default_type_name(dialect, ty)?,
        Type::Null => "NULL".into(),
    })
}
