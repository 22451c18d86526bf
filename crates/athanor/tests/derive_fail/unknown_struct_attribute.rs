use athanor::prelude::*;

#[derive(Debug, Clone, PartialEq, Model)]
#[athanor(tabel = "notes")]
struct Note {
    #[athanor(primary_key)]
    id: i64,
}

fn main() {}
