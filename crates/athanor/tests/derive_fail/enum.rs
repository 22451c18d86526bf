use athanor::prelude::*;

#[derive(Debug, Clone, PartialEq, Model)]
enum Note {
    Draft { id: i64 },
    Final { id: i64 },
}

fn main() {}
