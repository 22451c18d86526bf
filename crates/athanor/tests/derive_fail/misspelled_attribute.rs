use athanor::prelude::*;

#[derive(Debug, Clone, PartialEq, Model)]
struct Note {
    #[athanor(primary_kay)]
    id: i64,
    text: String,
}

fn main() {}
