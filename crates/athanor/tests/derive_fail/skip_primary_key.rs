use athanor::prelude::*;

#[derive(Debug, Clone, PartialEq, Model)]
struct Note {
    #[athanor(primary_key, skip)]
    id: i64,
    text: String,
}

fn main() {}
