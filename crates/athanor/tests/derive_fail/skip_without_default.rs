use athanor::prelude::*;

#[derive(Debug, Clone, PartialEq)]
struct Cache(i64);

#[derive(Debug, Clone, PartialEq, Model)]
struct Note {
    #[athanor(primary_key)]
    id: i64,
    #[athanor(skip)]
    cache: Cache,
}

fn main() {}
