use athanor::prelude::*;

#[derive(Debug, Clone, PartialEq, Model)]
struct Note {
    #[athanor(primary_key)]
    id: i64,
    #[athanor(autoincrement)]
    version: i64,
}

fn main() {}
