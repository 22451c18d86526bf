use athanor::prelude::*;

#[derive(Debug, Clone, PartialEq, Model)]
struct Note<T> {
    #[athanor(primary_key)]
    id: i64,
    body: T,
}

fn main() {}
