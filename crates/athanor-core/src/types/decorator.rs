//! [`TypeDecorator`]: a user's Rust type stored as an underlying SQL type, with its own bind
//! and result conversions (SQLAlchemy's `TypeDecorator`).
//!
//! Implementing it is all a newtype or an enum needs to be used like a built-in value: as a
//! column's type ([`TypeDecorator::sql_type`]), in comparisons and `IN` lists, in inserts and
//! updates (it converts into [`Value`] and [`Expr`]), as a server default, and read back with `row.get::<T>()` (it
//! is a [`FromValue`]), `Option<T>` included.

use super::{FromValue, Type, Value};
use crate::error::ConversionError;
use crate::sql::Expr;

/// A Rust type stored as an underlying SQL type (SQLAlchemy's `TypeDecorator`).
///
/// Implement the three functions; Athanor then converts the type wherever values go: the
/// blanket implementations make every `TypeDecorator` an `Into<Value>`, an `Into<Expr>` and a
/// [`FromValue`]. Going out, [`to_sql`](TypeDecorator::to_sql) can't fail — make invalid
/// values impossible to construct instead; coming back, [`from_sql`](TypeDecorator::from_sql)
/// refuses what isn't a valid `Self` with a [`ConversionError`], which `row.get` reports
/// with the column's name.
///
/// # Examples
///
/// An enum stored as text:
///
/// ```
/// use athanor_core::prelude::*;
/// use athanor_core::dialect::Postgres;
/// use athanor_core::error::ConversionError;
///
/// #[derive(Debug, Clone, Copy, PartialEq)]
/// enum Mood { Happy, Sad }
///
/// impl TypeDecorator for Mood {
///     fn sql_type() -> Type {
///         Type::String(Some(5))
///     }
///     fn to_sql(&self) -> Value {
///         Value::from(match self { Mood::Happy => "happy", Mood::Sad => "sad" })
///     }
///     fn from_sql(value: Value) -> Result<Self, ConversionError> {
///         match String::from_value_owned(value)?.as_str() {
///             "happy" => Ok(Mood::Happy),
///             "sad" => Ok(Mood::Sad),
///             other => Err(ConversionError::new("Mood", "TEXT")
///                 .with_detail(format!("{other:?} is not a mood"))),
///         }
///     }
/// }
///
/// let md = MetaData::new();
/// let people = Table::build("people", &md)
///     .column(Column::new("name", Type::Text))
///     .column(Column::new("mood", Mood::sql_type()).server_default(Mood::Sad))
///     .finish()?;
/// assert_eq!(
///     Ddl::CreateTable(people.clone()).compile(&Postgres)?.sql(),
///     "CREATE TABLE people (name TEXT, mood VARCHAR(5) DEFAULT 'sad')"
/// );
/// let q = select(people.c("name")).filter(people.c("mood").eq(Mood::Happy));
/// let compiled = q.compile(&Postgres)?;
/// assert_eq!(compiled.sql(), "SELECT people.name FROM people WHERE people.mood = $1");
/// assert_eq!(compiled.params(), [Value::from("happy")]);
///
/// // Reading back: a stored value becomes the enum, or an error that says why not.
/// assert_eq!(Mood::from_value(&Value::from("sad"))?, Mood::Sad);
/// assert_eq!(Option::<Mood>::from_value(&Value::Null)?, None);
/// let err = Mood::from_value(&Value::from("meh")).unwrap_err();
/// assert_eq!(err.to_string(), r#"cannot convert SQL TEXT to Rust Mood ("meh" is not a mood)"#);
/// # Ok::<(), athanor_core::Error>(())
/// ```
///
/// Rows given by position to `execute_many_rows` are written through
/// [`BindValue`](super::BindValue), which takes one line more (a blanket implementation would
/// collide with the one for references):
///
/// ```
/// # use athanor_core::prelude::*;
/// # use athanor_core::error::ConversionError;
/// use athanor_core::types::BindValue;
/// # #[derive(Clone, Copy)] struct Cents(i64);
/// # impl TypeDecorator for Cents {
/// #     fn sql_type() -> Type { Type::BigInteger }
/// #     fn to_sql(&self) -> Value { Value::Int(self.0) }
/// #     fn from_sql(v: Value) -> Result<Self, ConversionError> { i64::from_value_owned(v).map(Cents) }
/// # }
/// impl BindValue for Cents {
///     fn bind_into(&self, slot: &mut Value) {
///         *slot = self.to_sql();
///     }
/// }
/// let mut slot = Value::Null;
/// Cents(250).bind_into(&mut slot);
/// assert_eq!(slot, Value::Int(250));
/// ```
///
/// A newtype over an integer works the same way (`Type::BigInteger`, `Value::Int`); with the
/// `athanor` crate, `conn.execute(&people.insert().values(row! { "mood" => Mood::Sad }))` and
/// `row.get::<Mood, _>("mood")` round-trip it on every database.
pub trait TypeDecorator: Sized {
    /// The SQL type the values are stored as (the column type to declare).
    fn sql_type() -> Type;

    /// The value to store for `self` (SQLAlchemy's `process_bind_param`).
    fn to_sql(&self) -> Value;

    /// `Self` from a stored value (SQLAlchemy's `process_result_value`). `NULL` reaches it
    /// only when a `T` rather than an `Option<T>` is asked for.
    ///
    /// # Errors
    /// A [`ConversionError`] when the value isn't a valid `Self`.
    fn from_sql(value: Value) -> Result<Self, ConversionError>;
}

impl<T: TypeDecorator> From<T> for Value {
    fn from(v: T) -> Self {
        v.to_sql()
    }
}

impl<T: TypeDecorator> From<T> for Expr {
    fn from(v: T) -> Self {
        Expr::Value(v.to_sql())
    }
}

/// `Column::new(..).server_default(Status::Draft)`: the stored value, as a DDL literal.
impl<T: TypeDecorator> From<T> for crate::schema::ServerDefault {
    fn from(v: T) -> Self {
        crate::schema::ServerDefault::Literal(v.to_sql())
    }
}

impl<T: TypeDecorator> FromValue for T {
    fn from_value(value: &Value) -> Result<Self, ConversionError> {
        T::from_sql(value.clone())
    }
    fn from_value_owned(value: Value) -> Result<Self, ConversionError> {
        T::from_sql(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A newtype over an integer: cents stored as BIGINT.
    #[derive(Debug, Clone, Copy, PartialEq)]
    struct Cents(i64);

    impl TypeDecorator for Cents {
        fn sql_type() -> Type {
            Type::BigInteger
        }
        fn to_sql(&self) -> Value {
            Value::Int(self.0)
        }
        fn from_sql(value: Value) -> Result<Self, ConversionError> {
            i64::from_value_owned(value).map(Cents)
        }
    }

    #[test]
    fn a_newtype_converts_both_ways() {
        assert_eq!(Value::from(Cents(250)), Value::Int(250));
        assert!(matches!(Expr::from(Cents(1)), Expr::Value(Value::Int(1))));
        assert_eq!(Cents::from_value(&Value::Int(7)), Ok(Cents(7)));
        assert_eq!(Option::<Cents>::from_value(&Value::Null), Ok(None));
        assert_eq!(Value::from(None::<Cents>), Value::Null);
        let err = Cents::from_value(&Value::Text("x".into())).unwrap_err();
        assert_eq!((err.expected, err.found), ("i64", "TEXT"));
        assert!(Cents::from_value(&Value::Null).is_err());
    }
}
