use athanor::prelude::*;

#[derive(Debug, Clone, PartialEq, Model)]
#[athanor(table = "notes", primary_key)]
struct Note {
    id: i64,
}

fn main() {}
