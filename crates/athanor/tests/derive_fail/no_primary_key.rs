use athanor::prelude::*;

#[derive(Debug, Clone, PartialEq, Model)]
#[athanor(table = "notes")]
struct Note {
    id: i64,
    text: String,
}

fn main() {}
