//! Ported from SQLAlchemy's `lib/sqlalchemy/testing/suite/test_sequence.py` (behaviour,
//! fixtures and assertions; not code). Deliberate differences are in
//! `compliance/deviations/test_sequence.md`; tests not ported, with the reason, in
//! `compliance/todo.tsv`.

use std::sync::atomic::{AtomicUsize, Ordering};

use athanor::ExecutionOptions;
use athanor::compiler::{CompileOptions, SchemaTranslateMap};
use athanor::prelude::*;
use athanor::{Engine, Result};

use super::harness::{Origin, run};
use super::requirements::Flag;

const FILE: &str = "test_sequence.py";

fn origin(class: &'static str, test: &'static str) -> Origin {
    Origin {
        file: FILE,
        class,
        test,
    }
}

static SCHEMAS: AtomicUsize = AtomicUsize::new(0);

/// Extra schemas (PostgreSQL) / databases (MariaDB) for one test: the suite's `test_schema`
/// and `test_schema_2`, private to the test and dropped with it.
struct Schemas {
    engine: Engine,
    dialect: &'static str,
    names: Vec<String>,
}

impl Schemas {
    fn new(engine: &Engine, dialect: &str, count: usize) -> Result<Self> {
        let dialect = if dialect == "postgresql" {
            "postgresql"
        } else {
            "mysql"
        };
        let mut s = Schemas {
            engine: engine.clone(),
            dialect,
            names: Vec::new(),
        };
        for _ in 0..count {
            let name = format!(
                "ath_seq_{}_{}",
                std::process::id(),
                SCHEMAS.fetch_add(1, Ordering::Relaxed)
            );
            engine
                .connect()?
                .exec_driver_sql(&format!("CREATE SCHEMA {name}"))?;
            s.names.push(name);
        }
        Ok(s)
    }

    fn name(&self, i: usize) -> &str {
        &self.names[i]
    }
}

impl Drop for Schemas {
    fn drop(&mut self) {
        if let Ok(mut c) = self.engine.connect() {
            for n in &self.names {
                let sql = if self.dialect == "postgresql" {
                    format!("DROP SCHEMA IF EXISTS {n} CASCADE")
                } else {
                    format!("DROP SCHEMA IF EXISTS {n}")
                };
                let _ = c.exec_driver_sql(&sql);
            }
        }
    }
}

// ---- SequenceTest (sequences) ----

/// The suite's `seq_pk`, `seq_opt_pk` and `seq_no_returning`: an integer key fed by a
/// sequence (`tab_id_seq`, the same one made optional, `noret_id_seq`) and `data`.
fn seq_tables(engine: &Engine) -> Result<(Table, Table, Table)> {
    let md = MetaData::new();
    let mk = |name: &str, seq: Sequence| {
        Table::build(name, &md)
            .column(Column::new("id", Type::Integer).sequence(seq).primary_key())
            .column(Column::new("data", Type::String(Some(50))))
            .finish()
    };
    let seq_pk = mk("seq_pk", Sequence::new("tab_id_seq"))?;
    let seq_opt_pk = mk("seq_opt_pk", Sequence::new("tab_id_seq").optional())?;
    let seq_no_returning = mk("seq_no_returning", Sequence::new("noret_id_seq"))?;
    md.create_all(engine)?;
    Ok((seq_pk, seq_opt_pk, seq_no_returning))
}

fn assert_round_trip(conn: &mut Connection, t: &Table) -> Result<()> {
    let rows: Vec<(i64, String)> = conn.tuples(&select(t))?;
    assert_eq!(rows.first(), Some(&(1, "some data".to_string())));
    Ok(())
}

#[test]
fn sequence_insert_roundtrip() {
    run(
        origin("SequenceTest", "test_insert_roundtrip"),
        &[Flag::Sequences],
        |_, engine| {
            let (t, _, _) = seq_tables(engine)?;
            let mut conn = engine.connect()?;
            conn.execute_with(&t.insert(), &row! { "data" => "some data" })?;
            assert_round_trip(&mut conn, &t)
        },
    );
}

#[test]
fn sequence_insert_lastrowid() {
    run(
        origin("SequenceTest", "test_insert_lastrowid"),
        &[Flag::Sequences],
        |_, engine| {
            let (t, _, _) = seq_tables(engine)?;
            let mut conn = engine.connect()?;
            let r = conn.execute_with(&t.insert(), &row! { "data" => "some data" })?;
            assert_eq!(r.inserted_primary_key(), Some(&Value::Int(1)));
            Ok(())
        },
    );
}

#[test]
fn sequence_nextval_direct() {
    run(
        origin("SequenceTest", "test_nextval_direct"),
        &[Flag::Sequences],
        |_, engine| {
            let (t, _, _) = seq_tables(engine)?;
            let seq = t
                .column_data("id")
                .and_then(|c| c.sequence.clone())
                .expect("the column's sequence");
            let n: i64 = engine.connect()?.scalar(&select(seq.next_value()))?;
            assert_eq!(n, 1);
            Ok(())
        },
    );
}

#[test]
fn sequence_optional_seq() {
    run(
        origin("SequenceTest", "test_optional_seq"),
        &[Flag::Sequences, Flag::SequencesOptional],
        |_, engine| {
            let (_, t, _) = seq_tables(engine)?;
            let mut conn = engine.connect()?;
            let r = conn.execute_with(&t.insert(), &row! { "data" => "some data" })?;
            assert_eq!(r.inserted_primary_key(), Some(&Value::Int(1)));
            Ok(())
        },
    );
}

#[test]
fn sequence_insert_roundtrip_no_implicit_returning() {
    run(
        origin(
            "SequenceTest",
            "test_insert_roundtrip_no_implicit_returning",
        ),
        &[Flag::Sequences],
        |_, engine| {
            let (_, _, t) = seq_tables(engine)?;
            let mut conn = engine.connect()?;
            conn.execute_with(&t.insert(), &row! { "data" => "some data" })?;
            assert_round_trip(&mut conn, &t)
        },
    );
}

/// `alt_schema` translated to the test's `test_schema` (SQLAlchemy's
/// `execution_options(schema_translate_map={"alt_schema": test_schema})`), on a connection.
fn alt_schema_connection(engine: &Engine, test_schema: &str) -> Result<Connection> {
    let mut conn = engine.connect()?;
    conn.execution_options(ExecutionOptions::new().schema_translate_map(
        SchemaTranslateMap::new().translate(Some("alt_schema"), Some(test_schema)),
    ));
    Ok(conn)
}

/// The suite's `seq_no_returning_sch`, in `schema`, keyed by `noret_sch_id_seq` of the same
/// schema.
fn seq_no_returning_sch(md: &MetaData, schema: &str) -> Result<Table> {
    Table::build("seq_no_returning_sch", md)
        .schema(schema)
        .column(
            Column::new("id", Type::Integer)
                .sequence(Sequence::new("noret_sch_id_seq").schema(schema))
                .primary_key(),
        )
        .column(Column::new("data", Type::String(Some(50))))
        .finish()
}

#[test]
fn sequence_insert_roundtrip_translate() {
    // The implicit_returning=True/False cases are one: Athanor has no implicit_returning
    // table option (see compliance/deviations/test_sequence.md).
    run(
        origin("SequenceTest", "test_insert_roundtrip_translate"),
        &[Flag::Sequences, Flag::Schemas],
        |dialect, engine| {
            let schemas = Schemas::new(engine, dialect, 1)?;
            let fixture = MetaData::new();
            seq_no_returning_sch(&fixture, schemas.name(0))?;
            fixture.create_all(engine)?;
            let t = seq_no_returning_sch(&MetaData::new(), "alt_schema")?;
            let mut conn = alt_schema_connection(engine, schemas.name(0))?;
            conn.execute_with(&t.insert(), &row! { "data" => "some data" })?;
            assert_round_trip(&mut conn, &t)
        },
    );
}

#[test]
fn sequence_nextval_direct_schema_translate() {
    run(
        origin("SequenceTest", "test_nextval_direct_schema_translate"),
        &[Flag::Sequences, Flag::Schemas],
        |dialect, engine| {
            let schemas = Schemas::new(engine, dialect, 1)?;
            let fixture = MetaData::new();
            seq_no_returning_sch(&fixture, schemas.name(0))?;
            fixture.create_all(engine)?;
            let seq = Sequence::new("noret_sch_id_seq").schema("alt_schema");
            let mut conn = alt_schema_connection(engine, schemas.name(0))?;
            // The database's first sequence value (SQLAlchemy's default_sequence_base).
            let n: i64 = conn.scalar(&select(seq.next_value()))?;
            assert_eq!(n, 1);
            Ok(())
        },
    );
}

// ---- SequenceCompilerTest (sequences) ----

#[test]
fn sequence_compiler_literal_binds_inline_compile() {
    run(
        origin("SequenceCompilerTest", "test_literal_binds_inline_compile"),
        &[Flag::Sequences],
        |dialect, engine| {
            let md = MetaData::new();
            let t = Table::build("x", &md)
                .column(Column::new("y", Type::Integer).sequence(Sequence::new("y_seq")))
                .column(Column::new("q", Type::Integer))
                .finish()?;
            // Connected first: the engine learns the server's capabilities (MariaDB's
            // sequences) on connect.
            md.create_all(engine)?;
            let stmt = t.insert().values(row! { "q" => 5 });
            // The sequence feeds `y` through the column's DEFAULT (see the deviations), so the
            // INSERT leaves `y` out and the DDL names the sequence.
            let sql = stmt.compile_with(engine.dialect(), CompileOptions::literal_binds())?;
            assert_eq!(sql.sql(), "INSERT INTO x (q) VALUES (5)");
            let nextval = if dialect == "postgresql" {
                "nextval('y_seq')"
            } else {
                "nextval(y_seq)"
            };
            let ddl = Ddl::CreateTable(t.clone()).compile(engine.dialect())?;
            assert!(
                ddl.sql().contains(&format!("y INTEGER DEFAULT {nextval}")),
                "{}",
                ddl.sql()
            );
            let mut conn = engine.connect()?;
            conn.execute(&stmt)?;
            conn.execute(&stmt)?;
            let got: Vec<(i64, i64)> =
                conn.tuples(&select((t.c("y"), t.c("q"))).order_by(t.c("y")))?;
            assert_eq!(got, [(1, 5), (2, 5)]);
            Ok(())
        },
    );
}

// ---- HasSequenceTest (sequences) ----

/// The suite's fixture: `user_id_seq` and `other_seq` in the default schema, `user_id_seq`
/// and `schema_seq` in `test_schema` (the first of `schemas`), and the table
/// `user_id_table`.
fn has_sequence_fixture(engine: &Engine, schemas: &Schemas) -> Result<MetaData> {
    let md = MetaData::new();
    md.add_sequence(Sequence::new("user_id_seq"));
    md.add_sequence(Sequence::new("other_seq"));
    md.add_sequence(Sequence::new("user_id_seq").schema(schemas.name(0)));
    md.add_sequence(Sequence::new("schema_seq").schema(schemas.name(0)));
    Table::build("user_id_table", &md)
        .column(Column::new("id", Type::Integer).primary_key())
        .finish()?;
    md.create_all(engine)?;
    Ok(md)
}

macro_rules! has_sequence {
    ($fn_name:ident, $test:literal, [$($flag:ident),*], |$engine:ident, $schemas:ident| $body:block) => {
        #[test]
        fn $fn_name() {
            run(
                origin("HasSequenceTest", $test),
                &[Flag::Sequences $(, Flag::$flag)*],
                |dialect, engine| {
                    let schemas = Schemas::new(engine, dialect, 2)?;
                    has_sequence_fixture(engine, &schemas)?;
                    let body = |$engine: &Engine, $schemas: &Schemas| -> Result<()> { $body };
                    body(engine, &schemas)
                },
            );
        }
    };
}

has_sequence!(has_sequence, "test_has_sequence", [], |engine, _s| {
    assert!(engine.inspect().has_sequence("user_id_seq", None)?);
    Ok(())
});

has_sequence!(
    has_sequence_cache,
    "test_has_sequence_cache",
    [],
    |engine, _s| {
        let insp = engine.inspect();
        assert!(insp.has_sequence("user_id_seq", None)?);
        assert!(!insp.has_sequence("new_seq", None)?);
        let new_seq = Sequence::new("new_seq");
        engine
            .connect()?
            .execute(&Ddl::CreateSequence(new_seq.clone()))?;
        let checks = (|| -> Result<()> {
            assert!(
                !insp.has_sequence("new_seq", None)?,
                "answered from the cache"
            );
            insp.clear_cache();
            assert!(
                insp.has_sequence("new_seq", None)?,
                "read again after clear_cache"
            );
            Ok(())
        })();
        engine.connect()?.execute(&Ddl::DropSequence(new_seq))?;
        checks
    }
);

has_sequence!(
    has_sequence_other_object,
    "test_has_sequence_other_object",
    [],
    |engine, _s| {
        assert!(!engine.inspect().has_sequence("user_id_table", None)?);
        Ok(())
    }
);

has_sequence!(
    has_sequence_schema,
    "test_has_sequence_schema",
    [Schemas],
    |engine, s| {
        assert!(
            engine
                .inspect()
                .has_sequence("user_id_seq", Some(s.name(0)))?
        );
        Ok(())
    }
);

has_sequence!(
    has_sequence_neg,
    "test_has_sequence_neg",
    [],
    |engine, _s| {
        assert!(!engine.inspect().has_sequence("some_sequence", None)?);
        Ok(())
    }
);

has_sequence!(
    has_sequence_schemas_neg,
    "test_has_sequence_schemas_neg",
    [Schemas],
    |engine, s| {
        assert!(
            !engine
                .inspect()
                .has_sequence("some_sequence", Some(s.name(0)))?
        );
        Ok(())
    }
);

has_sequence!(
    has_sequence_default_not_in_remote,
    "test_has_sequence_default_not_in_remote",
    [Schemas],
    |engine, s| {
        assert!(
            !engine
                .inspect()
                .has_sequence("other_sequence", Some(s.name(0)))?
        );
        Ok(())
    }
);

has_sequence!(
    has_sequence_remote_not_in_default,
    "test_has_sequence_remote_not_in_default",
    [Schemas],
    |engine, _s| {
        assert!(!engine.inspect().has_sequence("schema_seq", None)?);
        Ok(())
    }
);

has_sequence!(
    get_sequence_names,
    "test_get_sequence_names",
    [],
    |engine, _s| {
        let names = engine.inspect().get_sequence_names(None)?;
        for expected in ["other_seq", "user_id_seq"] {
            assert!(
                names.iter().any(|n| n == expected),
                "{expected} in {names:?}"
            );
        }
        assert!(!names.iter().any(|n| n == "schema_seq"), "{names:?}");
        Ok(())
    }
);

has_sequence!(
    get_sequence_names_no_sequence_schema,
    "test_get_sequence_names_no_sequence_schema",
    [Schemas],
    |engine, s| {
        assert_eq!(
            engine.inspect().get_sequence_names(Some(s.name(1)))?,
            Vec::<String>::new()
        );
        Ok(())
    }
);

has_sequence!(
    get_sequence_names_sequences_schema,
    "test_get_sequence_names_sequences_schema",
    [Schemas],
    |engine, s| {
        assert_eq!(
            engine.inspect().get_sequence_names(Some(s.name(0)))?,
            ["schema_seq", "user_id_seq"]
        );
        Ok(())
    }
);

// ---- HasSequenceTestEmpty (sequences) ----

#[test]
fn has_sequence_empty_get_sequence_names_no_sequence() {
    run(
        origin(
            "HasSequenceTestEmpty",
            "test_get_sequence_names_no_sequence",
        ),
        &[Flag::Sequences],
        |_, engine| {
            assert_eq!(
                engine.inspect().get_sequence_names(None)?,
                Vec::<String>::new()
            );
            Ok(())
        },
    );
}
