//! `#[derive(Model)]`'s compile errors: each file in `tests/derive_fail/` is one mistake, and
//! its `.stderr` is the error the user sees. `TRYBUILD=overwrite cargo test --test derive_fail`
//! rewrites the snapshots after a deliberate change of wording.

#[test]
fn derive_model_compile_errors() {
    trybuild::TestCases::new().compile_fail("tests/derive_fail/*.rs");
}
