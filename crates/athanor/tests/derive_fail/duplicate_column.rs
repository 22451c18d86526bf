use athanor::prelude::*;

#[derive(Debug, Clone, PartialEq, Model)]
struct Note {
    #[athanor(primary_key)]
    id: i64,
    #[athanor(column = "body")]
    text: String,
    #[athanor(column = "body")]
    summary: Option<String>,
}

fn main() {}
