//! [`FromSession`]: result rows of entities and columns, each entity loaded through the
//! session's identity map.

use super::handle::Ref;
use super::model::Model;
use super::session::{Incoming, Session};
use crate::{FromValue, Result, RowValues};
use athanor_core::sql::Executable;

/// What one row of a session query becomes: a [`Ref`] of a model (it takes the model's
/// columns), a plain value (one column), or a tuple of those.
///
/// ```
/// use athanor::prelude::*;
/// #[derive(Debug, Clone, PartialEq, Model)]
/// #[athanor(table = "Artist")]
/// struct Artist {
///     #[athanor(primary_key, column = "ArtistId")] id: i64,
///     #[athanor(column = "Name")] name: Option<String>,
/// }
/// let (engine, _) = athanor::chinook::load()?;
/// let mut s = Session::new(&engine);
/// let stmt = select((Artist::table(), func::length(Artist::NAME).label("n")))
///     .filter(Artist::ID.le(2))
///     .order_by(Artist::ID);
/// let rows: Vec<(Ref<Artist>, i64)> = s.tuples(&stmt)?;
/// assert_eq!(s.read(rows[1].0)?.name.as_deref(), Some("Accept"));
/// assert_eq!(rows[1].1, 6);
/// # Ok::<(), athanor::Error>(())
/// ```
pub trait FromSession: Sized {
    /// Checks, once per result, that the columns at `*offset` are the ones this value
    /// reads (a model's columns, by name and in order), moving past them.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`](crate::Error::InvalidRequest) naming the model and the
    /// columns found.
    fn check_columns(names: &[String], offset: &mut usize) -> Result<()> {
        if *offset >= names.len() {
            return Err(crate::Error::InvalidRequest(format!(
                "the result has {} columns, too few for the row type",
                names.len()
            )));
        }
        *offset += 1;
        Ok(())
    }

    /// Builds the value from the row's columns at `*offset`, moving past them.
    ///
    /// # Errors
    /// A conversion error naming the column.
    fn from_session(
        session: &mut Session,
        values: &mut RowValues<'_>,
        offset: &mut usize,
    ) -> Result<Self>;

    /// Every row of a SELECT as `Self`, each built as the driver reads its row.
    ///
    /// # Errors
    /// The statement's error; a conversion error naming the column.
    #[doc(hidden)]
    fn load_all(session: &mut Session, stmt: &(impl Executable + ?Sized)) -> Result<Vec<Self>> {
        load_tuples(session, stmt)
    }

    /// Every row of a query with loader options: for a model, its relationships loaded as
    /// the options (and the model's eager defaults) say; other rows ignore them.
    ///
    /// # Errors
    /// The statement's or a loader query's error.
    #[doc(hidden)]
    fn load_planned(
        session: &mut Session,
        stmt: &athanor_core::sql::Select,
        plan: &[super::load_path::PlanNode],
    ) -> Result<Vec<Self>> {
        let _ = plan;
        Self::load_all(session, stmt)
    }
}

/// Checks that `M`'s columns come at `offset` in a result, by name.
pub(crate) fn check_model_columns<M: Model>(names: &[String], offset: usize) -> Result<()> {
    let table = M::table();
    let want = table.columns();
    let found = names.get(offset..offset + want.len());
    if found.is_some_and(|f| f.iter().zip(want).all(|(n, c)| n == c.name())) {
        return Ok(());
    }
    let want: Vec<&str> = want.iter().map(|c| c.name()).collect();
    Err(crate::Error::InvalidRequest(format!(
        "a {} is read from its columns ({}) in order, at position {offset} of the result, which has ({}): select the model's table (select({}::table())) there",
        M::NAME,
        want.join(", "),
        names.join(", "),
        M::NAME
    )))
}

impl<M: Model> FromSession for Ref<M> {
    fn check_columns(names: &[String], offset: &mut usize) -> Result<()> {
        check_model_columns::<M>(names, *offset)?;
        *offset += M::width();
        Ok(())
    }

    fn from_session(
        session: &mut Session,
        values: &mut RowValues<'_>,
        offset: &mut usize,
    ) -> Result<Self> {
        let overwrite = session.populate_existing;
        let i = session.store::<M>().load(values, *offset, overwrite)?;
        *offset += M::width();
        Ok(session.handle(i))
    }

    /// Objects alone: straight into their store, found once for the whole result.
    fn load_all(session: &mut Session, stmt: &(impl Executable + ?Sized)) -> Result<Vec<Self>> {
        let overwrite = session.populate_existing;
        session.load_select::<M>(stmt, None, overwrite)
    }

    fn load_planned(
        session: &mut Session,
        stmt: &athanor_core::sql::Select,
        plan: &[super::load_path::PlanNode],
    ) -> Result<Vec<Self>> {
        super::loading::load_query::<M>(session, stmt, plan)
    }
}

macro_rules! value_from_session {
    ($($t:ty),+ $(,)?) => {$(
        impl FromSession for $t {
            #[inline]
            fn from_session(
                _session: &mut Session,
                values: &mut RowValues<'_>,
                offset: &mut usize,
            ) -> Result<Self> {
                let v = values.take::<$t>(*offset)?;
                *offset += 1;
                Ok(v)
            }
        }
    )+};
}
value_from_session!(
    i64,
    i32,
    i16,
    u32,
    u64,
    f64,
    f32,
    bool,
    String,
    Vec<u8>,
    crate::Value
);
#[cfg(feature = "rust_decimal")]
value_from_session!(rust_decimal::Decimal);
#[cfg(feature = "chrono")]
value_from_session!(chrono::NaiveDate, chrono::NaiveDateTime, chrono::NaiveTime);
#[cfg(feature = "uuid")]
value_from_session!(uuid::Uuid);

impl<T: FromValue> FromSession for Option<T> {
    #[inline]
    fn from_session(
        _session: &mut Session,
        values: &mut RowValues<'_>,
        offset: &mut usize,
    ) -> Result<Self> {
        let v = values.take::<Option<T>>(*offset)?;
        *offset += 1;
        Ok(v)
    }
}

macro_rules! tuple_from_session {
    ($($name:ident),+) => {
        impl<$($name: FromSession),+> FromSession for ($($name,)+) {
            fn check_columns(names: &[String], offset: &mut usize) -> Result<()> {
                $($name::check_columns(names, offset)?;)+
                Ok(())
            }
            fn from_session(
                session: &mut Session,
                values: &mut RowValues<'_>,
                offset: &mut usize,
            ) -> Result<Self> {
                Ok(($($name::from_session(session, values, offset)?,)+))
            }
        }
    };
}
tuple_from_session!(A);
tuple_from_session!(A, B);
tuple_from_session!(A, B, C);
tuple_from_session!(A, B, C, D);
tuple_from_session!(A, B, C, D, E);
tuple_from_session!(A, B, C, D, E, F);

/// Every row of a statement as `T`, each built as the driver reads its row (the result's
/// columns checked against `T` at the first row).
pub(crate) fn load_tuples<T: FromSession, S: Executable + ?Sized>(
    session: &mut Session,
    stmt: &S,
) -> Result<Vec<T>> {
    let mut out = Vec::new();
    let mut checked = false;
    session.run_rows(stmt, None, |session, incoming| {
        match incoming {
            Incoming::Expect(n) => out.reserve(n),
            Incoming::Row(mut values) => {
                if !checked {
                    T::check_columns(values.names(), &mut 0)?;
                    checked = true;
                }
                let mut offset = 0;
                out.push(T::from_session(session, &mut values, &mut offset)?);
            }
        }
        Ok(())
    })?;
    Ok(out)
}
