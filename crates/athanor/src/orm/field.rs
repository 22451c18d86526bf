//! [`FieldType`]: the Rust types a mapped field may have, and the SQL type each maps to.

use athanor_core::error::ConversionError;

use crate::{BindValue, FromValue, Type, Value};

/// A Rust type a `#[derive(Model)]` field may have: its SQL type, and its way to and from a
/// [`Value`]. `Option<T>` is a nullable column of `T`'s type; every other type is NOT NULL.
///
/// | Rust | SQL type | columns it maps onto (the mapping check) | as SQLAlchemy maps |
/// |---|---|---|---|
/// | `i64` | `Integer` | the integer types | `Mapped[int]` |
/// | `i32` | `Integer` | `SmallInteger`, `Integer` | |
/// | `i16` | `SmallInteger` | `SmallInteger` | |
/// | `f64` | `Float` | `Float`, `Double`, `Numeric` | `Mapped[float]` |
/// | `f32` | `Float` | `Float`, `Double` | |
/// | `String` | `String` (no length: give one with `sql_type` for MySQL) | the string and text types, enums, types Athanor has no generic form of (`inet`, `citext`) | `Mapped[str]` |
/// | `bool` | `Boolean` | `Boolean` (MySQL's `tinyint(1)`) | `Mapped[bool]` |
/// | `Vec<u8>` | `LargeBinary` | `LargeBinary` | `Mapped[bytes]` |
/// | `rust_decimal::Decimal` (feature `rust_decimal`) | `Numeric` | `Numeric`, the integer types | `Mapped[Decimal]` |
/// | `chrono::NaiveDate` / `NaiveDateTime` / `NaiveTime` (feature `chrono`) | `Date` / `DateTime` / `Time` | the same | |
/// | `chrono::DateTime<Utc>` (feature `chrono`) | `DateTimeTz` | `DateTimeTz`, `DateTime` (a timestamp without a zone holds the UTC time: written and read as UTC, never the session's zone) | `Mapped[datetime]` with `DateTime(timezone=True)` |
/// | `uuid::Uuid` (feature `uuid`) | `Uuid` | `Uuid`, strings (`CHAR(32)` where the database has no UUID) | |
/// | `serde_json::Value` (feature `serde_json`) | `Json` | `Json`, text | |
///
/// The third column is [`FieldType::accepts`]: the reflected column types whose values the
/// field reads and writes without a conversion that can fail for some of them — a wider
/// integer column (`BIGINT` for an `i32`), text for an integer, a date for a timestamp are
/// incompatible. Lengths, precision and `NVARCHAR` versus `VARCHAR` are not compared (a
/// value too long is the database's error on write, as with any statement).
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
    /// True when a column of type `column` (reflected: its generic type is compared) can
    /// hold this field's values (the table above). The default accepts the generic type of
    /// [`FieldType::sql_type`] alone.
    fn accepts(column: &Type) -> bool {
        column.generic() == Self::sql_type().generic()
    }
    /// The unset key ([`FieldType::is_unset_key`]) when the type has one.
    fn unset_key() -> Option<Self> {
        None
    }
}

// Each impl is `do_not_recommend`: the trait's `on_unimplemented` note lists the mapped types,
// and rustc's own list of implementing types would repeat it (and change with the features).
macro_rules! field_type {
    ($($t:ty => $sql:expr, [$($accepts:pat),+], $zero:expr $(, $unset:expr)?);+ $(;)?) => {$(
        #[diagnostic::do_not_recommend]
        impl FieldType for $t {
            fn sql_type() -> Type {
                $sql
            }
            fn accepts(column: &Type) -> bool {
                matches!(column.generic(), $($accepts)|+)
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
    i64 => Type::Integer, [Type::SmallInteger, Type::Integer, Type::BigInteger], |v: &i64| *v == 0, 0;
    i32 => Type::Integer, [Type::SmallInteger, Type::Integer], |v: &i32| *v == 0, 0;
    i16 => Type::SmallInteger, [Type::SmallInteger], |v: &i16| *v == 0, 0;
    f64 => Type::Float, [Type::Float, Type::Double, Type::Numeric(..)], |_: &f64| false;
    f32 => Type::Float, [Type::Float, Type::Double], |_: &f32| false;
    bool => Type::Boolean, [Type::Boolean], |_: &bool| false;
    String => Type::String(None),
        [Type::String(_), Type::Text, Type::Unicode(_), Type::UnicodeText, Type::Enum { .. }, Type::Other(_)],
        |_: &String| false;
    Vec<u8> => Type::LargeBinary, [Type::LargeBinary], |_: &Vec<u8>| false;
}

#[cfg(feature = "rust_decimal")]
field_type! {
    rust_decimal::Decimal => Type::Numeric(None, None),
        [Type::Numeric(..), Type::SmallInteger, Type::Integer, Type::BigInteger],
        |_: &rust_decimal::Decimal| false;
}
#[cfg(feature = "chrono")]
field_type! {
    chrono::NaiveDate => Type::Date, [Type::Date], |_: &chrono::NaiveDate| false;
    chrono::NaiveDateTime => Type::DateTime, [Type::DateTime], |_: &chrono::NaiveDateTime| false;
    chrono::NaiveTime => Type::Time, [Type::Time], |_: &chrono::NaiveTime| false;
    chrono::DateTime<chrono::Utc> => Type::DateTimeTz, [Type::DateTimeTz, Type::DateTime],
        |_: &chrono::DateTime<chrono::Utc>| false;
}
#[cfg(feature = "uuid")]
field_type! {
    uuid::Uuid => Type::Uuid, [Type::Uuid, Type::String(_), Type::Unicode(_)], |_: &uuid::Uuid| false;
}
#[cfg(feature = "serde_json")]
#[diagnostic::do_not_recommend]
impl FieldType for serde_json::Value {
    fn sql_type() -> Type {
        Type::Json
    }
    fn accepts(column: &Type) -> bool {
        matches!(
            column.generic(),
            Type::Json | Type::Text | Type::UnicodeText
        )
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

#[diagnostic::do_not_recommend]
impl<T: FieldType> FieldType for Option<T> {
    const NULLABLE: bool = true;
    fn sql_type() -> Type {
        T::sql_type()
    }
    fn accepts(column: &Type) -> bool {
        T::accepts(column)
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
