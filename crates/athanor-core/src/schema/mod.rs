//! Schema metadata: [`MetaData`], [`Table`], [`Column`], keys, constraints, [`Index`],
//! [`Sequence`], and the foreign-key dependency sort used by `create_all`/`drop_all`.

mod column;
mod computed;
mod constraint;
mod metadata;
mod naming;
mod table;

pub(crate) use column::InsertDefault;
pub use column::{Autoincrement, Column, ColumnData, SqlDefault};
pub use computed::Computed;
pub use constraint::{
    CheckConstraint, ForeignKey, ForeignKeyConstraint, Identity, Index, IndexKey,
    PrimaryKeyConstraint, Sequence, ServerDefault, UniqueConstraint,
};
pub use metadata::{MetaData, sort_tables, sort_tables_skipping};
pub use naming::NamingConvention;
pub(crate) use naming::fit_name;
pub use table::{Table, TableBuilder, TableData};
