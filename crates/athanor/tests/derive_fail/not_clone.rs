use athanor::prelude::*;

#[derive(Debug, PartialEq, Model)]
struct Note {
    #[athanor(primary_key)]
    id: i64,
}

fn main() {}
