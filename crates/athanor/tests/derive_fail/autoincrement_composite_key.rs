use athanor::prelude::*;

#[derive(Debug, Clone, PartialEq, Model)]
struct Line {
    #[athanor(primary_key)]
    invoice_id: i64,
    #[athanor(primary_key, autoincrement)]
    line: i64,
}

fn main() {}
