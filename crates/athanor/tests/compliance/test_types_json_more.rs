//! Ported from SQLAlchemy's `test_types.py`: `JSONTest`'s custom-serializer and ORM tests
//! (the rest of the class is in `test_types_json.rs`).
//!
//! SQLAlchemy's engine options `json_serializer` / `json_deserializer` are a deviation (see
//! `compliance/deviations/test_types.md`): Athanor's JSON documents are `serde_json::Value`,
//! written and read by serde_json; a document with an encoding of its own is a
//! [`TypeDecorator`] over `Type::Json`, whose conversions run once per value written and
//! once per value read — which is what the test asserts of the engine's hooks.

use std::sync::atomic::{AtomicUsize, Ordering};

use athanor::error::ConversionError;
use athanor::prelude::*;
use serde_json::{Value as Json, json};

use super::harness::run;
use super::requirements::Flag;
use super::test_types::at;

const CLASS: &str = "JSONTest";
const REQ: &[Flag] = &[Flag::JsonType];

/// `data_table` (id, name VARCHAR(30) NOT NULL, data JSON, nulldata JSON) as a model: `data`
/// is SQLAlchemy's default `JSON` (`None` is JSON `null`: a `Json`, never absent), `nulldata`
/// its `JSON(none_as_null=True)` (`None` is SQL NULL: an `Option<Json>`).
#[derive(Debug, Clone, PartialEq, Default, Model)]
#[athanor(table = "data_table")]
struct Data {
    #[athanor(primary_key)]
    id: i64,
    #[athanor(sql_type = Type::String(Some(30)))]
    name: String,
    data: Json,
    nulldata: Option<Json>,
}

/// `test_eval_none_flag_orm`: an object whose `data` and `nulldata` are both "none", added
/// and committed, stores JSON `null` in `data` (its text cast to a string is `null`) and SQL
/// NULL in `nulldata`; a row inserted from a mapping through the session (SQLAlchemy's
/// `bulk_insert_mappings`; here `Session::execute` of the table's INSERT, the values the
/// flags choose) stores the same.
#[test]
fn eval_none_flag_orm() {
    run(at(CLASS, "test_eval_none_flag_orm"), REQ, |_, engine| {
        Data::table().create(engine)?;
        let mut s = Session::new(engine);
        s.add(Data {
            id: 1,
            name: "d1".into(),
            data: Json::Null,
            nulldata: None,
        })?;
        s.commit()?;
        s.execute(&Data::table().insert().values(
            row! { "id" => 2, "name" => "d2", "data" => Json::Null, "nulldata" => Value::Null },
        ))?;
        let t = Data::table();
        for name in ["d1", "d2"] {
            let got: Vec<(Option<String>, Option<String>)> = s
                .execute(
                    &select((
                        cast(t.c("data"), Type::String(Some(30))),
                        cast(t.c("nulldata"), Type::String(Some(30))),
                    ))
                    .filter(t.c("name").eq(name)),
                )?
                .tuples()?;
            assert_eq!(got, [(Some("null".to_string()), None)], "{name}");
        }
        s.commit()?;
        Ok(())
    });
}

static SERIALIZED: AtomicUsize = AtomicUsize::new(0);
static DESERIALIZED: AtomicUsize = AtomicUsize::new(0);

/// A document with its own (counted) serializer and deserializer, stored as JSON.
#[derive(Debug, Clone, PartialEq)]
struct Counted(Json);

impl TypeDecorator for Counted {
    fn sql_type() -> Type {
        Type::Json
    }
    fn to_sql(&self) -> Value {
        SERIALIZED.fetch_add(1, Ordering::SeqCst);
        Value::from(self.0.clone())
    }
    fn from_sql(value: Value) -> std::result::Result<Self, ConversionError> {
        DESERIALIZED.fetch_add(1, Ordering::SeqCst);
        Json::from_value_owned(value).map(Counted)
    }
}

/// `test_round_trip_custom_json`: `{"key1": "data1"}` written through its own serializer
/// (called once, with the document) reads back equal through its own deserializer (called
/// once).
#[test]
fn round_trip_custom_json() {
    run(
        at(CLASS, "test_round_trip_custom_json"),
        REQ,
        |_, engine| {
            let t = Data::table();
            t.create(engine)?;
            let element = Counted(json!({"key1": "data1"}));
            let mut conn = engine.connect()?;
            let (s0, d0) = (
                SERIALIZED.load(Ordering::SeqCst),
                DESERIALIZED.load(Ordering::SeqCst),
            );
            conn.execute_with(
                &t.insert(),
                &row! { "id" => 1, "name" => "row1", "data" => element.clone() },
            )?;
            let got: Vec<Counted> = conn.scalars(&select(t.c("data")))?;
            assert_eq!(got, [element]);
            assert_eq!(SERIALIZED.load(Ordering::SeqCst) - s0, 1);
            assert_eq!(DESERIALIZED.load(Ordering::SeqCst) - d0, 1);
            Ok(())
        },
    );
}
