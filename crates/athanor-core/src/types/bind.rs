//! [`BindValue`] and [`BindRow`]: values written into a buffer that is reused row after row,
//! so binding many rows copies their text into the buffer's existing strings instead of
//! allocating new ones (what `Connection::execute_many_rows` uses).

use super::Value;

/// A Rust value that can be written into a parameter slot. Text and bytes reuse the slot's
/// allocation when it already holds text or bytes.
///
/// ```
/// use athanor_core::types::{BindValue, Value};
/// let mut slot = Value::Text(String::with_capacity(32));
/// "Alice".bind_into(&mut slot);
/// assert_eq!(slot, Value::Text("Alice".into()));
/// 7i32.bind_into(&mut slot);
/// assert_eq!(slot, Value::Int(7));
/// None::<&str>.bind_into(&mut slot);
/// assert_eq!(slot, Value::Null);
/// ```
pub trait BindValue {
    /// Writes the value into `slot`, replacing what it held.
    fn bind_into(&self, slot: &mut Value);
}

fn bind_text(s: &str, slot: &mut Value) {
    if let Value::Text(t) = slot {
        t.clear();
        t.push_str(s);
    } else {
        *slot = Value::Text(s.to_owned());
    }
}

fn bind_bytes(b: &[u8], slot: &mut Value) {
    if let Value::Bytes(t) = slot {
        t.clear();
        t.extend_from_slice(b);
    } else {
        *slot = Value::Bytes(b.to_vec());
    }
}

impl BindValue for str {
    #[inline]
    fn bind_into(&self, slot: &mut Value) {
        bind_text(self, slot);
    }
}

impl BindValue for String {
    #[inline]
    fn bind_into(&self, slot: &mut Value) {
        bind_text(self, slot);
    }
}

impl BindValue for [u8] {
    #[inline]
    fn bind_into(&self, slot: &mut Value) {
        bind_bytes(self, slot);
    }
}

impl BindValue for Vec<u8> {
    #[inline]
    fn bind_into(&self, slot: &mut Value) {
        bind_bytes(self, slot);
    }
}

impl BindValue for Value {
    #[inline]
    fn bind_into(&self, slot: &mut Value) {
        match self {
            Value::Text(s) => bind_text(s, slot),
            Value::Bytes(b) => bind_bytes(b, slot),
            other => *slot = other.clone(),
        }
    }
}

impl<T: BindValue + ?Sized> BindValue for &T {
    #[inline]
    fn bind_into(&self, slot: &mut Value) {
        (**self).bind_into(slot);
    }
}

impl<T: BindValue> BindValue for Option<T> {
    #[inline]
    fn bind_into(&self, slot: &mut Value) {
        match self {
            Some(v) => v.bind_into(slot),
            None => *slot = Value::Null,
        }
    }
}

macro_rules! bind_copy {
    ($($t:ty),*) => {$(
        impl BindValue for $t {
            #[inline]
            fn bind_into(&self, slot: &mut Value) {
                *slot = Value::from(*self);
            }
        }
    )*};
}
bind_copy!(bool, i8, i16, i32, i64, u8, u16, u32, u64, usize, f32, f64);

#[cfg(feature = "chrono")]
bind_copy!(
    chrono::NaiveDate,
    chrono::NaiveTime,
    chrono::NaiveDateTime,
    chrono::DateTime<chrono::Utc>
);
#[cfg(feature = "rust_decimal")]
bind_copy!(rust_decimal::Decimal);
#[cfg(feature = "uuid")]
bind_copy!(uuid::Uuid);

/// One row of parameter values, written into a reused buffer: tuples of [`BindValue`]s (up
/// to 12), arrays, slices and `Vec`s.
///
/// ```
/// use athanor_core::types::{BindRow, Value};
/// let mut buf = vec![Value::Null; 3];
/// (1i64, "Alice", Some(27.5)).bind_row(&mut buf);
/// assert_eq!(buf, [Value::Int(1), Value::Text("Alice".into()), Value::Float(27.5)]);
/// assert_eq!((1i64, "Alice", Some(27.5)).width(), 3);
/// ```
pub trait BindRow {
    /// The number of values.
    fn width(&self) -> usize;
    /// Writes the values into `out`, which has [`BindRow::width`] slots (holding the previous
    /// row's values).
    fn bind_row(&self, out: &mut [Value]);
}

impl<V: BindValue> BindRow for [V] {
    #[inline]
    fn width(&self) -> usize {
        self.len()
    }
    #[inline]
    fn bind_row(&self, out: &mut [Value]) {
        for (v, slot) in self.iter().zip(out) {
            v.bind_into(slot);
        }
    }
}

impl<V: BindValue, const N: usize> BindRow for [V; N] {
    #[inline]
    fn width(&self) -> usize {
        N
    }
    #[inline]
    fn bind_row(&self, out: &mut [Value]) {
        self.as_slice().bind_row(out);
    }
}

impl<V: BindValue> BindRow for Vec<V> {
    #[inline]
    fn width(&self) -> usize {
        self.len()
    }
    #[inline]
    fn bind_row(&self, out: &mut [Value]) {
        self.as_slice().bind_row(out);
    }
}

impl<R: BindRow + ?Sized> BindRow for &R {
    #[inline]
    fn width(&self) -> usize {
        (**self).width()
    }
    #[inline]
    fn bind_row(&self, out: &mut [Value]) {
        (**self).bind_row(out);
    }
}

macro_rules! bind_tuple {
    ($n:literal; $($name:ident : $i:tt),+) => {
        impl<$($name: BindValue),+> BindRow for ($($name,)+) {
            #[inline]
            fn width(&self) -> usize {
                $n
            }
            #[inline]
            fn bind_row(&self, out: &mut [Value]) {
                $(if let Some(slot) = out.get_mut($i) {
                    self.$i.bind_into(slot);
                })+
            }
        }
    };
}
bind_tuple!(1; A: 0);
bind_tuple!(2; A: 0, B: 1);
bind_tuple!(3; A: 0, B: 1, C: 2);
bind_tuple!(4; A: 0, B: 1, C: 2, D: 3);
bind_tuple!(5; A: 0, B: 1, C: 2, D: 3, E: 4);
bind_tuple!(6; A: 0, B: 1, C: 2, D: 3, E: 4, F: 5);
bind_tuple!(7; A: 0, B: 1, C: 2, D: 3, E: 4, F: 5, G: 6);
bind_tuple!(8; A: 0, B: 1, C: 2, D: 3, E: 4, F: 5, G: 6, H: 7);
bind_tuple!(9; A: 0, B: 1, C: 2, D: 3, E: 4, F: 5, G: 6, H: 7, I: 8);
bind_tuple!(10; A: 0, B: 1, C: 2, D: 3, E: 4, F: 5, G: 6, H: 7, I: 8, J: 9);
bind_tuple!(11; A: 0, B: 1, C: 2, D: 3, E: 4, F: 5, G: 6, H: 7, I: 8, J: 9, K: 10);
bind_tuple!(12; A: 0, B: 1, C: 2, D: 3, E: 4, F: 5, G: 6, H: 7, I: 8, J: 9, K: 10, L: 11);
