//! [`FieldType`]: the Rust types a mapped field may have, and the SQL type each maps to.

use athanor_core::error::ConversionError;

use crate::{BindValue, FromValue, Type, Value};

/// A Rust type a `#[derive(Model)]` field may have: its SQL type, and its way to and from a
/// [`Value`]. `Option<T>` is a nullable column of `T`'s type; every other type is NOT NULL.
///
/// | Rust | SQL type | as SQLAlchemy maps |
/// |---|---|---|
/// | `i64`, `i32` | `Integer` | `Mapped[int]` |
/// | `i16` | `SmallInteger` | |
/// | `f64`, `f32` | `Float` | `Mapped[float]` |
/// | `String` | `String` (no length: give one with `sql_type` for MySQL) | `Mapped[str]` |
/// | `bool` | `Boolean` | `Mapped[bool]` |
/// | `Vec<u8>` | `LargeBinary` | `Mapped[bytes]` |
/// | `rust_decimal::Decimal` (feature `rust_decimal`) | `Numeric` | `Mapped[Decimal]` |
/// | `chrono::NaiveDate` / `NaiveDateTime` / `NaiveTime` (feature `chrono`) | `Date` / `DateTime` / `Time` | |
/// | `uuid::Uuid` (feature `uuid`) | `Uuid` | |
/// | `serde_json::Value` (feature `serde_json`) | `Json` | |
///
/// A field's `#[athanor(sql_type = ...)]` overrides the SQL type (`BIGINT`, `NVARCHAR(160)`);
/// the Rust type still decides how values convert, and a value that doesn't fit is an error,
/// never changed on the way.
///
/// ```
/// use athanor::orm::FieldType;
/// use athanor::{Type, Value};
/// assert_eq!(<Option<String> as FieldType>::sql_type(), Type::String(None));
/// assert!(<Option<String> as FieldType>::NULLABLE);
/// assert_eq!(FieldType::to_value(&Some(3i64)), Value::Int(3));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no SQL mapping, so it can't be a mapped field",
    label = "no SQL type for this field",
    note = "mapped fields are i64, i32, i16, f64, f32, String, bool, Vec<u8> (and Decimal, chrono, Uuid, serde_json::Value with their features), or Option of one; mark other fields #[athanor(skip)]"
)]
pub trait FieldType: Clone + PartialEq + Send + Sync + 'static {
    /// True for `Option<T>`: the column is nullable.
    const NULLABLE: bool = false;
    /// The SQL type the column gets unless the field names one.
    fn sql_type() -> Type;
    /// The value, as bound to a statement.
    fn to_value(&self) -> Value;
    /// Writes the value into a parameter slot, reusing its allocation.
    fn bind(&self, slot: &mut Value);
    /// The Rust value from a database value (moved, not copied).
    ///
    /// # Errors
    /// The value doesn't fit the type (a NULL into a non-`Option`, text into an integer,
    /// an integer out of range).
    fn from_value(v: Value) -> Result<Self, ConversionError>;
    /// [`FieldType::from_value`] from a borrowed value (the key, read before the session
    /// decides whether to build the object).
    ///
    /// # Errors
    /// As [`FieldType::from_value`].
    fn from_value_ref(v: &Value) -> Result<Self, ConversionError> {
        Self::from_value(v.clone())
    }
    /// True for a key the database should generate: `None`, or `0` for integers (as MySQL's
    /// AUTO_INCREMENT treats it).
    fn is_unset_key(&self) -> bool {
        false
    }
    /// The unset key ([`FieldType::is_unset_key`]) when the type has one.
    fn unset_key() -> Option<Self> {
        None
    }
}

macro_rules! field_type {
    ($($t:ty => $sql:expr, $zero:expr $(, $unset:expr)?);+ $(;)?) => {$(
        impl FieldType for $t {
            fn sql_type() -> Type {
                $sql
            }
            #[inline]
            fn to_value(&self) -> Value {
                Value::from(self.clone())
            }
            #[inline]
            fn bind(&self, slot: &mut Value) {
                self.bind_into(slot);
            }
            #[inline]
            fn from_value(v: Value) -> Result<Self, ConversionError> {
                <$t as FromValue>::from_value_owned(v)
            }
            #[inline]
            fn from_value_ref(v: &Value) -> Result<Self, ConversionError> {
                <$t as FromValue>::from_value(v)
            }
            #[inline]
            fn is_unset_key(&self) -> bool {
                #[allow(clippy::redundant_closure_call)]
                ($zero)(self)
            }
            $(fn unset_key() -> Option<Self> {
                Some($unset)
            })?
        }
    )+};
}

field_type! {
    i64 => Type::Integer, |v: &i64| *v == 0, 0;
    i32 => Type::Integer, |v: &i32| *v == 0, 0;
    i16 => Type::SmallInteger, |v: &i16| *v == 0, 0;
    f64 => Type::Float, |_: &f64| false;
    f32 => Type::Float, |_: &f32| false;
    bool => Type::Boolean, |_: &bool| false;
    String => Type::String(None), |_: &String| false;
    Vec<u8> => Type::LargeBinary, |_: &Vec<u8>| false;
}

#[cfg(feature = "rust_decimal")]
field_type! { rust_decimal::Decimal => Type::Numeric(None, None), |_: &rust_decimal::Decimal| false; }
#[cfg(feature = "chrono")]
field_type! {
    chrono::NaiveDate => Type::Date, |_: &chrono::NaiveDate| false;
    chrono::NaiveDateTime => Type::DateTime, |_: &chrono::NaiveDateTime| false;
    chrono::NaiveTime => Type::Time, |_: &chrono::NaiveTime| false;
}
#[cfg(feature = "uuid")]
field_type! { uuid::Uuid => Type::Uuid, |_: &uuid::Uuid| false; }
#[cfg(feature = "serde_json")]
impl FieldType for serde_json::Value {
    fn sql_type() -> Type {
        Type::Json
    }
    fn to_value(&self) -> Value {
        Value::from(self.clone())
    }
    fn bind(&self, slot: &mut Value) {
        *slot = self.to_value();
    }
    fn from_value(v: Value) -> Result<Self, ConversionError> {
        <serde_json::Value as FromValue>::from_value_owned(v)
    }
}

impl<T: FieldType> FieldType for Option<T> {
    const NULLABLE: bool = true;
    fn sql_type() -> Type {
        T::sql_type()
    }
    #[inline]
    fn to_value(&self) -> Value {
        match self {
            Some(v) => v.to_value(),
            None => Value::Null,
        }
    }
    #[inline]
    fn bind(&self, slot: &mut Value) {
        match self {
            Some(v) => v.bind(slot),
            None => *slot = Value::Null,
        }
    }
    #[inline]
    fn from_value(v: Value) -> Result<Self, ConversionError> {
        match v {
            Value::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
    #[inline]
    fn from_value_ref(v: &Value) -> Result<Self, ConversionError> {
        match v {
            Value::Null => Ok(None),
            v => T::from_value_ref(v).map(Some),
        }
    }
    fn is_unset_key(&self) -> bool {
        self.is_none()
    }
    fn unset_key() -> Option<Self> {
        Some(None)
    }
}
