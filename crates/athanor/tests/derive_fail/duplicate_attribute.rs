use athanor::prelude::*;

#[derive(Debug, Clone, PartialEq, Model)]
struct Note {
    #[athanor(primary_key)]
    id: i64,
    #[athanor(column = "body", column = "text")]
    text: String,
}

fn main() {}
