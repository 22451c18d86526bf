//! The PostgreSQL driver (the synchronous `postgres` crate, no TLS).
//!
//! PostgreSQL binds strictly (an `i64` only to `INT8`), so each value is adapted to the type
//! the prepared statement reports for its parameter: `Value::Int(7)` goes out as `INT4` for an
//! `integer` column and as `NUMERIC` for a `numeric` one; text goes into `numeric`, `date`,
//! `uuid`, ... by parsing. Statements are prepared once per connection and cached.
//!
//! The `postgres` client runs its own Tokio runtime: don't call it from inside an async
//! runtime (use `spawn_blocking`); an async API comes later on the same core.

use std::collections::HashMap;
use std::error::Error as StdError;
use std::str::FromStr;
use std::sync::Arc;

use athanor_core::dialect::{Dialect, Postgres, postgres::map_error};
use athanor_core::error::DatabaseError;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{FromSql, IsNull, Kind, ToSql, Type, to_sql_checked};
use postgres::{Client, NoTls, Statement};

use super::{Driver, DriverConnection, ExecOutcome, QueryDone, RowSink, row_buffer};
use crate::{Error, Result, Url, Value};

type BoxError = Box<dyn StdError + Sync + Send>;

pub(crate) struct PostgresDriver {
    config: postgres::Config,
}

impl PostgresDriver {
    pub(crate) fn new(url: &Url) -> Result<Self> {
        let mut config = postgres::Config::new();
        config.host(url.host.as_deref().unwrap_or("localhost"));
        if let Some(p) = url.port {
            config.port(p);
        }
        config.user(url.username.as_deref().unwrap_or("postgres"));
        if let Some(pw) = &url.password {
            config.password(pw);
        }
        if let Some(db) = &url.database {
            config.dbname(db);
        }
        config.application_name("athanor");
        for (k, v) in &url.query {
            match k.as_str() {
                "application_name" => {
                    config.application_name(v);
                }
                "connect_timeout" => {
                    let secs: u64 = v.parse().map_err(|_| {
                        Error::argument(format!(
                            "connect_timeout={v} in the URL is not a whole number of seconds"
                        ))
                    })?;
                    config.connect_timeout(std::time::Duration::from_secs(secs));
                }
                "options" => {
                    config.options(v);
                }
                "sslmode" if v != "disable" && v != "prefer" && v != "allow" => {
                    return Err(Error::argument(format!(
                        "sslmode={v}: Athanor's PostgreSQL driver has no TLS yet; use sslmode=disable on a trusted network"
                    )));
                }
                _ => {}
            }
        }
        Ok(PostgresDriver { config })
    }
}

impl Driver for PostgresDriver {
    fn dialect(&self) -> Arc<dyn Dialect> {
        Arc::new(Postgres)
    }

    fn connect(&self) -> Result<Box<dyn DriverConnection>> {
        let client = self.config.connect(NoTls).map_err(to_error)?;
        Ok(Box::new(PgConnection {
            client,
            statements: HashMap::new(),
            decode_buf: Vec::new(),
        }))
    }
}

struct PgConnection {
    client: Client,
    statements: HashMap<String, Statement>,
    /// The column decodings of the last result, kept for the next (no allocation per query).
    decode_buf: Vec<Decode>,
}

impl PgConnection {
    fn prepare(&mut self, sql: &str) -> Result<Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let stmt = self.client.prepare(sql).map_err(to_error)?;
        if self.statements.len() >= 256 {
            self.statements.clear();
        }
        self.statements.insert(sql.to_string(), stmt.clone());
        Ok(stmt)
    }
}

/// Maps a `postgres` error: server errors by SQLSTATE, the rest by what failed.
pub(crate) fn to_error(e: postgres::Error) -> Error {
    if let Some(db) = e.as_db_error() {
        let mut msg = db.message().to_string();
        if let Some(d) = db.detail() {
            msg.push_str(&format!(" ({d})"));
        }
        return map_error(db.code().code(), &msg);
    }
    let text = e.to_string();
    let mut chain = text.clone();
    let mut src = e.source();
    while let Some(s) = src {
        chain.push_str(&format!(": {s}"));
        src = s.source();
    }
    if e.is_closed() {
        return Error::Disconnect(DatabaseError::new(chain));
    }
    if let Some(conv) = e.source().and_then(|s| s.downcast_ref::<ParamError>()) {
        return Error::Data(DatabaseError::new(conv.0.clone()));
    }
    if text.contains("error serializing parameter") || text.contains("error deserializing") {
        return Error::Data(DatabaseError::new(chain));
    }
    Error::Operational(DatabaseError::new(chain))
}

#[derive(Debug)]
struct ParamError(String);

impl std::fmt::Display for ParamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl StdError for ParamError {}

fn mismatch(v: &Value, ty: &Type) -> BoxError {
    Box::new(ParamError(format!(
        "can't send {} value {v} to a PostgreSQL parameter of type {ty}",
        v.kind()
    )))
}

/// A value on its way to a parameter of whatever type the statement needs.
#[derive(Debug)]
struct PgParam<'a>(&'a Value);

fn int_to(
    i: i64,
    ty: &Type,
    out: &mut bytes::BytesMut,
    v: &Value,
) -> std::result::Result<IsNull, BoxError> {
    match *ty {
        Type::INT2 => i16::try_from(i)
            .map_err(|_| mismatch(v, ty))?
            .to_sql(ty, out),
        Type::INT4 => i32::try_from(i)
            .map_err(|_| mismatch(v, ty))?
            .to_sql(ty, out),
        Type::INT8 => i.to_sql(ty, out),
        Type::OID => u32::try_from(i)
            .map_err(|_| mismatch(v, ty))?
            .to_sql(ty, out),
        // A double holds every integer up to 2^53 exactly, a real up to 2^24; beyond, only
        // some: the others would arrive rounded.
        Type::FLOAT4 => match whole(f64::from(i as f32)) {
            Some(back) if back == i => (i as f32).to_sql(ty, out),
            _ => Err(mismatch(v, ty)),
        },
        Type::FLOAT8 => match whole(i as f64) {
            Some(back) if back == i => (i as f64).to_sql(ty, out),
            _ => Err(mismatch(v, ty)),
        },
        Type::NUMERIC => rust_decimal::Decimal::from(i).to_sql(ty, out),
        Type::BOOL => match i {
            0 => false.to_sql(ty, out),
            1 => true.to_sql(ty, out),
            _ => Err(mismatch(v, ty)),
        },
        _ => text_to(&i.to_string(), ty, out, v),
    }
}

fn text_to(
    s: &str,
    ty: &Type,
    out: &mut bytes::BytesMut,
    v: &Value,
) -> std::result::Result<IsNull, BoxError> {
    match *ty {
        Type::INT2 | Type::INT4 | Type::INT8 | Type::OID => int_to(
            s.trim().parse::<i64>().map_err(|_| mismatch(v, ty))?,
            ty,
            out,
            v,
        ),
        Type::FLOAT4 => s
            .trim()
            .parse::<f32>()
            .map_err(|_| mismatch(v, ty))?
            .to_sql(ty, out),
        Type::FLOAT8 => s
            .trim()
            .parse::<f64>()
            .map_err(|_| mismatch(v, ty))?
            .to_sql(ty, out),
        Type::NUMERIC => rust_decimal::Decimal::from_str(s.trim())
            .or_else(|_| rust_decimal::Decimal::from_scientific(s.trim()))
            .map_err(|_| mismatch(v, ty))?
            .to_sql(ty, out),
        Type::BOOL => match s.trim().to_ascii_lowercase().as_str() {
            "t" | "true" | "1" | "yes" | "on" => true.to_sql(ty, out),
            "f" | "false" | "0" | "no" | "off" => false.to_sql(ty, out),
            _ => Err(mismatch(v, ty)),
        },
        Type::DATE => chrono::NaiveDate::from_str(s.trim())
            .map_err(|_| mismatch(v, ty))?
            .to_sql(ty, out),
        Type::TIME => chrono::NaiveTime::from_str(s.trim())
            .map_err(|_| mismatch(v, ty))?
            .to_sql(ty, out),
        Type::TIMESTAMP => parse_datetime(s)
            .ok_or_else(|| mismatch(v, ty))?
            .to_sql(ty, out),
        Type::TIMESTAMPTZ => chrono::DateTime::parse_from_rfc3339(s.trim())
            .map(|d| d.with_timezone(&chrono::Utc))
            .ok()
            .or_else(|| parse_datetime(s).map(|n| n.and_utc()))
            .ok_or_else(|| mismatch(v, ty))?
            .to_sql(ty, out),
        Type::BYTEA => s.as_bytes().to_sql(ty, out),
        Type::JSONB => {
            out.extend_from_slice(&[1]);
            out.extend_from_slice(s.as_bytes());
            Ok(IsNull::No)
        }
        Type::UUID => {
            let hex: String = s.chars().filter(|c| c.is_ascii_hexdigit()).collect();
            if hex.len() != 32 {
                return Err(mismatch(v, ty));
            }
            for i in 0..16 {
                let byte =
                    u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|_| mismatch(v, ty))?;
                out.extend_from_slice(&[byte]);
            }
            Ok(IsNull::No)
        }
        // Text-like and anything sent in text form (enums, json, unknown).
        _ => {
            out.extend_from_slice(s.as_bytes());
            Ok(IsNull::No)
        }
    }
}

fn parse_datetime(s: &str) -> Option<chrono::NaiveDateTime> {
    let s = s.trim();
    for f in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(d) = chrono::NaiveDateTime::parse_from_str(s, f) {
            return Some(d);
        }
    }
    chrono::NaiveDate::from_str(s)
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
}

/// The integer a float holds exactly: whole, finite, and within `i64` (2^63 itself, which
/// `as` would clamp to `i64::MAX`, is out).
fn whole(f: f64) -> Option<i64> {
    const LIMIT: f64 = 9_223_372_036_854_775_808.0; // 2^63
    (f.fract() == 0.0 && (-LIMIT..LIMIT).contains(&f)).then_some(f as i64)
}

impl ToSql for PgParam<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<IsNull, BoxError> {
        let v = self.0;
        if let (Kind::Enum(_) | Kind::Domain(_), Value::Text(s)) = (ty.kind(), v) {
            out.extend_from_slice(s.as_bytes());
            return Ok(IsNull::No);
        }
        match v {
            Value::Null => Ok(IsNull::Yes),
            Value::Bool(b) => match *ty {
                Type::BOOL => b.to_sql(ty, out),
                _ => int_to(i64::from(*b), ty, out, v),
            },
            Value::Int(i) => int_to(*i, ty, out, v),
            Value::Float(f) => match *ty {
                // A real column keeps the nearest real (its precision, as a NUMERIC(p, s)
                // column keeps its scale); a double beyond a real's range is refused.
                Type::FLOAT4 if f.is_finite() && (*f as f32).is_infinite() => Err(mismatch(v, ty)),
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                Type::FLOAT8 => f.to_sql(ty, out),
                Type::NUMERIC => rust_decimal::Decimal::try_from(*f)
                    .map_err(|_| mismatch(v, ty))?
                    .to_sql(ty, out),
                // A whole float in range is that integer exactly; anything else (a fraction,
                // out of range, NaN, infinite) would be rounded or clamped: refused.
                Type::INT2 | Type::INT4 | Type::INT8 | Type::OID => {
                    int_to(whole(*f).ok_or_else(|| mismatch(v, ty))?, ty, out, v)
                }
                _ => text_to(&format!("{f:?}"), ty, out, v),
            },
            Value::Text(s) => text_to(s, ty, out, v),
            Value::Bytes(b) => match *ty {
                Type::BYTEA => b.as_slice().to_sql(ty, out),
                _ => text_to(
                    std::str::from_utf8(b).map_err(|_| mismatch(v, ty))?,
                    ty,
                    out,
                    v,
                ),
            },
            Value::Decimal(d) => match *ty {
                Type::NUMERIC => d.to_sql(ty, out),
                Type::FLOAT8 | Type::FLOAT4 => {
                    use rust_decimal::prelude::ToPrimitive;
                    let f = d.to_f64().ok_or_else(|| mismatch(v, ty))?;
                    if *ty == Type::FLOAT4 {
                        (f as f32).to_sql(ty, out)
                    } else {
                        f.to_sql(ty, out)
                    }
                }
                // A whole decimal into an integer parameter is that integer; a fraction is
                // refused (text_to parses only whole numbers).
                Type::INT2 | Type::INT4 | Type::INT8 | Type::OID if d.fract().is_zero() => {
                    text_to(&d.trunc().normalize().to_string(), ty, out, v)
                }
                _ => text_to(&d.to_string(), ty, out, v),
            },
            Value::Date(d) => match *ty {
                Type::DATE => d.to_sql(ty, out),
                Type::TIMESTAMP => d
                    .and_hms_opt(0, 0, 0)
                    .ok_or_else(|| mismatch(v, ty))?
                    .to_sql(ty, out),
                _ => text_to(&d.to_string(), ty, out, v),
            },
            Value::Time(t) => match *ty {
                Type::TIME => t.to_sql(ty, out),
                _ => text_to(&t.to_string(), ty, out, v),
            },
            Value::DateTime(t) => match *ty {
                Type::TIMESTAMP => t.to_sql(ty, out),
                Type::TIMESTAMPTZ => t.and_utc().to_sql(ty, out),
                // A date column takes a date and time only at midnight: never cut the time.
                Type::DATE if t.time() == chrono::NaiveTime::MIN => t.date().to_sql(ty, out),
                Type::DATE => Err(mismatch(v, ty)),
                _ => text_to(&t.format("%Y-%m-%d %H:%M:%S%.f").to_string(), ty, out, v),
            },
            Value::DateTimeUtc(t) => match *ty {
                Type::TIMESTAMPTZ => t.to_sql(ty, out),
                Type::TIMESTAMP => t.naive_utc().to_sql(ty, out),
                _ => text_to(&t.to_rfc3339(), ty, out, v),
            },
            #[cfg(feature = "uuid")]
            Value::Uuid(u) => match *ty {
                Type::UUID => u.to_sql(ty, out),
                _ => text_to(&u.to_string(), ty, out, v),
            },
            #[cfg(feature = "serde_json")]
            Value::Json(j) => match *ty {
                Type::JSON | Type::JSONB => j.to_sql(ty, out),
                _ => text_to(&j.to_string(), ty, out, v),
            },
            #[allow(unreachable_patterns)]
            other => text_to(&other.to_string(), ty, out, v),
        }
    }

    fn accepts(_ty: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// Any column read as its raw text (enums, unknown types).
struct RawText(Vec<u8>);

impl<'a> FromSql<'a> for RawText {
    fn from_sql(_ty: &Type, raw: &'a [u8]) -> std::result::Result<Self, BoxError> {
        Ok(RawText(raw.to_vec()))
    }
    fn accepts(_ty: &Type) -> bool {
        true
    }
}

#[inline(always)]
fn apply<T>(v: T, f: impl FnOnce(T) -> Value) -> Value {
    f(v)
}

/// Reads column `i`, of a type [`Decode`] leaves to the `postgres` crate's conversions
/// (`Decode::Typed`), into `slot` (written in place: returning a `Value` through the stack and
/// copying it cost a store-forwarding stall per cell).
fn read_into(
    row: &postgres::Row,
    i: usize,
    slot: &mut Value,
) -> std::result::Result<(), postgres::Error> {
    let ty = row.columns()[i].type_();
    // Each arm assigns the slot itself: a `Value` built first and then moved in went through a
    // stack temporary written in small pieces and read back in 16-byte loads, which stalls.
    macro_rules! get {
        ($t:ty, $f:expr) => {
            match row.try_get::<_, Option<$t>>(i)? {
                Some(v) => *slot = apply::<$t>(v, $f),
                None => *slot = Value::Null,
            }
        };
    }
    match *ty {
        Type::OID => get!(u32, |v| Value::Int(v.into())),
        Type::NUMERIC => get!(rust_decimal::Decimal, Value::Decimal),
        // `"char"`, PostgreSQL's one-byte internal type, arrives as the byte itself.
        Type::CHAR => get!(i8, |v| Value::Text(char::from(v as u8).to_string())),
        Type::UNKNOWN => get!(String, Value::Text),
        Type::DATE => get!(chrono::NaiveDate, Value::Date),
        Type::TIME => get!(chrono::NaiveTime, Value::Time),
        Type::TIMESTAMP => get!(chrono::NaiveDateTime, Value::DateTime),
        Type::TIMESTAMPTZ => get!(chrono::DateTime<chrono::Utc>, Value::DateTimeUtc),
        #[cfg(feature = "uuid")]
        Type::UUID => get!(uuid::Uuid, Value::Uuid),
        #[cfg(feature = "serde_json")]
        Type::JSON | Type::JSONB => get!(serde_json::Value, Value::Json),
        #[cfg(not(feature = "serde_json"))]
        Type::JSONB => get!(RawText, |r| Value::Text(
            String::from_utf8_lossy(r.0.get(1..).unwrap_or(&[])).into_owned()
        )),
        #[cfg(not(feature = "uuid"))]
        Type::UUID => get!(RawText, |r| {
            let h: String = r.0.iter().map(|b| format!("{b:02x}")).collect();
            Value::Text(format!(
                "{}-{}-{}-{}-{}",
                &h[..8],
                &h[8..12],
                &h[12..16],
                &h[16..20],
                &h[20..]
            ))
        }),
        _ => get!(RawText, |r| match String::from_utf8(r.0) {
            Ok(s) => Value::Text(s),
            Err(e) => Value::Bytes(e.into_bytes()),
        }),
    }
    Ok(())
}

/// Hands the statement's column names to the sink unless the caller knows them.
fn report_columns(stmt: &Statement, known: Option<usize>, sink: &mut dyn RowSink) -> Result<()> {
    if known == Some(stmt.columns().len()) {
        return Ok(());
    }
    sink.columns(
        stmt.columns()
            .iter()
            .map(|c| c.name().to_string())
            .collect(),
    )
}

/// How a column's bytes become a [`Value`], decided once per result from its type: the
/// common types are decoded here from their binary wire format (one slice, no per-cell type
/// checks); the rest go through the `postgres` crate's conversions ([`read_into`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decode {
    Bool,
    Int2,
    Int4,
    Int8,
    Float4,
    Float8,
    Text,
    Bytea,
    Typed,
}

impl Decode {
    fn of(ty: &Type) -> Decode {
        match *ty {
            Type::BOOL => Decode::Bool,
            Type::INT2 => Decode::Int2,
            Type::INT4 => Decode::Int4,
            Type::INT8 => Decode::Int8,
            Type::FLOAT4 => Decode::Float4,
            Type::FLOAT8 => Decode::Float8,
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => Decode::Text,
            Type::BYTEA => Decode::Bytea,
            _ => Decode::Typed,
        }
    }
}

/// A column's bytes as the server sent them (binary format).
struct WireBytes<'a>(&'a [u8]);

impl<'a> FromSql<'a> for WireBytes<'a> {
    fn from_sql(_ty: &Type, raw: &'a [u8]) -> std::result::Result<Self, BoxError> {
        Ok(WireBytes(raw))
    }
    fn accepts(_ty: &Type) -> bool {
        true
    }
}

/// The fixed-size value of a numeric column, or an error naming the type when the server sent
/// another size.
fn fixed<const N: usize>(raw: &[u8], ty: &str) -> Result<[u8; N]> {
    raw.try_into().map_err(|_| {
        Error::Database(DatabaseError::new(format!(
            "PostgreSQL sent {} bytes for a {ty} value (expected {N})",
            raw.len()
        )))
    })
}

/// Reads every column of `row` into the row buffer, each as `decode` says.
#[inline]
fn read_row(row: &postgres::Row, decode: &[Decode], buf: &mut [Value]) -> Result<()> {
    for (i, (slot, d)) in buf.iter_mut().zip(decode).enumerate() {
        if *d == Decode::Typed {
            read_into(row, i, slot).map_err(to_error)?;
            continue;
        }
        let Some(WireBytes(raw)) = row.try_get::<_, Option<WireBytes>>(i).map_err(to_error)? else {
            *slot = Value::Null;
            continue;
        };
        match d {
            Decode::Bool => *slot = Value::Bool(fixed::<1>(raw, "bool")?[0] != 0),
            Decode::Int2 => *slot = Value::Int(i16::from_be_bytes(fixed(raw, "int2")?).into()),
            Decode::Int4 => *slot = Value::Int(i32::from_be_bytes(fixed(raw, "int4")?).into()),
            Decode::Int8 => *slot = Value::Int(i64::from_be_bytes(fixed(raw, "int8")?)),
            Decode::Float4 => {
                *slot = Value::Float(f32::from_be_bytes(fixed(raw, "float4")?).into());
            }
            Decode::Float8 => *slot = Value::Float(f64::from_be_bytes(fixed(raw, "float8")?)),
            Decode::Text => match std::str::from_utf8(raw) {
                Ok(t) => *slot = Value::Text(t.to_owned()),
                Err(_) => *slot = Value::Bytes(raw.to_vec()),
            },
            Decode::Bytea => *slot = Value::Bytes(raw.to_vec()),
            Decode::Typed => {}
        }
    }
    Ok(())
}

/// The decoding of each of a statement's columns.
fn decodes(stmt: &Statement, out: &mut Vec<Decode>) {
    out.clear();
    out.extend(stmt.columns().iter().map(|c| Decode::of(c.type_())));
}

fn params<'a>(values: impl IntoIterator<Item = &'a Value>) -> Vec<PgParam<'a>> {
    values.into_iter().map(PgParam).collect()
}

impl DriverConnection for PgConnection {
    fn execute(&mut self, sql: &str, values: &[&Value]) -> Result<ExecOutcome> {
        let stmt = self.prepare(sql)?;
        check_count(&stmt, values.len())?;
        let ps = params(values.iter().copied());
        let refs: Vec<&(dyn ToSql + Sync)> = ps.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        let n = self.client.execute(&stmt, &refs).map_err(to_error)?;
        Ok(ExecOutcome {
            rowcount: n,
            last_insert_id: None,
        })
    }

    /// The whole result is read in one call (`Client::query` reads it into the client's
    /// runtime at once; `query_raw`'s iterator re-enters the runtime for every row), then
    /// handed to the sink row by row.
    fn query(
        &mut self,
        sql: &str,
        values: &[&Value],
        known_columns: Option<usize>,
        sink: &mut dyn RowSink,
    ) -> Result<QueryDone> {
        let stmt = self.prepare(sql)?;
        check_count(&stmt, values.len())?;
        let n = stmt.columns().len();
        if n == 0 {
            // No result columns (text() DML): the count changed comes from the command tag,
            // which only the streaming path reports.
            return self.stream(sql, values, known_columns, sink);
        }
        report_columns(&stmt, known_columns, sink)?;
        let ps = params(values.iter().copied());
        let refs: Vec<&(dyn ToSql + Sync)> = ps.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        let rows = self.client.query(&stmt, &refs).map_err(to_error)?;
        let mut buf = row_buffer(n);
        let mut decode = std::mem::take(&mut self.decode_buf);
        decodes(&stmt, &mut decode);
        let mut count = 0usize;
        for row in &rows {
            count += 1;
            read_row(row, &decode, &mut buf)?;
            if !sink.row(&mut buf)? {
                break;
            }
        }
        self.decode_buf = decode;
        // SELECT reports the rows read; with RETURNING they are the rows changed.
        Ok(QueryDone {
            outcome: ExecOutcome {
                rowcount: rows.len() as u64,
                last_insert_id: None,
            },
            rows: count,
        })
    }

    fn stream(
        &mut self,
        sql: &str,
        values: &[&Value],
        known_columns: Option<usize>,
        sink: &mut dyn RowSink,
    ) -> Result<QueryDone> {
        let stmt = self.prepare(sql)?;
        check_count(&stmt, values.len())?;
        let n = stmt.columns().len();
        report_columns(&stmt, known_columns, sink)?;
        let ps = params(values.iter().copied());
        let mut rows = self
            .client
            .query_raw(&stmt, ps.iter().map(|p| p as &dyn ToSql))
            .map_err(to_error)?;
        let mut buf = row_buffer(n);
        let mut decode = std::mem::take(&mut self.decode_buf);
        decodes(&stmt, &mut decode);
        let mut count = 0usize;
        while let Some(row) = rows.next().map_err(to_error)? {
            count += 1;
            read_row(&row, &decode, &mut buf)?;
            if !sink.row(&mut buf)? {
                break;
            }
        }
        let rowcount = rows.rows_affected().unwrap_or(count as u64);
        drop(rows);
        self.decode_buf = decode;
        Ok(QueryDone {
            outcome: ExecOutcome {
                rowcount,
                last_insert_id: None,
            },
            rows: count,
        })
    }

    fn execute_many(
        &mut self,
        sql: &str,
        width: usize,
        next: &mut dyn FnMut(&mut [Value]) -> Result<bool>,
    ) -> Result<u64> {
        let stmt = self.prepare(sql)?;
        check_count(&stmt, width)?;
        let mut values = row_buffer(width);
        let mut total = 0;
        while next(&mut values)? {
            let ps = params(&values);
            let refs: Vec<&(dyn ToSql + Sync)> =
                ps.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
            total += self.client.execute(&stmt, &refs).map_err(to_error)?;
        }
        Ok(total)
    }

    fn batch(&mut self, sql: &str) -> Result<()> {
        self.client.batch_execute(sql).map_err(to_error)
    }

    fn is_healthy(&mut self) -> bool {
        !self.client.is_closed()
    }
}

fn check_count(stmt: &Statement, given: usize) -> Result<()> {
    let expected = stmt.params().len();
    if expected != given {
        return Err(Error::Programming(DatabaseError::new(format!(
            "the statement takes {expected} parameters but {given} were given"
        ))));
    }
    Ok(())
}
