use athanor::prelude::*;

#[derive(Debug, Clone, PartialEq, Model)]
struct Note {
    #[athanor(primary_key, autoincrement)]
    code: String,
    text: String,
}

fn main() {}
